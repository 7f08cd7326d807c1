/**
 * The releases policy as a table: each role × action, one line, with the answer for a
 * release with no case, linked to a sealed case (as a member or an outsider), to a cleared
 * case and to a closed one. Admins get no bypass of a sealed case.
 */
import { describe, expect, it } from 'vitest'
import { type Actor, can, ROLES } from '../../platform/policy/index.ts'
import { seesCase } from '../cases/cases.policy.ts'
import type { ReleaseSubject } from './releases.policy.ts'
import './releases.policy.ts'
// The spokesperson rules moved to their module's policy; the test below still checks them.
import '../spokespersons/spokespersons.policy.ts'

const T = 'tenant-1'
const ME = 'me'
const actor = (role: string): Actor => ({ id: ME, tenantId: T, role, email: `${role}@x.vn` })

const SITUATIONS: Record<string, ReleaseSubject> = {
  'no case': { case: null },
  'sealed case, member': { case: { state: 'sealed', memberIds: ['lead', ME] } },
  'sealed case, outsider': { case: { state: 'sealed', memberIds: ['lead'] } },
  'cleared case, outsider': { case: { state: 'cleared', memberIds: ['lead'] } },
  'closed case, outsider': { case: { state: 'closed', memberIds: ['lead'] } },
}
const ACTIONS = [
  'list',
  'create',
  'read',
  'edit',
  'submit',
  'upload',
  'approve',
  'reject',
  'retro-approve',
  'unschedule',
  'withdraw',
  'force-publish',
  'mark-gone',
  'read-embargoed',
]

// One ability per line: role, action, then Y/N for each situation:
//                                 none  sealed     cleared closed
//                                       mem  out   out     out
const TABLE: [string, string, string][] = [
  ['admin', 'list', '            Y     Y    Y     Y       Y'],
  ['admin', 'create', '          Y     Y    Y     Y       Y'],
  ['admin', 'read', '            Y     Y    N     Y       Y'],
  ['admin', 'edit', '            Y     Y    N     Y       Y'],
  ['admin', 'submit', '          Y     Y    N     Y       Y'],
  ['admin', 'upload', '          Y     Y    N     Y       Y'],
  ['admin', 'approve', '         N     N    N     N       N'],
  ['admin', 'reject', '          N     N    N     N       N'],
  ['admin', 'retro-approve', '   N     N    N     N       N'],
  ['admin', 'unschedule', '      Y     Y    N     Y       Y'],
  ['admin', 'withdraw', '        Y     Y    N     Y       Y'],
  ['admin', 'force-publish', '   Y     Y    N     Y       Y'],
  ['admin', 'mark-gone', '       Y     Y    N     Y       Y'],
  ['admin', 'read-embargoed', '  N     N    N     N       N'],
  ['approver', 'list', '         Y     Y    Y     Y       Y'],
  ['approver', 'create', '       Y     Y    Y     Y       Y'],
  ['approver', 'read', '         Y     Y    N     Y       Y'],
  ['approver', 'edit', '         Y     Y    N     Y       Y'],
  ['approver', 'submit', '       Y     Y    N     Y       Y'],
  ['approver', 'upload', '       Y     Y    N     Y       Y'],
  ['approver', 'approve', '      Y     Y    N     Y       Y'],
  ['approver', 'reject', '       Y     Y    N     Y       Y'],
  ['approver', 'retro-approve', 'Y     Y    N     Y       Y'],
  ['approver', 'unschedule', '   Y     Y    N     Y       Y'],
  ['approver', 'withdraw', '     Y     Y    N     Y       Y'],
  ['approver', 'force-publish', 'N     N    N     N       N'],
  ['approver', 'mark-gone', '    N     N    N     N       N'],
  ['approver', 'read-embargoed', 'N    N    N     N       N'],
  ['editor', 'list', '           Y     Y    Y     Y       Y'],
  ['editor', 'create', '         Y     Y    Y     Y       Y'],
  ['editor', 'read', '           Y     Y    N     Y       Y'],
  ['editor', 'edit', '           Y     Y    N     Y       Y'],
  ['editor', 'submit', '         Y     Y    N     Y       Y'],
  ['editor', 'upload', '         Y     Y    N     Y       Y'],
  ['editor', 'approve', '        N     N    N     N       N'],
  ['editor', 'reject', '         N     N    N     N       N'],
  ['editor', 'retro-approve', '  N     N    N     N       N'],
  ['editor', 'unschedule', '     Y     Y    N     Y       Y'],
  ['editor', 'withdraw', '       N     N    N     N       N'],
  ['editor', 'force-publish', '  N     N    N     N       N'],
  ['editor', 'mark-gone', '      N     N    N     N       N'],
  ['editor', 'read-embargoed', ' N     N    N     N       N'],
  ['officer', 'list', '          Y     Y    Y     Y       Y'],
  ['officer', 'create', '        N     N    N     N       N'],
  ['officer', 'read', '          Y     Y    N     Y       Y'],
  ['officer', 'edit', '          N     N    N     N       N'],
  ['officer', 'submit', '        N     N    N     N       N'],
  ['officer', 'upload', '        N     N    N     N       N'],
  ['officer', 'approve', '       N     N    N     N       N'],
  ['officer', 'reject', '        N     N    N     N       N'],
  ['officer', 'retro-approve', ' N     N    N     N       N'],
  ['officer', 'unschedule', '    N     N    N     N       N'],
  ['officer', 'withdraw', '      N     N    N     N       N'],
  ['officer', 'force-publish', ' N     N    N     N       N'],
  ['officer', 'mark-gone', '     N     N    N     N       N'],
  ['officer', 'read-embargoed', 'N     N    N     N       N'],
  ['journalist', 'list', '       N     N    N     N       N'],
  ['journalist', 'create', '     N     N    N     N       N'],
  ['journalist', 'read', '       N     N    N     N       N'],
  ['journalist', 'edit', '       N     N    N     N       N'],
  ['journalist', 'submit', '     N     N    N     N       N'],
  ['journalist', 'upload', '     N     N    N     N       N'],
  ['journalist', 'approve', '    N     N    N     N       N'],
  ['journalist', 'reject', '     N     N    N     N       N'],
  ['journalist', 'retro-approve', 'N    N    N     N       N'],
  ['journalist', 'unschedule', ' N     N    N     N       N'],
  ['journalist', 'withdraw', '   N     N    N     N       N'],
  ['journalist', 'force-publish', 'N    N    N     N       N'],
  ['journalist', 'mark-gone', '  N     N    N     N       N'],
  // The role alone never grants the embargo: portal/portal.policy.ts asks for the live,
  // accredited partner record (portal.policy.test.ts), which a release record does not carry.
  ['journalist', 'read-embargoed', 'N    N    N     N       N'],
  ['influencer', 'list', '       N     N    N     N       N'],
  ['influencer', 'create', '     N     N    N     N       N'],
  ['influencer', 'read', '       N     N    N     N       N'],
  ['influencer', 'edit', '       N     N    N     N       N'],
  ['influencer', 'submit', '     N     N    N     N       N'],
  ['influencer', 'upload', '     N     N    N     N       N'],
  ['influencer', 'approve', '    N     N    N     N       N'],
  ['influencer', 'reject', '     N     N    N     N       N'],
  ['influencer', 'retro-approve', 'N    N    N     N       N'],
  ['influencer', 'unschedule', ' N     N    N     N       N'],
  ['influencer', 'withdraw', '   N     N    N     N       N'],
  ['influencer', 'force-publish', 'N    N    N     N       N'],
  ['influencer', 'mark-gone', '  N     N    N     N       N'],
  ['influencer', 'read-embargoed', 'N    N    N     N       N'],
]

const cells = TABLE.flatMap(([role, action, answers]) => {
  const yn = answers.trim().split(/\s+/)
  if (yn.length !== Object.keys(SITUATIONS).length) throw new Error(`${role} ${action}: ${yn.length} answers`)
  return Object.keys(SITUATIONS).map((situation, i) => [role, action, situation, yn[i] === 'Y'] as const)
})

describe('releases policy table', () => {
  it.each(cells)('%s may %s a release (%s): %s', (role, action, situation, expected) => {
    const record = SITUATIONS[situation] as ReleaseSubject
    expect(can(actor(role), action, { type: 'release', tenantId: T, record })).toBe(expected)
  })

  it('the table has one line for every role × action', () => {
    const lines = new Set(TABLE.map(([role, action]) => `${role} ${action}`))
    expect(lines.size).toBe(TABLE.length)
    for (const role of ROLES) for (const action of ACTIONS) expect(lines.has(`${role} ${action}`), `${role} ${action}`).toBe(true)
  })

  it('read is exactly the need-to-know rule of the linked case for every staff role', () => {
    for (const role of ['admin', 'editor', 'approver', 'officer'])
      for (const record of Object.values(SITUATIONS))
        expect(can(actor(role), 'read', { type: 'release', tenantId: T, record })).toBe(seesCase(actor(role), record.case))
  })

  it('spokespersons: approvers and admins manage, staff list, partners nothing', () => {
    expect(can(actor('admin'), 'manage', 'spokesperson')).toBe(true)
    expect(can(actor('approver'), 'manage', 'spokesperson')).toBe(true)
    expect(can(actor('editor'), 'manage', 'spokesperson')).toBe(false)
    expect(can(actor('officer'), 'manage', 'spokesperson')).toBe(false)
    expect(can(actor('officer'), 'list', 'spokesperson')).toBe(true)
    expect(can(actor('journalist'), 'list', 'spokesperson')).toBe(false)
  })

  it('record-level actions need the record, and never cross tenants', () => {
    expect(can(actor('approver'), 'read', 'release')).toBe(false)
    expect(can(actor('admin'), 'read', { type: 'release', tenantId: 'other', record: { case: null } })).toBe(false)
  })
})
