/**
 * A warning's reach, for the console's reach panel: who it would reach now among the public
 * subscribers (per commune), and what became of its deliveries (subscribers by state, partners
 * by channel and state), with the morning a quiet-hours mail is held until.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { communeByCode } from '../../reference/communes.ts'
import { warnings, warningVersions } from '../warnings.tables.ts'

/** The reach of one warning. */
export interface WarningReach {
  subscribersNow: {
    /** Active subscribers it reaches now (topic, communes, kind), each once. */
    total: number
    /** Of them, those who chose the whole province (no commune). */
    wholeProvince: number
    /**
     * Per commune, those who chose it: every commune of the area (zeros included), or for a
     * whole-province warning every commune someone chose; most subscribers first.
     */
    byCommune: { code: string; name: string; count: number }[]
  }
  deliveries: {
    /** Public subscribers' e-mails by state (queued, sent, cancelled …), every message of the warning. */
    subscribers: Record<string, number>
    /** Partners' deliveries by channel (portal, email, digest, webhook), then state. */
    partners: Record<string, Record<string, number>>
  }
  /** The latest instant queued subscriber mail waits for (quiet hours), or null when none waits. */
  heldUntil: Date | null
}

/**
 * The reach of `warningId` (null when the tenant has no such warning). The audience is that of
 * the published version (the area and kind the public saw), or of the working copy for a draft.
 */
export async function warningReach(db: Db | Tx, tenantId: string, warningId: string): Promise<WarningReach | null> {
  const [w] = await db
    .select({
      kind: warnings.kind,
      wholeProvince: warnings.wholeProvince,
      communes: warnings.communes,
      version: warnings.version,
      snapshot: warningVersions.snapshot,
    })
    .from(warnings)
    .leftJoin(warningVersions, and(eq(warningVersions.warningId, warnings.id), eq(warningVersions.version, warnings.version)))
    .where(and(eq(warnings.tenantId, tenantId), eq(warnings.id, warningId)))
  if (!w) return null
  const kind = w.snapshot?.kind ?? w.kind
  const whole = w.snapshot?.wholeProvince ?? w.wholeProvince
  const communes = whole ? [] : (w.snapshot?.communes ?? w.communes)

  // The same audience rule as subscribersFor (distribution), counted rather than listed.
  const audience = sql`
    SELECT id, communes FROM public_subscriptions
    WHERE tenant_id = ${tenantId} AND state = 'active' AND kinds @> ARRAY['warning']::text[]
      AND (cardinality(warning_kinds) = 0 OR warning_kinds @> ARRAY[${kind}]::text[])
      AND (cardinality(communes) = 0 OR cardinality(${sql.param(communes)}::text[]) = 0 OR communes && ${sql.param(communes)}::text[])`
  const [totals, perCommune, subs, parts, held] = await Promise.all([
    db.execute<{ total: number; whole: number }>(sql`
      SELECT count(*)::int AS total, count(*) FILTER (WHERE cardinality(communes) = 0)::int AS whole FROM (${audience}) a`),
    db.execute<{ code: string; n: number }>(sql`
      SELECT c AS code, count(*)::int AS n FROM (${audience}) a, unnest(a.communes) AS c
      WHERE cardinality(${sql.param(communes)}::text[]) = 0 OR c = ANY(${sql.param(communes)}::text[])
      GROUP BY c`),
    db.execute<{ state: string; n: number }>(sql`
      SELECT state, count(*)::int AS n FROM distribution_deliveries
      WHERE tenant_id = ${tenantId} AND item_type = 'warning' AND item_id = ${warningId} AND recipient_type = 'subscriber'
      GROUP BY state`),
    db.execute<{ channel: string; state: string; n: number }>(sql`
      SELECT channel, state, count(*)::int AS n FROM distribution_deliveries
      WHERE tenant_id = ${tenantId} AND item_type = 'warning' AND item_id = ${warningId} AND recipient_type = 'partner'
      GROUP BY channel, state`),
    db.execute<{ until: Date | null }>(sql`
      SELECT max(next_attempt_at) AS until FROM distribution_deliveries
      WHERE tenant_id = ${tenantId} AND item_type = 'warning' AND item_id = ${warningId} AND recipient_type = 'subscriber'
        AND state = 'queued' AND next_attempt_at > ${now()}`),
  ])

  const counts = new Map(perCommune.rows.map((r) => [r.code, r.n]))
  const codes = whole ? [...counts.keys()] : communes
  const byCommune = codes
    .map((code) => ({ code, name: communeByCode(code)?.name ?? code, count: counts.get(code) ?? 0 }))
    .sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi'))
  const subscribers: Record<string, number> = {}
  for (const r of subs.rows) subscribers[r.state] = r.n
  const partners: Record<string, Record<string, number>> = {}
  for (const r of parts.rows) partners[r.channel] = { ...partners[r.channel], [r.state]: r.n }
  const until = held.rows[0]?.until
  return {
    subscribersNow: { total: totals.rows[0]?.total ?? 0, wholeProvince: totals.rows[0]?.whole ?? 0, byCommune },
    deliveries: { subscribers, partners },
    heldUntil: until ? new Date(until) : null,
  }
}
