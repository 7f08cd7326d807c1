/**
 * Issue #14's whole partner flow in a real browser, against a real `donghanh serve` on the demo
 * data and a real SMTP server started here. Three Chromium profiles: the journalist (390 px
 * phone), the editor and the approver (1280 px). In order:
 *
 * 1. A journalist applies at /doi-tac/dang-ky (press-card photo rendered here as a real PNG,
 *    consent), receives the verification mail and confirms.
 * 2. The editor (password + TOTP) drafts a release with a PDF attached and submits it; in the
 *    review queue asks the applicant for more information; the applicant answers from the
 *    mailed status link; the editor verifies. The approver approves the release under embargo
 *    (45 minutes ahead: the countdown shows seconds) and accredits the journalist with a term.
 * 3. The journalist asks for a sign-in link in the same browser, signs in by the mailed link,
 *    sees "CẤM ĐĂNG TRƯỚC …" with a ticking countdown, downloads the PDF (Playwright's download
 *    event, bytes compared); the approver sees the download in /console/doi-tac/tai-xuong.
 * 4. The journalist adds a passkey (Chromium's virtual authenticator), signs out and back in
 *    with it.
 * 5. The journalist asks a question; the approver assigns it to a spokesperson and answers it
 *    before its legal due time; the journalist reads the answer in the portal and by mail.
 * 6. The approver suspends the journalist: their open page, reloaded, no longer lists the
 *    embargoed release and the file's address is refused.
 *
 * Everything is made through the product's pages (no SQL writes). The site runs at
 * http://localhost:PORT, not 127.0.0.1: WebAuthn refuses an IP address as the relying party.
 * Screenshots under test-output/e2e/partners-flow/ (looked at).
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import { svgToPng } from '../../src/platform/html/raster.ts'
import { localInputValue } from '../../src/platform/time.ts'
import {
  type DemoRun,
  DESKTOP,
  demoUser,
  expectLabelledFields,
  expectNoHorizontalOverflow,
  expectVietnameseFont,
  heading,
  navigate,
  PHONE,
  ROOT,
  screenshots,
  seen,
  signIn,
  startDemoRun,
  startSmtp,
  stopDemoRun,
  submitButton,
  type TestSmtp,
  waitFor,
  flowSteps,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/partners-flow')
const shot = screenshots(SHOTS)

const JOURNALIST = {
  name: 'Nguyễn Thị Hải Yến',
  email: 'haiyen.nguyen@baothanhhoa.example.vn',
  phone: '0915 246 813',
  outlet: 'Báo Thanh Hóa',
  card: 'TH-24680',
}
const RELEASE = {
  title: 'Công an tỉnh ra quân bảo đảm trật tự an toàn giao thông dịp Tết Nguyên đán',
  summary: 'Lực lượng Cảnh sát giao thông toàn tỉnh triển khai đợt cao điểm bảo đảm trật tự an toàn giao thông dịp Tết.',
  body: 'Từ ngày 15 tháng Chạp, lực lượng Cảnh sát giao thông toàn tỉnh tăng cường tuần tra, kiểm soát trên các tuyến quốc lộ và tỉnh lộ.\n\nNgười dân cần hỗ trợ xin gọi đường dây nóng của Phòng Cảnh sát giao thông.',
  file: 'ke-hoach-cao-diem-tet.pdf',
}
const QUESTION = {
  topic: 'Phân luồng giao thông cầu Hàm Rồng dịp Tết',
  text: 'Xin cho biết thời gian và phương án phân luồng phương tiện qua cầu Hàm Rồng trong những ngày cao điểm Tết?',
  answer: 'Từ 6 giờ đến 22 giờ các ngày 27 đến 30 tháng Chạp, xe tải trên 5 tấn đi vòng qua cầu Nguyệt Viên.',
}

/** A one-page PDF (what a press office attaches: the full plan). */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
)

/** A press card photo: a real PNG rendered with the product's own SVG → PNG (Vietnamese text). */
function pressCardPng(): Buffer {
  return svgToPng(
    `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="300" viewBox="0 0 480 300">
      <rect width="480" height="300" rx="18" fill="#f4ead2"/><rect y="0" width="480" height="64" fill="#b3261e"/>
      <text x="24" y="42" font-size="26" font-weight="700" fill="#fff">THẺ NHÀ BÁO</text>
      <text x="24" y="120" font-size="24" fill="#222">${JOURNALIST.name}</text>
      <text x="24" y="160" font-size="20" fill="#222">${JOURNALIST.outlet}</text>
      <text x="24" y="200" font-size="20" fill="#222">Số thẻ: ${JOURNALIST.card}</text>
    </svg>`,
  )
}

/** A mail as the test SMTP server parsed it. */
interface Mail {
  to: string[]
  subject: string
  text: string
}

describe('partners, end to end: apply → review → accredit → portal → passkey → inquiry → suspension', () => {
  let run: DemoRun | undefined
  let smtp: TestSmtp | undefined
  const inbox: Mail[] = []
  // Shared by the steps, in order.
  let base = ''
  let jp: Page // the journalist, 390 px
  let ep: Page // the editor, 1280 px
  let ap: Page // the approver, 1280 px
  let jb: BrowserContext
  let partnerId = ''
  let releaseId = ''
  let fileHref = ''

  /** The first mail to the journalist among those after the first `after`, matching `test`. */
  const mailFor = (what: string, test: (m: Mail) => boolean, after = 0) =>
    waitFor(what, () => inbox.slice(after).find((m) => m.to.includes(JOURNALIST.email) && test(m)), 30_000).catch((e: Error) => {
      const got = inbox.map((m) => `  ${m.to.join(',')}: ${m.subject}`).join('\n')
      throw new Error(`${e.message}\nmails received:\n${got || '  (none)'}\n${run?.server.output().slice(-4000) ?? ''}`)
    })
  /** The partner's screenshot: at 390 px, and the page must not scroll sideways. */
  const phoneShot = async (name: string) => {
    await shot(jp, name)
    await expectNoHorizontalOverflow(jp, name)
  }

  const step = flowSteps()

  beforeAll(async () => {
    smtp = await startSmtp((mail, to) => inbox.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' }))
    const port = await freePort()
    run = await startDemoRun(SHOTS, 'donghanh-e2e-partners-flow-', {
      browsers: 3,
      env: { PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
    })
    base = run.server.baseUrl
    const [j, e, a] = run.browsers as [BrowserContext, BrowserContext, BrowserContext]
    jb = j
    jp = j.pages()[0] ?? (await j.newPage())
    ep = e.pages()[0] ?? (await e.newPage())
    ap = a.pages()[0] ?? (await a.newPage())
    await jp.setViewportSize(PHONE)
    await ep.setViewportSize(DESKTOP)
    await ap.setViewportSize(DESKTOP)
  }, 240_000)

  afterAll(async () => {
    await stopDemoRun(run)
    await smtp?.close()
  }, 60_000)

  step(
    '1. a journalist applies on a phone and confirms the e-mail',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/dang-ky`))).status()).toBe(200)
      expect(await heading(jp)).toBe('Đăng ký đối tác báo chí')
      await expectLabelledFields(jp)
      await expectVietnameseFont(jp)
      await jp.locator('input[name="kind"][value="journalist"]').check()
      await jp.locator('input[name="name"]').fill(JOURNALIST.name)
      await jp.locator('input[name="email"]').fill(JOURNALIST.email)
      await jp.locator('input[name="phone"]').fill(JOURNALIST.phone)
      await jp.locator('input[name="beats"]').fill('giao thông, an ninh trật tự')
      await jp.locator('input[name="outletName"]').fill(JOURNALIST.outlet)
      await jp.locator('input[name="pressCardNumber"]').fill(JOURNALIST.card)
      await jp.locator('input[name="pressCardExpiresOn"]').fill('2030-12-31')
      await jp.locator('input[name="proof"]').setInputFiles({ name: 'the-nha-bao.png', mimeType: 'image/png', buffer: pressCardPng() })
      await jp.locator('input[name="consent"]').check()
      await phoneShot('apply-form')
      expect((await submitButton(jp, '/doi-tac/dang-ky')).status()).toBe(200)
      expect(await heading(jp)).toBe('Kiểm tra hộp thư của anh/chị')
      await phoneShot('apply-sent')

      const mail = await mailFor('the verification mail', (m) => m.subject.startsWith('Xác nhận đơn đăng ký đối tác báo chí'))
      const link = /(https?:\/\/\S+\/doi-tac\/dang-ky\/xac-nhan\?token=\S+)/.exec(mail.text)?.[1]
      if (!link) throw new Error(`no confirmation link in:\n${mail.text}`)
      expect(link.startsWith(`${base}/`)).toBe(true)
      expect((await navigate(jp, () => jp.goto(link))).status()).toBe(200)
      expect((await submitButton(jp, '/doi-tac/dang-ky/xac-nhan')).status()).toBe(200)
      expect(new URL(jp.url()).pathname).toMatch(/^\/doi-tac\/dang-ky\/trang-thai\//)
      expect(await seen(jp.locator('[data-state]'))).toBe('Đang chờ xem xét')
      await phoneShot('apply-confirmed')
    },
    120_000,
  )

  step(
    '2. staff ask for more, the applicant answers, the editor verifies, the approver accredits',
    async () => {
      if (!run) throw new Error('not started')
      const editor = demoUser(run.manifest, 'editor')
      const approver = demoUser(run.manifest, 'approver')

      // The editor signs in (password + TOTP) and prepares a release with a PDF for the portal.
      await navigate(ep, () => ep.goto(`${base}/console/sign-in`))
      await signIn(ep, shot, 'editor', editor, editor.secret)
      expect((await navigate(ep, () => ep.goto(`${base}/console/releases/new`))).status()).toBe(200)
      await ep.getByLabel('Loại tin').selectOption('press_release')
      await ep.getByLabel('Người phát ngôn').selectOption({ index: 1 })
      await ep.getByLabel('Tiêu đề', { exact: true }).fill(RELEASE.title)
      await ep.getByLabel('Tóm tắt').fill(RELEASE.summary)
      await ep.getByLabel('Nội dung (Markdown)').fill(RELEASE.body)
      await ep.getByLabel('Chuyên mục').fill('An toàn giao thông')
      await ep.getByLabel('Từ khóa').fill('giao thông, Tết')
      expect((await submitButton(ep, '/console/releases/new')).status()).toBe(200)
      releaseId = /^\/console\/releases\/([0-9a-f-]{36})$/.exec(new URL(ep.url()).pathname)?.[1] ?? ''
      expect(releaseId).not.toBe('')
      await ep.getByLabel('Tệp ảnh hoặc tài liệu').setInputFiles({ name: RELEASE.file, mimeType: 'application/pdf', buffer: PDF })
      expect((await submitButton(ep, `/console/releases/${releaseId}/files`)).status()).toBe(200)
      expect(await seen(ep.locator('main'))).toContain(RELEASE.file)
      expect((await submitButton(ep, `/console/releases/${releaseId}/submit`)).status()).toBe(200)
      expect(await seen(ep.getByRole('status').first())).toContain('Đã gửi duyệt.')
      await shot(ep, 'release-submitted')

      // The review queue: the application with its proof; ask for more information.
      expect((await navigate(ep, () => ep.goto(`${base}/console/doi-tac/ho-so`))).status()).toBe(200)
      expect(await heading(ep)).toBe('Hồ sơ đăng ký đối tác chờ xử lý')
      const item = ep.locator('article[data-queue-item]', { hasText: JOURNALIST.name })
      expect(await item.count()).toBe(1)
      partnerId = (await item.getAttribute('data-queue-item')) ?? ''
      expect(partnerId).toMatch(/^[0-9a-f-]{36}$/)
      expect(await seen(item)).toContain('the-nha-bao.png')
      // The proof is served to staff, as the PNG uploaded.
      const proofHref = (await item.locator('a[href^="/console/doi-tac/ho-so/tep/"]').first().getAttribute('href')) as string
      const proof = await ep.request.get(`${base}${proofHref}`)
      expect(proof.status()).toBe(200)
      expect(Buffer.from(await proof.body()).equals(pressCardPng())).toBe(true)
      await shot(ep, 'queue')
      const decide = async (page: Page, decision: string, text: string, term?: string) => {
        const card = page.locator('article[data-queue-item]', { hasText: JOURNALIST.name })
        const form = card.locator(`form:has(input[name="decision"][value="${decision}"])`)
        await card.locator(`details:has(input[name="decision"][value="${decision}"]) > summary`).click()
        await form.locator('textarea[name="reason"]').fill(text)
        if (term) await form.locator('input[name="accreditationEndsOn"]').fill(term)
        const res = await navigate(page, () => form.locator('button[type="submit"]').click())
        expect(res.status()).toBe(200)
        expect(await seen(page.locator('main'))).toContain('Đã ghi nhận quyết định.')
      }
      const question = 'Xin gửi thêm ảnh mặt sau thẻ nhà báo và cho biết ban biên tập đang công tác.'
      const mailsBefore = inbox.length
      await decide(ep, 'ask', question)
      await shot(ep, 'queue-asked')

      // The applicant: the mail with the question and a fresh private link; answers there.
      const asked = await mailFor(
        'the question mail',
        (m) => m.subject.startsWith('Cần bổ sung thông tin cho đơn đăng ký đối tác'),
        mailsBefore,
      )
      expect(asked.text).toContain(question)
      const statusLink = /(https?:\/\/\S+\/doi-tac\/dang-ky\/trang-thai\/[\w-]+)/.exec(asked.text)?.[1]
      if (!statusLink) throw new Error(`no status link in:\n${asked.text}`)
      expect((await navigate(jp, () => jp.goto(statusLink))).status()).toBe(200)
      expect(await seen(jp.locator('[data-state]'))).toBe('Cần bổ sung thông tin')
      expect(await seen(jp.locator('[data-question]'))).toContain(question)
      await phoneShot('status-question')
      const answerForm = jp.locator('form[action$="/tra-loi"]')
      await answerForm.locator('textarea[name="answer"]').fill('Tôi công tác tại Ban Thời sự, Báo Thanh Hóa. Ảnh mặt sau thẻ gửi kèm.')
      await answerForm
        .locator('input[name="proof"]')
        .setInputFiles({ name: 'mat-sau-the.png', mimeType: 'image/png', buffer: pressCardPng() })
      expect((await navigate(jp, () => answerForm.locator('button[type="submit"]').click())).status()).toBe(200)
      expect(await seen(jp.locator('main'))).toContain('Đã gửi phần bổ sung.')
      expect(await seen(jp.locator('[data-state]'))).toBe('Đang chờ xem xét')
      await phoneShot('status-answered')

      // The editor sees the answer and verifies.
      expect((await navigate(ep, () => ep.goto(`${base}/console/doi-tac/ho-so`))).status()).toBe(200)
      const answered = ep.locator('article[data-queue-item]', { hasText: JOURNALIST.name })
      expect(await seen(answered)).toContain('Ban Thời sự')
      expect(await seen(answered)).toContain('mat-sau-the.png')
      await decide(ep, 'verify', 'Đã đối chiếu thẻ nhà báo với Báo Thanh Hóa qua điện thoại.')
      // An editor may not accredit: the step is not offered.
      expect(await ep.locator('article[data-queue-item]', { hasText: JOURNALIST.name }).locator('input[value="accredit"]').count()).toBe(0)
      await shot(ep, 'queue-verified')

      // The approver: approve the release under embargo (45 minutes ahead), then accredit.
      await navigate(ap, () => ap.goto(`${base}/console/sign-in`))
      await signIn(ap, shot, 'approver', approver, approver.secret)
      expect((await navigate(ap, () => ap.goto(`${base}/console/releases/${releaseId}`))).status()).toBe(200)
      const approve = ap.locator(`main form[action="/console/releases/${releaseId}/approve"]`)
      await approve.locator('input[name="mode"][value="embargo"]').check()
      const liftAt = new Date(Math.ceil((Date.now() + 45 * 60_000) / 60_000) * 60_000)
      await approve.locator('input[name="at"]').fill(localInputValue(liftAt))
      expect((await submitButton(ap, `/console/releases/${releaseId}/approve`)).status()).toBe(200)
      await shot(ap, 'release-embargoed')
      expect((await navigate(ap, () => ap.goto(`${base}/console/doi-tac/ho-so`))).status()).toBe(200)
      const termEnd = new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10)
      const accreditedBefore = inbox.length
      await decide(ap, 'accredit', 'Đủ điều kiện nhận thông cáo cấm đăng trước của Công an tỉnh.', termEnd)
      expect(await ap.locator('article[data-queue-item]', { hasText: JOURNALIST.name }).count()).toBe(0)
      await shot(ap, 'queue-accredited')
      expect((await navigate(ap, () => ap.goto(`${base}/console/doi-tac/${partnerId}`))).status()).toBe(200)
      expect(await seen(ap.locator('h1'))).toContain('Được công nhận')
      await shot(ap, 'partner-accredited')
      await mailFor('the accreditation mail', (m) => m.subject.startsWith('Hồ sơ đối tác: Được công nhận'), accreditedBefore)
    },
    240_000,
  )

  step(
    '3. the journalist signs in by the mailed link, sees the countdown and downloads the file; staff see it',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/dang-nhap`))).status()).toBe(200)
      expect(await heading(jp)).toBe('Đăng nhập cổng đối tác')
      const before = inbox.length
      await jp.getByLabel('Thư điện tử').fill(JOURNALIST.email)
      expect((await navigate(jp, () => jp.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click())).status()).toBe(200)
      await phoneShot('sign-in-link-sent')
      const mail = await mailFor('the sign-in mail', (m) => m.subject.includes('Liên kết đăng nhập cổng đối tác'), before)
      const link = /(https?:\/\/\S+\/doi-tac\/dang-nhap\/lien-ket\?token=[\w-]+)/.exec(mail.text)?.[1]
      if (!link) throw new Error(`no sign-in link in:\n${mail.text}`)
      expect((await navigate(jp, () => jp.goto(link))).status()).toBe(200)
      expect(await heading(jp)).toBe('Xác nhận đăng nhập')
      await navigate(jp, () => jp.getByRole('button', { name: 'Đăng nhập', exact: true }).click())
      expect(new URL(jp.url()).pathname).toBe('/doi-tac')

      // The release approved under embargo, with its label, a ticking countdown and the file.
      const card = jp.locator(`article.portal-embargo[data-release="${releaseId}"]`)
      expect(await card.count()).toBe(1)
      expect(await seen(card)).toContain(RELEASE.title)
      expect(await seen(card.locator('[data-embargo-label]'))).toMatch(/^CẤM ĐĂNG TRƯỚC \d{2}:\d{2} \d{2}\/\d{2}$/)
      const countdown = card.locator('[data-countdown-text]')
      await expect.poll(() => seen(countdown)).toMatch(/^còn \d+ phút \d{2} giây$/)
      const first = await seen(countdown)
      await expect.poll(() => seen(countdown), { timeout: 5_000 }).not.toBe(first)
      await expectVietnameseFont(jp)
      await phoneShot('portal-embargo')

      const fileLink = card.locator('a[href^="/doi-tac/tep/"]', { hasText: RELEASE.file })
      fileHref = (await fileLink.getAttribute('href')) as string
      const clickedAt = Date.now()
      const [download] = await Promise.all([jp.waitForEvent('download'), fileLink.click()])
      expect(download.suggestedFilename()).toBe(RELEASE.file)
      const saved = await download.path()
      expect((await readFile(saved)).equals(PDF)).toBe(true)

      // Staff: the download log names the journalist, the file and the time.
      expect((await navigate(ap, () => ap.goto(`${base}/console/doi-tac/tai-xuong`))).status()).toBe(200)
      const row = ap.locator('tr[data-download]', { hasText: JOURNALIST.name })
      expect(await row.count()).toBe(1)
      const text = await seen(row)
      expect(text).toContain(RELEASE.file)
      expect(text).toContain(RELEASE.title)
      expect(text).toContain('khi còn cấm đăng')
      const at = Date.parse((await row.locator('time').getAttribute('datetime')) as string)
      expect(Math.abs(at - clickedAt)).toBeLessThan(60_000)
      await shot(ap, 'download-log')
    },
    120_000,
  )

  step(
    '4. the journalist adds a passkey, signs out and signs in with it',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/bao-mat`))).status()).toBe(200)
      expect(await heading(jp)).toBe('Đăng nhập và phiên')
      const cdp = await jb.newCDPSession(jp)
      await cdp.send('WebAuthn.enable', { enableUI: false })
      const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'internal',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
          automaticPresenceSimulation: true,
        },
      })
      await jp.locator('#passkey-add').waitFor({ state: 'visible' })
      await jp.getByLabel('Tên passkey (ví dụ: Điện thoại của tôi)').fill('Điện thoại của Yến')
      await navigate(jp, () => jp.getByRole('button', { name: 'Thêm passkey' }).click())
      expect(await seen(jp.locator('main .alert.ok'))).toContain('Đã thêm passkey.')
      expect(await seen(jp.locator('#passkey-list'))).toContain('Điện thoại của Yến')
      expect((await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials).toHaveLength(1)
      await phoneShot('passkey-added')

      await navigate(jp, () => jp.locator('header form button').click())
      expect(new URL(jp.url()).pathname).toBe('/doi-tac/dang-nhap')
      expect(await seen(jp.locator('main .alert.ok'))).toContain('Bạn đã đăng xuất.')
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac`))).url()).toContain('/doi-tac/dang-nhap')
      await jp.locator('#passkey-signin').waitFor({ state: 'visible' })
      await phoneShot('signed-out')
      await navigate(jp, () => jp.getByRole('button', { name: 'Đăng nhập bằng passkey' }).click())
      expect(new URL(jp.url()).pathname).toBe('/doi-tac')
      expect(await jp.locator(`article.portal-embargo[data-release="${releaseId}"]`).count()).toBe(1)
      await phoneShot('signed-in-passkey')
    },
    120_000,
  )

  step(
    '5. the journalist asks, the approver assigns and answers within the clock, the journalist reads it',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/cau-hoi/moi`))).status()).toBe(200)
      await expectLabelledFields(jp)
      await jp.getByLabel('Loại').selectOption('question')
      await jp.getByLabel('Chủ đề').fill(QUESTION.topic)
      await jp.getByLabel(/^Câu hỏi/).fill(QUESTION.text)
      await phoneShot('ask')
      expect((await submitButton(jp, '/doi-tac/cau-hoi')).status()).toBe(200)
      // Without the query string: its one-time notice is not what the reload is about.
      const detailUrl = jp.url().split('?')[0] as string
      const notice = await seen(jp.locator('main .alert'))
      const m = /Đã gửi câu hỏi (HD-\d{4}-\d{4})\. Hạn trả lời theo quy định: (\d{2}):(\d{2}) (\d{2})\/(\d{2})\/(\d{4})/.exec(notice)
      if (!m) throw new Error(`unexpected notice: ${notice}`)
      const code = m[1] as string
      // The due time, read as Vietnam time (UTC+7), must be ahead of now: answered within the clock.
      const due = Date.UTC(Number(m[6]), Number(m[5]) - 1, Number(m[4]), Number(m[2]) - 7, Number(m[3]))
      await phoneShot('asked')

      expect((await navigate(ap, () => ap.goto(`${base}/console/hoi-dap`))).status()).toBe(200)
      expect((await navigate(ap, () => ap.locator(`tr[data-inquiry="${code}"] a`).first().click())).status()).toBe(200)
      const assign = ap.locator('form[action$="/phan-cong"]')
      const assignSpokesperson = assign.locator('select[name="spokespersonId"]')
      await assignSpokesperson.selectOption({ index: 1 })
      expect((await navigate(ap, () => assign.locator('button[type="submit"]').click())).status()).toBe(200)
      expect(await seen(ap.locator('main .alert'))).toContain('Đã phân công.')
      await shot(ap, 'inquiry-assigned')
      await ap.getByLabel('Nội dung trả lời').fill(QUESTION.answer)
      const spokesperson = ap.locator('form[data-answer-form] select[name="spokespersonId"]')
      await spokesperson.selectOption({ index: 1 })
      const spokespersonLabel = (await seen(spokesperson.locator('option:checked'))).trim()
      await shot(ap, 'inquiry-answer-form')
      const before = inbox.length
      expect(Date.now()).toBeLessThan(due)
      expect((await navigate(ap, () => ap.locator('form[data-answer-form] button[type="submit"]').click())).status()).toBe(200)
      expect(await seen(ap.locator('main .alert'))).toContain('Đã gửi câu trả lời')
      await shot(ap, 'inquiry-answered')
      // The dashboard counts it as answered on time.
      expect((await navigate(ap, () => ap.goto(`${base}/console/hoi-dap`))).status()).toBe(200)
      expect(await seen(ap.locator('[data-stat="on_time"]'))).toMatch(/Trả lời đúng hạn: [1-9]\d*\//)

      await navigate(jp, () => jp.goto(detailUrl))
      const [name, title] = spokespersonLabel.split(' — ')
      expect((await seen(jp.locator('[data-attribution]'))).startsWith(`Người phát ngôn: ${name}, ${title} — `)).toBe(true)
      expect(await seen(jp.locator('[data-answer]'))).toContain('cầu Nguyệt Viên')
      await phoneShot('answer')
      const mail = await mailFor('the answer mail', (x) => x.subject.startsWith(`Trả lời câu hỏi ${code} `), before)
      expect(mail.text).toContain('cầu Nguyệt Viên')
      expect(mail.text).toContain(`Người phát ngôn: ${name}`)
    },
    120_000,
  )

  step(
    '6. the approver suspends the journalist: the embargoed release and its file are gone at once',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac`))).status()).toBe(200)
      expect(await jp.locator(`article.portal-embargo[data-release="${releaseId}"]`).count()).toBe(1)

      expect((await navigate(ap, () => ap.goto(`${base}/console/doi-tac/${partnerId}`))).status()).toBe(200)
      await ap.locator('details[data-step="suspended"] > summary').click()
      const form = ap.locator('form:has(button[data-to="suspended"])')
      await form.getByLabel('Lý do').fill('Đăng thông cáo trước giờ cho phép, đang xác minh.')
      expect((await navigate(ap, () => form.locator('button[data-to="suspended"]').click())).status()).toBe(200)
      expect(await seen(ap.locator('h1'))).toContain('Tạm đình chỉ')
      await shot(ap, 'partner-suspended')

      // The journalist's open page, reloaded: same session, no embargoed release, the file refused.
      expect((await navigate(jp, () => jp.reload())).status()).toBe(200)
      expect(new URL(jp.url()).pathname).toBe('/doi-tac')
      expect(await jp.locator('article.portal-embargo').count()).toBe(0)
      expect(await seen(jp.locator('main'))).not.toContain(RELEASE.title)
      expect(await seen(jp.locator('main'))).toContain('tạm đình chỉ')
      await phoneShot('portal-suspended')
      const refused = await jp.request.get(`${base}${fileHref}`)
      expect(refused.status()).toBe(403)
      expect(
        Buffer.from(await refused.body())
          .subarray(0, 5)
          .toString('latin1'),
      ).not.toBe('%PDF-')
      expect((await navigate(jp, () => jp.goto(`${base}${fileHref}`))).status()).toBe(403)
      await phoneShot('file-refused')
    },
    120_000,
  )
})
