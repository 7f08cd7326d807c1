import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { isUuid } from '../list-input.ts'
import { itemExists, type TargetItemType } from '../targets.queries.ts'

/**
 * Chooses the lists an item goes to (editors, approvers, admins; audited with before and
 * after). Takes effect for the item's next decision: a fan-out reads the targets when it runs,
 * never earlier. Refused, nothing written: an unknown item, no list, a list that does not
 * exist in the tenant or is archived.
 */
export async function setItemTargets(o: {
  tx: Tx
  actor: Actor
  itemType: TargetItemType
  itemId: string
  /** The chosen lists (deduplicated); at least one. */
  listIds: readonly string[]
  ip?: string
}): Promise<{ listIds: string[] }> {
  authorize(o.actor, 'manage', { type: 'distribution', tenantId: o.actor.tenantId })
  const tenantId = o.actor.tenantId
  if (!(await itemExists(o.tx, tenantId, o.itemType, o.itemId))) throw new AppError('DISTRIBUTION_NOT_FOUND')
  const ids = [...new Set(o.listIds)]
  if (ids.length === 0 || ids.length > 100 || ids.some((id) => !isUuid(id))) throw new AppError('DISTRIBUTION_TARGETS_INVALID')
  const live = await o.tx.execute<{ id: string }>(sql`
    SELECT id FROM distribution_lists
    WHERE tenant_id = ${tenantId} AND id = ANY(${sql.param(ids)}::uuid[]) AND archived_at IS NULL
  `)
  if (live.rows.length !== ids.length) throw new AppError('DISTRIBUTION_TARGETS_INVALID')
  // Lock the item's row (or its absence, through the upsert) so two editors do not interleave.
  const prev = await o.tx.execute<{ list_ids: string[] }>(sql`
    SELECT list_ids FROM distribution_targets
    WHERE tenant_id = ${tenantId} AND item_type = ${o.itemType} AND item_id = ${o.itemId} FOR UPDATE
  `)
  const before = prev.rows[0]?.list_ids ?? null
  const sorted = [...ids].sort()
  if (before && JSON.stringify([...before].sort()) === JSON.stringify(sorted)) return { listIds: sorted }
  await o.tx.execute(sql`
    INSERT INTO distribution_targets (tenant_id, item_type, item_id, list_ids, set_by, set_at)
    VALUES (${tenantId}, ${o.itemType}, ${o.itemId}, ${sql.param(sorted)}::uuid[], ${o.actor.id}, ${now()})
    ON CONFLICT (tenant_id, item_type, item_id)
    DO UPDATE SET list_ids = EXCLUDED.list_ids, set_by = EXCLUDED.set_by, set_at = EXCLUDED.set_at
  `)
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.targets_set',
    subjectType: o.itemType,
    subjectId: o.itemId,
    summary: { before, after: sorted },
    ip: o.ip,
  })
  return { listIds: sorted }
}
