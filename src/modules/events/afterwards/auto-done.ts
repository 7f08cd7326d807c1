/**
 * Marks announced events done 12 hours after their end, when staff did not: the schedule and
 * the figures then call them held. One transaction per event (`completeEvent` re-checks under
 * the event's lock and writes the `event.done` audit row with the system actor).
 */
import { sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../db/index.ts'
import type { AuditActor } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import { completeEvent } from '../commands/complete-event.ts'

/** How long after its end an event is marked done automatically. */
export const AUTO_DONE_AFTER_MS = 12 * 3_600_000

const SYSTEM: AuditActor = { id: null, label: 'system' }

/** One run: marks every announced event that ended 12 h ago or more; returns how many. */
export async function completePastEvents(database: Database): Promise<number> {
  const cutoff = new Date(now().getTime() - AUTO_DONE_AFTER_MS)
  const due = await database.db.execute<{ id: string; tenant_id: string }>(sql`
    SELECT id, tenant_id FROM events WHERE state = 'announced' AND ends_at <= ${cutoff} ORDER BY ends_at, id LIMIT 500
  `)
  let done = 0
  for (const d of due.rows) {
    const ok = await withTransaction(database.pool, async (tx) => {
      // Re-read under the lock: a cancellation or a staff "held" in flight wins.
      const locked = await tx.execute<{ state: string; ends_at: Date }>(
        sql`SELECT state, ends_at FROM events WHERE id = ${d.id} FOR UPDATE`,
      )
      const row = locked.rows[0]
      if (row?.state !== 'announced' || new Date(row.ends_at).getTime() > cutoff.getTime()) return false
      await completeEvent({ tx, tenantId: d.tenant_id, actor: SYSTEM, id: d.id })
      return true
    })
    if (ok) done++
  }
  return done
}

/** Every 15 minutes: an event is marked at most 15 minutes after its 12 hours. */
export const eventAutoDoneJob = defineJob<Record<string, never>>(
  'events.auto-done',
  async (_data, _job, ctx) => {
    await completePastEvents(ctx.database)
  },
  { cron: '*/15 * * * *', retryLimit: 1 },
)
