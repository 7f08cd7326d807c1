/**
 * Asks a partner to correct a coverage that altered the official text (Decree 09/2017/NĐ-CP
 * lets the agency that gave the information ask a press outlet to correct it). One click on an
 * altered report: the request row, a delivery to the partner (portal inbox, sent at once; and
 * an e-mail, queued for the sender, when the partner has an address), `NOTIFY
 * donghanh_distribution` (on commit) and the audit row, in one transaction. A second click on
 * the same report returns the first request (at most one per report).
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { t } from '../../../../platform/i18n/index.ts'
import { partners } from '../../../partners/partners.tables.ts'
import { distributionDeliveries } from '../../distribution.tables.ts'
import { newLinkToken } from '../../distribution.links.ts'
import type { DeliveryPayload } from '../../distribution.types.ts'
import { loadCoverageItem } from '../coverage.items.ts'
import {
  type CorrectionQuote,
  type CorrectionRequestRow,
  type CoverageChange,
  coverageCorrectionRequests,
  coverageReports,
} from '../coverage.tables.ts'

/** Longest quoted passage (each side). */
const MAX_QUOTE = 1500

/** The official and published passages of a report's changes, each with its context. */
export function quoteOf(changes: CoverageChange[], url: string): CorrectionQuote {
  const side = (pick: (c: CoverageChange) => string) =>
    changes
      .map((c) => [c.before, pick(c), c.after].filter(Boolean).join(' '))
      .join(' … ')
      .slice(0, MAX_QUOTE)
  return { official: side((c) => c.official || '—'), published: side((c) => c.published || '—'), url }
}

/** Options of {@link requestCorrection}. */
export interface RequestCorrectionOptions {
  tx: Tx
  tenantId: string
  reportId: string
  actor: AuditActor & { id: string }
  /** The office (its name and public address), the official source the message names. */
  office: { name: string; publicUrl: string }
  ip?: string | null
}

/**
 * Sends the correction request of an altered report. Refuses: an unknown report (404
 * DISTRIBUTION_NOT_FOUND), one not judged altered (409 COVERAGE_NOT_ALTERED).
 */
export async function requestCorrection(o: RequestCorrectionOptions): Promise<{ request: CorrectionRequestRow; created: boolean }> {
  const [report] = await o.tx
    .select()
    .from(coverageReports)
    .where(and(eq(coverageReports.tenantId, o.tenantId), eq(coverageReports.id, o.reportId)))
    .for('update')
  if (!report) throw new AppError('DISTRIBUTION_NOT_FOUND')
  const [existing] = await o.tx.select().from(coverageCorrectionRequests).where(eq(coverageCorrectionRequests.coverageId, report.id))
  if (existing) return { request: existing, created: false }
  if (report.state !== 'captured' || report.verdict !== 'altered') throw new AppError('COVERAGE_NOT_ALTERED')
  const [partner] = await o.tx.select().from(partners).where(eq(partners.id, report.partnerId))
  if (!partner) throw new AppError('DISTRIBUTION_NOT_FOUND')
  const item = await loadCoverageItem(o.tx, o.tenantId, report.itemType, report.itemId)
  const quote = quoteOf(report.changes, report.url)
  const params = { office: o.office.name, title: item?.title ?? '', url: report.url, official: quote.official, published: quote.published }
  // The partner's language is not known: the request says it in both.
  const message = `${t('vi', 'dist.coverage.request.message', params)}\n\n———\n\n${t('en', 'dist.coverage.request.message', params)}`
  const payload: DeliveryPayload = {
    event: 'coverage.correction_request',
    itemType: report.itemType,
    itemId: report.itemId,
    title: `${t('vi', 'dist.coverage.request.subject')} / ${t('en', 'dist.coverage.request.subject')}: ${item?.title ?? ''}`.slice(0, 300),
    summary: message,
    body: message,
    edition: report.editionNumber ?? undefined,
    source: { name: o.office.name, url: o.office.publicUrl },
    quote,
  }
  const at = now()
  const base = {
    tenantId: o.tenantId,
    itemType: report.itemType,
    itemId: report.itemId,
    kind: 'correction_request' as const,
    recipientType: 'partner' as const,
    partnerId: partner.id,
    payload,
  }
  const [portal] = await o.tx
    .insert(distributionDeliveries)
    .values({ ...base, channel: 'portal', state: 'sent', sentAt: at, linkToken: newLinkToken() })
    .returning({ id: distributionDeliveries.id })
  if (!portal) throw new Error('delivery not written')
  const email = partner.email && !partner.erasedAt ? partner.email : null
  if (email)
    await o.tx
      .insert(distributionDeliveries)
      .values({ ...base, channel: 'email', state: 'queued', address: email, nextAttemptAt: at, linkToken: newLinkToken() })
  const [request] = await o.tx
    .insert(coverageCorrectionRequests)
    .values({
      tenantId: o.tenantId,
      coverageId: report.id,
      partnerId: partner.id,
      sentBy: o.actor.id,
      message,
      quote,
      deliveryId: portal.id,
      createdAt: at,
    })
    .returning()
  if (!request) throw new Error('correction request not written')
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'coverage.correction_requested',
    subjectType: 'coverage',
    subjectId: report.id,
    summary: { partnerId: partner.id, url: report.url, quote, deliveryId: portal.id, email: email !== null },
    ip: o.ip ?? null,
  })
  // The sender and the item's live progress wake up on commit.
  await o.tx.execute(sql`SELECT pg_notify('donghanh_distribution', '')`)
  return { request, created: true }
}
