/**
 * The console calendar on a phone (375 px, the narrowest common width), in a real browser:
 * `donghanh seed-demo` leaves one scheduled and one embargoed release; the demo editor signs
 * in and opens the calendar. Each status badge must stay on one line (it used to wrap inside
 * its pill in a squeezed third column: "Cấm đăng / trước / (embargo)"), the page must not
 * overflow sideways, and the Vietnamese font must be the one used.
 * Screenshots under test-output/e2e/calendar/.
 *
 * Needs Debian's Chromium at /usr/bin/chromium (`apt-get install -y chromium`).
 */
import { readFile, rm } from 'node:fs/promises'
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort } from '../../src/db/embedded.ts'
import type { DemoManifest } from '../../src/modules/demo/seed-demo.ts'
import {
  type Dom,
  expectVietnameseFont,
  heading,
  LISTENING,
  launchBrowser,
  navigate,
  prepareRun,
  ROOT,
  runDonghanh,
  type Server,
  screenshots,
  seen,
  signIn,
  startServer,
  stopServerAndCheck,
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
  let work: string
  let server: Server | undefined
  let browser: BrowserContext | undefined
  let manifest: DemoManifest

  beforeAll(async () => {
    work = await prepareRun(SHOTS, 'donghanh-e2e-calendar-')
    const port = await freePort()
    const env = {
      DATA_DIR: path.join(work, 'data'),
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      NODE_ENV: 'test',
    }
    const manifestPath = path.join(work, 'm.json')
    await runDonghanh(['seed-demo', '--manifest', manifestPath], env)
    manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as DemoManifest
    server = await startServer(env, LISTENING)
    browser = await launchBrowser(path.join(work, 'chromium'))
  }, 180_000)

  afterAll(async () => {
    const problems: string[] = []
    await browser?.close().catch((e: Error) => problems.push(`closing the browser: ${e.message}`))
    problems.push(...(await stopServerAndCheck(server, work)))
    if (work) await rm(work, { recursive: true, force: true })
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n${server?.output() ?? ''}`)
  }, 60_000)

  it('keeps every status badge on one line, without sideways overflow', async () => {
    if (!server || !browser) throw new Error('not started')
    const base = server.baseUrl
    const editor = manifest.users.find((u) => u.role === 'editor')
    if (!editor?.totpSecret) throw new Error('no demo editor with TOTP in the manifest')
    const page = browser.pages()[0] ?? (await browser.newPage())
    await page.setViewportSize(NARROW_PHONE)
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await signIn(page, shot, 'editor', { email: editor.email, password: editor.password }, editor.totpSecret)

    expect((await navigate(page, () => page.goto(`${base}/console/calendar`))).status()).toBe(200)
    expect(await heading(page)).toBe('Lịch công bố')
    await expectVietnameseFont(page)
    const statuses = await seen(page.locator('main'))
    expect(statuses).toContain('Hẹn giờ công bố')
    expect(statuses).toContain('Cấm đăng trước (embargo)')
    await shot(page, 'calendar-375')

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
