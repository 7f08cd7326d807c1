/**
 * Webhooks: URL validation, secrets, signing and sending under the Standard Webhooks scheme,
 * retry timing, and the endpoint's bookkeeping after each attempt. The other parts of
 * distribution call these; the work is in the files beside this one:
 * outbound.ts (the guarded HTTP client), url.ts, signing.ts, send.ts, retry.ts and commands/.
 */
import type { Tx } from '../../../db/index.ts'
import type { ChannelOutcome, DeliveryPayload } from '../distribution.types.ts'
import { recordAttempt, recordSuccesses } from './commands/record-outcome.ts'
import { queueTestPing } from './commands/send-test-ping.ts'
import { backoffDelayMs } from './retry.ts'
import { deliverWebhook } from './send.ts'
import { createWebhookSecret } from './signing.ts'
import { checkWebhookUrl } from './url.ts'

export { closeOutboundAgents } from './outbound.ts'
export { DISABLE_AFTER_FAILURES } from './commands/record-outcome.ts'
export { WEBHOOK_MAX_ATTEMPTS } from './retry.ts'
export { webhookMessageId } from './signing.ts'

/** Options of outgoing requests. */
export interface OutboundOptions {
  /** Let private, loopback and link-local addresses through (config.outboundAllowPrivate). */
  allowPrivate: boolean
  /** Name resolution override (tests: hostile DNS). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>
  /** Connection limit in ms (default 5 s). */
  connectTimeoutMs?: number
  /** Whole-request limit in ms (default 10 s). */
  totalTimeoutMs?: number
}

/** Checks a webhook URL a partner enters; returns its normalised form or throws an AppError (DISTRIBUTION_WEBHOOK_URL_INVALID / DISTRIBUTION_WEBHOOK_PRIVATE). */
export async function validateWebhookUrl(raw: string, o: OutboundOptions): Promise<string> {
  return checkWebhookUrl(raw, o)
}

/** A new Standard Webhooks secret (`whsec_` + base64 of 32 random bytes). */
export function newWebhookSecret(): string {
  return createWebhookSecret()
}

/** What the sender hands over for one webhook delivery. */
export interface WebhookDelivery {
  id: string
  kind: string
  linkToken: string
  payload: DeliveryPayload
  createdAt: Date
}

/** The endpoint as sending needs it. */
export interface WebhookEndpoint {
  id: string
  url: string
  secret: string
  previousSecret: string | null
  previousSecretUntil: Date | null
}

/**
 * POSTs one signed delivery to its endpoint (resolved once, pinned, time- and size-limited).
 * Never throws for the receiver's behaviour: every answer or failure becomes a ChannelOutcome
 * (2xx sent; 410 gone; 408/425/429/5xx, timeouts and network failures retryable; other 4xx and
 * redirects retryable but counted; a private address or unusable URL final).
 */
export async function sendWebhook(
  d: WebhookDelivery,
  e: WebhookEndpoint,
  o: OutboundOptions & { publicUrl: string },
): Promise<ChannelOutcome> {
  return deliverWebhook(d, e, o)
}

/** Delay before retry number `attempt` (1-based), with jitter; null when no retry is left. */
export function retryDelayMs(attempt: number): number | null {
  return backoffDelayMs(attempt)
}

/**
 * Records an attempt (distribution_attempts), keeps the endpoint's counters, and disables it
 * (telling its owner and the staff) on 410 Gone or when it keeps failing. In the sender's `tx`.
 * `publicUrl` makes the links in those messages absolute.
 */
export async function recordWebhookOutcome(
  tx: Tx,
  o: {
    tenantId: string
    deliveryId: string
    webhookId: string
    outcome: ChannelOutcome
    final: boolean
    publicUrl?: string
  },
): Promise<void> {
  await recordAttempt(tx, o)
}

/** Records a batch of successful webhook attempts at once (the sender's common case). */
export const recordWebhookSuccesses = recordSuccesses

/** Queues a "send test" ping to one of the partner's endpoints; returns the delivery id. */
export async function sendTestPing(
  tx: Tx,
  o: { tenantId: string; partnerId: string; webhookId: string; actorUserId: string },
): Promise<string> {
  return queueTestPing(tx, o)
}
