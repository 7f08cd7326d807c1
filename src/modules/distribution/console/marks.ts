/**
 * Per-recipient marks in served files. A file fetched through a recipient's link
 * (`/l/<token>/tep/<fileId>`) carries that delivery's link token where the format keeps a
 * comment that readers ignore, so a copy that leaks names the delivery it came from (the
 * "trace a leak" page reads it back with {@link extractMark}). The file stays valid:
 *
 * - PDF: a comment line `%DongHanh-Mark: <token>` after the last `%%EOF` (an incremental-update
 *   position; readers skip comments there);
 * - PNG: a `tEXt` chunk `DongHanh-Mark` before `IEND`, with its CRC;
 * - JPEG: a `COM` segment right after `SOI`;
 * - ZIP and ZIP-based documents (docx, xlsx): the end-of-central-directory comment;
 * - text and CSV: a final line `Mã bản gửi / Copy code: <token>`.
 *
 * Other formats (WebP among the release attachments) are served unmarked: the trace page says so.
 * A mark is a label, not a watermark: anyone who knows where it sits can strip it. It catches
 * the careless forwarder, which is most leaks.
 */
import { crc32 } from 'node:zlib'

/** Formats a mark can be written into. */
export type MarkFormat = 'pdf' | 'png' | 'jpeg' | 'zip' | 'text'

const TOKEN = '[A-Za-z0-9_-]{22}'
const KEY = 'DongHanh-Mark'
const TEXT_LINE = 'Mã bản gửi / Copy code: '

/** The mark format of a stored attachment type (`release_attachments.file_type`), or null when unmarked. */
export function markFormatOf(fileType: string): MarkFormat | null {
  switch (fileType) {
    case 'pdf':
      return 'pdf'
    case 'png':
      return 'png'
    case 'jpeg':
      return 'jpeg'
    case 'docx':
    case 'xlsx':
    case 'zip':
      return 'zip'
    case 'csv':
    case 'txt':
      return 'text'
    default:
      return null
  }
}

/** The format of some bytes, by their content (never by a name or a declared type). */
export function sniffFormat(bytes: Buffer): MarkFormat | null {
  if (bytes.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf'
  if (bytes.length >= 8 && bytes.readUInt32BE(0) === 0x89504e47 && bytes.readUInt32BE(4) === 0x0d0a1a0a) return 'png'
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg'
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return 'zip'
  if (looksLikeText(bytes)) return 'text'
  return null
}

/** Valid UTF-8 without NUL bytes in the first 64 KB. */
function looksLikeText(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 65_536)
  if (head.length === 0 || head.includes(0)) return false
  try {
    // A multi-byte character cut at 64 KB would throw: decode a little less then.
    new TextDecoder('utf-8', { fatal: true }).decode(head.length === 65_536 ? head.subarray(0, 65_530) : head)
    return true
  } catch {
    return false
  }
}

/**
 * Writes `token` into `bytes` of `format`; returns new bytes (the input is not changed). Throws
 * when the bytes are not a well-formed file of that format (the caller then serves nothing).
 */
export function addMark(bytes: Buffer, format: MarkFormat, token: string): Buffer {
  if (!new RegExp(`^${TOKEN}$`).test(token)) throw new Error('addMark: not a link token')
  switch (format) {
    case 'pdf':
      return markPdf(bytes, token)
    case 'png':
      return markPng(bytes, token)
    case 'jpeg':
      return markJpeg(bytes, token)
    case 'zip':
      return markZip(bytes, token)
    case 'text':
      return markText(bytes, token)
  }
}

/** What {@link extractMark} found: the format it read and the token, if any. */
export interface FoundMark {
  format: MarkFormat | null
  token: string | null
}

/**
 * Reads the mark back from a file. Each format is read where {@link addMark} writes; a file that
 * was re-saved may have moved it, so every format falls back to a scan of the whole bytes for
 * the marker text (a PDF rewritten by an editor keeps its comments rarely, but a zip re-packed
 * by a tool that keeps comments, or a text pasted into another file, still shows it).
 */
export function extractMark(bytes: Buffer): FoundMark {
  const format = sniffFormat(bytes)
  let token: string | null = null
  if (format === 'png') token = pngMark(bytes)
  else if (format === 'jpeg') token = jpegMark(bytes)
  else if (format === 'zip') token = zipMark(bytes)
  if (!token) token = scanMark(bytes)
  return { format, token }
}

// --- PDF ---------------------------------------------------------------------------------

function markPdf(bytes: Buffer, token: string): Buffer {
  if (sniffFormat(bytes) !== 'pdf' || bytes.lastIndexOf('%%EOF', undefined, 'latin1') < 0) throw new Error('addMark: not a PDF')
  // After the final %%EOF: a line break first when the file does not end with one.
  const last = bytes[bytes.length - 1]
  const sep = last === 0x0a || last === 0x0d ? '' : '\n'
  return Buffer.concat([bytes, Buffer.from(`${sep}%${KEY}: ${token}\n`, 'latin1')])
}

// --- PNG ---------------------------------------------------------------------------------

interface PngChunk {
  type: string
  start: number
  dataStart: number
  length: number
}

function* pngChunks(bytes: Buffer): Generator<PngChunk> {
  let at = 8
  while (at + 12 <= bytes.length) {
    const length = bytes.readUInt32BE(at)
    const type = bytes.subarray(at + 4, at + 8).toString('latin1')
    if (at + 12 + length > bytes.length) return
    yield { type, start: at, dataStart: at + 8, length }
    at += 12 + length
  }
}

function markPng(bytes: Buffer, token: string): Buffer {
  if (sniffFormat(bytes) !== 'png') throw new Error('addMark: not a PNG')
  const iend = [...pngChunks(bytes)].find((c) => c.type === 'IEND')
  if (!iend) throw new Error('addMark: PNG without IEND')
  const data = Buffer.from(`${KEY}\0${token}`, 'latin1')
  const typeAndData = Buffer.concat([Buffer.from('tEXt', 'latin1'), data])
  const chunk = Buffer.alloc(12 + data.length)
  chunk.writeUInt32BE(data.length, 0)
  typeAndData.copy(chunk, 4)
  chunk.writeUInt32BE(crc32(typeAndData) >>> 0, 8 + data.length)
  return Buffer.concat([bytes.subarray(0, iend.start), chunk, bytes.subarray(iend.start)])
}

function pngMark(bytes: Buffer): string | null {
  for (const c of pngChunks(bytes)) {
    if (c.type !== 'tEXt') continue
    const text = bytes.subarray(c.dataStart, c.dataStart + c.length).toString('latin1')
    const m = new RegExp(`^${KEY}\\0(${TOKEN})$`).exec(text)
    if (m) return m[1] as string
  }
  return null
}

// --- JPEG --------------------------------------------------------------------------------

function markJpeg(bytes: Buffer, token: string): Buffer {
  if (sniffFormat(bytes) !== 'jpeg') throw new Error('addMark: not a JPEG')
  const text = Buffer.from(`${KEY}: ${token}`, 'latin1')
  const seg = Buffer.alloc(4 + text.length)
  seg[0] = 0xff
  seg[1] = 0xfe
  // The length counts itself (2 bytes) and the text, not the marker.
  seg.writeUInt16BE(text.length + 2, 2)
  text.copy(seg, 4)
  return Buffer.concat([bytes.subarray(0, 2), seg, bytes.subarray(2)])
}

function jpegMark(bytes: Buffer): string | null {
  let at = 2
  while (at + 4 <= bytes.length && bytes[at] === 0xff) {
    const marker = bytes[at + 1] as number
    // Start of scan: entropy-coded data follows, no more headers to read.
    if (marker === 0xda) break
    const length = bytes.readUInt16BE(at + 2)
    if (marker === 0xfe) {
      const text = bytes.subarray(at + 4, at + 2 + length).toString('latin1')
      const m = new RegExp(`^${KEY}: (${TOKEN})$`).exec(text)
      if (m) return m[1] as string
    }
    at += 2 + length
  }
  return null
}

// --- ZIP ---------------------------------------------------------------------------------

/** Offset of the end-of-central-directory record whose comment runs to the end of the file. */
function eocdOffset(bytes: Buffer): number {
  const min = Math.max(0, bytes.length - 22 - 0xffff)
  for (let at = bytes.length - 22; at >= min; at--) {
    if (bytes.readUInt32LE(at) !== 0x06054b50) continue
    if (at + 22 + bytes.readUInt16LE(at + 20) === bytes.length) return at
  }
  return -1
}

function markZip(bytes: Buffer, token: string): Buffer {
  const at = bytes.length >= 22 ? eocdOffset(bytes) : -1
  if (at < 0) throw new Error('addMark: no ZIP end record')
  const old = bytes.subarray(at + 22)
  const mark = Buffer.from(`${KEY}: ${token}`, 'latin1')
  // An existing comment is kept, the mark after it.
  const comment = old.length ? Buffer.concat([old, Buffer.from(' '), mark]) : mark
  if (comment.length > 0xffff) throw new Error('addMark: ZIP comment too long')
  const head = Buffer.from(bytes.subarray(0, at + 22))
  head.writeUInt16LE(comment.length, at + 20)
  return Buffer.concat([head, comment])
}

function zipMark(bytes: Buffer): string | null {
  const at = bytes.length >= 22 ? eocdOffset(bytes) : -1
  if (at < 0) return null
  const m = new RegExp(`${KEY}: (${TOKEN})(?![A-Za-z0-9_-])`).exec(bytes.subarray(at + 22).toString('latin1'))
  return m ? (m[1] as string) : null
}

// --- text --------------------------------------------------------------------------------

function markText(bytes: Buffer, token: string): Buffer {
  const text = bytes.toString('utf8')
  const eol = text.includes('\r\n') ? '\r\n' : '\n'
  const sep = text.length === 0 || text.endsWith('\n') ? '' : eol
  return Buffer.concat([bytes, Buffer.from(`${sep}${TEXT_LINE}${token}${eol}`, 'utf8')])
}

// --- anywhere ----------------------------------------------------------------------------

/** The marker text anywhere in the bytes (last one wins: a mark is appended). */
function scanMark(bytes: Buffer): string | null {
  // latin1 keeps one character per byte; the marker and tokens are ASCII.
  const s = bytes.toString('latin1')
  const re = new RegExp(`(?:${KEY}(?:: |\\0)|Copy code: )(${TOKEN})(?![A-Za-z0-9_-])`, 'g')
  let found: string | null = null
  for (const m of s.matchAll(re)) found = m[1] as string
  return found
}
