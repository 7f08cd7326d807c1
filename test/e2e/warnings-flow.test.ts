/**
 * Issue #17's browser flow, against a real `donghanh serve` on the demo data and a real SMTP
 * server. Browsers: the officer and the approver (staff, 1280 px) and a citizen's phone (390 px).
 *
 * 1. Two citizens subscribe to warnings on /nhan-tin (double opt-in through the mailed link):
 *    one for Phường Hạc Thành, one for Phường Bỉm Sơn.
 * 2. The officer drafts a scam warning for three communes (Hạc Thành among them) in the console
 *    editor, with its phrases and the link the scammers send; the CAP preview shows an Alert.
 * 3. The approver publishes it on the urgent path (one approver, a reason; the second approval
 *    is due within 24 h).
 * 4. The public list and the warning's page show it (desktop and phone), and the active-alerts
 *    feed and its CAP message name it.
 * 5. The Hạc Thành subscriber gets the mail; the Bỉm Sơn subscriber does not.
 * 6. On the phone, a citizen pastes a message in other words and without diacritics into
 *    "Tin nhắn này có phải lừa đảo?" and is shown the warning; nothing was stored.
 *
 * Screenshots under test-output/e2e/warnings-flow/ (looked at).
 */
import path from 'node:path'
import type { ParsedMail } from 'mailparser'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  DESKTOP,
  demoUser,
  expectNoHorizontalOverflow,
  expectVietnameseFont,
  flowSteps,
  heading,
  navigate,
  PHONE,
  queryRun,
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
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/warnings-flow')

const WARNING = {
  title: 'Cảnh báo thủ đoạn giả danh công an gọi điện đòi nộp tiền "tạm giữ tài khoản" qua đường link',
  description:
    'Đối tượng gọi điện tự xưng là cán bộ Công an tỉnh, thông báo số tài khoản của người dân liên quan đến một đường dây rửa tiền, yêu cầu chuyển toàn bộ tiền vào "tài khoản tạm giữ" qua đường link để "xác minh", sau đó chiếm đoạt.',
  instruction:
    'Công an không làm việc qua điện thoại và không yêu cầu chuyển tiền vào bất kỳ tài khoản nào. Không bấm link lạ; gọi 113 khi nghi ngờ.',
  communes: ['phuong-hac-thanh', 'xa-dong-tien', 'phuong-ham-rong'],
  patterns: ['tài khoản của bạn liên quan đến đường dây rửa tiền', 'chuyển tiền vào tài khoản tạm giữ để xác minh'],
  link: 'https://xacminh-taikhoan.vip/tam-giu',
}
/** What the citizen received: other words, no diacritics, the scam link with tracking parameters. */
const PASTED =
  'Alo toi la can bo cong an tinh, tai khoan cua chi dang lien quan duong day rua tien. Chi phai chuyen het tien vao tai khoan tam giu de xac minh, vao link https://XacMinh-TaiKhoan.vip/tam-giu?utm_source=zalo&fbclid=abc123 ngay'

const CITIZEN_IN = 'dan.hacthanh@example.vn'
const CITIZEN_OUT = 'dan.bimson@example.vn'

describe('warning, end to end: subscribe → draft → urgent approval → public page and CAP feed → mail by commune → self-check', () => {
  let run: DemoRun | undefined
  let smtp: TestSmtp | undefined
  const mails: { to: string[]; mail: ParsedMail }[] = []
  const shot = screenshots(SHOTS)
  let base = ''
  let op: Page // the officer (1280 px)
  let ap: Page // the approver (1280 px)
  let cp: Page // a citizen's phone (390 px)
  let warningId = ''
  let slug = ''
  const step = flowSteps()

  const phoneShot = async (page: Page, name: string) => {
    await shot(page, name)
    await expectNoHorizontalOverflow(page, name)
  }

  beforeAll(async () => {
    smtp = await startSmtp((mail, to) => mails.push({ to, mail }))
    run = await startDemoRun(SHOTS, 'donghanh-e2e-warnings-', {
      browsers: 3,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
    })
    base = run.server.baseUrl
    const [o, a, c] = run.browsers
    if (!o || !a || !c) throw new Error('three browsers expected')
    op = o.pages()[0] ?? (await o.newPage())
    ap = a.pages()[0] ?? (await a.newPage())
    cp = c.pages()[0] ?? (await c.newPage())
    await op.setViewportSize(DESKTOP)
    await ap.setViewportSize(DESKTOP)
    await cp.setViewportSize(PHONE)
  }, 240_000)

  afterAll(async () => {
    await stopDemoRun(run)
    await smtp?.close()
  }, 60_000)

  step(
    '1. two citizens subscribe to warnings, one per commune, and confirm by the mailed link',
    async () => {
      for (const [email, commune] of [
        [CITIZEN_IN, 'phuong-hac-thanh'],
        [CITIZEN_OUT, 'phuong-bim-son'],
      ] as const) {
        expect((await navigate(cp, () => cp.goto(`${base}/nhan-tin`))).status()).toBe(200)
        await cp.locator('input[name="email"]').fill(email)
        for (const k of ['release', 'verdict']) await cp.locator(`input[name="kinds"][value="${k}"]`).uncheck()
        await cp.locator('input[name="kinds"][value="warning"]').check()
        await cp.locator('select[name="communes"]').selectOption([commune], { force: true })
        if (email === CITIZEN_IN) await phoneShot(cp, 'subscribe-form-phone')
        expect((await submitButton(cp, '/nhan-tin')).status()).toBe(200)
        const mail = await waitFor(`the confirmation mail to ${email}`, () => mails.find((m) => m.to.includes(email)), 30_000)
        const link = /(https?:\/\/\S+\/nhan-tin\/xac-nhan\/[^\s"<>]+)/.exec(mail.mail.text ?? '')?.[1]
        if (!link) throw new Error(`no confirmation link in:\n${mail.mail.text}`)
        expect((await navigate(cp, () => cp.goto(link))).status()).toBe(200)
        expect((await navigate(cp, () => cp.locator('main form button[type="submit"]').first().click())).status()).toBe(200)
      }
      const rows = await queryRun<{ email: string; state: string; communes: string[] }>(
        run as DemoRun,
        `SELECT email, state, communes FROM public_subscriptions WHERE email IN ('${CITIZEN_IN}', '${CITIZEN_OUT}') ORDER BY email`,
      )
      expect(rows).toEqual([
        { email: CITIZEN_OUT, state: 'active', communes: ['phuong-bim-son'] },
        { email: CITIZEN_IN, state: 'active', communes: ['phuong-hac-thanh'] },
      ])
    },
    120_000,
  )

  step(
    '2. the officer drafts a scam warning for three communes; the CAP preview is an Alert',
    async () => {
      const officer = demoUser((run as DemoRun).manifest, 'officer')
      expect((await navigate(op, () => op.goto(`${base}/console/sign-in`))).status()).toBe(200)
      await signIn(op, shot, 'officer', officer, officer.secret)
      expect((await navigate(op, () => op.goto(`${base}/console/canh-bao/moi`))).status()).toBe(200)
      await op.locator('select[name="kind"]').selectOption('scam')
      await op.locator('select[name="level"]').selectOption('alert')
      await op.locator('input[name="titleVi"]').fill(WARNING.title)
      await op.locator('textarea[name="descriptionVi"]').fill(WARNING.description)
      await op.locator('textarea[name="instructionVi"]').fill(WARNING.instruction)
      await op.locator('select[name="communes"]').selectOption(WARNING.communes, { force: true })
      await op.locator('textarea[name="patterns"]').fill(WARNING.patterns.join('\n'))
      await op.locator('textarea[name="links"]').fill(WARNING.link)
      await shot(op, 'editor-new')
      const created = await submitButton(op, '/console/canh-bao/moi')
      expect(created.status(), await seen(op.locator('main')).catch(() => '')).toBe(200)
      warningId = /^\/console\/canh-bao\/([0-9a-f-]{36})$/.exec(new URL(op.url()).pathname)?.[1] ?? ''
      expect(warningId).not.toBe('')
      const main = await seen(op.locator('main'))
      expect(main).toContain(WARNING.title)
      // The CAP preview of the draft (escaped XML in the page).
      expect(main).toContain('<msgType>Alert</msgType>')
      expect(main).toContain('Phường Hạc Thành')
      await expectVietnameseFont(op)
      await shot(op, 'editor-draft-with-cap-preview')
      const [row] = await queryRun<{ communes: string[]; state: string; slug: string }>(
        run as DemoRun,
        `SELECT communes, state, slug FROM warnings WHERE id = '${warningId}'`,
      )
      expect(row?.state).toBe('draft')
      expect(row?.communes.slice().sort()).toEqual(WARNING.communes.slice().sort())
      slug = row?.slug ?? ''
    },
    120_000,
  )

  step(
    '3. the approver publishes it on the urgent path, alone, with a reason',
    async () => {
      const approver = demoUser((run as DemoRun).manifest, 'approver')
      expect((await navigate(ap, () => ap.goto(`${base}/console/sign-in`))).status()).toBe(200)
      await signIn(ap, shot, 'approver', approver, approver.secret)
      expect((await navigate(ap, () => ap.goto(`${base}/console/canh-bao/${warningId}`))).status()).toBe(200)
      const form = ap.locator(`main form[action="/console/canh-bao/${warningId}/khan"]`)
      await form.locator('textarea[name="reason"]').fill('Nhiều người dân đã bị gọi trong sáng nay, không thể chờ duyệt hai người.')
      await shot(ap, 'urgent-form')
      const res = await navigate(ap, () => form.locator('button[type="submit"]').click())
      expect(res.status(), await seen(ap.locator('main')).catch(() => '')).toBe(200)
      const [row] = await queryRun<{ state: string; version: number; urgent: boolean; due: boolean }>(
        run as DemoRun,
        `SELECT state, version, urgent_by IS NOT NULL AS urgent, retro_due_at > now() + interval '23 hours' AS due FROM warnings WHERE id = '${warningId}'`,
      )
      expect(row).toEqual({ state: 'active', version: 1, urgent: true, due: true })
      await shot(ap, 'published-urgently')
      // The console list: the new warning awaits its second approval.
      expect((await navigate(ap, () => ap.goto(`${base}/console/canh-bao`))).status()).toBe(200)
      expect(await seen(ap.locator('main'))).toContain(WARNING.title)
      await shot(ap, 'console-list')
    },
    120_000,
  )

  step(
    '4. the public list, the page and the CAP feed show it (desktop and phone)',
    async () => {
      for (const [page, name] of [
        [ap, 'public-list-desktop'],
        [cp, 'public-list-phone'],
      ] as const) {
        expect((await navigate(page, () => page.goto(`${base}/canh-bao`))).status()).toBe(200)
        expect(await seen(page.locator('main'))).toContain(WARNING.title)
        await expectVietnameseFont(page)
        if (page === cp) await phoneShot(page, name)
        else await shot(page, name)
      }
      expect((await navigate(cp, () => cp.goto(`${base}/canh-bao/${slug}`))).status()).toBe(200)
      expect(await heading(cp)).toContain('giả danh công an')
      const text = await seen(cp.locator('main'))
      expect(text).toContain(WARNING.instruction)
      expect(text).toContain('Phường Hạc Thành')
      await phoneShot(cp, 'warning-page-phone')
      expect((await navigate(ap, () => ap.goto(`${base}/canh-bao/${slug}`))).status()).toBe(200)
      await shot(ap, 'warning-page-desktop')
      const feed = await cp.request.get(`${base}/canh-bao/cap.atom`)
      expect(feed.status()).toBe(200)
      const atom = await feed.text()
      expect(atom).toContain(`warning:${warningId}`)
      const cap = await cp.request.get(`${base}/canh-bao/${slug}/cap.xml`)
      expect(cap.headers()['content-type']).toMatch(/^application\/cap\+xml/)
      const xml = await cap.text()
      expect(xml).toContain('<msgType>Alert</msgType>')
      expect(xml).toContain('<value>phuong-hac-thanh</value>')
      const card = await cp.request.get(`${base}/canh-bao/${slug}/the.png`)
      expect([card.status(), card.headers()['content-type']]).toEqual([200, 'image/png'])
      // The demo's closed missing-person warning says only that it was closed.
      const closed = (run as DemoRun).manifest.items.find((i) => i.kind === 'warning' && i.state === 'closed')
      expect((await navigate(cp, () => cp.goto(`${base}${closed?.url}`))).status()).toBe(200)
      const notice = await seen(cp.locator('main'))
      expect(notice).not.toContain('Khôi')
      expect(notice).toMatch(/đã (được )?(tìm thấy|đóng|kết thúc)/i)
      await phoneShot(cp, 'closed-warning-phone')
    },
    120_000,
  )

  step(
    '5. the Hạc Thành subscriber gets the warning by mail; the Bỉm Sơn subscriber does not',
    async () => {
      const mail = await waitFor(
        'the warning mail to the Hạc Thành subscriber',
        () => mails.find((m) => m.to.includes(CITIZEN_IN) && (m.mail.subject ?? '').includes('tạm giữ tài khoản')),
        60_000,
      )
      // The subscriber's own tokenised link to the page, the area, and the official source.
      expect(mail.mail.text).toMatch(/\/l\/[\w-]{16,}/)
      expect(mail.mail.text).toContain('Phường Hạc Thành')
      expect(mail.mail.text).toContain('Thông tin chính thức của Công an tỉnh Thanh Hóa')
      // RFC 8058 one-click unsubscribe (mailparser folds List-* headers; read the raw line).
      expect(mail.mail.headerLines.find((h) => h.key === 'list-unsubscribe-post')?.line).toMatch(/List-Unsubscribe=One-Click/)
      // The deliveries of this warning: one to the subscriber inside the area, none outside.
      const rows = await queryRun<{ address: string }>(
        run as DemoRun,
        `SELECT address FROM distribution_deliveries WHERE item_type = 'warning' AND item_id = '${warningId}' AND recipient_type = 'subscriber'`,
      )
      expect(rows.map((r) => r.address)).toContain(CITIZEN_IN)
      expect(rows.map((r) => r.address)).not.toContain(CITIZEN_OUT)
      expect(mails.filter((m) => m.to.includes(CITIZEN_OUT) && (m.mail.subject ?? '').includes('tạm giữ tài khoản'))).toEqual([])
    },
    90_000,
  )

  step(
    '6. a citizen pastes the scam in other words, without diacritics, and is shown the warning; nothing is stored',
    async () => {
      const [before] = await queryRun<{ n: number }>(run as DemoRun, 'SELECT count(*)::int AS n FROM claim_submissions')
      expect((await navigate(cp, () => cp.goto(`${base}/canh-bao/kiem-tra-tin-nhan`))).status()).toBe(200)
      await expectVietnameseFont(cp)
      await cp.locator('textarea[name="text"]').fill(PASTED)
      await phoneShot(cp, 'selfcheck-form-phone')
      const res = await navigate(cp, () => cp.locator('main form button[type="submit"]').first().click())
      expect(res.status()).toBe(200)
      const text = await seen(cp.locator('main'))
      expect(text).toContain(WARNING.title)
      await phoneShot(cp, 'selfcheck-result-phone')
      const [after] = await queryRun<{ n: number }>(run as DemoRun, 'SELECT count(*)::int AS n FROM claim_submissions')
      expect(after?.n).toBe(before?.n)
    },
    90_000,
  )

  it('the flow ran every step', () => {
    expect(warningId).not.toBe('')
  })
})
