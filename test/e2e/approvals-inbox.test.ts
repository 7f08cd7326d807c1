/**
 * The approvals inbox in a browser (issue 13, item 11). On the demo newsroom, which holds a
 * verdict sent for approval by the demo officer, the demo editor takes a scheduled release
 * back to approval ("Hủy hẹn giờ"); the editor has no "Chờ duyệt" entry and no inbox (403).
 * The demo approver then sees both items, the verdict and the release, with their count in
 * the menu and on the dashboard, on desktop and on a 390-px phone, and follows the verdict
 * to the claim page where it is approved. The demo's warnings wait there too: a wanted notice
 * submitted by the officer, and the urgent warning this approver published alone, which awaits
 * a second approver (barred for this one by four-eyes, so not in the count).
 */
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
  ROOT,
  screenshots,
  seen,
  signIn,
  signOut,
  startDemoRun,
  stopDemoRun,
  submitButton,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/approvals-inbox')
const shot = screenshots(SHOTS)
const RELEASE = 'Thông báo lịch tiếp công dân của Giám đốc Công an tỉnh tháng 12/2026'
const VERDICT = 'Công văn cho học sinh nghỉ học là giả mạo'

describe('approvals inbox in a browser: a release and a verdict wait on the approver', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-approvals-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('shows the editor no inbox, and the approver both items with their count', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())

    // 1. The editor takes the scheduled release back to approval.
    const editor = demoUser(run.manifest, 'editor')
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await signIn(page, shot, 'editor', { email: editor.email, password: editor.password }, editor.secret)
    expect(await page.locator('header nav a[data-menu="approvals"]').count()).toBe(0)
    expect(await page.locator('#dashboard-approvals').count()).toBe(0)
    expect((await navigate(page, () => page.goto(`${base}/console/releases?tab=scheduled`))).status()).toBe(200)
    await navigate(page, () => page.getByRole('link', { name: RELEASE }).click())
    const releaseUrl = new URL(page.url()).pathname
    const unscheduled = await submitButton(page, `${releaseUrl}/unschedule`)
    expect(unscheduled.status()).toBe(200)
    expect(await seen(page.locator('main'))).toContain('Đã hủy hẹn giờ')
    const forbidden = await navigate(page, () => page.goto(`${base}/console/approvals`))
    expect(forbidden.status()).toBe(403)
    await signOut(page)

    // 2. The approver: the count in the menu and on the dashboard.
    const approver = demoUser(run.manifest, 'approver')
    await signIn(page, shot, 'approver', { email: approver.email, password: approver.password }, approver.secret)
    const menu = page.locator('header nav a[data-menu="approvals"]')
    expect(await seen(menu)).toBe('Chờ duyệt 3')
    const section = page.locator('#dashboard-approvals')
    expect(await seen(section.locator('h2'))).toBe('Chờ bạn duyệt 3')
    const onDashboard = await seen(section)
    // The dashboard shows the oldest three (the release, taken back just now, is in the inbox).
    expect(onDashboard).toContain(VERDICT)
    expect(onDashboard).toContain('Xem cả 4 việc chờ duyệt')
    await expectVietnameseFont(page)
    await shot(page, 'approver-dashboard', { phone: true })
    await expectAccessible(page, 'approver-dashboard')

    // 3. The inbox: both kinds, oldest first, nothing barred by four-eyes for this approver.
    expect((await navigate(page, () => menu.click())).status()).toBe(200)
    expect(await heading(page)).toBe('Chờ duyệt')
    expect(await seen(page.locator('#approvals-summary'))).toBe('Bạn có thể duyệt 3 trong 4 việc đang chờ.')
    const items = page.locator('main .inbox-item')
    expect(await items.count()).toBe(4)
    const kinds = await items.evaluateAll((els) => els.map((e) => (e as unknown as { dataset: { kind: string } }).dataset.kind))
    expect(kinds.sort()).toEqual(['release', 'verdict', 'warning', 'warning'])
    const verdictItem = page.locator('main .inbox-item[data-kind="verdict"]')
    expect(await seen(verdictItem)).toContain('Kết luận kiểm chứng')
    expect(await seen(verdictItem)).toContain('Kết luận: Giả mạo')
    // Only the urgent warning this approver published alone is barred (its second approval is another's).
    expect(await page.locator('main .four-eyes').count()).toBe(1)
    expect(await seen(page.locator('main .inbox-item:has(.four-eyes)'))).toContain('hoàn tiền điện')
    await shot(page, 'approvals-inbox', { phone: true })
    await expectAccessible(page, 'approvals-inbox')
    // On the phone too: the count stays beside the label.
    await page.setViewportSize({ width: 390, height: 844 })
    expect(await seen(menu)).toBe('Chờ duyệt 3')
    await expectAccessible(page, 'approvals-inbox-phone')
    await page.setViewportSize({ width: 1280, height: 800 })

    // 4. English.
    expect((await navigate(page, () => page.goto(`${base}/console/approvals?lang=en`))).status()).toBe(200)
    expect(await seen(page.locator('#approvals-summary'))).toBe('You can approve 3 of the 4 items waiting.')
    expect(await seen(verdictItem)).toContain('Fact-check verdict')
    await shot(page, 'approvals-inbox-en')
    expect((await navigate(page, () => page.goto(`${base}/console/approvals?lang=vi`))).status()).toBe(200)

    // 5. The verdict's link opens the claim page at its verdict, where the approver decides.
    await navigate(page, () => verdictItem.getByRole('link', { name: VERDICT }).click())
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/kiem-chung\/[0-9a-f-]{36}$/)
    expect(new URL(page.url()).hash).toBe('#verdict')
    expect(await seen(page.locator('#verdict'))).toContain(VERDICT)
  })
})
