/**
 * The per-row report of an import as CSV (UTF-8 with a BOM for Excel): row number, outcome,
 * column, and the message in Vietnamese and in English. Cells are neutralised like the export.
 * Issues are read in keyset pages (row, seq), so a file with tens of thousands of bad rows is
 * never held in memory whole: the lines go to a file (or a response) as they are made.
 */
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'
import { and, asc, eq, gt, or } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { csvLine, neutralize } from './export.ts'
import { partnerImportIssues } from './import.tables.ts'

/** Issues per query: small enough to bound memory, big enough that round trips do not matter. */
const PAGE = 2000

/** The report's lines (BOM and header first), page by page. */
export async function* importReportLines(db: Db, tenantId: string, importId: string, locale: Locale): AsyncGenerator<string> {
  yield `\ufeff${csvLine(['row', 'outcome', 'column', 'message', 'messageEn'].map((k) => t(locale, `partners.import.report.${k}`)))}`
  let after: { rowNumber: number; seq: number } | null = null
  for (;;) {
    const mine = and(eq(partnerImportIssues.importId, importId), eq(partnerImportIssues.tenantId, tenantId))
    const issues: (typeof partnerImportIssues.$inferSelect)[] = await db
      .select()
      .from(partnerImportIssues)
      .where(
        after
          ? and(
              mine,
              or(
                gt(partnerImportIssues.rowNumber, after.rowNumber),
                and(eq(partnerImportIssues.rowNumber, after.rowNumber), gt(partnerImportIssues.seq, after.seq)),
              ),
            )
          : mine,
      )
      .orderBy(asc(partnerImportIssues.rowNumber), asc(partnerImportIssues.seq))
      .limit(PAGE)
    for (const i of issues) {
      yield csvLine(
        [
          String(i.rowNumber),
          t(locale, `partners.import.outcome.${i.outcome}`),
          i.columnName ?? '',
          t('vi', i.messageKey, i.params),
          t('en', i.messageKey, i.params),
        ].map(neutralize),
      )
    }
    const last = issues[issues.length - 1]
    if (!last || issues.length < PAGE) return
    after = { rowNumber: last.rowNumber, seq: last.seq }
  }
}

/** The report of one import of `tenantId` (header in `locale`; messages in both languages). */
export async function importReportCsv(db: Db, tenantId: string, importId: string, locale: Locale): Promise<string> {
  let out = ''
  for await (const line of importReportLines(db, tenantId, importId, locale)) out += line
  return out
}

/** Writes the report to `file` as it is read (back-pressure respected); resolves once flushed. */
export async function writeImportReport(db: Db, tenantId: string, importId: string, locale: Locale, file: string): Promise<void> {
  const out = createWriteStream(file)
  try {
    for await (const line of importReportLines(db, tenantId, importId, locale)) if (!out.write(line)) await once(out, 'drain')
  } finally {
    out.end()
    await once(out, 'close')
  }
}
