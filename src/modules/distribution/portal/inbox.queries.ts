/**
 * What the partner's inbox reads: their own portal deliveries (never anyone else's: every query
 * is keyed on the partner id the route loaded with `requirePartner`), the unread count, one
 * message, and what later happened to its item (a correction or a withdrawal sent to the same
 * partner), so an old message can say "corrected" or "DO NOT USE".
 */
import { and, count, desc, eq, inArray, ne, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { isUuid } from '../../partners/partners.normalize.ts'
import { listEmbargoedForJournalists } from '../../releases/releases.public.ts'
import { distributionDeliveries } from '../distribution.tables.ts'
import type { DeliveryKind, DeliveryPayload, DeliveryState } from '../distribution.types.ts'

/** Messages per inbox page. */
export const INBOX_PAGE_SIZE = 20
/** A kill notice stays at the top of the inbox this long (then it takes its place by date). */
export const KILL_PINNED_MS = 7 * 86_400_000

/** One inbox message as the pages show it. */
export interface InboxMessage {
  id: string
  kind: DeliveryKind
  itemType: string
  itemId: string | null
  state: DeliveryState
  linkToken: string
  payload: DeliveryPayload
  createdAt: Date
  openedAt: Date | null
  /** A withdrawal of the same item reached this partner (the item must not be used). */
  withdrawn: boolean
  /** The newest correction of the same item sent to this partner after this message. */
  correctedBy: string | null
}

const columns = {
  id: distributionDeliveries.id,
  kind: distributionDeliveries.kind,
  itemType: distributionDeliveries.itemType,
  itemId: distributionDeliveries.itemId,
  state: distributionDeliveries.state,
  linkToken: distributionDeliveries.linkToken,
  payload: distributionDeliveries.payload,
  createdAt: distributionDeliveries.createdAt,
  openedAt: distributionDeliveries.openedAt,
}

/** The partner's own portal rows that reached them (a cancelled row never did). */
function ownPortal(tenantId: string, partnerId: string) {
  return and(
    eq(distributionDeliveries.tenantId, tenantId),
    eq(distributionDeliveries.partnerId, partnerId),
    eq(distributionDeliveries.channel, 'portal'),
    ne(distributionDeliveries.state, 'cancelled'),
  )
}

type Row = Omit<InboxMessage, 'withdrawn' | 'correctedBy'>

/** Adds what later happened to each message's item (one query for the page). */
async function withFollowUps(db: Db | Tx, tenantId: string, partnerId: string, rows: Row[]): Promise<InboxMessage[]> {
  const itemIds = [...new Set(rows.filter((r) => r.itemId && r.kind !== 'kill').map((r) => r.itemId as string))]
  const later =
    itemIds.length === 0
      ? []
      : await db
          .select({
            id: distributionDeliveries.id,
            kind: distributionDeliveries.kind,
            itemType: distributionDeliveries.itemType,
            itemId: distributionDeliveries.itemId,
            createdAt: distributionDeliveries.createdAt,
          })
          .from(distributionDeliveries)
          .where(
            and(
              ownPortal(tenantId, partnerId),
              inArray(distributionDeliveries.itemId, itemIds),
              inArray(distributionDeliveries.kind, ['kill', 'correction']),
            ),
          )
          .orderBy(desc(distributionDeliveries.createdAt))
  return rows.map((r) => {
    const same = later.filter((f) => f.itemId === r.itemId && f.itemType === r.itemType && f.id !== r.id)
    return {
      ...r,
      withdrawn: r.kind !== 'kill' && same.some((f) => f.kind === 'kill'),
      correctedBy:
        r.kind === 'publish' || r.kind === 'correction' || r.kind === 'embargo'
          ? (same.find((f) => f.kind === 'correction' && f.createdAt.getTime() > r.createdAt.getTime())?.id ?? null)
          : null,
    }
  })
}

/**
 * One page of the partner's inbox, newest first, except that recent kill notices come first of
 * all (a partner must not miss a "do not use"). `page` is 1-based.
 */
export async function listInbox(
  db: Db | Tx,
  tenantId: string,
  partnerId: string,
  page: number,
): Promise<{ messages: InboxMessage[]; total: number; unread: number; page: number; pages: number }> {
  const since = new Date(now().getTime() - KILL_PINNED_MS)
  const where = ownPortal(tenantId, partnerId)
  const [totals] = await db
    .select({ total: count(), unread: sql<number>`count(*) FILTER (WHERE ${distributionDeliveries.state} = 'sent')::int` })
    .from(distributionDeliveries)
    .where(where)
  const total = Number(totals?.total ?? 0)
  const pages = Math.max(1, Math.ceil(total / INBOX_PAGE_SIZE))
  const current = Math.min(Math.max(1, page), pages)
  const rows = await db
    .select(columns)
    .from(distributionDeliveries)
    .where(where)
    .orderBy(
      sql`(${distributionDeliveries.kind} = 'kill' AND ${distributionDeliveries.createdAt} >= ${since.toISOString()}::timestamptz) DESC`,
      desc(distributionDeliveries.createdAt),
      desc(distributionDeliveries.id),
    )
    .limit(INBOX_PAGE_SIZE)
    .offset((current - 1) * INBOX_PAGE_SIZE)
  return {
    messages: await withFollowUps(db, tenantId, partnerId, rows),
    total,
    unread: Number(totals?.unread ?? 0),
    page: current,
    pages,
  }
}

/** One of the partner's own inbox messages; undefined for anything else (another partner's, another channel's, a guessed id). */
export async function findOwnMessage(
  db: Db | Tx,
  tenantId: string,
  partnerId: string,
  deliveryId: string,
): Promise<InboxMessage | undefined> {
  if (!isUuid(deliveryId)) return undefined
  const rows = await db
    .select(columns)
    .from(distributionDeliveries)
    .where(and(ownPortal(tenantId, partnerId), eq(distributionDeliveries.id, deliveryId)))
    .limit(1)
  const [m] = await withFollowUps(db, tenantId, partnerId, rows)
  return m
}

/**
 * The live lift instant of a release still under embargo (approved, not yet public, not in a
 * sealed case), or null when it is not (published, withdrawn, rescheduled back): asked through
 * the releases module's own list, so this file never decides a release's audience. The lift
 * written in an old message may be stale (the time can move); this one is not.
 */
export async function liveEmbargoLift(db: Db | Tx, tenantId: string, releaseId: string): Promise<Date | null> {
  const items = await listEmbargoedForJournalists(db as Db, tenantId)
  return items.find((i) => i.id === releaseId)?.publishAt ?? null
}
