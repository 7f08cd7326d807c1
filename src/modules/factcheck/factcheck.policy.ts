/**
 * Who may do what on the verification desk. The public submits without an account;
 * partners report from the portal; staff investigate; approvers approve verdicts (four-eyes
 * is a rule of the approve command).
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(STAFF_ROLES, 'list', 'claim')
allow(STAFF_ROLES, 'read', 'claim')
allow(STAFF_ROLES, 'investigate', 'claim')
allow(['admin', 'editor', 'approver'], 'triage', 'claim')
// A severity set by hand overrides the automatic triage and the SLA: the desk's editors and approvers.
allow(['editor', 'approver'], 'set-severity', 'claim')
allow(['admin', 'editor', 'approver'], 'merge', 'claim')
allow(['admin', 'editor', 'approver', 'officer'], 'draft-verdict', 'claim')
allow(['approver'], 'approve-verdict', 'claim')
allow(['journalist', 'influencer'], 'report', 'claim')
allow(['admin', 'approver', 'editor'], 'read', 'factcheck-dashboard')
