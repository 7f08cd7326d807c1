/**
 * The partners' fan-out: for each decision on a release or verdict, one delivery row per
 * partner and channel, written in the event's delivery transaction (the domain-event
 * machinery runs a subscriber once per event; the unique index `distribution_deliveries_once`
 * makes a second run write nothing even if it ran). The sender service sends the rows; this
 * file only decides who gets what.
 *
 * - release.embargoed → `embargo` to the item's lists' recipients (accredited partners only,
 *   checked again row by row in the INSERT), if the release is still embargoed and not in a
 *   sealed case when the subscriber runs.
 * - release.published / verdict.published → `publish` to the lists' recipients, if public now.
 * - release.corrected / verdict.published (correction) → `correction` with the change note to
 *   everyone who received the item and to the lists' current recipients (union).
 * - release.withdrawn / gone / unscheduled (was embargoed) → `kill` ("KHÔNG SỬ DỤNG / DO NOT
 *   USE", with the reason, never the text) to every partner who received any part of the item,
 *   on the channels it reached them by; every still-queued (or failed) partner delivery of the
 *   item is cancelled first, so old content does not leave after the kill.
 *
 * Releases and verdicts are planned here (`planOf`); any item (warnings, from their own module)
 * then goes through the same `fanOutItem`: one implementation of lists → rows → deliveries.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { DomainEvent, DomainEventRegistry } from '../../../platform/domain-events/index.ts'
import { t } from '../../../platform/i18n/index.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import { claims, verdicts } from '../../factcheck/factcheck.tables.ts'
import { LABELS } from '../../factcheck/labels.ts'
import { verdictPath } from '../../factcheck/public/outputs.ts'
import { releasePath } from '../../newsroom/newsroom.paths.ts'
import { stripMarkdown } from '../../releases/markdown-text.ts'
import { releaseAttachments, releaseEditions, releases } from '../../releases/releases.tables.ts'
import { DISTRIBUTION_CHANNEL } from '../delivery/render.ts'
import { newLinkToken } from '../distribution.links.ts'
import type { DeliveryChannel, DeliveryKind, DeliveryPayload, PayloadFile } from '../distribution.types.ts'
import { type Recipient, resolveRecipients } from '../lists/recipients.ts'
import { type TargetItemType, targetListIds } from '../lists/targets.queries.ts'

/** Events the partners' fan-out handles. */
export const FANOUT_EVENTS = [
  'release.embargoed',
  'release.published',
  'release.corrected',
  'release.withdrawn',
  'release.gone',
  'release.unscheduled',
  'verdict.published',
] as const

const SYSTEM = { id: null, label: 'system:distribution-fanout' }

/** Delivery states in which a message reached the partner (or is being handed over now). */
const REACHED = ['sending', 'sent', 'opened', 'downloaded'] as const
/** Kinds that carried the item's content (a kill notice follows any of them). */
const CONTENT_KINDS = ['embargo', 'publish', 'correction'] as const

/** What one run did (the audit row's summary, and the caller's return). */
export interface FanoutResult {
  kind?: DeliveryKind
  itemType: TargetItemType
  itemId: string
  /** Why nothing was sent, when nothing was. */
  skipped?: 'sealed_case' | 'not_embargoed' | 'not_public' | 'not_found' | 'scheduled' | 'superseded'
  recipients: number
  excluded: number
  written: Partial<Record<DeliveryChannel, number>>
  cancelled: number
}

type P<K extends keyof DomainEventRegistry> = DomainEventRegistry[K]

/** One row to write: a partner on a channel (and endpoint), at an address. */
export interface Row {
  partnerId: string
  channel: DeliveryChannel
  webhookId: string | null
  address: string | null
}

/** The rows of recipients on their channels: portal always, e-mail or digest by preference, each active webhook. */
function rowsOf(recipients: readonly Recipient[]): Row[] {
  const out: Row[] = []
  for (const r of recipients) {
    out.push({ partnerId: r.partnerId, channel: 'portal', webhookId: null, address: null })
    if (r.email && r.emailMode !== 'off') {
      out.push({ partnerId: r.partnerId, channel: r.emailMode === 'digest' ? 'digest' : 'email', webhookId: null, address: r.email })
    }
    for (const w of r.webhooks) out.push({ partnerId: r.partnerId, channel: 'webhook', webhookId: w.id, address: w.url })
  }
  return out
}

/**
 * Writes the rows in one statement (`INSERT … SELECT FROM unnest`), skipping any already
 * written for the event. Portal rows are `sent` at once: the inbox row is the effect. An
 * embargo row is written only for a partner accredited, live and not erased at this moment —
 * the same rule as the recipients', asked again where the row is made, so no path to an
 * embargo row can skip it. Returns the rows written per channel.
 */
export async function insertPartnerDeliveries(
  tx: Tx,
  o: {
    tenantId: string
    eventId: number
    itemType: TargetItemType
    itemId: string
    kind: DeliveryKind
    payload: DeliveryPayload
    rows: Row[]
  },
): Promise<Partial<Record<DeliveryChannel, number>>> {
  if (o.rows.length === 0) return {}
  const at = now()
  const partnerIds: string[] = []
  const channels: string[] = []
  const webhookIds: (string | null)[] = []
  const addresses: (string | null)[] = []
  const tokens: string[] = []
  for (const r of o.rows) {
    partnerIds.push(r.partnerId)
    channels.push(r.channel)
    webhookIds.push(r.webhookId)
    addresses.push(r.address)
    tokens.push(newLinkToken())
  }
  const res = await tx.execute<{ channel: DeliveryChannel; n: number }>(sql`
    WITH ins AS (
      INSERT INTO distribution_deliveries
        (tenant_id, event_id, item_type, item_id, kind, recipient_type, partner_id, channel, webhook_id, address,
         state, sent_at, next_attempt_at, link_token, payload)
      SELECT ${o.tenantId}, ${o.eventId}, ${o.itemType}, ${o.itemId}, ${o.kind}, 'partner', x.partner_id, x.channel, x.webhook_id, x.address,
        CASE WHEN x.channel = 'portal' THEN 'sent' ELSE 'queued' END,
        CASE WHEN x.channel = 'portal' THEN ${at}::timestamptz END,
        ${at}::timestamptz, x.token, ${JSON.stringify(o.payload)}::jsonb
      FROM unnest(${sql.param(partnerIds)}::uuid[], ${sql.param(channels)}::text[], ${sql.param(webhookIds)}::uuid[],
                  ${sql.param(addresses)}::text[], ${sql.param(tokens)}::text[])
        AS x(partner_id, channel, webhook_id, address, token)
      JOIN partners p ON p.id = x.partner_id AND p.tenant_id = ${o.tenantId}
      WHERE ${o.kind} <> 'embargo'
         OR (p.status = 'accredited' AND p.merged_into IS NULL AND p.erased_at IS NULL
             AND coalesce(LEAST(p.press_card_expires_on, p.accreditation_ends_on) >= ${localDayOf(at)}::date, true))
      ON CONFLICT (event_id, recipient_type, coalesce(partner_id, subscriber_id), channel,
                   coalesce(webhook_id, '00000000-0000-0000-0000-000000000000'::uuid))
        WHERE event_id IS NOT NULL
      DO NOTHING
      RETURNING channel
    )
    SELECT channel, count(*)::int AS n FROM ins GROUP BY channel
  `)
  const out: Partial<Record<DeliveryChannel, number>> = {}
  for (const r of res.rows) out[r.channel] = r.n
  return out
}

/** The local (Asia/Ho_Chi_Minh) day of `at`, as the registry's end days are written. */
function localDayOf(at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at)
}

/**
 * Partners who received any content of the item (a reached delivery of kind embargo, publish
 * or correction), with their channels as they are now: the correction goes to them whatever
 * their status today (the corrected text is public; they hold the old one). Merged and erased
 * records are left out (a merged record's deliveries belong to its survivor's history).
 */
async function priorRecipients(tx: Tx, tenantId: string, itemType: TargetItemType, itemId: string): Promise<Recipient[]> {
  const res = await tx.execute<{
    partner_id: string
    name: string
    kind: 'journalist' | 'influencer'
    email: string | null
    email_mode: Recipient['emailMode'] | null
    webhooks: { id: string; url: string }[] | null
  }>(sql`
    SELECT p.id AS partner_id, p.name, p.kind, nullif(btrim(p.email), '') AS email, pr.email_mode,
      (SELECT json_agg(json_build_object('id', w.id, 'url', w.url) ORDER BY w.created_at, w.id)
         FROM distribution_webhooks w
         WHERE w.partner_id = p.id AND w.tenant_id = ${tenantId} AND w.state = 'active' AND w.deleted_at IS NULL) AS webhooks
    FROM partners p
    LEFT JOIN distribution_preferences pr ON pr.partner_id = p.id AND pr.tenant_id = ${tenantId}
    WHERE p.tenant_id = ${tenantId} AND p.merged_into IS NULL AND p.erased_at IS NULL
      AND p.id IN (
        SELECT d.partner_id FROM distribution_deliveries d
        WHERE d.tenant_id = ${tenantId} AND d.recipient_type = 'partner' AND d.item_type = ${itemType} AND d.item_id = ${itemId}
          AND d.kind = ANY(${sql.param([...CONTENT_KINDS])}::text[]) AND d.state = ANY(${sql.param([...REACHED])}::text[])
      )
  `)
  return res.rows.map((r) => ({
    partnerId: r.partner_id,
    name: r.name,
    kind: r.kind,
    email: r.email,
    emailMode: r.email_mode ?? 'immediate',
    webhooks: r.webhooks ?? [],
  }))
}

/**
 * The kill notice's rows: every partner a content delivery of the item reached, on the
 * channels it reached them by — the portal always; e-mail (also when it came in a digest: a
 * kill cannot wait for tomorrow's digest) to the address it went to, whatever the mode now;
 * each webhook endpoint it reached, if still active. Suspended or opted-out partners included:
 * they hold the material.
 */
async function killRows(tx: Tx, tenantId: string, itemType: TargetItemType, itemId: string): Promise<Row[]> {
  const res = await tx.execute<{ partner_id: string; channel: DeliveryChannel; webhook_id: string | null; address: string | null }>(sql`
    WITH reached AS (
      SELECT d.partner_id, d.channel, d.webhook_id, d.address
      FROM distribution_deliveries d
      JOIN partners p ON p.id = d.partner_id AND p.tenant_id = ${tenantId} AND p.merged_into IS NULL AND p.erased_at IS NULL
      WHERE d.tenant_id = ${tenantId} AND d.recipient_type = 'partner' AND d.item_type = ${itemType} AND d.item_id = ${itemId}
        AND d.kind = ANY(${sql.param([...CONTENT_KINDS])}::text[]) AND d.state = ANY(${sql.param([...REACHED])}::text[])
    )
    SELECT DISTINCT partner_id, 'portal' AS channel, NULL::uuid AS webhook_id, NULL AS address FROM reached
    UNION
    SELECT DISTINCT ON (partner_id) partner_id, 'email', NULL::uuid, address FROM reached
      WHERE channel IN ('email', 'digest') AND address IS NOT NULL
    UNION
    SELECT DISTINCT r.partner_id, 'webhook', r.webhook_id, w.url FROM reached r
      JOIN distribution_webhooks w ON w.id = r.webhook_id AND w.state = 'active' AND w.deleted_at IS NULL
      WHERE r.channel = 'webhook'
  `)
  return res.rows.map((r) => ({ partnerId: r.partner_id, channel: r.channel, webhookId: r.webhook_id, address: r.address }))
}

/** Cancels every partner delivery of the item not yet handed over (queued, or failed and awaiting a retry). */
async function cancelPending(tx: Tx, tenantId: string, itemType: TargetItemType, itemId: string, reason: string): Promise<number> {
  const r = await tx.execute(sql`
    UPDATE distribution_deliveries SET state = 'cancelled', last_error = ${reason.slice(0, 500)}, claimed_by = NULL, lease_until = NULL
    WHERE tenant_id = ${tenantId} AND recipient_type = 'partner' AND item_type = ${itemType} AND item_id = ${itemId}
      AND state IN ('queued', 'failed')
  `)
  return r.rowCount ?? 0
}

/** A release with the edition an event names, and whether its linked case is sealed now. */
async function loadRelease(tx: Tx, tenantId: string, releaseId: string, editionId: string | null) {
  const [r] = await tx
    .select({
      id: releases.id,
      status: releases.status,
      slug: releases.slug,
      publishAt: releases.publishAt,
      workingEditionId: releases.workingEditionId,
      publishedEditionId: releases.publishedEditionId,
      sealed: sql<boolean>`EXISTS (SELECT 1 FROM cases c WHERE c.id = ${releases.caseId} AND c.state = 'sealed')`,
    })
    .from(releases)
    .where(and(eq(releases.tenantId, tenantId), eq(releases.id, releaseId)))
  if (!r) return null
  const edId = editionId ?? r.publishedEditionId ?? r.workingEditionId
  const [e] = edId
    ? await tx
        .select({
          number: releaseEditions.number,
          title: releaseEditions.title,
          summary: releaseEditions.summary,
          bodyMd: releaseEditions.bodyMd,
          changeNote: releaseEditions.changeNote,
          verificationCode: releaseEditions.verificationCode,
        })
        .from(releaseEditions)
        .where(and(eq(releaseEditions.id, edId), eq(releaseEditions.releaseId, releaseId)))
    : []
  const files: PayloadFile[] = (
    await tx
      .select({
        id: releaseAttachments.id,
        name: releaseAttachments.fileName,
        type: releaseAttachments.fileType,
        bytes: releaseAttachments.sizeBytes,
      })
      .from(releaseAttachments)
      .where(and(eq(releaseAttachments.tenantId, tenantId), eq(releaseAttachments.releaseId, releaseId)))
      .orderBy(releaseAttachments.createdAt, releaseAttachments.id)
  ).map((f) => ({ id: f.id, name: f.name, mime: MIME[f.type] ?? 'application/octet-stream', bytes: f.bytes }))
  return { ...r, edition: e ?? null, files }
}

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
}

/** Vietnamese, then English, of a catalogue message (payload texts are read in both). */
function bilingual(key: string, params: Record<string, string> = {}): string {
  return `${t('vi', key, params)} / ${t('en', key, params)}`
}

/** The plan for one event (`fromLists`: recipients from the lists, the default when not a kill). */
type Plan = ItemFanout & { fromLists?: boolean }

/**
 * Runs the partners' fan-out of one event in `tx` (the subscriber's transaction): writes the
 * deliveries, cancels what a kill makes obsolete, wakes the sender on commit and records the
 * `distribution.fanned_out` audit row with the counts (also when it decided to send nothing).
 */
export async function fanOutToPartners(tx: Tx, event: DomainEvent, publicUrl: string): Promise<FanoutResult> {
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, event.tenantId))
  const source = { name: tenant?.name ?? '', url: publicUrl }
  return fanOutItem(tx, event, await planOf(tx, event, publicUrl, source))
}

/** What to send for one decision on an item (releases and verdicts here; warnings from their module). */
export interface ItemFanout {
  itemType: TargetItemType
  itemId: string
  /** What the deliveries say (publish, correction, kill …). */
  kind?: DeliveryKind
  /** The message, fixed now (nothing is sent without one). */
  payload?: DeliveryPayload
  /** Also those who received the item before, whatever the lists say now (corrections, updates). */
  withPrior?: boolean
  /** A kill: every pending partner delivery of the item is cancelled first (with `reason`), then the notice goes to whom it reached. */
  kill?: { reason: string }
  /** Why nothing is sent (recorded in the audit row). */
  skipped?: FanoutResult['skipped']
}

/**
 * The one implementation of "an item reaches partners": the item's lists → their recipients
 * (plus prior recipients with `withPrior`) → one row per recipient and channel (portal inbox,
 * e-mail or digest, each webhook) → `insertPartnerDeliveries`; or, for a kill, the pending
 * deliveries cancelled and the notice to what was reached. Wakes the sender on commit and
 * records the `distribution.fanned_out` audit row (also when nothing was sent). Runs in the
 * caller's event-delivery transaction (`event.id` makes it once).
 */
export async function fanOutItem(tx: Tx, event: DomainEvent, plan: ItemFanout): Promise<FanoutResult> {
  const tenantId = event.tenantId
  const result: FanoutResult = {
    itemType: plan.itemType,
    itemId: plan.itemId,
    kind: plan.kind,
    recipients: 0,
    excluded: 0,
    written: {},
    cancelled: 0,
  }
  if (plan.skipped) result.skipped = plan.skipped

  if (!plan.skipped && plan.kind && plan.payload) {
    let rows: Row[] = []
    if (plan.kill) {
      result.cancelled = await cancelPending(tx, tenantId, plan.itemType, plan.itemId, plan.kill.reason)
      rows = await killRows(tx, tenantId, plan.itemType, plan.itemId)
      result.recipients = new Set(rows.map((r) => r.partnerId)).size
    } else {
      const lists = await targetListIds(tx, tenantId, plan.itemType, plan.itemId)
      const resolved = await resolveRecipients(tx, tenantId, lists)
      let recipients = resolved.included
      result.excluded = resolved.excluded.length
      if (plan.withPrior) {
        const seen = new Set(recipients.map((r) => r.partnerId))
        const prior = (await priorRecipients(tx, tenantId, plan.itemType, plan.itemId)).filter((r) => !seen.has(r.partnerId))
        recipients = [...recipients, ...prior]
      }
      result.recipients = recipients.length
      rows = rowsOf(recipients)
    }
    result.written = await insertPartnerDeliveries(tx, {
      tenantId,
      eventId: event.id,
      itemType: plan.itemType,
      itemId: plan.itemId,
      kind: plan.kind,
      payload: plan.payload,
      rows,
    })
    const queued = (result.written.email ?? 0) + (result.written.webhook ?? 0) + (result.written.digest ?? 0)
    // NOTIFY is delivered on commit: the sender wakes when the rows are there to claim.
    if (queued > 0) await tx.execute(sql`SELECT pg_notify(${DISTRIBUTION_CHANNEL}, '')`)
  }

  await recordAudit(tx, {
    tenantId,
    actor: SYSTEM,
    action: 'distribution.fanned_out',
    subjectType: plan.itemType,
    subjectId: plan.itemId,
    summary: { event: event.type, eventId: event.id, ...result },
  })
  return result
}

/** Decides, for one event, what is said to whom; loads the item as it is now. */
async function planOf(tx: Tx, event: DomainEvent, publicUrl: string, source: DeliveryPayload['source']): Promise<Plan> {
  const tenantId = event.tenantId
  if (event.type === 'verdict.published') {
    const p = event.payload as P<'verdict.published'>
    const plan: Plan = { itemType: 'verdict', itemId: p.claimId, kind: p.correction ? 'correction' : 'publish' }
    const [v] = await tx
      .select({
        headline: verdicts.headline,
        explanationMd: verdicts.explanationMd,
        correctionNote: verdicts.correctionNote,
        version: verdicts.version,
        statement: claims.statement,
        claimStatus: claims.status,
      })
      .from(verdicts)
      .innerJoin(claims, eq(claims.id, verdicts.claimId))
      .where(and(eq(verdicts.id, p.verdictId), eq(verdicts.tenantId, tenantId), eq(claims.id, p.claimId)))
    if (!v) return { ...plan, skipped: 'not_found' }
    if (v.claimStatus !== 'published') return { ...plan, skipped: 'not_public' }
    const label = LABELS[p.label as keyof typeof LABELS]
    return {
      ...plan,
      fromLists: true,
      withPrior: p.correction,
      payload: {
        event: event.type,
        itemType: 'verdict',
        itemId: p.claimId,
        title: v.headline,
        summary: v.statement,
        body: stripMarkdown(v.explanationMd),
        publicUrl: `${publicUrl}${verdictPath(p.slug)}`,
        edition: v.version,
        label: label ? `${label.vi} / ${label.en}` : p.label,
        changeNote: p.correction ? (v.correctionNote ?? '') : undefined,
        source,
      },
    }
  }

  const base = event.payload as P<'release.published'> | P<'release.embargoed'> | P<'release.corrected'>
  const releaseId = (event.payload as { releaseId: string }).releaseId
  const editionId = 'editionId' in base ? base.editionId : null
  const r = await loadRelease(tx, tenantId, releaseId, editionId)
  const plan: Plan = { itemType: 'release', itemId: releaseId }
  if (!r) return { ...plan, skipped: 'not_found' }
  const content = (): Omit<DeliveryPayload, 'event'> => ({
    itemType: 'release',
    itemId: releaseId,
    title: r.edition?.title ?? '',
    summary: r.edition?.summary ?? '',
    body: r.edition ? stripMarkdown(r.edition.bodyMd) : undefined,
    publicUrl: `${publicUrl}${releasePath(r.slug)}`,
    edition: r.edition?.number,
    verificationCode: r.edition?.verificationCode ?? undefined,
    files: r.files,
    source,
  })

  switch (event.type) {
    case 'release.embargoed': {
      const p = event.payload as P<'release.embargoed'>
      plan.kind = 'embargo'
      // A sealed case keeps the release from everyone, partners included (releases.public.ts).
      if (r.sealed) return { ...plan, skipped: 'sealed_case' }
      // Taken back or already lifted before this ran: the later event says the rest.
      if (r.status !== 'embargoed') return { ...plan, skipped: 'not_embargoed' }
      return { ...plan, fromLists: true, payload: { event: event.type, ...content(), liftAt: p.liftAt } }
    }
    case 'release.published': {
      plan.kind = 'publish'
      if (r.sealed) return { ...plan, skipped: 'sealed_case' }
      if (r.status !== 'published') return { ...plan, skipped: 'not_public' }
      return { ...plan, fromLists: true, payload: { event: event.type, ...content() } }
    }
    case 'release.corrected': {
      const p = event.payload as P<'release.corrected'>
      plan.kind = 'correction'
      if (r.sealed) return { ...plan, skipped: 'sealed_case' }
      if (r.status !== 'published') return { ...plan, skipped: 'not_public' }
      return {
        ...plan,
        fromLists: true,
        withPrior: true,
        payload: { event: event.type, ...content(), changeNote: p.changeNote ?? r.edition?.changeNote ?? '' },
      }
    }
    case 'release.withdrawn':
    case 'release.gone':
    case 'release.unscheduled': {
      plan.kind = 'kill'
      let reason: string
      let keepSummary = false
      if (event.type === 'release.withdrawn') {
        const p = event.payload as P<'release.withdrawn'>
        reason = p.reason
        keepSummary = !p.textRemoved
      } else if (event.type === 'release.gone') {
        reason = (event.payload as P<'release.gone'>).reason
      } else {
        const p = event.payload as P<'release.unscheduled'>
        // A scheduled release reached nobody before its time: nothing to take back.
        if (p.was !== 'embargoed') return { ...plan, skipped: 'scheduled' }
        reason = bilingual('dist.lists.fanout.unscheduled')
      }
      // The kill names the item (title) and the reason; never the text it takes back.
      const [first] = await tx
        .select({ title: releaseEditions.title, summary: releaseEditions.summary })
        .from(releaseEditions)
        .where(and(eq(releaseEditions.releaseId, releaseId), eq(releaseEditions.tenantId, tenantId)))
        .orderBy(sql`${releaseEditions.number} DESC`)
        .limit(1)
      const title = r.edition?.title ?? first?.title ?? ''
      return {
        ...plan,
        kill: { reason: bilingual('dist.lists.fanout.cancelled') },
        payload: {
          event: event.type,
          itemType: 'release',
          itemId: releaseId,
          title,
          summary: keepSummary ? (r.edition?.summary ?? first?.summary ?? '') : '',
          publicUrl: event.type === 'release.withdrawn' ? `${publicUrl}${releasePath(r.slug)}` : undefined,
          reason,
          source,
        },
      }
    }
    default:
      return { ...plan, skipped: 'not_found' }
  }
}
