/**
 * Sending one webhook delivery: the signed POST and what its answer means for the delivery.
 */
import type { ChannelOutcome } from '../distribution.types.ts'
import { OutboundError, type OutboundRequestOptions, postJson } from './outbound.ts'
import { type SignableDelivery, type SigningSecrets, signatureHeaders, webhookBody } from './signing.ts'
import { retryAfterMs } from './retry.ts'

/** The endpoint as sending needs it. */
export interface SendableEndpoint extends SigningSecrets {
  id: string
  url: string
}

/**
 * POSTs one delivery to its endpoint and classifies the result:
 * - 2xx: sent;
 * - 410 Gone: failed for good, `gone` (the endpoint is disabled at once);
 * - 408, 425, 429, 5xx, a timeout, a refused or broken connection, a DNS failure: failed,
 *   tried again (with the receiver's Retry-After where it gives one);
 * - any other 4xx, and a redirect (never followed: a webhook URL that moved is the partner's
 *   configuration to fix): failed, tried again, since the partner may fix the endpoint, and
 *   counted toward disabling it;
 * - the host now resolves to a non-public address, or the URL is unusable: failed for good
 *   (nothing a retry would change without the partner).
 */
export async function deliverWebhook(
  d: SignableDelivery,
  e: SendableEndpoint,
  o: OutboundRequestOptions & { publicUrl: string },
): Promise<ChannelOutcome> {
  const body = webhookBody(d, o.publicUrl)
  const headers = signatureHeaders(d.id, body, e)
  try {
    const res = await postJson(e.url, body, headers, o)
    const status = res.status
    const durationMs = res.durationMs
    if (status >= 200 && status < 300) return { state: 'sent', retryable: false, status, durationMs }
    if (status === 410) return { state: 'failed', retryable: false, gone: true, status, error: 'HTTP 410 Gone', durationMs }
    if (status >= 300 && status < 400) {
      const location = res.headers.location
      let where = '?'
      try {
        if (location) where = new URL(location, e.url).host || '?'
      } catch {
        where = '?'
      }
      return { state: 'failed', retryable: true, status, error: `HTTP ${status}: redirect to ${where} not followed`, durationMs }
    }
    const transient = status === 408 || status === 425 || status === 429 || status >= 500
    const outcome: ChannelOutcome = { state: 'failed', retryable: true, status, error: `HTTP ${status}`, durationMs }
    if (transient) {
      const after = retryAfterMs(res.headers['retry-after'], new Date())
      if (after !== undefined) outcome.retryAfterMs = after
    }
    return outcome
  } catch (err) {
    if (!(err instanceof OutboundError)) throw err
    const permanent = err.reason === 'address not allowed' || err.reason === 'invalid URL'
    return { state: 'failed', retryable: !permanent, error: err.reason, durationMs: err.durationMs }
  }
}
