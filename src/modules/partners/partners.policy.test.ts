/**
 * The registry's policy and status machine as tables: one ability per line, and every
 * (from, to) pair of statuses with the answer.
 */
import { describe, expect, it } from 'vitest'
import { type Actor, can, ROLES } from '../../platform/policy/index.ts'
import './partners.policy.ts'
import { PARTNER_STATUSES, type PartnerStatus } from './partners.tables.ts'
import { canTransition, TRANSITION_ACTION } from './partners.workflow.ts'

const T = 'tenant-1'
const actor = (role: string): Actor => ({ id: 'me', tenantId: T, role, email: `${role}@x.vn` })
const ACTIONS = ['read', 'manage', 'merge', 'accredit', 'suspend', 'expire', 'revoke']

// role → the actions it may take on partners (everything else refused).
const ALLOWED: Record<string, string[]> = {
  admin: ['read', 'manage', 'merge', 'accredit', 'suspend', 'expire', 'revoke'],
  approver: ['read', 'manage', 'merge', 'accredit', 'suspend', 'expire', 'revoke'],
  editor: ['read', 'manage', 'merge'],
  officer: ['read'],
  journalist: [],
  influencer: [],
}

describe('partners policy', () => {
  const lines = ROLES.flatMap((role) => ACTIONS.map((action) => [role, action, (ALLOWED[role] ?? []).includes(action)] as const))
  it.each(lines)('%s %s → %s', (role, action, expected) => {
    expect(can(actor(role), action, { type: 'partner', tenantId: T })).toBe(expected)
    // Never across tenants.
    expect(can(actor(role), action, { type: 'partner', tenantId: 'other' })).toBe(false)
  })
})

// Every allowed transition; all other pairs are refused.
const ALLOWED_TRANSITIONS: [PartnerStatus, PartnerStatus][] = [
  ['applied', 'more_info_needed'],
  ['applied', 'verified'],
  ['applied', 'revoked'],
  ['more_info_needed', 'applied'],
  ['more_info_needed', 'revoked'],
  ['verified', 'accredited'],
  ['verified', 'more_info_needed'],
  ['verified', 'revoked'],
  ['accredited', 'suspended'],
  ['accredited', 'expired'],
  ['accredited', 'revoked'],
  ['suspended', 'accredited'],
  ['suspended', 'expired'],
  ['suspended', 'revoked'],
  ['expired', 'applied'],
  ['expired', 'revoked'],
]

/** Every (from, to) pair with whether the machine allows it. */
const TRANSITION_TABLE = PARTNER_STATUSES.flatMap((from) =>
  PARTNER_STATUSES.map((to) => [from, to, ALLOWED_TRANSITIONS.some(([f, t]) => f === from && t === to)] as const),
)

describe('partner status machine', () => {
  it.each(TRANSITION_TABLE)('%s → %s: %s', (from, to, expected) => {
    expect(canTransition(from, to)).toBe(expected)
  })
  it('revoked is final', () => {
    expect(PARTNER_STATUSES.filter((to) => canTransition('revoked', to))).toEqual([])
  })
  it('only approvers and admins may accredit, suspend, expire or revoke', () => {
    for (const to of ['accredited', 'suspended', 'expired', 'revoked'] as const) {
      expect(can(actor('editor'), TRANSITION_ACTION[to], { type: 'partner', tenantId: T })).toBe(false)
      expect(can(actor('approver'), TRANSITION_ACTION[to], { type: 'partner', tenantId: T })).toBe(true)
    }
    for (const to of ['applied', 'more_info_needed', 'verified'] as const) {
      expect(can(actor('editor'), TRANSITION_ACTION[to], { type: 'partner', tenantId: T })).toBe(true)
    }
  })
})
