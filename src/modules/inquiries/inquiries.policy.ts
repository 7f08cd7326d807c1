/**
 * Who may do what with press inquiries:
 * - every staff member reads them all (the desk must see what is due), logs one received by
 *   phone or e-mail, and links a case they can see (a sealed case's details stay need-to-know:
 *   `seesCase` decides what each reader sees of a linked case);
 * - editors, approvers and admins assign them (to a spokesperson of the register and/or an
 *   officer);
 * - approvers and admins answer or refuse any open inquiry; editors and officers answer or
 *   refuse only one assigned to them (the officer who did the work gives the answer, the
 *   named spokesperson is recorded beside them);
 * - approvers and admins (the head of the office) keep the holiday calendar and the clocks.
 * Partners do not go through these rules: they reach only their own inquiries, through
 * `requirePartner` and a where-clause on their partner id (a foreign id answers 404). A partner
 * asks while verified or accredited; a suspended, expired or revoked partner (or one still
 * applying) may read their past questions and answers but may not ask new ones.
 */
import { type Actor, allow, STAFF_ROLES, type Subject } from '../../platform/policy/index.ts'
import type { PartnerStatus } from '../partners/partners.tables.ts'

/** An inquiry as the policy sees it. */
export interface InquirySubject {
  assigneeUserId: string | null
}

const assignedToActor = (actor: Actor, s: Subject<InquirySubject>) => !!s.record && s.record.assigneeUserId === actor.id

allow(STAFF_ROLES, 'read', 'inquiry')
allow(STAFF_ROLES, 'log', 'inquiry')
allow(STAFF_ROLES, 'link-case', 'inquiry')
allow(['editor', 'approver', 'admin'], 'assign', 'inquiry')
allow(['approver', 'admin'], 'answer', 'inquiry')
allow<InquirySubject>(['editor', 'officer'], 'answer', 'inquiry', assignedToActor)
allow(['approver', 'admin'], 'configure', 'inquiry')

/** Partner statuses that may ask a new question (the others may still read their own). */
export const ASKING_STATUSES: readonly PartnerStatus[] = ['verified', 'accredited']

/** True when a partner in `status` may ask a new question. */
export function partnerMayAsk(status: PartnerStatus): boolean {
  return ASKING_STATUSES.includes(status)
}
