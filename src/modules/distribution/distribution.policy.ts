/**
 * Who may do what with distribution:
 * - every staff member reads lists, an item's deliveries and progress, and coverage (the office
 *   must see what reached whom and what partners published);
 * - editors, approvers and admins build lists, choose an item's lists, retry failed deliveries,
 *   add coverage found by staff and send a correction request (a request is the office's
 *   word to a partner, so officers do not send it);
 * - approvers and admins trace a leak (it names a person) and re-enable a disabled endpoint.
 * Partners do not go through these rules: they reach only their own inbox, preferences,
 * endpoints and coverage, through `requirePartner` and a where-clause on their partner id.
 */
import { allow, STAFF_ROLES } from '../../platform/policy/index.ts'

allow(STAFF_ROLES, 'read', 'distribution')
allow(['editor', 'approver', 'admin'], 'manage', 'distribution')
allow(['approver', 'admin'], 'trace', 'distribution')
allow(['approver', 'admin'], 'reenable-webhook', 'distribution')
allow(STAFF_ROLES, 'read', 'coverage')
allow(['editor', 'approver', 'admin'], 'add', 'coverage')
allow(['editor', 'approver', 'admin'], 'request-correction', 'coverage')
