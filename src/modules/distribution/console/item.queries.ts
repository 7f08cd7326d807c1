/**
 * What the distribution console reads: an item (release or verdict) with the visibility rule of
 * its module, the progress of its deliveries (one grouped query on the item index, also what the
 * live stream polls), failures, the deliveries table, and the overview of recent items.
 *
 * A verdict's deliveries may be keyed by the claim or by the verdict version (the fan-out names
 * the item; a corrected verdict is a new version row of the same claim): the console treats a
 * claim and all its verdict versions as one item, so both keyings show.
 */
import { and, desc, eq, inArray, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { claims, verdicts } from '../../factcheck/factcheck.tables.ts'
import { releaseVisibleTo, unsafeLoadRelease, releaseSubject } from '../../releases/releases.repository.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import { distributedItemType } from '../distribution.items.ts'
import { DELIVERY_CHANNELS, DELIVERY_STATES, type DeliveryChannel, type DeliveryState } from '../distribution.types.ts'

/** Item types with a console page. */
export const CONSOLE_ITEM_TYPES = ['release', 'verdict', 'warning'] as const
export type ConsoleItemType = (typeof CONSOLE_ITEM_TYPES)[number]

/** Decisions shown on an item page, in the order they happen. */
export const DECISION_KINDS = ['embargo', 'publish', 'correction', 'kill', 'correction_request'] as const

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** An item as the console shows it. */
export interface ConsoleItem {
  type: ConsoleItemType
  /** The id in the address. */
  id: string
  /** Every `item_id` its deliveries may carry (a verdict: the claim and all its versions). */
  deliveryIds: string[]
  title: string
  /** Release status or claim status (catalogue keys of their modules). */
  status: string
  statusKey: string
  /** Link to the item's own console page. */
  consoleHref: string
}

/**
 * Loads an item the actor may read, or throws NOT_FOUND (a release of a sealed case the actor is
 * not in answers like a missing one: the releases module's own rule, `authorize(… hideExistence)`).
 */
export async function loadConsoleItem(db: Db | Tx, actor: Actor, type: string, id: string): Promise<ConsoleItem> {
  if (!UUID_RE.test(id)) throw new AppError('NOT_FOUND')
  if (type === 'release') {
    const r = await unsafeLoadRelease(db, actor.tenantId, id)
    if (!r) throw new AppError('NOT_FOUND')
    authorize(actor, 'read', releaseSubject(r), { hideExistence: true })
    return {
      type,
      id,
      deliveryIds: [id],
      title: (r.published ?? r.working).title,
      status: r.release.status,
      statusKey: `releases.status.${r.release.status}`,
      consoleHref: `/console/releases/${id}`,
    }
  }
  if (type === 'verdict') {
    authorize(actor, 'read', 'claim', { hideExistence: true })
    const claim = await claimOf(db, actor.tenantId, id)
    if (!claim) throw new AppError('NOT_FOUND')
    const versions = await db
      .select({ id: verdicts.id, headline: verdicts.headline, status: verdicts.status, version: verdicts.version })
      .from(verdicts)
      .where(and(eq(verdicts.tenantId, actor.tenantId), eq(verdicts.claimId, claim.id)))
      .orderBy(desc(verdicts.version))
    const shown = versions.find((v) => v.id === claim.publishedVerdictId) ?? versions[0]
    return {
      type,
      // The claim is the item (lists and coverage key verdicts by it), whichever id was given.
      id: claim.id,
      deliveryIds: [claim.id, ...versions.map((v) => v.id)],
      title: shown ? `${claim.code} · ${shown.headline}` : `${claim.code} · ${claim.statement.slice(0, 160)}`,
      status: claim.status,
      statusKey: `desk.status.${claim.status}`,
      consoleHref: `/console/kiem-chung/${claim.id}`,
    }
  }
  const other = distributedItemType(type)
  if (other) return other.consoleItem(db, actor, id)
  throw new AppError('NOT_FOUND')
}

/** The claim of a claim id or of a verdict id. */
async function claimOf(db: Db | Tx, tenantId: string, id: string) {
  const [direct] = await db
    .select()
    .from(claims)
    .where(and(eq(claims.tenantId, tenantId), eq(claims.id, id)))
  if (direct) return direct
  const [viaVerdict] = await db
    .select({ c: claims })
    .from(verdicts)
    .innerJoin(claims, eq(claims.id, verdicts.claimId))
    .where(and(eq(verdicts.tenantId, tenantId), eq(verdicts.id, id)))
  return viaVerdict?.c
}

/** Counts of one decision (kind): per state, per channel, and the headline figures. */
export interface KindProgress {
  kind: string
  /** Reached the recipient: sent, opened or downloaded. */
  done: number
  /** Every delivery but the cancelled ones. */
  total: number
  queued: number
  failed: number
  bounced: number
  cancelled: number
  states: Partial<Record<DeliveryState, number>>
  channels: Partial<Record<DeliveryChannel, { done: number; total: number; failed: number }>>
}

/** The whole progress of an item, as the page renders it and the stream sends it. */
export interface ItemProgress {
  kinds: KindProgress[]
}

const DONE: ReadonlySet<string> = new Set(['sent', 'opened', 'downloaded'])

/**
 * The progress of an item's deliveries: ONE grouped query on the item index
 * (`distribution_deliveries_item`: tenant, item type, item id, kind, state). Cheap enough to run
 * once a second per open stream.
 */
export async function itemProgress(db: Db | Tx, tenantId: string, itemType: string, itemIds: readonly string[]): Promise<ItemProgress> {
  const { rows } = await db.execute<{ kind: string; channel: DeliveryChannel; state: DeliveryState; n: number }>(sql`
    SELECT kind, channel, state, count(*)::int AS n
    FROM distribution_deliveries
    WHERE tenant_id = ${tenantId} AND item_type = ${itemType} AND item_id = ANY(${sql.raw(uuidArray(itemIds))})
    GROUP BY kind, channel, state`)
  const byKind = new Map<string, KindProgress>()
  for (const r of rows) {
    let k = byKind.get(r.kind)
    if (!k) {
      k = { kind: r.kind, done: 0, total: 0, queued: 0, failed: 0, bounced: 0, cancelled: 0, states: {}, channels: {} }
      byKind.set(r.kind, k)
    }
    k.states[r.state] = (k.states[r.state] ?? 0) + r.n
    if (r.state === 'cancelled') {
      k.cancelled += r.n
      continue
    }
    const ch = k.channels[r.channel] ?? { done: 0, total: 0, failed: 0 }
    k.channels[r.channel] = ch
    k.total += r.n
    ch.total += r.n
    if (DONE.has(r.state)) {
      k.done += r.n
      ch.done += r.n
    } else if (r.state === 'failed' || r.state === 'bounced') {
      if (r.state === 'failed') k.failed += r.n
      else k.bounced += r.n
      ch.failed += r.n
    } else k.queued += r.n
  }
  const order = (kind: string) => {
    const i = (DECISION_KINDS as readonly string[]).indexOf(kind)
    return i < 0 ? 99 : i
  }
  return { kinds: [...byKind.values()].sort((a, b) => order(a.kind) - order(b.kind)) }
}

/** A uuid[] literal of validated ids (every id is checked: nothing else reaches the SQL). */
function uuidArray(ids: readonly string[]): string {
  const ok = ids.filter((id) => UUID_RE.test(id))
  return `ARRAY[${ok.map((id) => `'${id.toLowerCase()}'`).join(',') || `'00000000-0000-0000-0000-000000000000'`}]::uuid[]`
}

/** One delivery row of the console tables. */
export interface DeliveryRow {
  id: string
  kind: string
  channel: DeliveryChannel
  state: DeliveryState
  attempts: number
  address: string | null
  lastStatus: number | null
  lastError: string | null
  recipientType: 'partner' | 'subscriber'
  partnerId: string | null
  partnerName: string | null
  createdAt: Date
  sentAt: Date | null
  openedAt: Date | null
  downloadedAt: Date | null
  nextAttemptAt: Date
}

/** Filters of the deliveries table. */
export interface DeliveryFilter {
  states?: DeliveryState[]
  channel?: DeliveryChannel
  page?: number
}

/** Rows per page of the failures and deliveries tables. */
export const PAGE_SIZE = 50

/** An item's deliveries, newest first, filtered by state and channel, one page (+1 to know if there is more). */
export async function listItemDeliveries(
  db: Db | Tx,
  tenantId: string,
  itemType: string,
  itemIds: readonly string[],
  f: DeliveryFilter,
): Promise<{ rows: DeliveryRow[]; more: boolean }> {
  const states = (f.states ?? []).filter((s) => (DELIVERY_STATES as readonly string[]).includes(s))
  const channel = f.channel && (DELIVERY_CHANNELS as readonly string[]).includes(f.channel) ? f.channel : null
  const page = Math.max(1, f.page ?? 1)
  const { rows } = await db.execute<{
    id: string
    kind: string
    channel: DeliveryChannel
    state: DeliveryState
    attempts: number
    address: string | null
    last_status: number | null
    last_error: string | null
    recipient_type: 'partner' | 'subscriber'
    partner_id: string | null
    partner_name: string | null
    created_at: string
    sent_at: string | null
    opened_at: string | null
    downloaded_at: string | null
    next_attempt_at: string
  }>(sql`
    SELECT d.id, d.kind, d.channel, d.state, d.attempts, d.address, d.last_status, d.last_error, d.recipient_type,
           d.partner_id, p.name AS partner_name, d.created_at, d.sent_at, d.opened_at, d.downloaded_at, d.next_attempt_at
    FROM distribution_deliveries d
    LEFT JOIN partners p ON p.id = d.partner_id
    WHERE d.tenant_id = ${tenantId} AND d.item_type = ${itemType} AND d.item_id = ANY(${sql.raw(uuidArray(itemIds))})
      ${states.length ? sql`AND d.state = ANY(${sql.raw(`ARRAY[${states.map((s) => `'${s}'`).join(',')}]::text[]`)})` : sql``}
      ${channel ? sql`AND d.channel = ${channel}` : sql``}
    ORDER BY d.created_at DESC, d.id
    LIMIT ${PAGE_SIZE + 1} OFFSET ${(page - 1) * PAGE_SIZE}`)
  const date = (v: string | null) => (v ? new Date(v) : null)
  return {
    more: rows.length > PAGE_SIZE,
    rows: rows.slice(0, PAGE_SIZE).map((r) => ({
      id: r.id,
      kind: r.kind,
      channel: r.channel,
      state: r.state,
      attempts: r.attempts,
      address: r.address,
      lastStatus: r.last_status,
      lastError: r.last_error,
      recipientType: r.recipient_type,
      partnerId: r.partner_id,
      partnerName: r.partner_name,
      createdAt: new Date(r.created_at),
      sentAt: date(r.sent_at),
      openedAt: date(r.opened_at),
      downloadedAt: date(r.downloaded_at),
      nextAttemptAt: new Date(r.next_attempt_at),
    })),
  }
}

/** The host of a webhook URL or the domain of an e-mail address (what the failures list shows). */
export function addressHost(address: string | null): string {
  if (!address) return '—'
  if (address.includes('@') && !address.includes('://')) return address.slice(address.lastIndexOf('@') + 1)
  try {
    return new URL(address).host
  } catch {
    return '—'
  }
}

/** A row of the overview: one item with deliveries. */
export interface OverviewItem {
  type: ConsoleItemType
  id: string
  title: string
  kinds: string[]
  states: Partial<Record<DeliveryState, number>>
  lastAt: Date
}

/**
 * Recent items with deliveries, newest activity first, that the actor may see (releases of a
 * sealed case the actor is not in are left out, by the releases module's SQL rule).
 */
export async function recentItems(db: Db, actor: Actor, limit = 30): Promise<OverviewItem[]> {
  const perState = DELIVERY_STATES.map((st) => `'${st}', count(*) FILTER (WHERE state = '${st}')`).join(', ')
  const { rows } = await db.execute<{
    item_type: ConsoleItemType
    item_id: string
    kinds: string[]
    states: Record<string, number>
    last_at: string
  }>(sql`
    SELECT item_type, item_id, array_agg(DISTINCT kind) AS kinds, jsonb_build_object(${sql.raw(perState)}) AS states,
           max(created_at) AS last_at
    FROM distribution_deliveries
    WHERE tenant_id = ${actor.tenantId} AND item_type IN ('release', 'verdict') AND item_id IS NOT NULL
    GROUP BY item_type, item_id
    ORDER BY max(created_at) DESC
    LIMIT ${limit * 2}`)
  const releaseIds = rows.filter((r) => r.item_type === 'release').map((r) => r.item_id)
  const verdictItemIds = rows.filter((r) => r.item_type === 'verdict').map((r) => r.item_id)
  const titles = new Map<string, string>()
  if (releaseIds.length) {
    const visible = await db
      .select({ id: releases.id, title: releaseEditions.title })
      .from(releases)
      .innerJoin(releaseEditions, eq(releaseEditions.id, sql`coalesce(${releases.publishedEditionId}, ${releases.workingEditionId})`))
      .where(and(eq(releases.tenantId, actor.tenantId), inArray(releases.id, releaseIds), releaseVisibleTo(actor)))
    for (const v of visible) titles.set(`release:${v.id}`, v.title)
  }
  if (verdictItemIds.length) {
    const byClaim = await db
      .select({ id: claims.id, code: claims.code, statement: claims.statement })
      .from(claims)
      .where(and(eq(claims.tenantId, actor.tenantId), inArray(claims.id, verdictItemIds)))
    for (const c of byClaim) titles.set(`verdict:${c.id}`, `${c.code} · ${c.statement.slice(0, 120)}`)
    const byVerdict = await db
      .select({ id: verdicts.id, code: claims.code, headline: verdicts.headline })
      .from(verdicts)
      .innerJoin(claims, eq(claims.id, verdicts.claimId))
      .where(and(eq(verdicts.tenantId, actor.tenantId), inArray(verdicts.id, verdictItemIds)))
    for (const v of byVerdict) titles.set(`verdict:${v.id}`, `${v.code} · ${v.headline}`)
  }
  return rows
    .filter((r) => titles.has(`${r.item_type}:${r.item_id}`))
    .slice(0, limit)
    .map((r) => ({
      type: r.item_type,
      id: r.item_id,
      title: titles.get(`${r.item_type}:${r.item_id}`) as string,
      kinds: r.kinds ?? [],
      states: r.states,
      lastAt: new Date(r.last_at),
    }))
}

/** Webhook endpoints that need attention: disabled ones, and active ones that are failing now. */
export async function endpointHealth(db: Db, tenantId: string): Promise<{ disabled: number; failing: number }> {
  const { rows } = await db.execute<{ disabled: number; failing: number }>(sql`
    SELECT count(*) FILTER (WHERE state = 'disabled')::int AS disabled,
           count(*) FILTER (WHERE state = 'active' AND consecutive_failures > 0)::int AS failing
    FROM distribution_webhooks WHERE tenant_id = ${tenantId} AND deleted_at IS NULL`)
  return rows[0] ?? { disabled: 0, failing: 0 }
}
