import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { isUuid } from '../list-input.ts'
import { lockList } from '../lists.repository.ts'

/**
 * Removes a partner from a static list (editors, approvers, admins; audited). Removing one who
 * is not a member changes nothing and records nothing.
 */
export async function removeListMember(o: {
  tx: Tx
  actor: Actor
  listId: string
  partnerId: string
  ip?: string
}): Promise<{ removed: boolean }> {
  authorize(o.actor, 'manage', { type: 'distribution', tenantId: o.actor.tenantId })
  const tenantId = o.actor.tenantId
  const list = await lockList(o.tx, tenantId, o.listId)
  if (list.kind !== 'static')
    throw new AppError(list.kind === 'builtin' ? 'DISTRIBUTION_LIST_BUILTIN' : 'DISTRIBUTION_LIST_INVALID', { field: 'kind' })
  if (list.archivedAt) throw new AppError('DISTRIBUTION_LIST_ARCHIVED')
  if (!isUuid(o.partnerId)) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'partner' })
  const del = await o.tx.execute<{ partner_id: string }>(sql`
    DELETE FROM distribution_list_members WHERE list_id = ${list.id} AND partner_id = ${o.partnerId} AND tenant_id = ${tenantId}
    RETURNING partner_id
  `)
  if (del.rows.length === 0) return { removed: false }
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.list_member_removed',
    subjectType: 'distribution_list',
    subjectId: list.id,
    summary: { partnerId: o.partnerId },
    ip: o.ip,
  })
  return { removed: true }
}
