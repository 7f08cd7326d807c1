import { and, eq, inArray } from 'drizzle-orm'
import { now } from '../../../../platform/clock.ts'
import { distributionDeliveries, distributionWebhooks } from '../../distribution.tables.ts'
import { newWebhookSecret } from '../../webhooks/webhooks.ts'
import { WEBHOOK_DELETED_REASON } from '../settings.queries.ts'
import { auditWebhookChange, lockOwnWebhook, type WebhookChange } from './own-webhook.ts'

/**
 * Deletes the endpoint for its owner: `deleted_at` set, disabled with `WEBHOOK_DELETED_REASON`
 * and its secrets wiped. The row stays because its deliveries and attempts refer to it and are
 * the record of what was sent where; every list, count, re-enable and fan-out skips it. Deliveries still queued to it are cancelled (one in flight finishes).
 */
export async function deleteWebhook(o: WebhookChange): Promise<{ cancelled: number }> {
  const row = await lockOwnWebhook(o)
  const at = now()
  await o.tx
    .update(distributionWebhooks)
    .set({
      state: 'disabled',
      disabledReason: WEBHOOK_DELETED_REASON,
      disabledAt: at,
      deletedAt: at,
      // A deleted endpoint signs nothing again: keep no usable secret.
      secret: `deleted:${newWebhookSecret()}`,
      previousSecret: null,
      previousSecretUntil: null,
      updatedAt: at,
    })
    .where(eq(distributionWebhooks.id, row.id))
  const cancelled = await o.tx
    .update(distributionDeliveries)
    .set({ state: 'cancelled', lastError: 'endpoint deleted by its owner' })
    .where(and(eq(distributionDeliveries.webhookId, row.id), inArray(distributionDeliveries.state, ['queued'])))
    .returning({ id: distributionDeliveries.id })
  await auditWebhookChange(o, 'distribution.webhook_deleted', { url: row.url, cancelledDeliveries: cancelled.length })
  return { cancelled: cancelled.length }
}
