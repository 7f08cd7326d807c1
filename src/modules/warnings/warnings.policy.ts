/**
 * Who may do what with warnings:
 * - every staff member reads warnings and drafts them (officers on the ground write most scam
 *   warnings), changes a working copy and submits it for approval;
 * - approvers approve (four-eyes: never who submitted or wrote the working copy), publish
 *   alone on the urgent path (an Alert cannot wait) and confirm another approver's urgent
 *   publication afterwards; approvers and admins cancel;
 * - editors, approvers and admins close a warning about a person (found, arrested): taking a
 *   person down must never wait.
 * Four-eyes and the urgent path's second approver are rules of the commands (they depend on
 * the warning's contributors, not on the role).
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(STAFF_ROLES, 'read', 'warning')
allow(STAFF_ROLES, 'create', 'warning')
allow(STAFF_ROLES, 'edit', 'warning')
allow(STAFF_ROLES, 'submit', 'warning')
allow(['approver'], 'approve', 'warning')
allow(['approver'], 'reject', 'warning')
allow(['approver'], 'publish-urgent', 'warning')
allow(['approver'], 'retro-approve', 'warning')
allow(['approver', 'admin'], 'cancel', 'warning')
allow(['editor', 'approver', 'admin'], 'close', 'warning')
