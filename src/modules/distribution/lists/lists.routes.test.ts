import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { draft, makeSpokesperson } from '../../../../test/support/releases.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { partners } from '../../partners/partners.tables.ts'
import { type Commune, COMMUNES } from '../../reference/communes.ts'
import { distributionListMembers, distributionLists, distributionOptOuts, distributionTargets } from '../distribution.tables.ts'
import { ensureBuiltinLists, resolveRecipients } from './recipients.ts'
import { targetListIds } from './targets.queries.ts'

let t: TestApp
let editor: Login
let officer: Login
let builtin: { accreditedPress: string; accreditedInfluencers: string }

beforeAll(async () => {
  t = await createTestApp()
  editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
  officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
  builtin = await ensureBuiltinLists(t.database.db, t.tenant.id)
})
afterAll(async () => {
  await t?.close()
})

const post = (login: Login, url: string, fields: [string, string][] | Record<string, string>) => {
  const pairs = Array.isArray(fields) ? fields : Object.entries(fields)
  return t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams([...pairs, ['_csrf', login.csrf]]).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: login.cookie },
  })
}
const get = (login: Login | null, url: string) => t.app.inject({ method: 'GET', url, headers: login ? { cookie: login.cookie } : {} })
const lists = () => t.database.db.select().from(distributionLists).where(eq(distributionLists.tenantId, t.tenant.id))

describe('lists console', () => {
  it('requires a signed-in staff member; officers read but do not manage', async () => {
    expect((await get(null, '/console/phan-phoi/danh-sach')).statusCode).toBe(302)
    const page = await get(officer, '/console/phan-phoi/danh-sach')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Tất cả báo chí đã công nhận')
    expect(page.body).not.toContain('/console/phan-phoi/danh-sach/moi')
    expect((await get(officer, '/console/phan-phoi/danh-sach/moi')).statusCode).toBe(403)
    const before = (await lists()).length
    expect((await post(officer, '/console/phan-phoi/danh-sach/moi', { kind: 'static', name: 'Không được' })).statusCode).toBe(403)
    expect(await lists()).toHaveLength(before)
  })

  it('a rule list follows the registry: preview names who receives and who is left out, and why', async () => {
    const inBeat = await makePartner(t, { name: 'Phóng viên Giao thông' })
    await t.database.db
      .update(partners)
      .set({ beats: ['Giao thông'] })
      .where(eq(partners.id, inBeat.partner.id))
    const suspended = await makePartner(t, { name: 'Bị đình chỉ GT', status: 'suspended' })
    await t.database.db
      .update(partners)
      .set({ beats: ['giao thong'] })
      .where(eq(partners.id, suspended.partner.id))
    const other = await makePartner(t, { name: 'Phóng viên Y tế' })
    await t.database.db
      .update(partners)
      .set({ beats: ['y tế'] })
      .where(eq(partners.id, other.partner.id))

    // Bad input: no name → 400, the form again with both languages, nothing written.
    const before = (await lists()).length
    const bad = await post(editor, '/console/phan-phoi/danh-sach/moi', [
      ['kind', 'rule'],
      ['name', '  '],
      ['beats', 'giao thông'],
    ])
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Tên danh sách là bắt buộc')
    expect(bad.body).toContain('A list name is required')
    const badCommune = await post(editor, '/console/phan-phoi/danh-sach/moi', [
      ['kind', 'rule'],
      ['name', 'Sai xã'],
      ['communes', 'khong-co-xa-nay'],
    ])
    expect(badCommune.statusCode).toBe(400)
    expect(await lists()).toHaveLength(before)

    const res = await post(editor, '/console/phan-phoi/danh-sach/moi', [
      ['kind', 'rule'],
      ['name', 'Báo chí giao thông'],
      ['kinds', 'journalist'],
      ['beats', 'GIAO THÔNG'],
    ])
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303)
    const id = String(res.headers.location).match(/danh-sach\/([0-9a-f-]{36})/)?.[1] as string
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.list_created'), eq(auditEvents.subjectId, id)))
    expect(audit).toBeDefined()

    let page = await get(editor, `/console/phan-phoi/danh-sach/${id}`)
    expect(page.body).toMatch(/id="included-count" data-n="1"/)
    expect(page.body).toContain(`data-partner="${inBeat.partner.id}"`)
    expect(page.body).toMatch(new RegExp(`data-partner="${suspended.partner.id}" data-reason="suspended"`))
    expect(page.body).not.toContain(other.partner.id)

    // Suspended now: out of the preview at once, with the reason.
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, inBeat.partner.id))
    page = await get(editor, `/console/phan-phoi/danh-sach/${id}`)
    expect(page.body).toMatch(/id="included-count" data-n="0"/)
    expect(page.body).toMatch(/data-reason="suspended" data-n="2"/)

    // A duplicate name is refused.
    const dup = await post(editor, '/console/phan-phoi/danh-sach/moi', [
      ['kind', 'static'],
      ['name', 'báo chí GIAO THÔNG'],
    ])
    expect(dup.statusCode).toBe(409)
  })

  it('a rule list by commune: the preview includes a partner of that commune and leaves out one outside it', async () => {
    const [here, there] = COMMUNES as [Commune, Commune, ...Commune[]]
    const inCommune = await makePartner(t, { name: 'Phóng viên trong xã' })
    const suspendedHere = await makePartner(t, { name: 'Bị đình chỉ trong xã', status: 'suspended' })
    const outside = await makePartner(t, { name: 'Phóng viên xã khác' })
    const nowhere = await makePartner(t, { name: 'Phóng viên không ghi xã' })
    for (const [p, codes] of [
      [inCommune, [there.code, here.code]],
      [suspendedHere, [here.code]],
      [outside, [there.code]],
    ] as const) {
      await t.database.db
        .update(partners)
        .set({ communeCodes: [...codes] })
        .where(eq(partners.id, p.partner.id))
    }

    const res = await post(editor, '/console/phan-phoi/danh-sach/moi', [
      ['kind', 'rule'],
      ['name', 'Báo chí theo xã'],
      ['communes', here.code],
    ])
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303)
    const id = String(res.headers.location).match(/danh-sach\/([0-9a-f-]{36})/)?.[1] as string
    const [list] = await lists().then((all) => all.filter((l) => l.id === id))
    expect(list?.rule).toEqual({ communes: [here.code] })

    const page = await get(editor, `/console/phan-phoi/danh-sach/${id}`)
    expect(page.statusCode).toBe(200)
    // The rule is shown with the commune's name.
    expect(page.body).toContain(here.name)
    expect(page.body).toMatch(/id="included-count" data-n="1"/)
    expect(page.body).toContain(`<tr data-partner="${inCommune.partner.id}">`)
    // In the commune but suspended: left out, with the reason.
    expect(page.body).toMatch(new RegExp(`data-partner="${suspendedHere.partner.id}" data-reason="suspended"`))
    // Outside the commune (or in none): not a candidate at all, so neither in nor left out.
    expect(page.body).not.toContain(outside.partner.id)
    expect(page.body).not.toContain(nowhere.partner.id)

    // The same through the fan-out's resolver.
    const r = await resolveRecipients(t.database.db, t.tenant.id, [id])
    expect(r.included.map((x) => x.partnerId)).toEqual([inCommune.partner.id])
    expect(r.excluded.map((x) => [x.partnerId, x.reason])).toEqual([[suspendedHere.partner.id, 'suspended']])

    // The registry moves, the list follows: the outside partner moves into the commune.
    await t.database.db
      .update(partners)
      .set({ communeCodes: [here.code] })
      .where(eq(partners.id, outside.partner.id))
    const after = await get(editor, `/console/phan-phoi/danh-sach/${id}`)
    expect(after.body).toMatch(/id="included-count" data-n="2"/)
    expect(after.body).toContain(`<tr data-partner="${outside.partner.id}">`)
  })

  it('builtin preview counts each reason; a static list takes and loses members; builtin lists cannot be archived', async () => {
    const ok = await makePartner(t, { name: 'Được nhận' })
    const expired = await makePartner(t, { name: 'Hết hạn', status: 'expired' })
    const applied = await makePartner(t, { name: 'Mới nộp hồ sơ', status: 'applied' })
    const left = await makePartner(t, { name: 'Đã rời' })
    await t.database.db
      .insert(distributionOptOuts)
      .values({ tenantId: t.tenant.id, partnerId: left.partner.id, listId: builtin.accreditedPress })
    const page = await get(editor, `/console/phan-phoi/danh-sach/${builtin.accreditedPress}`)
    expect(page.body).toContain(`data-partner="${ok.partner.id}"`)
    for (const [p, r] of [
      [expired, 'expired'],
      [applied, 'not_accredited'],
      [left, 'opted_out'],
    ] as const) {
      expect(page.body).toMatch(new RegExp(`data-partner="${p.partner.id}" data-reason="${r}"`))
      expect(page.body).toMatch(new RegExp(`data-reason="${r}" data-n="\\d+"`))
    }

    const refused = await post(editor, `/console/phan-phoi/danh-sach/${builtin.accreditedPress}/luu-tru`, {})
    expect(refused.statusCode).toBe(409)
    expect(refused.body).toContain('Danh sách mặc định')

    const res = await post(editor, '/console/phan-phoi/danh-sach/moi', { kind: 'static', name: 'Phóng viên thường trú' })
    const id = String(res.headers.location).match(/danh-sach\/([0-9a-f-]{36})/)?.[1] as string
    const search = await get(editor, `/console/phan-phoi/danh-sach/${id}?q=${encodeURIComponent('hết hạn')}`)
    expect(search.body).toContain('id="found"')
    expect(search.body).toContain(expired.partner.id)
    expect((await post(editor, `/console/phan-phoi/danh-sach/${id}/them-thanh-vien`, { partnerId: expired.partner.id })).statusCode).toBe(
      303,
    )
    expect((await post(editor, `/console/phan-phoi/danh-sach/${id}/them-thanh-vien`, { partnerId: ok.partner.id })).statusCode).toBe(303)
    expect((await post(editor, `/console/phan-phoi/danh-sach/${id}/them-thanh-vien`, { partnerId: 'not-a-partner' })).statusCode).toBe(400)
    const detail = await get(editor, `/console/phan-phoi/danh-sach/${id}`)
    expect(detail.body).toMatch(/id="included-count" data-n="1"/)
    expect(detail.body).toMatch(new RegExp(`data-partner="${expired.partner.id}" data-reason="expired"`))
    expect((await post(editor, `/console/phan-phoi/danh-sach/${id}/bo-thanh-vien`, { partnerId: expired.partner.id })).statusCode).toBe(303)
    const members = await t.database.db.select().from(distributionListMembers).where(eq(distributionListMembers.listId, id))
    expect(members.map((m) => m.partnerId)).toEqual([ok.partner.id])

    const archived = await post(editor, `/console/phan-phoi/danh-sach/${id}/luu-tru`, {})
    expect(archived.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(distributionLists).where(eq(distributionLists.id, id))
    expect(row?.archivedAt).not.toBeNull()
  })

  it("an item's lists: chosen ones replace the defaults; unknown or archived lists are refused", async () => {
    const editorUser = await makeUser(t, { role: 'editor' })
    const releaseId = await draft(t, editorUser, { spokespersonId: await makeSpokesperson(t) })
    expect(await targetListIds(t.database.db, t.tenant.id, 'release', releaseId)).toEqual([
      builtin.accreditedPress,
      builtin.accreditedInfluencers,
    ])
    const res = await post(editor, `/console/phan-phoi/muc/release/${releaseId}/danh-sach`, [['lists', builtin.accreditedInfluencers]])
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/console/phan-phoi/muc/release/${releaseId}?done=targets`)
    expect(await targetListIds(t.database.db, t.tenant.id, 'release', releaseId)).toEqual([builtin.accreditedInfluencers])
    const archived = (await lists()).find((x) => x.archivedAt)
    const bad = await post(editor, `/console/phan-phoi/muc/release/${releaseId}/danh-sach`, [['lists', archived!.id]])
    expect(bad.statusCode).toBe(400)
    expect((await post(editor, `/console/phan-phoi/muc/release/${releaseId}/danh-sach`, [])).statusCode).toBe(400)
    expect(
      (await post(officer, `/console/phan-phoi/muc/release/${releaseId}/danh-sach`, [['lists', builtin.accreditedPress]])).statusCode,
    ).toBe(403)
    const [row] = await t.database.db.select().from(distributionTargets).where(eq(distributionTargets.itemId, releaseId))
    expect(row?.listIds).toEqual([builtin.accreditedInfluencers])
  })
})
