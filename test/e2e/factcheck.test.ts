/**
 * The verification desk in a real browser, from a rumour to everyone who asked being told:
 * `donghanh seed-demo` fills a fresh data folder (demo editor and approver with passwords and
 * TOTP secrets), then `donghanh serve` runs on it with a real SMTP server started here.
 *
 * A neighbour first reports a similar rumour (so a match suggestion exists). A citizen, in an
 * anonymous browser, submits the rumour with diacritics, a link and a contact e-mail, gets a
 * ticket KC-YYYY-NNNNN-NNNNN and a status page saying it is being received. The demo editor signs
 * in, finds the claim in the queue, sees the similar claim suggested, triages it, adds a note,
 * captures a page served by a local HTTP server as evidence (its SHA-256 checked against the
 * stored text and HTML), drafts a "Sai sự thật" verdict citing it and submits it. The demo
 * approver (another person: four-eyes) approves and publishes. The citizen's status page shows
 * the verdict and its link; the verdict page has exactly one ClaimReview JSON-LD with its
 * required fields; the e-mail with the verdict link arrives at the SMTP server. A second
 * citizen types a reworded version without diacritics and is shown the verdict while typing
 * and on the ticket page. The desk page switches to English and back.
 * Every page is saved as a screenshot under test-output/e2e/factcheck/.
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system one, or the npm one).
 */
import { createHash } from 'node:crypto'
import { createServer, type Server as HttpServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import type { ParsedMail } from 'mailparser'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  demoUser,
  expectAccessible,
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  navigate,
  ROOT,
  screenshots,
  seen,
  signIn,
  signOut,
  startDemoRun,
  startSmtp,
  stopDemoRun,
  submitButton,
  type TestSmtp,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/factcheck')
const shot = screenshots(SHOTS)
const DESK = '/console/kiem-chung'

/** The citizen's rumour, with diacritics, a link (tracking parameters to be removed) and a contact. */
const RUMOUR = {
  text: 'Khẩn cấp: nhà máy nước Mật Sơn bị kẻ xấu đầu độc, người dân phường Đông Vệ tuyệt đối không dùng nước máy trong ba ngày tới',
  link: 'https://www.facebook.com/groups/tinnongdongve/posts/778899?fbclid=IwAR0abc&utm_source=zalo',
  linkPath: '/groups/tinnongdongve/posts/778899',
  seen: 'facebook',
  seenDetail: 'Nhóm “Tin nóng Đông Vệ”',
  email: 'nguoi.dan.dong.ve@example.vn',
}
/** A neighbour's earlier, shorter report of the same rumour: similar enough to be suggested, not merged. */
const SIMILAR = 'Nước máy Mật Sơn bị đầu độc, dân Đông Vệ không được dùng nước máy'
/** The second citizen's reworded version, without diacritics. */
const REWORDED = 'phuong Dong Ve: 3 ngay toi khong dung nuoc may, nha may Mat Son bi ke xau dau doc roi'
/** The verdict the editor drafts. */
const VERDICT = {
  label: 'Sai sự thật / False (1/5)',
  labelVi: 'Sai sự thật',
  headline: 'Không có việc nhà máy nước Mật Sơn bị đầu độc; nước máy ở Đông Vệ vẫn dùng bình thường',
  explanation: [
    'Công ty cổ phần Nước sạch Thanh Hóa cho biết kết quả xét nghiệm mẫu nước ngày 18/11 đạt quy chuẩn QCVN 01-1:2018/BYT.',
    '',
    'Công an phường Đông Vệ **không nhận được tin báo** nào về việc đầu độc nguồn nước. Đề nghị người dân không chia sẻ tin chưa được kiểm chứng.',
  ].join('\n'),
}
const NOTE = 'Đã gọi điện cho trực ban Công ty Nước sạch: không có sự cố, mẫu nước đạt chuẩn.'
/** The page captured as evidence, served by a local HTTP server. */
const EVIDENCE_TITLE = 'Thông báo kết quả xét nghiệm nước sạch – Công ty cổ phần Nước sạch Thanh Hóa'
const EVIDENCE_HTML = `<!doctype html>
<html lang="vi">
<head><meta charset="utf-8"><title>${EVIDENCE_TITLE}</title></head>
<body>
<h1>Thông báo kết quả xét nghiệm mẫu nước ngày 18/11</h1>
<p>Các mẫu nước lấy tại nhà máy nước Mật Sơn và mạng lưới phường Đông Vệ đều đạt quy chuẩn kỹ thuật quốc gia QCVN 01-1:2018/BYT.</p>
<p>Nhà máy vận hành bình thường, không có sự cố về chất lượng nước.</p>
</body>
</html>
`

/** The year of a ticket code: the current year in Vietnam. */
function vietnamYear(): string {
  return new Intl.DateTimeFormat('en', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric' }).format(new Date())
}

/** The text of a node as stored (not as rendered): pre-formatted content is compared byte for byte. */
function textOf(page: Page, selector: string): Promise<string> {
  return page.locator(selector).evaluate((el) => el.textContent ?? '')
}

/** Fills the public form (saved as screenshot `name`) and submits it; returns the ticket page's URL. */
async function submitRumour(
  page: Page,
  base: string,
  name: string,
  f: { text: string; link?: string; seen?: string; seenDetail?: string; email?: string },
): Promise<URL> {
  const res = await navigate(page, () => page.goto(`${base}/kiem-chung`))
  expect(res.status()).toBe(200)
  await page.getByLabel('Nội dung tin cần kiểm chứng').fill(f.text)
  if (f.link) await page.getByLabel('Đường dẫn nơi tin xuất hiện').fill(f.link)
  if (f.seen) await page.getByLabel('Bạn thấy tin này ở đâu?').selectOption(f.seen)
  if (f.seenDetail) await page.getByLabel('Cụ thể').fill(f.seenDetail)
  if (f.email) await page.getByLabel('Thư điện tử để nhận kết quả').fill(f.email)
  await shot(page, name)
  const sent = await submitButton(page, '/kiem-chung')
  expect(sent.status()).toBe(200)
  const url = new URL(page.url())
  expect(url.pathname).toMatch(/^\/kiem-chung\/phieu\/KC-\d{4}-\d{5}-\d{5}$/)
  return url
}

// --- the flow ---------------------------------------------------------------------------

describe('verification desk in a browser: rumour → ticket → investigation → four-eyes verdict → everyone told', () => {
  let run: DemoRun | undefined
  let smtp: TestSmtp | undefined
  let site: HttpServer | undefined
  let sitePort = 0
  const mails: { to: string[]; mail: ParsedMail }[] = []

  beforeAll(async () => {
    // A real SMTP server: every message is parsed and kept with its envelope recipients.
    smtp = await startSmtp((mail, to) => mails.push({ to, mail }))

    // A small web site standing in for the water company's notice (loopback is allowed in NODE_ENV=test).
    site = createServer((req, res) => {
      if (req.url === '/thong-bao-nuoc-sach.html') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(EVIDENCE_HTML)
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      }
    })
    const web = site
    await new Promise<void>((resolve, reject) => {
      web.once('error', reject)
      web.listen(0, '127.0.0.1', () => resolve())
    })
    sitePort = (web.address() as AddressInfo).port

    // Three browsers with their own cookies: the citizen, a neighbour (later a second citizen), the press office.
    run = await startDemoRun(SHOTS, 'donghanh-e2e-factcheck-', { browsers: 3, env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` } })
  }, 180_000)

  afterAll(async () => {
    try {
      await stopDemoRun(run)
    } finally {
      await smtp?.close()
      if (site) {
        const web = site
        web.closeAllConnections()
        await new Promise<void>((resolve) => web.close(() => resolve()))
      }
    }
  }, 60_000)

  it('takes a rumour from the public form to a published verdict that reaches everyone who asked', async () => {
    if (!run) throw new Error('not started')
    const { server, manifest } = run
    const [citizen, neighbour, staff] = run.browsers as [BrowserContext, BrowserContext, BrowserContext]
    const base = server.baseUrl
    expect(server.printed).toBe(base)
    const editor = demoUser(manifest, 'editor')
    const approver = demoUser(manifest, 'approver')
    expect(approver.email).not.toBe(editor.email)
    const asker = citizen.pages()[0] ?? (await citizen.newPage())
    const other = neighbour.pages()[0] ?? (await neighbour.newPage())
    const desk = staff.pages()[0] ?? (await staff.newPage())

    // 0. A neighbour reported a shorter version earlier (no contact): the similar claim.
    const similarUrl = await submitRumour(other, base, 'neighbour-desk-filled', { text: SIMILAR, seen: 'zalo' })
    const similarTicket = decodeURIComponent(similarUrl.pathname.split('/').pop() as string)
    expect(await seen(other.locator('main .alert.ok'))).toContain('Đã tiếp nhận tin bạn gửi.')
    await shot(other, 'neighbour-ticket')

    // 1. The citizen opens the desk: the form, in Vietnamese, every field labelled.
    let res = await navigate(asker, () => asker.goto(`${base}/kiem-chung`))
    expect(res.status()).toBe(200)
    expect(await heading(asker)).toBe('Kiểm chứng tin đồn')
    expect(await seen(asker.locator('main'))).toContain('Gửi tin cần kiểm chứng')
    await expectVietnameseFont(asker)
    await expectLabelledFields(asker)
    // The honeypot is out of sight and out of the tab order.
    const honeypot = asker.locator('input[name="website"]')
    const box0 = await honeypot.boundingBox()
    expect((box0?.x ?? 0) + (box0?.width ?? 0)).toBeLessThanOrEqual(0)
    expect(await honeypot.getAttribute('tabindex')).toBe('-1')
    await shot(asker, 'desk-form', { phone: true })
    await expectAccessible(asker, 'desk-form')

    // 2. Text with diacritics, a link with tracking parameters, where seen, a contact e-mail → a ticket.
    await asker.getByLabel('Nội dung tin cần kiểm chứng').fill(RUMOUR.text)
    await asker.getByLabel('Đường dẫn nơi tin xuất hiện').fill(RUMOUR.link)
    await asker.getByLabel('Bạn thấy tin này ở đâu?').selectOption(RUMOUR.seen)
    await asker.getByLabel('Cụ thể').fill(RUMOUR.seenDetail)
    await asker.getByLabel('Thư điện tử để nhận kết quả').fill(RUMOUR.email)
    await shot(asker, 'desk-form-filled')
    res = await submitButton(asker, '/kiem-chung')
    expect(res.status()).toBe(200)
    const ticketUrl = new URL(asker.url())
    const ticket = decodeURIComponent(ticketUrl.pathname.split('/').pop() as string)
    expect(ticket).toMatch(/^KC-\d{4}-\d{5}-\d{5}$/)
    expect(ticket.slice(3, 7)).toBe(vietnamYear())
    expect(ticket).not.toBe(similarTicket)
    expect(ticketUrl.searchParams.get('k')).toMatch(/^[\w-]{12,}$/)
    expect(await heading(asker)).toBe(`Phiếu kiểm chứng ${ticket}`)
    expect(await seen(asker.locator('main .alert.ok'))).toContain('Đã tiếp nhận tin bạn gửi.')
    expect(await seen(asker.locator('.verify-code'))).toBe(ticket)
    expect(await seen(asker.locator('.kc-status'))).toBe('Đang tiếp nhận')
    expect(await seen(asker.locator('.kc-text'))).toBe(RUMOUR.text)
    // The private link (with its key) to come back to; no verdict yet.
    const privateLink = await asker.locator('.kc-ticket input[readonly]').inputValue()
    expect(privateLink).toBe(`${base}/kiem-chung/phieu/${ticket}?k=${ticketUrl.searchParams.get('k')}`)
    expect(await asker.locator('.kc-verdict-box').count()).toBe(0)
    await expectVietnameseFont(asker)
    await shot(asker, 'ticket-received', { phone: true })
    await expectAccessible(asker, 'ticket-received')

    // 3. The editor signs in and finds the claim in the queue.
    res = await navigate(desk, () => desk.goto(`${base}/console/sign-in`))
    expect(res.status()).toBe(200)
    expect(await heading(desk)).toBe('Đăng nhập')
    await shot(desk, 'sign-in')
    await signIn(desk, shot, 'editor', editor, editor.secret)
    expect(await heading(desk)).toBe(`Xin chào, ${editor.name}`)
    await shot(desk, 'editor-dashboard')
    res = await navigate(desk, () => desk.locator('header nav').getByRole('link', { name: 'Kiểm chứng', exact: true }).click())
    expect(res.status()).toBe(200)
    expect(new URL(desk.url()).pathname).toBe(DESK)
    expect(await heading(desk)).toBe('Kiểm chứng tin đồn')
    const row = desk.locator('#queue tbody tr').filter({ hasText: 'nhà máy nước Mật Sơn bị kẻ xấu đầu độc' })
    expect(await row.count()).toBe(1)
    expect(await seen(row)).toContain('Mới')
    expect(await desk.locator('#queue tbody tr').filter({ hasText: SIMILAR }).count()).toBe(1)
    await expectVietnameseFont(desk)
    await shot(desk, 'queue')
    await expectAccessible(desk, 'queue')

    // 4. The claim page: the citizen's ticket (contact shown only as "has contact"), the similar claim suggested.
    res = await navigate(desk, () => row.locator('a').first().click())
    expect(res.status()).toBe(200)
    const claimPath = new URL(desk.url()).pathname
    expect(claimPath).toMatch(/^\/console\/kiem-chung\/[0-9a-f-]{36}$/)
    const code = await heading(desk)
    expect(await seen(desk.locator('.statement'))).toBe(RUMOUR.text)
    const sub = desk.locator(`#submissions li[data-ticket="${ticket}"]`)
    expect(await seen(sub)).toContain('có liên hệ')
    expect(await seen(sub)).not.toContain(RUMOUR.email)
    expect(await seen(sub)).toContain(RUMOUR.linkPath)
    expect(await seen(desk.locator('#sugg-h'))).toBe('Tin tương tự')
    const suggested = desk.locator('#suggestions li').filter({ hasText: SIMILAR })
    expect(await suggested.count()).toBe(1)
    expect(await seen(suggested)).toMatch(/có thể liên quan|rất giống/)
    expect(await seen(suggested)).toMatch(/độ giống 0,\d\d/)
    await expectLabelledFields(desk)
    await shot(desk, 'claim-new')

    // 5. Triage: harm "An toàn" (safety).
    await desk.locator(`form[action="${claimPath}/triage"]`).getByLabel('Loại tác hại').selectOption({ label: 'An toàn' })
    res = await submitButton(desk, `${claimPath}/triage`)
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('main .alert.ok').first())).toContain('Đã lưu phân loại.')
    expect(await seen(desk.locator('dl.kv'))).toContain('An toàn')
    await shot(desk, 'claim-triaged')
    await expectAccessible(desk, 'claim-triaged')

    // 6. Investigation: a note.
    await desk.getByLabel('Ghi chú mới').fill(NOTE)
    res = await submitButton(desk, `${claimPath}/notes`)
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('main .alert.ok').first())).toContain('Đã thêm ghi chú.')
    expect(await seen(desk.locator('#notes'))).toContain(NOTE)
    expect(await seen(desk.locator('#notes'))).toContain(editor.name)

    // 7. Evidence: the water company's notice captured by URL; its SHA-256 shown.
    const evidenceUrl = `http://127.0.0.1:${sitePort}/thong-bao-nuoc-sach.html`
    await desk.locator(`form[action="${claimPath}/evidence/capture"] input[name="url"]`).fill(evidenceUrl)
    res = await submitButton(desk, `${claimPath}/evidence/capture`)
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('main .alert.ok').first())).toContain('Đã lưu trang làm chứng cứ.')
    const evRow = desk.locator('#evidence tbody tr')
    expect(await evRow.count()).toBe(1)
    expect(await seen(evRow)).toContain(EVIDENCE_TITLE)
    expect(await seen(evRow)).toContain('Trang đã lưu')
    const sha = (await evRow.locator('code.sha').getAttribute('data-sha256')) ?? ''
    expect(sha).toMatch(/^[0-9a-f]{64}$/)
    expect(await seen(evRow.locator('code.sha'))).toBe(`${sha.slice(0, 12)}…`)
    await shot(desk, 'claim-evidence')
    await expectAccessible(desk, 'claim-evidence')

    // The stored page: its text and HTML as captured; the hash is that of URL, text and HTML.
    res = await navigate(desk, () => evRow.getByRole('link', { name: EVIDENCE_TITLE }).click())
    expect(res.status()).toBe(200)
    expect(await heading(desk)).toBe(EVIDENCE_TITLE)
    expect(await seen(desk.locator('dl.kv'))).toContain(sha)
    const capturedText = await textOf(desk, '#captured-text')
    expect(capturedText).toContain('đạt quy chuẩn kỹ thuật quốc gia QCVN 01-1:2018/BYT')
    const capturedHtml = await textOf(desk, 'details pre.captured')
    expect(capturedHtml).toBe(EVIDENCE_HTML)
    expect(createHash('sha256').update(`${evidenceUrl}\n${capturedText}\n${capturedHtml}`).digest('hex')).toBe(sha)
    await shot(desk, 'evidence-page')
    res = await navigate(desk, () => desk.getByRole('link', { name: `← ${code}` }).click())
    expect(res.status()).toBe(200)

    // 8. The verdict: label, headline, explanation, the evidence ticked → draft → submit.
    const form = desk.locator('#verdict-form')
    await form.getByLabel('Nhãn kết luận').selectOption({ label: VERDICT.label })
    await form.getByLabel('Tiêu đề kết luận').fill(VERDICT.headline)
    await form.getByLabel('Giải thích (Markdown)').fill(VERDICT.explanation)
    await form.getByLabel(EVIDENCE_TITLE).check()
    // The live preview follows the typing.
    await waitFor('the live preview of the verdict', async () =>
      (await seen(desk.locator('#verdict-preview h3'))) === VERDICT.headline ? true : undefined,
    )
    expect(await seen(desk.locator('#verdict-preview'))).toContain('Sai sự thật / False (1/5)')
    expect(await seen(desk.locator('#verdict-preview strong'))).toBe('không nhận được tin báo')
    await shot(desk, 'verdict-draft-filled')
    await expectAccessible(desk, 'verdict-draft-filled')
    res = await navigate(desk, () => form.locator('button[type="submit"]').click())
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('main .alert.ok').first())).toContain('Đã lưu bản nháp kết luận.')
    expect(await seen(desk.locator('#claim-status'))).toBe('Đang soạn kết luận')
    expect(await desk.locator('#verdict-form input[name="evidenceIds"]').isChecked()).toBe(true)
    res = await submitButton(desk, `${claimPath}/verdict/submit`)
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('main .alert.ok').first())).toContain('Đã gửi kết luận để duyệt.')
    expect(await seen(desk.locator('#claim-status'))).toBe('Chờ duyệt kết luận')
    // Four-eyes: the editor is told another person must approve, and has no approve button.
    expect(await seen(desk.locator('#four-eyes-note'))).toContain('nguyên tắc bốn mắt')
    expect(await desk.locator(`form[action="${claimPath}/verdict/approve"]`).count()).toBe(0)
    await shot(desk, 'verdict-submitted')

    // The citizen's ticket is being verified now (a status, never a verdict).
    res = await navigate(asker, () => asker.goto(privateLink))
    expect(res.status()).toBe(200)
    expect(await seen(asker.locator('.kc-status'))).toBe('Đang xác minh')
    expect(await seen(asker.locator('.kc-state'))).toContain('chưa phải kết luận')
    await shot(asker, 'ticket-investigating')

    // 9. The approver (another person) signs in and approves: the claim is published.
    await desk.goto(`${base}/console`)
    await signOut(desk)
    await signIn(desk, shot, 'approver', approver, approver.secret)
    expect(await heading(desk)).toBe(`Xin chào, ${approver.name}`)
    await shot(desk, 'approver-dashboard')
    res = await navigate(desk, () => desk.goto(`${base}${claimPath}`))
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('#claim-status'))).toBe('Chờ duyệt kết luận')
    expect(await seen(desk.locator('#verdict-status'))).toBe('Phiên bản 1: chờ duyệt')
    expect(await desk.locator('#four-eyes-note').count()).toBe(0)
    await shot(desk, 'approver-claim')
    await expectAccessible(desk, 'approver-claim')
    res = await submitButton(desk, `${claimPath}/verdict/approve`)
    expect(res.status()).toBe(200)
    expect(await seen(desk.locator('main .alert.ok').first())).toContain('Đã duyệt và công bố kết luận')
    expect(await seen(desk.locator('#claim-status'))).toBe('Đã công bố kết luận')
    const verdictPath = (await desk.locator('#published-link').getAttribute('href')) ?? ''
    expect(verdictPath).toMatch(/^\/kiem-chung\/[a-z0-9-]+$/)
    const verdictUrl = `${base}${verdictPath}`
    expect(await seen(desk.locator('#verdict .alert.ok'))).toContain(verdictUrl)
    await shot(desk, 'approver-published')

    // 10. The citizen reloads the status page: the verdict, prominent, with its link.
    res = await navigate(asker, () => asker.reload())
    expect(res.status()).toBe(200)
    expect(await seen(asker.locator('.kc-status'))).toBe('Đã có kết luận')
    const box = asker.locator('.kc-verdict-box')
    expect(await seen(box.locator('h2'))).toBe('Kết luận')
    expect(await seen(box.locator('.kc-chip'))).toBe(VERDICT.labelVi)
    expect(await seen(box)).toContain(VERDICT.headline)
    // The answer comes first on the page, above the ticket's code and status.
    expect(await asker.locator('.kc-ticket > section').first().getAttribute('class')).toContain('kc-verdict-box')
    const read = box.getByRole('link', { name: 'Đọc kết luận đầy đủ' })
    expect(await read.getAttribute('href')).toBe(verdictPath)
    await shot(asker, 'ticket-verdict', { phone: true })
    await expectAccessible(asker, 'ticket-verdict')

    // 11. The verdict page: label, headline, explanation, evidence with its hash, one ClaimReview.
    res = await navigate(asker, () => read.click())
    expect(res.status()).toBe(200)
    expect(asker.url()).toBe(verdictUrl)
    expect(await heading(asker)).toBe(VERDICT.headline)
    expect(await seen(asker.locator('.kc-label.big .kc-chip'))).toBe(VERDICT.labelVi)
    expect(await seen(asker.locator('.kc-label.big'))).toContain('False')
    expect(await seen(asker.locator('.kc-claim blockquote'))).toBe(RUMOUR.text)
    expect(await seen(asker.locator('.prose strong'))).toBe('không nhận được tin báo')
    const evidence = asker.locator('ol.kc-evidence li')
    expect(await evidence.count()).toBe(1)
    expect(await seen(evidence)).toContain(EVIDENCE_TITLE)
    expect(await evidence.locator('code').getAttribute('title')).toBe(sha)
    expect(await asker.locator('link[rel="canonical"]').getAttribute('href')).toBe(verdictUrl)
    const ld = await asker.locator('script[type="application/ld+json"]').allTextContents()
    expect(ld).toHaveLength(1)
    const review = JSON.parse(ld[0] as string) as Record<string, unknown> & {
      author: Record<string, unknown>
      reviewRating: Record<string, unknown>
      itemReviewed: Record<string, unknown> & { appearance: { '@type': string; url: string }[] }
    }
    expect(review['@context']).toBe('https://schema.org')
    expect(review['@type']).toBe('ClaimReview')
    expect(review.url).toBe(verdictUrl)
    expect(review.claimReviewed).toBe(RUMOUR.text)
    expect(review.headline).toBe(VERDICT.headline)
    expect(review.inLanguage).toBe('vi')
    for (const field of ['datePublished', 'dateModified'] as const) {
      const at = Date.parse(String(review[field]))
      expect(Number.isNaN(at), field).toBe(false)
      expect(Math.abs(Date.now() - at), field).toBeLessThan(10 * 60_000)
    }
    expect(review.author['@type']).toBe('Organization')
    expect(String(review.author.name)).toMatch(/\S/)
    expect(String(review.author.url)).toBe(`${base}/`)
    expect(review.reviewRating).toEqual({
      '@type': 'Rating',
      ratingValue: 1,
      bestRating: 5,
      worstRating: 1,
      alternateName: VERDICT.labelVi,
    })
    expect(review.itemReviewed['@type']).toBe('Claim')
    const appearances = review.itemReviewed.appearance.map((a) => a.url)
    expect(appearances.some((u) => u.includes(RUMOUR.linkPath))).toBe(true)
    expect(appearances.some((u) => /fbclid|utm_/.test(u))).toBe(false)
    for (const a of review.itemReviewed.appearance) expect(a['@type']).toBe('CreativeWork')
    await expectVietnameseFont(asker)
    await shot(asker, 'verdict-page', { phone: true })
    await expectAccessible(asker, 'verdict-page')
    // The share image the page names (a PNG: social networks show no SVG), and the partner kit
    // that offers it for download.
    const ogImage = await asker.locator('meta[property="og:image"]').getAttribute('content')
    expect(ogImage).toBe(`${verdictUrl}/the.png`)
    res = await navigate(asker, () => asker.goto(`${verdictUrl}/bo-cong-cu`))
    expect(res.status()).toBe(200)
    const card = asker.locator('img.kc-card')
    await card.scrollIntoViewIfNeeded()
    expect(await card.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1200)
    const pngHref = await asker.locator(`a[href="${verdictPath}/the.png"]`).getAttribute('download')
    expect(pngHref).toMatch(/^kiem-chung-.+\.png$/)
    res = await navigate(asker, () => asker.goto(`${verdictUrl}/the.png`))
    expect(res.status()).toBe(200)
    expect(res.headers()['content-type']).toBe('image/png')
    await shot(asker, 'verdict-card-png')

    // 12. The e-mail to the citizen arrives at the SMTP server, with the verdict link.
    const told = await waitFor(`the verdict e-mail to ${RUMOUR.email}`, () => mails.find((m) => m.to.includes(RUMOUR.email)), 60_000, 200)
    // Bilingual: Vietnamese first, then English.
    expect(told.mail.subject).toBe(
      `Kết quả kiểm chứng phiếu ${ticket}: ${VERDICT.labelVi} / Verification result for ticket ${ticket}: False`,
    )
    expect(told.mail.text).toContain(verdictUrl)
    expect(told.mail.text).toContain(VERDICT.headline)
    expect(mails.filter((m) => m.to.includes(RUMOUR.email))).toHaveLength(1)

    // 13. A second citizen types a reworded version without diacritics: the verdict is offered at once.
    await neighbour.clearCookies()
    res = await navigate(other, () => other.goto(`${base}/kiem-chung`))
    expect(res.status()).toBe(200)
    await other.getByLabel('Nội dung tin cần kiểm chứng').fill(REWORDED)
    const live = other.locator(`#kc-goi-y a[href="${verdictPath}"]`)
    await waitFor('the live "Có phải bạn muốn hỏi…" suggestion', async () => ((await live.count()) > 0 ? true : undefined))
    expect(await seen(other.locator('#kc-goi-y h2'))).toBe('Có phải bạn muốn hỏi…')
    expect(await seen(live)).toBe(VERDICT.headline)
    expect(await seen(other.locator('#kc-goi-y .kc-chip'))).toContain(VERDICT.labelVi)
    await shot(other, 'second-desk-suggestion', { phone: true })
    res = await submitButton(other, '/kiem-chung')
    expect(res.status()).toBe(200)
    const second = decodeURIComponent(new URL(other.url()).pathname.split('/').pop() as string)
    expect(second).toMatch(/^KC-\d{4}-\d{5}-\d{5}$/)
    expect(second).not.toBe(ticket)
    // Shown at once on the ticket page: as a suggestion, or as its own verdict if it was merged.
    const offered = other.locator(`.kc-suggest a[href="${verdictPath}"], .kc-verdict-box a[href="${verdictPath}"]`)
    expect(await offered.count()).toBe(1)
    if ((await other.locator('.kc-suggest').count()) > 0) expect(await seen(other.locator('.kc-suggest h2'))).toBe('Có phải bạn muốn hỏi…')
    await shot(other, 'second-ticket', { phone: true })
    res = await navigate(other, () => offered.click())
    expect(res.status()).toBe(200)
    expect(other.url()).toBe(verdictUrl)
    expect(await heading(other)).toBe(VERDICT.headline)
    await shot(other, 'second-verdict-page')

    // 14. The English switch on the desk page, and back.
    res = await navigate(other, () => other.goto(`${base}/kiem-chung`))
    expect(res.status()).toBe(200)
    res = await navigate(other, () => other.locator('header').getByRole('link', { name: 'English' }).click())
    expect(res.status()).toBe(200)
    expect(res.headers()['content-language']).toBe('en')
    expect(await other.locator('html').getAttribute('lang')).toBe('en')
    expect(await heading(other)).toBe('Check a rumour')
    expect(await seen(other.locator('main'))).toContain(VERDICT.headline)
    await expectLabelledFields(other)
    await shot(other, 'desk-english')
    await expectAccessible(other, 'desk-english')
    res = await navigate(other, () => other.locator('header').getByRole('link', { name: 'Tiếng Việt' }).click())
    expect(res.headers()['content-language']).toBe('vi')
    expect(await heading(other)).toBe('Kiểm chứng tin đồn')
    await shot(other, 'desk-vietnamese-again')

    // Nothing was sent to anyone else about this claim (the neighbours left no contact).
    expect(mails.filter((m) => m.mail.subject?.includes(similarTicket) || m.mail.subject?.includes(second))).toHaveLength(0)
  }, 180_000)
})
