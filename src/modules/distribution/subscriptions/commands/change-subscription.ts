import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { SubscriptionChoices } from '../subscriptions.input.ts'
import { publicSubscriptions } from '../subscriptions.tables.ts'
import { SUBSCRIBER } from './request-subscription.ts'
import { subscriptionByLink } from './subscription-by-link.ts'

/**
 * Changes the topics and communes of an active subscription from its preference link. The link
 * is the authority (no account, no cookie). A subscription that has left is not brought back
 * here: coming back goes through the form and its confirmation again.
 */
export async function changeSubscription(o: {
  tx: Tx
  tenantId: string
  token: string
  choices: SubscriptionChoices
  locale: 'vi' | 'en'
}): Promise<void> {
  const row = await subscriptionByLink(o.tx, { tenantId: o.tenantId, token: o.token, purpose: 'preferences', lock: true })
  if (row.state !== 'active') throw new AppError('SUBSCRIPTION_LINK_INVALID')
  const at = now()
  await o.tx
    .update(publicSubscriptions)
    .set({
      kinds: o.choices.kinds,
      communes: o.choices.communes,
      warningKinds: o.choices.warningKinds ?? [],
      locale: o.locale,
      updatedAt: at,
    })
    .where(eq(publicSubscriptions.id, row.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: SUBSCRIBER,
    action: 'subscription.changed',
    subjectType: 'public_subscription',
    subjectId: row.id,
    summary: {
      kinds: { before: row.kinds, after: o.choices.kinds },
      communes: { before: row.communes.length, after: o.choices.communes.length },
      warningKinds: { before: row.warningKinds, after: o.choices.warningKinds ?? [] },
    },
  })
}
