/**
 * Export of the partners registry to XLSX (exceljs's streaming WorkbookWriter) or CSV (UTF-8
 * with a BOM, so Excel opens Vietnamese correctly), read in keyset pages so memory stays flat.
 * The columns carry the same headers the import recognises, so an export can be re-imported.
 * Every cell that a spreadsheet could take for a formula (`=`, `+`, `-`, `@`, TAB, CR) is
 * neutralised with a leading apostrophe; phones are exported in their canonical `0…` form.
 */
import type { Writable } from 'node:stream'
import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import type { Locale } from '../../../platform/i18n/index.ts'
import { t } from '../../../platform/i18n/index.ts'
import { communeByCode, isCommuneCode } from '../../reference/communes.ts'
import { isUuid } from '../partners.normalize.ts'
import {
  PARTNER_KINDS,
  PARTNER_STATUSES,
  type PartnerKind,
  type PartnerStatus,
  partnerChannels,
  partners,
  pressOutlets,
} from '../partners.tables.ts'

/** Filters of the registry list that the export honours. */
export interface ExportFilters {
  status?: PartnerStatus
  kind?: PartnerKind
  /** Part of the name, e-mail or phone. */
  q?: string
  /** A press outlet's id. */
  outletId?: string
  /** One beat, as stored. */
  beat?: string
  /** A commune code. */
  communeCode?: string
}

/** Reads the list filters from a query string (unknown values are ignored, not guessed). */
export function exportFiltersOf(query: Record<string, string | undefined>): ExportFilters {
  const f: ExportFilters = {}
  if (query.status && (PARTNER_STATUSES as readonly string[]).includes(query.status)) f.status = query.status as PartnerStatus
  if (query.kind && (PARTNER_KINDS as readonly string[]).includes(query.kind)) f.kind = query.kind as PartnerKind
  if (query.q?.trim()) f.q = query.q.trim().slice(0, 200)
  if (isUuid(query.outlet)) f.outletId = query.outlet
  if (query.beat?.trim()) f.beat = query.beat.trim().slice(0, 80)
  if (isCommuneCode(query.commune)) f.communeCode = query.commune
  return f
}

const FORMULA_START = /^[=+\-@\t\r]/

/** A cell value a spreadsheet will show as text: a leading `'` before anything formula-like. */
export function neutralize(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value
}

function where(tenantId: string, f: ExportFilters): SQL {
  const parts: SQL[] = [eq(partners.tenantId, tenantId), isNull(partners.mergedInto)]
  if (f.status) parts.push(eq(partners.status, f.status))
  if (f.kind) parts.push(eq(partners.kind, f.kind))
  if (f.outletId) parts.push(eq(partners.outletId, f.outletId))
  if (f.beat) parts.push(sql`${f.beat} = ANY(${partners.beats})`)
  if (f.communeCode) parts.push(sql`${f.communeCode} = ANY(${partners.communeCodes})`)
  if (f.q) {
    const like = `%${f.q.replace(/[\\%_]/g, '\\$&')}%`
    parts.push(sql`(${partners.name} ILIKE ${like} OR ${partners.email} ILIKE ${like} OR ${partners.phone} ILIKE ${like})`)
  }
  return and(...parts) as SQL
}

/** How many partners an export with these filters holds. */
export async function countExport(db: Db, tenantId: string, f: ExportFilters): Promise<number> {
  const [r] = await db.select({ n: sql<number>`count(*)::int` }).from(partners).where(where(tenantId, f))
  return r?.n ?? 0
}

const HEADER_KEYS = [
  'name',
  'kind',
  'status',
  'outlet',
  'pressCard',
  'pressCardExpires',
  'phone',
  'email',
  'beats',
  'communes',
  'accreditationEnds',
  'facebook',
  'tiktok',
  'youtube',
  'zalo',
  'otherChannel',
] as const

function day(d: string | null): string {
  if (!d) return ''
  const [y, m, dd] = d.split('-')
  return `${dd}/${m}/${y}`
}

/** The export's rows, page by page (each row as the cells of {@link HEADER_KEYS}). */
async function* exportRows(db: Db, tenantId: string, f: ExportFilters, l: Locale): AsyncGenerator<string[]> {
  let after: string | null = null
  for (;;) {
    const page = await db
      .select({ p: partners, outlet: pressOutlets.name })
      .from(partners)
      .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
      .where(after ? and(where(tenantId, f), gt(partners.id, after)) : where(tenantId, f))
      .orderBy(asc(partners.id))
      .limit(1000)
    if (page.length === 0) return
    const ids = page.map((r) => r.p.id)
    const channels = await db
      .select({ partnerId: partnerChannels.partnerId, platform: partnerChannels.platform, url: partnerChannels.url })
      .from(partnerChannels)
      .where(inArray(partnerChannels.partnerId, ids))
    for (const { p, outlet } of page) {
      const ch = (platform: string) =>
        channels
          .filter((c) => c.partnerId === p.id && c.platform === platform)
          .map((c) => c.url)
          .join(' ; ')
      yield [
        p.name,
        t(l, `partners.import.kind.${p.kind}`),
        t(l, `partners.status.${p.status}`),
        outlet ?? '',
        p.pressCardNumber ?? '',
        day(p.pressCardExpiresOn),
        p.phone ?? '',
        p.email ?? '',
        p.beats.join('; '),
        p.communeCodes.map((c) => communeByCode(c)?.name ?? c).join('; '),
        day(p.accreditationEndsOn),
        ch('facebook'),
        ch('tiktok'),
        ch('youtube'),
        ch('zalo'),
        ch('other'),
      ].map(neutralize)
    }
    after = ids[ids.length - 1] as string
  }
}

/** One CSV line (RFC 4180 quoting), CRLF-terminated as Excel writes it. */
export function csvLine(cells: string[]): string {
  return `${cells.map((c) => (/[",\r\n;\t]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')}\r\n`
}

async function write(out: Writable, chunk: string | Buffer): Promise<void> {
  if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
}

/** Writes the export to `out` and ends it; returns the number of partners written. */
export async function writePartnersExport(o: {
  db: Db
  tenantId: string
  filters: ExportFilters
  format: 'csv' | 'xlsx'
  locale: Locale
  out: Writable
}): Promise<number> {
  const header = HEADER_KEYS.map((k) => t(o.locale, `partners.import.field.${k}`))
  let n = 0
  if (o.format === 'csv') {
    await write(o.out, Buffer.from([0xef, 0xbb, 0xbf]))
    await write(o.out, csvLine(header))
    for await (const row of exportRows(o.db, o.tenantId, o.filters, o.locale)) {
      await write(o.out, csvLine(row))
      n++
    }
    o.out.end()
    return n
  }
  // Loaded on first use: every worker and web process imports this module, few ever export (~17 MB).
  const { default: ExcelJS } = await import('exceljs')
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: o.out, useStyles: true, useSharedStrings: false })
  const ws = wb.addWorksheet(t(o.locale, 'partners.import.sheetName'))
  const head = ws.addRow(header)
  head.font = { bold: true }
  head.commit()
  for await (const row of exportRows(o.db, o.tenantId, o.filters, o.locale)) {
    ws.addRow(row).commit()
    n++
  }
  ws.commit()
  await wb.commit()
  return n
}
