/**
 * Who may do what with events:
 * - every staff member reads events, invitations and answers;
 * - editors, approvers and admins create and change events and send invitations;
 * - approvers and admins announce (publish to the schedule and invite) and cancel, since an
 *   announcement speaks for the office; they also set the cadence the dashboard watches.
 * Partners do not go through these rules: they reach only their own invitations, through
 * `requirePartner` and a where-clause on their partner id.
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(STAFF_ROLES, 'read', 'event')
allow(['editor', 'approver', 'admin'], 'edit', 'event')
allow(['approver', 'admin'], 'announce', 'event')
allow(['approver', 'admin'], 'cancel', 'event')
allow(['approver', 'admin'], 'configure', 'event')
// The door: every staff member may check people in (officers staff the doors).
allow(STAFF_ROLES, 'checkin', 'event')
// Live questions: editors, approvers and admins moderate; publishing the Q&A summary makes a
// draft release, which goes through the releases' four-eyes rule like any other.
allow(['editor', 'approver', 'admin'], 'moderate', 'event')
// Materials afterwards and withdrawing an invitation follow `edit`; the yearly recognition:
// approvers and admins adjust scores (with a written reason) and award certificates.
allow(['approver', 'admin'], 'recognize', 'partner')
