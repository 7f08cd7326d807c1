/**
 * A journalist applies to become a press partner on a 390-px phone, in a real browser against a
 * real `donghanh serve` and a real SMTP server started here: fills the form (outlet typed, press
 * card, beats, a commune, the proof photo, the consent under Law 91/2025/QH15), receives the
 * verification mail, opens the link (a page with a button: the GET uses nothing up), confirms,
 * and lands on the private status page in plain words. The layout must not overflow sideways.
 * Screenshots under test-output/e2e/partner-application/ (looked at when written).
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system one, or the npm one).
 */
import { rm } from 'node:fs/promises'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import {
  type Dom,
  expectLabelledFields,
  heading,
  LISTENING,
  launchBrowser,
  navigate,
  PHONE,
  prepareRun,
  ROOT,
  seen,
  type Server,
  startServer,
  startSmtp,
  stopServerAndCheck,
  submitButton,
  type TestSmtp,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/partner-application')
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(64, 1),
])

async function phoneShot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true })
  const overflow = await page.evaluate(() => {
    const root = (globalThis as unknown as { document: Dom }).document.documentElement
    return root.scrollWidth - root.clientWidth
  })
  expect(overflow, `horizontal overflow on ${name} at 390 px`).toBeLessThanOrEqual(0)
}

describe('partner application in a browser, on a phone', () => {
  let work: string | undefined
  let server: Server | undefined
  let smtp: TestSmtp | undefined
  let context: BrowserContext | undefined
  const inbox: { to: string[]; subject: string; text: string }[] = []

  beforeAll(async () => {
    work = await prepareRun(SHOTS, 'donghanh-e2e-apply-')
    smtp = await startSmtp((mail, to) => inbox.push({ to, subject: mail.subject ?? '', text: mail.text ?? '' }))
    const port = await freePort()
    server = await startServer(
      {
        DATA_DIR: path.join(work, 'data'),
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        NODE_ENV: 'test',
        SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      },
      LISTENING,
    )
    context = await launchBrowser(path.join(work, 'chromium'))
  }, 180_000)

  afterAll(async () => {
    const problems: string[] = []
    await context?.close().catch((e: Error) => problems.push(`closing the browser: ${e.message}`))
    problems.push(...(await stopServerAndCheck(server, work)))
    await smtp?.close()
    if (work) await rm(work, { recursive: true, force: true })
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${server?.output() ?? ''}`)
  }, 60_000)

  it('applies, verifies the e-mail and shows the status page', async () => {
    if (!server || !context) throw new Error('not started')
    const base = server.baseUrl
    const page = context.pages()[0] ?? (await context.newPage())
    await page.setViewportSize(PHONE)

    let res = await navigate(page, () => page.goto(`${base}/doi-tac/dang-ky`))
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Đăng ký đối tác báo chí')
    await expectLabelledFields(page)
    await page.locator('input[name="kind"][value="journalist"]').check()
    await page.locator('input[name="name"]').fill('Lê Thị Thu Hà')
    await page.locator('input[name="email"]').fill('thuha@baothanhhoa.vn')
    await page.locator('input[name="phone"]').fill('0912 345 678')
    await page.locator('input[name="beats"]').fill('an ninh trật tự, giao thông')
    await page.locator('input[name="outletName"]').fill('Báo Thanh Hóa')
    await page.locator('input[name="pressCardNumber"]').fill('TH-01234')
    await page.locator('input[name="pressCardExpiresOn"]').fill('2030-12-31')
    await page.locator('input[name="proof"]').setInputFiles({ name: 'the-nha-bao.png', mimeType: 'image/png', buffer: PNG })
    await page.locator('input[name="consent"]').check()
    // The consent says purpose, retention and how to withdraw, with its version.
    const consent = await seen(page.locator('[data-consent-version]'))
    expect(consent).toContain('91/2025/QH15')
    expect(consent).toContain('2 năm')
    expect(consent).toContain('Rút lại sự đồng ý')
    await phoneShot(page, '01-form-phone')

    res = await submitButton(page, '/doi-tac/dang-ky')
    expect(res.status()).toBe(200)
    expect(await heading(page)).toBe('Kiểm tra hộp thư của anh/chị')
    await phoneShot(page, '02-sent-phone')

    const mail = await waitFor('the verification mail', () => inbox.find((m) => m.to.includes('thuha@baothanhhoa.vn')))
    const link = /http:\/\/127\.0\.0\.1:\d+(\/doi-tac\/dang-ky\/xac-nhan\?token=\S+)/.exec(mail.text)?.[1]
    expect(link).toBeDefined()
    res = await navigate(page, () => page.goto(`${base}${link}`))
    expect(res.status()).toBe(200)
    await phoneShot(page, '03-confirm-phone')
    res = await submitButton(page, '/doi-tac/dang-ky/xac-nhan')
    expect(res.status()).toBe(200)
    expect(page.url()).toContain('/doi-tac/dang-ky/trang-thai/')
    expect(await seen(page.locator('[data-state]'))).toBe('Đang chờ xem xét')
    await phoneShot(page, '04-status-phone')
  })
})
