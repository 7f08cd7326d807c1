/**
 * /metrics is for operators: served to this machine (a loopback peer, nothing forwarded) or to
 * a scraper with the METRICS_TOKEN, refused (403, both languages) to anyone else, however the
 * request dresses itself. Snapshots of several processes sum as one server.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../test/support/app.ts'
import { loadConfig } from '../../config.ts'
import { t as tr } from '../i18n/index.ts'
import { type MetricsSnapshot, mergeSnapshots, renderMetrics } from './metrics.ts'

const TOKEN = 'metrics-token-0123456789abcdef'
let t: TestApp

beforeAll(async () => {
  t = await createTestApp({ METRICS_TOKEN: TOKEN, TRUST_PROXY: '127.0.0.1' })
})
afterAll(async () => {
  await t.close()
})

const scrape = (headers: Record<string, string> = {}, remoteAddress = '127.0.0.1') =>
  t.app.inject({ url: '/metrics', headers, remoteAddress })

describe('/metrics access', () => {
  it('serves a loopback scraper (IPv4, IPv6, mapped) without a token', async () => {
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) {
      const res = await scrape({}, address)
      expect(res.statusCode, address).toBe(200)
      expect(res.body).toContain('donghanh_http_requests_total')
      expect(res.body).toContain('donghanh_jobs_queued')
    }
  })

  it('refuses other peers, and loopback requests relayed by a proxy, unless they carry the token', async () => {
    const refusals = [
      scrape({}, '203.0.113.5'),
      scrape({ 'x-forwarded-for': '127.0.0.1' }, '203.0.113.5'),
      // A proxy on this machine relays an outside client (trusted or not, it says so).
      scrape({ 'x-forwarded-for': '203.0.113.5' }),
      scrape({ 'x-forwarded-for': '127.0.0.1' }),
      scrape({ forwarded: 'for=203.0.113.5' }),
      scrape({ authorization: 'Bearer wrong-token-0123456789abcdef' }, '203.0.113.5'),
      scrape({ authorization: TOKEN }, '203.0.113.5'),
    ]
    for (const res of await Promise.all(refusals)) {
      expect(res.statusCode).toBe(403)
      expect(res.body).not.toContain('donghanh_')
      expect(res.body).toContain(tr('vi', 'errors.METRICS_FORBIDDEN').slice(0, 30))
      expect(res.body).toContain(tr('en', 'errors.METRICS_FORBIDDEN').slice(0, 30))
    }
    const withToken = await scrape({ authorization: `Bearer ${TOKEN}`, 'x-forwarded-for': '198.51.100.1' }, '203.0.113.5')
    expect(withToken.statusCode).toBe(200)
    expect(withToken.body).toContain('donghanh_http_requests_total')
  })

  it('refuses a token too short to be secret at start-up', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/)
    expect(loadConfig({}).metricsToken).toBeUndefined()
  })
})

describe('metrics of several processes', () => {
  it('sums request series and memory, keeps the longest uptime, counts the processes', async () => {
    const series = (count: number, sum: number): MetricsSnapshot['requests'][number] => [
      'GET\u0000/healthz\u0000200',
      count,
      sum,
      [count, count, count, count, count, count, count, count, count, count, count],
    ]
    const a: MetricsSnapshot = { requests: [series(3, 0.01)], rss: 100, uptime: 50, processes: 1 }
    const b: MetricsSnapshot = {
      requests: [series(4, 0.02), ['POST\u0000/x\u0000201', 1, 0.5, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]]],
      rss: 200,
      uptime: 70,
      processes: 1,
    }
    const merged = mergeSnapshots([a, b])
    expect(merged.rss).toBe(300)
    expect(merged.uptime).toBe(70)
    expect(merged.processes).toBe(2)
    const text = await renderMetrics(merged)
    expect(text).toContain('donghanh_http_requests_total{method="GET",route="/healthz",status="200"} 7')
    expect(text).toContain('donghanh_http_requests_total{method="POST",route="/x",status="201"} 1')
    expect(text).toContain('donghanh_http_request_duration_seconds_bucket{method="GET",route="/healthz",status="200",le="0.005"} 7')
    expect(text).toContain('donghanh_process_resident_memory_bytes 300')
    expect(text).toContain('donghanh_metrics_processes 2')
  })
})
