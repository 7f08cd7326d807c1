import { and, eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../../db/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type LinkPurpose, subscriptionKey, tokenSubscriptionId, verifySignedToken } from '../subscriptions.links.ts'
import { publicSubscriptions } from '../subscriptions.tables.ts'

/** A subscription row as the link pages use it. */
export type SubscriptionRow = typeof publicSubscriptions.$inferSelect

/**
 * The subscription a signed link names, checked: the HMAC over (id, current link version,
 * purpose) must match. A forged, altered, wrong-purpose or pre-re-subscription link is
 * SUBSCRIPTION_LINK_INVALID (404), the same answer as an unknown id. `lock` takes the row for
 * update (the steps that change it).
 */
export async function subscriptionByLink(
  db: Db | Tx,
  o: { tenantId: string; token: string; purpose: LinkPurpose; lock?: boolean },
): Promise<SubscriptionRow> {
  const id = tokenSubscriptionId(o.token)
  if (!id) throw new AppError('SUBSCRIPTION_LINK_INVALID')
  const q = db
    .select()
    .from(publicSubscriptions)
    .where(and(eq(publicSubscriptions.tenantId, o.tenantId), eq(publicSubscriptions.id, id)))
  const [row] = o.lock ? await q.for('update') : await q
  const key = await subscriptionKey(db, o.tenantId)
  if (!row || !verifySignedToken(key, o.token, row, o.purpose)) throw new AppError('SUBSCRIPTION_LINK_INVALID')
  return row
}
