/**
 * Per-recipient marks: written and read back for each format, the marked file still valid (sharp
 * decodes the images, unzipper opens the archive, the PDF keeps its header and %%EOF), two
 * recipients' copies differ, and a file without a mark yields none.
 */
import { crc32 } from 'node:zlib'
import sharp from 'sharp'
import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { newLinkToken } from '../distribution.links.ts'
import { addMark, extractMark, markFormatOf, sniffFormat } from './marks.ts'
import { sampleImages, samplePdf, sampleZip } from './marks.fixtures.ts'

/** unzipper has no type declarations: the little used here. */
interface ZipEntry {
  path: string
  buffer(): Promise<Buffer>
}
const unzipper = createRequire(import.meta.url)('unzipper') as { Open: { buffer(b: Buffer): Promise<{ files: ZipEntry[] }> } }

describe('per-recipient marks', () => {
  it('PDF: the mark is read back and the file keeps its header and %%EOF', () => {
    const token = newLinkToken()
    const marked = addMark(samplePdf(), 'pdf', token)
    expect(marked.subarray(0, 5).toString('latin1')).toBe('%PDF-')
    expect(marked.includes('%%EOF')).toBe(true)
    expect(marked.toString('latin1').endsWith(`%DongHanh-Mark: ${token}\n`)).toBe(true)
    expect(extractMark(marked)).toEqual({ format: 'pdf', token })
  })

  it('PNG: a tEXt chunk with a correct CRC before IEND; sharp still decodes it', async () => {
    const { png } = await sampleImages()
    const token = newLinkToken()
    const marked = addMark(png, 'png', token)
    expect(extractMark(marked)).toEqual({ format: 'png', token })
    const meta = await sharp(marked).metadata()
    expect([meta.width, meta.height]).toEqual([8, 6])
    // The chunk's CRC is right (a strict decoder refuses a wrong one).
    const at = marked.indexOf('tEXt')
    const len = marked.readUInt32BE(at - 4)
    expect(marked.readUInt32BE(at + 4 + len)).toBe(crc32(marked.subarray(at, at + 4 + len)) >>> 0)
    expect(marked.subarray(marked.length - 8, marked.length - 4).toString('latin1')).toBe('IEND')
    await sharp(marked).raw().toBuffer()
  })

  it('JPEG: a COM segment after SOI; sharp still decodes it', async () => {
    const { jpeg } = await sampleImages()
    const token = newLinkToken()
    const marked = addMark(jpeg, 'jpeg', token)
    expect(marked[0]).toBe(0xff)
    expect(marked[1]).toBe(0xd8)
    expect([marked[2], marked[3]]).toEqual([0xff, 0xfe])
    expect(extractMark(marked)).toEqual({ format: 'jpeg', token })
    const meta = await sharp(marked).metadata()
    expect([meta.width, meta.height]).toEqual([8, 6])
    await sharp(marked).raw().toBuffer()
  })

  it('ZIP (docx): the end-record comment; unzipper still opens it, an existing comment is kept', async () => {
    const docx = sampleZip({ '[Content_Types].xml': '<Types/>', 'word/document.xml': '<w:document>Xin chào</w:document>' }, 'made by Word')
    const token = newLinkToken()
    const marked = addMark(docx, 'zip', token)
    expect(extractMark(marked)).toEqual({ format: 'zip', token })
    const dir = await unzipper.Open.buffer(marked)
    expect(dir.files.map((f) => f.path).sort()).toEqual(['[Content_Types].xml', 'word/document.xml'])
    const doc = dir.files.find((f) => f.path === 'word/document.xml')
    expect((await doc?.buffer())?.toString()).toBe('<w:document>Xin chào</w:document>')
    expect(marked.toString('latin1')).toContain(`made by Word DongHanh-Mark: ${token}`)
  })

  it('text/CSV: a final line with the copy code, line endings kept', () => {
    const token = newLinkToken()
    const csv = Buffer.from('Họ tên,Số điện thoại\r\nNguyễn Văn A,0912\r\n')
    const marked = addMark(csv, 'text', token)
    expect(marked.toString('utf8')).toBe(`Họ tên,Số điện thoại\r\nNguyễn Văn A,0912\r\nMã bản gửi / Copy code: ${token}\r\n`)
    expect(extractMark(marked)).toEqual({ format: 'text', token })
    expect(addMark(Buffer.from('no newline'), 'text', token).toString()).toBe(`no newline\nMã bản gửi / Copy code: ${token}\n`)
  })

  it('two recipients get different bytes and different marks', async () => {
    const { png } = await sampleImages()
    const [a, b] = [newLinkToken(), newLinkToken()]
    const ma = addMark(png, 'png', a)
    const mb = addMark(png, 'png', b)
    expect(ma.equals(mb)).toBe(false)
    expect(extractMark(ma).token).toBe(a)
    expect(extractMark(mb).token).toBe(b)
  })

  it('a file without a mark has none; formats are sniffed by content', async () => {
    const { png, jpeg } = await sampleImages()
    expect(extractMark(png)).toEqual({ format: 'png', token: null })
    expect(extractMark(jpeg)).toEqual({ format: 'jpeg', token: null })
    expect(extractMark(samplePdf())).toEqual({ format: 'pdf', token: null })
    expect(extractMark(Buffer.from([0, 1, 2, 3, 0, 0]))).toEqual({ format: null, token: null })
    expect(sniffFormat(sampleZip({ a: 'b' }))).toBe('zip')
    expect(markFormatOf('webp')).toBeNull()
    expect(markFormatOf('docx')).toBe('zip')
  })

  it('refuses to mark bytes that are not of the format (nothing half-marked is served)', () => {
    const token = newLinkToken()
    expect(() => addMark(Buffer.from('not a pdf'), 'pdf', token)).toThrow()
    expect(() => addMark(Buffer.from('not a zip'), 'zip', token)).toThrow()
    expect(() => addMark(samplePdf(), 'pdf', 'short')).toThrow()
  })
})
