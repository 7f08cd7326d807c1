/**
 * Two small things of a new account's first hour, in a browser (issue 13). The demo admin
 * invites an editor with her name; the invitation page shows that name already filled in; a
 * cleared name gets a visible Vietnamese and English message from the server (not a silent
 * browser bubble). The editor then enrols TOTP and the recovery-codes page offers a download
 * (.txt, a plain form POST), print and copy. Desktop and 390-px phone screenshots.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  demoUser,
  expectAccessible,
  expectVietnameseFont,
  heading,
  navigate,
  queryRun,
  ROOT,
  screenshots,
  seen,
  signIn,
  signOut,
  startDemoRun,
  stopDemoRun,
  submitButton,
  totpCode,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/first-hour')
const shot = screenshots(SHOTS)
const NEWCOMER = { name: 'Lê Thị Thu Hằng', email: 'hang.ltt@demo.donghanh.vn', password: 'Sầm Sơn biển xanh cát trắng 2026' }

describe('first hour in a browser: invitation with the name filled in, recovery codes to keep', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-first-hour-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('pre-fills the invited name, says so when it is missing, and offers download, print and copy of the codes', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base })
    const page = browser.pages()[0] ?? (await browser.newPage())

    // 1. The admin invites an editor by name.
    const admin = demoUser(run.manifest, 'admin')
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await signIn(page, shot, 'admin', { email: admin.email, password: admin.password }, admin.secret)
    expect((await navigate(page, () => page.goto(`${base}/console/users`))).status()).toBe(200)
    const invite = page.locator('main form[action="/console/users/invite"]')
    await invite.getByLabel('Thư điện tử').fill(NEWCOMER.email)
    await invite.getByLabel('Họ và tên').fill(NEWCOMER.name)
    await invite.getByLabel('Vai trò').selectOption('editor')
    expect((await submitButton(page, '/console/users/invite')).status()).toBe(200)
    await signOut(page)
    const [mail] = await queryRun<{ text_body: string }>(run, `SELECT text_body FROM mail_outbox WHERE to_address = '${NEWCOMER.email}'`)
    const link = /(https?:\/\/\S+\/console\/invite\/accept\?token=[\w-]+)/.exec(mail?.text_body ?? '')?.[1]
    if (!link) throw new Error(`no invitation link:\n${mail?.text_body}`)

    // 2. The invitation page: the name is there already.
    expect((await navigate(page, () => page.goto(link))).status()).toBe(200)
    expect(await heading(page)).toBe('Nhận lời mời')
    const name = page.getByLabel('Họ và tên')
    expect(await name.inputValue()).toBe(NEWCOMER.name)
    await expectVietnameseFont(page)
    await shot(page, 'invite-prefilled', { phone: true })
    await expectAccessible(page, 'invite-prefilled')

    // 3. A cleared name is refused with a message the person sees, in both languages.
    await name.fill('')
    await page.getByLabel('Mật khẩu mới').fill(NEWCOMER.password)
    await page.getByLabel('Nhập lại mật khẩu').fill(NEWCOMER.password)
    const refused = await submitButton(page, '/console/invite/accept')
    expect(refused.status()).toBe(400)
    const alert = await seen(page.getByRole('alert'))
    expect(alert).toContain('Vui lòng nhập họ và tên.')
    expect(alert).toContain('Please enter your full name.')
    expect(await page.getByLabel('Họ và tên').getAttribute('aria-invalid')).toBe('true')
    await shot(page, 'invite-name-missing', { phone: true })
    await expectAccessible(page, 'invite-name-missing')

    // 4. With the name, the account is active; the editor signs in and enrols TOTP.
    await page.getByLabel('Họ và tên').fill(NEWCOMER.name)
    await page.getByLabel('Mật khẩu mới').fill(NEWCOMER.password)
    await page.getByLabel('Nhập lại mật khẩu').fill(NEWCOMER.password)
    expect((await submitButton(page, '/console/invite/accept')).status()).toBe(200)
    expect(await heading(page)).toBe('Đăng nhập')
    await page.getByLabel('Thư điện tử').fill(NEWCOMER.email)
    await page.getByLabel('Mật khẩu', { exact: true }).fill(NEWCOMER.password)
    expect((await submitButton(page, '/console/sign-in')).status()).toBe(200)
    expect(new URL(page.url()).pathname).toBe('/console/totp/enrol')
    const secret = (await seen(page.locator('#totp-secret'))).replace(/\s+/g, '')
    await page.getByLabel('Mã 6 số trong ứng dụng xác thực').fill(totpCode(secret))
    expect((await submitButton(page, '/console/totp/enrol')).status()).toBe(200)
    expect(await heading(page)).toBe('Mã khôi phục')
    const codes = await page.locator('#recovery-codes span').allInnerTexts()
    expect(codes).toHaveLength(10)

    // 5. Download, print and copy.
    const download = page.getByRole('button', { name: 'Tải về (.txt)' })
    const print = page.getByRole('button', { name: 'In', exact: true })
    const copy = page.getByRole('button', { name: 'Sao chép' })
    for (const b of [download, print, copy]) expect(await b.isVisible()).toBe(true)
    await shot(page, 'recovery-codes', { phone: true })
    await expectAccessible(page, 'recovery-codes')
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()])
    expect(file.suggestedFilename()).toBe('dong-hanh-ma-khoi-phuc.txt')
    const text = await readFile((await file.path()) as string, 'utf8')
    for (const c of codes) expect(text).toContain(c)
    expect(text).toContain(`Mã khôi phục Đồng Hành của ${NEWCOMER.email}`)
    await copy.click()
    // The clipboard answers asynchronously; the status line then says so.
    const said = await waitFor('the copy status', async () => (await seen(page.locator('#recovery-status'))) || undefined)
    expect(said).toBe('Đã sao chép các mã.')
    const copied = await page.evaluate(() =>
      (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText(),
    )
    expect(copied.trim().split('\n')).toEqual(codes)
    // Print: the browser's print dialog opens on window.print (replaced here to observe the call).
    await page.evaluate(() => {
      const w = globalThis as unknown as { print: () => void; printed?: boolean }
      w.print = () => {
        w.printed = true
      }
    })
    await print.click()
    expect(await page.evaluate(() => (globalThis as unknown as { printed?: boolean }).printed)).toBe(true)
    // What a printout holds: the codes, without the header, buttons and footer.
    await page.emulateMedia({ media: 'print' })
    expect(await page.locator('header.top').isVisible()).toBe(false)
    expect(await download.isVisible()).toBe(false)
    expect(await page.locator('#recovery-codes').isVisible()).toBe(true)
    await shot(page, 'recovery-codes-print')
    await page.emulateMedia({ media: 'screen' })
  })
})
