/**
 * `donghanh serve`: the web server. With WEB_CONCURRENCY=1 (the default) one process opens the
 * database (the embedded server unless DATABASE_URL), runs the jobs and serves HTTP.
 *
 * With WEB_CONCURRENCY=N > 1 the process becomes a small supervisor (node:cluster): it opens
 * the database and runs the jobs, lift timers and claim refresh itself, and starts N web
 * processes that share the port and connect to its database. Each web process has its own page
 * cache and claim index, kept current by LISTEN/NOTIFY as between any two servers. A web
 * process that dies is started again; SIGINT/SIGTERM stops the web processes first, then the
 * jobs and the embedded PostgreSQL. Rate-limit buckets live in the supervisor, which the web
 * processes ask over IPC (platform/http/rate-limit.ts), so a limit is the same with N processes;
 * likewise /metrics sums every process's counters (platform/http/metrics-cluster.ts).
 */
import cluster, { type Worker } from 'node:cluster'
import { buildApp } from './app.ts'
import { type Config, loadConfig, WEB_PROCESS_ENV } from './config.ts'
import { logDestination, type Output, setApartLines } from './log-output.ts'
import { ensureSetupToken } from './modules/accounts/commands/ensure-setup-token.ts'
import { answerMetrics } from './platform/http/metrics-cluster.ts'
import { answerRateLimits } from './platform/http/rate-limit.ts'
import { openRuntime, type Runtime } from './runtime.ts'

/** How a command prints and stops (main.ts's helpers). */
export interface ServeIo {
  say: (line: string) => void
  /** Closes `runtime` on SIGINT/SIGTERM (after `before`), then exits. */
  onSignals: (runtime: Runtime, before: () => Promise<void>) => void
}

/** Runs `serve`: one process, a supervisor with web processes, or one of those web processes. */
export async function serve(io: ServeIo): Promise<void> {
  const config = loadConfig()
  if (cluster.isWorker && config.webProcess) return webProcess(config, io)
  if (config.webConcurrency > 1) return supervise(config, io)
  const runtime = await openRuntime(config, { work: config.workerInProcess, log: (m) => config.debug && io.say(m) })
  const app = await buildApp({
    config,
    database: runtime.database,
    tenant: runtime.tenant,
    events: runtime.events,
    logStream: logDestination(),
  })
  io.onSignals(runtime, () => app.close())
  await listen(app, config, runtime)
  io.say(
    `Đồng Hành: ${config.publicUrl}  (${runtime.database.embedded ? `PostgreSQL nhúng / embedded: ${config.dataDir}/postgres` : 'DATABASE_URL'})`,
  )
  await printSetupLink(runtime, config, io)
}

async function listen(app: Awaited<ReturnType<typeof buildApp>>, config: Config, runtime: Runtime): Promise<void> {
  try {
    await app.listen({ port: config.port, host: config.host })
  } catch (e) {
    await runtime.close()
    if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      process.stderr.write(`Cổng ${config.port} đang bận / port ${config.port} is in use (PORT=…)\n`)
      process.exit(1)
    }
    throw e
  }
}

async function printSetupLink(runtime: Runtime, config: Config, io: ServeIo): Promise<void> {
  const setup = await ensureSetupToken({ database: runtime.database, tenantId: runtime.tenant.id })
  if (!setup) return
  // Last of what start-up prints, framed, so that it is found at once among the log lines.
  for (const line of setupLinkNotice(`${config.publicUrl}/console/setup?token=${setup}`)) io.say(line)
}

/** The lines announcing the one-time setup link (set apart from the logs around them). */
export function setupLinkNotice(link: string, out: Pick<Output, 'isTTY'> = process.stdout): string[] {
  return setApartLines(
    [
      'Chưa có quản trị viên. Mở đường dẫn dùng một lần này để tạo quản trị viên đầu tiên:',
      'No administrator yet. Open this one-time link to create the first administrator:',
      '',
      `  ${link}`,
    ],
    out,
  )
}

/** A web process of a supervisor: HTTP only, on the supervisor's database; no jobs. */
async function webProcess(config: Config, io: ServeIo): Promise<void> {
  const runtime = await openRuntime(config, { work: false })
  const app = await buildApp({
    config,
    database: runtime.database,
    tenant: runtime.tenant,
    events: runtime.events,
    logStream: logDestination(),
  })
  // The supervisor asks its web processes to stop with SIGTERM; a terminal's Ctrl-C reaches
  // them as SIGINT at the same time. Either way: close the server, then the pool.
  io.onSignals(runtime, () => app.close())
  await listen(app, config, runtime)
}

/** The supervisor: database, jobs and timers here; N web processes on the shared port. */
async function supervise(config: Config, io: ServeIo): Promise<void> {
  const runtime = await openRuntime(config, { work: config.workerInProcess, log: (m) => config.debug && io.say(m) })
  const env = { [WEB_PROCESS_ENV]: '1', DATABASE_URL: runtime.database.url, WORKER_IN_PROCESS: 'false' }
  let stopping = false
  const workers = new Set<Worker>()
  const start = (): Worker => {
    const w = cluster.fork(env)
    workers.add(w)
    answerRateLimits(w)
    answerMetrics(w)
    w.once('exit', (code, signal) => {
      workers.delete(w)
      if (stopping) return
      process.stderr.write(`tiến trình web ${w.process.pid} dừng (${code ?? signal}), khởi động lại / web process stopped, restarting\n`)
      setTimeout(() => {
        if (!stopping) start()
      }, 1000).unref()
    })
    return w
  }
  io.onSignals(runtime, async () => {
    stopping = true
    const exits = [...workers].map((w) => new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))))
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM')
    const killer = setTimeout(() => {
      for (const w of workers) if (!w.isDead()) w.process.kill('SIGKILL')
    }, 10_000)
    await Promise.all(exits)
    clearTimeout(killer)
  })
  const listening = Array.from({ length: config.webConcurrency }, () => {
    const w = start()
    return new Promise<void>((resolve, reject) => {
      w.once('listening', () => resolve())
      w.once('exit', (code) => reject(new Error(`web process exited (${code}) before listening`)))
    })
  })
  try {
    await Promise.all(listening)
  } catch (e) {
    stopping = true
    for (const w of workers) if (!w.isDead()) w.process.kill('SIGTERM')
    await runtime.close()
    throw e
  }
  io.say(
    `Đồng Hành: ${config.publicUrl}  (${config.webConcurrency} tiến trình web / web processes; ${runtime.database.embedded ? `PostgreSQL nhúng / embedded: ${config.dataDir}/postgres` : 'DATABASE_URL'})`,
  )
  await printSetupLink(runtime, config, io)
}
