/**
 * The embargo rule as a table: role × the partner record passed with the question. Only a
 * partner's own, live, accredited record opens embargoed releases; the role alone never does.
 */
import { describe, expect, it } from 'vitest'
import { type Actor, can, ROLES } from '../../platform/policy/index.ts'
import type { EmbargoReader } from './portal.policy.ts'
import './portal.policy.ts'

const T = 'tenant-1'
const ME = 'me'
const actor = (role: string): Actor => ({ id: ME, tenantId: T, role, email: `${role}@x.vn` })
const record = (status: string, o: { userId?: string; mergedInto?: string | null } = {}): EmbargoReader => ({
  partner: { userId: o.userId ?? ME, status: status as 'accredited', mergedInto: o.mergedInto ?? null },
})

const SITUATIONS: Record<string, EmbargoReader | undefined> = {
  'no record passed': undefined,
  'no partner record': { partner: null },
  accredited: record('accredited'),
  applied: record('applied'),
  'more info needed': record('more_info_needed'),
  verified: record('verified'),
  suspended: record('suspended'),
  expired: record('expired'),
  revoked: record('revoked'),
  "someone else's accredited record": record('accredited', { userId: 'other' }),
  'a merged accredited record': record('accredited', { mergedInto: 'survivor' }),
}

describe('read-embargoed release', () => {
  for (const role of ROLES) {
    for (const [situation, rec] of Object.entries(SITUATIONS)) {
      const expected = (role === 'journalist' || role === 'influencer') && situation === 'accredited'
      it(`${role}, ${situation}: ${expected ? 'allowed' : 'denied'}`, () => {
        expect(can(actor(role), 'read-embargoed', { type: 'release', tenantId: T, record: rec })).toBe(expected)
      })
    }
  }
  it('never across tenants', () => {
    expect(can(actor('journalist'), 'read-embargoed', { type: 'release', tenantId: 'other', record: record('accredited') })).toBe(false)
  })
})
