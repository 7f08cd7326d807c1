import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning } from '../warnings.repository.ts'
import { reasonText, type WarningActor } from './command-kit.ts'
import { publishVersion } from './publish-version.ts'

/**
 * Cancels an active warning (it was wrong, or no longer applies): publishes a CAP Cancel that
 * references every earlier message; the public page keeps it marked cancelled with the reason
 * (≥ 5 characters). An unpublished update in preparation is dropped. Audited
 * 'warning.cancelled'.
 */
export async function cancelWarning(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  /** Why (public: shown on the warning's page). */
  reason: string
  ip?: string
}): Promise<{ version: number }> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (w.state !== 'active') throw new AppError('WARNING_STATE', { state: w.state })
  const reason = reasonText(o.reason, 'WARNING_CANCEL_REASON', 5)
  const at = now()
  const { version } = await publishVersion(o.tx, {
    warning: w,
    state: 'cancelled',
    publishedBy: o.actor.id,
    approvedBy: o.actor.id,
    urgent: false,
    changeNote: reason,
    set: { cancelledAt: at, cancelReason: reason },
  })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.cancelled',
    subjectType: 'warning',
    subjectId: w.id,
    summary: { code: w.code, version, reason, droppedUpdate: w.dirty },
    ip: o.ip,
  })
  return { version }
}
