/**
 * Recurring desk jobs: submitters' contact details are deleted after the retention period
 * (CONTACT_RETENTION_DAYS, default 30), and claims past their SLA are escalated once (audit
 * row + mail to the approvers).
 */
import { and, eq, isNotNull, isNull, lt, sql } from 'drizzle-orm'
import { loadConfig } from '../../config.ts'
import { type Database, withTransaction } from '../../db/index.ts'
import { recordAudit } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { t } from '../../platform/i18n/index.ts'
import { defineJob } from '../../platform/jobs/index.ts'
import { queueMail } from '../../platform/mail/index.ts'
import { users } from '../accounts/accounts.tables.ts'
import { sharedOcrEngine } from '../../text/ocr/engine.ts'
import { readScreenshot } from './commands/read-screenshot.ts'
import { claimSubmissions, claims } from './factcheck.tables.ts'

/** Days a submitter's contact is kept. */
export function retentionDays(env?: NodeJS.ProcessEnv): number {
  return loadConfig(env).contactRetentionDays
}

/** Deletes contact details older than the retention period; returns how many. */
export async function purgeContacts(database: Database, days = retentionDays()): Promise<number> {
  const cut = new Date(now().getTime() - days * 86_400_000)
  return withTransaction(database.pool, async (tx) => {
    const rows = await tx
      .update(claimSubmissions)
      .set({ contactEmail: null, contactPurgedAt: now() })
      .where(and(isNotNull(claimSubmissions.contactEmail), lt(claimSubmissions.createdAt, cut)))
      .returning({ tenantId: claimSubmissions.tenantId })
    const perTenant = new Map<string, number>()
    for (const r of rows) perTenant.set(r.tenantId, (perTenant.get(r.tenantId) ?? 0) + 1)
    for (const [tenantId, n] of perTenant) {
      await recordAudit(tx, {
        tenantId,
        actor: { id: null, label: 'system:retention' },
        action: 'claim.contacts_purged',
        subjectType: 'claim_submission',
        summary: { count: n, retentionDays: days },
      })
    }
    return rows.length
  })
}

/** Escalates open claims past their SLA (once each); returns how many. */
export async function escalateOverdueClaims(database: Database): Promise<number> {
  const at = now()
  return withTransaction(database.pool, async (tx) => {
    const due = await tx
      .update(claims)
      .set({ escalatedAt: at })
      .where(
        and(
          isNull(claims.escalatedAt),
          lt(claims.slaDueAt, at),
          sql`${claims.status} IN ('new','investigating','verdict_draft','verdict_submitted')`,
        ),
      )
      .returning()
    for (const c of due) {
      const approvers = await tx
        .select({ email: users.email })
        .from(users)
        .where(and(eq(users.tenantId, c.tenantId), eq(users.role, 'approver'), eq(users.status, 'active')))
      for (const a of approvers) {
        const params = { code: c.code, level: t('vi', `factcheck.level.${c.level}`), statement: c.statement.slice(0, 200) }
        await queueMail(tx, {
          tenantId: c.tenantId,
          to: a.email,
          subject: t('vi', 'mail.escalation.subject', params),
          text: t('vi', 'mail.escalation.body', params),
        })
      }
      await recordAudit(tx, {
        tenantId: c.tenantId,
        actor: { id: null, label: 'system:sla' },
        action: 'claim.escalated',
        subjectType: 'claim',
        subjectId: c.id,
        summary: { level: c.level, dueAt: c.slaDueAt.toISOString(), approversTold: approvers.length },
      })
    }
    return due.length
  })
}

/** Deletes submitters' contact details past the retention period, daily. */
export const purgeContactsJob = defineJob('factcheck.purge-contacts', async (_d, _j, ctx) => void (await purgeContacts(ctx.database)), {
  cron: '17 3 * * *',
  retryLimit: 2,
})
/** Escalates claims past their SLA, every five minutes. */
export const escalateClaimsJob = defineJob('factcheck.escalate', async (_d, _j, ctx) => void (await escalateOverdueClaims(ctx.database)), {
  cron: '*/5 * * * *',
  retryLimit: 2,
})

/**
 * Reads a submitted image (enqueued by the intake in the submission's transaction, so the
 * submitter never waits on OCR). Time and size limits are the engine's (30 s, 10 MB, 16 MP);
 * an image that fails them is stored as "could not read", not retried. Retried only when the
 * database fails.
 */
export const ocrJob = defineJob<{ fileId: string }>(
  'factcheck.ocr',
  async (d, _j, ctx) => void (await readScreenshot({ database: ctx.database, fileId: d.fileId, engine: sharedOcrEngine() })),
  { retryLimit: 2 },
)
