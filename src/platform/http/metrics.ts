/**
 * Prometheus metrics in text format, kept in process memory: request counts and a latency
 * histogram by route and status, plus gauges that modules register (queue sizes, outbox,
 * overdue items). Each process exposes its own counters; Prometheus sums across processes.
 */

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface Series {
  count: number
  sum: number
  buckets: number[]
}

const requests = new Map<string, Series>()

/** Records one finished request. */
export function observeRequest(method: string, route: string, status: number, seconds: number): void {
  const key = `${method}\u0000${route}\u0000${status}`
  let s = requests.get(key)
  if (!s) {
    s = { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }
    requests.set(key, s)
  }
  s.count += 1
  s.sum += seconds
  for (let i = 0; i < BUCKETS.length; i++) if (seconds <= (BUCKETS[i] as number)) s.buckets[i] = (s.buckets[i] as number) + 1
}

/** A gauge: a name, help text and a function computing labelled values at scrape time. */
export interface Gauge {
  name: string
  help: string
  collect: () => Promise<{ labels?: Record<string, string>; value: number }[]>
}

const gauges: Gauge[] = []

/** Registers a gauge computed at each scrape. */
export function registerGauge(g: Gauge): void {
  if (!gauges.some((x) => x.name === g.name)) gauges.push(g)
}

function esc(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')
}

function labels(l: Record<string, string> | undefined): string {
  if (!l || Object.keys(l).length === 0) return ''
  return `{${Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',')}}`
}

/** Renders all metrics in the Prometheus text exposition format. */
export async function renderMetrics(): Promise<string> {
  const out: string[] = []
  out.push('# HELP donghanh_http_requests_total HTTP requests by method, route and status.')
  out.push('# TYPE donghanh_http_requests_total counter')
  for (const [key, s] of requests) {
    const [method, route, status] = key.split('\u0000') as [string, string, string]
    out.push(`donghanh_http_requests_total${labels({ method, route, status })} ${s.count}`)
  }
  out.push('# HELP donghanh_http_request_duration_seconds HTTP request latency.')
  out.push('# TYPE donghanh_http_request_duration_seconds histogram')
  for (const [key, s] of requests) {
    const [method, route, status] = key.split('\u0000') as [string, string, string]
    BUCKETS.forEach((b, i) => {
      out.push(`donghanh_http_request_duration_seconds_bucket${labels({ method, route, status, le: String(b) })} ${s.buckets[i]}`)
    })
    out.push(`donghanh_http_request_duration_seconds_bucket${labels({ method, route, status, le: '+Inf' })} ${s.count}`)
    out.push(`donghanh_http_request_duration_seconds_sum${labels({ method, route, status })} ${s.sum}`)
    out.push(`donghanh_http_request_duration_seconds_count${labels({ method, route, status })} ${s.count}`)
  }
  const mem = process.memoryUsage()
  out.push('# HELP donghanh_process_resident_memory_bytes Resident memory.')
  out.push('# TYPE donghanh_process_resident_memory_bytes gauge')
  out.push(`donghanh_process_resident_memory_bytes ${mem.rss}`)
  out.push('# HELP donghanh_process_uptime_seconds Seconds since the process started.')
  out.push('# TYPE donghanh_process_uptime_seconds gauge')
  out.push(`donghanh_process_uptime_seconds ${process.uptime().toFixed(1)}`)
  for (const g of gauges) {
    out.push(`# HELP ${g.name} ${g.help}`)
    out.push(`# TYPE ${g.name} gauge`)
    for (const v of await g.collect()) out.push(`${g.name}${labels(v.labels)} ${v.value}`)
  }
  return `${out.join('\n')}\n`
}
