import { eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { partners } from '../../partners/partners.tables.ts'
import { PLACEHOLDER_TENANT } from '../../../platform/tenancy/index.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import {
  distributionLists,
  distributionListMembers,
  distributionOptOuts,
  distributionPreferences,
  distributionWebhooks,
} from '../distribution.tables.ts'
import { ensureBuiltinLists, listCounts, listsOfPartner, resolveRecipients } from './recipients.ts'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(async () => {
  await t?.close()
})

describe('recipients', () => {
  it('builtin lists are created once, whatever the number of calls', async () => {
    const a = await ensureBuiltinLists(t.database.db, t.tenant.id)
    const [b] = await Promise.all([ensureBuiltinLists(t.database.db, t.tenant.id), ensureBuiltinLists(t.database.db, t.tenant.id)])
    expect(b).toEqual(a)
    const rows = await t.database.db.select().from(distributionLists).where(eq(distributionLists.tenantId, t.tenant.id))
    expect(rows.filter((r) => r.kind === 'builtin')).toHaveLength(2)
  })

  it('builtin lists made by concurrent first callers (a page and a fan-out): no error, one pair', async () => {
    // The lists also have a unique name: a conflict there, not only on the builtin key, must be
    // taken as "made by the other caller" (it once answered a console page with a 500).
    for (let i = 0; i < 15; i++) {
      const [tenant] = await t.database.db
        .insert(tenants)
        .values({ ...PLACEHOLDER_TENANT, slug: `race-${i}-${Date.now()}`, isDefault: false })
        .returning({ id: tenants.id })
      const id = tenant?.id as string
      const got = await Promise.all(Array.from({ length: 6 }, () => ensureBuiltinLists(t.database.db, id)))
      for (const g of got) expect(g).toEqual(got[0])
      const rows = await t.database.db.select().from(distributionLists).where(eq(distributionLists.tenantId, id))
      expect(rows.filter((r) => r.kind === 'builtin')).toHaveLength(2)
    }
  })

  it('includes accredited partners only, says why others are left out, dedupes across lists', async () => {
    const db = t.database.db
    const { accreditedPress, accreditedInfluencers } = await ensureBuiltinLists(db, t.tenant.id)
    const ok = await makePartner(t, { name: 'Phóng viên Được' })
    const kol = await makePartner(t, { kind: 'influencer', name: 'KOL Được' })
    const susp = await makePartner(t, { status: 'suspended', name: 'Bị đình chỉ' })
    const exp = await makePartner(t, { status: 'expired', name: 'Hết hạn' })
    const applied = await makePartner(t, { status: 'applied', name: 'Mới nộp' })
    const ended = await makePartner(t, { name: 'Hết thời hạn hôm qua' })
    await db.update(partners).set({ accreditationEndsOn: '2000-01-01' }).where(eq(partners.id, ended.partner.id))
    const left = await makePartner(t, { name: 'Rời danh sách' })
    await db.insert(distributionOptOuts).values({ tenantId: t.tenant.id, partnerId: left.partner.id, listId: accreditedPress })
    await db.insert(distributionPreferences).values({ tenantId: t.tenant.id, partnerId: kol.partner.id, emailMode: 'digest' })
    await db
      .insert(distributionWebhooks)
      .values({ tenantId: t.tenant.id, partnerId: kol.partner.id, url: 'https://kol.example/hook', secret: 'whsec_x' })
    await db
      .insert(distributionWebhooks)
      .values({ tenantId: t.tenant.id, partnerId: kol.partner.id, url: 'https://kol.example/off', secret: 'whsec_y', state: 'disabled' })

    const r = await resolveRecipients(db, t.tenant.id, [accreditedPress, accreditedInfluencers, accreditedPress])
    const inc = new Map(r.included.map((x) => [x.partnerId, x]))
    expect(inc.has(ok.partner.id)).toBe(true)
    expect(inc.get(ok.partner.id)?.emailMode).toBe('immediate')
    expect(inc.get(kol.partner.id)?.emailMode).toBe('digest')
    expect(inc.get(kol.partner.id)?.webhooks.map((w) => w.url)).toEqual(['https://kol.example/hook'])
    expect(r.included).toHaveLength(2)
    const why = new Map(r.excluded.map((x) => [x.partnerId, x.reason]))
    expect(why.get(susp.partner.id)).toBe('suspended')
    expect(why.get(exp.partner.id)).toBe('expired')
    expect(why.get(applied.partner.id)).toBe('not_accredited')
    expect(why.get(ended.partner.id)).toBe('expired')
    expect(why.get(left.partner.id)).toBe('opted_out')
    expect(r.excluded.find((x) => x.partnerId === left.partner.id)?.listId).toBe(accreditedPress)

    // Left one list, still in through a static list.
    const [st] = await db.insert(distributionLists).values({ tenantId: t.tenant.id, name: 'Nhóm riêng', kind: 'static' }).returning()
    await db.insert(distributionListMembers).values({ tenantId: t.tenant.id, listId: st!.id, partnerId: left.partner.id })
    const r2 = await resolveRecipients(db, t.tenant.id, [accreditedPress, st!.id])
    expect(r2.included.map((x) => x.partnerId)).toContain(left.partner.id)

    const counts = await listCounts(db, t.tenant.id, [accreditedPress, st!.id])
    expect(counts.get(accreditedPress)?.included).toBe(1)
    expect(counts.get(st!.id)).toEqual({ included: 1, excluded: 0 })

    const mine = await listsOfPartner(db, t.tenant.id, left.partner.id)
    expect(mine.map((l) => [l.id, l.optedOut])).toEqual([
      [accreditedPress, true],
      [st!.id, false],
    ])
  })

  it('resolves 10,000 partners quickly', async () => {
    const db = t.database.db
    await db.execute(sql`
      INSERT INTO partners (tenant_id, kind, name, email, status, accreditation_ends_on)
      SELECT ${t.tenant.id}, 'journalist', 'Bench ' || g, 'bench' || g || '@bao.example.vn', 'accredited', '2999-01-01'
      FROM generate_series(1, 10000) g
    `)
    const { accreditedPress } = await ensureBuiltinLists(db, t.tenant.id)
    const t0 = performance.now()
    const r = await resolveRecipients(db, t.tenant.id, [accreditedPress])
    const ms = performance.now() - t0
    expect(r.included.length).toBeGreaterThanOrEqual(10_000)
    expect(ms).toBeLessThan(2000)
  })
})
