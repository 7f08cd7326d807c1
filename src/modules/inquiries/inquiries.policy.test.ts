/** The inquiries policy, one ability per line (outline's policy tables). */
import { describe, expect, it } from 'vitest'
import { type Actor, can } from '../../platform/policy/index.ts'
import './inquiries.policy.ts'
import { partnerMayAsk } from './inquiries.policy.ts'

const tenantId = '00000000-0000-4000-8000-000000000001'
const actor = (role: string, id = `user-${role}`): Actor => ({ id, tenantId, role, email: `${role}@example.vn` })
const inquiry = (assigneeUserId: string | null) => ({ type: 'inquiry', tenantId, record: { assigneeUserId } })

describe('inquiries policy', () => {
  const table: [string, string, boolean][] = [
    ['admin', 'read', true],
    ['approver', 'read', true],
    ['editor', 'read', true],
    ['officer', 'read', true],
    ['journalist', 'read', false],
    ['influencer', 'read', false],
    ['officer', 'log', true],
    ['journalist', 'log', false],
    ['admin', 'assign', true],
    ['approver', 'assign', true],
    ['editor', 'assign', true],
    ['officer', 'assign', false],
    ['admin', 'configure', true],
    ['approver', 'configure', true],
    ['editor', 'configure', false],
    ['officer', 'configure', false],
    ['stranger', 'read', false],
  ]
  for (const [role, action, allowed] of table) {
    it(`${role} ${allowed ? 'may' : 'may not'} ${action} inquiries`, () => {
      expect(can(actor(role), action, inquiry(null))).toBe(allowed)
    })
  }

  const answers: [string, 'mine' | 'other' | 'none', boolean][] = [
    ['admin', 'none', true],
    ['approver', 'other', true],
    ['editor', 'mine', true],
    ['editor', 'other', false],
    ['officer', 'mine', true],
    ['officer', 'none', false],
    ['journalist', 'mine', false],
  ]
  for (const [role, assigned, allowed] of answers) {
    it(`${role} ${allowed ? 'may' : 'may not'} answer an inquiry assigned to ${assigned === 'mine' ? 'them' : assigned === 'other' ? 'someone else' : 'nobody'}`, () => {
      const a = actor(role)
      const assignee = assigned === 'mine' ? a.id : assigned === 'other' ? 'someone-else' : null
      expect(can(a, 'answer', inquiry(assignee))).toBe(allowed)
    })
  }

  it('never across tenants', () => {
    expect(can(actor('admin'), 'read', { type: 'inquiry', tenantId: '00000000-0000-4000-8000-000000000002' })).toBe(false)
  })

  it('verified and accredited partners ask; the others only read', () => {
    expect(partnerMayAsk('accredited')).toBe(true)
    expect(partnerMayAsk('verified')).toBe(true)
    for (const s of ['applied', 'more_info_needed', 'suspended', 'expired', 'revoked'] as const) expect(partnerMayAsk(s)).toBe(false)
  })
})
