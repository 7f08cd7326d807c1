import { execFile } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const TSX = path.join(ROOT, 'node_modules/.bin/tsx')

/** Runs `tsx src/main.ts help` (prints the usage, exit 2) with NODE_OPTIONS; resolves with its exit code and output. */
function runHelp(nodeOptions: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['src/main.ts', 'help'],
      { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: nodeOptions }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

describe('the Node.js version check at start', () => {
  // A Node.js without require() of ES modules is simulated by switching that feature off.
  it.skipIf(!process.allowedNodeEnvironmentFlags.has('--experimental-require-module'))(
    'stops at once, in Vietnamese and English, when Node.js cannot require() an ES module',
    async () => {
      const r = await runHelp('--no-experimental-require-module')
      expect(r.code).toBe(1)
      expect(r.stderr).toContain('Đồng Hành cần Node.js 20.19 trở lên')
      expect(r.stderr).toContain('Đồng Hành needs Node.js 20.19 or later')
      expect(r.stderr).not.toContain('cách dùng / usage')
    },
  )

  it('lets a Node.js that can through', async () => {
    const r = await runHelp('')
    expect(r.stderr).toContain('Đồng Hành — cách dùng / usage')
    expect(r.stderr).not.toContain('Node.js 20.19')
  })
})
