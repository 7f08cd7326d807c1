/**
 * addAttachment keeps the alt text typed with an upload: stored NFC and trimmed, refused with
 * a typed error (and nothing stored) when too long or carrying control characters; and the
 * Markdown snippet built from the stored row carries it.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { draft, load, makeSpokesperson } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { both } from '../../../platform/i18n/index.ts'
import { releaseAttachments } from '../releases.tables.ts'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import { addAttachment, attachmentMarkdown, cleanAltText } from './add-attachment.ts'

let t: TestApp
let dataDir: string
let editor: MadeUser
let sp: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'donghanh-attach-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  editor = await makeUser(t, { role: 'editor' })
  sp = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** A minimal PDF (the type is sniffed from `%PDF-`). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')

const attach = (releaseId: string, alt: string | undefined, filename = 'quyet-dinh.pdf') =>
  withTransaction(t.database.pool, async (tx) =>
    addAttachment({
      tx,
      release: await load(t, releaseId),
      actor: { id: editor.id, label: editor.email },
      dataDir,
      filename,
      data: PDF,
      alt,
    }),
  )
const rowsOf = (releaseId: string) => t.database.db.select().from(releaseAttachments).where(eq(releaseAttachments.releaseId, releaseId))

/** The typed error `fn` throws (fails the test when it does not throw one). */
async function errorOf(fn: () => Promise<unknown>): Promise<AppError> {
  const e = await fn().then(
    () => undefined,
    (err: unknown) => err,
  )
  expect(e).toBeInstanceOf(AppError)
  return e as AppError
}

describe('addAttachment: alt text', () => {
  it('stores the alt text NFC, with spaces collapsed, and returns it', async () => {
    const id = await draft(t, editor, { spokespersonId: sp })
    const typed = ' Quyết định   khen thưởng\u200b '.normalize('NFD')
    const added = await attach(id, typed)
    expect(added.alt).toBe('Quyết định khen thưởng')
    const [row] = await rowsOf(id)
    expect(row?.alt).toBe('Quyết định khen thưởng')
    expect(row?.alt.normalize('NFC')).toBe(row?.alt)
    // The snippet built later from the row is a link (a document) labelled with the alt text.
    expect(attachmentMarkdown(row as typeof releaseAttachments.$inferSelect)).toBe(
      `[Quyết định khen thưởng](/tep/${row?.id}/quyet-dinh.pdf)`,
    )
  })

  it('stores an empty alt text when none is given; the snippet then uses the file name', async () => {
    const id = await draft(t, editor, { spokespersonId: sp })
    const added = await attach(id, undefined, 'thong-bao.pdf')
    expect(added.alt).toBe('')
    expect((await rowsOf(id))[0]?.alt).toBe('')
    expect(attachmentMarkdown(added)).toBe(`[thong-bao.pdf](/tep/${added.id}/thong-bao.pdf)`)
  })

  it('refuses more than 200 characters (counted after NFC) and control characters, storing no row and no file', async () => {
    const id = await draft(t, editor, { spokespersonId: sp })
    const filesBefore = await readdir(dataDir, { recursive: true })
    const long = await errorOf(() => attach(id, 'ệ'.repeat(201)))
    expect(long.code).toBe('ALT_TOO_LONG')
    expect(both(`errors.${long.code}`, long.params)).toMatchObject({
      vi: 'Mô tả ảnh tối đa 200 ký tự (đang có 201). Hãy viết ngắn lại.',
      en: 'The image description may have at most 200 characters (it has 201). Please shorten it.',
    })
    for (const bad of ['Ảnh\nhiện trường', 'Ảnh\thiện trường', 'Ảnh\u0007', 'Ảnh\u009b1m']) {
      expect((await errorOf(() => attach(id, bad))).code, JSON.stringify(bad)).toBe('ALT_CONTROL_CHARS')
    }
    expect(await rowsOf(id)).toHaveLength(0)
    expect(await readdir(dataDir, { recursive: true })).toEqual(filesBefore)
    // 200 letters typed decomposed (400 code units) are 200 once NFC: accepted.
    expect((await attach(id, 'ệ'.repeat(200).normalize('NFD'))).alt).toBe('ệ'.repeat(200))
  })

  it('the database refuses what the command would (a backstop for other writers)', async () => {
    const id = await draft(t, editor, { spokespersonId: sp })
    const { id: fileId } = await attach(id, 'Ảnh')
    await expect(t.database.pool.query('UPDATE release_attachments SET alt = $1 WHERE id = $2', ['a'.repeat(201), fileId])).rejects.toThrow(
      /check/i,
    )
    await expect(t.database.pool.query('UPDATE release_attachments SET alt = $1 WHERE id = $2', ['a\tb', fileId])).rejects.toThrow(/check/i)
  })
})

describe('cleanAltText and attachmentMarkdown', () => {
  it('keeps ordinary punctuation; the snippet turns square brackets into round ones and a backslash into a slash', () => {
    expect(cleanAltText('Ảnh: "hiện trường" (1/2) [3]')).toBe('Ảnh: "hiện trường" (1/2) [3]')
    const a = { id: '00000000-0000-4000-8000-000000000000', fileName: 'a.png', fileType: 'png' as const, alt: 'Ảnh [1] 2\\' }
    expect(attachmentMarkdown(a)).toBe('![Ảnh (1) 2/](/tep/00000000-0000-4000-8000-000000000000/a.png)')
  })

  it('writes a link that Markdown reads whole, whatever parentheses the file name has', () => {
    const id = '00000000-0000-4000-8000-000000000000'
    for (const fileName of ['ảnh (1.png', 'ảnh 1).png', 'ảnh (hiện trường) [2].png']) {
      const snippet = attachmentMarkdown({ id, fileName, fileType: 'png', alt: 'Hiện trường' })
      const [image] = renderMarkdown(snippet).images
      expect(image?.src, fileName).toBe(`/tep/${id}/${encodeURIComponent(fileName).replace(/\(/g, '%28').replace(/\)/g, '%29')}`)
      expect(decodeURIComponent((image?.src ?? '').split('/').pop() ?? ''), fileName).toBe(fileName)
      expect(image?.alt).toBe('Hiện trường')
    }
  })
})
