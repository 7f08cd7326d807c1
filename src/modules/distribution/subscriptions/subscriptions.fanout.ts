/**
 * The public subscribers' fan-out: one e-mail delivery per active subscriber for each public
 * decision, written in the event's delivery transaction (so exactly once per event) and sent by
 * the distribution sender like the partners' mail, with the RFC 8058 headers built from the
 * payload's `unsubscribeUrl`.
 *
 * Public subscribers only ever receive what the public may see at that moment: a publication
 * (re-checked against releases.public.ts when the subscriber acts), its correction, the kill
 * notice of a withdrawal, a published verdict. Never anything on `release.embargoed`: that
 * event is not even in the list this subscriber handles.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import type { DomainEvent, DomainEventRegistry, EventSubscriber } from '../../../platform/domain-events/index.ts'
import { both } from '../../../platform/i18n/index.ts'
import { processConfig } from '../../../config.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import { verdictPath } from '../../factcheck/public/outputs.ts'
import { verdicts } from '../../factcheck/factcheck.tables.ts'
import { releasePath } from '../../newsroom/newsroom.paths.ts'
import { stripMarkdown } from '../../releases/markdown-text.ts'
import { publiclyListed } from '../../releases/releases.public.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import { DISTRIBUTION_CHANNEL } from '../delivery/render.ts'
import { newLinkToken } from '../distribution.links.ts'
import type { DeliveryKind, DeliveryPayload, ItemType } from '../distribution.types.ts'
import { subscriberUrls, subscriptionKey } from './subscriptions.links.ts'
import type { SubscriptionKind } from './subscriptions.tables.ts'

/** A subscriber as the fan-out needs it. */
export interface SubscriberTarget {
  id: string
  email: string
  linkVersion: number
}

/**
 * Active subscribers of `kind` for an item concerning `communes`: those who chose the whole
 * province (no communes) and those whose communes meet the item's; an item naming no commune
 * concerns the whole province, so it goes to every subscriber of the topic. A warning also
 * names its kind (`o.warningKind`): only subscribers who chose that kind, or none (every kind).
 */
export async function subscribersFor(
  tx: Tx,
  tenantId: string,
  kind: SubscriptionKind,
  communes: readonly string[],
  o: { warningKind?: string } = {},
): Promise<SubscriberTarget[]> {
  const warningKind = o.warningKind ? sql`AND (cardinality(warning_kinds) = 0 OR warning_kinds @> ARRAY[${o.warningKind}]::text[])` : sql``
  const r = await tx.execute<{ id: string; email: string; link_version: number }>(sql`
    SELECT id, email, link_version FROM public_subscriptions
    WHERE tenant_id = ${tenantId} AND state = 'active' AND kinds @> ARRAY[${kind}]::text[]
      AND (cardinality(communes) = 0 OR cardinality(${sql.param([...communes])}::text[]) = 0 OR communes && ${sql.param([...communes])}::text[])
      ${warningKind}`)
  return r.rows.map((x) => ({ id: x.id, email: x.email, linkVersion: x.link_version }))
}

/** Active subscribers who received (or are about to receive) an earlier message of the item. */
export async function subscribersWhoReceived(
  tx: Tx,
  tenantId: string,
  itemType: ItemType,
  itemId: string,
  states: readonly string[],
): Promise<SubscriberTarget[]> {
  const r = await tx.execute<{ id: string; email: string; link_version: number }>(sql`
    SELECT s.id, s.email, s.link_version FROM public_subscriptions s
    WHERE s.tenant_id = ${tenantId} AND s.state = 'active' AND EXISTS (
      SELECT 1 FROM distribution_deliveries d
      WHERE d.subscriber_id = s.id AND d.recipient_type = 'subscriber' AND d.tenant_id = ${tenantId}
        AND d.item_type = ${itemType} AND d.item_id = ${itemId} AND d.kind IN ('publish', 'correction')
        AND d.state = ANY(${sql.param([...states])}::text[]))`)
  return r.rows.map((x) => ({ id: x.id, email: x.email, linkVersion: x.link_version }))
}

/**
 * Inserts one queued e-mail delivery per subscriber in one statement (`INSERT … SELECT FROM
 * unnest`), each with its own link token and its signed unsubscribe and preference URLs, skipping
 * any that already exist for the event (a re-run changes nothing) and any subscriber who left
 * meanwhile. Wakes the sender on commit. Returns the number of rows written.
 */
export async function insertSubscriberDeliveries(
  tx: Tx,
  o: {
    tenantId: string
    eventId: number | null
    itemType: ItemType
    itemId: string
    kind: DeliveryKind
    /** The payload without the per-subscriber URLs. */
    payload: DeliveryPayload
    to: readonly SubscriberTarget[]
    publicUrl: string
    /** Not sent before this instant (quiet hours hold a warning's mail until morning); default now. */
    notBefore?: Date | null
  },
): Promise<number> {
  if (o.to.length === 0) return 0
  const key = await subscriptionKey(tx, o.tenantId)
  const ids: string[] = []
  const tokens: string[] = []
  const unsubscribe: string[] = []
  const preferences: string[] = []
  for (const s of o.to) {
    const urls = subscriberUrls(key, o.publicUrl, s)
    ids.push(s.id)
    tokens.push(newLinkToken())
    unsubscribe.push(urls.unsubscribeUrl)
    preferences.push(urls.preferencesUrl)
  }
  const r = await tx.execute(sql`
    INSERT INTO distribution_deliveries
      (tenant_id, event_id, item_type, item_id, kind, recipient_type, subscriber_id, channel, address, state, next_attempt_at, link_token, payload)
    SELECT ${o.tenantId}, ${o.eventId}, ${o.itemType}, ${o.itemId}, ${o.kind}, 'subscriber', s.id, 'email', s.email, 'queued',
           coalesce(${o.notBefore ? o.notBefore.toISOString() : null}::timestamptz, now()), x.token,
           ${JSON.stringify(o.payload)}::jsonb || jsonb_build_object('unsubscribeUrl', x.unsubscribe, 'preferencesUrl', x.preferences)
    FROM unnest(${sql.param(ids)}::uuid[], ${sql.param(tokens)}::text[], ${sql.param(unsubscribe)}::text[], ${sql.param(preferences)}::text[])
      AS x(id, token, unsubscribe, preferences)
    JOIN public_subscriptions s ON s.id = x.id AND s.tenant_id = ${o.tenantId} AND s.state = 'active'
    ON CONFLICT DO NOTHING`)
  const written = r.rowCount ?? 0
  if (written > 0) await tx.execute(sql`SELECT pg_notify(${DISTRIBUTION_CHANNEL}, '')`)
  return written
}

/** Cancels the still-queued (or failed, awaiting nothing) subscriber deliveries of an item. */
async function cancelQueued(tx: Tx, tenantId: string, itemType: ItemType, itemId: string, reason: string): Promise<number> {
  const r = await tx.execute(sql`
    UPDATE distribution_deliveries SET state = 'cancelled', last_error = ${reason.slice(0, 500)}
    WHERE tenant_id = ${tenantId} AND recipient_type = 'subscriber' AND item_type = ${itemType} AND item_id = ${itemId}
      AND state IN ('queued', 'failed')`)
  return r.rowCount ?? 0
}

/** States in which a message counts as received or on its way (corrections follow it). */
export const RECEIVING = ['queued', 'sending', 'sent', 'opened', 'downloaded'] as const
/** States in which a message may have reached the mailbox (kill notices go there). */
export const REACHED = ['sending', 'sent', 'opened', 'downloaded'] as const

/** The release and the edition an event names, if the public may see it now. */
async function publicRelease(tx: Tx, tenantId: string, releaseId: string, editionId: string) {
  const [r] = await tx
    .select({
      kind: releases.kind,
      slug: releases.slug,
      title: releaseEditions.title,
      summary: releaseEditions.summary,
      communes: releaseEditions.communes,
      changeNote: releaseEditions.changeNote,
    })
    .from(releases)
    .innerJoin(releaseEditions, and(eq(releaseEditions.releaseId, releases.id), eq(releaseEditions.id, editionId)))
    .where(and(publiclyListed(tenantId), eq(releases.id, releaseId)))
  return r
}

/** A release's topic for subscribers: a warning-kind release is a warning, any other a release. */
export function releaseTopic(kind: string): SubscriptionKind {
  return kind === 'warning' ? 'warning' : 'release'
}

type Payload<K extends keyof DomainEventRegistry> = DomainEventRegistry[K]

/** Runs the fan-out of one event in `tx`; returns what was written (for the audit). */
export async function fanOutToSubscribers(tx: Tx, event: DomainEvent, publicUrl: string): Promise<Record<string, number> | null> {
  const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, event.tenantId))
  const source = { name: tenant?.name ?? '', url: publicUrl }
  const base = { tenantId: event.tenantId, eventId: event.id, publicUrl }

  switch (event.type) {
    case 'release.published': {
      const p = event.payload as Payload<'release.published'>
      const r = await publicRelease(tx, event.tenantId, p.releaseId, p.editionId)
      // Not public (a sealed case, already withdrawn): subscribers get nothing, as the public.
      if (!r) return { skipped: 1 }
      const to = await subscribersFor(tx, event.tenantId, releaseTopic(r.kind), r.communes)
      const payload: DeliveryPayload = {
        event: event.type,
        itemType: 'release',
        itemId: p.releaseId,
        title: r.title,
        summary: r.summary,
        publicUrl: `${publicUrl}${releasePath(r.slug)}`,
        edition: p.edition,
        verificationCode: p.verificationCode,
        source,
      }
      return {
        publish: await insertSubscriberDeliveries(tx, { ...base, itemType: 'release', itemId: p.releaseId, kind: 'publish', payload, to }),
      }
    }
    case 'release.corrected': {
      const p = event.payload as Payload<'release.corrected'>
      // A minor correction (a typo) is not worth a mail to the public.
      if (p.minor) return { skipped: 1 }
      const r = await publicRelease(tx, event.tenantId, p.releaseId, p.editionId)
      if (!r) return { skipped: 1 }
      const to = await subscribersWhoReceived(tx, event.tenantId, 'release', p.releaseId, RECEIVING)
      const payload: DeliveryPayload = {
        event: event.type,
        itemType: 'release',
        itemId: p.releaseId,
        title: r.title,
        summary: r.summary,
        publicUrl: `${publicUrl}${releasePath(r.slug)}`,
        edition: p.edition,
        verificationCode: p.verificationCode,
        changeNote: p.changeNote ?? r.changeNote ?? '',
        source,
      }
      return {
        correction: await insertSubscriberDeliveries(tx, {
          ...base,
          itemType: 'release',
          itemId: p.releaseId,
          kind: 'correction',
          payload,
          to,
        }),
      }
    }
    case 'release.withdrawn':
    case 'release.gone': {
      const p = event.payload as Payload<'release.withdrawn'> | Payload<'release.gone'>
      const textRemoved = event.type === 'release.gone' || (p as Payload<'release.withdrawn'>).textRemoved
      // What was not sent yet is not sent at all; then the notice to those it may have reached.
      const cancelled = await cancelQueued(tx, event.tenantId, 'release', p.releaseId, `${event.type}: ${p.reason}`)
      const to = await subscribersWhoReceived(tx, event.tenantId, 'release', p.releaseId, REACHED)
      const [r] = await tx
        .select({ slug: releases.slug, title: releaseEditions.title })
        .from(releases)
        .leftJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
        .where(and(eq(releases.tenantId, event.tenantId), eq(releases.id, p.releaseId)))
      const removed = both('dist.subs.kill.removedTitle')
      const payload: DeliveryPayload = {
        event: event.type,
        itemType: 'release',
        itemId: p.releaseId,
        // Removed text is not repeated, not even its title: the notice names the page instead.
        title: textRemoved || !r?.title ? `${removed.vi} / ${removed.en}` : r.title,
        summary: '',
        reason: p.reason,
        // A gone release's page answers 410; a withdrawn one keeps its page with the notice.
        publicUrl: event.type === 'release.withdrawn' && r ? `${publicUrl}${releasePath(r.slug)}` : undefined,
        source,
      }
      const kill = await insertSubscriberDeliveries(tx, { ...base, itemType: 'release', itemId: p.releaseId, kind: 'kill', payload, to })
      return { kill, cancelled }
    }
    case 'verdict.published': {
      const p = event.payload as Payload<'verdict.published'>
      const [v] = await tx
        .select({
          headline: verdicts.headline,
          explanationMd: verdicts.explanationMd,
          correctionNote: verdicts.correctionNote,
          status: verdicts.status,
        })
        .from(verdicts)
        .where(and(eq(verdicts.tenantId, event.tenantId), eq(verdicts.id, p.verdictId)))
      if (v?.status !== 'published') return { skipped: 1 }
      // Verdicts concern the whole province (a rumour travels): every subscriber of the topic. A
      // corrected verdict goes to those who had the earlier one. Items are keyed by the claim,
      // which stays the same across the verdict's versions.
      const to = p.correction
        ? await subscribersWhoReceived(tx, event.tenantId, 'verdict', p.claimId, RECEIVING)
        : await subscribersFor(tx, event.tenantId, 'verdict', [])
      const plain = stripMarkdown(v.explanationMd)
      const payload: DeliveryPayload = {
        event: event.type,
        itemType: 'verdict',
        itemId: p.claimId,
        title: v.headline,
        summary: plain.length > 600 ? `${plain.slice(0, 597)}…` : plain,
        publicUrl: `${publicUrl}${verdictPath(p.slug)}`,
        label: p.label,
        verificationCode: p.claimCode,
        ...(p.correction ? { changeNote: v.correctionNote ?? '' } : {}),
        source,
      }
      const kind: DeliveryKind = p.correction ? 'correction' : 'publish'
      return { [kind]: await insertSubscriberDeliveries(tx, { ...base, itemType: 'verdict', itemId: p.claimId, kind, payload, to }) }
    }
    default:
      return null
  }
}

/** Event types public subscribers hear of. `release.embargoed` is deliberately absent. */
export const SUBSCRIBER_EVENTS = [
  'release.published',
  'release.corrected',
  'release.withdrawn',
  'release.gone',
  'verdict.published',
] as const

/** The domain-event subscriber (in the manifest). */
export const publicSubscribersFanout: EventSubscriber = {
  name: 'distribution.public-subscribers',
  events: SUBSCRIBER_EVENTS,
  async perform(event, { tx }) {
    const counts = await fanOutToSubscribers(tx, event, processConfig().publicUrl)
    if (!counts) return
    await recordAudit(tx, {
      tenantId: event.tenantId,
      actor: { id: null, label: 'system:distribution' },
      action: 'distribution.fanned_out',
      subjectType: event.subjectType,
      subjectId: event.subjectId,
      summary: { audience: 'public_subscribers', event: event.type, eventId: event.id, ...counts },
    })
  },
}
