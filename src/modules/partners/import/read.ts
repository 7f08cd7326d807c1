/**
 * Reading an uploaded partners list, streaming: the file type from its bytes, the text
 * encoding of a CSV (UTF-8 with or without BOM, UTF-16 LE/BE with BOM, Windows-1258, and the
 * legacy Vietnamese font encodings TCVN3/ABC and VNI-Windows), its delimiter, and the rows of a
 * CSV (csv-parse) or of the first worksheet of an XLSX (unzipper + saxes, exceljs's own
 * dependencies, with our SAX handler: shared strings read once into a compact table), each
 * cell as text in Unicode NFC (dates as `Date`). Merged cells of an XLSX take the value of the
 * range's first (master) cell; merges are listed after the rows, so a pre-pass finds them.
 */
import { createReadStream } from 'node:fs'
import { open } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { StringDecoder } from 'node:string_decoder'
import { parse as parseCsv } from 'csv-parse'
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

/** Column letters → 0-based index (`A` → 0, `AB` → 27); stops at the first non-letter (`B12`). */
function columnIndex(ref: string): number {
  let n = 0
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c < 65 || c > 90) break
    n = n * 26 + (c - 64)
  }
  return n - 1
}

const MERGE_REF = /^([A-Z]{1,3})(\d+):([A-Z]{1,3})(\d+)$/

function parseRef(ref: string): MergeRange | null {
  const m = MERGE_REF.exec(ref)
  if (!m) return null
  return { left: columnIndex(m[1] as string), top: Number(m[2]), right: columnIndex(m[3] as string), bottom: Number(m[4]), ref }
}

/** Streams one archive entry through a SAX parser (a character split between chunks is kept whole). */
async function parseEntry(
  entry: UnzipperEntry,
  on: { open?: (name: string, attrs: Record<string, string>) => void; text?: (t: string) => void; close?: (name: string) => void },
  afterChunk?: () => void,
): Promise<void> {
  const parser = new SaxesParser({ position: false })
  if (on.open) {
    const open = on.open
    parser.on('opentag', (node) => open(node.name, node.attributes as Record<string, string>))
  }
  if (on.text) {
    parser.on('text', on.text)
    parser.on('cdata', on.text)
  }
  if (on.close) {
    const close = on.close
    parser.on('closetag', (node) => close(node.name))
  }
  const utf8 = new StringDecoder('utf8')
  for await (const chunk of entry.stream() as AsyncIterable<Buffer>) {
    parser.write(utf8.write(chunk))
    afterChunk?.()
  }
  parser.write(utf8.end())
  parser.close()
  afterChunk?.()
}

/**
 * The shared strings of a workbook, read once: UTF-8 bytes in one growing buffer and their end
 * offsets in a typed array, so 100,000 strings cost two allocations outside the JS heap instead
 * of 100,000 heap strings (each kept alive for the whole import). Stored NFC and trimmed.
 */
class StringTable {
  private bytes = Buffer.allocUnsafe(1 << 16)
  private length = 0
  private ends = new Int32Array(1024)
  count = 0

  push(s: string): void {
    const need = this.length + Buffer.byteLength(s)
    if (need > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.bytes.length * 2))
      this.bytes.copy(grown, 0, 0, this.length)
      this.bytes = grown
    }
    this.length += this.bytes.write(s, this.length)
    if (this.count === this.ends.length) {
      const grown = new Int32Array(this.ends.length * 2)
      grown.set(this.ends)
      this.ends = grown
    }
    this.ends[this.count++] = this.length
  }

  get(i: number): string | null {
    if (!(i >= 0 && i < this.count)) return null
    const start = i === 0 ? 0 : (this.ends[i - 1] as number)
    const end = this.ends[i] as number
    return end === start ? null : this.bytes.toString('utf8', start, end)
  }
}

/** Built-in number formats that show a date (ECMA-376 §18.8.30 and the East Asian ones). */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
])

/** A custom format shows a date when, outside quotes and brackets, it has a date/time letter (as exceljs decides). */
function isDateFormat(code: string): boolean {
  return /[ymdhMsb]/.test(code.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, ''))
}

/** An opened workbook: the first worksheet's entry and what its cells refer to. */
interface Book {
  sheet: UnzipperEntry
  strings: StringTable
  /** Per cell style (`s`): 1 when its number format is a date. */
  dateStyles: Uint8Array
  date1904: boolean
}

/** Opens the archive and finds the first worksheet (workbook order), refusing what is not one. */
async function openArchive(path: string): Promise<{ files: Map<string, UnzipperEntry>; sheet: UnzipperEntry }> {
  const unzipper = createRequire(import.meta.url)('unzipper') as Unzipper
  let dir: { files: UnzipperEntry[] }
  try {
    dir = await unzipper.Open.file(path)
  } catch {
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'zip' })
  }
  const files = new Map(dir.files.map((f) => [f.path, f]))
  let sheet: UnzipperEntry | undefined
  try {
    // The first <sheet> of workbook.xml, through its relationship; else the lowest sheetN.xml.
    let firstId: string | undefined
    const workbook = files.get('xl/workbook.xml')
    const rels = files.get('xl/_rels/workbook.xml.rels')
    if (workbook && rels) {
      await parseEntry(workbook, {
        open: (name, a) => {
          if (name === 'sheet' && firstId === undefined) firstId = a['r:id']
        },
      })
      let target: string | undefined
      await parseEntry(rels, {
        open: (name, a) => {
          if (name === 'Relationship' && a.Id === firstId) target = a.Target
        },
      })
      if (target) sheet = files.get(target.startsWith('/') ? target.slice(1) : `xl/${target}`)
    }
  } catch {
    sheet = undefined
  }
  if (!sheet) {
    const sheetNo = (p: string) => Number(/^xl\/worksheets\/sheet(\d+)\.xml$/.exec(p)?.[1] ?? Number.NaN)
    sheet = [...files.values()].filter((f) => Number.isFinite(sheetNo(f.path))).sort((a, b) => sheetNo(a.path) - sheetNo(b.path))[0]
  }
  if (!sheet) throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'no worksheet' })
  return { files, sheet }
}

/** Reads what the cells refer to: shared strings (once), date styles, the 1904 date system. */
async function openBook(path: string): Promise<Book> {
  const { files, sheet } = await openArchive(path)
  const strings = new StringTable()
  const formats = new Map<number, string>()
  const xfFormats: number[] = []
  let date1904 = false
  try {
    const shared = files.get('xl/sharedStrings.xml')
    if (shared) {
      // Text of <t> inside <si>, rich-text runs joined; phonetic runs (<rPh>) are not the text.
      let text = ''
      let inT = false
      let inPhonetic = false
      await parseEntry(shared, {
        open: (name) => {
          if (name === 'si') text = ''
          else if (name === 't') inT = !inPhonetic
          else if (name === 'rPh') inPhonetic = true
        },
        text: (t) => {
          if (inT) text += t
        },
        close: (name) => {
          if (name === 't') inT = false
          else if (name === 'rPh') inPhonetic = false
          else if (name === 'si') strings.push(text.normalize('NFC').trim())
        },
      })
    }
    const styles = files.get('xl/styles.xml')
    if (styles) {
      let inCellXfs = false
      await parseEntry(styles, {
        open: (name, a) => {
          if (name === 'numFmt') formats.set(Number(a.numFmtId), a.formatCode ?? '')
          else if (name === 'cellXfs') inCellXfs = true
          else if (name === 'xf' && inCellXfs) xfFormats.push(Number(a.numFmtId ?? 0))
        },
        close: (name) => {
          if (name === 'cellXfs') inCellXfs = false
        },
      })
    }
    const workbook = files.get('xl/workbook.xml')
    if (workbook)
      await parseEntry(workbook, {
        open: (name, a) => {
          if (name === 'workbookPr') date1904 = a.date1904 === '1' || a.date1904 === 'true'
        },
      })
  } catch {
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'workbook' })
  }
  const dateStyles = new Uint8Array(xfFormats.length)
  xfFormats.forEach((id, i) => {
    const custom = formats.get(id)
    dateStyles[i] = (custom !== undefined ? isDateFormat(custom) : BUILTIN_DATE_FORMATS.has(id)) ? 1 : 0
  })
  return { sheet, strings, dateStyles, date1904 }
}

/**
 * Pre-pass over the first worksheet of an XLSX with a streaming XML parser: the merged ranges
 * (which the sheet lists after its rows, so a one-pass row reader cannot know them in time) and
 * the number of rows holding at least one value (the progress bar's total). Unreadable
 * archives are refused with PARTNER_IMPORT_UNREADABLE.
 */
export async function scanXlsx(path: string): Promise<SheetScan> {
  const { sheet } = await openArchive(path)
  const merges: MergeRange[] = []
  let rowsWithValues = 0
  let rowHasValue = false
  let inValue = false
  try {
    await parseEntry(sheet, {
      open: (name, a) => {
        if (name === 'row') rowHasValue = false
        else if (name === 'v' || name === 't') inValue = true
        else if (name === 'mergeCell') {
          const r = parseRef(String(a.ref ?? ''))
          if (r) merges.push(r)
        }
      },
      text: (text) => {
        if (inValue && !rowHasValue && text.trim() !== '') rowHasValue = true
      },
      close: (name) => {
        if (name === 'v' || name === 't') inValue = false
        else if (name === 'row' && rowHasValue) rowsWithValues++
      },
    })
  } catch {
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: 'worksheet' })
  }
  return { merges, rowsWithValues }
}

/** An Excel serial day (fraction = time of day) as a date, in the workbook's date system. */
function excelDate(serial: number, date1904: boolean): Date | null {
  const d = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000))
  return Number.isNaN(d.getTime()) ? null : d
}

/** Text read from the sheet itself (inline strings, formula strings), NFC and trimmed. */
function textCell(s: string): Cell {
  return emptyToNull(s.normalize('NFC').trim())
}

/**
 * Rows of the first worksheet of an XLSX, streaming, with our own SAX handler over the sheet
 * XML: shared strings are read once into a compact table (see {@link StringTable}); each cell
 * becomes text (NFC, trimmed), a date (a number under a date format), or null, as exceljs's
 * reader gave it (numbers as `String(n)`, booleans TRUE/FALSE, errors null, formulas their
 * cached result). Building exceljs's Row and Cell objects for 50,000 rows was most of the
 * import's garbage; this allocates one small array per row. Cells covered by a merged range
 * get the master cell's value and are listed in `merged`.
 */
export async function* xlsxRows(path: string, merges: MergeRange[]): AsyncGenerator<SheetRow> {
  const book = await openBook(path)
  const { strings, dateStyles, date1904 } = book
  // Rows finished by the parser during the last chunk, handed out before the next one is read.
  let ready: SheetRow[] = []
  let rowNumber = 0
  let cells: Cell[] = []
  let col = -1
  let type = 'n'
  let style = 0
  let value = ''
  let hasValue = false
  let inV = false
  let inT = false
  let inPhonetic = false
  // Master values of the merges that start above or on the current row (few at a time).
  const masters = new Map<MergeRange, Cell>()

  const finishCell = (): void => {
    let cell: Cell = null
    if (hasValue) {
      if (type === 's') cell = strings.get(Number.parseInt(value, 10))
      else if (type === 'inlineStr' || type === 'str') cell = textCell(value)
      else if (type === 'b') cell = Number.parseInt(value, 10) !== 0 ? 'TRUE' : 'FALSE'
      else if (type === 'd') {
        const d = new Date(value)
        cell = Number.isNaN(d.getTime()) ? null : d
      } else if (type !== 'e') {
        const n = Number.parseFloat(value)
        if (Number.isFinite(n)) cell = dateStyles[style] === 1 ? excelDate(n, date1904) : String(n)
      }
    }
    while (cells.length < col) cells.push(null)
    cells[col] = cell
  }

  const finishRow = (): void => {
    const merged: number[] = []
    for (const m of merges) {
      if (rowNumber < m.top || rowNumber > m.bottom) continue
      if (rowNumber === m.top) masters.set(m, cells[m.left] ?? null)
      const master = masters.get(m) ?? null
      for (let c = m.left; c <= m.right; c++) {
        if (rowNumber === m.top && c === m.left) continue
        while (cells.length <= c) cells.push(null)
        cells[c] = master
        merged.push(c)
      }
      if (rowNumber === m.bottom) masters.delete(m)
    }
    ready.push(merged.length ? { rowNumber, cells, merged } : { rowNumber, cells })
  }

  const parser = new SaxesParser({ position: false })
  parser.on('opentag', (node) => {
    switch (node.name) {
      case 'row': {
        const r = node.attributes.r
        rowNumber = r ? Number(r) : rowNumber + 1
        cells = []
        col = -1
        break
      }
      case 'c': {
        const a = node.attributes as Record<string, string>
        col = a.r ? columnIndex(a.r) : col + 1
        type = a.t ?? 'n'
        style = a.s ? Number(a.s) : 0
        value = ''
        hasValue = false
        break
      }
      case 'v':
        inV = true
        hasValue = true
        break
      case 'is':
        hasValue = true
        break
      case 't':
        inT = !inPhonetic
        break
      case 'rPh':
        inPhonetic = true
        break
    }
  })
  const onText = (text: string): void => {
    if (inV || inT) value += text
  }
  parser.on('text', onText)
  parser.on('cdata', onText)
  parser.on('closetag', (node) => {
    switch (node.name) {
      case 'v':
        inV = false
        break
      case 't':
        inT = false
        break
      case 'rPh':
        inPhonetic = false
        break
      case 'c':
        finishCell()
        break
      case 'row':
        finishRow()
        break
    }
  })

  const utf8 = new StringDecoder('utf8')
  const stream = book.sheet.stream() as NodeJS.ReadableStream & { destroy?: () => void }
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      try {
        parser.write(utf8.write(chunk))
      } catch (e) {
        throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: String((e as Error)?.message ?? e).slice(0, 200) })
      }
      if (ready.length) {
        const rows = ready
        ready = []
        yield* rows
      }
    }
    try {
      parser.write(utf8.end())
      parser.close()
    } catch (e) {
      throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: String((e as Error)?.message ?? e).slice(0, 200) })
    }
    yield* ready
  } catch (e) {
    if (e instanceof AppError) throw e
    throw new AppError('PARTNER_IMPORT_UNREADABLE', { detail: String((e as Error)?.message ?? e).slice(0, 200) })
  } finally {
    stream.destroy?.()
  }
}
