/**
 * The partner status machine, as one table: from → the statuses it may go to, and the policy
 * action each target needs. Everything not listed is refused.
 */
import type { PartnerStatus } from './partners.tables.ts'

/** Allowed transitions. `revoked` is final. */
export const PARTNER_TRANSITIONS: Readonly<Record<PartnerStatus, readonly PartnerStatus[]>> = {
  // Staff ask for more, verify the identity, or refuse outright.
  applied: ['more_info_needed', 'verified', 'revoked'],
  // The applicant resubmits (back to applied), or staff give up.
  more_info_needed: ['applied', 'revoked'],
  verified: ['accredited', 'more_info_needed', 'revoked'],
  accredited: ['suspended', 'expired', 'revoked'],
  // Reinstatement goes straight back to accredited; a suspended card may still run out.
  suspended: ['accredited', 'expired', 'revoked'],
  // A renewal is a new application on the same record (history kept).
  expired: ['applied', 'revoked'],
  revoked: [],
}

/**
 * The policy action needed to move a partner *to* a status (rules in `partners.policy.ts`):
 * accrediting, suspending, expiring and revoking are approvers' and admins' decisions.
 */
export const TRANSITION_ACTION: Readonly<Record<PartnerStatus, string>> = {
  applied: 'manage',
  more_info_needed: 'manage',
  verified: 'manage',
  accredited: 'accredit',
  suspended: 'suspend',
  expired: 'expire',
  revoked: 'revoke',
}

/** True when `from → to` is in the table. */
export function canTransition(from: PartnerStatus, to: PartnerStatus): boolean {
  return PARTNER_TRANSITIONS[from].includes(to)
}

/** Minimum length of the written reason of a status change. */
export const STATUS_REASON_MIN = 10
