/**
 * The registry in the staff console through HTTP: every page for staff in both languages,
 * partners and anonymous visitors refused, the approver-only steps refused to editors with
 * nothing written, reasons and duplicates refused with both languages and nothing written,
 * search by folded name and by any form of a phone, edits re-keyed and audited, merge by form.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { partnerAcknowledgements, partnerChannels, partnerKeys, partnerStatusHistory, partners, pressOutlets } from '../partners.tables.ts'

let t: TestApp
let approverIn: Login
let editorIn: Login
let officerIn: Login
let outletId: string

beforeAll(async () => {
  t = await createTestApp()
  approverIn = await loginAs(t, await makeUser(t, { role: 'approver' }))
  editorIn = await loginAs(t, await makeUser(t, { role: 'editor' }))
  officerIn = await loginAs(t, await makeUser(t, { role: 'officer' }))
  const [o] = await t.database.db
    .insert(pressOutlets)
    .values({ tenantId: t.tenant.id, name: 'Báo Thanh Hóa', kind: 'newspaper' })
    .returning({ id: pressOutlets.id })
  outletId = o?.id as string
})
afterAll(async () => {
  await t.close()
})

/** POSTs a form (pairs, so a field may repeat) as `login`. */
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

/** Creates a journalist through the form and returns its id. */
async function createJournalist(login: Login, fields: Record<string, string>): Promise<string> {
  const res = await post(login, '/console/doi-tac/moi', { kind: 'journalist', outletId, ...fields })
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(303)
  return String(res.headers.location).match(/doi-tac\/([0-9a-f-]{36})/)?.[1] as string
}

const countPartners = async () =>
  (await t.database.db.select({ id: partners.id }).from(partners).where(eq(partners.tenantId, t.tenant.id))).length
const auditOf = (subjectId: string) => t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, subjectId))

describe('partners console: pages and access', () => {
  let id: string

  beforeAll(async () => {
    id = await createJournalist(approverIn, {
      name: 'Lê Văn Bình',
      phone: '0987 654 321',
      email: 'binh@baothanhhoa.vn',
      pressCardNumber: 'TH-10001',
      pressCardExpiresOn: '2099-12-31',
      beats: 'An ninh, Giao thông',
    })
  })

  const pages = () => [
    '/console/doi-tac',
    '/console/doi-tac?kind=journalist&status=applied&q=binh',
    '/console/doi-tac/moi',
    '/console/doi-tac/moi?kind=influencer',
    '/console/doi-tac/trung-lap',
    '/console/doi-tac/co-quan',
    `/console/doi-tac/${id}`,
  ]

  it('renders every page for staff, in Vietnamese and English', async () => {
    for (const url of pages()) {
      const vi = await get(approverIn, url)
      expect(vi.statusCode, url).toBe(200)
      expect(vi.headers['content-language']).toBe('vi')
      expect(vi.body).toContain('Đối tác báo chí')
      const en = await get(approverIn, `${url}${url.includes('?') ? '&' : '?'}lang=en`)
      expect(en.statusCode, url).toBe(200)
      expect(en.headers['content-language']).toBe('en')
      expect(en.body).toContain('Press partners')
    }
    // Officers read; the menu lists the registry for them too.
    const officer = await get(officerIn, '/console/doi-tac')
    expect(officer.statusCode).toBe(200)
    expect(officer.body).toContain('href="/console/doi-tac"')
    expect(officer.body).not.toContain('href="/console/doi-tac/moi"')
    expect((await get(officerIn, `/console/doi-tac/${id}`)).body).not.toContain(`action="/console/doi-tac/${id}/sua"`)
  })

  it('refuses partners (403) and sends anonymous visitors to sign in', async () => {
    const partner = await makePartner(t, { status: 'accredited' })
    for (const url of pages()) {
      const res = await get(partner.login, url)
      expect(res.statusCode, url).toBe(403)
      const anon = await get(null, url)
      expect(anon.statusCode, url).toBe(302)
      expect(String(anon.headers.location)).toMatch(/^\/console\/sign-in/)
    }
    const res = await post(partner.login, `/console/doi-tac/${id}/trang-thai`, { to: 'verified', reason: 'Đối tác tự xác minh mình' })
    expect(res.statusCode).toBe(403)
    const [row] = await t.database.db.select().from(partners).where(eq(partners.id, id))
    expect(row?.status).toBe('applied')
  })

  it('links the import, export, review queue, outlets, downloads and inquiries', async () => {
    const list = (await get(approverIn, '/console/doi-tac')).body
    for (const href of ['/console/doi-tac/nhap', '/console/doi-tac/xuat', '/console/doi-tac/ho-so', '/console/doi-tac/co-quan']) {
      expect(list).toContain(`href="${href}"`)
    }
    const detail = (await get(approverIn, `/console/doi-tac/${id}`)).body
    expect(detail).toContain(`href="/console/doi-tac/tai-xuong?partner=${id}"`)
    expect(detail).toContain(`href="/console/hoi-dap?partner=${id}"`)
  })
})

describe('partners console: status steps', () => {
  let id: string

  beforeAll(async () => {
    id = await createJournalist(approverIn, {
      name: 'Phạm Thu Trang',
      email: 'trang@baothanhhoa.vn',
      pressCardNumber: 'TH-20002',
      pressCardExpiresOn: '2099-06-30',
    })
    expect(
      (await post(editorIn, `/console/doi-tac/${id}/trang-thai`, { to: 'verified', reason: 'Đã đối chiếu thẻ nhà báo bản gốc' }))
        .statusCode,
    ).toBe(303)
  })

  it('shows an editor only the steps the policy gives them, and refuses accreditation on POST with nothing written', async () => {
    const page = (await get(editorIn, `/console/doi-tac/${id}`)).body
    expect(page).toContain('data-to="more_info_needed"')
    expect(page).not.toContain('data-to="accredited"')
    expect(page).not.toContain('data-to="revoked"')
    expect((await get(approverIn, `/console/doi-tac/${id}`)).body).toContain('data-to="accredited"')
    const before = await auditOf(id)
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/doi-tac/${id}/trang-thai`,
      payload: new URLSearchParams({
        to: 'accredited',
        reason: 'Đủ điều kiện công nhận',
        accreditationEndsOn: '2099-01-01',
        _csrf: editorIn.csrf,
      }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: editorIn.cookie, accept: 'application/json' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('FORBIDDEN')
    const [row] = await t.database.db.select().from(partners).where(eq(partners.id, id))
    expect(row?.status).toBe('verified')
    expect(await auditOf(id)).toHaveLength(before.length)
    const history = await t.database.db.select().from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, id))
    expect(history.map((h) => h.toStatus)).toEqual(['applied', 'verified'])
  })

  it('refuses a reason that is too short, in both languages, with nothing written', async () => {
    const page = (await get(approverIn, `/console/doi-tac/${id}`)).body
    expect(page).toContain('ít nhất 10 ký tự')
    const before = await auditOf(id)
    const res = await post(approverIn, `/console/doi-tac/${id}/trang-thai`, {
      to: 'accredited',
      reason: 'ok thôi',
      accreditationEndsOn: '2099-01-01',
    })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Cần ghi rõ lý do (ít nhất 10 ký tự).')
    expect(res.body).toContain('A written reason is required (at least 10 characters).')
    const [row] = await t.database.db.select().from(partners).where(eq(partners.id, id))
    expect(row?.status).toBe('verified')
    expect(row?.accreditationEndsOn).toBeNull()
    expect(await auditOf(id)).toHaveLength(before.length)
  })

  it('an approver accredits; the history shows from → to, reason and who', async () => {
    const res = await post(approverIn, `/console/doi-tac/${id}/trang-thai`, {
      to: 'accredited',
      reason: 'Đủ điều kiện, thẻ còn hạn',
      accreditationEndsOn: '2099-01-01',
    })
    expect(res.statusCode, res.body.slice(0, 500)).toBe(303)
    const page = (await get(approverIn, `/console/doi-tac/${id}`)).body
    expect(page).toContain('Đã xác minh → Được công nhận')
    expect(page).toContain('Đủ điều kiện, thẻ còn hạn')
    expect(page).toContain('data-to="suspended"')
    expect(page).not.toContain('data-to="verified"')
  })
})

describe('partners console: duplicates, search, edit, merge', () => {
  let hoa: string
  let hoaOther: string

  beforeAll(async () => {
    hoa = await createJournalist(approverIn, { name: 'Nguyễn Thị Hoà', phone: '0912 345 678', email: 'hoa@baothanhhoa.vn' })
    hoaOther = await createJournalist(approverIn, { name: 'Trịnh Thị Hòa', phone: '0913 000 111', email: 'hoa.trinh@vnexpress.net' })
  })

  it('a new record with a phone already held (typed another way) shows that record and writes nothing', async () => {
    const before = await countPartners()
    const res = await post(approverIn, '/console/doi-tac/moi', {
      kind: 'journalist',
      name: 'Nguyễn Hoà',
      phone: '+84 912-345-678',
      email: 'nguyen.hoa@gmail.com',
    })
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain(`href="/console/doi-tac/${hoa}"`)
    expect(res.body).toContain('Số điện thoại 0912345678')
    expect(res.body).toContain('Đã có đối tác dùng số điện thoại này (0912345678)')
    expect(res.body).toContain('value="+84 912-345-678"')
    expect(await countPartners()).toBe(before)
    const [key] = await t.database.db.select().from(partnerKeys).where(eq(partnerKeys.value, 'nguyen.hoa@gmail.com'))
    expect(key).toBeUndefined()
  })

  it('finds by a name typed without diacritics and by a phone in any form', async () => {
    const folded = (await get(approverIn, '/console/doi-tac?q=thi+hoa')).body
    expect(folded).toContain(`href="/console/doi-tac/${hoa}"`)
    expect(folded).toContain(`href="/console/doi-tac/${hoaOther}"`)
    const byPhone = (await get(approverIn, `/console/doi-tac?q=${encodeURIComponent('+84 912 345 678')}`)).body
    expect(byPhone).toContain(`href="/console/doi-tac/${hoa}"`)
    expect(byPhone).not.toContain(`href="/console/doi-tac/${hoaOther}"`)
    const byPart = (await get(approverIn, `/console/doi-tac?q=${encodeURIComponent('345 678')}`)).body
    expect(byPart).toContain(`href="/console/doi-tac/${hoa}"`)
    const none = (await get(approverIn, '/console/doi-tac?q=khong+co+ai')).body
    expect(none).not.toContain(`href="/console/doi-tac/${hoa}"`)
    // Filters combine with the search; counts per status follow the filters.
    const filtered = (await get(approverIn, `/console/doi-tac?q=hoa&outlet=${outletId}&status=applied`)).body
    expect(filtered).toContain(`href="/console/doi-tac/${hoa}"`)
    expect((await get(approverIn, '/console/doi-tac?q=hoa&status=revoked')).body).not.toContain(`href="/console/doi-tac/${hoa}"`)
  })

  it('an edit re-normalises and re-checks the keys, and is audited with field names only', async () => {
    const taken = await post(approverIn, `/console/doi-tac/${hoa}/sua`, {
      name: 'Nguyễn Thị Hoà',
      outletId,
      phone: '0913.000.111',
      email: 'hoa@baothanhhoa.vn',
    })
    expect(taken.statusCode).toBe(409)
    expect(taken.body).toContain(`href="/console/doi-tac/${hoaOther}"`)
    const [unchanged] = await t.database.db.select().from(partners).where(eq(partners.id, hoa))
    expect(unchanged?.phone).toBe('0912345678')

    const res = await post(approverIn, `/console/doi-tac/${hoa}/sua`, [
      ['name', 'Nguyễn Thị Hoà'],
      ['outletId', outletId],
      ['phone', '(+84) 0977 111 222'],
      ['email', 'Hoa.Nguyen@BaoThanhHoa.vn'],
      ['beats', 'Pháp luật, Đời sống'],
      ['communes', 'phuong-hac-thanh'],
      ['communes', 'phuong-sam-son'],
    ])
    expect(res.statusCode, res.body.slice(0, 1000)).toBe(303)
    const [row] = await t.database.db.select().from(partners).where(eq(partners.id, hoa))
    expect(row?.phone).toBe('0977111222')
    expect(row?.email).toBe('hoa.nguyen@baothanhhoa.vn')
    expect(row?.communeCodes).toEqual(['phuong-hac-thanh', 'phuong-sam-son'])
    const keys = await t.database.db.select().from(partnerKeys).where(eq(partnerKeys.partnerId, hoa))
    expect(keys.map((k) => `${k.kind}:${k.value}`).sort()).toEqual(['email:hoa.nguyen@baothanhhoa.vn', 'phone:0977111222'])
    const [audit] = (await auditOf(hoa)).filter((a) => a.action === 'partner.updated')
    expect(audit?.summary).toEqual({
      fields: ['phone', 'email', 'beats', 'communeCodes'],
      keys: { added: ['email', 'phone'], removed: ['email', 'phone'] },
    })
    expect(JSON.stringify(audit?.summary)).not.toContain('0977')
    // The released number is free again: a new person may use it.
    const reuse = await post(approverIn, '/console/doi-tac/moi', { kind: 'journalist', name: 'Người mới', phone: '0912345678' })
    expect(reuse.statusCode).toBe(303)
    // An edit that changes nothing writes nothing.
    const again = await post(approverIn, `/console/doi-tac/${hoa}/sua`, [
      ['name', 'Nguyễn Thị Hoà'],
      ['outletId', outletId],
      ['phone', '0977111222'],
      ['email', 'hoa.nguyen@baothanhhoa.vn'],
      ['beats', 'Pháp luật, Đời sống'],
      ['communes', 'phuong-hac-thanh'],
      ['communes', 'phuong-sam-son'],
    ])
    expect(String(again.headers.location)).toContain('done=unchanged')
    expect((await auditOf(hoa)).filter((a) => a.action === 'partner.updated')).toHaveLength(1)
  })

  it('lists near-duplicates and merges them by the form; the merged record leads to the survivor', async () => {
    // Same person entered twice under different addresses at the same outlet.
    const twin = await createJournalist(approverIn, { name: 'NGUYỄN THỊ HOÀ', email: 'hoa.nt@gmail.com' })
    const dupPage = (await get(approverIn, '/console/doi-tac/trung-lap')).body
    expect(dupPage).toContain(`href="/console/doi-tac/${hoa}#merge"`)
    expect(dupPage).toContain(`href="/console/doi-tac/${twin}#merge"`)
    const detail = (await get(editorIn, `/console/doi-tac/${hoa}`)).body
    expect(detail).toContain(`<option value="${twin}">`)

    const short = await post(editorIn, `/console/doi-tac/${hoa}/gop`, { other: twin, keep: 'this', reason: 'trùng' })
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('A written reason is required')
    expect((await t.database.db.select().from(partners).where(eq(partners.id, twin)))[0]?.mergedInto).toBeNull()
    expect(await countPartners()).toBeGreaterThan(0)

    const res = await post(editorIn, `/console/doi-tac/${hoa}/gop`, { other: twin, keep: 'this', reason: 'Một người, nhập hai lần' })
    expect(res.statusCode, res.body.slice(0, 800)).toBe(303)
    const [merged] = await t.database.db.select().from(partners).where(eq(partners.id, twin))
    expect(merged?.mergedInto).toBe(hoa)
    const keys = await t.database.db
      .select()
      .from(partnerKeys)
      .where(and(eq(partnerKeys.partnerId, hoa), eq(partnerKeys.kind, 'email')))
    expect(keys.map((k) => k.value).sort()).toEqual(['hoa.nguyen@baothanhhoa.vn', 'hoa.nt@gmail.com'])
    const [audit] = (await auditOf(hoa)).filter((a) => a.action === 'partner.merged')
    expect(audit?.summary.reason).toBe('Một người, nhập hai lần')

    const old = await get(approverIn, `/console/doi-tac/${twin}`)
    expect(old.statusCode).toBe(303)
    expect(old.headers.location).toBe(`/console/doi-tac/${hoa}?gop=${twin}`)
    const landed = (await get(approverIn, String(old.headers.location))).body
    expect(landed).toContain('Hồ sơ «NGUYỄN THỊ HOÀ» đã gộp vào hồ sơ này')
    expect(landed).toContain('id="merged-from"')
    // Still found by the merged record's address, now a key of the survivor.
    expect((await get(approverIn, '/console/doi-tac?q=hoa.nt%40gmail.com')).body).toContain(`href="/console/doi-tac/${hoa}"`)
    expect((await get(approverIn, '/console/doi-tac/trung-lap')).body).not.toContain(`href="/console/doi-tac/${twin}#merge"`)
  })
})

describe('partners console: filters and badges', () => {
  it('filters by beat (any case, no diacritics), commune and expiring soon, with counts per status', async () => {
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10)
    const later = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10)
    const [expiring] = await t.database.db
      .insert(partners)
      .values({
        tenantId: t.tenant.id,
        kind: 'journalist',
        name: 'Mai Văn Sắp',
        status: 'accredited',
        pressCardNumber: 'TH-90909',
        pressCardExpiresOn: soon,
        accreditationEndsOn: later,
        beats: ['Phòng cháy chữa cháy'],
        communeCodes: ['phuong-sam-son'],
      })
      .returning({ id: partners.id })
    const id = expiring?.id as string
    const all = (await get(approverIn, '/console/doi-tac?expiring=1')).body
    expect(all).toContain(`href="/console/doi-tac/${id}"`)
    expect(all).toContain(`data-expiring="${soon}"`)
    expect(all).not.toContain('Lê Văn Bình')
    expect((await get(approverIn, '/console/doi-tac?beat=PHONG+CHAY+chua+chay')).body).toContain(`href="/console/doi-tac/${id}"`)
    expect((await get(approverIn, '/console/doi-tac?beat=giao+thong')).body).not.toContain(`href="/console/doi-tac/${id}"`)
    expect((await get(approverIn, '/console/doi-tac?commune=phuong-sam-son')).body).toContain(`href="/console/doi-tac/${id}"`)
    expect((await get(approverIn, '/console/doi-tac?commune=phuong-hac-thanh')).body).not.toContain(`href="/console/doi-tac/${id}"`)
    const counted = (await get(approverIn, '/console/doi-tac?q=mai+van+sap')).body
    expect(counted).toContain('<strong data-count="accredited">1</strong>')
    expect(counted).toContain('<strong data-count="applied">0</strong>')
    expect((await get(approverIn, `/console/doi-tac/${id}`)).body).toContain(`data-expiring="${soon}"`)
  })
})

describe('partners console: influencers and outlets', () => {
  it('creates an influencer with a channel, records the acknowledgement, adds and removes a channel', async () => {
    const res = await post(editorIn, '/console/doi-tac/moi', {
      kind: 'influencer',
      name: 'Trần Văn Khoẻ',
      email: 'khoe@tiktok.example.vn',
      beats: 'Giao thông',
      channelPlatform: 'tiktok',
      channelUrl: 'https://www.tiktok.com/@khoe.thanhhoa',
      channelFollowers: '125.000',
    })
    expect(res.statusCode, res.body.slice(0, 800)).toBe(303)
    const id = String(res.headers.location).match(/doi-tac\/([0-9a-f-]{36})/)?.[1] as string
    const channels = await t.database.db.select().from(partnerChannels).where(eq(partnerChannels.partnerId, id))
    expect(channels.map((c) => [c.platform, c.followers])).toEqual([['tiktok', 125000]])

    expect((await post(editorIn, `/console/doi-tac/${id}/cam-ket`, { method: 'paper', signedAt: '2099-01-01T08:00' })).statusCode).toBe(400)
    expect((await post(editorIn, `/console/doi-tac/${id}/cam-ket`, { method: 'paper', signedAt: '' })).statusCode).toBe(303)
    const acks = await t.database.db.select().from(partnerAcknowledgements).where(eq(partnerAcknowledgements.partnerId, id))
    expect(acks.map((a) => [a.method, a.textVersion])).toEqual([['paper', '2026-01']])
    const page = (await get(editorIn, `/console/doi-tac/${id}`)).body
    expect(page).toContain('Bản 2026-01, ký lúc')
    expect(page).toContain('Ký trên giấy (bản quét)')

    expect(
      (await post(editorIn, `/console/doi-tac/${id}/kenh`, { channelPlatform: 'youtube', channelUrl: 'javascript:alert(1)' })).statusCode,
    ).toBe(400)
    expect(
      (await post(editorIn, `/console/doi-tac/${id}/kenh`, { channelPlatform: 'youtube', channelUrl: 'https://youtube.com/@khoe' }))
        .statusCode,
    ).toBe(303)
    const [tiktok] = channels
    expect((await post(editorIn, `/console/doi-tac/${id}/kenh/${tiktok?.id}/xoa`, {})).statusCode).toBe(303)
    const left = await t.database.db.select().from(partnerChannels).where(eq(partnerChannels.partnerId, id))
    expect(left.map((c) => c.platform)).toEqual(['youtube'])
    const actions = (await auditOf(id)).map((a) => a.action)
    expect(actions).toEqual(['partner.created', 'partner.acknowledgement_recorded', 'partner.channel_added', 'partner.channel_removed'])
  })

  it('adds and edits a press outlet (audited) and lists its journalists', async () => {
    const bad = await post(editorIn, '/console/doi-tac/co-quan', { name: 'Báo Mới', kind: 'online', website: 'ftp://x' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('value="Báo Mới"')
    const res = await post(editorIn, '/console/doi-tac/co-quan', {
      name: 'Đài Phát thanh và Truyền hình Thanh Hóa',
      kind: 'radio_tv',
      licenceNumber: '123/GP-BTTTT',
      licenceIssuer: 'Bộ Thông tin và Truyền thông',
      website: 'https://truyenhinhthanhhoa.vn',
      contactDesk: 'Ban Thời sự, 0237 3852 000',
    })
    expect(res.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(pressOutlets).where(eq(pressOutlets.licenceNumber, '123/GP-BTTTT'))
    const edit = await post(editorIn, `/console/doi-tac/co-quan/${row?.id}`, {
      name: 'Đài PT-TH Thanh Hóa',
      kind: 'radio_tv',
      licenceNumber: '123/GP-BTTTT',
      licenceIssuer: 'Bộ Thông tin và Truyền thông',
      website: 'https://truyenhinhthanhhoa.vn',
      contactDesk: 'Ban Thời sự, 0237 3852 000',
    })
    expect(edit.statusCode).toBe(303)
    const [audit] = (await auditOf(row?.id as string)).filter((a) => a.action === 'press_outlet.updated')
    expect(audit?.summary).toEqual({ fields: ['name'], name: 'Đài PT-TH Thanh Hóa' })
    const page = (await get(officerIn, '/console/doi-tac/co-quan')).body
    expect(page).toContain('Đài PT-TH Thanh Hóa')
    expect(page).toContain(`href="/console/doi-tac?outlet=${outletId}"`)
    expect(page).toContain('Nguyễn Thị Hoà')
    expect(page).not.toContain('action="/console/doi-tac/co-quan"')
    expect((await post(officerIn, '/console/doi-tac/co-quan', { name: 'X', kind: 'online' })).statusCode).toBe(403)
  })
})
