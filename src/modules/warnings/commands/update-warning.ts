import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning, type WarningRow } from '../warnings.repository.ts'
import { warnings } from '../warnings.tables.ts'
import type { WarningActor } from './command-kit.ts'
import { type WarningInput, workingCopyColumns } from './warning-input.ts'

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i])
const sameTime = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null)

/** The fields of the working copy that `input` changes (names as in `WarningInput`). */
export function changedFields(w: WarningRow, i: WarningInput): string[] {
  const out: string[] = []
  const scalar = [
    'kind',
    'level',
    'capStatus',
    'titleVi',
    'descriptionVi',
    'instructionVi',
    'titleEn',
    'descriptionEn',
    'instructionEn',
    'wholeProvince',
    'legalBasis',
  ] as const
  for (const k of scalar) if (w[k] !== i[k]) out.push(k)
  if (!sameList(w.communes, i.wholeProvince ? [] : i.communes)) out.push('communes')
  if (!sameTime(w.validFrom, i.validFrom)) out.push('validFrom')
  if (!sameTime(w.validUntil, i.validUntil)) out.push('validUntil')
  if (!sameList(w.patterns, i.patterns)) out.push('patterns')
  if (!sameList(w.links, i.links)) out.push('links')
  if ((w.consentAt !== null) !== i.consentGiven || (i.consentGiven && w.consentNote !== i.consentNote)) out.push('consent')
  return out
}

/**
 * Changes the working copy of a draft or an active warning (the update to publish next). A
 * change withdraws a pending submission (the approver must see what they approve) and makes
 * the actor a contributor (four-eyes). The kind is fixed once published. Nothing changed →
 * nothing written. Audited 'warning.updated' with the changed field names.
 */
export async function updateWarning(o: {
  tx: Tx
  tenantId: string
  actor: WarningActor
  /** The warning's id. */
  id: string
  /** The checked working copy (`parseWarningInput`). */
  input: WarningInput
  ip?: string
}): Promise<WarningRow> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (w.state !== 'draft' && w.state !== 'active') throw new AppError('WARNING_STATE', { state: w.state })
  const i = o.input
  if (w.version >= 1 && i.kind !== w.kind) throw new AppError('WARNING_INVALID', { field: 'kind', reason: 'fixed_after_publication' })
  const changed = changedFields(w, i)
  if (changed.length === 0) return w
  const at = now()
  // Consent keeps its first record while it stands unchanged; a new note is a new record.
  const consentKept = i.consentGiven && w.consentAt !== null && w.consentNote === i.consentNote
  const [row] = await o.tx
    .update(warnings)
    .set({
      ...workingCopyColumns(i),
      consentNote: i.consentGiven ? i.consentNote : null,
      consentAt: i.consentGiven ? (consentKept ? w.consentAt : at) : null,
      consentRecordedBy: i.consentGiven ? (consentKept ? w.consentRecordedBy : o.actor.id) : null,
      dirty: true,
      review: 'none',
      submittedBy: null,
      submittedAt: null,
      contributors: w.contributors.includes(o.actor.id) ? w.contributors : [...w.contributors, o.actor.id],
      updatedAt: at,
    })
    .where(eq(warnings.id, w.id))
    .returning()
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.updated',
    subjectType: 'warning',
    subjectId: w.id,
    summary: { code: w.code, state: w.state, changed, withdrewSubmission: w.review === 'submitted' },
    ip: o.ip,
  })
  return row as WarningRow
}
