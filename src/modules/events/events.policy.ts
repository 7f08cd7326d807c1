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
