import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../errors.ts'
import { checkUpload, safeFileName, sniffFileType, storeUpload, uploadPath, zipEntryNames } from './index.ts'

// --- Real small files, built byte by byte -------------------------------------------------

const u32be = (n: number) => {
  const b = Buffer.alloc(4)
  b.writeUInt32BE(n >>> 0)
  return b
}

function pngChunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
  return Buffer.concat([u32be(data.length), body, u32be(crc32(body))])
}

/** A valid 1×1 RGB PNG. */
function png(): Buffer {
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', deflateSync(Buffer.from([0, 200, 30, 30]))),
    pngChunk('IEND', Buffer.alloc(0)),
  ])
}

/** A minimal PDF with one empty page. */
function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n' +
      '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 10 10]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  )
}

/** JPEG start: SOI, a JFIF APP0 segment, EOI. */
function jpeg(): Buffer {
  const app0 = Buffer.concat([
    Buffer.from([0xff, 0xe0, 0x00, 0x10]),
    Buffer.from('JFIF\0', 'latin1'),
    Buffer.from([1, 1, 0, 0, 1, 0, 1, 0, 0]),
  ])
  return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, Buffer.from([0xff, 0xd9])])
}

/** A RIFF/WEBP container with a (tiny) VP8L chunk. */
function webp(): Buffer {
  const vp8l = Buffer.from([0x2f, 0, 0, 0, 0])
  const chunk = Buffer.concat([Buffer.from('VP8L', 'latin1'), Buffer.from([vp8l.length, 0, 0, 0]), vp8l, Buffer.alloc(1)])
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), chunk])
  const size = Buffer.alloc(4)
  size.writeUInt32LE(body.length)
  return Buffer.concat([Buffer.from('RIFF', 'latin1'), size, body])
}

/** A ZIP archive with stored (uncompressed) entries, written by hand. */
function zip(entries: Record<string, string | Buffer>, comment = ''): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, content] of Object.entries(entries)) {
    const data = Buffer.isBuffer(content) ? content : Buffer.from(content, 'utf8')
    const nameBytes = Buffer.from(name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4) // version needed
    local.writeUInt16LE(0x0800, 6) // UTF-8 names
    local.writeUInt16LE(0, 8) // stored
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(data.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(data.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(nameBytes.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, nameBytes, data)
    centrals.push(central, nameBytes)
    offset += 30 + nameBytes.length + data.length
  }
  const cd = Buffer.concat(centrals)
  const commentBytes = Buffer.from(comment, 'utf8')
  const eocd = Buffer.alloc(22)
  eocd.writeUInt32LE(0x06054b50, 0)
  eocd.writeUInt16LE(Object.keys(entries).length, 8)
  eocd.writeUInt16LE(Object.keys(entries).length, 10)
  eocd.writeUInt32LE(cd.length, 12)
  eocd.writeUInt32LE(offset, 16)
  eocd.writeUInt16LE(commentBytes.length, 20)
  return Buffer.concat([...locals, cd, eocd, commentBytes])
}

const CONTENT_TYPES =
  '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'

function docx(comment = ''): Buffer {
  return zip(
    {
      '[Content_Types].xml': CONTENT_TYPES,
      '_rels/.rels': '<?xml version="1.0"?><Relationships/>',
      'word/document.xml': '<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Thông cáo</w:t></w:r></w:p></w:body></w:document>',
    },
    comment,
  )
}

function errorCode(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    if (e instanceof AppError) return e.code
    throw e
  }
  return undefined
}

// --- Tests --------------------------------------------------------------------------------

describe('sniffFileType', () => {
  it('recognises each accepted type by content', () => {
    expect(sniffFileType(pdf())).toBe('pdf')
    expect(sniffFileType(png())).toBe('png')
    expect(sniffFileType(jpeg())).toBe('jpeg')
    expect(sniffFileType(webp())).toBe('webp')
    expect(sniffFileType(docx())).toBe('docx')
    expect(sniffFileType(docx('một chú thích'))).toBe('docx')
  })

  it('works on a Uint8Array view into a larger buffer', () => {
    const big = Buffer.concat([Buffer.from('garbage'), docx()])
    expect(sniffFileType(new Uint8Array(big.buffer, big.byteOffset + 7, big.length - 7))).toBe('docx')
  })

  it('returns null for everything else', () => {
    expect(sniffFileType(Buffer.alloc(0))).toBeNull()
    expect(sniffFileType(Buffer.from('<!doctype html><script>alert(1)</script>'))).toBeNull()
    expect(sniffFileType(Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1'))).toBeNull()
    expect(sniffFileType(Buffer.from('MZ\x90\x00', 'latin1'))).toBeNull()
    expect(sniffFileType(png().subarray(0, 12))).toBeNull() // signature without IHDR
    expect(sniffFileType(Buffer.from([0xff, 0xd8]))).toBeNull()
    expect(sniffFileType(Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVEfmt ', 'latin1')]))).toBeNull()
    expect(sniffFileType(Buffer.from(' %PDF-1.4'))).toBeNull()
  })

  it('accepts a ZIP as DOCX only with [Content_Types].xml and a word/ entry', () => {
    expect(sniffFileType(zip({ 'a.txt': 'x' }))).toBeNull()
    expect(sniffFileType(zip({ '[Content_Types].xml': CONTENT_TYPES, 'xl/workbook.xml': '<x/>' }))).toBeNull() // XLSX
    expect(sniffFileType(zip({ 'word/document.xml': '<x/>' }))).toBeNull()
    expect(zipEntryNames(docx())).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml'])
  })

  it('refuses malformed ZIPs without throwing', () => {
    const d = docx()
    expect(sniffFileType(d.subarray(0, d.length - 5))).toBeNull() // truncated end record
    expect(sniffFileType(d.subarray(0, 40))).toBeNull()
    const badOffset = Buffer.from(d)
    badOffset.writeUInt32LE(0xfffffff0, badOffset.length - 6) // central directory offset past the end
    expect(sniffFileType(badOffset)).toBeNull()
    const badCount = Buffer.from(d)
    badCount.writeUInt16LE(200, badCount.length - 12) // more entries than the directory holds
    expect(sniffFileType(badCount)).toBeNull()
  })
})

describe('checkUpload', () => {
  it('accepts matching content and extension and returns the canonical type', () => {
    expect(checkUpload({ filename: 'anh hiện trường.JPEG', data: jpeg() })).toEqual({
      type: 'jpeg',
      ext: 'jpg',
      mime: 'image/jpeg',
      size: jpeg().length,
      fileName: 'anh hiện trường.JPEG',
    })
    expect(checkUpload({ filename: 'a.png', data: png(), declaredMime: 'image/png' }).type).toBe('png')
    expect(checkUpload({ filename: 'a.webp', data: webp(), declaredMime: 'application/octet-stream' }).type).toBe('webp')
    expect(checkUpload({ filename: 'Thông cáo.pdf', data: pdf(), declaredMime: 'application/pdf; charset=binary' }).mime).toBe(
      'application/pdf',
    )
    const d = checkUpload({ filename: 'quyết định.docx', data: docx(), declaredMime: 'application/zip' })
    expect(d).toMatchObject({ type: 'docx', ext: 'docx', mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' })
  })

  it('refuses content that does not match the extension', () => {
    expect(errorCode(() => checkUpload({ filename: 'bao-cao.pdf', data: png() }))).toBe('UPLOAD_TYPE_MISMATCH')
    expect(errorCode(() => checkUpload({ filename: 'anh.jpg', data: Buffer.from('<html><script>alert(1)</script></html>') }))).toBe(
      'UPLOAD_TYPE_MISMATCH',
    )
    expect(errorCode(() => checkUpload({ filename: 'anh.png', data: jpeg() }))).toBe('UPLOAD_TYPE_MISMATCH')
    expect(errorCode(() => checkUpload({ filename: 'van-ban.docx', data: zip({ 'a.txt': 'x' }) }))).toBe('UPLOAD_TYPE_MISMATCH')
    expect(errorCode(() => checkUpload({ filename: 'van-ban.docx', data: pdf() }))).toBe('UPLOAD_TYPE_MISMATCH')
  })

  it('refuses a specific declared MIME type that contradicts the content', () => {
    expect(errorCode(() => checkUpload({ filename: 'a.png', data: png(), declaredMime: 'application/pdf' }))).toBe('UPLOAD_TYPE_MISMATCH')
    expect(errorCode(() => checkUpload({ filename: 'a.png', data: png(), declaredMime: 'text/html' }))).toBe('UPLOAD_TYPE_MISMATCH')
  })

  it('refuses unknown types, missing extensions and empty files', () => {
    expect(errorCode(() => checkUpload({ filename: 'setup.exe', data: Buffer.from('MZ') }))).toBe('UPLOAD_TYPE_UNSUPPORTED')
    expect(errorCode(() => checkUpload({ filename: 'trang.html', data: Buffer.from('<p>') }))).toBe('UPLOAD_TYPE_UNSUPPORTED')
    expect(errorCode(() => checkUpload({ filename: 'anh.gif', data: Buffer.from('GIF89a') }))).toBe('UPLOAD_TYPE_UNSUPPORTED')
    expect(errorCode(() => checkUpload({ filename: 'khong-duoi', data: pdf() }))).toBe('UPLOAD_TYPE_UNSUPPORTED')
    expect(errorCode(() => checkUpload({ filename: 'rong.pdf', data: Buffer.alloc(0) }))).toBe('UPLOAD_EMPTY')
    // An extension hidden behind a NUL byte does not count: `x.pdf\0.exe` is an .exe.
    expect(errorCode(() => checkUpload({ filename: 'x.pdf\u0000.exe', data: pdf() }))).toBe('UPLOAD_TYPE_UNSUPPORTED')
  })

  it('enforces size limits: images 10 MB, documents 25 MB', () => {
    const MB = 1024 * 1024
    const bigPng = Buffer.alloc(10 * MB + 1)
    png().copy(bigPng)
    expect(errorCode(() => checkUpload({ filename: 'a.png', data: bigPng }))).toBe('UPLOAD_TOO_LARGE')
    expect(checkUpload({ filename: 'a.png', data: bigPng.subarray(0, 10 * MB) }).size).toBe(10 * MB)
    const bigPdf = Buffer.alloc(25 * MB + 1)
    pdf().copy(bigPdf)
    expect(checkUpload({ filename: 'a.pdf', data: bigPdf.subarray(0, 11 * MB) }).type).toBe('pdf')
    let error: unknown
    try {
      checkUpload({ filename: 'a.pdf', data: bigPdf })
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(AppError)
    expect((error as AppError).status).toBe(413)
    expect((error as AppError).params).toEqual({ name: 'a.pdf', maxMb: 25 })
  })

  it('uses the safe name in error messages and results', () => {
    let error: unknown
    try {
      checkUpload({ filename: '../../<script>.jpg', data: pdf() })
    } catch (e) {
      error = e
    }
    expect((error as AppError).params).toEqual({ name: 'script.jpg', ext: 'jpg', expected: 'JPEG' })
    expect((error as AppError).status).toBe(415)
  })
})

describe('safeFileName', () => {
  it.each([
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\x.pdf', 'x.pdf'],
    ['C:\\Users\\An\\Desktop\\Báo cáo.docx', 'Báo cáo.docx'],
    ['tên tệp có dấu.pdf', 'tên tệp có dấu.pdf'],
    ['tên tệp có dấu.pdf'.normalize('NFD'), 'tên tệp có dấu.pdf'],
    ['a\u0000b.pdf', 'ab.pdf'],
    ['x.pdf\u0000.exe', 'x.pdf.exe'],
    ['hoa-don\u202Efdp.exe', 'hoa-donfdp.exe'],
    ['line\r\nbreak.png', 'linebreak.png'],
    ['  nhiều    khoảng\t trắng  .pdf ', 'nhiều khoảng trắng.pdf'],
    ['a<b>c:d"e|f?g*h.pdf', 'a b c d e f g h.pdf'],
    ['.htaccess', 'tep.htaccess'],
    ['.pdf', 'tep.pdf'],
    ['...', 'tep'],
    ['..', 'tep'],
    ['', 'tep'],
    ['/', 'tep'],
    ['\u0000\u0001', 'tep'],
    ['CON.pdf', 'tep-CON.pdf'],
    ['trailing dots...', 'trailing dots'],
  ])('%j → %j', (input, expected) => {
    const out = safeFileName(input)
    expect(out).toBe(expected)
    expect(out).toBe(out.normalize('NFC'))
  })

  it('keeps at most 120 characters and the extension', () => {
    const long = `${'Thông báo truy nã '.repeat(20)}.pdf`
    const out = safeFileName(long)
    expect(Array.from(out).length).toBeLessThanOrEqual(120)
    expect(out.endsWith('.pdf')).toBe(true)
    expect(out.startsWith('Thông báo truy nã')).toBe(true)
    expect(safeFileName('ả'.repeat(500))).toBe('ả'.repeat(120))
  })

  it('never returns a name with a separator, a control character or leading dot', () => {
    const nasty = ['../', '..\\', '\u0000', '/..', 'a/../../b', '\\\\server\\share\\f.pdf', '\u202E', '%2e%2e%2f']
    for (const a of nasty)
      for (const b of nasty) {
        const out = safeFileName(`${a}${b}tệp.pdf`)
        expect(out).not.toMatch(/[/\\\p{Cc}\p{Cf}]/u)
        expect(out).not.toMatch(/^\./)
        expect(out.length).toBeGreaterThan(0)
      }
  })
})

describe('storeUpload', () => {
  let dataDir = ''
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'donghanh-uploads-'))
  })
  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true })
  })

  it('writes content-addressed under uploads/<tenant>/<xx>/<sha256>.<ext>', async () => {
    const data = png()
    const stored = await storeUpload({ dataDir, tenantId: 'tenant-1', data, ext: 'png' })
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(stored.size).toBe(data.length)
    expect(stored.path).toBe(join(dataDir, 'uploads', 'tenant-1', stored.sha256.slice(0, 2), `${stored.sha256}.png`))
    expect(stored.path).toBe(uploadPath(dataDir, 'tenant-1', stored.sha256, 'png'))
    expect(await readFile(stored.path)).toEqual(data)
  })

  it('is idempotent and leaves no temporary files', async () => {
    const data = pdf()
    const first = await storeUpload({ dataDir, tenantId: 'tenant-1', data, ext: 'pdf' })
    const before = await stat(first.path)
    const again = await storeUpload({ dataDir, tenantId: 'tenant-1', data, ext: 'pdf' })
    expect(again).toEqual(first)
    expect((await stat(first.path)).mtimeMs).toBe(before.mtimeMs)
    const concurrent = await Promise.all(Array.from({ length: 8 }, () => storeUpload({ dataDir, tenantId: 'tenant-2', data, ext: 'pdf' })))
    expect(new Set(concurrent.map((s) => s.path)).size).toBe(1)
    expect(await readFile(concurrent[0].path)).toEqual(data)
    const dir = join(dataDir, 'uploads', 'tenant-2', first.sha256.slice(0, 2))
    expect(await readdir(dir)).toEqual([`${first.sha256}.pdf`])
  })

  it('repairs a file whose size does not match (an interrupted copy by hand)', async () => {
    const data = jpeg()
    const stored = await storeUpload({ dataDir, tenantId: 't3', data, ext: 'jpg' })
    const { writeFile } = await import('node:fs/promises')
    await writeFile(stored.path, data.subarray(0, 3))
    await storeUpload({ dataDir, tenantId: 't3', data, ext: 'jpg' })
    expect(await readFile(stored.path)).toEqual(data)
  })

  it('refuses tenant ids and extensions that could leave the uploads directory', async () => {
    await expect(storeUpload({ dataDir, tenantId: '../etc', data: pdf(), ext: 'pdf' })).rejects.toThrow(TypeError)
    await expect(storeUpload({ dataDir, tenantId: 'a/b', data: pdf(), ext: 'pdf' })).rejects.toThrow(TypeError)
    await expect(storeUpload({ dataDir, tenantId: '', data: pdf(), ext: 'pdf' })).rejects.toThrow(TypeError)
    await expect(storeUpload({ dataDir, tenantId: 't', data: pdf(), ext: '../x' })).rejects.toThrow(TypeError)
    await expect(storeUpload({ dataDir, tenantId: 't', data: pdf(), ext: 'PDF' })).rejects.toThrow(TypeError)
    expect(() => uploadPath(dataDir, 't', '../'.repeat(21).slice(0, 64), 'pdf')).toThrow(TypeError)
  })
})
