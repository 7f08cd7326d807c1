import { and, eq, gt } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { tokenHash } from '../../../../platform/auth/secrets.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { signedToken, subscriptionKey } from '../subscriptions.links.ts'
import { publicSubscriptions } from '../subscriptions.tables.ts'
import { SUBSCRIBER } from './request-subscription.ts'

/**
 * Confirms a pending subscription with the token of its confirmation mail (the POST behind the
 * page's button; the GET only shows the button, since mail scanners fetch links). Single use:
 * the token's hash is cleared. An unknown, used or expired token is SUBSCRIPTION_LINK_INVALID
 * and changes nothing. Returns the new preference token, shown once on the page that follows.
 */
export async function confirmSubscription(o: {
  tx: Tx
  tenantId: string
  token: string
}): Promise<{ id: string; preferencesToken: string }> {
  const at = now()
  const [row] = await o.tx
    .select()
    .from(publicSubscriptions)
    .where(
      and(
        eq(publicSubscriptions.tenantId, o.tenantId),
        eq(publicSubscriptions.confirmTokenHash, tokenHash(o.token)),
        eq(publicSubscriptions.state, 'pending'),
        gt(publicSubscriptions.confirmExpiresAt, at),
      ),
    )
    .for('update')
  if (!row) throw new AppError('SUBSCRIPTION_LINK_INVALID')
  await o.tx
    .update(publicSubscriptions)
    .set({
      state: 'active',
      confirmTokenHash: null,
      confirmExpiresAt: null,
      confirmedAt: at,
      // The confirmation mail has done its work: a preference link may be sent at once.
      lastMailedAt: null,
      updatedAt: at,
    })
    .where(eq(publicSubscriptions.id, row.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: SUBSCRIBER,
    action: 'subscription.confirmed',
    subjectType: 'public_subscription',
    subjectId: row.id,
    summary: { kinds: row.kinds, communes: row.communes.length, linkVersion: row.linkVersion },
  })
  const key = await subscriptionKey(o.tx, o.tenantId)
  return { id: row.id, preferencesToken: signedToken(key, row.id, row.linkVersion, 'preferences') }
}
