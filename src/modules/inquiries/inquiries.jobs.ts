/**
 * The inquiry clock job (every 5 minutes): escalates each open inquiry whose escalation time
 * has come (the last 20 % of its window by default) to the head of the office — every active
 * admin, by mail — once per inquiry (`escalated_at` set under the row lock), audited; and flags
 * open inquiries past their due time as overdue, once, audited. Times come from the app clock
 * (`now()`), so tests move the clock instead of waiting.
 */
import { and, eq, inArray, isNull, lte, sql } from 'drizzle-orm'
import { loadConfig } from '../../config.ts'
import { type Database, withTransaction } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { defineJob } from '../../platform/jobs/index.ts'
import { users } from '../accounts/accounts.tables.ts'
import { recordInquiryEvent } from './inquiries.history.ts'
import { queueEscalationMail } from './inquiries.mail.ts'
import { lockInquiry } from './inquiries.repository.ts'
import { inquiries, OPEN_STATUSES } from './inquiries.tables.ts'

const SYSTEM: AuditActor = { id: null, label: 'system:inquiries-clock' }

/** What one run did. */
export interface ClockRun {
  escalated: number
  overdue: number
}

/**
 * One run at the app clock's now. Each inquiry is its own transaction; the row is re-read under
 * its lock, so two workers (or a retried job) escalate an inquiry once.
 */
export async function runInquiryClock(database: Database, o: { publicUrl: string }): Promise<ClockRun> {
  const at = now()
  const open = inArray(inquiries.status, [...OPEN_STATUSES])
  const toEscalate = await database.db
    .select({ id: inquiries.id, tenantId: inquiries.tenantId })
    .from(inquiries)
    .where(and(open, isNull(inquiries.escalatedAt), lte(inquiries.escalateAt, at)))
  let escalated = 0
  for (const r of toEscalate) {
    const done = await withTransaction(database.pool, async (tx) => {
      const i = await lockInquiry(tx, r.tenantId, r.id)
      if (!i || i.escalatedAt || !(OPEN_STATUSES as readonly string[]).includes(i.status) || i.escalateAt > at) return false
      await tx.update(inquiries).set({ escalatedAt: at }).where(eq(inquiries.id, i.id))
      const heads = await tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.tenantId, i.tenantId), eq(users.role, 'admin'), eq(users.status, 'active')))
      for (const h of heads) {
        await queueEscalationMail(tx, {
          tenantId: i.tenantId,
          to: h.email,
          code: i.code,
          kind: i.kind,
          dueAt: i.dueAt,
          link: `${o.publicUrl}/console/hoi-dap/${i.id}`,
        })
      }
      await recordInquiryEvent(tx, {
        tenantId: i.tenantId,
        inquiryId: i.id,
        type: 'escalated',
        actor: SYSTEM,
        detail: { to: heads.map((h) => h.email), dueAt: i.dueAt.toISOString() },
        at,
      })
      await recordAudit(tx, {
        tenantId: i.tenantId,
        actor: SYSTEM,
        action: 'inquiry.escalated',
        subjectType: 'inquiry',
        subjectId: i.id,
        summary: { code: i.code, dueAt: i.dueAt.toISOString(), escalateAt: i.escalateAt.toISOString(), mailed: heads.length },
      })
      return true
    })
    if (done) escalated++
  }

  const late = await database.db
    .select({ id: inquiries.id, tenantId: inquiries.tenantId })
    .from(inquiries)
    .where(and(open, isNull(inquiries.overdueAt), sql`${inquiries.dueAt} < ${at.toISOString()}::timestamptz`))
  let overdue = 0
  for (const r of late) {
    const done = await withTransaction(database.pool, async (tx) => {
      const i = await lockInquiry(tx, r.tenantId, r.id)
      if (!i || i.overdueAt || !(OPEN_STATUSES as readonly string[]).includes(i.status) || i.dueAt >= at) return false
      await tx.update(inquiries).set({ overdueAt: at }).where(eq(inquiries.id, i.id))
      await recordInquiryEvent(tx, { tenantId: i.tenantId, inquiryId: i.id, type: 'overdue', actor: SYSTEM, at })
      await recordAudit(tx, {
        tenantId: i.tenantId,
        actor: SYSTEM,
        action: 'inquiry.overdue',
        subjectType: 'inquiry',
        subjectId: i.id,
        summary: { code: i.code, dueAt: i.dueAt.toISOString() },
      })
      return true
    })
    if (done) overdue++
  }
  return { escalated, overdue }
}

/** Every 5 minutes. */
export const inquiryClockJob = defineJob<Record<string, never>>(
  'inquiries.clock',
  async (_data, _job, ctx) => {
    // The job context carries no settings; the link in the mail needs only PUBLIC_URL.
    await runInquiryClock(ctx.database, { publicUrl: loadConfig(process.env).publicUrl })
  },
  { cron: '*/5 * * * *' },
)
