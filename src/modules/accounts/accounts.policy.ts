/**
 * Who may do what with accounts, the audit log and the outbox. Deny by default: anything
 * not listed here is refused.
 */
import { type Actor, allow, STAFF_ROLES, type Subject } from '../../platform/policy/index.ts'

/** A user record as the policy sees it. */
export interface UserSubject {
  id: string
  role: string
}

const notSelf = (actor: Actor, s: Subject<UserSubject>) => s.record !== undefined && s.record.id !== actor.id

allow(['admin'], 'list', 'user')
allow(['admin'], 'invite', 'user')
// An admin cannot change their own role or disable themselves (no accidental lock-out).
allow<UserSubject>(['admin'], 'change-role', 'user', notSelf)
allow<UserSubject>(['admin'], 'disable', 'user', notSelf)
allow<UserSubject>(['admin'], 'enable', 'user', notSelf)

allow(['admin', 'approver'], 'read', 'audit')
allow(['admin'], 'read', 'outbox')

allow(STAFF_ROLES, 'read', 'console')
allow(['journalist', 'influencer'], 'read', 'portal')

// The live content-check panel of the editors.
allow(STAFF_ROLES, 'use', 'checks')
