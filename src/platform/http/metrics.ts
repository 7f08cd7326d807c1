/**
 * Prometheus metrics in text format: request counts and a latency histogram by route and
 * status, plus gauges that modules register (queue sizes, outbox, overdue items).
 *
 * Request series are counted in each process's memory. A scrape answers for the whole server:
 * with one process, its own figures; under a `serve` supervisor (WEB_CONCURRENCY > 1), the
 * answering web process gathers every process's snapshot over the cluster's IPC and sums them
 * (metrics-cluster.ts), so a scrape does not depend on which process takes it. Gauges read the
 * shared database at scrape time and are computed once, by the answering process.
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

/**
 * One process's counters in a form that crosses IPC (plain JSON): request series as
 * `[key, count, sum, buckets]`, resident memory and uptime.
 */
export interface MetricsSnapshot {
  requests: [key: string, count: number, sum: number, buckets: number[]][]
  /** Resident memory in bytes (summed over processes). */
  rss: number
  /** Seconds since the process started (the oldest process counts: the supervisor's). */
  uptime: number
  /** How many processes these figures cover. */
  processes: number
}

/** This process's counters. */
export function localSnapshot(): MetricsSnapshot {
  return {
    requests: [...requests].map(([key, s]) => [key, s.count, s.sum, [...s.buckets]]),
    rss: process.memoryUsage().rss,
    uptime: process.uptime(),
    processes: 1,
  }
}

/** Sums snapshots of several processes: series by key, memory summed, the longest uptime. */
export function mergeSnapshots(parts: MetricsSnapshot[]): MetricsSnapshot {
  const merged = new Map<string, Series>()
  let rss = 0
  let uptime = 0
  let processes = 0
  for (const p of parts) {
    rss += p.rss
    uptime = Math.max(uptime, p.uptime)
    processes += p.processes
    for (const [key, count, sum, buckets] of p.requests) {
      const s = merged.get(key) ?? { count: 0, sum: 0, buckets: BUCKETS.map(() => 0) }
      s.count += count
      s.sum += sum
      buckets.forEach((b, i) => {
        s.buckets[i] = (s.buckets[i] ?? 0) + b
      })
      merged.set(key, s)
    }
  }
  return { requests: [...merged].map(([key, s]) => [key, s.count, s.sum, s.buckets]), rss, uptime, processes }
}

/**
 * Renders all metrics in the Prometheus text exposition format: the request series and process
 * figures of `snapshot` (default: this process's), then the registered gauges.
 */
export async function renderMetrics(snapshot: MetricsSnapshot = localSnapshot()): Promise<string> {
  const out: string[] = []
  const series = snapshot.requests.map(([key, count, sum, buckets]) => {
    const [method, route, status] = key.split('\u0000') as [string, string, string]
    return { method, route, status, count, sum, buckets }
  })
  out.push('# HELP donghanh_http_requests_total HTTP requests by method, route and status.')
  out.push('# TYPE donghanh_http_requests_total counter')
  for (const { method, route, status, count } of series) {
    out.push(`donghanh_http_requests_total${labels({ method, route, status })} ${count}`)
  }
  out.push('# HELP donghanh_http_request_duration_seconds HTTP request latency.')
  out.push('# TYPE donghanh_http_request_duration_seconds histogram')
  for (const { method, route, status, count, sum, buckets } of series) {
    BUCKETS.forEach((b, i) => {
      out.push(`donghanh_http_request_duration_seconds_bucket${labels({ method, route, status, le: String(b) })} ${buckets[i] ?? 0}`)
    })
    out.push(`donghanh_http_request_duration_seconds_bucket${labels({ method, route, status, le: '+Inf' })} ${count}`)
    out.push(`donghanh_http_request_duration_seconds_sum${labels({ method, route, status })} ${sum}`)
    out.push(`donghanh_http_request_duration_seconds_count${labels({ method, route, status })} ${count}`)
  }
  out.push('# HELP donghanh_process_resident_memory_bytes Resident memory (all processes of the server).')
  out.push('# TYPE donghanh_process_resident_memory_bytes gauge')
  out.push(`donghanh_process_resident_memory_bytes ${snapshot.rss}`)
  out.push('# HELP donghanh_process_uptime_seconds Seconds since the process started.')
  out.push('# TYPE donghanh_process_uptime_seconds gauge')
  out.push(`donghanh_process_uptime_seconds ${snapshot.uptime.toFixed(1)}`)
  out.push('# HELP donghanh_metrics_processes Processes whose counters this scrape includes.')
  out.push('# TYPE donghanh_metrics_processes gauge')
  out.push(`donghanh_metrics_processes ${snapshot.processes}`)
  for (const g of gauges) {
    out.push(`# HELP ${g.name} ${g.help}`)
    out.push(`# TYPE ${g.name} gauge`)
    for (const v of await g.collect()) out.push(`${g.name}${labels(v.labels)} ${v.value}`)
  }
  return `${out.join('\n')}\n`
}
