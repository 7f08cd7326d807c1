/**
 * The embedded server's data folder with real processes: `kill -9` on `serve` leaves its
 * PostgreSQL running, and the next `serve` must stop that orphan and start; a second `serve`
 * while the first lives is still refused; `audit verify` works beside a running `serve`.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dataDirHolder, freePort, runtimeFileOf } from './embedded.ts'

const run = promisify(execFile)
const BIN = path.resolve('bin/donghanh.js')
let dir: string
const started: ChildProcess[] = []
const postmasters = new Set<number>()

function env(port: number): NodeJS.ProcessEnv {
  return { ...process.env, DATA_DIR: dir, PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: '', NODE_ENV: 'test', WEB_CONCURRENCY: '1' }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return true
  }
}

function postmasterPid(): number {
  const pid = Number.parseInt(readFileSync(path.join(dir, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10)
  postmasters.add(pid)
  return pid
}

/** Starts `donghanh serve` (one node process: bin/donghanh.js loads tsx in-process) and waits until it listens. */
async function startServe(): Promise<ChildProcess> {
  const child = spawn(process.execPath, [BIN, 'serve'], { env: env(await freePort()), stdio: ['ignore', 'pipe', 'pipe'] })
  started.push(child)
  let out = ''
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d) => {
      out += String(d)
      if (/Đồng Hành: http/.test(out)) resolve()
    })
    child.stderr?.on('data', (d) => {
      out += String(d)
    })
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening:\n${out}`)))
  })
  postmasterPid()
  return child
}

async function stopServe(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'donghanh-restart-'))
  // As root the server runs as the `postgres` user, which must be able to enter the folder.
  await chmod(dir, 0o755)
})
afterAll(async () => {
  for (const child of started) if (child.pid && isRunning(child.pid)) child.kill('SIGKILL')
  // A postmaster left behind by a failed run is stopped by its own pid (fast shutdown).
  for (const pid of postmasters) {
    if (!isRunning(pid)) continue
    process.kill(pid, 'SIGINT')
    while (isRunning(pid)) await new Promise((r) => setTimeout(r, 100))
  }
  await rm(dir, { recursive: true, force: true })
})

describe('data folder holder', () => {
  it('treats a postmaster.pid whose process is gone, or is not PostgreSQL, as free', async () => {
    const d = path.join(dir, 'stale', 'postgres')
    await mkdir(d, { recursive: true })
    await writeFile(path.join(d, 'postmaster.pid'), '999999999\n/x\n')
    expect(dataDirHolder(d)).toEqual({ state: 'free' })
    // A recycled pid (here: this test process) is not a server of the folder.
    await writeFile(path.join(d, 'postmaster.pid'), `${process.pid}\n${d}\n`)
    expect(dataDirHolder(d)).toEqual({ state: 'free' })
    expect(existsSync(path.join(d, 'postmaster.pid'))).toBe(false)
  })
})

describe('serve on the embedded server, with real processes', () => {
  it('lets `audit verify` use the running server, refuses a second serve, and restarts after kill -9', async () => {
    const first = await startServe()
    const pg = postmasterPid()
    // The connection details for local tools: owner-only, naming the live owner.
    const runtimeFile = runtimeFileOf(path.join(dir, 'postgres'))
    expect(statSync(runtimeFile).mode & 0o777).toBe(0o600)
    expect(JSON.parse(readFileSync(runtimeFile, 'utf8')).ownerPid).toBe(first.pid)

    // `audit verify` beside the running serve: no refusal, no hand-made DATABASE_URL.
    const verify = await run(process.execPath, [BIN, 'audit', 'verify'], { env: env(0) }).then(
      (r) => ({ code: 0, stdout: r.stdout, stderr: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
    )
    expect(verify.stderr).not.toContain('đang được một tiến trình khác dùng')
    expect(verify.code).toBe(0)
    expect(verify.stdout).toMatch(/audit: OK/)

    // A second serve while the first lives: refused, as before, in both languages.
    const second = await run(process.execPath, [BIN, 'serve'], { env: env(await freePort()) }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    )
    expect(second.code).toBe(1)
    expect(second.stderr).toContain('đang được một tiến trình khác dùng')
    expect(second.stderr).toContain('is in use by another running instance')
    expect(isRunning(pg)).toBe(true)

    // kill -9: the node process dies, its PostgreSQL stays behind.
    const killed = new Promise((resolve) => first.once('exit', resolve))
    first.kill('SIGKILL')
    await killed
    expect(isRunning(pg)).toBe(true)

    // The next start recognises the orphan, stops it cleanly and goes on.
    const again = await startServe()
    expect(isRunning(pg)).toBe(false)
    const pg2 = postmasterPid()
    expect(pg2).not.toBe(pg)
    expect(JSON.parse(readFileSync(runtimeFile, 'utf8')).ownerPid).toBe(again.pid)

    // A clean stop stops PostgreSQL and removes the runtime record.
    await stopServe(again)
    expect(isRunning(pg2)).toBe(false)
    expect(existsSync(runtimeFile)).toBe(false)
  }, 600_000)
})
