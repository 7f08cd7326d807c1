import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning } from '../warnings.repository.ts'
import { CLOSE_REASONS, type CloseReason, PERSON_KINDS } from '../warnings.types.ts'
import { changeNoteText, type WarningActor } from './command-kit.ts'
import { publishVersion } from './publish-version.ts'

/**
 * Closes an active warning about a person (missing person found, wanted person arrested): a
 * CAP Cancel that names no one, and from this commit on every public surface shows only that
 * it was closed. Taking a person down never waits for a second person. Only person warnings
 * (WARNING_NOT_PERSON). Audited 'warning.closed'.
 */
export async function closeWarning(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  /** found, arrested or other. */
  reason: CloseReason
  /** Staff note (kept with the version, never public). */
  note?: string | null
  ip?: string
}): Promise<{ version: number }> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (!PERSON_KINDS.includes(w.kind)) throw new AppError('WARNING_NOT_PERSON')
  if (w.state !== 'active') throw new AppError('WARNING_STATE', { state: w.state })
  if (!(CLOSE_REASONS as readonly string[]).includes(o.reason)) throw new AppError('WARNING_CLOSE_REASON')
  const note = changeNoteText(o.note)
  const at = now()
  const { version } = await publishVersion(o.tx, {
    warning: w,
    state: 'closed',
    publishedBy: o.actor.id,
    approvedBy: o.actor.id,
    urgent: false,
    changeNote: note,
    set: { closedAt: at, closeReason: o.reason },
  })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.closed',
    subjectType: 'warning',
    subjectId: w.id,
    summary: { code: w.code, version, reason: o.reason, note },
    ip: o.ip,
  })
  return { version }
}
