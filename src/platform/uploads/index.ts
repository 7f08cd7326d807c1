/**
 * Uploaded files (release images and attachments): type checked by content, names made safe,
 * stored content-addressed on disk.
 *
 * The content decides the type (magic bytes; DOCX by its ZIP central directory). The extension
 * must agree with the content, and a declared MIME type, when it names a specific type, must
 * too: a `.pdf` that is a PNG, a `.jpg` that is HTML or a PNG sent as `application/pdf` is
 * refused, so a file is never served with a type it is not.
 */
import { createHash, randomUUID } from 'node:crypto'
import { mkdir, open, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { AppError } from '../errors.ts'

/** The file types we accept. */
export type FileType = 'pdf' | 'jpeg' | 'png' | 'webp' | 'docx'

const MB = 1024 * 1024

/** What we know about each accepted type. */
export interface FileTypeInfo {
  /** Canonical extension, without the dot, used when storing. */
  readonly ext: string
  /** Every extension (lower-case, no dot) that may name a file of this type. */
  readonly extensions: readonly string[]
  /** MIME type served with the file. */
  readonly mime: string
  /** Other MIME types a browser may declare for this type. */
  readonly otherMimes: readonly string[]
  /** Images are shown inline; documents are downloaded. */
  readonly kind: 'image' | 'document'
  /** Largest accepted size in bytes. */
  readonly maxBytes: number
  /** Name shown in messages (the same in both languages). */
  readonly label: string
}

/** The accepted types: images up to 10 MB, documents up to 25 MB. */
export const FILE_TYPES: Readonly<Record<FileType, FileTypeInfo>> = {
  pdf: { ext: 'pdf', extensions: ['pdf'], mime: 'application/pdf', otherMimes: [], kind: 'document', maxBytes: 25 * MB, label: 'PDF' },
  jpeg: {
    ext: 'jpg',
    extensions: ['jpg', 'jpeg', 'jpe', 'jfif'],
    mime: 'image/jpeg',
    otherMimes: ['image/jpg', 'image/pjpeg'],
    kind: 'image',
    maxBytes: 10 * MB,
    label: 'JPEG',
  },
  png: { ext: 'png', extensions: ['png'], mime: 'image/png', otherMimes: [], kind: 'image', maxBytes: 10 * MB, label: 'PNG' },
  webp: { ext: 'webp', extensions: ['webp'], mime: 'image/webp', otherMimes: [], kind: 'image', maxBytes: 10 * MB, label: 'WebP' },
  docx: {
    ext: 'docx',
    extensions: ['docx'],
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    // Some systems without an office suite label .docx as a plain ZIP.
    otherMimes: ['application/zip', 'application/x-zip-compressed'],
    kind: 'document',
    maxBytes: 25 * MB,
    label: 'DOCX',
  },
}

const TYPE_BY_EXTENSION: ReadonlyMap<string, FileType> = new Map(
  (Object.keys(FILE_TYPES) as FileType[]).flatMap((type) => FILE_TYPES[type].extensions.map((ext) => [ext, type] as const)),
)

/** MIME types that say nothing about the content; a declaration of one of them is ignored. */
const GENERIC_MIMES = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown'])

function startsWith(buf: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (buf.length < at + bytes.length) return false
  for (let i = 0; i < bytes.length; i++) if (buf[at + i] !== bytes[i]) return false
  return true
}

function ascii(s: string): number[] {
  return Array.from(s, (c) => c.charCodeAt(0))
}

const PDF = ascii('%PDF-')
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]
const IHDR = ascii('IHDR')
const JPEG = [0xff, 0xd8, 0xff]
const RIFF = ascii('RIFF')
const WEBP = ascii('WEBP')
const VP8_CHUNKS = [ascii('VP8 '), ascii('VP8L'), ascii('VP8X')]
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]

/**
 * The type of a file from its content, or `null` when it is none of the accepted types.
 * PDF: `%PDF-` at the start. PNG: the signature followed by an IHDR chunk. JPEG: SOI and a
 * marker (FF D8 FF). WebP: a RIFF container of form WEBP with a VP8/VP8L/VP8X chunk. DOCX: a ZIP
 * whose central directory lists `[Content_Types].xml` and at least one `word/` entry.
 */
export function sniffFileType(buf: Uint8Array): FileType | null {
  if (startsWith(buf, PDF)) return 'pdf'
  if (startsWith(buf, PNG) && startsWith(buf, IHDR, 12)) return 'png'
  if (startsWith(buf, JPEG)) return 'jpeg'
  if (startsWith(buf, RIFF) && startsWith(buf, WEBP, 8) && VP8_CHUNKS.some((c) => startsWith(buf, c, 12))) return 'webp'
  if (startsWith(buf, ZIP_LOCAL) && isDocxZip(buf)) return 'docx'
  return null
}

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const EOCD_SIZE = 22

/**
 * Names in a ZIP's central directory, or `null` if the archive is malformed (or ZIP64, which a
 * DOCX within our size limits never needs). Reads only the end record and the directory.
 */
export function zipEntryNames(buf: Uint8Array): string[] | null {
  if (buf.length < EOCD_SIZE) return null
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  // The end record sits at the end, followed by a comment of at most 65,535 bytes.
  const lowest = Math.max(0, buf.length - EOCD_SIZE - 0xffff)
  let eocd = -1
  for (let i = buf.length - EOCD_SIZE; i >= lowest; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE && i + EOCD_SIZE + view.getUint16(i + 20, true) === buf.length) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return null
  const count = view.getUint16(eocd + 10, true)
  const size = view.getUint32(eocd + 12, true)
  const offset = view.getUint32(eocd + 16, true)
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) return null
  if (offset + size > eocd) return null
  const names: string[] = []
  const decoder = new TextDecoder('utf-8', { fatal: false })
  let p = offset
  for (let n = 0; n < count; n++) {
    if (p + 46 > offset + size || view.getUint32(p, true) !== CENTRAL_SIGNATURE) return null
    const nameLength = view.getUint16(p + 28, true)
    const extraLength = view.getUint16(p + 30, true)
    const commentLength = view.getUint16(p + 32, true)
    const next = p + 46 + nameLength + extraLength + commentLength
    if (next > offset + size) return null
    names.push(decoder.decode(buf.subarray(p + 46, p + 46 + nameLength)))
    p = next
  }
  return names
}

function isDocxZip(buf: Uint8Array): boolean {
  const names = zipEntryNames(buf) ?? []
  return names.includes('[Content_Types].xml') && names.some((name) => name.startsWith('word/'))
}

const WINDOWS_DEVICE_RE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])$/i
const MAX_NAME_CHARS = 120
const FALLBACK_NAME = 'tep'

/**
 * A file name safe to show, store and send in Content-Disposition: NFC; only the last path
 * component (so `../../etc/passwd` → `passwd`, `..\..\x.pdf` → `x.pdf`); control, format
 * (including bidirectional overrides) and reserved characters (`<>:"/\|?*`) removed; whitespace
 * collapsed; leading and trailing dots and spaces trimmed; Windows device names prefixed;
 * Vietnamese letters kept; at most 120 characters with the extension kept; never empty
 * (falls back to `tep`, keeping the extension: `.pdf` → `tep.pdf`).
 */
export function safeFileName(name: string): string {
  let s = (name ?? '').normalize('NFC')
  // Unpaired surrogates and controls/format characters (NUL, CR/LF, U+202E …) go first, so
  // they cannot hide a separator or fake an extension.
  s = s.replace(/[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/gu, '')
  const parts = s.split(/[/\\]/)
  s = parts[parts.length - 1] ?? ''
  s = s
    .replace(/[<>:"|?*]/g, ' ')
    .replace(/[\s\u00a0]+/gu, ' ')
    .replace(/^\s+|[\s.]+$/gu, '')
  const m = /^(.*?)(\.[\p{L}\p{N}]{1,16})?$/u.exec(s)
  // Leading dots would make a hidden file (or `..`); trailing ones vanish on Windows.
  let base = (m?.[1] ?? '').replace(/^[\s.]+|[\s.]+$/gu, '')
  let ext = m?.[2] ?? ''
  if (base === '' && ext !== '') {
    // `.pdf` alone, or `x.` trimmed: keep the extension, name the rest `tep`.
    base = FALLBACK_NAME
  }
  if (base === '') return FALLBACK_NAME
  if (WINDOWS_DEVICE_RE.test(base)) base = `${FALLBACK_NAME}-${base}`
  const room = MAX_NAME_CHARS - Array.from(ext).length
  const baseChars = Array.from(base)
  if (baseChars.length > room)
    base =
      baseChars
        .slice(0, room)
        .join('')
        .replace(/[\s.]+$/u, '') || FALLBACK_NAME
  if (Array.from(base + ext).length > MAX_NAME_CHARS) ext = ''
  return base + ext
}

/** Input of {@link checkUpload}. */
export interface UploadInput {
  /** The name the client sent (untrusted; only its extension is used to check the type). */
  filename: string
  /** The bytes received. */
  data: Uint8Array
  /** The Content-Type the client declared, if any; checked only when it names a specific type. */
  declaredMime?: string
}

/** A checked upload. */
export interface CheckedUpload {
  /** Type found in the content. */
  type: FileType
  /** Canonical extension for storing (`jpg` for JPEG). */
  ext: string
  /** MIME type to serve it with. */
  mime: string
  /** Size in bytes. */
  size: number
  /** The client's name made safe by {@link safeFileName}, for display and downloads. */
  fileName: string
}

/** Lower-case extension of a (safe) file name, without the dot; '' if none. */
function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.')
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : ''
}

/**
 * Checks an upload by content. Refuses, with typed errors: an empty file (UPLOAD_EMPTY, 400); an
 * extension we do not accept (UPLOAD_TYPE_UNSUPPORTED, 415); a file over its type's limit
 * (UPLOAD_TOO_LARGE, 413: images 10 MB, documents 25 MB); content that is not what the extension
 * or a specific declared MIME type says (UPLOAD_TYPE_MISMATCH, 415).
 */
export function checkUpload(input: UploadInput): CheckedUpload {
  const fileName = safeFileName(input.filename)
  const ext = extensionOf(fileName)
  const size = input.data.byteLength
  if (size === 0) throw new AppError('UPLOAD_EMPTY', { name: fileName })
  const claimed = TYPE_BY_EXTENSION.get(ext)
  if (!claimed) throw new AppError('UPLOAD_TYPE_UNSUPPORTED', { name: fileName })
  const info = FILE_TYPES[claimed]
  if (size > info.maxBytes) throw new AppError('UPLOAD_TOO_LARGE', { name: fileName, maxMb: info.maxBytes / MB })
  const actual = sniffFileType(input.data)
  const mismatch = () => new AppError('UPLOAD_TYPE_MISMATCH', { name: fileName, ext, expected: info.label })
  if (actual !== claimed) throw mismatch()
  const declared = (input.declaredMime ?? '').split(';', 1)[0].trim().toLowerCase()
  if (!GENERIC_MIMES.has(declared) && declared !== info.mime && !info.otherMimes.includes(declared)) throw mismatch()
  return { type: actual, ext: info.ext, mime: info.mime, size, fileName }
}

/** Input of {@link storeUpload}. */
export interface StoreUploadInput {
  /** The data directory (`DATA_DIR`); files go under `<dataDir>/uploads/`. */
  dataDir: string
  /** Owning tenant: letters, digits, `-` and `_` only (it becomes a directory name). */
  tenantId: string
  /** The checked bytes. */
  data: Uint8Array
  /** Extension without the dot, lower-case letters and digits (use {@link CheckedUpload.ext}). */
  ext: string
}

/** Where a stored upload lives. */
export interface StoredUpload {
  /** SHA-256 of the content, lower-case hex: the file's identity. */
  sha256: string
  /** Absolute path of the file. */
  path: string
  /** Size in bytes. */
  size: number
}

const TENANT_RE = /^[A-Za-z0-9_-]{1,64}$/
const EXT_RE = /^[a-z0-9]{1,10}$/
const SHA256_RE = /^[0-9a-f]{64}$/

/**
 * Path of a stored upload: `<dataDir>/uploads/<tenantId>/<sha256[0..2]>/<sha256>.<ext>`.
 * Refuses (TypeError) a tenant id, hash or extension that could leave that directory.
 */
export function uploadPath(dataDir: string, tenantId: string, sha256: string, ext: string): string {
  if (!TENANT_RE.test(tenantId)) throw new TypeError(`uploads: invalid tenant id ${JSON.stringify(tenantId)}`)
  if (!SHA256_RE.test(sha256)) throw new TypeError('uploads: invalid sha256')
  if (!EXT_RE.test(ext)) throw new TypeError(`uploads: invalid extension ${JSON.stringify(ext)}`)
  return join(dataDir, 'uploads', tenantId, sha256.slice(0, 2), `${sha256}.${ext}`)
}

/**
 * Stores bytes content-addressed (see {@link uploadPath}). Atomic: written to a temporary file
 * in the same directory, flushed, then renamed into place, so a reader never sees half a file.
 * Idempotent: storing the same content again leaves the existing file and returns the same
 * result; concurrent stores of the same content are safe (each rename puts identical bytes).
 */
export async function storeUpload(input: StoreUploadInput): Promise<StoredUpload> {
  const sha256 = createHash('sha256').update(input.data).digest('hex')
  const path = uploadPath(input.dataDir, input.tenantId, sha256, input.ext)
  const size = input.data.byteLength
  const existing = await stat(path).catch(() => null)
  if (existing?.isFile() && existing.size === size) return { sha256, path, size }
  const dir = join(input.dataDir, 'uploads', input.tenantId, sha256.slice(0, 2))
  await mkdir(dir, { recursive: true })
  const temp = join(dir, `.${sha256}.${randomUUID()}.tmp`)
  try {
    const handle = await open(temp, 'wx', 0o640)
    try {
      await handle.writeFile(input.data)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (e) {
    await rm(temp, { force: true })
    throw e
  }
  return { sha256, path, size }
}
