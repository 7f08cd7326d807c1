import { eq } from 'drizzle-orm'
import { now } from '../../../../platform/clock.ts'
import { distributionWebhooks } from '../../distribution.tables.ts'
import { newWebhookSecret } from '../../webhooks/webhooks.ts'
import { ROTATION_GRACE_MS } from '../settings.queries.ts'
import { auditWebhookChange, lockOwnWebhook, type WebhookChange } from './own-webhook.ts'

/**
 * Gives the endpoint a new secret, returned once for the page to show. The current secret
 * becomes the previous one and keeps signing beside the new one (two signatures in
 * `webhook-signature`) for `ROTATION_GRACE_MS` (24 h), so the receiver can switch without
 * losing a delivery. A rotation during a grace period drops the oldest secret at once (only
 * two are ever valid).
 */
export async function rotateWebhookSecret(o: WebhookChange): Promise<{ secret: string; previousValidUntil: Date }> {
  const row = await lockOwnWebhook(o)
  const at = now()
  const until = new Date(at.getTime() + ROTATION_GRACE_MS)
  const secret = newWebhookSecret()
  await o.tx
    .update(distributionWebhooks)
    .set({ secret, previousSecret: row.secret, previousSecretUntil: until, updatedAt: at })
    .where(eq(distributionWebhooks.id, row.id))
  await auditWebhookChange(o, 'distribution.webhook_secret_rotated', { previousValidUntil: until.toISOString() })
  return { secret, previousValidUntil: until }
}
