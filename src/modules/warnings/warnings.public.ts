/**
 * THE public visibility rule of warnings: what the public (pages, feeds, CAP, share cards,
 * mails to subscribers, partners, the self-check) may see is the latest published version of
 * a warning that is active or cancelled. A closed warning (a person found or arrested) shows
 * nothing but the fact that it was closed; a draft nothing at all. The working copy on the
 * `warnings` row is never read here.
 */
import { sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import type { WarningKind, WarningSnapshot } from './warnings.types.ts'

/** A warning as the public may see it (its latest published version). */
export interface PublicWarning {
  id: string
  code: string
  slug: string
  /** active or cancelled (closed warnings are not listed; see `closedNotice`). */
  state: 'active' | 'cancelled'
  version: number
  msgType: 'Alert' | 'Update' | 'Cancel'
  /** When the latest version was sent. */
  sentAt: Date
  /** When the first version was sent. */
  firstPublishedAt: Date
  cancelledAt: Date | null
  cancelReason: string | null
  snapshot: WarningSnapshot
  /** True when in force now: active, started, not expired. */
  inForce: boolean
}

type Row = {
  id: string
  code: string
  slug: string
  state: 'active' | 'cancelled'
  version: number
  msg_type: 'Alert' | 'Update' | 'Cancel'
  sent_at: Date
  first_published_at: Date
  cancelled_at: Date | null
  cancel_reason: string | null
  snapshot: WarningSnapshot
}

function toPublic(r: Row, at: Date): PublicWarning {
  const until = r.snapshot.validUntil ? new Date(r.snapshot.validUntil) : null
  return {
    id: r.id,
    code: r.code,
    slug: r.slug,
    state: r.state,
    version: r.version,
    msgType: r.msg_type,
    sentAt: new Date(r.sent_at),
    firstPublishedAt: new Date(r.first_published_at),
    cancelledAt: r.cancelled_at ? new Date(r.cancelled_at) : null,
    cancelReason: r.cancel_reason,
    snapshot: r.snapshot,
    inForce: r.state === 'active' && new Date(r.snapshot.validFrom) <= at && (!until || until > at),
  }
}

const SELECT = sql`
  SELECT w.id, w.code, w.slug, w.state, v.version, v.msg_type, v.sent_at, w.first_published_at,
         w.cancelled_at, w.cancel_reason, v.snapshot
  FROM warnings w
  JOIN warning_versions v ON v.warning_id = w.id AND v.version = w.version`

/**
 * Public warnings of the tenant, newest first: those in force (or, with `ended`, also the
 * expired and cancelled ones), optionally of some kinds. Never a closed or draft warning.
 */
export async function publicWarnings(
  db: Db | Tx,
  tenantId: string,
  o: { ended?: boolean; kinds?: readonly WarningKind[]; limit?: number } = {},
): Promise<PublicWarning[]> {
  const at = now()
  const kinds = o.kinds?.length ? sql`AND w.kind = ANY(${sql.param([...o.kinds])}::text[])` : sql``
  const live = o.ended
    ? sql`AND w.state IN ('active', 'cancelled')`
    : sql`AND w.state = 'active' AND (v.snapshot->>'validUntil' IS NULL OR (v.snapshot->>'validUntil')::timestamptz > ${at})`
  const r = await db.execute<Row>(sql`${SELECT}
    WHERE w.tenant_id = ${tenantId} AND w.version >= 1 ${live} ${kinds}
    ORDER BY v.sent_at DESC
    LIMIT ${o.limit ?? 500}`)
  return r.rows.map((x) => toPublic(x, at))
}

/** What the public may know of one warning by its slug. */
export type PublicWarningBySlug =
  | { kind: 'visible'; warning: PublicWarning }
  | { kind: 'closed'; code: string; closedAt: Date; closeReason: string | null }
  | { kind: 'none' }

/** One warning by slug: visible, closed (only that fact), or nothing (draft, unknown). */
export async function publicWarningBySlug(db: Db | Tx, tenantId: string, slug: string): Promise<PublicWarningBySlug> {
  const r = await db.execute<Row & { closed_at: Date | null; close_reason: string | null; wstate: string }>(sql`
    SELECT w.id, w.code, w.slug, w.state AS wstate, w.state, v.version, v.msg_type, v.sent_at, w.first_published_at,
           w.cancelled_at, w.cancel_reason, w.closed_at, w.close_reason,
           CASE WHEN w.state = 'closed' THEN NULL ELSE v.snapshot END AS snapshot
    FROM warnings w
    JOIN warning_versions v ON v.warning_id = w.id AND v.version = w.version
    WHERE w.tenant_id = ${tenantId} AND w.slug = ${slug} AND w.version >= 1`)
  const row = r.rows[0]
  if (!row) return { kind: 'none' }
  if (row.wstate === 'closed')
    return { kind: 'closed', code: row.code, closedAt: new Date(row.closed_at as Date), closeReason: row.close_reason }
  return { kind: 'visible', warning: toPublic(row, now()) }
}

/** Every published version of a visible warning, oldest first (its history of updates). */
export async function publicWarningHistory(
  db: Db | Tx,
  tenantId: string,
  warningId: string,
): Promise<{ version: number; msgType: string; state: string; sentAt: Date; changeNote: string | null; snapshot: WarningSnapshot }[]> {
  const r = await db.execute<{
    version: number
    msg_type: string
    state: string
    sent_at: Date
    change_note: string | null
    snapshot: WarningSnapshot
  }>(sql`
    SELECT v.version, v.msg_type, v.state, v.sent_at, v.change_note, v.snapshot
    FROM warning_versions v JOIN warnings w ON w.id = v.warning_id
    WHERE v.tenant_id = ${tenantId} AND v.warning_id = ${warningId} AND w.state IN ('active', 'cancelled')
    ORDER BY v.version`)
  return r.rows.map((x) => ({
    version: x.version,
    msgType: x.msg_type,
    state: x.state,
    sentAt: new Date(x.sent_at),
    changeNote: x.change_note,
    snapshot: x.snapshot,
  }))
}

/** How long an ended warning (expired or cancelled) stays on the public list. */
export const ENDED_LISTED_DAYS = 90

/** Options of `publicWarningList`. */
export interface PublicWarningListOptions {
  /** Only these kinds (all when empty). */
  kinds?: readonly string[]
  /** Only warnings for one of these communes, or for the whole province (all when undefined). */
  communes?: readonly string[]
  /** At most this many rows (default 500). */
  limit?: number
}

/**
 * The public list of warnings: those not ended (in force, or active and not yet started), and
 * those ended — expired or cancelled — within the last `ENDED_LISTED_DAYS` days; newest first.
 * A whole-province warning matches every commune. Never a closed or draft warning (the same
 * rule as `publicWarnings`).
 */
export async function publicWarningList(db: Db | Tx, tenantId: string, o: PublicWarningListOptions = {}): Promise<PublicWarning[]> {
  const at = now()
  const since = new Date(at.getTime() - ENDED_LISTED_DAYS * 86_400_000)
  const kinds = o.kinds?.length ? sql`AND w.kind = ANY(${sql.param([...o.kinds])}::text[])` : sql``
  const area = o.communes
    ? sql`AND ((v.snapshot->>'wholeProvince')::boolean OR (v.snapshot->'communes') ?| ${sql.param([...o.communes])}::text[])`
    : sql``
  const r = await db.execute<Row>(sql`${SELECT}
    WHERE w.tenant_id = ${tenantId} AND w.version >= 1 AND w.state IN ('active', 'cancelled')
      AND (
        (w.state = 'active' AND (v.snapshot->>'validUntil' IS NULL OR (v.snapshot->>'validUntil')::timestamptz > ${since}))
        OR (w.state = 'cancelled' AND w.cancelled_at > ${since})
      )
      ${kinds} ${area}
    ORDER BY v.sent_at DESC
    LIMIT ${o.limit ?? 500}`)
  return r.rows.map((x) => toPublic(x, at))
}

/**
 * The next instant after now at which the public view of the tenant's warnings changes by
 * itself, with no publication: an active warning starts or expires, or an ended one leaves the
 * list. Caches of public warning pages expire at it. Null when nothing is due.
 */
export async function nextWarningChangeAt(db: Db | Tx, tenantId: string): Promise<Date | null> {
  const at = now()
  const days = sql.raw(`interval '${ENDED_LISTED_DAYS} days'`)
  const r = await db.execute<{ next: Date | string | null }>(sql`
    SELECT min(t) AS next FROM (
      SELECT (v.snapshot->>'validFrom')::timestamptz AS t
        FROM warnings w JOIN warning_versions v ON v.warning_id = w.id AND v.version = w.version
        WHERE w.tenant_id = ${tenantId} AND w.state = 'active'
      UNION ALL
      SELECT (v.snapshot->>'validUntil')::timestamptz
        FROM warnings w JOIN warning_versions v ON v.warning_id = w.id AND v.version = w.version
        WHERE w.tenant_id = ${tenantId} AND w.state = 'active'
      UNION ALL
      SELECT (v.snapshot->>'validUntil')::timestamptz + ${days}
        FROM warnings w JOIN warning_versions v ON v.warning_id = w.id AND v.version = w.version
        WHERE w.tenant_id = ${tenantId} AND w.state = 'active'
      UNION ALL
      SELECT w.cancelled_at + ${days} FROM warnings w WHERE w.tenant_id = ${tenantId} AND w.state = 'cancelled'
    ) x WHERE t > ${at}`)
  const next = r.rows[0]?.next
  return next ? new Date(next) : null
}

/**
 * What the CAP endpoints need to know of a published warning by slug, whatever its state: its
 * id, latest version, life state and published kind (which versions may be served is decided by
 * `capXmlOfVersion` and the routes: a closed warning keeps only its closing Cancel). Null for
 * an unknown slug or a never-published draft.
 */
export async function publishedWarningRef(
  db: Db | Tx,
  tenantId: string,
  slug: string,
): Promise<{ id: string; version: number; state: 'active' | 'cancelled' | 'closed'; kind: WarningKind } | null> {
  const r = await db.execute<{ id: string; version: number; state: 'active' | 'cancelled' | 'closed'; kind: WarningKind }>(sql`
    SELECT w.id, w.version, w.state, v.snapshot->>'kind' AS kind
    FROM warnings w JOIN warning_versions v ON v.warning_id = w.id AND v.version = w.version
    WHERE w.tenant_id = ${tenantId} AND w.slug = ${slug} AND w.version >= 1 AND w.state IN ('active', 'cancelled', 'closed')`)
  return r.rows[0] ?? null
}
