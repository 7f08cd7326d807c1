/**
 * An uploaded file as the import sees it: where it is stored, its header row, a preview of the
 * first rows, and the stream of data rows after the header (blank rows skipped, each with its
 * spreadsheet row number and a 0-based ordinal used as the resume point).
 */
import { uploadPath } from '../../../platform/uploads/index.ts'
import { isBlankRow, isHeaderCandidate } from './mapping.ts'
import { type Cell, type CsvEncoding, csvRows, detectCsv, type MergeRange, readHead, type SheetRow, scanXlsx, xlsxRows } from './read.ts'

/** What an import row says about its file. */
export interface SourceRef {
  tenantId: string
  fileSha256: string
  kind: 'csv' | 'xlsx'
  /** The encoding chosen (CSV); detected when absent. */
  encoding?: CsvEncoding | null
}

/** Where the stored upload lives. */
export function sourcePath(dataDir: string, s: SourceRef): string {
  return uploadPath(dataDir, s.tenantId, s.fileSha256, s.kind)
}

/** An opened source: its format facts and a fresh row stream each time it is asked. */
export interface OpenedSource {
  encoding: CsvEncoding | null
  delimiter: string | null
  merges: MergeRange[]
  /** Rows holding a value (XLSX: from the pre-pass; CSV: counted when asked). */
  rowsWithValues: number | null
  rows(): AsyncGenerator<SheetRow>
}

/** Opens a stored upload: detects the CSV format, or scans the XLSX for merges. */
export async function openSource(dataDir: string, s: SourceRef): Promise<OpenedSource> {
  const path = sourcePath(dataDir, s)
  if (s.kind === 'xlsx') {
    const scan = await scanXlsx(path)
    return {
      encoding: null,
      delimiter: null,
      merges: scan.merges,
      rowsWithValues: scan.rowsWithValues,
      rows: () => xlsxRows(path, scan.merges),
    }
  }
  const format = detectCsv(await readHead(path), s.encoding ?? undefined)
  return { encoding: format.encoding, delimiter: format.delimiter, merges: [], rowsWithValues: null, rows: () => csvRows(path, format) }
}

/** A data row after the header. */
export interface DataRow extends SheetRow {
  /** 0-based position among the data rows (the resume point counts these). */
  ordinal: number
}

/** The header and the data rows of a source (blank rows skipped; no header → no rows). */
export async function* dataRows(rows: AsyncGenerator<SheetRow>, onHeader: (header: string[]) => void): AsyncGenerator<DataRow> {
  let header: string[] | null = null
  let ordinal = 0
  for await (const row of rows) {
    if (isBlankRow(row.cells)) continue
    if (!header) {
      if (!isHeaderCandidate(row.cells)) continue
      header = row.cells.map(headerText)
      onHeader(header)
      continue
    }
    // The row object is the reader's own and used once: numbered in place, not copied.
    ;(row as DataRow).ordinal = ordinal++
    yield row as DataRow
  }
}

function headerText(c: Cell): string {
  if (c === null) return ''
  return c instanceof Date ? c.toISOString().slice(0, 10) : c
}

/** The preview of a file: header, first rows, merges met, and the format found. */
export interface Preview {
  header: string[]
  rows: DataRow[]
  encoding: CsvEncoding | null
  delimiter: string | null
  merges: MergeRange[]
}

/** Reads the header and the first `n` data rows. */
export async function readPreview(dataDir: string, s: SourceRef, n = 20): Promise<Preview> {
  const src = await openSource(dataDir, s)
  let header: string[] = []
  const rows: DataRow[] = []
  const it = dataRows(src.rows(), (h) => {
    header = h
  })
  for await (const r of it) {
    rows.push(r)
    if (rows.length >= n) break
  }
  await it.return(undefined)
  return { header, rows, encoding: src.encoding, delimiter: src.delimiter, merges: src.merges }
}
