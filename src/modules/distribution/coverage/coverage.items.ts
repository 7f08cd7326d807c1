/**
 * The items coverage is reported for, as coverage sees them: whether an item is published now
 * (an embargoed one cannot have been published by anyone, so a report of it is refused), its
 * title, and which items a partner received (a publish, correction or embargo delivery).
 */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { claims, verdicts } from '../../factcheck/factcheck.tables.ts'
import { partners } from '../../partners/partners.tables.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import { distributionDeliveries } from '../distribution.tables.ts'
import type { CoverageItemType } from './coverage.tables.ts'

/** Where an item stands for coverage: public now, still under embargo (or not yet out), or not reportable. */
export type ItemStanding = 'published' | 'embargoed' | 'unavailable'

/** An item as the coverage pages name it. */
export interface CoverageItem {
  type: CoverageItemType
  id: string
  title: string
  standing: ItemStanding
}

/** Delivery kinds that mean the partner received the item's text. */
const RECEIVED_KINDS = ['embargo', 'publish', 'correction'] as const

/** The item's standing and title (a release's current or working edition, a verdict's headline). */
export async function loadCoverageItem(db: Db | Tx, tenantId: string, type: CoverageItemType, id: string): Promise<CoverageItem | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  if (type === 'release') {
    const [r] = await db
      .select({ status: releases.status, title: releaseEditions.title })
      .from(releases)
      .leftJoin(releaseEditions, eq(releaseEditions.id, sql`coalesce(${releases.publishedEditionId}, ${releases.workingEditionId})`))
      .where(and(eq(releases.tenantId, tenantId), eq(releases.id, id)))
    if (!r) return null
    const standing: ItemStanding =
      r.status === 'published' ? 'published' : ['embargoed', 'scheduled', 'approved'].includes(r.status) ? 'embargoed' : 'unavailable'
    return { type, id, title: r.title ?? '', standing }
  }
  const [c] = await db
    .select({ status: claims.status, headline: verdicts.headline, mergedInto: claims.mergedInto })
    .from(claims)
    .leftJoin(verdicts, eq(verdicts.id, claims.publishedVerdictId))
    .where(and(eq(claims.tenantId, tenantId), eq(claims.id, id)))
  if (!c) return null
  return { type, id, title: c.headline ?? '', standing: c.status === 'published' && c.headline !== null ? 'published' : 'unavailable' }
}

/** True when the partner was sent the item (publish, correction or embargo delivery, any channel). */
export async function partnerReceived(db: Db | Tx, partnerId: string, type: CoverageItemType, id: string): Promise<boolean> {
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(distributionDeliveries)
    .where(
      and(
        eq(distributionDeliveries.partnerId, partnerId),
        eq(distributionDeliveries.itemType, type),
        eq(distributionDeliveries.itemId, id),
        inArray(distributionDeliveries.kind, [...RECEIVED_KINDS]),
      ),
    )
    .limit(1)
  return !!row
}

/**
 * The published items the partner received, newest delivery first (the report form's choice).
 * Embargoed ones are left out: nobody can have published them yet.
 */
export async function receivedPublishedItems(db: Db | Tx, tenantId: string, partnerId: string, limit = 100): Promise<CoverageItem[]> {
  const { rows } = await db.execute<{ item_type: CoverageItemType; item_id: string; title: string }>(sql`
    WITH got AS (
      SELECT d.item_type, d.item_id, max(d.created_at) AS at
      FROM ${distributionDeliveries} d
      WHERE d.partner_id = ${partnerId} AND d.tenant_id = ${tenantId}
        AND d.item_type IN ('release', 'verdict') AND d.item_id IS NOT NULL
        AND d.kind IN ('embargo', 'publish', 'correction')
      GROUP BY d.item_type, d.item_id
    )
    SELECT got.item_type, got.item_id, coalesce(e.title, v.headline) AS title
    FROM got
    LEFT JOIN ${releases} r ON got.item_type = 'release' AND r.id = got.item_id AND r.status = 'published'
    LEFT JOIN ${releaseEditions} e ON e.id = r.published_edition_id
    LEFT JOIN ${claims} c ON got.item_type = 'verdict' AND c.id = got.item_id AND c.status = 'published'
    LEFT JOIN ${verdicts} v ON v.id = c.published_verdict_id
    WHERE coalesce(e.title, v.headline) IS NOT NULL
    ORDER BY got.at DESC
    LIMIT ${limit}`)
  return rows.map((r) => ({ type: r.item_type, id: r.item_id, title: r.title, standing: 'published' as const }))
}

/** Partners staff may name as the author of a coverage: live (not merged, not erased), those who received the item first. */
export async function partnerChoices(db: Db, tenantId: string, type: CoverageItemType, id: string) {
  const received = sql<boolean>`EXISTS (SELECT 1 FROM ${distributionDeliveries} d WHERE d.partner_id = ${partners.id}
    AND d.item_type = ${type} AND d.item_id = ${id} AND d.kind IN ('embargo', 'publish', 'correction'))`
  return db
    .select({ id: partners.id, name: partners.name, kind: partners.kind, received })
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), isNull(partners.mergedInto), isNull(partners.erasedAt)))
    .orderBy(sql`${received} DESC`, partners.name)
    .limit(1000)
}
