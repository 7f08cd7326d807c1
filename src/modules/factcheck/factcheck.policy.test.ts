/**
 * The verification desk's policy as a table: each role × action, one line. Claims have no
 * record-level rule: a claim is never linked to a case (release evidence can only be a
 * published release, which no sealed case holds), so the answer is the same for every claim,
 * and the table checks that it does not depend on the record either.
 */
import { describe, expect, it } from 'vitest'
import { type Actor, can, ROLES } from '../../platform/policy/index.ts'
import './factcheck.policy.ts'

const T = 'tenant-1'
const actor = (role: string): Actor => ({ id: 'me', tenantId: T, role, email: `${role}@x.vn` })

const ACTIONS = ['list', 'read', 'investigate', 'triage', 'set-severity', 'merge', 'draft-verdict', 'approve-verdict', 'report']

// One ability per line: role, action (on a claim), expected.
const TABLE: [string, string, boolean][] = [
  ['admin', 'list', true],
  ['admin', 'read', true],
  ['admin', 'investigate', true],
  ['admin', 'triage', true],
  ['admin', 'set-severity', false],
  ['admin', 'merge', true],
  ['admin', 'draft-verdict', true],
  ['admin', 'approve-verdict', false],
  ['admin', 'report', false],
  ['approver', 'list', true],
  ['approver', 'read', true],
  ['approver', 'investigate', true],
  ['approver', 'triage', true],
  ['approver', 'set-severity', true],
  ['approver', 'merge', true],
  ['approver', 'draft-verdict', true],
  ['approver', 'approve-verdict', true],
  ['approver', 'report', false],
  ['editor', 'list', true],
  ['editor', 'read', true],
  ['editor', 'investigate', true],
  ['editor', 'triage', true],
  ['editor', 'set-severity', true],
  ['editor', 'merge', true],
  ['editor', 'draft-verdict', true],
  ['editor', 'approve-verdict', false],
  ['editor', 'report', false],
  ['officer', 'list', true],
  ['officer', 'read', true],
  ['officer', 'investigate', true],
  ['officer', 'triage', false],
  ['officer', 'set-severity', false],
  ['officer', 'merge', false],
  ['officer', 'draft-verdict', true],
  ['officer', 'approve-verdict', false],
  ['officer', 'report', false],
  ['journalist', 'list', false],
  ['journalist', 'read', false],
  ['journalist', 'investigate', false],
  ['journalist', 'triage', false],
  ['journalist', 'set-severity', false],
  ['journalist', 'merge', false],
  ['journalist', 'draft-verdict', false],
  ['journalist', 'approve-verdict', false],
  ['journalist', 'report', true],
  ['influencer', 'list', false],
  ['influencer', 'read', false],
  ['influencer', 'investigate', false],
  ['influencer', 'triage', false],
  ['influencer', 'set-severity', false],
  ['influencer', 'merge', false],
  ['influencer', 'draft-verdict', false],
  ['influencer', 'approve-verdict', false],
  ['influencer', 'report', true],
]

// The desk's dashboard (SLA figures), one line per role.
const DASHBOARD: [string, boolean][] = [
  ['admin', true],
  ['approver', true],
  ['editor', true],
  ['officer', false],
  ['journalist', false],
  ['influencer', false],
]

describe('verification desk policy table', () => {
  it.each(TABLE)('%s may %s a claim: %s', (role, action, expected) => {
    expect(can(actor(role), action, 'claim')).toBe(expected)
    // Same answer whatever the claim: there is no record-level rule to leak through.
    expect(can(actor(role), action, { type: 'claim', tenantId: T, record: { status: 'open', caseId: 'sealed-case' } })).toBe(expected)
  })

  it.each(DASHBOARD)('%s may read the desk dashboard: %s', (role, expected) => {
    expect(can(actor(role), 'read', 'factcheck-dashboard')).toBe(expected)
  })

  it('the table has one line for every role × action', () => {
    const lines = new Set(TABLE.map(([role, action]) => `${role} ${action}`))
    expect(lines.size).toBe(TABLE.length)
    for (const role of ROLES) for (const action of ACTIONS) expect(lines.has(`${role} ${action}`), `${role} ${action}`).toBe(true)
  })

  it('never allows across tenants or without an actor', () => {
    expect(can(actor('approver'), 'approve-verdict', { type: 'claim', tenantId: 'other' })).toBe(false)
    expect(can(null, 'list', 'claim')).toBe(false)
  })
})
