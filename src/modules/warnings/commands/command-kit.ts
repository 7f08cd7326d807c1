/**
 * What the warnings commands share: the acting user, the audited four-eyes refusal, and the
 * checks of reasons and notes typed with a decision.
 */
import { type AuditActor, AuditedRefusal } from '../../../platform/audit/index.ts'
import { AppError, type ErrorCode } from '../../../platform/errors.ts'
import { plainText } from '../cap/cap.ts'
import type { WarningRow } from '../warnings.repository.ts'

/** The user deciding (commands are never run by the system, except the overdue job). */
export type WarningActor = AuditActor & { id: string }

/**
 * The four-eyes refusal (FOUR_EYES; FOUR_EYES_CONTRIBUTOR for who wrote or changed the working
 * copy): recorded as 'warning.refused' in a transaction of its own (the caller
 * runs the command with `runAudited`), then answered 403.
 */
export function fourEyesRefusal(
  w: WarningRow,
  actor: WarningActor,
  attempted: string,
  reason: 'submitted' | 'contributed' | 'urgent_publisher',
  ip?: string,
): AuditedRefusal {
  // A contributor gets the message that says why (they wrote it, even if someone else submitted it).
  return new AuditedRefusal(
    reason === 'contributed' ? 'FOUR_EYES_CONTRIBUTOR' : 'FOUR_EYES',
    {},
    {
      tenantId: w.tenantId,
      actor,
      action: 'warning.refused',
      subjectType: 'warning',
      subjectId: w.id,
      summary: { attempted, reason: 'four_eyes', why: reason, code: w.code, version: w.version },
      ip,
    },
  )
}

/**
 * A reason typed with a decision, made CAP-safe (it may reach the public: a cancellation's
 * reason is shown on the page): at least `min` characters, at most `max`, else `code`.
 */
export function reasonText(v: unknown, code: ErrorCode, min: number, max = 1000): string {
  const s = typeof v === 'string' ? plainText(v) : ''
  if (s.length < min || s.length > max) throw new AppError(code, { min, max })
  return s
}

/** An optional note of a publication (`warning_versions.change_note`, ≤ 2000 characters). */
export function changeNoteText(v: unknown): string | null {
  const s = typeof v === 'string' ? plainText(v) : ''
  if (s.length > 2000) throw new AppError('WARNING_INVALID', { field: 'changeNote', reason: 'too_long' })
  return s || null
}
