import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning, type WarningRow } from '../warnings.repository.ts'
import { warnings } from '../warnings.tables.ts'
import { reasonText, type WarningActor } from './command-kit.ts'

/**
 * An approver sends a submitted working copy back with a reason (required): it returns to
 * review 'none', unchanged, for its authors to rework. Audited 'warning.rejected'.
 */
export async function rejectWarning(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  /** Why it goes back (shown to the authors). */
  reason: string
  ip?: string
}): Promise<WarningRow> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (w.review !== 'submitted') throw new AppError('WARNING_NOT_SUBMITTED')
  const reason = reasonText(o.reason, 'REASON_REQUIRED', 1)
  const at = now()
  const [row] = await o.tx
    .update(warnings)
    .set({ review: 'none', submittedBy: null, submittedAt: null, updatedAt: at })
    .where(eq(warnings.id, w.id))
    .returning()
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.rejected',
    subjectType: 'warning',
    subjectId: w.id,
    summary: { code: w.code, reason, submittedBy: w.submittedBy },
    ip: o.ip,
  })
  return row as WarningRow
}
