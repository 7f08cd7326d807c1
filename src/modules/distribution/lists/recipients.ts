/**
 * Who a set of lists reaches now. Lists hold no copy of the registry: builtin and rule lists
 * are matched against `partners` when asked, static lists name partners, and eligibility
 * (accredited, term and press card not ended, not merged, not erased, not opted out of that
 * list) is decided here, in one set-based statement, at the moment of asking. A suspension
 * therefore bites on the next preview and the next fan-out, with nothing to keep in step.
 */
import { sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { localDay } from '../../../platform/time.ts'
import type { BuiltinList, EmailMode, ListRule } from '../distribution.types.ts'

/** A partner who receives. */
export interface Recipient {
  partnerId: string
  name: string
  kind: 'journalist' | 'influencer'
  email: string | null
  emailMode: EmailMode
  /** Active webhook endpoints. */
  webhooks: { id: string; url: string }[]
}

/** Why a partner of a list is left out. */
export type ExclusionReason = 'suspended' | 'expired' | 'revoked' | 'not_accredited' | 'opted_out' | 'merged' | 'erased'

/** Reasons in the order the preview shows them. */
export const EXCLUSION_REASONS: readonly ExclusionReason[] = [
  'suspended',
  'expired',
  'revoked',
  'not_accredited',
  'opted_out',
  'merged',
  'erased',
]

/** A partner of a list who does not receive, and why. */
export interface Excluded {
  partnerId: string
  name: string
  kind: 'journalist' | 'influencer'
  status: string
  reason: ExclusionReason
  /** The list they left (for `opted_out`). */
  listId?: string
}

/** The builtin lists: their stored (Vietnamese) name and rule. Shown through the catalogue. */
export const BUILTIN_DEFINITIONS: Record<BuiltinList, { name: string; rule: ListRule }> = {
  accredited_press: { name: 'Tất cả báo chí đã công nhận', rule: { kinds: ['journalist'] } },
  accredited_influencers: { name: 'Tất cả KOL đã công nhận', rule: { kinds: ['influencer'] } },
}

/**
 * The candidates of the given lists (`list_id`, `partner_id`), as SQL: static members (a
 * member merged into another record stands for its survivor, the pointer merges leave), and
 * every live partner of the tenant matching a builtin or rule list's rule (empty arrays match
 * anything; beats compare folded, so "Giao thông" and "giao thong" are one beat). Archived
 * lists reach nobody.
 */
function candidatesSql(tenantId: string, listIds: readonly string[]) {
  return sql`
    lists AS (
      SELECT l.id, l.kind,
        ARRAY(SELECT jsonb_array_elements_text(coalesce(l.rule->'kinds', '[]'))) AS kinds,
        ARRAY(SELECT fold_vi(b) FROM jsonb_array_elements_text(coalesce(l.rule->'beats', '[]')) b) AS beats,
        ARRAY(SELECT jsonb_array_elements_text(coalesce(l.rule->'communes', '[]'))) AS communes,
        ARRAY(SELECT x::uuid FROM jsonb_array_elements_text(coalesce(l.rule->'outletIds', '[]')) x) AS outlets
      FROM distribution_lists l
      WHERE l.tenant_id = ${tenantId} AND l.id = ANY(${sql.param([...listIds])}::uuid[]) AND l.archived_at IS NULL
    ),
    cand AS (
      SELECT l.id AS list_id, coalesce(p.merged_into, p.id) AS partner_id
      FROM lists l
      JOIN distribution_list_members m ON m.list_id = l.id AND m.tenant_id = ${tenantId}
      JOIN partners p ON p.id = m.partner_id AND p.tenant_id = ${tenantId}
      WHERE l.kind = 'static'
      UNION
      SELECT l.id, p.id
      FROM lists l
      JOIN partners p ON p.tenant_id = ${tenantId} AND p.merged_into IS NULL
      WHERE l.kind IN ('builtin', 'rule')
        AND (cardinality(l.kinds) = 0 OR p.kind = ANY(l.kinds))
        AND (cardinality(l.communes) = 0 OR p.commune_codes && l.communes)
        AND (cardinality(l.outlets) = 0 OR p.outlet_id = ANY(l.outlets))
        AND (cardinality(l.beats) = 0 OR EXISTS (SELECT 1 FROM unnest(p.beats) b WHERE fold_vi(b) = ANY(l.beats)))
    )`
}

/**
 * The status reason a partner cannot receive anything, or NULL when they can: accredited
 * with neither the term nor the press card ended (the daily job turns those to `expired`, but
 * until it runs the day decides, so an ended accreditation never receives).
 */
function statusReasonSql(today: string) {
  return sql`CASE
      WHEN p.erased_at IS NOT NULL THEN 'erased'
      WHEN p.merged_into IS NOT NULL THEN 'merged'
      WHEN p.status = 'accredited' AND LEAST(p.press_card_expires_on, p.accreditation_ends_on) < ${today}::date THEN 'expired'
      WHEN p.status = 'accredited' THEN NULL
      WHEN p.status IN ('suspended', 'expired', 'revoked') THEN p.status
      ELSE 'not_accredited'
    END`
}

interface ResolvedRow extends Record<string, unknown> {
  partner_id: string
  name: string
  kind: 'journalist' | 'influencer'
  status: string
  email: string | null
  email_mode: EmailMode | null
  reason: ExclusionReason | null
  opted_list: string | null
  webhooks: { id: string; url: string }[] | null
}

/**
 * Who the lists reach now (deduplicated across lists) and who they leave out, with one reason
 * each. A partner is included when eligible and a candidate of at least one of the lists they
 * have not left: a partner who left one list may still come in through another. Excluded
 * partners carry their status reason first, `opted_out` (with the list) only when eligible.
 */
export async function resolveRecipients(
  db: Db | Tx,
  tenantId: string,
  listIds: readonly string[],
): Promise<{ included: Recipient[]; excluded: Excluded[] }> {
  const ids = listIds.filter((id) => UUID_RE.test(id))
  if (ids.length === 0) return { included: [], excluded: [] }
  const today = localDay(now())
  const res = await db.execute<ResolvedRow>(sql`
    WITH ${candidatesSql(tenantId, ids)},
    per_partner AS (
      SELECT c.partner_id,
        bool_or(o.partner_id IS NULL) AS reachable,
        (array_agg(c.list_id ORDER BY c.list_id) FILTER (WHERE o.partner_id IS NOT NULL))[1] AS opted_list
      FROM cand c
      LEFT JOIN distribution_opt_outs o ON o.partner_id = c.partner_id AND o.list_id = c.list_id AND o.tenant_id = ${tenantId}
      GROUP BY c.partner_id
    ),
    judged AS (
      SELECT pp.partner_id, pp.opted_list, p.name, p.kind, p.status, p.email,
        coalesce(${statusReasonSql(today)}, CASE WHEN pp.reachable THEN NULL ELSE 'opted_out' END) AS reason
      FROM per_partner pp
      JOIN partners p ON p.id = pp.partner_id AND p.tenant_id = ${tenantId}
    )
    SELECT j.partner_id, j.name, j.kind, j.status, j.reason,
      CASE WHEN j.reason = 'opted_out' THEN j.opted_list END AS opted_list,
      CASE WHEN j.reason IS NULL THEN nullif(btrim(j.email), '') END AS email,
      pr.email_mode,
      CASE WHEN j.reason IS NULL THEN (
        SELECT json_agg(json_build_object('id', w.id, 'url', w.url) ORDER BY w.created_at, w.id)
        FROM distribution_webhooks w
        WHERE w.partner_id = j.partner_id AND w.tenant_id = ${tenantId} AND w.state = 'active' AND w.deleted_at IS NULL
      ) END AS webhooks
    FROM judged j
    LEFT JOIN distribution_preferences pr ON pr.partner_id = j.partner_id AND pr.tenant_id = ${tenantId}
    ORDER BY fold_vi(j.name), j.partner_id
  `)
  const included: Recipient[] = []
  const excluded: Excluded[] = []
  for (const r of res.rows) {
    if (r.reason === null) {
      included.push({
        partnerId: r.partner_id,
        name: r.name,
        kind: r.kind,
        email: r.email,
        emailMode: r.email_mode ?? 'immediate',
        webhooks: r.webhooks ?? [],
      })
    } else {
      const e: Excluded = { partnerId: r.partner_id, name: r.name, kind: r.kind, status: r.status, reason: r.reason }
      if (r.opted_list) e.listId = r.opted_list
      excluded.push(e)
    }
  }
  return { included, excluded }
}

/** Number of partners each list reaches now and leaves out (the lists page), by list id. */
export async function listCounts(
  db: Db | Tx,
  tenantId: string,
  listIds: readonly string[],
): Promise<Map<string, { included: number; excluded: number }>> {
  const out = new Map<string, { included: number; excluded: number }>()
  const ids = listIds.filter((id) => UUID_RE.test(id))
  if (ids.length === 0) return out
  const today = localDay(now())
  const res = await db.execute<{ list_id: string; included: number; excluded: number }>(sql`
    WITH ${candidatesSql(tenantId, ids)}
    SELECT c.list_id,
      count(*) FILTER (WHERE r.reason IS NULL AND o.partner_id IS NULL)::int AS included,
      count(*) FILTER (WHERE r.reason IS NOT NULL OR o.partner_id IS NOT NULL)::int AS excluded
    FROM cand c
    JOIN partners p ON p.id = c.partner_id AND p.tenant_id = ${tenantId}
    CROSS JOIN LATERAL (SELECT ${statusReasonSql(today)} AS reason) r
    LEFT JOIN distribution_opt_outs o ON o.partner_id = c.partner_id AND o.list_id = c.list_id AND o.tenant_id = ${tenantId}
    GROUP BY c.list_id
  `)
  for (const r of res.rows) out.set(r.list_id, { included: r.included, excluded: r.excluded })
  return out
}

/** The lists a partner is in now (static membership or matching rule), with whether they left it. */
export async function listsOfPartner(
  db: Db | Tx,
  tenantId: string,
  partnerId: string,
): Promise<{ id: string; name: string; kind: string; optedOut: boolean; builtinKey: BuiltinList | null }[]> {
  if (!UUID_RE.test(partnerId)) return []
  await ensureBuiltinLists(db, tenantId)
  const all = await db.execute<{ id: string }>(sql`
    SELECT id FROM distribution_lists WHERE tenant_id = ${tenantId} AND archived_at IS NULL
  `)
  const ids = all.rows.map((r) => r.id)
  if (ids.length === 0) return []
  const res = await db.execute<{ id: string; name: string; kind: string; opted_out: boolean; builtin_key: BuiltinList | null }>(sql`
    WITH ${candidatesSql(tenantId, ids)}
    SELECT l.id, l.name, l.kind, l.builtin_key, (o.partner_id IS NOT NULL) AS opted_out
    FROM distribution_lists l
    LEFT JOIN distribution_opt_outs o ON o.list_id = l.id AND o.partner_id = ${partnerId} AND o.tenant_id = ${tenantId}
    WHERE l.id IN (SELECT list_id FROM cand WHERE partner_id = ${partnerId})
    ORDER BY (l.builtin_key IS NULL), fold_vi(l.name), l.id
  `)
  return res.rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind, optedOut: r.opted_out, builtinKey: r.builtin_key }))
}

/** Creates the builtin lists of a tenant if missing (idempotent); returns their ids. */
export async function ensureBuiltinLists(
  db: Db | Tx,
  tenantId: string,
): Promise<{ accreditedPress: string; accreditedInfluencers: string }> {
  const read = () =>
    db.execute<{ id: string; builtin_key: BuiltinList }>(sql`
      SELECT id, builtin_key FROM distribution_lists WHERE tenant_id = ${tenantId} AND builtin_key IS NOT NULL
    `)
  let rows = (await read()).rows
  if (rows.length < 2) {
    // Concurrent callers (a console page, a fan-out) meet on the unique indexes: one inserts, the
    // other waits and skips. Every unique index arbitrates, not only the builtin key's: a list's
    // name is unique too, and a conflict found there first was a unique violation (a 500).
    for (const key of ['accredited_press', 'accredited_influencers'] as const) {
      const def = BUILTIN_DEFINITIONS[key]
      await db.execute(sql`
        INSERT INTO distribution_lists (tenant_id, name, kind, rule, builtin_key)
        VALUES (${tenantId}, ${def.name}, 'builtin', ${JSON.stringify(def.rule)}::jsonb, ${key})
        ON CONFLICT DO NOTHING
      `)
    }
    rows = (await read()).rows
  }
  const press = rows.find((r) => r.builtin_key === 'accredited_press')
  const infl = rows.find((r) => r.builtin_key === 'accredited_influencers')
  if (!press || !infl) throw new Error('ensureBuiltinLists: builtin lists missing after insert')
  return { accreditedPress: press.id, accreditedInfluencers: infl.id }
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
