/**
 * Importing a partners list in a real browser: an editor uploads a 20,000-row XLSX (Vietnamese
 * names, a title row merged above the header, a few bad rows), sees the preview with the
 * proposed column mapping, starts the import, watches the progress page refresh itself, and
 * downloads the per-row error list. Screenshots of the preview and progress at 1280 and 390 px
 * (looked at).
 */
import { writeFile } from 'node:fs/promises'
import path from 'node:path'
import ExcelJS from 'exceljs'
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

const SHOTS = path.join(ROOT, 'test-output/e2e/partners-import')
const shot = screenshots(SHOTS)
const ROWS = 20_000

async function spreadsheet(file: string): Promise<void> {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true })
  const ws = wb.addWorksheet('Danh sách')
  ws.addRow(['Danh sách phóng viên thường trú (cập nhật tháng 12)'])
  ws.mergeCells('A1:E1')
  ws.getRow(1).commit()
  ws.addRow(['Họ và tên', 'Số điện thoại', 'Email', 'Chuyên mục', 'Xã/Phường']).commit()
  for (let i = 0; i < ROWS; i++) {
    ws.addRow([
      `${['Nguyễn', 'Trần', 'Lê', 'Đặng'][i % 4]} Thị ${['Hoà', 'Khuê', 'Tuyết', 'Ánh'][(i >> 2) % 4]} ${i}`,
      i % 500 === 7 ? '12345' : `08${String(10_000_000 + i).slice(-8)}`,
      `pv${i}.e2e@baochi.example.vn`,
      'Pháp luật',
      i % 2 ? 'Hạc Thành' : 'Phường Sầm Sơn',
    ]).commit()
  }
  ws.commit()
  await wb.commit()
}

describe('partners import in the console', () => {
  let run: DemoRun | undefined

  beforeAll(async () => {
    run = await startDemoRun(SHOTS, 'donghanh-e2e-partners-import-')
  }, 180_000)

  afterAll(async () => stopDemoRun(run), 60_000)

  it('an editor uploads a spreadsheet, maps the columns, follows the progress and gets the error list', async () => {
    if (!run) throw new Error('not started')
    const base = run.server.baseUrl
    const editor = demoUser(run.manifest, 'editor')
    const browser = run.browsers[0] as BrowserContext
    const page = browser.pages()[0] ?? (await browser.newPage())
    expect((await navigate(page, () => page.goto(`${base}/console/sign-in`))).status()).toBe(200)
    await signIn(page, shot, 'editor', { email: editor.email, password: editor.password }, editor.secret)

    expect((await navigate(page, () => page.goto(`${base}/console/doi-tac/nhap`))).status()).toBe(200)
    expect(await heading(page)).toBe('Nhập danh sách đối tác')
    await expectLabelledFields(page)
    const file = path.join(run.work, 'danh-sach-phong-vien.xlsx')
    await spreadsheet(file)
    await page.getByLabel('Tệp bảng tính').setInputFiles(file)
    const preview = await navigate(page, () => page.getByRole('button', { name: 'Tải lên và xem trước' }).click())
    expect(preview.status()).toBe(200)
    expect(await heading(page)).toBe('Xem trước: danh-sach-phong-vien.xlsx')
    // The proposed mapping, the merged title row said, the first rows in Unicode.
    expect(await page.getByLabel('Họ và tên *').inputValue()).toBe('0')
    expect(await page.getByLabel('Điện thoại *').inputValue()).toBe('1')
    expect(await page.getByLabel('Xã/Phường').inputValue()).toBe('4')
    expect(await seen(page.locator('main'))).toContain('A1:E1')
    expect(await seen(page.locator('main table').last())).toContain('Nguyễn Thị Hoà 0')
    await expectAccessible(page, 'import preview')
    await shot(page, 'preview', { phone: true })

    const started = await navigate(page, () => page.getByRole('button', { name: 'Bắt đầu nhập' }).click())
    expect(started.status()).toBe(200)
    await shot(page, 'progress', { phone: true })
    await expectAccessible(page, 'import progress')
    // The page refreshes itself (meta refresh) until the job is done.
    await expect.poll(async () => seen(page.locator('main')), { timeout: 120_000, interval: 1000 }).toContain(`Đã nhập xong ${ROWS} dòng.`)
    const main = await seen(page.locator('main'))
    expect(main).toContain(`Tạo mới ${ROWS - 40}`)
    expect(main).toContain('Lỗi 40')
    await shot(page, 'done', { phone: true })
    const download = page.waitForEvent('download')
    await page.getByRole('link', { name: 'Tải danh sách lỗi (CSV)' }).click()
    const csv = await download
    const saved = path.join(run.work, 'loi.csv')
    await csv.saveAs(saved)
    const { readFile } = await import('node:fs/promises')
    const text = await readFile(saved, 'utf8')
    expect(text.split('\n').filter(Boolean).length).toBe(41)
    expect(text).toContain('Số điện thoại không phải số Việt Nam hợp lệ: «12345»')
    await writeFile(path.join(SHOTS, 'loi.csv'), text)
  }, 240_000)
})
