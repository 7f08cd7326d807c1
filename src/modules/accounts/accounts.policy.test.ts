import { describe, expect, it } from 'vitest'
import { type Actor, authorize, can, ROLES } from '../../platform/policy/index.ts'
import './accounts.policy.ts'
// The console's rules (audit, outbox, console, portal) moved to their module's policy; this table still checks them.
import '../console/console.policy.ts'

const T = 'tenant-1'
const actor = (role: string, id = `id-${role}`): Actor => ({ id, tenantId: T, role, email: `${role}@x.vn` })

// One ability per line: role, action, subject, expected.
const TABLE: [string, string, string, boolean][] = [
  ['admin', 'list', 'user', true],
  ['admin', 'invite', 'user', true],
  ['admin', 'read', 'audit', true],
  ['admin', 'read', 'outbox', true],
  ['admin', 'read', 'console', true],
  ['admin', 'read', 'portal', false],
  ['editor', 'list', 'user', false],
  ['editor', 'invite', 'user', false],
  ['editor', 'read', 'audit', false],
  ['editor', 'read', 'outbox', false],
  ['editor', 'read', 'console', true],
  ['approver', 'read', 'audit', true],
  ['approver', 'invite', 'user', false],
  ['approver', 'read', 'outbox', false],
  ['officer', 'read', 'console', true],
  ['officer', 'read', 'audit', false],
  ['officer', 'list', 'user', false],
  ['journalist', 'read', 'console', false],
  ['journalist', 'read', 'portal', true],
  ['journalist', 'list', 'user', false],
  ['influencer', 'read', 'portal', true],
  ['influencer', 'read', 'audit', false],
  // Unknown roles and actions are denied.
  ['superuser', 'list', 'user', false],
  ['', 'read', 'console', false],
  ['admin', 'delete-everything', 'user', false],
  ['admin', 'list', 'unknown-subject', false],
]

describe('accounts policy', () => {
  it.each(TABLE)('%s may %s %s: %s', (role, action, subject, expected) => {
    expect(can(actor(role), action, subject)).toBe(expected)
  })

  it('an admin may change the role of another user but not their own', () => {
    const admin = actor('admin', 'a1')
    expect(can(admin, 'change-role', { type: 'user', tenantId: T, record: { id: 'u2', role: 'editor' } })).toBe(true)
    expect(can(admin, 'change-role', { type: 'user', tenantId: T, record: { id: 'a1', role: 'admin' } })).toBe(false)
    expect(can(admin, 'disable', { type: 'user', tenantId: T, record: { id: 'a1', role: 'admin' } })).toBe(false)
    // Record-level rules need the record: without it, deny.
    expect(can(admin, 'change-role', 'user')).toBe(false)
  })

  it('never allows across tenants', () => {
    expect(can(actor('admin'), 'disable', { type: 'user', tenantId: 'other', record: { id: 'u2', role: 'editor' } })).toBe(false)
  })

  it('denies without an actor; authorize throws 401 and 403 (or 404 when hiding existence)', () => {
    expect(can(null, 'list', 'user')).toBe(false)
    expect(() => authorize(null, 'list', 'user')).toThrow(expect.objectContaining({ status: 401 }))
    expect(() => authorize(actor('editor'), 'list', 'user')).toThrow(expect.objectContaining({ status: 403 }))
    expect(() => authorize(actor('editor'), 'list', 'user', { hideExistence: true })).toThrow(expect.objectContaining({ status: 404 }))
    expect(() => authorize(actor('admin'), 'list', 'user')).not.toThrow()
  })

  it('knows exactly six roles', () => {
    expect([...ROLES].sort()).toEqual(['admin', 'approver', 'editor', 'influencer', 'journalist', 'officer'])
  })
})
