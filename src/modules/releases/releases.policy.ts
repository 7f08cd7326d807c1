/**
 * Who may do what with releases. Record-level rules take the release with its linked
 * case: a release linked to a sealed case is visible only to that case's members, admins
 * included (the need-to-know rule `seesCase` of the cases policy). Four-eyes (no one who
 * submitted, wrote or changed the text of an edition may approve it) is a rule of the approve
 * commands, since it depends on the edition's contributors, not on the role.
 */
import { type Actor, allow, STAFF_ROLES, type Subject } from '../../platform/policy/index.ts'
import { seesCase } from '../cases/cases.policy.ts'

/** A release as the policy sees it. */
export interface ReleaseSubject {
  /** The linked case, if any, with its members. */
  case: { state: 'sealed' | 'cleared' | 'closed'; memberIds: readonly string[] } | null
}

const visible = (actor: Actor, s: Subject<ReleaseSubject>) => !!s.record && seesCase(actor, s.record.case)

const WRITERS = ['admin', 'editor', 'approver'] as const

allow(STAFF_ROLES, 'list', 'release')
allow(WRITERS, 'create', 'release')
allow<ReleaseSubject>(STAFF_ROLES, 'read', 'release', visible)
allow<ReleaseSubject>(WRITERS, 'edit', 'release', visible)
allow<ReleaseSubject>(WRITERS, 'submit', 'release', visible)
allow<ReleaseSubject>(WRITERS, 'upload', 'release', visible)
allow<ReleaseSubject>(['approver'], 'approve', 'release', visible)
allow<ReleaseSubject>(['approver'], 'reject', 'release', visible)
allow<ReleaseSubject>(['approver'], 'retro-approve', 'release', visible)
allow<ReleaseSubject>(['admin', 'editor', 'approver'], 'unschedule', 'release', visible)
allow<ReleaseSubject>(['admin', 'approver'], 'withdraw', 'release', visible)
allow<ReleaseSubject>(['admin'], 'force-publish', 'release', visible)
allow<ReleaseSubject>(['admin'], 'mark-gone', 'release', visible)
// Embargoed releases (`read-embargoed`) are granted in `portal/portal.policy.ts`: to a partner
// whose live record is accredited, never by role alone (a suspended journalist kept the role).
