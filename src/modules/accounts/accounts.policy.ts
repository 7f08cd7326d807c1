/**
 * Who may do what with accounts. Deny by default: anything not listed here is refused. The
 * console's pages (audit log, outbox, portal) have their rules in `console/console.policy.ts`,
 * the content checks in `checks/checks.policy.ts`.
 */
import { type Actor, allow, type Subject } from '../../platform/policy/index.ts'

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
