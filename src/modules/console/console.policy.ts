/**
 * Who may see the console's shared pages: the console itself (staff), the audit log (admins
 * and approvers), the mail outbox (admins) and the minimal partner portal (journalists and
 * influencers). Deny by default: anything not listed is refused.
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(['admin', 'approver'], 'read', 'audit')
allow(['admin'], 'read', 'outbox')

allow(STAFF_ROLES, 'read', 'console')
allow(['journalist', 'influencer'], 'read', 'portal')
