/**
 * What distribution keeps about a partner, registered with the registry (partners.extensions.ts),
 * so the registry's decisions reach these rows in its own transaction:
 * - revocation (`endAccess`): the partner's endpoints are switched off ("partner revoked") and
 *   what is still waiting for them (queued, or failed and open to a staff retry) is cancelled.
 *   A message being handed over right now finishes; the kill notice of a later withdrawal still
 *   reaches their portal inbox and mailbox, because they hold the material.
 * - erasure under Law 91/2025 (`erase`): addresses and error texts of their deliveries blanked,
 *   the messages written about them (correction requests, endpoint notices) reduced to a neutral
 *   line; endpoints deleted (URL replaced, secrets spent, their attempts' error texts dropped);
 *   opt-outs, preferences and static-list memberships deleted. Coverage keeps what the office's
 *   record and the accuracy figures need — item, dates, verdict, clickbait score, the kind and
 *   the official side of each change — and drops what points at the person: the URL (a
 *   placeholder unique per report), the final URL, headline, captured text, diff, the published
 *   side of each change, and the URL and published quote of correction requests (their message
 *   becomes the neutral line). A capture still pending ends as failed, so a job in flight
 *   cannot write the page back.
 * - the registry page (`activity`): two blocks, the latest deliveries (one line per message,
 *   its channels with their states) and the coverage with the accuracy figure.
 * A revocation writes one `distribution.partner_access_ended` row (endpoint ids and counts); an
 * erasure returns its counts to the registry's `partner.data_erased` row. No personal value is
 * audited.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import type { Tx } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { formatTime } from '../../platform/html/layout.tsx'
import { t } from '../../platform/i18n/index.ts'
import { can } from '../../platform/policy/index.ts'
import { caseHiddenFromSql } from '../cases/cases.policy.ts'
import { registerPartnerDataHolder } from '../partners/partners.extensions.ts'
import { listPartnerReports } from './coverage/coverage.queries.ts'
import { coverageCorrectionRequests, coverageReports } from './coverage/coverage.tables.ts'
import {
  distributionAttempts,
  distributionDeliveries,
  distributionDigests,
  distributionListMembers,
  distributionOptOuts,
  distributionPreferences,
  distributionWebhooks,
} from './distribution.tables.ts'
import type { DeliveryChannel, DeliveryKind, DeliveryState } from './distribution.types.ts'
import { newWebhookSecret } from './webhooks/webhooks.ts'

/** The URL an erased endpoint keeps (the column is required; hostOf() still reads it). */
export const ERASED_WEBHOOK_URL = 'https://erased.invalid/'

/** "vi / en", as stored reasons are (the console and the portal show them as they are). */
const bilingual = (key: string) => `${t('vi', key)} / ${t('en', key)}`

/** Deliveries still waiting: queued, or failed and open to the staff's "retry all failed". */
const PENDING: DeliveryState[] = ['queued', 'failed']

/** Cancels what still waits for these partners; returns how many. */
async function cancelPending(tx: Tx, tenantId: string, partnerIds: string[], why: string): Promise<number> {
  const rows = await tx
    .update(distributionDeliveries)
    .set({ state: 'cancelled', lastError: why, claimedBy: null, leaseUntil: null })
    .where(
      and(
        eq(distributionDeliveries.tenantId, tenantId),
        inArray(distributionDeliveries.partnerId, partnerIds),
        inArray(distributionDeliveries.state, PENDING),
      ),
    )
    .returning({ id: distributionDeliveries.id })
  return rows.length
}

/**
 * Switches off every live endpoint of the partner ("partner revoked") and cancels what still
 * waits for them, in `tx`. Writes one `distribution.partner_access_ended` row (ids and counts,
 * no address) unless `audit` is false (the erasure's own row carries the counts).
 */
export async function endDistributionAccess(o: {
  tx: Tx
  tenantId: string
  partnerId: string
  actor: AuditActor
  ip?: string
  audit: boolean
}): Promise<Record<string, number>> {
  const { tx, tenantId, partnerId } = o
  const at = now()
  const hooks = await tx
    .update(distributionWebhooks)
    .set({ state: 'disabled', disabledReason: bilingual('dist.holder.revokedReason'), disabledAt: at, updatedAt: at })
    .where(
      and(
        eq(distributionWebhooks.tenantId, tenantId),
        eq(distributionWebhooks.partnerId, partnerId),
        eq(distributionWebhooks.state, 'active'),
        sql`${distributionWebhooks.deletedAt} IS NULL`,
      ),
    )
    .returning({ id: distributionWebhooks.id })
  const cancelled = await cancelPending(tx, tenantId, [partnerId], 'partner revoked')
  const counts = { webhooksDisabled: hooks.length, deliveriesCancelled: cancelled }
  if (o.audit)
    await recordAudit(tx, {
      tenantId,
      actor: o.actor,
      action: 'distribution.partner_access_ended',
      subjectType: 'partner',
      subjectId: partnerId,
      summary: { ...counts, webhookIds: hooks.map((h) => h.id) },
      ip: o.ip,
    })
  return counts
}

/** Erases what distribution keeps about these partner records (see the file's comment), in `tx`. */
export async function eraseDistributionData(tx: Tx, tenantId: string, partnerIds: string[]): Promise<Record<string, number>> {
  if (partnerIds.length === 0) return {}
  const at = now()
  const erased = bilingual('dist.holder.erased')
  const cancelled = await cancelPending(tx, tenantId, partnerIds, 'partner data erased')
  const mine = and(eq(distributionDeliveries.tenantId, tenantId), inArray(distributionDeliveries.partnerId, partnerIds))
  const deliveries = await tx
    .update(distributionDeliveries)
    .set({ address: null, lastError: null })
    .where(mine)
    .returning({ id: distributionDeliveries.id })
  // Messages written about the partner (not the office's items, whose text is public anyway).
  await tx
    .update(distributionDeliveries)
    .set({
      payload: sql`(${distributionDeliveries.payload} - 'quote' - 'body' - 'reason') || jsonb_build_object('summary', ${erased}::text)`,
    })
    .where(and(mine, inArray(distributionDeliveries.kind, ['correction_request', 'notice', 'test'] satisfies DeliveryKind[])))
  await tx
    .update(distributionDigests)
    .set({ lastError: null })
    .where(and(eq(distributionDigests.tenantId, tenantId), inArray(distributionDigests.partnerId, partnerIds)))

  const hooks = await tx
    .update(distributionWebhooks)
    .set({
      url: ERASED_WEBHOOK_URL,
      secret: `deleted:${newWebhookSecret()}`,
      previousSecret: null,
      previousSecretUntil: null,
      state: 'disabled',
      disabledReason: erased,
      disabledAt: sql`coalesce(${distributionWebhooks.disabledAt}, ${at.toISOString()}::timestamptz)`,
      deletedAt: sql`coalesce(${distributionWebhooks.deletedAt}, ${at.toISOString()}::timestamptz)`,
      updatedAt: at,
    })
    .where(and(eq(distributionWebhooks.tenantId, tenantId), inArray(distributionWebhooks.partnerId, partnerIds)))
    .returning({ id: distributionWebhooks.id })
  if (hooks.length > 0)
    await tx
      .update(distributionAttempts)
      .set({ error: null })
      .where(
        inArray(
          distributionAttempts.webhookId,
          hooks.map((h) => h.id),
        ),
      )

  const optOuts = await tx
    .delete(distributionOptOuts)
    .where(and(eq(distributionOptOuts.tenantId, tenantId), inArray(distributionOptOuts.partnerId, partnerIds)))
    .returning({ id: distributionOptOuts.listId })
  const prefs = await tx
    .delete(distributionPreferences)
    .where(and(eq(distributionPreferences.tenantId, tenantId), inArray(distributionPreferences.partnerId, partnerIds)))
    .returning({ id: distributionPreferences.partnerId })
  const members = await tx
    .delete(distributionListMembers)
    .where(and(eq(distributionListMembers.tenantId, tenantId), inArray(distributionListMembers.partnerId, partnerIds)))
    .returning({ id: distributionListMembers.listId })

  const reports = await tx
    .update(coverageReports)
    .set({
      // A capture still pending ends here as failed: a capture job in flight writes its result
      // only where the report is still pending, so it cannot put the page's text back.
      state: sql`CASE WHEN ${coverageReports.state} = 'pending' THEN 'failed' ELSE ${coverageReports.state} END`,
      failureReason: sql`CASE WHEN ${coverageReports.state} = 'pending' THEN 'unreachable' ELSE ${coverageReports.failureReason} END`,
      // Unique per (item, partner, url): a placeholder per report keeps them apart.
      url: sql`'erased:' || ${coverageReports.id}::text`,
      finalUrl: null,
      headline: null,
      text: null,
      diff: null,
      failureDetail: null,
      changes: sql`coalesce((SELECT jsonb_agg(jsonb_build_object('kind', c->'kind', 'official', c->'official', 'published', '', 'before', '', 'after', ''))
        FROM jsonb_array_elements(${coverageReports.changes}) c), '[]'::jsonb)`,
    })
    .where(and(eq(coverageReports.tenantId, tenantId), inArray(coverageReports.partnerId, partnerIds)))
    .returning({ id: coverageReports.id })
  const requests = await tx
    .update(coverageCorrectionRequests)
    .set({
      message: erased,
      quote: sql`jsonb_build_object('official', ${coverageCorrectionRequests.quote}->'official', 'published', '', 'url', '')`,
    })
    .where(and(eq(coverageCorrectionRequests.tenantId, tenantId), inArray(coverageCorrectionRequests.partnerId, partnerIds)))
    .returning({ id: coverageCorrectionRequests.id })

  return {
    deliveriesErased: deliveries.length,
    deliveriesCancelled: cancelled,
    webhooksErased: hooks.length,
    optOuts: optOuts.length,
    preferences: prefs.length,
    listMemberships: members.length,
    coverageErased: reports.length,
    correctionRequestsErased: requests.length,
  }
}

/** One message to the partner on the registry page: its channels and their states. */
interface MessageRow extends Record<string, unknown> {
  item_type: string
  item_id: string | null
  kind: DeliveryKind
  title: string
  at: Date | string
  hidden: boolean
  channels: { channel: DeliveryChannel; state: DeliveryState }[]
}

registerPartnerDataHolder({
  name: 'distribution',
  order: 30,
  endAccess: async ({ tx, tenantId, partnerId, actor, ip, audit }) => endDistributionAccess({ tx, tenantId, partnerId, actor, ip, audit }),
  erase: async ({ tx, tenantId, partnerIds }) => eraseDistributionData(tx, tenantId, partnerIds),
  activity: async ({ db, actor, partnerId, limit, locale: l }) => {
    const all = { href: '/console/phan-phoi', text: t(l, 'dist.holder.allDeliveries') }
    if (!can(actor, 'read', 'distribution'))
      return {
        key: 'distribution',
        title: t(l, 'dist.holder.deliveries'),
        count: 0,
        items: [],
        emptyText: t(l, 'dist.holder.noRight'),
        all,
      }
    // One line per message (a decision reaches a partner on several channels: one row each).
    const { rows } = await db.execute<MessageRow>(sql`
      SELECT d.item_type, d.item_id, d.kind, min(d.payload->>'title') AS title, max(d.created_at) AS at,
             bool_or(coalesce(${caseHiddenFromSql(actor, sql`r.case_id`)}, false)) AS hidden,
             json_agg(json_build_object('channel', d.channel, 'state', d.state) ORDER BY d.channel, d.created_at) AS channels
        FROM distribution_deliveries d
        LEFT JOIN releases r ON d.item_type = 'release' AND r.id = d.item_id
       WHERE d.tenant_id = ${actor.tenantId} AND d.partner_id = ${partnerId}
       GROUP BY coalesce(d.event_id::text, d.id::text), d.item_type, d.item_id, d.kind
       ORDER BY max(d.created_at) DESC
       LIMIT ${limit}`)
    const { rows: counted } = await db.execute<{ n: number }>(sql`
      SELECT count(DISTINCT coalesce(event_id::text, id::text))::int AS n
        FROM distribution_deliveries WHERE tenant_id = ${actor.tenantId} AND partner_id = ${partnerId}`)
    return {
      key: 'distribution',
      title: t(l, 'dist.holder.deliveries'),
      count: counted[0]?.n ?? 0,
      items: rows.map((r) => ({
        href:
          !r.hidden && r.item_id && (r.item_type === 'release' || r.item_type === 'verdict')
            ? `/console/phan-phoi/muc/${r.item_type}/${r.item_id}`
            : undefined,
        text: r.hidden ? t(l, 'partners.console.sealedRelease') : `${t(l, `dist.console.kind.${r.kind}`)} · ${r.title}`,
        masked: r.hidden,
        meta: [
          ...r.channels.map((c) => `${t(l, `dist.console.channel.${c.channel}`)}: ${t(l, `dist.console.state.${c.state}`)}`),
          formatTime(new Date(r.at), l),
        ].join(' · '),
      })),
      emptyText: t(l, 'dist.holder.noDeliveries'),
      all,
    }
  },
})

registerPartnerDataHolder({
  name: 'distribution-coverage',
  order: 31,
  activity: async ({ db, actor, partnerId, limit, locale: l }) => {
    const all = { href: `/console/phan-phoi/dua-tin/doi-tac/${partnerId}`, text: t(l, 'dist.holder.allCoverage') }
    if (!can(actor, 'read', 'coverage'))
      return { key: 'coverage', title: t(l, 'dist.holder.coverage'), count: 0, items: [], emptyText: t(l, 'dist.holder.noRight'), all }
    const [latest, [figures]] = await Promise.all([
      listPartnerReports(db, actor.tenantId, partnerId, limit),
      // The accuracy as coverage.queries.ts defines it: faithful or excerpt among those judged.
      db
        .select({
          n: sql<number>`count(*)::int`,
          judged: sql<number>`count(*) FILTER (WHERE ${coverageReports.verdict} IN ('faithful', 'excerpt', 'altered'))::int`,
          accurate: sql<number>`count(*) FILTER (WHERE ${coverageReports.verdict} IN ('faithful', 'excerpt'))::int`,
        })
        .from(coverageReports)
        .where(and(eq(coverageReports.tenantId, actor.tenantId), eq(coverageReports.partnerId, partnerId))),
    ])
    const judged = figures?.judged ?? 0
    const accurate = figures?.accurate ?? 0
    return {
      key: 'coverage',
      title:
        judged > 0
          ? t(l, 'dist.holder.coverageAccuracy', { pct: Math.round((accurate / judged) * 100), accurate, judged })
          : t(l, 'dist.holder.coverage'),
      count: figures?.n ?? 0,
      items: latest.map(({ report: r, itemTitle }) => ({
        href: `/console/phan-phoi/muc/${r.itemType}/${r.itemId}`,
        text: `${r.verdict ? t(l, `dist.coverage.verdict.${r.verdict}`) : t(l, `dist.coverage.state.${r.state}`)} · ${itemTitle ?? '—'}`,
        meta: `${hostOf(r.url)} · ${formatTime(r.createdAt, l)}`,
      })),
      emptyText: t(l, 'dist.holder.noCoverage'),
      all,
    }
  },
})

/** The host of a reported URL (an erased report has none). */
function hostOf(url: string): string {
  try {
    return new URL(url).host || '—'
  } catch {
    return '—'
  }
}
