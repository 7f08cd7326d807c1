/**
 * Sealed cases are need-to-know: a sealed case, and everything linked to it, is visible
 * only to its members (approvers among them) and to admins. Once cleared or closed, staff
 * may see it. Clearance is recorded by an approver who is a member.
 */
import { type Actor, allow, STAFF_ROLES, type Subject } from '../../platform/policy/index.ts'

/** A case as the policy sees it. */
export interface CaseSubject {
  state: 'sealed' | 'cleared' | 'closed'
  memberIds: readonly string[]
  leadOfficerId: string | null
}

const isMember = (actor: Actor, s: Subject<CaseSubject>) => !!s.record && s.record.memberIds.includes(actor.id)
const canSee = (actor: Actor, s: Subject<CaseSubject>) =>
  !!s.record && (actor.role === 'admin' || s.record.state !== 'sealed' || isMember(actor, s))

allow(['admin', 'approver', 'officer'], 'create', 'case')
allow(STAFF_ROLES, 'list', 'case')
allow<CaseSubject>(STAFF_ROLES, 'read', 'case', canSee)
// Members are managed by the lead officer, approvers who are members, and admins.
allow<CaseSubject>(['admin'], 'manage-members', 'case')
allow<CaseSubject>(['officer', 'approver'], 'manage-members', 'case', (a, s) => isMember(a, s) && (s.record?.leadOfficerId === a.id || a.role === 'approver'))
allow<CaseSubject>(['officer', 'approver'], 'set-stage', 'case', isMember)
allow<CaseSubject>(['approver'], 'clear', 'case', (a, s) => isMember(a, s) && s.record?.state === 'sealed')
allow<CaseSubject>(['approver'], 'close', 'case', (a, s) => isMember(a, s) && s.record?.state === 'cleared')
