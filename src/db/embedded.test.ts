/**
 * A second instance on the same data folder is refused with a clear message, both by the
 * function and by `donghanh serve` (what a second `npm start` runs).
 */
import { execFile } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type EmbeddedServer, sharedBuffersMb, startEmbedded } from './embedded.ts'

const run = promisify(execFile)
let dir: string
let first: EmbeddedServer

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'donghanh-lock-'))
  await chmod(dir, 0o755)
  first = await startEmbedded(path.join(dir, 'postgres'))
})
afterAll(async () => {
  await first.stop()
  await rm(dir, { recursive: true, force: true })
})

describe('embedded PostgreSQL settings', () => {
  it('gives PostgreSQL an eighth of the memory for its cache, between 128 MB and 1 GB', () => {
    const GB = 1024 ** 3
    expect(sharedBuffersMb(0.5 * GB)).toBe(128)
    expect(sharedBuffersMb(4 * GB)).toBe(512)
    expect(sharedBuffersMb(24 * GB)).toBe(1024)
  })
})

describe('embedded PostgreSQL data folder lock', () => {
  it('refuses a second server on the same folder', async () => {
    await expect(startEmbedded(path.join(dir, 'postgres'))).rejects.toMatchObject({ code: 'DATA_DIR_LOCKED', status: 409 })
  })

  it('makes a second `serve` exit with a bilingual message', async () => {
    const result = await run('npx', ['tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, DATA_DIR: dir, PORT: '0', DATABASE_URL: '', NODE_ENV: 'test' },
      timeout: 30_000,
    }).then(
      (r) => ({ code: 0, stderr: r.stderr }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    )
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('đang được một tiến trình khác dùng')
    expect(result.stderr).toContain('is in use by another running instance')
  })
})
