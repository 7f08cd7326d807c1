/**
 * A webhook URL as a partner types it: checked before it is stored, and again (by the
 * outbound client's own resolution) at every send, because a name's answer may change.
 */
import { AppError } from '../../../platform/errors.ts'
import { type OutboundRequestOptions, OutboundError, resolvePinned } from './outbound.ts'

/** Longest URL accepted (the column's limit too). */
export const MAX_WEBHOOK_URL_LENGTH = 2048

/**
 * Checks a webhook URL and returns its normalised form (WHATWG URL: lower-case scheme and host,
 * IDN in punycode, and numeric hosts such as `2130706433` or `0177.0.0.1` rewritten to dotted
 * IPv4, so they are judged as the address they are). Refused: anything but http(s), longer
 * than {@link MAX_WEBHOOK_URL_LENGTH}, with a user name or password, with a fragment
 * (DISTRIBUTION_WEBHOOK_URL_INVALID), or whose host is or resolves to a non-public address
 * while `allowPrivate` is off (DISTRIBUTION_WEBHOOK_PRIVATE). A name that does not resolve at
 * all is refused as invalid: the partner has most likely mistyped it.
 */
export async function checkWebhookUrl(raw: string, o: Pick<OutboundRequestOptions, 'allowPrivate' | 'resolve'>): Promise<string> {
  const text = raw.trim()
  const shown = text.length > 80 ? `${text.slice(0, 77)}…` : text
  const invalid = (why: string) => new AppError('DISTRIBUTION_WEBHOOK_URL_INVALID', { url: shown, why })
  if (!text) throw invalid('empty')
  if (text.length > MAX_WEBHOOK_URL_LENGTH) throw invalid('length')
  let u: URL
  try {
    u = new URL(text)
  } catch {
    throw invalid('syntax')
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw invalid('scheme')
  if (u.username || u.password) throw invalid('credentials')
  if (u.hash || text.includes('#')) throw invalid('fragment')
  if (!u.hostname) throw invalid('syntax')
  const normalised = u.toString()
  if (normalised.length > MAX_WEBHOOK_URL_LENGTH) throw invalid('length')
  try {
    await resolvePinned(u.hostname, o)
  } catch (e) {
    if (e instanceof OutboundError && e.reason === 'address not allowed')
      throw new AppError('DISTRIBUTION_WEBHOOK_PRIVATE', { host: u.hostname })
    throw invalid('dns')
  }
  return normalised
}
