/**
 * Opening and closing a process's resources in one place: database (embedded or external),
 * migrations, default tenant, job queue and mail. Used by every CLI command.
 */
import type { Config } from './config.ts'
import { connect, type Database, migrate } from './db/index.ts'
import { configureMatcher } from './modules/factcheck/matcher.ts'
import { startClaimRefresh } from './modules/factcheck/refresh.ts'
import { startLiftScheduler } from './modules/releases/lift-scheduler.ts'
import { createEventListener, type EventListener } from './platform/events.ts'
import { startJobs, stopJobs } from './platform/jobs/index.ts'
import { configureMail } from './platform/mail/index.ts'
import { ensureDefaultTenant, type Tenant } from './platform/tenancy/index.ts'
// Modules that declare jobs must be loaded before the queue starts.
import './jobs.ts'

/** An opened process runtime. */
export interface Runtime {
  database: Database
  tenant: Tenant
  /** This process's LISTEN/NOTIFY connection. */
  events: EventListener
  /** Stops the queue, closes the pool and stops the embedded server. */
  close(): Promise<void>
}

/** Opens the database, migrates, ensures the default tenant and starts jobs. */
export async function openRuntime(
  config: Config,
  opts: { work: boolean; log?: (m: string) => void; pollingIntervalSeconds?: number },
): Promise<Runtime> {
  const database = await connect(config, { log: opts.log })
  try {
    await migrate(database.pool)
    const tenant = await ensureDefaultTenant(database.db)
    configureMail({ db: database.db, smtpUrl: config.smtpUrl, from: config.mailFrom })
    await startJobs({
      database,
      work: opts.work,
      pollingIntervalSeconds: opts.pollingIntervalSeconds,
      onError: (e) => opts.log?.(`jobs: ${e.message}`),
    })
    const events = createEventListener(database.url, opts.log)
    configureMatcher(database, events)
    // Precise lift timers run where the jobs run.
    const scheduler = opts.work ? await startLiftScheduler(database, events, opts.log) : undefined
    const refresh = opts.work ? startClaimRefresh(database, { publicUrl: config.publicUrl, log: opts.log }) : undefined
    let closed = false
    return {
      database,
      tenant,
      events,
      async close() {
        if (closed) return
        closed = true
        scheduler?.stop()
        refresh?.stop()
        await events.close()
        await stopJobs()
        await database.close()
      },
    }
  } catch (e) {
    await database.close()
    throw e
  }
}
