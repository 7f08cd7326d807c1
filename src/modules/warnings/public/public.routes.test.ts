/**
 * The public pages of warnings over real HTTP and a real database: the list (order, sections,
 * kind and commune filters — by code, by name without diacritics and with the old tone mark),
 * a warning's page (content, history, English, JSON-LD), share cards (PNG sizes, ETag per
 * version), every CAP message served (validated against the OASIS schema), the active-alerts
 * feed (parsed; in force only; a new publication shows within a second), and a closed
 * missing-person warning gone from every surface.
 */
import { eq, sql } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { all, parseXml, text, validateCap } from '../cap/cap.test-support.ts'
import { publishVersion } from '../commands/publish-version.ts'
import { makeDraftWarning, makePublishedWarning } from '../warnings.test-support.ts'
import { warnings } from '../warnings.tables.ts'
import { communesMatching } from './commune-match.ts'
import { warningsCacheFor } from './public.cache.ts'

type WarningRow = typeof warnings.$inferSelect
const HOUR = 3600_000
const HOTLINE = '0237 3 852 113'

let t: TestApp
const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers })
let scamAlert: WarningRow
let trafficWide: WarningRow
let orderCommunity: WarningRow
let draft: WarningRow
let expired: WarningRow
let cancelled: WarningRow
let wanted: WarningRow
let person: WarningRow
let cardV1: { etag: string; png: Buffer }

/** Waits until the warnings' cache has seen `n` more invalidations than `before` (the NOTIFY arrived). */
async function invalidated(before: number): Promise<void> {
  const cache = await warningsCacheFor(t.app)
  for (let i = 0; i < 200 && cache.stats.invalidations <= before; i++) await new Promise((r) => setTimeout(r, 10))
  expect(cache.stats.invalidations).toBeGreaterThan(before)
}

async function invalidations(): Promise<number> {
  return (await warningsCacheFor(t.app)).stats.invalidations
}

/** Publishes the next version of a warning (update, cancel or close) as the commands would. */
async function next(w: WarningRow, state: 'active' | 'cancelled' | 'closed', o: { set?: Partial<WarningRow>; changeNote?: string } = {}) {
  const before = await invalidations()
  const r = await withTransaction(t.database.pool, async (tx) => {
    if (o.set && state === 'active') await tx.update(warnings).set(o.set).where(eq(warnings.id, w.id))
    const [locked] = await tx.select().from(warnings).where(eq(warnings.id, w.id)).for('update')
    return publishVersion(tx, {
      warning: locked as WarningRow,
      state,
      publishedBy: null,
      approvedBy: null,
      urgent: false,
      changeNote: o.changeNote ?? null,
      set: state === 'active' ? undefined : o.set,
      publicUrl: t.config.publicUrl,
    })
  })
  await invalidated(before)
  return r.warning
}

const pub = (over: Partial<WarningRow>) => makePublishedWarning(t.database, t.tenant.id, over, { publicUrl: t.config.publicUrl })

beforeAll(async () => {
  t = await createTestApp()
  await t.database.db.execute(
    sql`UPDATE tenants SET name = 'Công an tỉnh Thanh Hóa', hotline = ${HOTLINE}, website = 'https://congan.thanhhoa.gov.vn' WHERE id = ${t.tenant.id}`,
  )
  Object.assign(t.tenant, { name: 'Công an tỉnh Thanh Hóa', hotline: HOTLINE, website: 'https://congan.thanhhoa.gov.vn' })
  const past = new Date(now().getTime() - 48 * HOUR)
  expired = await pub({
    kind: 'traffic',
    level: 'advisory',
    titleVi: 'Phân luồng giao thông lễ hội đã qua zqexpired',
    validFrom: past,
    validUntil: new Date(now().getTime() - 24 * HOUR),
    wholeProvince: true,
    communes: [],
  })
  scamAlert = await pub({
    titleVi: 'Giả danh công an gọi điện đòi nộp phạt nguội zqscam',
    communes: ['xa-hoang-hoa', 'phuong-hac-thanh'],
    titleEn: 'Callers posing as police demand traffic fines zqscam',
    descriptionEn: 'Callers claim to be police officers and send a link to pay a fine.',
    instructionEn: 'Do not click the link; call 113.',
  })
  trafficWide = await pub({
    kind: 'traffic',
    level: 'advisory',
    titleVi: 'Phân luồng giao thông toàn tỉnh dịp lễ zqtraffic',
    descriptionVi: 'Cấm xe tải trên quốc lộ 1A từ 6 giờ đến 22 giờ.',
    wholeProvince: true,
    communes: [],
    validUntil: new Date(now().getTime() + 72 * HOUR),
  })
  orderCommunity = await pub({
    kind: 'public_order',
    level: 'community',
    titleVi: 'Bảo đảm trật tự tại chợ phiên Đồng Tiến zqorder',
    communes: ['xa-dong-tien'],
  })
  cancelled = await pub({ titleVi: 'Cảnh báo lừa đảo phát nhầm zqcancelled', communes: ['xa-dong-tien'] })
  wanted = await pub({
    kind: 'wanted',
    level: 'alert',
    titleVi: 'Truy nã đối tượng Trần Văn Zqtruyna',
    descriptionVi: 'Đối tượng Trần Văn Zqtruyna, sinh năm 1990, bị truy nã về tội cướp tài sản.',
    legalBasis: 'Quyết định truy nã số 12/QĐ-TN ngày 01/12/2025',
    communes: ['phuong-hac-thanh'],
  })
  draft = await makeDraftWarning(t.database, t.tenant.id, { titleVi: 'Bản nháp chưa duyệt zqdraft' })
  cancelled = await next(cancelled, 'cancelled', {
    set: { cancelledAt: now(), cancelReason: 'Phát nhầm địa bàn, đã thay bằng cảnh báo khác.' },
  })
})
afterAll(async () => {
  await t?.close()
})

describe('commune matching ("xã của tôi")', () => {
  it('finds a commune by code, by name with or without diacritics and with either tone placement', () => {
    for (const q of [
      'xa-hoang-hoa',
      'Hoằng Hóa',
      'Hoằng Hoá',
      'hoang hoa',
      'HOANG HOA',
      'Xã Hoằng Hoá',
      'xa hoang hoa',
      'Hoằng Hóa'.normalize('NFD'),
    ])
      expect(
        communesMatching(q).map((c) => c.code),
        q,
      ).toEqual(['xa-hoang-hoa'])
    // A part of a name lists every commune that has it; nothing for nonsense.
    expect(communesMatching('hoang').length).toBeGreaterThan(3)
    expect(communesMatching('khong co xa nay')).toEqual([])
    expect(communesMatching('   ')).toEqual([])
  })
})

describe('the list /canh-bao', () => {
  it('lists warnings in force first (Alert first, then newest), ended ones after; never a draft', async () => {
    const res = await get('/canh-bao')
    expect(res.statusCode).toBe(200)
    const html = res.body
    const inForce = html.slice(html.indexOf('id="in-force"'), html.indexOf('id="ended"'))
    const ended = html.slice(html.indexOf('id="ended"'))
    const pos = (s: string) => inForce.indexOf(s)
    // Alerts (scam, wanted — the wanted one is newer) before the Advisory before the Community one.
    expect(pos('Zqtruyna')).toBeGreaterThan(-1)
    expect(pos('Zqtruyna')).toBeLessThan(pos('zqscam'))
    expect(pos('zqscam')).toBeLessThan(pos('zqtraffic'))
    expect(pos('zqtraffic')).toBeLessThan(pos('zqorder'))
    expect(inForce).not.toContain('zqexpired')
    expect(ended).toContain('zqexpired')
    expect(ended).toContain('zqcancelled')
    expect(ended).toContain('Đã hủy')
    expect(ended).toContain('Đã hết hiệu lực')
    expect(html).not.toContain('zqdraft')
    expect(html).toContain('Toàn tỉnh')
    expect(html).toContain('Xã Hoằng Hóa, Phường Hạc Thành')
    expect(html).toContain('badge wlevel wlevel-alert')
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" href="/canh-bao/cap.atom"')
    expect(html).toContain('href="/canh-bao/kiem-tra-tin-nhan"')
    expect(html).toContain('aria-current="page" data-menu="warnings"')
  })

  it('filters by commune (code, name without diacritics, old tone mark); a whole-province warning matches every commune', async () => {
    for (const q of ['xa-hoang-hoa', 'hoang hoa', 'Hoằng Hoá', 'Xã Hoằng Hóa']) {
      const html = (await get(`/canh-bao?xa=${encodeURIComponent(q)}`)).body
      expect(html, q).toContain('zqscam')
      expect(html, q).toContain('zqtraffic')
      expect(html, q).not.toContain('zqorder')
      expect(html, q).not.toContain('Zqtruyna')
      expect(html, q).toContain('Cảnh báo cho: Xã Hoằng Hóa')
    }
    const other = (await get(`/canh-bao?xa=${encodeURIComponent('Đồng Tiến')}`)).body
    expect(other).toContain('zqorder')
    expect(other).toContain('zqtraffic')
    expect(other).not.toContain('zqscam')
    // Typed with diacritics, "Đông Tiến" (a ward) is not "Đồng Tiến"; without them it is either.
    expect((await get(`/canh-bao?xa=${encodeURIComponent('Đông Tiến')}`)).body).not.toContain('zqorder')
    const folded = (await get('/canh-bao?xa=dong+tien')).body
    expect(folded).toContain('zqorder')
    expect(folded).toContain('Cảnh báo cho: Phường Đông Tiến, Xã Đồng Tiến')
    const unknown = await get('/canh-bao?xa=khong-co-xa-nay')
    expect(unknown.statusCode).toBe(200)
    expect(unknown.body).toContain('Không tìm thấy xã, phường nào có tên “khong-co-xa-nay”')
    expect(unknown.body).not.toContain('zqscam')
  })

  it('filters by kind (and says so when the kind is unknown)', async () => {
    const html = (await get('/canh-bao?loai=giao-thong')).body
    expect(html).toContain('zqtraffic')
    expect(html).toContain('zqexpired')
    expect(html).not.toContain('zqscam')
    expect(html).not.toContain('zqorder')
    const both = (await get('/canh-bao?loai=lua-dao&xa=hoang+hoa')).body
    expect(both).toContain('zqscam')
    expect(both).not.toContain('zqtraffic')
    const bad = (await get('/canh-bao?loai=khong-co')).body
    expect(bad).toContain('Không có loại cảnh báo “khong-co”')
    expect(bad).toContain('zqscam')
    expect((await get(`/canh-bao?xa=${'a'.repeat(300)}`)).statusCode).toBe(400)
  })
})

describe('a warning page', () => {
  it('shows the latest version with area, validity, hotline, source, English, history and valid JSON-LD', async () => {
    const res = await get(`/canh-bao/${scamAlert.slug}`)
    expect(res.statusCode).toBe(200)
    const html = res.body
    expect(html).toContain('<h1 lang="vi">Giả danh công an gọi điện đòi nộp phạt nguội zqscam</h1>')
    expect(html).toContain('Không bấm vào đường link lạ')
    expect(html).toContain('Xã Hoằng Hóa, Phường Hạc Thành')
    expect(html).toContain(HOTLINE)
    expect(html).toContain('https://congan.thanhhoa.gov.vn')
    expect(html).toContain('Callers posing as police demand traffic fines zqscam')
    expect(html).toContain('Phát cảnh báo')
    expect(html).toContain(`href="/canh-bao/${scamAlert.slug}/cap.xml"`)
    expect(html).toContain(`<meta property="og:image" content="http://donghanh.test/canh-bao/${scamAlert.slug}/the.png">`)
    expect(html).toContain('<meta name="twitter:card" content="summary_large_image">')
    expect(html).not.toContain('noindex')
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)?.[1] as string)
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'SpecialAnnouncement',
      name: 'Giả danh công an gọi điện đòi nộp phạt nguội zqscam',
      category: 'Thủ đoạn lừa đảo',
      url: `http://donghanh.test/canh-bao/${scamAlert.slug}`,
      spatialCoverage: [
        { '@type': 'AdministrativeArea', name: 'Xã Hoằng Hóa' },
        { '@type': 'AdministrativeArea', name: 'Phường Hạc Thành' },
      ],
    })
    expect(new Date(ld.datePosted).getTime()).toBe((scamAlert.firstPublishedAt as Date).getTime())
  })

  it('keeps a title with </script> inside the JSON-LD, escaped', async () => {
    const w = await pub({ titleVi: 'Cảnh báo </script><script>alert(1)</script> zqxss', communes: ['xa-dong-tien'] })
    const html = (await get(`/canh-bao/${w.slug}`)).body
    expect(html).not.toContain('<script>alert(1)')
    const ld = JSON.parse(html.match(/<script type="application\/ld\+json">(.*?)<\/script>/s)?.[1] as string)
    expect(ld.name).toBe('Cảnh báo </script><script>alert(1)</script> zqxss')
  })

  it('shows the cancelled banner with its reason, a wanted notice with its legal basis; unknown and draft are 404', async () => {
    const c = (await get(`/canh-bao/${cancelled.slug}`)).body
    expect(c).toContain('Đã hủy cảnh báo')
    expect(c).toContain('Phát nhầm địa bàn, đã thay bằng cảnh báo khác.')
    expect(c).toContain('Hủy cảnh báo')
    const w = (await get(`/canh-bao/${wanted.slug}`)).body
    expect(w).toContain('Căn cứ pháp lý')
    expect(w).toContain('Quyết định truy nã số 12/QĐ-TN ngày 01/12/2025')
    const e = (await get(`/canh-bao/${expired.slug}`)).body
    expect(e).toContain('<strong>Đã hết hiệu lực</strong>')
    expect(await validateCap((await get(`/canh-bao/${expired.slug}/cap.xml`)).body)).toEqual({ valid: true, errors: [] })
    const o = (await get(`/canh-bao/${orderCommunity.slug}?lang=en`)).body
    expect(o).toContain('<span class="badge wlevel wlevel-community">Community</span>')
    expect(o).toContain('What to do')
    expect(o).not.toContain('Đã hết hiệu lực')
    expect((await get('/canh-bao/khong-co-canh-bao-nay')).statusCode).toBe(404)
    for (const path of ['', '/cap.xml', '/cap/1.xml', '/the.png', '/the-doc.png'])
      expect((await get(`/canh-bao/${draft.slug}${path}`)).statusCode, path).toBe(404)
  })

  it('serves share cards of the right size, with an ETag per version', async () => {
    const wide = await get(`/canh-bao/${scamAlert.slug}/the.png`)
    expect(wide.statusCode).toBe(200)
    expect(wide.headers['content-type']).toBe('image/png')
    expect(wide.headers['cache-control']).toMatch(/^public, max-age=\d+/)
    expect(await sharp(wide.rawPayload).metadata()).toMatchObject({ format: 'png', width: 1200, height: 630 })
    const story = await get(`/canh-bao/${scamAlert.slug}/the-doc.png`)
    expect(await sharp(story.rawPayload).metadata()).toMatchObject({ format: 'png', width: 1080, height: 1920 })
    expect(story.headers.etag).not.toBe(wide.headers.etag)
    const again = await get(`/canh-bao/${scamAlert.slug}/the.png`, { 'if-none-match': String(wide.headers.etag) })
    expect(again.statusCode).toBe(304)
    cardV1 = { etag: String(wide.headers.etag), png: wide.rawPayload }
  })

  it('after an update: the page says "Cập nhật" with the change note, the card has a new ETag, CAP Update references the Alert', async () => {
    scamAlert = await next(scamAlert, 'active', {
      set: { titleVi: 'Cập nhật: giả danh công an đòi nộp phạt nguội qua Zalo zqscam' },
      changeNote: 'Thêm thủ đoạn gửi link qua Zalo.',
    })
    const html = (await get(`/canh-bao/${scamAlert.slug}`)).body
    expect(html).toContain('Cập nhật: giả danh công an đòi nộp phạt nguội qua Zalo zqscam')
    expect(html).toContain('Thêm thủ đoạn gửi link qua Zalo.')
    expect(html).toContain('badge warn wupdated')
    expect(html).toContain(`/canh-bao/${scamAlert.slug}/cap/1.xml`)
    expect(html).toContain(`/canh-bao/${scamAlert.slug}/cap/2.xml`)
    const list = (await get('/canh-bao')).body
    expect(list).toContain('Cập nhật: giả danh')
    const card = await get(`/canh-bao/${scamAlert.slug}/the.png`, { 'if-none-match': cardV1.etag })
    expect(card.statusCode).toBe(200)
    expect(card.headers.etag).not.toBe(cardV1.etag)
    expect(Buffer.compare(card.rawPayload, cardV1.png)).not.toBe(0)
  })
})

describe('CAP and the feed', () => {
  it('serves every CAP message valid against the schema: Alert, Update with references, Cancel', async () => {
    const cases: [string, string, number][] = [
      [`/canh-bao/${scamAlert.slug}/cap/1.xml`, 'Alert', 0],
      [`/canh-bao/${scamAlert.slug}/cap.xml`, 'Update', 1],
      [`/canh-bao/${scamAlert.slug}/cap/2.xml`, 'Update', 1],
      [`/canh-bao/${trafficWide.slug}/cap.xml`, 'Alert', 0],
      [`/canh-bao/${cancelled.slug}/cap.xml`, 'Cancel', 1],
      [`/canh-bao/${wanted.slug}/cap.xml`, 'Alert', 0],
    ]
    for (const [url, msgType, refs] of cases) {
      const res = await get(url)
      expect(res.statusCode, url).toBe(200)
      expect(res.headers['content-type']).toBe('application/cap+xml; charset=utf-8')
      expect(await validateCap(res.body), url).toEqual({ valid: true, errors: [] })
      const alert = parseXml(res.body)
      expect(text(alert, 'msgType')).toBe(msgType)
      expect((text(alert, 'references') ?? '').split(' ').filter(Boolean).length, url).toBe(refs)
    }
    expect((await get(`/canh-bao/${scamAlert.slug}/cap/3.xml`)).statusCode).toBe(404)
    expect((await get(`/canh-bao/${scamAlert.slug}/cap/abc.xml`)).statusCode).toBe(404)
  })

  it('lists in force warnings only in the Atom feed, each pointing at its page and its CAP', async () => {
    const res = await get('/canh-bao/cap.atom')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8')
    const feed = parseXml(res.body)
    expect(feed.name).toBe('feed')
    const entries = all(feed, 'entry')
    const titles = entries.map((e) => text(e, 'title') ?? '')
    for (const m of ['zqscam', 'zqtraffic', 'zqorder', 'Zqtruyna'])
      expect(
        titles.some((x) => x.includes(m)),
        m,
      ).toBe(true)
    for (const m of ['zqdraft', 'zqexpired', 'zqcancelled']) expect(res.body, m).not.toContain(m)
    const scam = entries.find((e) => (text(e, 'title') ?? '').includes('zqscam'))
    const links = all(scam as NonNullable<typeof scam>, 'link').map((l) => [l.attrs.rel, l.attrs.href])
    expect(links).toEqual([
      ['alternate', `http://donghanh.test/canh-bao/${scamAlert.slug}`],
      ['related', `http://donghanh.test/canh-bao/${scamAlert.slug}/cap.xml`],
    ])
  })

  it('shows a newly published Alert in the cached feed within a second', async () => {
    await get('/canh-bao/cap.atom')
    expect((await get('/canh-bao/cap.atom')).headers['x-cache']).toBe('hit')
    const started = Date.now()
    const w = await makePublishedWarning(
      t.database,
      t.tenant.id,
      { titleVi: 'Cảnh báo khẩn mới zqfresh' },
      { urgent: true, publicUrl: t.config.publicUrl },
    )
    let body = ''
    while (Date.now() - started < 1000) {
      body = (await get('/canh-bao/cap.atom')).body
      if (body.includes(w.slug)) break
      await new Promise((r) => setTimeout(r, 20))
    }
    expect(body).toContain(w.slug)
    expect(Date.now() - started).toBeLessThan(1000)
  })
})

describe('a closed missing-person warning', () => {
  const NAME = 'Phạm Thị Zqlan'
  const surfaces = () => [
    `/canh-bao/${person.slug}`,
    '/canh-bao',
    '/canh-bao?loai=tim-nguoi',
    `/canh-bao?xa=${encodeURIComponent('Đồng Tiến')}`,
    '/canh-bao/cap.atom',
    `/canh-bao/${person.slug}/cap.xml`,
    `/canh-bao/${person.slug}/cap/1.xml`,
    `/canh-bao/${person.slug}/the.png`,
    `/canh-bao/${person.slug}/the-doc.png`,
  ]
  const seen = async () => {
    const out: Record<string, number> = {}
    for (const url of surfaces()) {
      const res = await get(url)
      const body = url.endsWith('.png') ? '' : res.body
      out[url] = res.statusCode
      if (body.includes('Zqlan') || body.includes(NAME)) out[url] = -res.statusCode
    }
    return out
  }

  it('is on every surface while open, then shows only that it was closed', async () => {
    person = await pub({
      kind: 'missing_person',
      level: 'advisory',
      titleVi: `Tìm người mất tích: bà ${NAME}, 72 tuổi`,
      descriptionVi: `Bà ${NAME} rời nhà ở xã Đồng Tiến sáng 3/12, mặc áo nâu, đi dép tổ ong.`,
      communes: ['xa-dong-tien'],
    })
    // The probes can see: the name is everywhere while the warning is open.
    const open = await seen()
    for (const url of surfaces().filter((u) => !u.endsWith('.png'))) expect(open[url], url).toBeLessThan(0)
    expect((await get(`/canh-bao/${person.slug}/the.png`)).statusCode).toBe(200)

    person = await next(person, 'closed', { set: { closedAt: now(), closeReason: 'found' } })
    const closed = await seen()
    expect(closed).toEqual({
      [`/canh-bao/${person.slug}`]: 200,
      '/canh-bao': 200,
      '/canh-bao?loai=tim-nguoi': 200,
      [`/canh-bao?xa=${encodeURIComponent('Đồng Tiến')}`]: 200,
      '/canh-bao/cap.atom': 200,
      [`/canh-bao/${person.slug}/cap.xml`]: 200,
      [`/canh-bao/${person.slug}/cap/1.xml`]: 410,
      [`/canh-bao/${person.slug}/the.png`]: 410,
      [`/canh-bao/${person.slug}/the-doc.png`]: 410,
    })
    const page = await get(`/canh-bao/${person.slug}`)
    expect(page.body).toContain('Người được tìm kiếm đã được tìm thấy.')
    expect(page.body).toContain('<meta name="robots" content="noindex">')
    expect(page.headers['x-robots-tag']).toBe('noindex')
    expect(page.body).not.toContain('application/ld+json')
    expect(page.body).not.toContain('og:image')
    expect(page.body).not.toContain('mất tích')
    expect(page.body).not.toContain('Đồng Tiến')
    const cancel = (await get(`/canh-bao/${person.slug}/cap.xml`)).body
    expect(text(parseXml(cancel), 'msgType')).toBe('Cancel')
    expect(await validateCap(cancel)).toEqual({ valid: true, errors: [] })
    expect((await get('/canh-bao?loai=tim-nguoi')).body).not.toContain(person.slug)
  })

  it('a cancelled wanted notice comes down too: only a neutral notice and its neutral Cancel remain', async () => {
    expect((await get(`/canh-bao/${wanted.slug}`)).body).toContain('Zqtruyna')
    wanted = await next(wanted, 'cancelled', { set: { cancelledAt: now(), cancelReason: 'Đối tượng Trần Văn Zqtruyna đã ra đầu thú.' } })
    const page = await get(`/canh-bao/${wanted.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Thông tin về người được nêu trong cảnh báo đã được gỡ')
    expect(page.body).not.toContain('Zqtruyna')
    expect((await get('/canh-bao')).body).not.toContain('Zqtruyna')
    expect((await get('/canh-bao/cap.atom')).body).not.toContain('Zqtruyna')
    expect((await get(`/canh-bao/${wanted.slug}/cap/1.xml`)).statusCode).toBe(410)
    expect((await get(`/canh-bao/${wanted.slug}/the.png`)).statusCode).toBe(410)
    const cancel = await get(`/canh-bao/${wanted.slug}/cap.xml`)
    expect(cancel.body).not.toContain('Zqtruyna')
    expect(await validateCap(cancel.body)).toEqual({ valid: true, errors: [] })
  })
})
