import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { isUuid } from '../partners.normalize.ts'
import { pressOutlets } from '../partners.tables.ts'
import { cleanPressOutlet, type PressOutletInput } from './create-press-outlet.ts'

/**
 * Edits a press outlet (editors, approvers, admins): the same checks as creating one; audited
 * with the changed fields and their new values (an outlet's licence and desk are not personal
 * data). An edit that changes nothing writes nothing.
 */
export async function updatePressOutlet(o: {
  tx: Tx
  actor: Actor
  outletId: string
  input: PressOutletInput
  ip?: string
}): Promise<{ changed: string[] }> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  if (!isUuid(o.outletId)) throw new AppError('NOT_FOUND')
  const [outlet] = await o.tx
    .select()
    .from(pressOutlets)
    .where(and(eq(pressOutlets.id, o.outletId), eq(pressOutlets.tenantId, o.actor.tenantId)))
    .for('update')
  if (!outlet) throw new AppError('NOT_FOUND')
  const values = cleanPressOutlet(o.input)
  const changed = (Object.keys(values) as (keyof typeof values)[]).filter((k) => (outlet[k] ?? null) !== (values[k] ?? null))
  if (changed.length === 0) return { changed: [] }
  await o.tx.update(pressOutlets).set(values).where(eq(pressOutlets.id, outlet.id))
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'press_outlet.updated',
    subjectType: 'press_outlet',
    subjectId: outlet.id,
    summary: { fields: changed, ...Object.fromEntries(changed.map((k) => [k, values[k]])) },
    ip: o.ip,
  })
  return { changed }
}
