import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { distributionLists } from '../../distribution.tables.ts'
import { assertNameFree, cleanListText, cleanRule, type ListInput } from '../list-input.ts'
import { lockList } from '../lists.repository.ts'

/**
 * Changes a rule or static list's name, description and (rule lists) rule — editors,
 * approvers, admins; audited with before and after. Builtin lists are refused
 * (DISTRIBUTION_LIST_BUILTIN), archived ones too (DISTRIBUTION_LIST_ARCHIVED).
 */
export async function updateList(o: {
  tx: Tx
  actor: Actor
  listId: string
  input: ListInput
  ip?: string
}): Promise<{ changed: boolean }> {
  authorize(o.actor, 'manage', { type: 'distribution', tenantId: o.actor.tenantId })
  const tenantId = o.actor.tenantId
  const list = await lockList(o.tx, tenantId, o.listId)
  if (list.kind === 'builtin') throw new AppError('DISTRIBUTION_LIST_BUILTIN')
  if (list.archivedAt) throw new AppError('DISTRIBUTION_LIST_ARCHIVED')
  const { name, description } = cleanListText(o.input)
  const rule = list.kind === 'rule' ? await cleanRule(o.tx, tenantId, o.input.rule) : {}
  const before = { name: list.name, description: list.description, rule: list.rule }
  const after = { name, description, rule }
  if (JSON.stringify(before) === JSON.stringify(after)) return { changed: false }
  await assertNameFree(o.tx, tenantId, name, list.id)
  await o.tx
    .update(distributionLists)
    .set({ ...after, updatedAt: now() })
    .where(eq(distributionLists.id, list.id))
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.list_updated',
    subjectType: 'distribution_list',
    subjectId: list.id,
    summary: { before, after },
    ip: o.ip,
  })
  return { changed: true }
}
