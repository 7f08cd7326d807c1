/**
 * Who may do what with the spokesperson register: approvers and admins keep it (people,
 * titles, delegations); every staff member may read it, partners may not.
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(['admin', 'approver'], 'manage', 'spokesperson')
allow(STAFF_ROLES, 'list', 'spokesperson')
