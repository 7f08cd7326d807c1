import { AppError } from '../../../../platform/errors.ts'
import { sendTestPing } from '../../webhooks/webhooks.ts'
import { lockOwnWebhook, type WebhookChange } from './own-webhook.ts'

/**
 * "Gửi thử / Send test": queues a signed test ping to one of the partner's own active endpoints
 * (the webhooks part's `sendTestPing` writes the delivery, wakes the sender and audits
 * `distribution.webhook_tested`). A disabled endpoint is refused (DISTRIBUTION_WEBHOOK_DISABLED:
 * the sender would not send to it); re-enable it first. Returns the test delivery's id, which
 * the endpoint's page then follows.
 */
export async function sendWebhookTest(o: WebhookChange): Promise<string> {
  const row = await lockOwnWebhook(o)
  if (row.state !== 'active') throw new AppError('DISTRIBUTION_WEBHOOK_DISABLED')
  return sendTestPing(o.tx, { tenantId: o.actor.tenantId, partnerId: o.partnerId, webhookId: row.id, actorUserId: o.actor.id })
}
