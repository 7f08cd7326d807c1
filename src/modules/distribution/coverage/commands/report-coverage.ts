/**
 * Records a coverage report (the partner's own, from the portal or the API, or one found by
 * staff) and enqueues its capture in the same transaction. The URL is checked here (http or
 * https, at most 2,048 characters, no credentials); whether its address may be fetched is the
 * capture's question (it resolves the name when it fetches). The same URL for the same item
 * and partner returns the existing report: no second row, no second audit entry.
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { enqueue } from '../../../../platform/jobs/index.ts'
import { loadCoverageItem, partnerReceived } from '../coverage.items.ts'
import { type CoverageItemType, type CoverageRow, coverageReports } from '../coverage.tables.ts'

/** Longest URL accepted. */
export const MAX_COVERAGE_URL = 2048
/** The capture job's name. */
export const COVERAGE_CAPTURE_JOB = 'distribution.coverage-capture'

/**
 * The URL as stored: parsed, http(s) only, without credentials or fragment. Throws 400
 * COVERAGE_INVALID with the reason (`empty`, `long`, `malformed`, `scheme`, `credentials`).
 */
export function normalizeCoverageUrl(raw: string): string {
  const s = raw.normalize('NFC').trim()
  if (!s) throw new AppError('COVERAGE_INVALID', { reason: 'empty', max: MAX_COVERAGE_URL })
  if (s.length > MAX_COVERAGE_URL) throw new AppError('COVERAGE_INVALID', { reason: 'long', max: MAX_COVERAGE_URL })
  let u: URL
  try {
    u = new URL(s)
  } catch {
    throw new AppError('COVERAGE_INVALID', { reason: 'malformed', max: MAX_COVERAGE_URL })
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new AppError('COVERAGE_INVALID', { reason: 'scheme', max: MAX_COVERAGE_URL })
  if (u.username || u.password) throw new AppError('COVERAGE_INVALID', { reason: 'credentials', max: MAX_COVERAGE_URL })
  // A fragment names a place in the same page: the same article.
  u.hash = ''
  const out = u.toString()
  if (out.length > MAX_COVERAGE_URL) throw new AppError('COVERAGE_INVALID', { reason: 'long', max: MAX_COVERAGE_URL })
  return out
}

/** Options of {@link reportCoverage}. */
export interface ReportCoverageOptions {
  tx: Tx
  tenantId: string
  itemType: CoverageItemType
  itemId: string
  /** The partner whose coverage it is. */
  partnerId: string
  url: string
  /** Who reports: the partner themselves (must have received the item) or staff. */
  by: { kind: 'partner' | 'staff'; actor: AuditActor & { id: string } }
  ip?: string | null
}

/**
 * Creates the report (state `pending`) and its capture job, or returns the existing one for the
 * same item, partner and URL. Refuses (nothing written): a bad URL (400 COVERAGE_INVALID), an
 * unknown or withdrawn item (404 DISTRIBUTION_NOT_FOUND), an item still under embargo (409
 * COVERAGE_EMBARGOED), and for a partner an item never sent to them (403 COVERAGE_NOT_RECEIVED).
 */
export async function reportCoverage(o: ReportCoverageOptions): Promise<{ report: CoverageRow; created: boolean }> {
  const url = normalizeCoverageUrl(o.url)
  const item = await loadCoverageItem(o.tx, o.tenantId, o.itemType, o.itemId)
  if (!item || item.standing === 'unavailable') throw new AppError('DISTRIBUTION_NOT_FOUND')
  if (o.by.kind === 'partner' && !(await partnerReceived(o.tx, o.partnerId, o.itemType, o.itemId)))
    throw new AppError('COVERAGE_NOT_RECEIVED')
  if (item.standing === 'embargoed') throw new AppError('COVERAGE_EMBARGOED')
  const [created] = await o.tx
    .insert(coverageReports)
    .values({
      tenantId: o.tenantId,
      itemType: o.itemType,
      itemId: o.itemId,
      partnerId: o.partnerId,
      url,
      reportedBy: o.by.kind,
      reportedByUser: o.by.actor.id,
    })
    .onConflictDoNothing()
    .returning()
  if (!created) {
    const [existing] = await o.tx
      .select()
      .from(coverageReports)
      .where(
        and(
          eq(coverageReports.tenantId, o.tenantId),
          eq(coverageReports.itemType, o.itemType),
          eq(coverageReports.itemId, o.itemId),
          eq(coverageReports.partnerId, o.partnerId),
          eq(coverageReports.url, url),
        ),
      )
    if (!existing) throw new Error('coverage report vanished after a conflict')
    return { report: existing, created: false }
  }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.by.actor,
    action: 'coverage.reported',
    subjectType: 'coverage',
    subjectId: created.id,
    summary: { itemType: o.itemType, itemId: o.itemId, partnerId: o.partnerId, host: hostOf(url), by: o.by.kind },
    ip: o.ip ?? null,
  })
  await enqueue(o.tx, COVERAGE_CAPTURE_JOB, { reportId: created.id })
  return { report: created, created: true }
}

/**
 * The site of a reported page: what the append-only audit keeps of its address (the full URL,
 * which may name the partner's own channel, lives in the report and goes with an erasure).
 */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return '?'
  }
}
