import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning } from '../warnings.repository.ts'
import { changeNoteText, reasonText, type WarningActor } from './command-kit.ts'
import { publishVersion } from './publish-version.ts'

/** How long a second approver has to confirm an urgent publication. */
export const RETRO_APPROVAL_WINDOW_MS = 24 * 3_600_000

/**
 * The urgent path (an Alert cannot wait): an approver publishes a draft, or an update of an
 * active warning, alone and at once, even what they wrote, with a reason (≥ 5 characters). A
 * second approver must confirm it within 24 hours (`retroApproveWarning`); the overdue job
 * flags it when nobody did. The version is published with no approver until then. Audited
 * 'warning.published_urgently'.
 */
export async function publishUrgently(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  /** Why it could not wait for a second approver (audited, shown to the retro approver). */
  reason: string
  changeNote?: string | null
  ip?: string
}): Promise<{ version: number; retroDueAt: Date }> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (w.state !== 'draft' && w.state !== 'active') throw new AppError('WARNING_STATE', { state: w.state })
  if (!w.dirty) throw new AppError('WARNING_NOTHING_TO_PUBLISH')
  const reason = reasonText(o.reason, 'WARNING_URGENT_REASON', 5)
  const changeNote = changeNoteText(o.changeNote)
  const retroDueAt = new Date(now().getTime() + RETRO_APPROVAL_WINDOW_MS)
  // An earlier urgent publication still unconfirmed is named in the audit: the new one replaces it.
  const unconfirmed = w.urgentBy && !w.retroApprovedBy ? { by: w.urgentBy, dueAt: w.retroDueAt?.toISOString() ?? null } : null
  const { version } = await publishVersion(o.tx, {
    warning: w,
    state: 'active',
    publishedBy: o.actor.id,
    approvedBy: null,
    urgent: true,
    changeNote,
    set: {
      urgentBy: o.actor.id,
      urgentReason: reason,
      retroDueAt,
      retroApprovedBy: null,
      retroApprovedAt: null,
      retroOverdueAt: null,
    },
  })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.published_urgently',
    subjectType: 'warning',
    subjectId: w.id,
    summary: {
      code: w.code,
      version,
      msgType: version === 1 ? 'Alert' : 'Update',
      reason,
      retroDueAt: retroDueAt.toISOString(),
      wasSubmittedBy: w.review === 'submitted' ? w.submittedBy : null,
      replacesUnconfirmed: unconfirmed,
      changeNote,
    },
    ip: o.ip,
  })
  return { version, retroDueAt }
}
