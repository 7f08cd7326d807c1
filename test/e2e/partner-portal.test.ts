/**
 * The partner portal's home in a real browser: an accredited journalist of the demo signs in
 * and sees the embargoed release with its "CẤM ĐĂNG TRƯỚC" label and a countdown that ticks
 * (countdown.js), on a 390 px phone and at 1280 px. Suspension is covered by the db tests
 * (portal/content/content.routes.test.ts).
 */
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  DESKTOP,
  expectAccessible,
  expectVietnameseFont,
  navigate,
  PHONE,
  ROOT,
  screenshots,
  seen,
  startDemoRun,
  stopDemoRun,
  submitButton,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/partner-portal')
const shot = screenshots(SHOTS)

describe('partner portal home', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-portal-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('an accredited journalist sees the embargoed release with a ticking countdown, on a phone and a desktop', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const journalist = run.manifest.users.find((u) => u.role === 'journalist' && u.partnerStatus === 'accredited')
    if (!journalist) throw new Error('no accredited demo journalist in the manifest')
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    await page.setViewportSize(PHONE)
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await page.getByLabel('Thư điện tử').fill(journalist.email)
    await page.getByLabel('Mật khẩu', { exact: true }).fill(journalist.password)
    expect((await submitButton(page, '/console/sign-in')).status()).toBe(200)

    const home = await navigate(page, () => page.goto(`${base}/doi-tac`))
    expect(home.status()).toBe(200)
    expect(home.headers()['cache-control']).toBe('no-store')
    await expectVietnameseFont(page)
    const card = page.locator('article.portal-embargo').first()
    expect(await seen(card.locator('[data-embargo-label]'))).toMatch(/^CẤM ĐĂNG TRƯỚC \d{2}:\d{2} \d{2}\/\d{2}$/)
    const countdown = card.locator('[data-countdown-text]')
    // The demo's embargo lifts minutes after the seed: minutes and seconds are shown.
    await expect.poll(() => seen(countdown)).toMatch(/^còn \d+ phút \d{2} giây$/)
    const first = await seen(countdown)
    // One tick of countdown.js is a second; read again after a little more than that.
    await page.waitForTimeout(1200)
    const second = await seen(countdown)
    expect(second).toMatch(/^còn \d+ phút \d{2} giây$/)
    expect(second).not.toBe(first)
    await shot(page, 'portal-home-390')
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
        .documentElement
      return root.scrollWidth - root.clientWidth
    })
    expect(overflow).toBeLessThanOrEqual(0)
    await expectAccessible(page, 'portal-home-390')
    await page.setViewportSize(DESKTOP)
    await shot(page, 'portal-home-1280')
    await expectAccessible(page, 'portal-home-1280')
  }, 240_000)
})
