/**
 * A warning as distribution's item page shows it (/console/phan-phoi/muc/warning/:id: lists,
 * live progress, failures, retry): registered with distribution when this module loads, so
 * distribution never imports warnings.
 */
import { and, eq } from 'drizzle-orm'
import { AppError } from '../../../platform/errors.ts'
import { authorize } from '../../../platform/policy/index.ts'
import { registerConsoleItemType } from '../../distribution/console/item.queries.ts'
import { warnings } from '../warnings.tables.ts'

registerConsoleItemType('warning', async (db, actor, id) => {
  // Warnings are read by every staff member (warnings.policy.ts); its own tenant only.
  authorize(actor, 'read', 'warning', { hideExistence: true })
  const [w] = await db
    .select({ id: warnings.id, code: warnings.code, titleVi: warnings.titleVi, state: warnings.state })
    .from(warnings)
    .where(and(eq(warnings.tenantId, actor.tenantId), eq(warnings.id, id)))
  if (!w) throw new AppError('NOT_FOUND')
  return {
    type: 'warning',
    id,
    deliveryIds: [id],
    title: `${w.code} · ${w.titleVi}`,
    status: w.state,
    statusKey: `wcon.state.${w.state}`,
    consoleHref: `/console/canh-bao/${id}`,
  }
})
