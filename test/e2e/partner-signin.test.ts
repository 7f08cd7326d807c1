/**
 * Partner sign-in in a real browser: a journalist asks for a link on /doi-tac/dang-nhap, the
 * mail arrives at a real SMTP server started here, the link's page asks to confirm, and the
 * journalist is signed in. On /doi-tac/bao-mat they add a passkey with Chromium's virtual
 * authenticator (DevTools protocol: WebAuthn.enable, addVirtualAuthenticator), sign out, and
 * sign in again with the passkey and no e-mail. Screenshots at 1280 and 390 px (looked at).
 *
 * The site runs at http://localhost:PORT, not 127.0.0.1: WebAuthn refuses an IP address as
 * the relying party's ID, and localhost is a secure context for it.
 */
import path from 'node:path'
import type { ParsedMail } from 'mailparser'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import {
  type DemoRun,
  expectAccessible,
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  navigate,
  queryRun,
  ROOT,
  screenshots,
  seen,
  startDemoRun,
  startSmtp,
  stopDemoRun,
  type TestSmtp,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/partner-signin')
const shot = screenshots(SHOTS)
const JOURNALIST = { name: 'Trịnh Thị Minh Ngọc', email: `ngoc.tt.${Date.now() % 1_000_000}@baothanhhoa.example.vn` }

describe('partner sign-in: e-mail link, then a passkey', () => {
  let run: DemoRun | undefined
  let smtp: TestSmtp | undefined
  const mails: { to: string[]; mail: ParsedMail }[] = []

  beforeAll(async () => {
    smtp = await startSmtp((mail, to) => mails.push({ mail, to }))
    const port = await freePort()
    run = await startDemoRun(SHOTS, 'donghanh-e2e-partner-signin-', {
      env: { PORT: String(port), PUBLIC_URL: `http://localhost:${port}`, SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
    })
    // An accredited journalist in the registry, without an account yet (made at the first sign-in).
    await queryRun(
      run,
      `WITH t AS (SELECT id FROM tenants ORDER BY created_at LIMIT 1),
            p AS (INSERT INTO partners (tenant_id, kind, name, email, status)
                  SELECT id, 'journalist', '${JOURNALIST.name}', '${JOURNALIST.email}', 'accredited' FROM t RETURNING id, tenant_id)
       INSERT INTO partner_keys (tenant_id, kind, value, partner_id) SELECT tenant_id, 'email', '${JOURNALIST.email}', id FROM p`,
    )
  }, 180_000)

  afterAll(async () => {
    await stopDemoRun(run)
    await smtp?.close()
  }, 60_000)

  it('signs in by the mailed link, adds a passkey, signs out and back in with it', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())

    // 1. The sign-in page: one field, the passkey button shown (the browser supports WebAuthn).
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/dang-nhap`))).status()).toBe(200)
    expect(await heading(page)).toBe('Đăng nhập cổng đối tác')
    await expectLabelledFields(page)
    await expectVietnameseFont(page)
    await page.locator('#passkey-signin').waitFor({ state: 'visible' })
    await shot(page, 'sign-in', { phone: true })
    await expectAccessible(page, 'sign-in')

    // 2. Ask for a link: the neutral answer, and the mail at the SMTP server.
    await page.getByLabel('Thư điện tử').fill(JOURNALIST.email.toUpperCase())
    expect((await navigate(page, () => page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click())).status()).toBe(200)
    expect(await seen(page.locator('#link-sent'))).toContain('Nếu địa chỉ này thuộc một đối tác, liên kết đăng nhập đã được gửi')
    await shot(page, 'link-sent', { phone: true })
    // The demo's warnings reach the journalist too (partners' distribution): the sign-in mail is the one asked for.
    const mail = await waitFor(
      'the sign-in mail',
      () => mails.find((m) => m.to.includes(JOURNALIST.email) && (m.mail.subject ?? '').includes('Liên kết đăng nhập')),
      30_000,
    )
    expect(mail.mail.subject).toContain('Liên kết đăng nhập cổng đối tác')
    const link = /(https?:\/\/\S+\/doi-tac\/dang-nhap\/lien-ket\?token=[\w-]+)/.exec(mail.mail.text ?? '')?.[1]
    if (!link) throw new Error(`no link in the mail:\n${mail.mail.text}`)
    expect(link.startsWith(`${base}/`)).toBe(true)

    // 3. The link's page asks to confirm (a GET never uses the link up); confirming signs in.
    expect((await navigate(page, () => page.goto(link))).status()).toBe(200)
    expect(await heading(page)).toBe('Xác nhận đăng nhập')
    await shot(page, 'confirm', { phone: true })
    await expectAccessible(page, 'confirm')
    await navigate(page, () => page.getByRole('button', { name: 'Đăng nhập', exact: true }).click())
    expect(new URL(page.url()).pathname).toBe('/doi-tac')
    const [account] = await queryRun<{ role: string; password_hash: string | null }>(
      run,
      `SELECT u.role, u.password_hash FROM users u JOIN partners p ON p.user_id = u.id WHERE p.email = '${JOURNALIST.email}'`,
    )
    expect(account).toEqual({ role: 'journalist', password_hash: null })

    // 4. /doi-tac/bao-mat: this session listed and marked; add a passkey on a virtual authenticator.
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/bao-mat`))).status()).toBe(200)
    expect(await heading(page)).toBe('Đăng nhập và phiên')
    expect(await seen(page.locator('#session-list li[data-current="true"]'))).toContain('Phiên này')
    const cdp = await browser.newCDPSession(page)
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
    await page.locator('#passkey-add').waitFor({ state: 'visible' })
    await page.getByLabel('Tên passkey (ví dụ: Điện thoại của tôi)').fill('Điện thoại Android')
    await navigate(page, () => page.getByRole('button', { name: 'Thêm passkey' }).click())
    expect(new URL(page.url()).search).toBe('?ok=passkey-added')
    expect(await seen(page.locator('main .alert.ok'))).toContain('Đã thêm passkey.')
    expect(await seen(page.locator('#passkey-list'))).toContain('Điện thoại Android')
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId })
    expect(credentials).toHaveLength(1)
    expect(credentials[0]?.isResidentCredential).toBe(true)
    await shot(page, 'security', { phone: true })
    await expectAccessible(page, 'security')

    // 5. Sign out (the header's button leads back to the partner sign-in).
    await navigate(page, () => page.locator('header form button').click())
    expect(new URL(page.url()).pathname).toBe('/doi-tac/dang-nhap')
    expect(await seen(page.locator('main .alert.ok'))).toContain('Bạn đã đăng xuất.')
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/bao-mat`))).url()).toContain('/doi-tac/dang-nhap')

    // 6. Sign in with the passkey: no e-mail typed, the authenticator answers.
    await page.locator('#passkey-signin').waitFor({ state: 'visible' })
    await navigate(page, () => page.getByRole('button', { name: 'Đăng nhập bằng passkey' }).click())
    expect(new URL(page.url()).pathname).toBe('/doi-tac')
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/bao-mat`))).status()).toBe(200)
    expect(await seen(page.locator('#passkey-list'))).not.toContain('Chưa dùng')
    const signIns = await queryRun<{ method: string }>(
      run,
      `SELECT summary->>'method' AS method FROM audit_events WHERE action = 'portal.signed_in' ORDER BY seq`,
    )
    expect(signIns.map((s) => s.method)).toEqual(['link', 'passkey'])
    const [key] = await queryRun<{ counter: string; last_used_at: Date | null }>(run, 'SELECT counter, last_used_at FROM portal_passkeys')
    expect(key?.last_used_at).not.toBeNull()
    await shot(page, 'security-after-passkey', { phone: true })
  }, 180_000)
})
