/**
 * An item's chosen lists: the `distribution_targets` row, or without one the two builtin
 * lists (all accredited press and all accredited influencers). Archived lists drop out at
 * fan-out time (recipients ignore them); when every chosen list is archived the item reaches
 * nobody until staff choose again, which the item page shows.
 */
import { sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { isUuid } from './list-input.ts'
import { ensureBuiltinLists } from './recipients.ts'

/** Items whose lists staff choose. */
export type TargetItemType = 'release' | 'verdict' | 'warning'

/** True for a release (its id), a verdict (its claim's id) or a warning (its id) of the tenant. */
export async function itemExists(db: Db | Tx, tenantId: string, itemType: TargetItemType, itemId: string): Promise<boolean> {
  if (!isUuid(itemId)) return false
  const res =
    itemType === 'release'
      ? await db.execute(sql`SELECT 1 FROM releases WHERE id = ${itemId} AND tenant_id = ${tenantId}`)
      : itemType === 'warning'
        ? await db.execute(sql`SELECT 1 FROM warnings WHERE id = ${itemId} AND tenant_id = ${tenantId}`)
        : await db.execute(sql`SELECT 1 FROM claims WHERE id = ${itemId} AND tenant_id = ${tenantId}`)
  return res.rows.length > 0
}

/** The lists an item goes to: the chosen ones, or the two builtin lists. */
export async function targetListIds(db: Db | Tx, tenantId: string, itemType: TargetItemType, itemId: string): Promise<string[]> {
  const chosen = await chosenListIds(db, tenantId, itemType, itemId)
  if (chosen) return chosen
  const b = await ensureBuiltinLists(db, tenantId)
  return [b.accreditedPress, b.accreditedInfluencers]
}

/** The chosen lists, or null when staff have not chosen (the defaults apply). */
export async function chosenListIds(db: Db | Tx, tenantId: string, itemType: TargetItemType, itemId: string): Promise<string[] | null> {
  if (!isUuid(itemId)) return null
  const res = await db.execute<{ list_ids: string[] }>(sql`
    SELECT list_ids FROM distribution_targets WHERE tenant_id = ${tenantId} AND item_type = ${itemType} AND item_id = ${itemId}
  `)
  return res.rows[0]?.list_ids ?? null
}
