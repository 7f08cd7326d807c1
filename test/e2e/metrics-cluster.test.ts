/**
 * /metrics of `donghanh serve` with WEB_CONCURRENCY=2 answers for the server, not for the web
 * process that took the scrape: requests spread over both processes (one connection each, the
 * cluster hands connections out in turn) are all counted in every scrape, whichever process
 * answers it.
 */
import http from 'node:http'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
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
})

/** GETs `url` on a connection of its own (no keep-alive pool); resolves with status and body. */
function getOnNewConnection(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: false, headers: { connection: 'close' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => {
        body += c
      })
      res.once('end', () => resolve({ status: res.statusCode ?? 0, body }))
    })
    req.once('error', reject)
  })
}

const HEALTHZ = /^donghanh_http_requests_total\{method="GET",route="\/healthz",status="200"\} (\d+)$/m

describe('/metrics with WEB_CONCURRENCY=2', () => {
  it('sums the counters of both web processes in every scrape', async () => {
    work = await mkdtemp(path.join(tmpdir(), 'donghanh-metrics-'))
    await chmod(work, 0o755)
    const port = await freePort()
    server = await startServer(
      {
        DATA_DIR: path.join(work, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        WEB_CONCURRENCY: '2',
        LOG_LEVEL: 'warn',
      },
      { what: 'the public URL with 2 web processes', pattern: /^Đồng Hành: (http:\/\/\S+) {2}\(2 tiến trình web/m },
    )
    const base = server.printed
    for (let i = 0; i < 12; i++) {
      const r = await getOnNewConnection(`${base}/healthz`)
      expect(r.status).toBe(200)
    }
    // Counting ends just after each response is sent: wait for the last ones, then every scrape.
    await waitFor('every process to be counted', async () => {
      const r = await getOnNewConnection(`${base}/metrics`)
      return r.status === 200 && r.body.includes('donghanh_metrics_processes 3') && r.body.match(HEALTHZ)?.[1] === '12' ? true : undefined
    })
    for (let i = 0; i < 6; i++) {
      const r = await getOnNewConnection(`${base}/metrics`)
      expect(r.status).toBe(200)
      // Supervisor + 2 web processes, and all 12 requests whichever process answered.
      expect(r.body).toContain('donghanh_metrics_processes 3')
      expect(r.body.match(HEALTHZ)?.[1]).toBe('12')
    }
    const problems = await stopServerAndCheck(server, work)
    server = undefined
    expect(problems).toEqual([])
  })
})
