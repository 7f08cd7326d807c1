/**
 * A screenshot of a known rumour, uploaded at the public desk, is read by OCR after intake and
 * staff see its text beside the image with the known claim suggested (issue 18 item 3).
 *
 * `seed-demo` + `serve` on a fresh data folder (jobs run in the server's process). A neighbour
 * reports the rumour as text (the claim on file). A citizen uploads a phone screenshot of a post
 * carrying it (rendered here from known text: Be Vietnam Pro, light mode, 1×, PNG) with only a
 * question typed. The demo editor opens the new claim: the image, the text read from it with
 * its confidence, and the neighbour's claim suggested "from the text in the image". A second
 * upload, a truncated image, shows "Không đọc được" with the reason; its submission is there.
 * Screenshots under test-output/e2e/factcheck-ocr/.
 */
import { writeFileSync } from 'node:fs'
import path from 'node:path'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { renderScreenshot } from '../../src/text/ocr/render.ts'
import {
  type DemoRun,
  demoUser,
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

const SHOTS = path.join(ROOT, 'test-output/e2e/factcheck-ocr')
const shot = screenshots(SHOTS)
const DESK = '/console/kiem-chung'
const KNOWN = 'Công an tỉnh Thanh Hóa cấm xe máy vào thành phố từ ngày 1/7, ai vi phạm bị phạt 10 triệu đồng'
const POST =
  'THÔNG BÁO KHẨN: Từ ngày 1/7, Công an tỉnh Thanh Hóa cấm xe máy vào thành phố, ai vi phạm bị phạt 10 triệu đồng. Mọi người chia sẻ gấp cho người thân!'

/** Submits the public form with text and optional files; returns the ticket code. */
async function submit(page: Page, base: string, text: string, files: string[] = []): Promise<string> {
  const res = await navigate(page, () => page.goto(`${base}/kiem-chung`))
  expect(res.status()).toBe(200)
  await page.getByLabel('Nội dung tin cần kiểm chứng').fill(text)
  if (files.length) await page.locator('input[type="file"][name="files"]').setInputFiles(files)
  const sent = await submitButton(page, '/kiem-chung')
  expect(sent.status()).toBe(200)
  return decodeURIComponent(new URL(page.url()).pathname.split('/').pop() as string)
}

describe('screenshots read by OCR at the desk', () => {
  let run: DemoRun | undefined
  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-ocr-', { browsers: 2 })
  }, 180_000)
  afterAll(async () => {
    await stopDemoRun(run)
  }, 60_000)

  it('reads an uploaded screenshot and suggests the known claim to staff', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const [citizen, staff] = run.browsers as [BrowserContext, BrowserContext]
    const asker = citizen.pages()[0] ?? (await citizen.newPage())
    const desk = staff.pages()[0] ?? (await staff.newPage())

    // The rumour on file, reported as text.
    await submit(asker, base, KNOWN)
    // The screenshot: a phone post in light mode at 1×, and a truncated copy.
    const image = await renderScreenshot(POST, { layout: 'post', theme: 'light', density: 1, format: 'png' })
    const png = path.join(run.work, 'anh-chup-bai-dang.png')
    const cut = path.join(run.work, 'anh-hong.png')
    writeFileSync(png, image.image)
    writeFileSync(cut, image.image.subarray(0, Math.floor(image.image.length * 0.6)))
    await navigate(asker, () => asker.goto(`${base}/kiem-chung`))
    await asker.getByLabel('Nội dung tin cần kiểm chứng').fill('Tin này có thật không ạ?')
    await asker.locator('input[type="file"][name="files"]').setInputFiles([png, cut])
    await shot(asker, 'upload-filled')
    const sent = await submitButton(asker, '/kiem-chung')
    // The ticket at once: intake does not wait for OCR.
    expect(sent.status()).toBe(200)
    expect(await seen(asker.locator('main .alert.ok'))).toContain('Đã tiếp nhận tin bạn gửi.')
    await shot(asker, 'ticket', { phone: true })

    // Staff: the claim of the question, with the images and what was read.
    const editor = demoUser(run.manifest, 'editor')
    await navigate(desk, () => desk.goto(`${base}/console/sign-in`))
    await signIn(desk, shot, 'editor', editor, editor.secret)
    await navigate(desk, () => desk.goto(`${base}${DESK}`))
    const row = desk.locator('#queue tbody tr').filter({ hasText: 'Tin này có thật không ạ?' })
    expect(await row.count()).toBe(1)
    await navigate(desk, () => row.locator('a').first().click())
    const claimUrl = desk.url()
    // The job runs in the server's worker: reload until both images have an outcome.
    await waitFor(
      'both images read',
      async () => {
        await navigate(desk, () => desk.goto(claimUrl))
        return (await desk.locator('[data-ocr="pending"]').count()) === 0 ? true : undefined
      },
      90_000,
      1000,
    )
    const read = desk.locator('figure.ocr-file[data-ocr="done"]')
    expect(await read.count()).toBe(1)
    const text = (await seen(read.locator('.ocr-text'))).replace(/\s+/g, ' ')
    expect(text).toContain('Công an tỉnh Thanh Hóa cấm xe máy vào thành phố')
    expect(await seen(read)).toMatch(/Độ tin cậy \d+\/100/)
    // The image is shown beside its text (loaded: natural width of the render; it loads lazily, so scroll to it).
    await read.locator('img').scrollIntoViewIfNeeded()
    const width = await read.locator('img').evaluate(async (el) => {
      const img = el as unknown as { decode(): Promise<void>; naturalWidth: number }
      await img.decode()
      return img.naturalWidth
    })
    expect(width).toBe(image.width)
    const failed = desk.locator('figure.ocr-file[data-ocr="failed"]')
    expect(await seen(failed)).toContain('Không đọc được: ảnh bị hỏng hoặc không trọn vẹn')
    // The known claim is suggested, found by the text in the image.
    const suggestion = desk.locator('#suggestions li').filter({ hasText: KNOWN.slice(0, 40) })
    expect(await suggestion.count()).toBe(1)
    expect(await seen(suggestion)).toContain('từ chữ trong ảnh')
    await expectVietnameseFont(desk)
    await desk.locator('#submissions').scrollIntoViewIfNeeded()
    await shot(desk, 'claim-with-ocr')
    expect(await heading(desk)).toMatch(/^TD-\d+/)
    // English.
    await navigate(desk, () => desk.goto(`${claimUrl}?lang=en`))
    expect(await seen(desk.locator('figure.ocr-file[data-ocr="failed"]'))).toContain('Could not read: the image is damaged or incomplete')
    await shot(desk, 'claim-with-ocr-en')
    await navigate(desk, () => desk.goto(`${claimUrl}?lang=vi`))
  }, 240_000)
})
