/**
 * Opening and closing a process's resources in one place: database (embedded or external),
 * migrations, default tenant, job queue and mail. Used by every CLI command.
 */
import { type Config, setProcessConfig } from './config.ts'
import { connect, type Database, migrate } from './db/index.ts'
import { domainEventDispatcher } from './platform/domain-events/index.ts'
import { createEventListener, type EventListener } from './platform/events.ts'
import { startJobs, stopJobs } from './platform/jobs/index.ts'
import { configureMail } from './platform/mail/index.ts'
import { moduleMigrationDirs, type ServiceContext, servicesFor, startServices } from './platform/modules.ts'
import { ensureDefaultTenant, type Tenant } from './platform/tenancy/index.ts'
// The module list: its jobs must be declared before the queue starts.
import './modules.ts'
// Platform jobs outside the modules.
import './platform/audit/checkpoints.ts'

/** An opened process runtime. */
export interface Runtime {
  database: Database
  tenant: Tenant
  /** This process's LISTEN/NOTIFY connection. */
  events: EventListener
  /** Stops the queue, closes the pool and stops the embedded server. */
  close(): Promise<void>
}

/**
 * Starts the background services of this process: the domain-event dispatcher and the modules'
 * services where jobs run (`work`), and the modules' `every` services in any process. Returns
 * the function that stops them. The test app starts the same ones.
 */
export function startProcessServices(
  ctx: ServiceContext,
  work: boolean,
  /** Names of services not to start (tests that drive a service's work by hand). */
  except: readonly string[] = [],
): Promise<() => Promise<void>> {
  setProcessConfig(ctx.config)
  const all = [...(work ? [domainEventDispatcher] : []), ...servicesFor(work)]
  return startServices(
    all.filter((s) => !except.includes(s.name)),
    ctx,
  )
}

/** Opens the database, migrates, ensures the default tenant and starts jobs. */
export async function openRuntime(
  config: Config,
  opts: { work: boolean; log?: (m: string) => void; pollingIntervalSeconds?: number },
): Promise<Runtime> {
  const database = await connect(config, { log: opts.log })
  try {
    await migrate(database.pool, moduleMigrationDirs())
    const tenant = await ensureDefaultTenant(database.db)
    configureMail({ db: database.db, smtpUrl: config.smtpUrl, from: config.mailFrom })
    await startJobs({
      database,
      work: opts.work,
      pollingIntervalSeconds: opts.pollingIntervalSeconds,
      onError: (e) => opts.log?.(`jobs: ${e.message}`),
    })
    const events = createEventListener(database.url, opts.log)
    const stopServices = await startProcessServices({ config, database, events, log: opts.log ?? (() => undefined) }, opts.work)
    let closed = false
    return {
      database,
      tenant,
      events,
      async close() {
        if (closed) return
        closed = true
        await stopServices()
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
