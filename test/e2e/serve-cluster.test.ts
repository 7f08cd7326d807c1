/**
 * `donghanh serve` with WEB_CONCURRENCY=2, as a real process: a supervisor with the embedded
 * PostgreSQL and the jobs, two web processes on one port; a web process that dies is started
 * again; a rate limit is the same with two processes (the buckets live in the supervisor);
 * SIGTERM stops the web processes, then the database, and nothing lingers.
 */
import http from 'node:http'
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import { type Server, startServer, stopServerAndCheck, waitFor } from './support.ts'

let work: string | undefined
let server: Server | undefined

afterAll(async () => {
  const problems = await stopServerAndCheck(server, work)
  if (work) await rm(work, { recursive: true, force: true })
  expect(problems).toEqual([])
}, 60_000)

/** PIDs of the web processes of this run (their environment names the run's data folder). */
async function webProcesses(dataDir: string): Promise<number[]> {
  const found: number[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const env = (await readFile(`/proc/${entry}/environ`, 'utf8')).split('\0')
      if (env.includes('DONGHANH_WEB_PROCESS=1') && env.includes(`DATA_DIR=${dataDir}`)) found.push(Number(entry))
    } catch {
      // the process ended while we looked
    }
  }
  return found.sort((a, b) => a - b)
}

/** POSTs JSON on a connection of its own (no keep-alive pool); resolves with the status. */
function postOnNewConnection(url: string, body: unknown): Promise<number> {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body)
    const req = http.request(url, {
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(data),
        'x-forwarded-for': '203.0.113.77',
        connection: 'close',
      },
    })
    req.once('response', (res) => {
      res.resume()
      res.once('end', () => resolve(res.statusCode ?? 0))
    })
    req.once('error', reject)
    req.end(data)
  })
}

describe('donghanh serve with WEB_CONCURRENCY=2', () => {
  it('serves from two web processes on one port, restarts one that dies, and stops everything on SIGTERM', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'donghanh-cluster-'))
    await chmod(work, 0o755)
    const dataDir = path.join(work, 'data')
    const port = await freePort()
    server = await startServer(
      {
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        WEB_CONCURRENCY: '2',
        LOG_LEVEL: 'warn',
      },
      { what: 'the public URL with 2 web processes', pattern: /^Đồng Hành: (http:\/\/\S+) {2}\(2 tiến trình web/m },
    )
    const base = server.printed
    const first = await waitFor('two web processes', async () => {
      const pids = await webProcesses(dataDir)
      return pids.length === 2 ? pids : undefined
    })
    for (let i = 0; i < 20; i++) {
      const r = await fetch(`${base}/readyz`)
      expect(r.status).toBe(200)
      await r.arrayBuffer()
    }
    // The public home page works in both (each renders it once, then serves its own cache).
    for (let i = 0; i < 4; i++) expect((await fetch(`${base}/`)).status).toBe(200)

    // The checking API allows 30 requests at once per address, refilled at one a second. Each
    // request on a new connection (the cluster hands connections out in turn), so both processes
    // answer: still 30 in all, plus at most one per whole second the requests took (a slow run
    // crosses refills; once it counted 31). Buckets per process would grant 60 or more of the 70.
    const codes: number[] = []
    const started = Date.now()
    for (let i = 0; i < 70; i++)
      codes.push(await postOnNewConnection(`${base}/api/v1/checks`, { text: 'Nghe nói có vụ việc ở phường Hạc Thành' }))
    const refills = Math.floor((Date.now() - started) / 1000)
    const granted = codes.filter((c) => c === 200).length
    expect(codes.filter((c) => c !== 200 && c !== 429)).toEqual([])
    expect(codes.slice(0, 30).every((c) => c === 200)).toBe(true)
    expect(granted, `${granted} × 200 in ${refills} s`).toBeLessThanOrEqual(30 + refills)
    // The bound above only tells one shared bucket from two while the burst is short.
    expect(30 + refills, 'the 70 requests took too long to tell one bucket from two').toBeLessThan(60)

    process.kill(first[0] as number, 'SIGKILL')
    const next = await waitFor(
      'the supervisor to start a new web process',
      async () => {
        const pids = await webProcesses(dataDir)
        return pids.length === 2 && !pids.includes(first[0] as number) ? pids : undefined
      },
      30_000,
    )
    expect(next).toContain(first[1])
    await waitFor('the new web process to answer', async () => {
      const codes = await Promise.all(Array.from({ length: 6 }, async () => (await fetch(`${base}/healthz`)).status))
      return codes.every((c) => c === 200) ? true : undefined
    })
    expect(server.output()).toContain('khởi động lại / web process stopped, restarting')

    const problems = await stopServerAndCheck(server, work)
    server = undefined
    expect(problems).toEqual([])
    expect(await webProcesses(dataDir)).toEqual([])
    // A whole server's life (PostgreSQL, three processes, a restart) beside the browser flows on a busy machine.
  }, 180_000)
})
