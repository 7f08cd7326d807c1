import { eq } from 'drizzle-orm'
import { now } from '../../../../platform/clock.ts'
import { distributionWebhooks } from '../../distribution.tables.ts'
import { auditWebhookChange, lockOwnWebhook, type WebhookChange } from './own-webhook.ts'

/**
 * Turns a disabled endpoint back on (after too many failures or a 410) and resets its failure
 * count; the deliveries that failed stay failed (staff may retry an item's failures). An
 * endpoint already active is left as it is (no audit row).
 */
export async function enableWebhook(o: WebhookChange): Promise<{ changed: boolean }> {
  const row = await lockOwnWebhook(o)
  if (row.state === 'active') return { changed: false }
  await o.tx
    .update(distributionWebhooks)
    .set({ state: 'active', consecutiveFailures: 0, disabledReason: null, disabledAt: null, updatedAt: now() })
    .where(eq(distributionWebhooks.id, row.id))
  await auditWebhookChange(o, 'distribution.webhook_enabled', { disabledReason: row.disabledReason, failures: row.consecutiveFailures })
  return { changed: true }
}
