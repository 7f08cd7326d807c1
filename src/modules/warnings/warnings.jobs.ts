/**
 * Scheduled jobs of warnings: flagging urgent publications that no second approver confirmed
 * within 24 hours. The flag (`retro_overdue_at`) shows in the console and the approvals inbox;
 * the audit row 'warning.retro_overdue' (system actor) is written once per publication.
 */
import { and, inArray, isNotNull, isNull, lt } from 'drizzle-orm'
import { type Database, withTransaction } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { defineJob } from '../../platform/jobs/index.ts'
import { warnings } from './warnings.tables.ts'

const SYSTEM: AuditActor = { id: null, label: 'system:warnings' }

/**
 * One run: flags every urgent publication past its retrospective-approval deadline, not
 * confirmed and not yet flagged, and audits each once; returns how many were flagged.
 */
export async function flagOverdueRetroApprovals(database: Database): Promise<number> {
  const at = now()
  return withTransaction(database.pool, async (tx) => {
    // SKIP LOCKED: a warning being decided right now is left to the next run.
    const due = await tx
      .select({ id: warnings.id })
      .from(warnings)
      .where(
        and(isNotNull(warnings.urgentBy), isNull(warnings.retroApprovedBy), isNull(warnings.retroOverdueAt), lt(warnings.retroDueAt, at)),
      )
      .orderBy(warnings.retroDueAt)
      .limit(500)
      .for('update', { skipLocked: true })
    if (due.length === 0) return 0
    const flagged = await tx
      .update(warnings)
      .set({ retroOverdueAt: at })
      .where(
        inArray(
          warnings.id,
          due.map((d) => d.id),
        ),
      )
      .returning()
    for (const w of flagged) {
      await recordAudit(tx, {
        tenantId: w.tenantId,
        actor: SYSTEM,
        action: 'warning.retro_overdue',
        subjectType: 'warning',
        subjectId: w.id,
        summary: {
          code: w.code,
          version: w.version,
          urgentBy: w.urgentBy,
          dueAt: w.retroDueAt?.toISOString() ?? null,
          state: w.state,
        },
      })
    }
    return flagged.length
  })
}

/** Every five minutes: an unconfirmed urgent publication is flagged at most 5 minutes late. */
export const warningsRetroOverdueJob = defineJob<Record<string, never>>(
  'warnings.retro-overdue',
  async (_data, _job, ctx) => {
    await flagOverdueRetroApprovals(ctx.database)
  },
  { cron: '*/5 * * * *', retryLimit: 2 },
)
