/**
 * Reads of coverage: a partner's own reports and correction requests (always with the partner's
 * id in the where-clause, so another partner's id is "not found"), an item's coverage, the
 * overview and a partner's accuracy by month. Accuracy = share of faithful or excerpt among the
 * reports judged faithful, excerpt or altered (a page in the outlet's own words is not counted).
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { LOCAL_ZONE } from '../../../platform/time.ts'
import { partners } from '../../partners/partners.tables.ts'
import {
  type CorrectionRequestRow,
  type CoverageItemType,
  type CoverageRow,
  type CoverageVerdict,
  coverageCorrectionRequests,
  coverageReports,
} from './coverage.tables.ts'

/** SQL: the title of a report's item (a release's current edition, a verdict's published headline). */
const itemTitle: SQL<string | null> = sql<string | null>`coalesce(
  (SELECT e.title FROM releases r JOIN release_editions e ON e.id = coalesce(r.published_edition_id, r.working_edition_id)
     WHERE ${coverageReports.itemType} = 'release' AND r.id = ${coverageReports.itemId}),
  (SELECT v.headline FROM claims c JOIN verdicts v ON v.id = c.published_verdict_id
     WHERE ${coverageReports.itemType} = 'verdict' AND c.id = ${coverageReports.itemId}))`

/** A report with its item's title, its partner's name and its correction request (if any). */
export interface ListedReport {
  report: CoverageRow
  itemTitle: string | null
  partnerName: string
  requestedAt: Date | null
}

const listed = {
  report: coverageReports,
  itemTitle,
  partnerName: partners.name,
  requestedAt: coverageCorrectionRequests.createdAt,
}

function baseQuery(db: Db) {
  return db
    .select(listed)
    .from(coverageReports)
    .innerJoin(partners, eq(partners.id, coverageReports.partnerId))
    .leftJoin(coverageCorrectionRequests, eq(coverageCorrectionRequests.coverageId, coverageReports.id))
}

/** The partner's own reports, newest first. */
export function listPartnerReports(db: Db, tenantId: string, partnerId: string, limit = 200): Promise<ListedReport[]> {
  return baseQuery(db)
    .where(and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.partnerId, partnerId)))
    .orderBy(desc(coverageReports.createdAt))
    .limit(limit)
}

/** One of the partner's own reports; null for any other id (another partner's included). */
export async function getPartnerReport(db: Db, tenantId: string, partnerId: string, id: string): Promise<ListedReport | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  const [row] = await baseQuery(db).where(
    and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.partnerId, partnerId), eq(coverageReports.id, id)),
  )
  return row ?? null
}

/** Correction requests sent to the partner, newest first. */
export function listPartnerRequests(db: Db, tenantId: string, partnerId: string): Promise<CorrectionRequestRow[]> {
  return db
    .select()
    .from(coverageCorrectionRequests)
    .where(and(eq(coverageCorrectionRequests.tenantId, tenantId), eq(coverageCorrectionRequests.partnerId, partnerId)))
    .orderBy(desc(coverageCorrectionRequests.createdAt))
    .limit(200)
}

/** Every report of an item, newest first (staff). */
export function listItemReports(db: Db, tenantId: string, type: CoverageItemType, id: string): Promise<ListedReport[]> {
  return baseQuery(db)
    .where(and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.itemType, type), eq(coverageReports.itemId, id)))
    .orderBy(desc(coverageReports.createdAt))
    .limit(1000)
}

/** One report (staff), or null. */
export async function getReport(db: Db, tenantId: string, id: string): Promise<ListedReport | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  const [row] = await baseQuery(db).where(and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.id, id)))
  return row ?? null
}

/** Counts by outcome: pending, failed, and each verdict. */
export type OutcomeCounts = Record<CoverageVerdict | 'pending' | 'failed', number>

/** A partner's accuracy: judged reports and the share faithful or excerpt. */
export interface Accuracy {
  partnerId: string
  partnerName: string
  judged: number
  accurate: number
  altered: number
  /** accurate / judged, or null with nothing judged. */
  share: number | null
}

const judgedSql = sql<number>`count(*) FILTER (WHERE ${coverageReports.verdict} IN ('faithful', 'excerpt', 'altered'))::int`
const accurateSql = sql<number>`count(*) FILTER (WHERE ${coverageReports.verdict} IN ('faithful', 'excerpt'))::int`
const alteredSql = sql<number>`count(*) FILTER (WHERE ${coverageReports.verdict} = 'altered')::int`

function accuracyOf(r: { partnerId: string; partnerName: string; judged: number; accurate: number; altered: number }): Accuracy {
  return { ...r, share: r.judged > 0 ? r.accurate / r.judged : null }
}

/** The staff overview: latest reports, counts by outcome, partners by accuracy (least accurate first). */
export async function coverageOverview(db: Db, tenantId: string) {
  const latest = await baseQuery(db).where(eq(coverageReports.tenantId, tenantId)).orderBy(desc(coverageReports.createdAt)).limit(50)
  const countRows = await db
    .select({ outcome: sql<string>`coalesce(${coverageReports.verdict}, ${coverageReports.state})`, n: sql<number>`count(*)::int` })
    .from(coverageReports)
    .where(eq(coverageReports.tenantId, tenantId))
    .groupBy(sql`1`)
  const counts: OutcomeCounts = { pending: 0, failed: 0, faithful: 0, excerpt: 0, altered: 0, unrelated: 0 }
  for (const r of countRows) if (r.outcome in counts) counts[r.outcome as keyof OutcomeCounts] = r.n
  const byPartner = await db
    .select({ partnerId: partners.id, partnerName: partners.name, judged: judgedSql, accurate: accurateSql, altered: alteredSql })
    .from(coverageReports)
    .innerJoin(partners, eq(partners.id, coverageReports.partnerId))
    .where(eq(coverageReports.tenantId, tenantId))
    .groupBy(partners.id, partners.name)
    .orderBy(sql`${accurateSql}::float / nullif(${judgedSql}, 0) ASC NULLS LAST`, partners.name)
    .limit(200)
  return { latest, counts, partners: byPartner.map(accuracyOf) }
}

/** One month of a partner's accuracy (local month, YYYY-MM). */
export interface MonthAccuracy {
  month: string
  judged: number
  accurate: number
  share: number | null
}

/** A partner's accuracy overall and by local month (oldest first), and their reports. */
export async function partnerAccuracy(db: Db, tenantId: string, partnerId: string) {
  const [partner] = await db
    .select({ id: partners.id, name: partners.name, kind: partners.kind, status: partners.status })
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), eq(partners.id, partnerId)))
  if (!partner) return null
  const month = sql<string>`to_char(${coverageReports.createdAt} AT TIME ZONE ${LOCAL_ZONE}, 'YYYY-MM')`
  const months = await db
    .select({ month, judged: judgedSql, accurate: accurateSql })
    .from(coverageReports)
    .where(and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.partnerId, partnerId)))
    .groupBy(sql`1`)
    .orderBy(sql`1`)
  const [all] = await db
    .select({ judged: judgedSql, accurate: accurateSql, altered: alteredSql })
    .from(coverageReports)
    .where(and(eq(coverageReports.tenantId, tenantId), eq(coverageReports.partnerId, partnerId)))
  const overall = accuracyOf({
    partnerId,
    partnerName: partner.name,
    judged: all?.judged ?? 0,
    accurate: all?.accurate ?? 0,
    altered: all?.altered ?? 0,
  })
  const reports = await listPartnerReports(db, tenantId, partnerId, 500)
  return {
    partner,
    overall,
    months: months.map((m) => ({ ...m, share: m.judged > 0 ? m.accurate / m.judged : null }) satisfies MonthAccuracy),
    reports,
  }
}
