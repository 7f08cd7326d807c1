import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { distributionDeliveries } from '../../distribution.tables.ts'
import { publicSubscriptions } from '../subscriptions.tables.ts'
import { SUBSCRIBER } from './request-subscription.ts'
import { subscriptionByLink } from './subscription-by-link.ts'

/**
 * Unsubscribes at once from a signed unsubscribe link (RFC 8058 one-click POST, or the button
 * of its page). Messages still queued for the address are cancelled in the same transaction, so
 * nothing more goes out after the click. The consent keeps the address only until the person
 * leaves, so it is erased here: the row's `email` becomes NULL and the `address` of every
 * delivery to it is blanked (the row stays, so the link's HMAC still verifies and a replay
 * answers "already unsubscribed"; coming back is a new row). Replaying the link is harmless:
 * `already` is true and nothing changes (no second audit row). An invalid link is
 * SUBSCRIPTION_LINK_INVALID (404).
 */
export async function unsubscribe(o: {
  tx: Tx
  tenantId: string
  token: string
  via: 'one-click' | 'page'
}): Promise<{ already: boolean }> {
  const row = await subscriptionByLink(o.tx, { tenantId: o.tenantId, token: o.token, purpose: 'unsubscribe', lock: true })
  if (row.state === 'unsubscribed') return { already: true }
  const at = now()
  await o.tx
    .update(publicSubscriptions)
    .set({ state: 'unsubscribed', email: null, unsubscribedAt: at, confirmTokenHash: null, confirmExpiresAt: null, updatedAt: at })
    .where(eq(publicSubscriptions.id, row.id))
  const cancelled = await o.tx
    .update(distributionDeliveries)
    .set({ state: 'cancelled', lastError: 'unsubscribed' })
    .where(
      and(
        eq(distributionDeliveries.recipientType, 'subscriber'),
        eq(distributionDeliveries.subscriberId, row.id),
        sql`${distributionDeliveries.state} IN ('queued', 'failed')`,
      ),
    )
    .returning({ id: distributionDeliveries.id })
  // A message being handed over right now (state 'sending') finishes to the address it already
  // read; its row loses the address like the others.
  const erased = await o.tx
    .update(distributionDeliveries)
    .set({ address: null })
    .where(
      and(
        eq(distributionDeliveries.tenantId, o.tenantId),
        eq(distributionDeliveries.recipientType, 'subscriber'),
        eq(distributionDeliveries.subscriberId, row.id),
        sql`${distributionDeliveries.address} IS NOT NULL`,
      ),
    )
    .returning({ id: distributionDeliveries.id })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: SUBSCRIBER,
    action: 'subscription.unsubscribed',
    subjectType: 'public_subscription',
    subjectId: row.id,
    summary: { via: o.via, was: row.state, cancelledDeliveries: cancelled.length, addressesErased: erased.length + 1 },
  })
  return { already: false }
}
