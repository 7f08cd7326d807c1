/**
 * The per-row report of an import as CSV (UTF-8 with a BOM for Excel): row number, outcome,
 * column, and the message in Vietnamese and in English. Cells are neutralised like the export.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { csvLine, neutralize } from './export.ts'
import { partnerImportIssues } from './import.tables.ts'

/** The report of one import of `tenantId` (header in `locale`; messages in both languages). */
export async function importReportCsv(db: Db, tenantId: string, importId: string, locale: Locale): Promise<string> {
  const issues = await db
    .select()
    .from(partnerImportIssues)
    .where(and(eq(partnerImportIssues.importId, importId), eq(partnerImportIssues.tenantId, tenantId)))
    .orderBy(asc(partnerImportIssues.rowNumber), asc(partnerImportIssues.seq))
  const lines = [csvLine(['row', 'outcome', 'column', 'message', 'messageEn'].map((k) => t(locale, `partners.import.report.${k}`)))]
  for (const i of issues) {
    lines.push(
      csvLine(
        [
          String(i.rowNumber),
          t(locale, `partners.import.outcome.${i.outcome}`),
          i.columnName ?? '',
          t('vi', i.messageKey, i.params),
          t('en', i.messageKey, i.params),
        ].map(neutralize),
      ),
    )
  }
  return `\ufeff${lines.join('')}`
}
