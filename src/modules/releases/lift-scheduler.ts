/**
 * Lifts at the right instant. The durable `releases.lift` job (pg-boss, startAfter the lift
 * time) guarantees the lift survives restarts; this scheduler adds precision: each working
 * process arms a timer for every lift due in the next hour, re-arms when a schedule changes
 * (NOTIFY donghanh_schedule) and sweeps for overdue lifts every few seconds. Every path calls
 * the same `liftRelease`, which checks "not before" at run time and locks the row, so the
 * release is published once, never early.
 */
import { and, lte, sql } from 'drizzle-orm'
import type { Database } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import type { EventListener } from '../../platform/events.ts'
import { defineJob, enqueueNow } from '../../platform/jobs/index.ts'
import { liftRelease } from './commands/lift-release.ts'
import { releases } from './releases.tables.ts'

const HORIZON_MS = 60 * 60_000
const SWEEP_MS = 5_000

/** The durable lift job: publishes an embargoed or scheduled release at its time. */
export const liftJob = defineJob<{ releaseId: string; tenantId: string; publishAt: string }>(
  'releases.lift',
  async (data, _job, ctx) => {
    const expectedAt = new Date(data.publishAt)
    const r = await liftRelease({ database: ctx.database, tenantId: data.tenantId, releaseId: data.releaseId, expectedAt })
    // Run early (clock skew between processes): come back at the lift time.
    if (r.outcome === 'not_due') await enqueueNow('releases.lift', data, { startAfter: expectedAt })
  },
  { retryLimit: 10 },
)

/** Releases due at or before `until` that are still waiting. */
async function dueBefore(database: Database, until: Date) {
  return database.db
    .select({ id: releases.id, tenantId: releases.tenantId, publishAt: releases.publishAt })
    .from(releases)
    .where(and(sql`${releases.status} IN ('scheduled', 'embargoed')`, lte(releases.publishAt, until)))
}

/** Publishes every overdue lift now (also called by tests after moving the clock). */
export async function sweepDueLifts(database: Database, log: (m: string) => void = () => undefined): Promise<number> {
  let published = 0
  for (const r of await dueBefore(database, now())) {
    try {
      const out = await liftRelease({ database, tenantId: r.tenantId, releaseId: r.id })
      if (out.outcome === 'published') published++
    } catch (e) {
      log(`lift ${r.id}: ${(e as Error).message}`)
    }
  }
  return published
}

/** A running scheduler. */
export interface LiftScheduler {
  stop(): void
}

/** Starts the precise timers and the overdue sweep in this process. */
export async function startLiftScheduler(
  database: Database,
  events: EventListener,
  log: (m: string) => void = () => undefined,
): Promise<LiftScheduler> {
  const timers = new Map<string, NodeJS.Timeout>()
  let stopped = false
  const fire = (id: string, tenantId: string) => {
    timers.delete(id)
    if (stopped) return
    liftRelease({ database, tenantId, releaseId: id }).then(
      (out) => {
        if (out.outcome === 'not_due' && out.publishAt) arm(id, tenantId, out.publishAt)
      },
      (e: Error) => log(`lift ${id}: ${e.message}`),
    )
  }
  const arm = (id: string, tenantId: string, at: Date) => {
    const old = timers.get(id)
    if (old) clearTimeout(old)
    const wait = Math.max(0, at.getTime() - now().getTime())
    const timer = setTimeout(() => fire(id, tenantId), wait)
    timer.unref()
    timers.set(id, timer)
  }
  const rearm = async () => {
    if (stopped) return
    const rows = await dueBefore(database, new Date(now().getTime() + HORIZON_MS))
    const seen = new Set<string>()
    for (const r of rows) {
      if (!r.publishAt) continue
      seen.add(r.id)
      arm(r.id, r.tenantId, r.publishAt)
    }
    for (const [id, t] of timers) {
      if (!seen.has(id)) {
        clearTimeout(t)
        timers.delete(id)
      }
    }
  }
  await events.on('donghanh_schedule', () => {
    rearm().catch((e: Error) => log(`lift rearm: ${e.message}`))
  })
  await sweepDueLifts(database, log)
  await rearm()
  const sweep = setInterval(() => {
    sweepDueLifts(database, log)
      .then(() => rearm())
      .catch((e: Error) => log(`lift sweep: ${e.message}`))
  }, SWEEP_MS)
  sweep.unref()
  return {
    stop() {
      stopped = true
      clearInterval(sweep)
      for (const t of timers.values()) clearTimeout(t)
      timers.clear()
    },
  }
}
