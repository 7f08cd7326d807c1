import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { isUuid } from '../list-input.ts'
import { lockList } from '../lists.repository.ts'

/**
 * Adds a partner of the registry to a static list (editors, approvers, admins; audited). Any
 * live partner may be a member, whatever their status: the list shows a suspended member as
 * left out, and they receive again once accredited. Adding a member twice changes nothing.
 * Refused: a rule or builtin list (they follow the registry), an archived list, a partner of
 * another tenant, merged or erased.
 */
export async function addListMember(o: {
  tx: Tx
  actor: Actor
  listId: string
  partnerId: string
  ip?: string
}): Promise<{ added: boolean }> {
  authorize(o.actor, 'manage', { type: 'distribution', tenantId: o.actor.tenantId })
  const tenantId = o.actor.tenantId
  const list = await lockList(o.tx, tenantId, o.listId)
  if (list.kind === 'builtin') throw new AppError('DISTRIBUTION_LIST_BUILTIN')
  if (list.kind !== 'static') throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'kind' })
  if (list.archivedAt) throw new AppError('DISTRIBUTION_LIST_ARCHIVED')
  if (!isUuid(o.partnerId)) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'partner' })
  const partner = await o.tx.execute<{ id: string; name: string }>(sql`
    SELECT id, name FROM partners
    WHERE id = ${o.partnerId} AND tenant_id = ${tenantId} AND merged_into IS NULL AND erased_at IS NULL
  `)
  const p = partner.rows[0]
  if (!p) throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'partner' })
  const ins = await o.tx.execute(sql`
    INSERT INTO distribution_list_members (tenant_id, list_id, partner_id, added_by)
    VALUES (${tenantId}, ${list.id}, ${p.id}, ${o.actor.id})
    ON CONFLICT (list_id, partner_id) DO NOTHING
  `)
  if ((ins.rowCount ?? 0) === 0) return { added: false }
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.list_member_added',
    subjectType: 'distribution_list',
    subjectId: list.id,
    summary: { partnerId: p.id, partnerName: p.name },
    ip: o.ip,
  })
  return { added: true }
}
