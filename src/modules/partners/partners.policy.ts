/**
 * Who may do what with the partners registry:
 * - every staff member (officers included) may read it;
 * - editors, approvers and admins manage it: add outlets and partners, record an
 *   acknowledgement, ask for more information, verify, take a resubmission, merge duplicates;
 * - only approvers and admins accredit (and reinstate), suspend, expire and revoke: these
 *   decide what a partner may see of embargoed material.
 * Partners themselves get nothing here (their portal has its own rules).
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(STAFF_ROLES, 'read', 'partner')
allow(['editor', 'approver', 'admin'], 'manage', 'partner')
allow(['editor', 'approver', 'admin'], 'merge', 'partner')
allow(['approver', 'admin'], 'accredit', 'partner')
allow(['approver', 'admin'], 'suspend', 'partner')
allow(['approver', 'admin'], 'expire', 'partner')
allow(['approver', 'admin'], 'revoke', 'partner')
// Import writes many records at once; export carries everyone's personal data (Law 91/2025):
// both for those who manage the registry, not for officers who only read it.
allow(['editor', 'approver', 'admin'], 'import', 'partner')
allow(['editor', 'approver', 'admin'], 'export', 'partner')
