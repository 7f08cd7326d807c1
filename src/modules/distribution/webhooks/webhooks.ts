/**
 * Webhooks (owned by the webhooks part): URL validation, secrets, signing and sending under the
 * Standard Webhooks scheme, retry timing, and the endpoint's bookkeeping after each attempt.
 * Stub signatures first so the other parts compile; the webhooks engineer fills them in (and
 * may split the work into more files behind these exports).
 */
import type { Tx } from '../../../db/index.ts'
import type { ChannelOutcome, DeliveryPayload } from '../distribution.types.ts'

/** Options of outgoing requests. */
export interface OutboundOptions {
  allowPrivate: boolean
  /** Name resolution override (tests: hostile DNS). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>
  connectTimeoutMs?: number
  totalTimeoutMs?: number
}

/** Checks a webhook URL a partner enters; returns its normalised form or throws an AppError (DISTRIBUTION_WEBHOOK_URL_INVALID / DISTRIBUTION_WEBHOOK_PRIVATE). */
export async function validateWebhookUrl(_raw: string, _o: OutboundOptions): Promise<string> {
  throw new Error('validateWebhookUrl: not built yet')
}

/** A new Standard Webhooks secret (`whsec_` + base64 of 32 random bytes). */
export function newWebhookSecret(): string {
  throw new Error('newWebhookSecret: not built yet')
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

/** POSTs one signed delivery to its endpoint (resolved once, pinned, time- and size-limited). */
export async function sendWebhook(
  _d: WebhookDelivery,
  _e: WebhookEndpoint,
  _o: OutboundOptions & { publicUrl: string },
): Promise<ChannelOutcome> {
  throw new Error('sendWebhook: not built yet')
}

/** Delay before retry number `attempt` (1-based), with jitter; null when no retry is left. */
export function retryDelayMs(_attempt: number): number | null {
  throw new Error('retryDelayMs: not built yet')
}

/**
 * Records an attempt (distribution_attempts), keeps the endpoint's counters, and disables it
 * (telling its owner and the staff) on 410 Gone or when it keeps failing. In the sender's `tx`.
 */
export async function recordWebhookOutcome(
  _tx: Tx,
  _o: { tenantId: string; deliveryId: string; webhookId: string; outcome: ChannelOutcome; final: boolean },
): Promise<void> {
  throw new Error('recordWebhookOutcome: not built yet')
}

/** Queues a "send test" ping to one of the partner's endpoints; returns the delivery id. */
export async function sendTestPing(
  _tx: Tx,
  _o: { tenantId: string; partnerId: string; webhookId: string; actorUserId: string },
): Promise<string> {
  throw new Error('sendTestPing: not built yet')
}
