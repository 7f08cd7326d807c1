/**
 * The cases policy as a table: each role × action, one line, with the answer in each
 * situation of the record (sealed / cleared / closed; lead, member or outsider). Admins get
 * no bypass: a sealed case shows to its members only; an admin outside the circle sees that
 * it exists (code, stage, lead: 'see-existence') and may break the glass (and then reads as a
 * member, without managing the circle).
 */
import { describe, expect, it } from 'vitest'
import { type Actor, can, ROLES } from '../../platform/policy/index.ts'
import { type CaseSubject, seesCase } from './cases.policy.ts'

const T = 'tenant-1'
const ME = 'me'
const actor = (role: string): Actor => ({ id: ME, tenantId: T, role, email: `${role}@x.vn` })

/** The situations of the record, in the order of the table's columns. */
const SITUATIONS: Record<string, CaseSubject> = {
  'sealed, lead': { state: 'sealed', memberIds: [ME, 'lead-2'], leadOfficerId: ME },
  'sealed, member': { state: 'sealed', memberIds: ['lead-2', ME], leadOfficerId: 'lead-2' },
  'sealed, outsider': { state: 'sealed', memberIds: ['lead-2'], leadOfficerId: 'lead-2' },
  'cleared, member': { state: 'cleared', memberIds: ['lead-2', ME], leadOfficerId: 'lead-2' },
  'cleared, outsider': { state: 'cleared', memberIds: ['lead-2'], leadOfficerId: 'lead-2' },
  'closed, member': { state: 'closed', memberIds: ['lead-2', ME], leadOfficerId: 'lead-2' },
  'closed, outsider': { state: 'closed', memberIds: ['lead-2'], leadOfficerId: 'lead-2' },
}
const ACTIONS = ['create', 'list', 'read', 'manage-members', 'set-stage', 'clear', 'close', 'break-glass', 'see-existence']

// One ability per line: role, action, then Y/N for each situation:
//                                  sealed          cleared   closed
//                                  lead mem  out   mem  out  mem  out
const TABLE: [string, string, string][] = [
  ['admin', 'create', '          Y    Y    Y     Y    Y    Y    Y'],
  ['admin', 'list', '            Y    Y    Y     Y    Y    Y    Y'],
  ['admin', 'read', '            Y    Y    N     Y    Y    Y    Y'],
  ['admin', 'manage-members', '  Y    Y    N     Y    Y    Y    Y'],
  ['admin', 'set-stage', '       N    N    N     N    N    N    N'],
  ['admin', 'clear', '           N    N    N     N    N    N    N'],
  ['admin', 'close', '           N    N    N     N    N    N    N'],
  ['admin', 'break-glass', '       N    N    Y     N    N    N    N'],
  ['admin', 'see-existence', '     N    N    Y     N    N    N    N'],
  ['approver', 'create', '       Y    Y    Y     Y    Y    Y    Y'],
  ['approver', 'list', '         Y    Y    Y     Y    Y    Y    Y'],
  ['approver', 'read', '         Y    Y    N     Y    Y    Y    Y'],
  ['approver', 'manage-members', 'Y    Y    N     Y    N    Y    N'],
  ['approver', 'set-stage', '    Y    Y    N     Y    N    Y    N'],
  ['approver', 'clear', '        Y    Y    N     N    N    N    N'],
  ['approver', 'close', '        N    N    N     Y    N    N    N'],
  ['approver', 'break-glass', '    N    N    N     N    N    N    N'],
  ['approver', 'see-existence', '  N    N    N     N    N    N    N'],
  ['officer', 'create', '        Y    Y    Y     Y    Y    Y    Y'],
  ['officer', 'list', '          Y    Y    Y     Y    Y    Y    Y'],
  ['officer', 'read', '          Y    Y    N     Y    Y    Y    Y'],
  ['officer', 'manage-members', 'Y    N    N     N    N    N    N'],
  ['officer', 'set-stage', '     Y    Y    N     Y    N    Y    N'],
  ['officer', 'clear', '         N    N    N     N    N    N    N'],
  ['officer', 'close', '         N    N    N     N    N    N    N'],
  ['officer', 'break-glass', '     N    N    N     N    N    N    N'],
  ['officer', 'see-existence', '  N    N    N     N    N    N    N'],
  ['editor', 'create', '         N    N    N     N    N    N    N'],
  ['editor', 'list', '           Y    Y    Y     Y    Y    Y    Y'],
  ['editor', 'read', '           Y    Y    N     Y    Y    Y    Y'],
  ['editor', 'manage-members', ' N    N    N     N    N    N    N'],
  ['editor', 'set-stage', '      N    N    N     N    N    N    N'],
  ['editor', 'clear', '          N    N    N     N    N    N    N'],
  ['editor', 'close', '          N    N    N     N    N    N    N'],
  ['editor', 'break-glass', '      N    N    N     N    N    N    N'],
  ['editor', 'see-existence', '  N    N    N     N    N    N    N'],
  ['journalist', 'create', '     N    N    N     N    N    N    N'],
  ['journalist', 'list', '       N    N    N     N    N    N    N'],
  ['journalist', 'read', '       N    N    N     N    N    N    N'],
  ['journalist', 'manage-members', 'N  N    N     N    N    N    N'],
  ['journalist', 'set-stage', '  N    N    N     N    N    N    N'],
  ['journalist', 'clear', '      N    N    N     N    N    N    N'],
  ['journalist', 'close', '      N    N    N     N    N    N    N'],
  ['journalist', 'break-glass', '  N    N    N     N    N    N    N'],
  ['journalist', 'see-existence', '  N    N    N     N    N    N    N'],
  ['influencer', 'create', '     N    N    N     N    N    N    N'],
  ['influencer', 'list', '       N    N    N     N    N    N    N'],
  ['influencer', 'read', '       N    N    N     N    N    N    N'],
  ['influencer', 'manage-members', 'N  N    N     N    N    N    N'],
  ['influencer', 'set-stage', '  N    N    N     N    N    N    N'],
  ['influencer', 'clear', '      N    N    N     N    N    N    N'],
  ['influencer', 'close', '      N    N    N     N    N    N    N'],
  ['influencer', 'break-glass', '  N    N    N     N    N    N    N'],
  ['influencer', 'see-existence', '  N    N    N     N    N    N    N'],
]

const cells = TABLE.flatMap(([role, action, answers]) => {
  const yn = answers.trim().split(/\s+/)
  if (yn.length !== Object.keys(SITUATIONS).length) throw new Error(`${role} ${action}: ${yn.length} answers`)
  return Object.keys(SITUATIONS).map((situation, i) => [role, action, situation, yn[i] === 'Y'] as const)
})

describe('cases policy table', () => {
  it.each(cells)('%s may %s a case (%s): %s', (role, action, situation, expected) => {
    const record = SITUATIONS[situation] as CaseSubject
    expect(can(actor(role), action, { type: 'case', tenantId: T, record })).toBe(expected)
  })

  it('the table has one line for every role × action', () => {
    const lines = new Set(TABLE.map(([role, action]) => `${role} ${action}`))
    expect(lines.size).toBe(TABLE.length)
    for (const role of ROLES) for (const action of ACTIONS) expect(lines.has(`${role} ${action}`), `${role} ${action}`).toBe(true)
  })

  it('read is exactly the need-to-know rule (seesCase) for every staff role and situation', () => {
    for (const role of ['admin', 'editor', 'approver', 'officer'])
      for (const record of Object.values(SITUATIONS))
        expect(can(actor(role), 'read', { type: 'case', tenantId: T, record })).toBe(seesCase(actor(role), record))
  })

  it('a break-glass admin reads the sealed case and manages its circle (never adding themselves: the command refuses)', () => {
    const record: CaseSubject = { state: 'sealed', memberIds: ['lead-2', ME], leadOfficerId: 'lead-2', breakGlassIds: [ME] }
    const s = { type: 'case', tenantId: T, record }
    expect(can(actor('admin'), 'read', s)).toBe(true)
    expect(can(actor('admin'), 'manage-members', s)).toBe(true)
    expect(can(actor('admin'), 'break-glass', s)).toBe(false)
    expect(can(actor('admin'), 'see-existence', s)).toBe(false)
    // Without a record: only whether the role may use the form at all.
    expect(can(actor('admin'), 'break-glass', 'case')).toBe(true)
    for (const role of ROLES.filter((r) => r !== 'admin')) expect(can(actor(role), 'break-glass', 'case'), role).toBe(false)
  })

  it('an admin knows a sealed case exists exactly where they do not read it (and may break the glass)', () => {
    for (const record of Object.values(SITUATIONS)) {
      const s = { type: 'case', tenantId: T, record }
      expect(can(actor('admin'), 'see-existence', s)).toBe(record.state === 'sealed' && !can(actor('admin'), 'read', s))
      expect(can(actor('admin'), 'see-existence', s)).toBe(can(actor('admin'), 'break-glass', s))
    }
    expect(can(actor('admin'), 'see-existence', 'case')).toBe(true)
    for (const role of ROLES.filter((r) => r !== 'admin')) expect(can(actor(role), 'see-existence', 'case'), role).toBe(false)
  })

  it('record-level actions need the record, and never cross tenants', () => {
    expect(can(actor('approver'), 'read', 'case')).toBe(false)
    expect(can(actor('admin'), 'manage-members', 'case')).toBe(false)
    const record = SITUATIONS['cleared, outsider'] as CaseSubject
    expect(can(actor('approver'), 'read', { type: 'case', tenantId: 'other', record })).toBe(false)
  })
})
