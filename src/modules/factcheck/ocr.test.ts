/**
 * Screenshots sent to the desk are read by the `factcheck.ocr` step after intake: the intake
 * writes the file and a pending OCR row in the submission's transaction; the step stores the
 * text with its confidence (audited), feeds triage, and the claim page shows it beside the
 * image with the matching claim suggested. Bad images (40 MP, tiny, truncated, not an image,
 * animated, too slow) end as "không đọc được / could not read" with the reason; the
 * submission is never lost.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../test/support/app.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { closeSharedOcrEngine, createOcrEngine, type OcrEngine } from '../../text/ocr/engine.ts'
import { renderScreenshot } from '../../text/ocr/render.ts'
import { readScreenshot } from './commands/read-screenshot.ts'
import { submitClaim } from './commands/submit-claim.ts'
import { getPage } from './console/desk.test-support.ts'
import { claimFileOcr, claimSubmissionFiles, claimSubmissions, claims } from './factcheck.tables.ts'
import { type CheckedFile, checkClaimFiles, takePublicSubmission } from './public/intake.ts'

let t: TestApp
let editorIn: Login
let engine: OcrEngine
let dataDir: string

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'ocr-desk-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  editorIn = await loginAs(t, await makeUser(t, { role: 'editor' }))
  engine = createOcrEngine()
})
afterAll(async () => {
  await engine.close()
  await t.close()
  await closeSharedOcrEngine()
  rmSync(dataDir, { recursive: true, force: true })
})

const RUMOUR_ON_FILE = 'Thông báo giả mạo Công an tỉnh Thanh Hóa về việc cấm xe máy vào thành phố từ ngày 1/7'
const POST =
  'THÔNG BÁO KHẨN: Công an tỉnh Thanh Hóa cấm xe máy vào thành phố từ ngày 1/7. Ai vi phạm phải chuyển tiền đóng phạt 10 triệu đồng qua tài khoản ngân hàng. Mọi người chia sẻ gấp!'

/** A public submission with these files, as the public form takes it (files checked by content). */
async function submitWith(text: string, files: CheckedFile[]) {
  return takePublicSubmission(t.database, {
    tenantId: t.tenant.id,
    dataDir,
    submission: { text, links: [], seenWhere: 'Zalo', email: null, files },
  })
}
const checked = (name: string, data: Buffer) => checkClaimFiles([{ fileName: name, mime: 'image/png', data }])
const fileOf = async (submissionId: string) =>
  (await t.database.db.select().from(claimSubmissionFiles).where(eq(claimSubmissionFiles.submissionId, submissionId)))[0]
/** Whitespace folded: OCR keeps the screenshot's line breaks. */
const flat = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ')
const ocrOf = async (fileId: string) => (await t.database.db.select().from(claimFileOcr).where(eq(claimFileOcr.fileId, fileId)))[0]

describe('a screenshot of a known rumour', () => {
  it('gets its text read after intake, triage takes it, and staff see it with the claim suggested', async () => {
    const onFile = await withTransaction(t.database.pool, (tx) =>
      submitClaim({ tx, tenantId: t.tenant.id, channel: 'staff', actor: { id: null, label: 'test' }, text: RUMOUR_ON_FILE }),
    )
    const [known] = await t.database.db.select().from(claims).where(eq(claims.id, onFile.claimId))
    const shot = await renderScreenshot(POST, { layout: 'post', theme: 'light', density: 1, format: 'png' })
    const r = await submitWith('Cái này có thật không ạ?', checked('anh chup.png', shot.image))
    const file = await fileOf(r.submissionId)
    expect(file).toBeDefined()
    // Written with the submission; the intake did not wait for OCR.
    const pending = await ocrOf(file?.id as string)
    expect(pending?.status === 'pending' || pending?.status === 'done').toBe(true)
    const [before] = await t.database.db.select().from(claims).where(eq(claims.id, r.claimId))
    expect(before?.harm).toBe('other')

    // The step (the job may have run it already: then this call finds nothing pending).
    await readScreenshot({ database: t.database, fileId: file?.id as string, engine })
    const ocr = await ocrOf(file?.id as string)
    expect(ocr?.status).toBe('done')
    expect(flat(ocr?.text)).toContain('Công an tỉnh Thanh Hóa cấm xe máy vào thành phố')
    expect(ocr?.confidence).toBeGreaterThan(60)
    const [after] = await t.database.db.select().from(claims).where(eq(claims.id, r.claimId))
    expect(after?.harm).toBe('scam')
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'claim.screenshot_read'), eq(auditEvents.subjectId, r.claimId)))
    expect(audit).toHaveLength(1)
    expect(audit[0]?.summary).toMatchObject({ status: 'done', harm: { before: 'other', after: 'scam' } })

    const page = await getPage(t, editorIn, `/console/kiem-chung/${r.claimId}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Chữ đọc được từ ảnh (OCR)')
    expect(flat(page.body)).toContain('cấm xe máy vào thành phố')
    expect(page.body).toMatch(/Độ tin cậy \d+\/100/)
    expect(page.body).toContain(`data-claim="${known?.code}"`)
    expect(page.body).toContain('từ chữ trong ảnh')
    // The image itself, to staff only.
    const img = await getPage(t, editorIn, `/console/kiem-chung/tep/${file?.id}`)
    expect(img.statusCode).toBe(200)
    expect(img.headers['content-type']).toBe('image/png')
    const anon = await t.app.inject({ method: 'GET', url: `/console/kiem-chung/tep/${file?.id}` })
    expect(anon.statusCode).not.toBe(200)
  })
})

describe('images that cannot be read', () => {
  it('end as "could not read" with the reason on the staff page; the submission stays', async () => {
    const shot = await renderScreenshot(POST, { layout: 'chat', theme: 'light', density: 1, format: 'png' })
    const big = await sharp({ create: { width: 8000, height: 5000, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
    const tiny = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#ffffff' } })
      .png()
      .toBuffer()
    const cases: [string, CheckedFile[], string][] = [
      ['40 MP', checked('lon.png', big), 'ảnh quá lớn (tối đa 16 megapixel)'],
      ['tiny', checked('nho.png', tiny), 'ảnh quá nhỏ để có chữ'],
      ['truncated', checked('cut.png', shot.image.subarray(0, Math.floor(shot.image.length * 0.6))), 'ảnh bị hỏng hoặc không trọn vẹn'],
      // Bytes that went bad after the intake's check (the intake refuses them with 415 itself).
      [
        'not an image',
        [{ ...checked('x.png', shot.image)[0], data: Buffer.from('<html>hello</html>') } as CheckedFile],
        'tệp không phải là ảnh',
      ],
    ]
    for (const [label, files, message] of cases) {
      const r = await submitWith(`Ảnh hỏng: ${label}`, files)
      const file = await fileOf(r.submissionId)
      await readScreenshot({ database: t.database, fileId: file?.id as string, engine })
      const ocr = await ocrOf(file?.id as string)
      expect(ocr?.status, label).toBe('failed')
      const [sub] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.id, r.submissionId))
      expect(sub?.text, label).toBe(`Ảnh hỏng: ${label}`)
      const page = await getPage(t, editorIn, `/console/kiem-chung/${r.claimId}`)
      expect(page.body, label).toContain(`Không đọc được: ${message}`)
      const en = await getPage(t, editorIn, `/console/kiem-chung/${r.claimId}?lang=en`)
      expect(en.body, label).toContain('Could not read:')
    }
  })

  it('an image past the time limit is "could not read" (worker ended), not retried forever', async () => {
    const shot = await renderScreenshot(POST, { layout: 'post', theme: 'dark', density: 2, format: 'jpeg40' })
    const r = await submitWith('Ảnh đọc quá lâu', checkClaimFiles([{ fileName: 'a.jpg', mime: 'image/jpeg', data: shot.image }]))
    const file = await fileOf(r.submissionId)
    const hurried = createOcrEngine({ timeoutMs: 1 })
    try {
      const res = await readScreenshot({ database: t.database, fileId: file?.id as string, engine: hurried })
      // Unless the job's own engine read it first.
      if (res.status !== 'skipped') expect(res).toEqual({ status: 'failed', reason: 'timeout' })
    } finally {
      await hurried.close()
    }
    const ocr = await ocrOf(file?.id as string)
    if (ocr?.status === 'failed') {
      const page = await getPage(t, editorIn, `/console/kiem-chung/${r.claimId}`)
      expect(page.body).toContain('Không đọc được: đọc quá thời gian cho phép')
    }
  })

  it('an animated image: the first frame is read, and the page says so', async () => {
    const a = await renderScreenshot(POST, { layout: 'post', theme: 'light', density: 2, format: 'png' })
    const b = await sharp(a.image).blur(8).png().toBuffer()
    const webp = await sharp([a.image, b], { join: { animated: true } })
      .webp({ loop: 0, delay: [800, 800], quality: 90 })
      .toBuffer()
    const r = await submitWith('Ảnh động', checkClaimFiles([{ fileName: 'dong.webp', mime: 'image/webp', data: webp }]))
    const file = await fileOf(r.submissionId)
    await readScreenshot({ database: t.database, fileId: file?.id as string, engine })
    const ocr = await ocrOf(file?.id as string)
    expect(ocr?.status).toBe('done')
    expect(ocr?.frames).toBe(2)
    expect(flat(ocr?.text)).toContain('cấm xe máy')
    const page = await getPage(t, editorIn, `/console/kiem-chung/${r.claimId}`)
    expect(page.body).toContain('Ảnh động: chỉ đọc khung hình đầu (2 khung).')
  })
})
