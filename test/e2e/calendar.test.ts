import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  type Dom,
  demoUser,
  expectAccessible,
  expectVietnameseFont,
  heading,
  navigate,
  ROOT,
  screenshots,
  seen,
  signIn,
  startDemoRun,
  stopDemoRun,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/calendar')
const shot = screenshots(SHOTS)
const NARROW_PHONE = { width: 375, height: 812 }

/** What the page reports about one badge. */
interface BadgeBox {
  text: string
  height: number
  fontSize: number
}

describe('console calendar on a 375 px phone', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-calendar-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('keeps every status badge on one line, without sideways overflow', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const editor = demoUser(run.manifest, 'editor')
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    await page.setViewportSize(NARROW_PHONE)
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await signIn(page, shot, 'editor', { email: editor.email, password: editor.password }, editor.secret)

    expect((await navigate(page, () => page.goto(`${base}/console/calendar`))).status()).toBe(200)
    expect(await heading(page)).toBe('Lịch công bố')
    await expectVietnameseFont(page)
    const statuses = await seen(page.locator('main'))
    expect(statuses).toContain('Hẹn giờ công bố')
    expect(statuses).toContain('Cấm đăng trước (embargo)')
    await shot(page, 'calendar-375')
    await expectAccessible(page, 'calendar-375')

    const badges = await page.locator('main table .badge').evaluateAll((els) =>
      els.map((el) => {
        const e = el as unknown as { textContent: string | null; getBoundingClientRect(): { height: number } }
        const style = (globalThis as unknown as { getComputedStyle(el: unknown): { fontSize: string } }).getComputedStyle(el)
        return { text: e.textContent ?? '', height: e.getBoundingClientRect().height, fontSize: Number.parseFloat(style.fontSize) }
      }),
    )
    expect(badges.length).toBeGreaterThanOrEqual(2)
    // One line of text plus the pill's padding is well under two font sizes; two lines are over.
    const wrapped = badges.filter((b: BadgeBox) => b.height >= 2 * b.fontSize)
    expect(wrapped, JSON.stringify(badges)).toEqual([])
    const overflow = await page.evaluate(() => {
      const root = (globalThis as unknown as { document: Dom }).document.documentElement
      return root.scrollWidth - root.clientWidth
    })
    expect(overflow).toBeLessThanOrEqual(0)
  })
})
