/**
 * The ticket look-up of the verification desk in a real browser. A citizen submits a rumour and
 * gets a ticket (KC-yyyy-nnnnn-nnnnn); then looks it up on the desk page typed the ways people
 * type or read out a code: as printed, lower case, with spaces, without dashes. The browser must
 * let every form through (the field once had a pattern that refused every real code, even the
 * page's own example) and each lands on the ticket's status page. Something that is not a code
 * gets a 400 with the reason in Vietnamese and English, the typed text kept. Desktop and a 390-px
 * phone; screenshots under test-output/e2e/ticket-lookup/.
 *
 * Chromium: see test/e2e/global-setup.ts (CHROMIUM_PATH, a system one, or the npm one).
 */
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  expectAccessible,
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  navigate,
  PHONE,
  ROOT,
  screenshots,
  seen,
  startDemoRun,
  stopDemoRun,
  submitButton,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/ticket-lookup')
const shot = screenshots(SHOTS)
const LOOKUP = 'form[action="/kiem-chung/phieu"]'

/** Types `code` into the desk's look-up field and sends it; returns the response landed on. */
async function lookUp(page: Page, base: string, code: string, name: string) {
  const res = await navigate(page, () => page.goto(`${base}/kiem-chung`))
  expect(res.status()).toBe(200)
  const field = page.locator(`${LOOKUP} input[name="ma"]`)
  await field.fill(code)
  // The browser's own check must pass: a `pattern` or a short `maxlength` would stop the form here.
  expect(await field.inputValue(), `the field kept all of "${code}"`).toBe(code)
  expect(await field.evaluate((el) => (el as unknown as { checkValidity(): boolean }).checkValidity()), code).toBe(true)
  await shot(page, name)
  return submitButton(page, '/kiem-chung/phieu')
}

describe('ticket look-up in a browser: every way a code is typed finds the ticket', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-ticket-lookup-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('submits a rumour, then looks its ticket up as printed, lower case, with spaces and without dashes, on desktop and phone', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const context = run.browsers[0]
    if (!context) throw new Error('no browser')
    const page = context.pages()[0] ?? (await context.newPage())

    // A citizen sends a rumour (without diacritics, as many do) and notes the ticket.
    let res = await navigate(page, () => page.goto(`${base}/kiem-chung`))
    expect(res.status()).toBe(200)
    await page.getByLabel('Nội dung tin cần kiểm chứng').fill('nghe noi cau Ham Rong se cam xe may tu tuan sau, ai di se bi phat nang')
    res = await submitButton(page, '/kiem-chung')
    expect(res.status()).toBe(200)
    const ticket = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string)
    expect(ticket).toMatch(/^KC-\d{4}-\d{5}-\d{5}$/)
    await shot(page, 'ticket-received')

    // The look-up card: labelled, no pattern, says that any case and spacing will do.
    await navigate(page, () => page.goto(`${base}/kiem-chung`))
    expect(await page.locator(`${LOOKUP} input[name="ma"]`).getAttribute('pattern')).toBeNull()
    expect(await seen(page.locator(LOOKUP))).toContain('Viết hoa hay thường, có hoặc không có gạch nối, dấu cách đều được.')
    await expectLabelledFields(page)
    await expectVietnameseFont(page)
    await expectAccessible(page, 'desk with look-up')

    const digits = ticket.replaceAll('-', '').slice(2)
    const forms: [string, string][] = [
      ['as-printed', ticket],
      ['lower-case', ticket.toLowerCase()],
      ['spaces', `KC ${digits.slice(0, 4)} ${digits.slice(4, 9)} ${digits.slice(9)}`],
      ['no-dashes', `kc${digits}`],
      ['spaced-dashes', ` kc - ${digits.slice(0, 4)} - ${digits.slice(4, 9)} - ${digits.slice(9)} `],
    ]
    for (const phone of [false, true]) {
      if (phone) await page.setViewportSize(PHONE)
      for (const [name, typed] of forms) {
        const found = await lookUp(page, base, typed, `${phone ? 'phone' : 'desktop'}-lookup-${name}`)
        expect(found.status(), typed).toBe(200)
        expect(new URL(page.url()).pathname, typed).toBe(`/kiem-chung/phieu/${ticket}`)
        expect(await heading(page)).toBe(`Phiếu kiểm chứng ${ticket}`)
        expect(await seen(page.locator('.kc-status'))).toBe('Đang tiếp nhận')
        // Without the private key: the status only, never the text sent.
        expect(await seen(page.locator('main'))).not.toContain('cau Ham Rong')
      }
      await shot(page, `${phone ? 'phone' : 'desktop'}-ticket-found`)
    }
    // The overflow check of `shot` runs at phone width for the last pages too.
    await page.setViewportSize({ width: 1280, height: 800 })
    await navigate(page, () => page.goto(`${base}/kiem-chung/phieu/${ticket}`))
    await shot(page, 'ticket-status', { phone: true })

    // Not a code: 400, why in both languages, the text kept for correcting.
    const bad = await lookUp(page, base, 'KC-2026-3853', 'lookup-not-a-code')
    expect(bad.status()).toBe(400)
    const alert = await seen(page.locator('main .alert.error'))
    expect(alert).toContain('Không đọc được mã phiếu “KC-2026-3853”')
    expect(alert).toContain('“KC-2026-3853” is not a ticket code')
    expect(await page.locator(`${LOOKUP} input[name="ma"]`).inputValue()).toBe('KC-2026-3853')
    await expectAccessible(page, 'look-up refused')
    await shot(page, 'lookup-not-a-code-answer', { phone: true })
  })
})
