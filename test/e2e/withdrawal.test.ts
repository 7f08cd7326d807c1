/**
 * Withdrawal in a real browser (issue 13, item 7): on the demo newsroom, a reader opens a
 * published release; the demo approver opens it in the console, where withdrawing asks for a
 * kind of reason, a public reason and a ticked confirmation, and withdraws it for privacy. The
 * console then says "đã công bố, nay đã gỡ" (not "đang công bố"); the reader's page shows only
 * the notice (category, reason, date): no title, summary, body or verification code. Desktop
 * and 390-px phone screenshots under test-output/e2e/withdrawal/.
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system one, or the npm one).
 */
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
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
  startDemoRun,
  stopDemoRun,
  submitButton,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/withdrawal')
const shot = screenshots(SHOTS)
const REASON = 'Tin nêu chi tiết có thể nhận diện người liên quan; gỡ để bảo vệ quyền riêng tư.'

describe('withdrawal in a browser: confirmation and category, then only the notice stays public', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    // Two browsers with their own cookies: the approver, and a reader who never signs in.
    run = await startDemoRun(SHOTS, 'donghanh-e2e-withdrawal-', { browsers: 2 })
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('an approver withdraws a release for privacy; the public page keeps only the notice', async () => {
    if (!run) throw new Error('not started')
    const { server, manifest } = run
    const [staff, anon] = run.browsers as [BrowserContext, BrowserContext]
    const base = server.baseUrl
    const approver = demoUser(manifest, 'approver')
    const item = manifest.items.find((i) => i.kind === 'release' && i.state === 'public' && i.url)
    if (!item?.url) throw new Error('the demo has no public release')
    const reader = anon.pages()[0] ?? (await anon.newPage())
    const page = staff.pages()[0] ?? (await staff.newPage())

    // 1. The reader sees the release as published: title, text, verification code.
    let res = await navigate(reader, () => reader.goto(`${base}${item.url}`))
    expect(res.status()).toBe(200)
    expect(await heading(reader)).toBe(item.title)
    const text = (await seen(reader.locator('.release-content'))).trim()
    const firstWords = text.split(/\s+/).slice(0, 6).join(' ')
    const code = (await seen(reader.locator('.verify-code'))).trim()
    expect(code.length).toBeGreaterThan(4)

    // 2. The approver opens it in the console: the withdraw form asks for a kind of reason,
    // the public reason and a confirmation.
    res = await navigate(page, () => page.goto(`${base}/console/sign-in`))
    expect(res.status()).toBe(200)
    await signIn(page, shot, 'approver', approver, approver.secret)
    res = await navigate(page, () => page.goto(`${base}/console/releases/${item.id}`))
    expect(res.status()).toBe(200)
    const withdrawForm = page.locator(`main form[action="/console/releases/${item.id}/withdraw"]`)
    await expect.poll(() => withdrawForm.count()).toBe(1)
    expect(await seen(withdrawForm)).toContain('Tôi xác nhận gỡ bỏ tin này')
    expect(await seen(withdrawForm)).toContain('Loại lý do gỡ')
    await expectLabelledFields(page)
    await withdrawForm.locator('select[name="category"]').selectOption('privacy')
    await withdrawForm.locator('textarea[name="reason"]').fill(REASON)
    // Without the tick the browser does not send the form (the server refuses it too: route tests).
    await withdrawForm.locator('button[type="submit"]').click()
    expect(
      await withdrawForm
        .locator('input[name="confirm"]')
        .evaluate((el) => (el as unknown as { validity: { valid: boolean } }).validity.valid),
    ).toBe(false)
    expect(new URL(page.url()).pathname).toBe(`/console/releases/${item.id}`)
    await withdrawForm.locator('input[name="confirm"]').check()
    await withdrawForm.scrollIntoViewIfNeeded()
    await shot(page, 'withdraw-form', { phone: true })
    await expectAccessible(page, 'withdraw-form')
    res = await submitButton(page, `/console/releases/${item.id}/withdraw`)
    expect(res.status()).toBe(200)
    const main = await seen(page.locator('main'))
    expect(main).toContain('Đã gỡ tin.')
    expect(main).toContain('Phiên bản #1 (đã công bố, nay đã gỡ)')
    expect(main).not.toContain('(đang công bố)')
    expect(main).toContain('Quyền riêng tư (rút nội dung)')
    expect(main).toContain('Nội dung đã được rút khỏi mọi trang công khai')
    await expectVietnameseFont(page)
    await shot(page, 'console-withdrawn', { phone: true })
    await expectAccessible(page, 'console-withdrawn')

    // 3. The reader's page: the notice only (the page cache hears of the change through NOTIFY).
    await waitFor('the public page to show the withdrawal', async () => {
      const r = await navigate(reader, () => reader.reload())
      return r.status() === 200 && (await reader.locator('.withdrawn-notice').count()) === 1 ? true : undefined
    })
    const notice = await seen(reader.locator('.withdrawn-notice'))
    expect(notice).toContain('Tin này đã bị gỡ bỏ.')
    expect(notice).toContain('Bảo vệ quyền riêng tư')
    expect(notice).toContain(REASON)
    expect(notice).toContain('Nội dung tin đã được rút khỏi trang này; chỉ còn thông báo gỡ bỏ.')
    expect(await heading(reader)).toContain('Tin đã gỡ bỏ')
    const whole = await seen(reader.locator('body'))
    expect(whole).not.toContain(item.title)
    expect(whole).not.toContain(firstWords)
    expect(whole).not.toContain(code)
    expect(await reader.locator('.release-content, .verify-box').count()).toBe(0)
    await expectVietnameseFont(reader)
    await shot(reader, 'public-withdrawn', { phone: true })
    await expectAccessible(reader, 'public-withdrawn')
  }, 240_000)
})
