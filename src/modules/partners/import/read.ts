/**
 * Reading an uploaded partners list, streaming: the file type from its bytes, the text
 * encoding of a CSV (UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1258, and the
 * legacy Vietnamese font encodings TCVN3/ABC and VNI-Windows), its delimiter, and the rows of a
 * CSV (csv-parse) or of the first worksheet of an XLSX (exceljs's streaming reader), each cell
 * as text in Unicode NFC (dates as `Date`). Merged cells of an XLSX take the value of the
 * range's first (master) cell; the streaming reader does not see merges, so they are read
 * first from the sheet's XML (unzipper + saxes, the libraries exceljs itself reads with).
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { StringDecoder } from 'node:string_decoder'
import { parse as parseCsv } from 'csv-parse'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { SaxesParser } from 'saxes'
import { AppError } from '../../../platform/errors.ts'
import { decodeTcvn3, decodeVni, isVietnameseSyllable } from '../../../text/normalize.ts'

/** Text encodings of a CSV we read. */
export const CSV_ENCODINGS = ['utf-8', 'utf-16le', 'utf-16be', 'cp1258', 'tcvn3', 'vni'] as const
export type CsvEncoding = (typeof CSV_ENCODINGS)[number]
/** Field delimiters we recognise. */
export const DELIMITERS = [',', ';', '\t', '|'] as const

/** One cell as read: text (NFC, trimmed), a date (an Excel date cell), or nothing. */
export type Cell = string | Date | null

/** One row of the file: its number as a spreadsheet shows it (1 = first line), and its cells. */
export interface SheetRow {
  rowNumber: number
  cells: Cell[]
  /** Columns (0-based) whose value came from the master cell of a merged range. */
  merged?: number[]
}

const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04]

/**
 * The kind of file from its first bytes: a ZIP container is an XLSX candidate, anything that
 * decodes as text is a CSV candidate, other binary content (PDF, images, old .xls) neither.
 */
export function sniffSpreadsheet(head: Uint8Array): 'xlsx' | 'csv' | null {
  if (ZIP_LOCAL.every((b, i) => head[i] === b)) return 'xlsx'
  if (head[0] === 0xff && head[1] === 0xfe) return 'csv'
  if (head[0] === 0xfe && head[1] === 0xff) return 'csv'
  // Text has no NUL bytes (UTF-16 without a BOM we do not accept) and few control characters.
  const n = Math.min(head.length, 8192)
  let controls = 0
  for (let i = 0; i < n; i++) {
    const b = head[i] as number
    if (b === 0) return null
    if (b < 0x09 || (b > 0x0d && b < 0x20)) controls++
  }
  return n > 0 && controls / n < 0.01 ? 'csv' : null
}

/** What {@link detectCsv} found. */
export interface CsvFormat {
  encoding: CsvEncoding
  /** Byte-order mark length to skip. */
  bom: number
  delimiter: string
}

/** The iconv-lite codec that turns the bytes into text (legacy font encodings read as Latin-1 first). */
function codecOf(encoding: CsvEncoding): string {
  if (encoding === 'tcvn3' || encoding === 'vni') return 'latin1'
  return encoding
}

/** Maps one decoded cell to Unicode NFC: legacy font encodings through their tables. */
export function repairCell(s: string, encoding: CsvEncoding): string {
  const fixed = encoding === 'tcvn3' ? decodeTcvn3(s) : encoding === 'vni' ? decodeVni(s) : s
  return fixed.normalize('NFC').trim()
}

const WORD_RE = /[\p{L}\p{M}]+/gu
const NON_ASCII = /[^\p{ASCII}]/u

/**
 * Share of the words with a non-ASCII letter that are real Vietnamese syllables: the score by
 * which candidate decodings of the same bytes are compared (mojibake makes few syllables).
 */
export function vietnameseScore(text: string): number {
  let words = 0
  let good = 0
  for (const m of text.normalize('NFC').matchAll(WORD_RE)) {
    if (!NON_ASCII.test(m[0])) continue
    words++
    if (isVietnameseSyllable(m[0])) good++
    if (words >= 4000) break
  }
  return words === 0 ? 0 : good / words
}

/** Decodes a sample in one encoding (for detection and the preview). */
export function decodeSample(bytes: Uint8Array, encoding: CsvEncoding, bom = 0): string {
  const text = iconv.decode(Buffer.from(bytes.subarray(bom)), codecOf(encoding))
  return encoding === 'tcvn3' ? decodeTcvn3(text) : encoding === 'vni' ? decodeVni(text) : text
}

/**
 * The encoding and delimiter of a CSV from its first bytes. A BOM settles the encoding
 * (UTF-8, UTF-16 LE/BE). Without one: valid UTF-8 is UTF-8 (legacy single-byte text almost
 * never is); otherwise Windows-1258, TCVN3 and VNI are each tried and the one giving the
 * largest share of real Vietnamese syllables wins (Windows-1258 on a tie). `override` forces
 * an encoding (staff chose it in the preview).
 */
export function detectCsv(head: Uint8Array, override?: CsvEncoding): CsvFormat {
  let encoding: CsvEncoding
  let bom = 0
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
    encoding = 'utf-8'
    bom = 3
  } else if (head[0] === 0xff && head[1] === 0xfe) {
    encoding = 'utf-16le'
    bom = 2
  } else if (head[0] === 0xfe && head[1] === 0xff) {
    encoding = 'utf-16be'
    bom = 2
  } else if (isUtf8(head)) {
    encoding = 'utf-8'
  } else {
    const scored = (['cp1258', 'tcvn3', 'vni'] as const).map((e) => ({ e, s: vietnameseScore(decodeSample(head, e)) }))
    encoding = scored.reduce((a, b) => (b.s > a.s ? b : a)).e
  }
  if (override && override !== encoding) {
    // A BOM belongs to its encoding: keep skipping it only when the override is of that family.
    if (!(bom === 3 && override === 'utf-8')) bom = override.startsWith('utf-16') && bom === 2 ? 2 : 0
    encoding = override
  }
  return { encoding, bom, delimiter: detectDelimiter(decodeSample(head, encoding, bom)) }
}

/** True when the bytes are valid UTF-8 (a sequence cut at the end of the sample is allowed). */
function isUtf8(bytes: Uint8Array): boolean {
  // Up to 3 bytes of a character may be cut off by the sample's end.
  for (let cut = 0; cut <= 3 && cut < bytes.length; cut++) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, bytes.length - cut))
      return true
    } catch {
      // try with one byte fewer
    }
  }
  return false
}

/**
 * The delimiter of CSV text: the candidate that appears the same, non-zero number of times on
 * most of the first lines (quoted parts ignored). Excel's "Unicode text" uses TAB, Vietnamese
 * regional settings give `;`, others `,`.
 */
export function detectDelimiter(text: string): string {
  const lines = text
    .split(/\r\n|\n|\r/)
    .slice(0, 20)
    .map((l) => l.replace(/"[^"]*"/g, '""'))
    .filter((l) => l.trim() !== '')
  let best: string = ','
  let bestScore = -1
  for (const d of DELIMITERS) {
    const counts = lines.map((l) => l.split(d).length - 1)
    const first = counts[0] ?? 0
    if (first === 0) continue
    const same = counts.filter((c) => c === first).length
    const score = same * 1000 + first
    if (score > bestScore) {
      best = d
      bestScore = score
    }
  }
  return best
}

/** Reads up to `n` bytes from the start of a file. */
export async function readHead(path: string, n = 65536): Promise<Uint8Array> {
  const fh = await open(path, 'r')
  try {
    const buf = Buffer.alloc(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

/** Rows of a CSV file, streaming: bytes → iconv-lite → csv-parse → cells repaired to NFC. */
export async function* csvRows(path: string, format: CsvFormat): AsyncGenerator<SheetRow> {
  const source = createReadStream(path, { start: format.bom })
  const parser = source.pipe(iconv.decodeStream(codecOf(format.encoding))).pipe(
    parseCsv({
      delimiter: format.delimiter,
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
      bom: true,
      info: true,
    }),
  )
  try {
    let rowNumber = 0
    for await (const rec of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      rowNumber++
      yield { rowNumber, cells: rec.record.map((c) => emptyToNull(repairCell(c, format.encoding))) }
    }
  } catch (e) {
    if ((e as { code?: string }).code?.startsWith('CSV_'))
      throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: (e as Error).message.slice(0, 200) })
    throw e
  } finally {
    source.destroy()
  }
}

function emptyToNull(s: string): string | null {
  return s === '' ? null : s
}

/** A merged range of a worksheet, 0-based inclusive (rows as 1-based spreadsheet rows). */
export interface MergeRange {
  top: number
  left: number
  bottom: number
  right: number
  ref: string
}

/** What the pre-pass over an XLSX sheet found: its merges and how many rows hold a value. */
export interface SheetScan {
  merges: MergeRange[]
  rowsWithValues: number
}

interface UnzipperEntry {
  path: string
  stream(): NodeJS.ReadableStream
}
interface Unzipper {
  Open: { file(path: string): Promise<{ files: UnzipperEntry[] }> }
}

/** Column letters → 0-based index (`A` → 0, `AB` → 27). */
function columnIndex(letters: string): number {
  let n = 0
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64)
  return n - 1
}

function parseRef(ref: string): MergeRange | null {
  const m = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$/.exec(ref)
  if (!m) return null
  return { left: columnIndex(m[1] as string), top: Number(m[2]), right: columnIndex(m[3] as string), bottom: Number(m[4]), ref }
}

/**
 * Pre-pass over the first worksheet of an XLSX with a streaming XML parser: the merged ranges
 * (which the sheet lists after its rows, so a one-pass row reader cannot know them in time) and
 * the number of rows holding at least one value (the progress bar's total). Unreadable
 * archives are refused with PARTNER_IMPORT_UNREADABLE.
 */
export async function scanXlsx(path: string): Promise<SheetScan> {
  const unzipper = createRequire(import.meta.url)('unzipper') as Unzipper
  let dir: { files: UnzipperEntry[] }
  try {
    dir = await unzipper.Open.file(path)
  } catch {
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'zip' })
  }
  const sheets = dir.files
    .filter((f) => /^xl\/worksheets\/sheet\d+\.xml$/.test(f.path))
    .sort((a, b) => Number(/\d+/.exec(a.path.slice(14))?.[0]) - Number(/\d+/.exec(b.path.slice(14))?.[0]))
  const sheet = sheets[0]
  if (!sheet) throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'no worksheet' })
  const merges: MergeRange[] = []
  let rowsWithValues = 0
  let rowHasValue = false
  let inValue = false
  const parser = new SaxesParser()
  parser.on('opentag', (node) => {
    if (node.name === 'row') rowHasValue = false
    else if (node.name === 'v' || node.name === 't') inValue = true
    else if (node.name === 'mergeCell') {
      const r = parseRef(String(node.attributes.ref ?? ''))
      if (r) merges.push(r)
    }
  })
  parser.on('text', (text) => {
    if (inValue && text.trim() !== '') rowHasValue = true
  })
  parser.on('closetag', (node) => {
    if (node.name === 'v' || node.name === 't') inValue = false
    else if (node.name === 'row' && rowHasValue) rowsWithValues++
  })
  try {
    // A character may be split between two chunks: the decoder keeps the partial bytes.
    const utf8 = new StringDecoder('utf8')
    for await (const chunk of sheet.stream() as AsyncIterable<Buffer>) parser.write(utf8.write(chunk))
    parser.write(utf8.end())
    parser.close()
  } catch {
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'worksheet' })
  }
  return { merges, rowsWithValues }
}

/** A cell value of exceljs as text or date (formulas give their cached result). */
export function cellValue(v: unknown): Cell {
  if (v === null || v === undefined) return null
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? null : v
  if (typeof v === 'string') return emptyToNull(v.normalize('NFC').trim())
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE'
  if (typeof v === 'object') {
    const o = v as { richText?: { text: string }[]; result?: unknown; text?: unknown; error?: string; hyperlink?: string }
    if (Array.isArray(o.richText))
      return emptyToNull(
        o.richText
          .map((r) => r.text)
          .join('')
          .normalize('NFC')
          .trim(),
      )
    if ('result' in o) return cellValue(o.result)
    if (o.text !== undefined) return cellValue(o.text)
    if (o.hyperlink) return cellValue(o.hyperlink)
  }
  return null
}

/**
 * Rows of the first worksheet of an XLSX, streaming (exceljs WorkbookReader; shared strings
 * cached, styles read so date cells come as dates). Cells covered by a merged range get the
 * master cell's value and are listed in `merged`.
 */
export async function* xlsxRows(path: string, merges: MergeRange[]): AsyncGenerator<SheetRow> {
  const source = createReadStream(path)
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(source, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  })
  // Master values of the merges that start above or on the current row (few at a time).
  const masters = new Map<MergeRange, Cell>()
  try {
    for await (const worksheet of reader as AsyncIterable<AsyncIterable<ExcelJS.Row>>) {
      for await (const row of worksheet) {
        const values = row.values as unknown[]
        const cells: Cell[] = []
        for (let i = 1; i < values.length; i++) cells.push(cellValue(values[i]))
        const merged: number[] = []
        for (const m of merges) {
          if (row.number < m.top || row.number > m.bottom) continue
          if (row.number === m.top) masters.set(m, cells[m.left] ?? null)
          const master = masters.get(m) ?? null
          for (let c = m.left; c <= m.right; c++) {
            if (row.number === m.top && c === m.left) continue
            while (cells.length <= c) cells.push(null)
            cells[c] = master
            merged.push(c)
          }
          if (row.number === m.bottom) masters.delete(m)
        }
        yield merged.length ? { rowNumber: row.number, cells, merged } : { rowNumber: row.number, cells }
      }
      // The first worksheet only.
      break
    }
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: String((e as Error)?.message ?? e).slice(0, 200) })
  } finally {
    source.destroy()
  }
}
