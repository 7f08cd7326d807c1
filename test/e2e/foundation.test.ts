/**
 * The foundation in a real browser, the way a newcomer meets it: `donghanh serve` on a fresh
 * data folder prints a one-time setup URL; the first admin is created in the wizard, enrols
 * TOTP, signs out and in again, invites an editor; the invitation arrives at a real SMTP
 * server started here; the editor follows the link, sets a password, enrols TOTP and lands
 * on the dashboard. Every page is saved as a screenshot under test-output/e2e/foundation/.
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system one, or the npm one).
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { ParsedMail } from 'mailparser'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import {
  prepareRun,
  startSmtp,
  type TestSmtp,
  expectAccessible,
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  launchBrowser,
  navigate,
  ROOT,
  type Server,
  screenshots,
  seen,
  signIn as signInWith,
  signOut,
  startServer,
  stopServerAndCheck,
  submitButton,
  totpCode,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/foundation')
const shot = screenshots(SHOTS)
/** What `donghanh serve` prints on a fresh data folder: the one-time setup URL. */
const SETUP_URL = { what: 'the setup URL', pattern: /(http:\/\/\S+\/console\/setup\?token=[\w-]+)/ }

const ADMIN = { name: 'Nguyễn Văn Hùng', email: 'hung.nv@congan.thanhhoa.gov.vn', password: 'Sông Mã chảy về biển 2024' }
const EDITOR = { name: 'Trần Thị Ngọc Ánh', email: 'anh.ttn@congan.thanhhoa.gov.vn', password: 'Đồi thông Hàm Rồng xanh mãi' }

// --- small helpers ----------------------------------------------------------------------

/** Enrols TOTP on the enrolment page; returns the secret. Leaves the page on the recovery codes. */
async function enrolTotp(page: Page, who: string): Promise<string> {
  expect(new URL(page.url()).pathname).toBe('/console/totp/enrol')
  expect(await heading(page)).toBe('Bật xác thực hai lớp')
  expect(await seen(page.locator('main'))).toContain('Xác thực hai lớp')
  expect(await page.locator('.qr img').getAttribute('src')).toMatch(/^data:image\/png;base64,/)
  const secret = (await seen(page.locator('#totp-secret'))).replace(/\s+/g, '')
  expect(secret).toMatch(/^[A-Z2-7]{32}$/)
  await expectLabelledFields(page)
  await shot(page, `${who}-totp-enrol`, { phone: true })
  await expectAccessible(page, `${who}-totp-enrol`)
  await page.getByLabel('Mã 6 số trong ứng dụng xác thực').fill(totpCode(secret))
  const res = await submitButton(page, '/console/totp/enrol')
  expect(res.status()).toBe(200)
  expect(await heading(page)).toBe('Mã khôi phục')
  const codes = await page.locator('#recovery-codes span').allInnerTexts()
  expect(codes).toHaveLength(10)
  for (const c of codes) expect(c).toMatch(/^[0-9a-f]{5}-[0-9a-f]{5}$/)
  await shot(page, `${who}-recovery-codes`, { phone: true })
  await expectAccessible(page, `${who}-recovery-codes`)
  return secret
}

function signIn(page: Page, who: string, user: { email: string; password: string }, secret: string): Promise<void> {
  return signInWith(page, shot, who, user, secret)
}

// --- the flow ---------------------------------------------------------------------------

describe('foundation in a browser: setup wizard → admin → invite → editor', () => {
  let work: string
  let server: Server | undefined
  let smtp: TestSmtp | undefined
  let context: BrowserContext | undefined
  const mails: ParsedMail[] = []

  beforeAll(async () => {
    work = await prepareRun(SHOTS, 'donghanh-e2e-')

    smtp = await startSmtp((mail) => mails.push(mail))

    const port = await freePort()
    server = await startServer(
      {
        DATA_DIR: path.join(work, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
        NODE_ENV: 'test',
      },
      SETUP_URL,
    )

    context = await launchBrowser(path.join(work, 'chromium'))
  }, 120_000)

  afterAll(async () => {
    // Clean up everything first, then report what went wrong.
    const problems: string[] = []
    await context?.close().catch((e: Error) => problems.push(`closing the browser: ${e.message}`))
    // Stopped by pid (SIGTERM); nothing started from the temp dir may linger.
    problems.push(...(await stopServerAndCheck(server, work)))
    await smtp?.close()
    if (work) await rm(work, { recursive: true, force: true })
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${server?.output() ?? ''}`)
  }, 60_000)

  it('runs the whole newcomer flow', async () => {
    if (!server || !context) throw new Error('not started')
    const page = context.pages()[0] ?? (await context.newPage())
    const base = server.baseUrl

    // 1. The one-time setup URL printed by `serve` opens the wizard, token filled in.
    expect(server.printed.startsWith(`${base}/console/setup?token=`)).toBe(true)
    let res = await navigate(page, () => page.goto(server?.printed as string))
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Cài đặt lần đầu')
    expect(await page.getByLabel('Mã cài đặt').inputValue()).toBe(new URL(server.printed).searchParams.get('token'))
    const setupText = await seen(page.locator('body'))
    expect(setupText).toContain('Xác thực hai lớp')
    // The wizard asks for the office and its first spokesperson (nothing of a province is built in).
    expect(setupText).toContain('Người phát ngôn đầu tiên')
    expect(setupText).not.toContain('Thanh Hóa')
    await expectVietnameseFont(page)
    await expectLabelledFields(page)
    await shot(page, 'setup-wizard', { phone: true })
    await expectAccessible(page, 'setup-wizard')

    // A weak password is refused with the form kept.
    await page.getByLabel('Tên đơn vị').fill('Công an tỉnh Thanh Hóa')
    await page.getByLabel('Tỉnh, thành phố').fill('Thanh Hóa')
    await page.getByLabel('Đường dây nóng').fill('069 2609 113')
    await page.getByLabel('E-mail liên hệ của đơn vị').fill('phongthammuu@thanhhoa.congan.gov.vn')
    await page.getByLabel('Địa chỉ trụ sở').fill('17 Hạc Thành, phường Hạc Thành, tỉnh Thanh Hóa')
    await page.getByLabel('Họ và tên').fill(ADMIN.name)
    await page.getByLabel('Thư điện tử').fill(ADMIN.email)
    await page.getByLabel('Mật khẩu mới').fill('ngắn')
    await page.getByLabel('Nhập lại mật khẩu').fill('ngắn')
    await page.locator('main form input[name="password"]').evaluate((el) => el.removeAttribute('minlength'))
    await page.locator('main form input[name="passwordConfirm"]').evaluate((el) => el.removeAttribute('minlength'))
    res = await submitButton(page, '/console/setup')
    expect(res.status()).toBe(400)
    expect(await seen(page.getByRole('alert'))).toMatch(/12/)
    expect(await page.getByLabel('Họ và tên').inputValue()).toBe(ADMIN.name)
    expect(await page.getByLabel('Tên đơn vị').inputValue()).toBe('Công an tỉnh Thanh Hóa')
    await shot(page, 'setup-weak-password')

    // 2. First admin, strong password.
    await page.getByLabel('Mật khẩu mới').fill(ADMIN.password)
    await page.getByLabel('Nhập lại mật khẩu').fill(ADMIN.password)
    res = await submitButton(page, '/console/setup')
    expect(res.status()).toBe(200)

    // 3. TOTP enrolment, recovery codes, dashboard.
    const adminSecret = await enrolTotp(page, 'admin')
    res = await navigate(page, () => page.getByRole('link', { name: 'Tôi đã lưu, tiếp tục' }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console')
    expect(await heading(page)).toBe(`Xin chào, ${ADMIN.name}`)
    expect(await seen(page.locator('main'))).toContain('Quản trị viên')
    await shot(page, 'admin-dashboard', { phone: true })
    await expectAccessible(page, 'admin-dashboard')

    // The wizard is closed now.
    res = await navigate(page, () => page.goto(server?.printed as string))
    expect(res.status()).toBe(200)
    expect(await seen(page.locator('main'))).not.toContain('Tạo quản trị viên')
    await shot(page, 'setup-closed')

    // 4. Sign out, sign in again (password, then TOTP of a fresh step).
    await page.goto(`${base}/console`)
    await signOut(page)
    expect(await heading(page)).toBe('Đăng nhập')
    expect(await seen(page.locator('body'))).toContain('Đăng nhập')
    await expectVietnameseFont(page)
    await expectLabelledFields(page)
    await shot(page, 'sign-in', { phone: true })
    await expectAccessible(page, 'sign-in')

    // The English switch, then back to Vietnamese.
    res = await navigate(page, () => page.goto(`${base}/console/sign-in?lang=en`))
    expect(res.status()).toBe(200)
    expect(res.headers()['content-language']).toBe('en')
    expect(await page.locator('html').getAttribute('lang')).toBe('en')
    expect(await heading(page)).toBe('Sign in')
    expect(await page.getByRole('link', { name: 'Tiếng Việt' }).count()).toBe(1)
    await shot(page, 'sign-in-english')
    res = await navigate(page, () => page.getByRole('link', { name: 'Tiếng Việt' }).click())
    expect(res.headers()['content-language']).toBe('vi')
    expect(await heading(page)).toBe('Đăng nhập')

    await signIn(page, 'admin', ADMIN, adminSecret)
    expect(await heading(page)).toBe(`Xin chào, ${ADMIN.name}`)
    await shot(page, 'admin-dashboard-again')

    // 5. Users: invite an editor.
    res = await navigate(page, () => page.getByRole('link', { name: 'Người dùng', exact: true }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console/users')
    expect(await heading(page)).toBe('Người dùng')
    await expectLabelledFields(page)
    await shot(page, 'users', { phone: true })
    await expectAccessible(page, 'users')
    const invite = page.locator('main form[action="/console/users/invite"]')
    await invite.getByLabel('Thư điện tử').fill(EDITOR.email)
    await invite.getByLabel('Họ và tên').fill(EDITOR.name)
    await invite.getByLabel('Vai trò').selectOption('editor')
    res = await submitButton(page, '/console/users/invite')
    expect(res.status()).toBe(200)
    expect(await seen(page.getByRole('status').first())).toBe('Đã gửi lời mời.')
    const editorRow = page.locator('main table tbody tr', { hasText: EDITOR.email })
    expect(await seen(editorRow)).toContain('Đã mời')
    await shot(page, 'users-invited', { phone: true })

    // 6. The invitation arrives at the SMTP server.
    const mail = await waitFor('the invitation e-mail at the SMTP server', () =>
      mails.find((m) => (Array.isArray(m.to) ? m.to : [m.to]).some((a) => a?.text.includes(EDITOR.email))),
    )
    expect(mail.subject).toContain('Lời mời tham gia Đồng Hành')
    expect(mail.text).toContain('Biên tập viên')
    const link = /(https?:\/\/\S+\/console\/invite\/accept\?token=[\w-]+)/.exec(mail.text ?? '')?.[1]
    if (!link) throw new Error(`no invitation link in the mail:\n${mail.text}`)
    expect(link.startsWith(`${base}/`)).toBe(true)

    // The outbox shows it as sent.
    res = await navigate(page, () => page.goto(`${base}/console/outbox`))
    expect(res.status()).toBe(200)
    expect(await seen(page.locator('main table tbody'))).toContain(EDITOR.email)
    await waitFor('the outbox row to show "sent"', async () => {
      await page.reload()
      return (await seen(page.locator('main table tbody tr', { hasText: EDITOR.email }))).includes('Đã gửi') ? true : undefined
    })
    await shot(page, 'outbox')
    await expectAccessible(page, 'outbox')

    // 7. The editor follows the link (the admin signs out first: one browser).
    await signOut(page)
    res = await navigate(page, () => page.goto(link))
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Nhận lời mời')
    const inviteText = await seen(page.locator('main'))
    expect(inviteText).toContain(EDITOR.email)
    expect(inviteText).toContain('Biên tập viên')
    await expectLabelledFields(page)
    await shot(page, 'editor-accept-invite', { phone: true })
    await expectAccessible(page, 'editor-accept-invite')
    await page.getByLabel('Họ và tên').fill(EDITOR.name)
    await page.getByLabel('Mật khẩu mới').fill(EDITOR.password)
    await page.getByLabel('Nhập lại mật khẩu').fill(EDITOR.password)
    res = await submitButton(page, '/console/invite/accept')
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Đăng nhập')
    expect(await seen(page.getByRole('status'))).toBe('Tài khoản đã được kích hoạt. Hãy đăng nhập.')
    await shot(page, 'editor-sign-in')

    // The link is single use.
    res = await navigate(page, () => page.goto(link))
    expect(res.status()).toBeGreaterThanOrEqual(400)
    await shot(page, 'editor-invite-used')
    await page.goto(`${base}/console/sign-in`)

    // 8. The editor signs in, enrols TOTP, sees the recovery codes and the dashboard.
    await page.getByLabel('Thư điện tử').fill(EDITOR.email)
    await page.getByLabel('Mật khẩu', { exact: true }).fill(EDITOR.password)
    res = await submitButton(page, '/console/sign-in')
    expect(res.status()).toBe(200)
    await enrolTotp(page, 'editor')
    res = await navigate(page, () => page.getByRole('link', { name: 'Tôi đã lưu, tiếp tục' }).click())
    expect(res.status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console')
    expect(await heading(page)).toBe(`Xin chào, ${EDITOR.name}`)
    expect(await seen(page.locator('main'))).toContain('Biên tập viên')
    // An editor has no Users page.
    expect(await page.locator('header nav a[href="/console/users"]').count()).toBe(0)
    await shot(page, 'editor-dashboard', { phone: true })
    await expectAccessible(page, 'editor-dashboard')
    res = await navigate(page, () => page.goto(`${base}/console/users`))
    expect(res.status()).toBe(403)
    await shot(page, 'editor-users-forbidden')
  }, 120_000)
})
