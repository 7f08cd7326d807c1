import { and, desc, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning, type WarningRow } from '../warnings.repository.ts'
import { warnings, warningVersions } from '../warnings.tables.ts'
import { fourEyesRefusal, type WarningActor } from './command-kit.ts'

/**
 * A second approver confirms an urgent publication after the fact: never the approver who
 * published it (refusal audited; run with `runAudited`). Allowed late too, and then the audit
 * says so (`late: true`). The urgent version row gets its approver. Audited
 * 'warning.retro_approved'.
 */
export async function retroApproveWarning(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  ip?: string
}): Promise<WarningRow> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (!w.urgentBy || w.retroApprovedBy) throw new AppError('WARNING_NOT_URGENT')
  if (w.urgentBy === o.actor.id) throw fourEyesRefusal(w, o.actor, 'retro-approve', 'urgent_publisher', o.ip)
  const at = now()
  const late = !!w.retroDueAt && w.retroDueAt.getTime() < at.getTime()
  const [urgentVersion] = await o.tx
    .select({ version: warningVersions.version })
    .from(warningVersions)
    .where(and(eq(warningVersions.warningId, w.id), eq(warningVersions.urgent, true)))
    .orderBy(desc(warningVersions.version))
    .limit(1)
  if (urgentVersion) {
    await o.tx
      .update(warningVersions)
      .set({ approvedBy: o.actor.id })
      .where(and(eq(warningVersions.warningId, w.id), eq(warningVersions.version, urgentVersion.version)))
  }
  const [row] = await o.tx
    .update(warnings)
    .set({ retroApprovedBy: o.actor.id, retroApprovedAt: at, updatedAt: at })
    .where(eq(warnings.id, w.id))
    .returning()
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.retro_approved',
    subjectType: 'warning',
    subjectId: w.id,
    summary: {
      code: w.code,
      version: urgentVersion?.version ?? null,
      urgentBy: w.urgentBy,
      urgentReason: w.urgentReason,
      dueAt: w.retroDueAt?.toISOString() ?? null,
      late,
    },
    ip: o.ip,
  })
  return row as WarningRow
}
