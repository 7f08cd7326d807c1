import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning } from '../warnings.repository.ts'
import { changeNoteText, fourEyesRefusal, type WarningActor } from './command-kit.ts'
import { publishVersion } from './publish-version.ts'

/**
 * Approves the submitted working copy and publishes it at once: a draft becomes version 1 (a
 * CAP Alert), an update of an active warning the next version (an Update referencing the
 * earlier ones). Four-eyes: neither who submitted it nor anyone who wrote or changed it since
 * the last publication may approve (refusal audited 'warning.refused'; run with `runAudited`).
 * Audited 'warning.approved'.
 */
export async function approveWarning(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  /** What changed, for the history of updates (optional). */
  changeNote?: string | null
  ip?: string
}): Promise<{ version: number }> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (w.state !== 'draft' && w.state !== 'active') throw new AppError('WARNING_STATE', { state: w.state })
  if (w.review !== 'submitted') throw new AppError('WARNING_NOT_SUBMITTED')
  if (w.submittedBy === o.actor.id) throw fourEyesRefusal(w, o.actor, 'approve', 'submitted', o.ip)
  if (w.contributors.includes(o.actor.id)) throw fourEyesRefusal(w, o.actor, 'approve', 'contributed', o.ip)
  const changeNote = changeNoteText(o.changeNote)
  const { version } = await publishVersion(o.tx, {
    warning: w,
    state: 'active',
    publishedBy: o.actor.id,
    approvedBy: o.actor.id,
    urgent: false,
    changeNote,
  })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.approved',
    subjectType: 'warning',
    subjectId: w.id,
    summary: {
      code: w.code,
      version,
      msgType: version === 1 ? 'Alert' : 'Update',
      submittedBy: w.submittedBy,
      contributors: w.contributors,
      changeNote,
    },
    ip: o.ip,
  })
  return { version }
}
