/** What the deciding commands (assign, answer, refuse, withdraw) share. */
import type { Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize, can, type Subject } from '../../../platform/policy/index.ts'
import type { InquirySubject } from '../inquiries.policy.ts'
import { lockInquiry } from '../inquiries.repository.ts'
import { type InquiryRow, OPEN_STATUSES } from '../inquiries.tables.ts'

/** The policy subject of an inquiry. */
export function inquirySubject(i: Pick<InquiryRow, 'tenantId' | 'assigneeUserId'>): Subject<InquirySubject> {
  return { type: 'inquiry', tenantId: i.tenantId, record: { assigneeUserId: i.assigneeUserId } }
}

/** Locks an inquiry that must still be open (received or assigned): 404 when missing, 409 when closed. */
export async function lockOpenInquiry(tx: Tx, tenantId: string, id: string): Promise<InquiryRow> {
  const row = await lockInquiry(tx, tenantId, id)
  if (!row) throw new AppError('NOT_FOUND')
  if (!(OPEN_STATUSES as readonly string[]).includes(row.status)) throw new AppError('INQUIRY_CLOSED', { status: row.status })
  return row
}

/** The public link of an inquiry for its asker (the portal page for a partner; else the site). */
export function askerLink(publicUrl: string, i: Pick<InquiryRow, 'id' | 'partnerId'>): string {
  return i.partnerId ? `${publicUrl}/doi-tac/cau-hoi/${i.id}` : publicUrl
}

/**
 * May `actor` answer or refuse `inquiry`? Editors and officers who may answer only what is
 * assigned to them hear that reason (403 INQUIRY_NOT_ASSIGNED_TO_YOU); anyone else a plain 403.
 */
export function authorizeAnswer(actor: Actor, inquiry: Pick<InquiryRow, 'tenantId' | 'assigneeUserId'>): void {
  const subject = inquirySubject(inquiry)
  if (can(actor, 'answer', subject)) return
  if (actor.role === 'editor' || actor.role === 'officer') throw new AppError('INQUIRY_NOT_ASSIGNED_TO_YOU')
  authorize(actor, 'answer', subject)
}
