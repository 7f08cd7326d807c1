/**
 * Coverage end to end against real PostgreSQL and a real local HTTP server serving the
 * partners' pages: reporting (portal, API, staff), capture through the desk's guarded capture,
 * Readability, the comparison with the official text (faithful, excerpt, altered with the
 * changed figure, date and name), the clickbait score, refusals (SSRF, not HTML, 50 MB,
 * JavaScript-only, bad URLs; names resolving to private addresses and redirects to them, with
 * the capture's DNS hook), partner isolation, token scope, embargo, correction requests.
 */
import http from 'node:http'
import net, { type AddressInfo } from 'node:net'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { draft, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import type { Resolve } from '../../../platform/http/addresses.ts'
import { createPartnerToken } from '../../portal/tokens/commands/create-partner-token.ts'
import { newLinkToken } from '../distribution.links.ts'
import { distributionDeliveries } from '../distribution.tables.ts'
import type { DeliveryKind } from '../distribution.types.ts'
import { captureCoverage } from './commands/capture-coverage.ts'
import { extractChanges } from './compare.ts'
import { type CoverageRow, coverageCorrectionRequests, coverageReports } from './coverage.tables.ts'

const TITLE = 'Công an tỉnh triệt phá đường dây lừa đảo qua mạng'
const SUMMARY = 'Phòng Cảnh sát hình sự Công an tỉnh vừa triệt phá một đường dây lừa đảo chiếm đoạt tài sản qua mạng xã hội.'
const P1 =
  'Ngày 20/11/2026, tổ công tác do Thượng tá Lê Văn Nam chỉ huy đã bắt giữ 3 người tại xã Quảng Phú khi các đối tượng đang thực hiện hành vi lừa đảo.'
const P2 =
  'Các đối tượng khai nhận đã chiếm đoạt hơn 2 tỷ đồng của 150 người bị hại trên cả nước trong thời gian từ tháng 3 đến tháng 10 năm 2026.'
const P3 =
  'Công an tỉnh khuyến cáo người dân không cung cấp mã OTP, không chuyển tiền cho người lạ và báo ngay cho cơ quan công an khi phát hiện dấu hiệu lừa đảo.'
const ALTERED_P1 = P1.replace('20/11/2026', '21/11/2026').replace('Lê Văn Nam', 'Lê Văn Hùng').replace('3 người', '5 người')
const BAIT = 'Sốc: bắt 5 kẻ lừa đảo, sự thật phía sau khiến ai cũng bàng hoàng!'

/** A name a hostile DNS answers with a private address. */
const PRIVATE_NAME = 'may-chu-noi-bo.example'
/** A name that resolves to a public address (the test network routes that address to the local server). */
const PUBLIC_NAME = 'bao-cong-khai.example'
const PUBLIC_ADDRESS = '93.184.216.34'
/** The tests' DNS: the two names above, nothing else. */
const testDns: Resolve = async (host) => {
  if (host === PRIVATE_NAME) return [{ address: '10.20.30.40', family: 4 }]
  if (host === PUBLIC_NAME) return [{ address: PUBLIC_ADDRESS, family: 4 }]
  throw Object.assign(new Error(`ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
}

/**
 * Routes connections to {@link PUBLIC_ADDRESS} to the local server, as if it were that public
 * host: the capture's guards (its look-up before the request, and the socket's guarded
 * look-up, which the agent keeps) run unchanged and approve the public address; only then is
 * the approved address swapped for 127.0.0.1. Installed as the global HTTP agent (the capture
 * uses it) for the duration of `fn`.
 */
async function withPublicHostOnLocalServer<T>(fn: () => Promise<T>): Promise<T> {
  type Lookup = (host: string, o: { all?: boolean }, cb: (e: Error | null, a: unknown, f?: number) => void) => void
  const local = (a: string) => (a === PUBLIC_ADDRESS ? '127.0.0.1' : a)
  class TestNetworkAgent extends http.Agent {
    // The agent hands the socket on when it is returned (as Node's own createConnection does).
    override createConnection(options: http.ClientRequestArgs): net.Socket {
      const guarded = (options as { lookup?: Lookup }).lookup
      if (!guarded) throw new Error('the capture connects without its guarded look-up')
      const lookup: Lookup = (host, o, done) =>
        guarded(host, o, (e, a, f) => {
          if (e) return done(e, a, f)
          if (Array.isArray(a))
            return done(
              null,
              (a as { address: string; family: number }[]).map((x) => ({ ...x, address: local(x.address) })),
            )
          done(null, local(String(a)), f)
        })
      return net.createConnection({ ...options, lookup } as net.NetConnectOpts)
    }
  }
  const saved = http.globalAgent
  http.globalAgent = new TestNetworkAgent()
  try {
    return await fn()
  } finally {
    http.globalAgent.destroy()
    http.globalAgent = saved
  }
}

/** An outlet's article page: the site's menus and footer around the article. */
function page(headline: string, paragraphs: string[], o: { h1?: string } = {}): string {
  return `<!doctype html><html lang="vi"><head><meta charset="utf-8"><title>${headline} | Báo Thanh Hóa Mới</title>
<meta property="og:title" content="${headline}"></head><body>
<nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a> <a href="/phap-luat">Pháp luật</a></nav>
<main><article>${o.h1 ? `<h1>${o.h1}</h1>` : ''}${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}</article></main>
<footer><p>© Báo Thanh Hóa Mới. Giấy phép số 123/GP-BTTTT.</p></footer></body></html>`
}

let bytesOfHuge = 0

function startServer(): Promise<{ server: http.Server; base: string }> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/'
    const html = (body: string) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body)
    if (url === '/faithful') return html(page(TITLE, [SUMMARY, P1, P2, P3], { h1: TITLE }))
    if (url === '/excerpt') return html(page('Bắt nhóm lừa đảo qua mạng ở Quảng Phú', [P2]))
    if (url === '/altered') return html(page(BAIT, [SUMMARY, ALTERED_P1, P2, P3]))
    if (url === '/unrelated')
      return html(
        page('Thời tiết', [
          'Trời nắng nóng kéo dài trên khắp các huyện miền núi, nhiệt độ cao nhất trong ngày có nơi trên 39 độ C theo đài khí tượng.',
        ]),
      )
    if (url === '/js')
      return html(
        '<!doctype html><html><head><title>Tin nóng</title><script src="/bundle.js"></script></head><body><div id="root"></div><script>render()</script></body></html>',
      )
    if (url === '/image') return res.writeHead(200, { 'content-type': 'image/png' }).end(Buffer.alloc(64))
    if (url === '/redirect-private') return res.writeHead(302, { location: 'http://10.0.0.1/bai' }).end()
    if (url === '/redirect-metadata') return res.writeHead(301, { location: 'http://169.254.169.254/latest/meta-data/' }).end()
    if (url === '/redirect-name') return res.writeHead(307, { location: `http://${PRIVATE_NAME}/bai` }).end()
    if (url === '/redirect-local')
      return res.writeHead(302, { location: `http://127.0.0.1:${(server.address() as AddressInfo).port}/faithful` }).end()
    if (url === '/huge') {
      // 50 MB streamed without Content-Length: the capture must stop reading early.
      res.writeHead(200, { 'content-type': 'text/html' })
      const chunk = Buffer.alloc(64 * 1024, 'a')
      let sent = 0
      const pump = () => {
        while (sent < 50 * 1024 * 1024) {
          sent += chunk.length
          bytesOfHuge = sent
          if (!res.write(chunk)) return res.once('drain', pump)
        }
        res.end()
      }
      res.on('error', () => undefined)
      return pump()
    }
    res.writeHead(404).end()
  })
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  )
}

/** A delivery of the item to the partner (what the fan-out writes). */
async function deliver(t: TestApp, partnerId: string, releaseId: string, kind: DeliveryKind = 'publish') {
  await t.database.db.insert(distributionDeliveries).values({
    tenantId: t.tenant.id,
    itemType: 'release',
    itemId: releaseId,
    kind,
    recipientType: 'partner',
    partnerId,
    channel: 'portal',
    state: 'sent',
    linkToken: newLinkToken(),
    payload: {
      event: 'release.published',
      itemType: 'release',
      itemId: releaseId,
      title: TITLE,
      summary: SUMMARY,
      source: { name: 'CA', url: 'http://x' },
    },
  })
}

/**
 * Runs the capture now (the queue may have run it already) and returns the settled row;
 * `resolve` stands in for DNS (the desk's capture's own hook).
 */
async function settle(t: TestApp, id: string, resolve?: Resolve): Promise<CoverageRow> {
  await captureCoverage({
    database: t.database,
    reportId: id,
    capture: { allowPrivate: t.config.outboundAllowPrivate, resolve },
    lastAttempt: true,
  })
  for (let i = 0; i < 200; i++) {
    const [r] = await t.database.db.select().from(coverageReports).where(eq(coverageReports.id, id))
    if (r && r.state !== 'pending') return r
    await new Promise((res) => setTimeout(res, 50))
  }
  throw new Error('report still pending')
}

async function publishRelease(t: TestApp, editor: MadeUser, approver: MadeUser, mode: 'now' | 'embargo' = 'now') {
  const spokespersonId = await makeSpokesperson(t)
  const id = await draft(t, editor, { spokespersonId, content: { title: TITLE, summary: SUMMARY, bodyMd: `${P1}\n\n${P2}\n\n${P3}` } })
  await submitAndApprove(t, id, editor, approver, mode, mode === 'embargo' ? new Date(Date.now() + 86_400_000) : undefined)
  return id
}

async function tokenFor(t: TestApp, p: MadePartner, scopes: string[]): Promise<string> {
  const created = await withTransaction(t.database.pool, (tx) =>
    createPartnerToken({
      tx,
      actor: { id: p.user.id, tenantId: t.tenant.id, role: p.user.role, email: p.user.email },
      input: { name: 'CMS', scopes, days: '30' },
    }),
  )
  return created.token
}

describe('coverage (captures allowed to reach the local test server)', () => {
  let t: TestApp
  let server: http.Server
  let base: string
  let editor: MadeUser
  let approver: MadeUser
  let releaseId: string
  let a: MadePartner
  let b: MadePartner

  const report = (p: MadePartner, url: string, itemId = releaseId) =>
    t.app.inject({ method: 'POST', url: '/api/v1/coverage', headers: p.login.headers, payload: { itemType: 'release', itemId, url } })

  beforeAll(async () => {
    t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' })
    ;({ server, base } = await startServer())
    editor = await makeUser(t, { role: 'editor' })
    approver = await makeUser(t, { role: 'approver' })
    releaseId = await publishRelease(t, editor, approver)
    a = await makePartner(t, { name: 'Báo Thanh Hóa Mới' })
    b = await makePartner(t, { name: 'Trang tin Xứ Thanh' })
    await deliver(t, a.partner.id, releaseId)
    await deliver(t, b.partner.id, releaseId)
  }, 60_000)
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()))
    await t?.close()
  })

  it('judges a faithful copy (menus and footer set aside by Readability) and audits report and capture', async () => {
    const res = await report(a, `${base}/faithful`)
    expect(res.statusCode).toBe(201)
    const id = res.json().id as string
    const r = await settle(t, id)
    expect(r).toMatchObject({ state: 'captured', verdict: 'faithful', editionNumber: 1 })
    expect(r.text).toContain('bắt giữ 3 người')
    expect(r.text).not.toContain('Giấy phép số')
    const actions = (await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['coverage.reported', 'coverage.captured']))
  })

  it('returns the existing report for the same URL, without a second row', async () => {
    const first = await report(a, `${base}/faithful#binh-luan`)
    expect(first.statusCode).toBe(200)
    const rows = await t.database.db.select().from(coverageReports).where(eq(coverageReports.partnerId, a.partner.id))
    expect(rows.filter((r) => r.url === `${base}/faithful`)).toHaveLength(1)
  })

  it('judges an excerpt', async () => {
    const r = await settle(t, (await report(a, `${base}/excerpt`)).json().id)
    expect(r).toMatchObject({ state: 'captured', verdict: 'excerpt' })
  })

  it('judges an altered copy and names the changed figure, date and name, official → published; scores the headline', async () => {
    const r = await settle(t, (await report(a, `${base}/altered`)).json().id)
    expect(r).toMatchObject({ state: 'captured', verdict: 'altered', headline: BAIT })
    const byKind = (k: string) => r.changes.filter((c) => c.kind === k).map((c) => [c.official, c.published])
    expect(byKind('figure')).toContainEqual(['3', '5'])
    expect(byKind('date')).toContainEqual(['20/11/2026,', '21/11/2026,'])
    expect(byKind('name')).toContainEqual(['Nam', 'Hùng'])
    const [faithful] = await t.database.db
      .select()
      .from(coverageReports)
      .where(and(eq(coverageReports.partnerId, a.partner.id), eq(coverageReports.verdict, 'faithful')))
    expect(r.clickbaitScore).toBeGreaterThan(faithful?.clickbaitScore ?? 1)
    // The staff page marks the changed figure.
    const staff = await loginAs(t, editor)
    const html = (await t.app.inject({ url: `/console/phan-phoi/dua-tin/muc/release/${releaseId}`, headers: staff.headers })).body
    expect(html).toContain('data-outcome="altered"')
    expect(html).toMatch(
      /<del data-official="">3<\/del> → <ins data-published="">5<\/ins>|<del data-official>3<\/del> → <ins data-published>5<\/ins>/,
    )
  })

  it('calls a page in other words "not comparable" rather than altered', async () => {
    const r = await settle(t, (await report(a, `${base}/unrelated`)).json().id)
    expect(r).toMatchObject({ state: 'captured', verdict: 'unrelated', changes: [] })
  })

  it('fails a JavaScript-only page, a non-page and a 50 MB page with their reasons, storing no text', async () => {
    const js = await settle(t, (await report(a, `${base}/js`)).json().id)
    expect(js).toMatchObject({ state: 'failed', failureReason: 'needs_js', text: null })
    const img = await settle(t, (await report(a, `${base}/image`)).json().id)
    expect(img).toMatchObject({ state: 'failed', failureReason: 'not_page', failureDetail: 'image/png', text: null })
    const huge = await settle(t, (await report(a, `${base}/huge`)).json().id)
    expect(huge).toMatchObject({ state: 'failed', failureReason: 'too_large', text: null })
    // Refused early: far less than the 50 MB was ever written.
    expect(bytesOfHuge).toBeLessThan(20 * 1024 * 1024)
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, js.id))
    expect(audit.map((e) => e.action)).toContain('coverage.capture_failed')
  })

  it('refuses bad URLs with a bilingual 400 and writes nothing', async () => {
    const before = (await t.database.db.select().from(coverageReports)).length
    for (const url of [
      'ftp://bao.example.vn/bai',
      `https://bao.example.vn/${'a'.repeat(10_000)}`,
      'https://user:pass@bao.example.vn/bai',
      'javascript:alert(1)',
      'khong phai url',
    ]) {
      const res = await report(a, url)
      expect(res.statusCode, url.slice(0, 40)).toBe(400)
      expect(res.json().error).toMatchObject({ code: 'COVERAGE_INVALID' })
      expect(res.json().error.message.vi).toContain('http')
      expect(res.json().error.message.en).toContain('http')
    }
    expect((await t.database.db.select().from(coverageReports)).length).toBe(before)
  })

  it('keeps each partner to their own reports (portal and API): another partner’s id is 404', async () => {
    const [mine] = await t.database.db.select().from(coverageReports).where(eq(coverageReports.partnerId, a.partner.id))
    const id = mine?.id as string
    expect((await t.app.inject({ url: `/doi-tac/dua-tin/${id}`, headers: b.login.headers })).statusCode).toBe(404)
    expect((await t.app.inject({ url: `/api/v1/coverage/${id}`, headers: b.login.headers })).statusCode).toBe(404)
    expect((await t.app.inject({ url: `/doi-tac/dua-tin/${id}`, headers: a.login.headers })).statusCode).toBe(200)
    const list = (await t.app.inject({ url: '/api/v1/coverage', headers: b.login.headers })).json().items as { id: string }[]
    expect(list.map((x) => x.id)).not.toContain(id)
    const pageB = (await t.app.inject({ url: '/doi-tac/dua-tin', headers: b.login.headers })).body
    expect(pageB).not.toContain(`${base}/altered`)
    const pageA = (await t.app.inject({ url: '/doi-tac/dua-tin', headers: a.login.headers })).body
    expect(pageA).toContain(`${base}/altered`)
    expect(pageA).toContain(`value="release:${releaseId}"`)
  })

  it('reports through the portal form', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/dua-tin',
      headers: { ...b.login.headers, ...form({ item: `release:${releaseId}`, url: `${base}/excerpt` }).headers },
      payload: form({ item: `release:${releaseId}`, url: `${base}/excerpt` }).payload,
    })
    expect(res.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(coverageReports).where(eq(coverageReports.partnerId, b.partner.id))
    expect(row).toMatchObject({ reportedBy: 'partner', url: `${base}/excerpt` })
  })

  it('accepts a partner token only with the coverage scope', async () => {
    const without = await tokenFor(t, a, ['inquiries'])
    const denied = await t.app.inject({ url: '/api/v1/coverage', headers: { authorization: `Bearer ${without}` } })
    expect(denied.statusCode).toBe(403)
    expect(denied.json().error.code).toBe('PARTNER_TOKEN_SCOPE_MISSING')
    const withScope = await tokenFor(t, a, ['coverage'])
    const ok = await t.app.inject({ url: '/api/v1/coverage', headers: { authorization: `Bearer ${withScope}` } })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().items.length).toBeGreaterThan(0)
    const posted = await t.app.inject({
      method: 'POST',
      url: '/api/v1/coverage',
      headers: { authorization: `Bearer ${withScope}` },
      payload: { itemType: 'release', itemId: releaseId, url: `${base}/faithful?utm=api` },
    })
    expect(posted.statusCode).toBe(201)
  })

  it('refuses an item the partner was not sent, and an item still under embargo', async () => {
    const c = await makePartner(t)
    expect((await report(c, `${base}/faithful`)).json().error.code).toBe('COVERAGE_NOT_RECEIVED')
    const embargoed = await publishRelease(t, editor, approver, 'embargo')
    await deliver(t, a.partner.id, embargoed, 'embargo')
    const res = await report(a, `${base}/faithful`, embargoed)
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('COVERAGE_EMBARGOED')
    // Not offered on the form either.
    expect((await t.app.inject({ url: '/doi-tac/dua-tin', headers: a.login.headers })).body).not.toContain(embargoed)
  })

  it('lets staff add coverage they found, for a partner they pick', async () => {
    const staff = await loginAs(t, editor)
    const f = form({ partnerId: b.partner.id, url: `${base}/altered` })
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/dua-tin/muc/release/${releaseId}`,
      headers: { ...staff.headers, ...f.headers },
      payload: f.payload,
    })
    expect(res.statusCode).toBe(303)
    const [row] = await t.database.db
      .select()
      .from(coverageReports)
      .where(and(eq(coverageReports.partnerId, b.partner.id), eq(coverageReports.reportedBy, 'staff')))
    expect(row).toMatchObject({ reportedByUser: editor.id, url: `${base}/altered` })
    const officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
    const refused = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/dua-tin/muc/release/${releaseId}`,
      headers: { ...officer.headers, ...f.headers },
      payload: f.payload,
    })
    expect(refused.statusCode).toBe(403)
  })

  it('sends one correction request on an altered report: request row, portal + e-mail deliveries, audit; the partner sees it', async () => {
    const [altered] = await t.database.db
      .select()
      .from(coverageReports)
      .where(and(eq(coverageReports.partnerId, a.partner.id), eq(coverageReports.verdict, 'altered')))
    const id = altered?.id as string
    const url = `/console/phan-phoi/dua-tin/bao-cao/${id}/yeu-cau-dinh-chinh`
    const officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
    const post = (h: Record<string, string>) => t.app.inject({ method: 'POST', url, headers: { ...h, ...form({}).headers }, payload: '' })
    expect((await post(officer.headers)).statusCode).toBe(403)
    const staff = await loginAs(t, approver)
    expect((await post(staff.headers)).statusCode).toBe(303)
    // A second click changes nothing.
    expect((await post(staff.headers)).statusCode).toBe(303)
    const requests = await t.database.db.select().from(coverageCorrectionRequests).where(eq(coverageCorrectionRequests.coverageId, id))
    expect(requests).toHaveLength(1)
    const req = requests[0]
    expect(req?.message).toContain('09/2017/NĐ-CP')
    expect(req?.quote).toMatchObject({ url: altered?.url })
    expect(req?.quote.official).toContain('3 người')
    expect(req?.quote.published).toContain('5 người')
    const deliveries = await t.database.db
      .select()
      .from(distributionDeliveries)
      .where(and(eq(distributionDeliveries.partnerId, a.partner.id), eq(distributionDeliveries.kind, 'correction_request')))
    // The portal copy is delivered at once; the e-mail is queued for the sender (which may already hold it).
    expect(deliveries.map((d) => d.channel).sort()).toEqual(['email', 'portal'])
    expect(deliveries.find((d) => d.channel === 'portal')?.state).toBe('sent')
    expect(['queued', 'sending', 'sent']).toContain(deliveries.find((d) => d.channel === 'email')?.state)
    expect(deliveries[0]?.payload.quote?.official).toContain('3 người')
    expect(deliveries.find((d) => d.channel === 'email')?.address).toBe(a.partner.email)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, 'coverage.correction_requested')))
    expect(audit).toHaveLength(1)
    expect((await t.app.inject({ url: '/doi-tac/dua-tin', headers: a.login.headers })).body).toContain(
      `data-correction-request="${req?.id}"`,
    )
    expect((await t.app.inject({ url: '/doi-tac/dua-tin', headers: b.login.headers })).body).not.toContain('data-correction-request=')
  })

  it('refuses a correction request on a report that is not altered', async () => {
    const [faithful] = await t.database.db
      .select()
      .from(coverageReports)
      .where(and(eq(coverageReports.partnerId, a.partner.id), eq(coverageReports.verdict, 'faithful')))
    const staff = await loginAs(t, approver)
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/dua-tin/bao-cao/${faithful?.id}/yeu-cau-dinh-chinh`,
      headers: { ...staff.headers, ...form({}).headers },
      payload: '',
    })
    expect(res.statusCode).toBe(409)
    expect(
      await t.database.db
        .select()
        .from(coverageCorrectionRequests)
        .where(eq(coverageCorrectionRequests.coverageId, faithful?.id as string)),
    ).toHaveLength(0)
  })

  it('shows staff the overview and a partner’s accuracy by month', async () => {
    const staff = await loginAs(t, editor)
    const overview = await t.app.inject({ url: '/console/phan-phoi/dua-tin', headers: staff.headers })
    expect(overview.statusCode).toBe(200)
    expect(overview.body).toContain(`data-partner="${a.partner.id}"`)
    const p = await t.app.inject({ url: `/console/phan-phoi/dua-tin/doi-tac/${a.partner.id}`, headers: staff.headers })
    expect(p.statusCode).toBe(200)
    // a: faithful, excerpt, altered (+ the API's faithful copy, if captured) → 2 or 3 of 3 or 4 accurate.
    expect(p.body).toMatch(/data-overall="(67|75)%"/)
    expect(p.body).toMatch(/data-month="\d{4}-\d{2}"/)
    expect((await t.app.inject({ url: '/console/phan-phoi/dua-tin', headers: a.login.headers })).statusCode).toBe(403)
  })
})

describe('coverage with outbound requests limited to public addresses (production setting; test DNS for names)', () => {
  let t: TestApp
  let server: http.Server
  let base: string
  let a: MadePartner
  let releaseId: string
  const served: string[] = []

  beforeAll(async () => {
    t = await createTestApp()
    ;({ server, base } = await startServer())
    server.on('request', (req: http.IncomingMessage) => served.push(req.url ?? ''))
    releaseId = await publishRelease(t, await makeUser(t, { role: 'editor' }), await makeUser(t, { role: 'approver' }))
    a = await makePartner(t)
    await deliver(t, a.partner.id, releaseId)
  }, 60_000)
  afterAll(async () => {
    await new Promise<void>((r) => server.close(() => r()))
    await t?.close()
  })

  const report = async (url: string): Promise<string> => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/coverage',
      headers: a.login.headers,
      payload: { itemType: 'release', itemId: releaseId, url },
    })
    expect(res.statusCode, url).toBe(201)
    return res.json().id
  }

  it('refuses loopback, private, link-local and IPv6 loopback addresses with the reason, storing no text', async () => {
    const port = (server.address() as AddressInfo).port
    for (const url of [
      `${base}/faithful`,
      'http://10.0.0.1/bai',
      'http://169.254.169.254/latest/meta-data/',
      `http://[::1]:${port}/faithful`,
      `${base}/redirect-local`,
    ]) {
      const r = await settle(t, await report(url))
      expect(r, url).toMatchObject({ state: 'failed', failureReason: 'private', text: null, headline: null, verdict: null })
    }
    const page = (await t.app.inject({ url: '/doi-tac/dua-tin', headers: a.login.headers })).body
    expect(page).toContain('Địa chỉ không được phép')
    const en = (await t.app.inject({ url: '/doi-tac/dua-tin?lang=en', headers: a.login.headers })).body
    expect(en).toContain('Address not allowed')
  })

  it('refuses a name that resolves to a private address, before any request', async () => {
    const port = (server.address() as AddressInfo).port
    // Resolved by the test DNS (10.20.30.40), and by the system's own resolver (localhost).
    for (const [url, resolve] of [
      [`http://${PRIVATE_NAME}:${port}/faithful`, testDns],
      [`http://localhost:${port}/faithful`, undefined],
    ] as const) {
      const before = served.length
      const r = await settle(t, await report(url), resolve)
      expect(r, url).toMatchObject({ state: 'failed', failureReason: 'private', text: null, headline: null, verdict: null })
      expect(served.length, url).toBe(before)
    }
  })

  it('refuses redirects to 10/8, to 169.254.169.254 and to a name resolving privately; the same public host is captured otherwise', async () => {
    const port = (server.address() as AddressInfo).port
    await withPublicHostOnLocalServer(async () => {
      // The control: the public host's own page passes every guard and is captured.
      const ok = await settle(t, await report(`http://${PUBLIC_NAME}:${port}/faithful`), testDns)
      expect(ok).toMatchObject({ state: 'captured', verdict: 'faithful' })
      expect(served).toContain('/faithful')
      for (const path of ['/redirect-private', '/redirect-metadata', '/redirect-name']) {
        const before = served.length
        const r = await settle(t, await report(`http://${PUBLIC_NAME}:${port}${path}`), testDns)
        expect(r, path).toMatchObject({ state: 'failed', failureReason: 'private', text: null, headline: null, verdict: null })
        // The first hop was fetched (the redirect came from it); the private target never was.
        expect(served.slice(before), path).toEqual([path])
      }
    })
    const failures = await t.database.db
      .select({ summary: auditEvents.summary })
      .from(auditEvents)
      .where(eq(auditEvents.action, 'coverage.capture_failed'))
    const details = failures.map((f) => (f.summary as { detail?: string }).detail)
    expect(details).toEqual(expect.arrayContaining(['10.0.0.1', '169.254.169.254', PRIVATE_NAME]))
  })
})

describe('extractChanges', () => {
  it('classifies changed runs as figure, date, name or wording', () => {
    const changes = extractChanges([
      { kind: 'same', text: 'đã chiếm đoạt hơn' },
      { kind: 'removed', text: '1.500.000' },
      { kind: 'added', text: '2.500.000' },
      { kind: 'same', text: 'đồng vào lúc' },
      { kind: 'removed', text: '9h30' },
      { kind: 'added', text: '10h30' },
      { kind: 'same', text: 'sáng, do' },
      { kind: 'removed', text: 'Nam' },
      { kind: 'added', text: 'Hùng' },
      { kind: 'same', text: 'chỉ huy' },
      { kind: 'added', text: 'rất' },
      { kind: 'same', text: 'quyết liệt' },
    ])
    expect(changes.map((c) => c.kind)).toEqual(['figure', 'date', 'name', 'wording'])
    expect(changes[0]).toMatchObject({ official: '1.500.000', published: '2.500.000', before: 'chiếm đoạt hơn', after: 'đồng vào lúc' })
  })
})
