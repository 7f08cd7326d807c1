import { eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { caseSubject, unsafeLoadCase } from '../../cases/cases.repository.ts'
import { recordInquiryEvent } from '../inquiries.history.ts'
import { lockInquiry } from '../inquiries.repository.ts'
import { inquiries } from '../inquiries.tables.ts'

/** A case id `actor` may see; a hidden or missing one is refused as not found (need-to-know). */
export async function visibleCaseId(db: Db | Tx, actor: Actor, id: string): Promise<string> {
  const c = await unsafeLoadCase(db, actor.tenantId, id)
  if (!c) throw new AppError('NOT_FOUND')
  authorize(actor, 'read', caseSubject(c), { hideExistence: true })
  return c.case.id
}

/**
 * Links an inquiry to a case the actor may see (or unlinks it with null). The history and the
 * audit row keep the case id, never its code or title (the audit log masks rows of sealed
 * cases by id for readers outside the circle).
 */
export async function linkInquiryCase(o: { tx: Tx; actor: Actor; inquiryId: string; caseId: string | null; ip?: string }): Promise<void> {
  authorize(o.actor, 'link-case', { type: 'inquiry', tenantId: o.actor.tenantId })
  const inquiry = await lockInquiry(o.tx, o.actor.tenantId, o.inquiryId)
  if (!inquiry) throw new AppError('NOT_FOUND')
  // Replacing a link to a case the actor cannot see would let them probe or undo need-to-know.
  if (inquiry.caseId) await visibleCaseId(o.tx, o.actor, inquiry.caseId)
  const caseId = o.caseId ? await visibleCaseId(o.tx, o.actor, o.caseId) : null
  await o.tx.update(inquiries).set({ caseId, updatedAt: now() }).where(eq(inquiries.id, inquiry.id))
  const actor = { id: o.actor.id, label: o.actor.email }
  await recordInquiryEvent(o.tx, { tenantId: o.actor.tenantId, inquiryId: inquiry.id, type: 'case_linked', actor, detail: { caseId } })
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor,
    action: 'inquiry.case_linked',
    subjectType: 'case',
    subjectId: caseId ?? inquiry.caseId,
    summary: { inquiryId: inquiry.id, code: inquiry.code, caseId, previousCaseId: inquiry.caseId },
    ip: o.ip,
  })
}
