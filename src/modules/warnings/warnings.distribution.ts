/**
 * What distribution needs to know of a warning, registered when this module loads (distribution
 * never imports warnings): the console's item page (/console/phan-phoi/muc/warning/:id: lists,
 * live progress, failures, retry), where a recipient's `/l/<token>` link leads (the public page,
 * which for a closed warning says only that it was closed), and which warnings' content must no
 * longer leave (closed or cancelled after a delivery was queued: the sender cancels it).
 */
import { and, eq, sql } from 'drizzle-orm'
import { AppError } from '../../platform/errors.ts'
import { authorize } from '../../platform/policy/index.ts'
import { registerDistributedItemType } from '../distribution/distribution.items.ts'
import { warningPath } from './warnings.paths.ts'
import { warnings } from './warnings.tables.ts'

registerDistributedItemType('warning', {
  async consoleItem(db, actor, id) {
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
  },
  async publicPath(db, tenantId, itemId) {
    const [w] = await db
      .select({ slug: warnings.slug })
      .from(warnings)
      .where(and(eq(warnings.tenantId, tenantId), eq(warnings.id, itemId), sql`${warnings.version} >= 1`))
    return w ? warningPath(w.slug) : null
  },
  async ended(pool, ids) {
    const r = await pool.query<{ id: string }>("SELECT id FROM warnings WHERE id = ANY($1::uuid[]) AND state <> 'active'", [ids])
    return new Set(r.rows.map((x) => x.id))
  },
})
