/**
 * The free content check `/kiem-tra`, as a partner's editor uses it in Chromium: paste a
 * headline and a text with a minor's name, age and school and guilt wording; see the risk,
 * the clickbait score with its reasons, each finding marked in the text, and a masked copy to
 * take away (initials, then removal); the page works on a phone and in English. Nothing typed
 * is stored: no table of the server's database holds the text afterwards.
 */
import path from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type DemoRun,
  expectAccessible,
  expectLabelledFields,
  expectVietnameseFont,
  heading,
  navigate,
  queryRun,
  ROOT,
  screenshots,
  seen,
  startDemoRun,
  stopDemoRun,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/checks')
const shot = screenshots(SHOTS)

const HEADLINE = 'Sốc: Sự thật kinh hoàng phía sau vụ án khiến ai cũng bàng hoàng'
const TEXT = [
  'Chiều 24/11, Công an huyện Nông Cống bắt giữ hung thủ Lê Văn Tùng (SN 1995) sau khi đối tượng này đánh trọng thương cháu Phạm Thị Mai, 14 tuổi, học sinh Trường THCS Minh Khôi.',
  'Nghe nói đối tượng còn liên quan đến nhiều vụ trộm cắp khác. Người dân có thông tin xin gọi 0912 345 678.',
].join('\n\n')

describe('public content check /kiem-tra in the browser', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-checks-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('checks a pasted headline and text, marks each finding, gives a masked copy, and stores nothing', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())

    expect((await navigate(page, () => page.goto(`${base}/kiem-tra`))).status()).toBe(200)
    expect(await heading(page)).toBe('Kiểm tra nội dung')
    await expectVietnameseFont(page)
    await expectLabelledFields(page)
    await page.getByLabel('Tiêu đề').fill(HEADLINE)
    await page.getByLabel('Nội dung').fill(TEXT)
    await shot(page, 'checks-filled', { phone: true })

    const res = await navigate(page, () => page.getByRole('button', { name: 'Kiểm tra', exact: true }).click())
    expect(res.status()).toBe(200)
    expect(res.headers()['cache-control']).toBe('no-store')
    const findings = page.locator('section.findings')
    const text = await seen(findings)
    expect(text).toContain('Rủi ro cao')
    expect(text).toMatch(/Điểm giật tít: \d+% — có dấu hiệu giật tít/)
    // The minor's name, the guilt word before a judgment and the hearsay marker, each listed.
    expect(text).toContain('Phạm Thị Mai')
    expect(text).toMatch(/hung thủ/i)
    expect(text).toContain('Nghe nói')
    // Each finding is marked in the text as the reader pasted it.
    const marks = await findings.locator('mark.finding').allInnerTexts()
    expect(marks).toEqual(expect.arrayContaining(['Phạm Thị Mai', '0912 345 678']))
    // The masked copy: initials for names, digits partly hidden, the age kept.
    const copy = page.getByRole('textbox', { name: 'Bản đã che dữ liệu cá nhân' })
    const masked = await copy.inputValue()
    expect(masked).toContain('cháu P.T.M., 14 tuổi')
    expect(masked).not.toContain('Phạm Thị Mai')
    expect(masked).not.toContain('0912 345 678')
    expect(masked).not.toContain('Minh Khôi')
    await shot(page, 'checks-result', { phone: true })
    await expectAccessible(page, 'checks-result')

    // The form keeps what was typed; removal instead of initials.
    expect(await page.getByLabel('Nội dung').inputValue()).toBe(TEXT)
    await page.getByLabel('Cách che dữ liệu cá nhân trong bản sao').selectOption('remove')
    await navigate(page, () => page.getByRole('button', { name: 'Kiểm tra', exact: true }).click())
    const removed = await page.getByRole('textbox', { name: 'Bản đã che dữ liệu cá nhân' }).inputValue()
    expect(removed).toContain('cháu [đã ẩn]')
    expect(removed).not.toContain('P.T.M.')
    await page.getByRole('heading', { name: 'Bản đã che dữ liệu cá nhân' }).scrollIntoViewIfNeeded()
    await shot(page, 'checks-removed')

    // English.
    const en = await navigate(page, () => page.locator('header').getByRole('link', { name: 'English' }).click())
    expect(en.headers()['content-language']).toBe('en')
    expect(await heading(page)).toBe('Content check')
    await page.getByLabel('Headline').fill(HEADLINE)
    await page.getByLabel('Text').fill(TEXT)
    await navigate(page, () => page.getByRole('button', { name: 'Check', exact: true }).click())
    expect(await seen(page.locator('section.findings'))).toContain('High risk')
    await shot(page, 'checks-english')

    // Nothing typed reached the database: no row anywhere holds the child's name.
    const tables = await queryRun<{ name: string }>(run, `SELECT format('%I.%I', schemaname, relname) AS name FROM pg_stat_user_tables`)
    expect(tables.length).toBeGreaterThan(10)
    const tablesHolding = async (needle: string): Promise<string[]> => {
      const hits: string[] = []
      for (const { name } of tables) {
        const [row] = await queryRun<{ n: number }>(
          run as DemoRun,
          `SELECT count(*)::int AS n FROM ${name} t WHERE strpos(to_jsonb(t)::text, '${needle}') > 0`,
        )
        if ((row?.n ?? 0) > 0) hits.push(name)
      }
      return hits
    }
    // The search itself finds what is stored (the tenant's name)…
    expect(await tablesHolding('Công an tỉnh Thanh Hóa')).not.toEqual([])
    // …and nothing of what was checked.
    expect(await tablesHolding('Phạm Thị Mai')).toEqual([])
    expect(await tablesHolding('0912 345 678')).toEqual([])
  })

  it('scores a clickbait headline pasted into the text and leaves the office’s own advice alone (issue 13, item 5)', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    await navigate(page, () => page.goto(`${base}/kiem-tra?lang=vi`))
    expect(await heading(page)).toBe('Kiểm tra nội dung')
    // No headline field: the whole article pasted into the text, headline first; the warning
    // ends with the office's usual advice about suspicious calls and unverified information.
    await page.getByLabel('Tiêu đề').fill('')
    await page
      .getByLabel('Nội dung')
      .fill(
        [
          'Cái kết đắng cho tài xế say xỉn cố tình bỏ chạy khi thấy CSGT',
          'Tối 12/3, tổ công tác Phòng Cảnh sát giao thông phát hiện một tài xế vi phạm nồng độ cồn.',
          'Khi nhận được cuộc gọi nghi vấn, người dân báo ngay cho cơ quan Công an. Đề nghị người dân không chia sẻ thông tin chưa được kiểm chứng.',
        ].join('\n\n'),
      )
    await navigate(page, () => page.getByRole('button', { name: 'Kiểm tra', exact: true }).click())
    const findings = page.locator('section.findings')
    const text = await seen(findings)
    expect(text).toContain('Không có tiêu đề riêng: các dòng được chấm như tiêu đề')
    expect(text).toMatch(/Dòng 1 \(dòng đầu, đọc như tiêu đề\): .*Cái kết đắng.* — Điểm giật tít: \d+% — có dấu hiệu giật tít/)
    expect(text).toContain('Dòng 1 (dòng đầu, đọc như tiêu đề) có dấu hiệu giật tít')
    // The advice is not listed as unverified information.
    expect(text).not.toContain('là thông tin chưa được kiểm chứng; văn bản chính thức')
    expect(await findings.locator('mark.finding').allInnerTexts()).toEqual([])
    await findings.scrollIntoViewIfNeeded()
    await shot(page, 'checks-pasted-headline', { phone: true })
    await expectAccessible(page, 'checks-pasted-headline')
  })

  it('finds and masks personal data typed without diacritics, a step-father and guilt wording (issue 13, item 3)', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    await navigate(page, () => page.goto(`${base}/kiem-tra?lang=vi`))
    await page.getByLabel('Tiêu đề').fill('')
    await page.getByLabel('Cách che dữ liệu cá nhân trong bản sao').selectOption('initials')
    // As a citizen types it: no diacritics.
    await page
      .getByLabel('Nội dung')
      .fill('Chau Nguyen Thi Mai, 14 tuoi, hoc lop 3A truong tieu hoc Quang Trung, nha o so 12 ngo 5 duong Le Loi')
    await navigate(page, () => page.getByRole('button', { name: 'Kiểm tra', exact: true }).click())
    const marks = await page.locator('section.findings mark.finding').allInnerTexts()
    expect(marks).toEqual(['Nguyen Thi Mai', '14 tuoi', 'lop 3A', 'truong tieu hoc Quang Trung', 'so 12 ngo 5 duong Le Loi'])
    const copy = page.getByRole('textbox', { name: 'Bản đã che dữ liệu cá nhân' })
    expect(await copy.inputValue()).toBe('Chau N.T.M., 14 tuoi, hoc lop [đã ẩn] truong tieu hoc [đã ẩn], nha o [đã ẩn]')
    await copy.scrollIntoViewIfNeeded()
    await shot(page, 'checks-unaccented', { phone: true })
    // With diacritics: the lane and street, the class, the step-father and the guilt wording leave the copy.
    await page
      .getByLabel('Nội dung')
      .fill('Kẻ giết người là bố dượng của cháu Nguyễn Thị Mai, 14 tuổi, học lớp 3A, trú tại ngõ 5 đường Lê Lợi, phường Sầm Sơn.')
    await navigate(page, () => page.getByRole('button', { name: 'Kiểm tra', exact: true }).click())
    const masked = await page.getByRole('textbox', { name: 'Bản đã che dữ liệu cá nhân' }).inputValue()
    expect(masked).toBe('Đối tượng là người thân của cháu N.T.M., 14 tuổi, học lớp [đã ẩn], trú tại […], phường Sầm Sơn.')
    expect(await seen(page.locator('section.masked-copy'))).toContain('Đã thay 1 từ quy kết có tội bằng từ trung tính.')
    await page.getByRole('heading', { name: 'Bản đã che dữ liệu cá nhân' }).scrollIntoViewIfNeeded()
    await shot(page, 'checks-masked-kinship-guilt', { phone: true })
    await expectAccessible(page, 'checks-masked-kinship-guilt')
  })
})
