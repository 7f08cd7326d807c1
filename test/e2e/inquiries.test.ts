/**
 * Press inquiries in a real browser: an accredited demo journalist asks a question on a 390 px
 * phone (/doi-tac/cau-hoi/moi), sees it numbered with its legal due time; an approver answers
 * it on /console/hoi-dap naming a spokesperson of the register; the journalist reloads and reads
 * the answer with "Người phát ngôn: …, … — <agency>". Screenshots in test-output/e2e/inquiries.
 */
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  DESKTOP,
  demoUser,
  expectAccessible,
  expectLabelledFields,
  heading,
  navigate,
  PHONE,
  ROOT,
  screenshots,
  seen,
  signIn,
  startDemoRun,
  stopDemoRun,
  submitButton,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/inquiries')
const shot = screenshots(SHOTS)

describe('press inquiries', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-inquiries-', { browsers: 2 })
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('a journalist asks on a phone, an approver answers naming the spokesperson, the journalist reads it', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const journalist = run.manifest.users.find((u) => u.role === 'journalist' && u.partnerStatus === 'accredited')
    if (!journalist) throw new Error('no accredited demo journalist in the manifest')
    const [jb, sb] = run.browsers as [BrowserContext, BrowserContext]

    // The journalist, on a phone.
    const jp = jb.pages()[0] ?? (await jb.newPage())
    await jp.setViewportSize(PHONE)
    await navigate(jp, () => jp.goto(`${base}/console/sign-in`))
    await jp.getByLabel('Thư điện tử').fill(journalist.email)
    await jp.getByLabel('Mật khẩu', { exact: true }).fill(journalist.password)
    expect((await submitButton(jp, '/console/sign-in')).status()).toBe(200)
    expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/cau-hoi`))).status()).toBe(200)
    expect(await heading(jp)).toBe('Câu hỏi của tôi')
    expect((await navigate(jp, () => jp.locator('main a[href="/doi-tac/cau-hoi/moi"]').click())).status()).toBe(200)
    await expectLabelledFields(jp)
    await jp.getByLabel('Loại').selectOption('question')
    await jp.getByLabel('Chủ đề').fill('Phương án phân luồng giao thông dịp Tết')
    await jp.getByLabel(/^Câu hỏi/).fill('Xin cho biết các tuyến đường sẽ phân luồng và thời gian áp dụng trong dịp Tết Nguyên Đán?')
    await jp.getByLabel('Vụ việc liên quan').fill('Phân luồng QL1A')
    await shot(jp, 'ask-390')
    await expectAccessible(jp, 'ask-390')
    const overflow = await jp.evaluate(() => {
      const root = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document
        .documentElement
      return root.scrollWidth - root.clientWidth
    })
    expect(overflow).toBeLessThanOrEqual(0)
    const sent = await submitButton(jp, '/doi-tac/cau-hoi')
    expect(sent.status()).toBe(200)
    const detailUrl = jp.url()
    expect(new URL(detailUrl).pathname).toMatch(/^\/doi-tac\/cau-hoi\/[0-9a-f-]{36}$/)
    const notice = await seen(jp.locator('main .alert'))
    expect(notice).toMatch(/Đã gửi câu hỏi HD-\d{4}-\d{4}\. Hạn trả lời theo quy định: \d{2}:\d{2} \d{2}\/\d{2}\/\d{4}/)
    const code = notice.match(/HD-\d{4}-\d{4}/)?.[0] as string
    await shot(jp, 'asked-390')
    await expectAccessible(jp, 'asked-390')

    // The approver answers it.
    const approver = demoUser(run.manifest, 'approver')
    const sp = sb.pages()[0] ?? (await sb.newPage())
    await sp.setViewportSize(DESKTOP)
    await navigate(sp, () => sp.goto(`${base}/console/sign-in`))
    await signIn(sp, shot, 'approver', approver, approver.secret)
    expect((await navigate(sp, () => sp.goto(`${base}/console/hoi-dap`))).status()).toBe(200)
    await shot(sp, 'dashboard')
    await expectAccessible(sp, 'dashboard')
    expect((await navigate(sp, () => sp.locator(`tr[data-inquiry="${code}"] a`).click())).status()).toBe(200)
    await sp
      .getByLabel('Nội dung trả lời')
      .fill('Từ 28 tháng Chạp đến mùng 6 Tết, xe tải trên 10 tấn không đi vào nội thành từ 6 giờ đến 22 giờ.')
    const spokesperson = sp.locator('form[data-answer-form] select[name="spokespersonId"]')
    const firstSpokesperson = await spokesperson.locator('option').nth(1).getAttribute('value')
    await spokesperson.selectOption(firstSpokesperson as string)
    const spokespersonLabel = ((await spokesperson.locator('option:checked').textContent()) ?? '').trim()
    await shot(sp, 'answer-form')
    await expectAccessible(sp, 'answer-form')
    const answered = await navigate(sp, () => sp.locator('form[data-answer-form] button[type="submit"]').click())
    expect(answered.status()).toBe(200)
    expect(await seen(sp.locator('main .alert'))).toContain('Đã gửi câu trả lời')

    // The journalist reloads and reads the answer with its attribution.
    await navigate(jp, () => jp.goto(detailUrl))
    const attribution = await seen(jp.locator('[data-attribution]'))
    const [name, title] = spokespersonLabel.split(' — ')
    expect(attribution.startsWith(`Người phát ngôn: ${name}, ${title} — `)).toBe(true)
    expect(await seen(jp.locator('[data-answer] .prose'))).toContain('xe tải trên 10 tấn')
    await shot(jp, 'answer-390')
    await expectAccessible(jp, 'answer-390')
  }, 240_000)
})
