/**
 * The partners registry in the console, in a real browser: an approver adds a journalist
 * (communes picked with the searchable picker, a phone typed with +84), verifies and
 * accredits them with written reasons, and finds them in the list by the name typed without
 * diacritics. Screenshots of the detail page and the list at 1280 and 390 px (looked at).
 */
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  demoUser,
  expectAccessible,
  expectLabelledFields,
  heading,
  navigate,
  ROOT,
  screenshots,
  seen,
  signIn,
  startDemoRun,
  stopDemoRun,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/partners-console')
const shot = screenshots(SHOTS)

describe('partners registry in the console', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-partners-console-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('an approver adds a journalist, verifies and accredits them, and finds them in the list', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const approver = demoUser(run.manifest, 'approver')
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await signIn(page, shot, 'approver', { email: approver.email, password: approver.password }, approver.secret)

    // The menu leads to the registry.
    expect((await navigate(page, () => page.locator('header nav a[data-menu="partners"]').click())).status()).toBe(200)
    expect(await heading(page)).toBe('Đối tác báo chí')
    expect((await navigate(page, () => page.getByRole('link', { name: 'Thêm đối tác' }).click())).status()).toBe(200)
    expect(await heading(page)).toBe('Thêm đối tác')
    await expectLabelledFields(page)

    // A number that no demo record holds (unique per run).
    const tail = String(Date.now() % 1_000_000).padStart(6, '0')
    await page.getByLabel('Họ và tên').fill('Đỗ Thị Thanh Hằng')
    await page.getByLabel('Cơ quan báo chí').selectOption({ index: 1 })
    await page.getByLabel('Số thẻ nhà báo').fill(`TB-${tail}`)
    await page.getByLabel('Thẻ có giá trị đến').fill('2099-12-31')
    await page.getByLabel('Số điện thoại').fill(`+84 98 7${tail.slice(0, 3)} ${tail.slice(3)}`)
    await page.getByLabel('Thư điện tử').fill(`hang.${tail}@baothanhhoa.example.vn`)
    await page.getByLabel('Lĩnh vực phụ trách').fill('An ninh trật tự, Giao thông')
    const search = page.getByRole('combobox', { name: 'Xã, phường phụ trách' })
    await expect.poll(() => search.isVisible()).toBe(true)
    await search.pressSequentially('sam son')
    const list = page.getByRole('listbox')
    await expect.poll(() => list.isVisible()).toBe(true)
    await list.getByRole('option', { name: 'Phường Sầm Sơn' }).click()
    await expect.poll(() => page.locator('.picker-chips .chip > span').allInnerTexts()).toEqual(['Phường Sầm Sơn'])
    await expectAccessible(page, 'new partner')
    await shot(page, 'new-partner', { phone: true })
    const created = await navigate(page, () => page.locator('main form[action="/console/doi-tac/moi"] button[type="submit"]').click())
    expect(created.status()).toBe(200)
    expect(new URL(page.url()).pathname).toMatch(/^\/console\/doi-tac\/[0-9a-f-]{36}$/)
    expect(await seen(page.locator('main'))).toContain('Đã thêm hồ sơ đối tác.')
    expect(await seen(page.locator('#profile'))).toContain('Phường Sầm Sơn')
    expect(await seen(page.locator('#keys'))).toContain(`0987${tail}`)

    // Verify, then accredit: each step asks for a reason.
    const step = async (to: string, reason: string, before?: () => Promise<void>) => {
      // Each step is folded away until chosen, so none is taken by a stray tap.
      await page.locator(`details[data-step="${to}"] > summary`).click()
      const form = page.locator(`form:has(button[data-to="${to}"])`)
      await before?.()
      await form.getByLabel('Lý do').fill(reason)
      const res = await navigate(page, () => form.locator(`button[data-to="${to}"]`).click())
      expect(res.status()).toBe(200)
      expect(await seen(page.locator('main'))).toContain('Đã chuyển trạng thái')
    }
    await step('verified', 'Đã đối chiếu thẻ nhà báo bản gốc tại trụ sở')
    await step('accredited', 'Đủ điều kiện nhận thông tin cấm đăng trước', async () => {
      await page.locator('form:has(button[data-to="accredited"])').getByLabel('Thời hạn công nhận đến').fill('2099-06-30')
    })
    expect(await seen(page.locator('h1'))).toContain('Được công nhận')
    expect(await seen(page.locator('#history'))).toContain('Đã xác minh → Được công nhận')
    await expectAccessible(page, 'partner detail')
    await shot(page, 'detail-accredited', { phone: true })

    // The list finds her by the name typed without diacritics.
    expect((await navigate(page, () => page.goto(`${base}/console/doi-tac?q=thanh+hang`))).status()).toBe(200)
    const rows = await seen(page.locator('#registry'))
    expect(rows).toContain('Đỗ Thị Thanh Hằng')
    expect(rows).toContain('Được công nhận')
    expect((await navigate(page, () => page.goto(`${base}/console/doi-tac`))).status()).toBe(200)
    await expectAccessible(page, 'registry list')
    await shot(page, 'registry-list', { phone: true })
  })
})
