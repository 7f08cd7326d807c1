/**
 * Reminders to partners who said yes: one 24 hours before the start and one 2 hours before,
 * each at most once (`reminded_24h_at`, `reminded_2h_at`), never for a cancelled event. A job
 * every 15 minutes claims what is due; the claim, the mail and the audit row share one
 * transaction per event, so a crash sends nothing twice and loses nothing. A partner who says
 * yes inside the last 2 hours gets only the 2-hour reminder (the 24-hour one is marked done
 * with it, never sent late).
 */
import { eq, sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import { events } from '../events.tables.ts'
import { type EventRow, organizerOf, queueEventMail } from './invitations.mail.ts'

const HOUR = 3_600_000

/** One run: mails the reminders due now; returns how many went out. */
export async function runEventReminders(database: Database): Promise<{ reminded24h: number; reminded2h: number }> {
  const at = now()
  const out = { reminded24h: 0, reminded2h: 0 }
  // Events with something due (announced, starting within 24 h, not started).
  const due = await database.db.execute<{ id: string; tenant_id: string }>(sql`
    SELECT DISTINCT e.id, e.tenant_id FROM events e
    JOIN event_invitations i ON i.event_id = e.id AND i.tenant_id = e.tenant_id
    WHERE e.state = 'announced' AND e.starts_at > ${at} AND e.starts_at <= ${new Date(at.getTime() + 24 * HOUR)}
      AND i.state = 'yes' AND (i.reminded_24h_at IS NULL OR i.reminded_2h_at IS NULL)
  `)
  for (const d of due.rows) {
    await withTransaction(database.pool, async (tx) => {
      // Locked: an answer or a cancellation in flight is seen before anything is claimed.
      const [event] = await tx.select().from(events).where(eq(events.id, d.id)).for('update')
      if (event?.state !== 'announced') return
      const left = event.startsAt.getTime() - at.getTime()
      if (left <= 0) return
      const window = left <= 2 * HOUR ? '2h' : left <= 24 * HOUR ? '24h' : null
      if (!window) return
      const claimed = await tx.execute<{ id: string; name: string; email: string | null }>(
        window === '2h'
          ? sql`UPDATE event_invitations i SET reminded_2h_at = ${at}, reminded_24h_at = coalesce(i.reminded_24h_at, ${at})
                FROM partners p
                WHERE i.event_id = ${event.id} AND i.tenant_id = ${event.tenantId} AND i.state = 'yes' AND i.reminded_2h_at IS NULL
                  AND p.id = i.partner_id
                RETURNING i.id, p.name, nullif(btrim(p.email), '') AS email`
          : sql`UPDATE event_invitations i SET reminded_24h_at = ${at}
                FROM partners p
                WHERE i.event_id = ${event.id} AND i.tenant_id = ${event.tenantId} AND i.state = 'yes' AND i.reminded_24h_at IS NULL
                  AND p.id = i.partner_id
                RETURNING i.id, p.name, nullif(btrim(p.email), '') AS email`,
      )
      if (claimed.rows.length === 0) return
      const organizer = await organizerOf(tx, event.tenantId)
      let mailed = 0
      for (const r of claimed.rows) {
        if (!r.email) continue
        await queueEventMail(tx, {
          event: event as EventRow,
          invitee: { name: r.name, email: r.email, state: 'yes' },
          kind: window === '2h' ? 'reminder2h' : 'reminder24h',
          organizer,
        })
        mailed++
      }
      if (window === '2h') out.reminded2h += mailed
      else out.reminded24h += mailed
      await recordAudit(tx, {
        tenantId: event.tenantId,
        actor: { id: null, label: 'system' },
        action: 'event.reminded',
        subjectType: 'event',
        subjectId: event.id,
        summary: { window, invitations: claimed.rows.length, mailed },
      })
    })
  }
  return out
}

/** Every 15 minutes: a reminder is at most 15 minutes late. */
export const eventRemindersJob = defineJob<Record<string, never>>(
  'events.reminders',
  async (_data, _job, ctx) => {
    await runEventReminders(ctx.database)
  },
  { cron: '*/15 * * * *', retryLimit: 1 },
)
