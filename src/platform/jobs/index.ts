/**
 * Background jobs on pg-boss (PostgreSQL, SKIP LOCKED): any number of `serve` and `worker`
 * processes share the work. Modules declare handlers with `defineJob`; `enqueue` writes the
 * job through the caller's transaction, so a job exists if and only if its change committed.
 */
import PgBoss from 'pg-boss'
import type { Database, Tx } from '../../db/index.ts'

/** What a job handler can reach besides its data. */
export interface JobContext {
  /** The application database (pool and Drizzle). */
  database: Database
}

/** A job handler: receives the job's data; throwing makes pg-boss retry with backoff. */
export type JobHandler<T> = (data: T, job: { id: string; retryCount: number }, ctx: JobContext) => Promise<void>

interface JobEntry {
  handler: JobHandler<never>
  /** Retries before the job is marked failed. */
  retryLimit: number
  /** Cron expression (UTC) for a recurring job. */
  cron?: string
  /** Jobs fetched per poll (default 1). */
  batchSize: number
  /**
   * How long a job may stay active before pg-boss takes it for lost and retries it (default
   * pg-boss's 15 minutes). What a killed worker held comes back after this (plus the maintenance
   * interval), so a short one suits idempotent jobs that are quick.
   */
  expireInSeconds?: number
}

const definitions = new Map<string, JobEntry>()
let boss: PgBoss | undefined

/** A declared job type, as a module manifest lists it. */
export interface JobDefinition {
  readonly name: string
  /** Cron expression (UTC) for a recurring job. */
  readonly cron?: string
}

/**
 * Declares a job type and its handler (once per process, at module load); the module lists the
 * result in its manifest. A name may be declared once.
 */
export function defineJob<T>(
  name: string,
  handler: JobHandler<T>,
  opts: { retryLimit?: number; cron?: string; batchSize?: number; expireInSeconds?: number } = {},
): JobDefinition {
  if (definitions.has(name)) throw new Error(`job ${name} is declared twice`)
  definitions.set(name, {
    handler: handler as JobHandler<never>,
    retryLimit: opts.retryLimit ?? 5,
    cron: opts.cron,
    batchSize: opts.batchSize ?? 1,
    expireInSeconds: opts.expireInSeconds,
  })
  return { name, cron: opts.cron }
}

/** Names of every declared job type (for the manifest check and diagnostics). */
export function definedJobNames(): string[] {
  return [...definitions.keys()]
}

/** How often pg-boss looks for expired jobs (and archives), in seconds. */
export const MAINTENANCE_INTERVAL_SECONDS = 30

/** Options for starting the queue. */
export interface StartJobsOptions {
  /** The application database; its URL is also pg-boss's. */
  database: Database
  /** Also run the handlers in this process (serve's in-process worker, or `worker`). */
  work: boolean
  /** Polling interval of the workers in seconds (default 0.5). */
  pollingIntervalSeconds?: number
  /** Error sink. */
  onError?: (e: Error) => void
}

/** Starts pg-boss (creating its schema and our queues) and, if asked, the workers. */
export async function startJobs(opts: StartJobsOptions): Promise<PgBoss> {
  const instance = new PgBoss({
    connectionString: opts.database.url,
    schema: 'pgboss',
    max: 4,
    supervise: opts.work,
    schedule: opts.work,
    // Expired jobs (those a killed worker held) are looked for at this interval (pg-boss: 120 s).
    maintenanceIntervalSeconds: MAINTENANCE_INTERVAL_SECONDS,
  })
  instance.on('error', (e: Error) => opts.onError?.(e))
  await instance.start()
  for (const [name, def] of definitions) {
    const queue = {
      name,
      retryLimit: def.retryLimit,
      retryDelay: 2,
      retryBackoff: true,
      // pg-boss refuses the key when present and undefined.
      ...(def.expireInSeconds !== undefined ? { expireInSeconds: def.expireInSeconds } : {}),
    }
    await instance.createQueue(name, queue)
    // createQueue leaves an existing queue as it was: a changed expiry reaches installed databases.
    if (def.expireInSeconds !== undefined) await instance.updateQueue(name, queue)
  }
  if (opts.work) {
    const ctx: JobContext = { database: opts.database }
    for (const [name, def] of definitions) {
      if (def.cron) await instance.schedule(name, def.cron, {}, { singletonKey: name })
      await instance.work(
        name,
        { pollingIntervalSeconds: opts.pollingIntervalSeconds ?? 0.5, batchSize: def.batchSize },
        async (jobs: PgBoss.Job<unknown>[]) => {
          // pg-boss waits the polling interval between fetches whatever it found, so a job type
          // with many small jobs (mail) takes a batch per poll. A batch's jobs run one by one and
          // fail one by one: a failed job is retried alone (pg-boss completes only the jobs still
          // active when the batch returns), never the ones already done beside it.
          for (const job of jobs) {
            const retryCount = (job as unknown as { retryCount?: number }).retryCount ?? 0
            if (jobs.length === 1) {
              await def.handler(job.data as never, { id: job.id, retryCount }, ctx)
              continue
            }
            try {
              await def.handler(job.data as never, { id: job.id, retryCount }, ctx)
            } catch (e) {
              opts.onError?.(e as Error)
              await instance.fail(name, job.id, { message: (e as Error).message })
            }
          }
        },
      )
    }
  }
  boss = instance
  return instance
}

/** Stops the queue: lets running jobs finish (up to 10 s). */
export async function stopJobs(): Promise<void> {
  const b = boss
  boss = undefined
  if (b) await b.stop({ graceful: true, wait: true, timeout: 10_000 })
}

/** Enqueues a job inside the caller's transaction (outbox semantics). */
export async function enqueue(
  tx: Tx,
  name: string,
  data: object,
  opts: { startAfter?: Date; singletonKey?: string } = {},
): Promise<string | null> {
  if (!boss) throw new Error('jobs not started in this process')
  if (!definitions.has(name)) throw new Error(`unknown job ${name}`)
  return boss.send(name, data, {
    ...opts,
    db: { executeSql: (text, values) => tx.$client.query(text, values) },
  })
}

/** Counts of queued and active jobs per queue (for /metrics and /readyz). */
export async function queueSizes(): Promise<Record<string, number>> {
  if (!boss) return {}
  const out: Record<string, number> = {}
  for (const name of definitions.keys()) out[name] = await boss.getQueueSize(name)
  return out
}

/** Enqueues a job outside any caller transaction (from a job handler, for example). */
export async function enqueueNow(name: string, data: object, opts: { startAfter?: Date } = {}): Promise<string | null> {
  if (!boss) throw new Error('jobs not started in this process')
  if (!definitions.has(name)) throw new Error(`unknown job ${name}`)
  return boss.send(name, data, opts)
}
