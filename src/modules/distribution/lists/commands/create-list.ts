import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { distributionLists } from '../../distribution.tables.ts'
import { assertNameFree, cleanListText, cleanRule, type ListInput } from '../list-input.ts'
import { ensureBuiltinLists } from '../recipients.ts'

/**
 * Creates a rule list (members follow the registry) or a static list (members chosen one by
 * one) — editors, approvers, admins; audited. Builtin lists are the module's own, never made
 * here. Refused, nothing written: an empty or taken name, an unknown kind, commune or outlet.
 */
export async function createList(o: {
  tx: Tx
  actor: Actor
  /** `rule` or `static`. */
  kind: string
  input: ListInput
  ip?: string
}): Promise<{ id: string }> {
  authorize(o.actor, 'manage', { type: 'distribution', tenantId: o.actor.tenantId })
  if (o.kind !== 'rule' && o.kind !== 'static') throw new AppError('DISTRIBUTION_LIST_INVALID', { field: 'kind' })
  const tenantId = o.actor.tenantId
  // The builtin names exist first, so a staff list can never take one.
  await ensureBuiltinLists(o.tx, tenantId)
  const { name, description } = cleanListText(o.input)
  const rule = o.kind === 'rule' ? await cleanRule(o.tx, tenantId, o.input.rule) : {}
  await assertNameFree(o.tx, tenantId, name)
  const [row] = await o.tx
    .insert(distributionLists)
    .values({ tenantId, name, description, kind: o.kind, rule, createdBy: o.actor.id })
    .returning({ id: distributionLists.id })
  const id = row?.id as string
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.list_created',
    subjectType: 'distribution_list',
    subjectId: id,
    summary: { name, kind: o.kind, rule },
    ip: o.ip,
  })
  return { id }
}
