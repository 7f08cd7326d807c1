/**
 * Sealed cases are need-to-know: a sealed case, and everything linked to it (releases,
 * delegations, audit rows), is visible only to its members. Admins are no exception: an
 * admin outside the circle gets in only by break-glass (`commands/break-glass.ts`: a written
 * reason, audited, the lead officer mailed), which makes them a member for a limited time.
 * A break-glass membership past its expiry is no membership at all: `activeMembershipSql`
 * says so for every reader of `case_members`. Once cleared (the clearance records its scope)
 * or closed, staff may see it. Clearance is recorded by an approver who is a member.
 *
 * `seesCase` is THE rule; `caseHiddenFromSql` is its SQL twin for lists (cases, releases,
 * the audit log, counters), and the policy tests check that both agree on every state.
 * Admins also see that the sealed cases they are not in exist ('see-existence': code, stage,
 * lead officer), and nothing more, until they break the glass.
 */
import { type AnyColumn, type SQL, sql } from 'drizzle-orm'
import { now } from '../../platform/clock.ts'
import { type Actor, allow, STAFF_ROLES, type Subject } from '../../platform/policy/index.ts'
import { caseMembers, cases } from './cases.tables.ts'

/** A case as the policy sees it. */
export interface CaseSubject {
  state: 'sealed' | 'cleared' | 'closed'
  memberIds: readonly string[]
  leadOfficerId: string | null
  /** Members who are in by break-glass (counted in memberIds while current). */
  breakGlassIds?: readonly string[]
}

/** What the need-to-know rule needs of a case: its state and its members. */
export interface NeedToKnowCase {
  state: 'sealed' | 'cleared' | 'closed'
  memberIds: readonly string[]
}

/**
 * The need-to-know rule: true when `actor` may see a case (or a record linked to it).
 * No case, or a case no longer sealed, is no restriction; a sealed case shows to its
 * members only, whatever their role.
 */
export function seesCase(actor: Actor, c: NeedToKnowCase | null | undefined): boolean {
  return c?.state !== 'sealed' || c.memberIds.includes(actor.id)
}

/**
 * SQL twin of `seesCase`, negated: true when the case whose id is `caseId` (a uuid
 * expression; NULL or an unknown id is no restriction) is sealed and `actor` is not one of
 * its members. Lists add `NOT caseHiddenFromSql(…)` to their where-clause, or use it to
 * mask a row's details.
 */
export function caseHiddenFromSql(actor: Actor, caseId: SQL | AnyColumn): SQL {
  // The aliases keep an outer `cases` reference (caseVisibleTo) pointing at the outer row.
  return sql`EXISTS (SELECT 1 FROM ${cases} hidden_case WHERE hidden_case.id = ${caseId} AND hidden_case.state = 'sealed'
    AND NOT EXISTS (SELECT 1 FROM ${caseMembers} hidden_member WHERE hidden_member.case_id = hidden_case.id AND hidden_member.user_id = ${actor.id}::uuid
      AND ${activeMembershipSql(sql.raw('hidden_member.expires_at'))}))`
}

/**
 * SQL: the membership row whose `expires_at` is `expiresAt` (default: the `case_members`
 * table's column) still counts: no expiry, or an expiry after the app clock's now. Every
 * reader of `case_members` adds it; the clock is ours (`now()`), not the database's, so
 * tests that move the clock move the expiry too.
 */
export function activeMembershipSql(expiresAt: SQL | AnyColumn = caseMembers.expiresAt): SQL {
  return sql`(${expiresAt} IS NULL OR ${expiresAt} > ${now().toISOString()}::timestamptz)`
}

const isMember = (actor: Actor, s: Subject<CaseSubject>) => !!s.record && s.record.memberIds.includes(actor.id)
const canSee = (actor: Actor, s: Subject<CaseSubject>) => !!s.record && seesCase(actor, s.record)

allow(['admin', 'approver', 'officer'], 'create', 'case')
allow(STAFF_ROLES, 'list', 'case')
allow<CaseSubject>(STAFF_ROLES, 'read', 'case', canSee)
// Members are managed by the lead officer, approvers who are members, and admins on a case
// they may see: on a sealed one outside their circle, only through break-glass (a written
// reason, audited, the lead told). Nobody adds themselves (`addCaseMember`), so break-glass
// access cannot be turned into a membership that outlives its expiry.
allow<CaseSubject>(['admin'], 'manage-members', 'case', canSee)
allow<CaseSubject>(
  ['officer', 'approver'],
  'manage-members',
  'case',
  (a, s) => isMember(a, s) && (s.record?.leadOfficerId === a.id || a.role === 'approver'),
)
// Break-glass: an admin's way into a sealed case outside their circle (the reason, audit and
// mail are the command's). Without a record it answers whether the role may use it at all
// (the form, the route's access); with one, only a sealed case the admin does not see.
allow<CaseSubject>(['admin'], 'break-glass', 'case', (a, s) => !s.record || (s.record.state === 'sealed' && !seesCase(a, s.record)))
// Existence: an admin sees that a sealed case outside their circle exists (code, stage, lead
// officer, on the case list) so that they know where break-glass applies; never its title,
// ground, members or releases. Without a record: whether the role gets that list at all.
// `caseExistenceOnlySql` is its SQL twin (need-to-know.test.ts checks that they agree).
allow<CaseSubject>(['admin'], 'see-existence', 'case', (a, s) => !s.record || (s.record.state === 'sealed' && !seesCase(a, s.record)))
allow<CaseSubject>(['officer', 'approver'], 'set-stage', 'case', isMember)
allow<CaseSubject>(['approver'], 'clear', 'case', (a, s) => isMember(a, s) && s.record?.state === 'sealed')
allow<CaseSubject>(['approver'], 'close', 'case', (a, s) => isMember(a, s) && s.record?.state === 'cleared')
