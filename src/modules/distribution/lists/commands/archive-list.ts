import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { distributionLists } from '../../distribution.tables.ts'
import { lockList } from '../lists.repository.ts'

/**
 * Archives a rule or static list (editors, approvers, admins; audited): it reaches nobody from
 * then on, also where an item had chosen it, and leaves the portal's "lists I'm in". Kept, not
 * deleted, so past deliveries and the audit still name it. Builtin lists are refused.
 */
export async function archiveList(o: { tx: Tx; actor: Actor; listId: string; ip?: string }): Promise<void> {
  authorize(o.actor, 'manage', { type: 'distribution', tenantId: o.actor.tenantId })
  const list = await lockList(o.tx, o.actor.tenantId, o.listId)
  if (list.kind === 'builtin') throw new AppError('DISTRIBUTION_LIST_BUILTIN')
  if (list.archivedAt) throw new AppError('DISTRIBUTION_LIST_ARCHIVED')
  await o.tx.update(distributionLists).set({ archivedAt: now(), updatedAt: now() }).where(eq(distributionLists.id, list.id))
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.list_archived',
    subjectType: 'distribution_list',
    subjectId: list.id,
    summary: { name: list.name, kind: list.kind },
    ip: o.ip,
  })
}
