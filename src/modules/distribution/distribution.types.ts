/**
 * The shapes shared by distribution's parts: delivery states and channels, the list rule, and
 * the payload a delivery carries from fan-out to sending (fixed when the delivery is created,
 * so a message says what was decided then, whatever happens to the item later).
 */

/** States of a delivery. `sending` is the sender's claim; `cancelled` carries its reason. */
export const DELIVERY_STATES = ['queued', 'sending', 'sent', 'failed', 'bounced', 'opened', 'downloaded', 'cancelled'] as const
export type DeliveryState = (typeof DELIVERY_STATES)[number]

/** Channels: the portal inbox (always), e-mail now or in the daily digest, webhooks. */
export const DELIVERY_CHANNELS = ['portal', 'email', 'digest', 'webhook'] as const
export type DeliveryChannel = (typeof DELIVERY_CHANNELS)[number]

/** What a delivery says. */
export const DELIVERY_KINDS = ['embargo', 'publish', 'correction', 'kill', 'test', 'correction_request', 'notice'] as const
export type DeliveryKind = (typeof DELIVERY_KINDS)[number]

/** Items distributed. */
export const ITEM_TYPES = ['release', 'verdict', 'warning'] as const
export type ItemType = (typeof ITEM_TYPES)[number]

/** Kinds of list. */
export const LIST_KINDS = ['builtin', 'rule', 'static'] as const
export type ListKind = (typeof LIST_KINDS)[number]

/** Builtin lists, created per tenant. */
export const BUILTIN_LISTS = ['accredited_press', 'accredited_influencers'] as const
export type BuiltinList = (typeof BUILTIN_LISTS)[number]

/** A rule list's (or builtin list's) rule: each empty or missing array means "any". */
export interface ListRule {
  kinds?: ('journalist' | 'influencer')[]
  beats?: string[]
  communes?: string[]
  outletIds?: string[]
}

/** E-mail preference of a partner. */
export const EMAIL_MODES = ['immediate', 'digest', 'off'] as const
export type EmailMode = (typeof EMAIL_MODES)[number]

/** A link or file offered by a delivery. */
export interface PayloadFile {
  id: string
  name: string
  mime: string
  bytes: number
}

/**
 * What a delivery carries, written by the fan-out (or by the command that sends a test, a
 * correction request or a notice). Links in the message are built at send time from the
 * delivery's `link_token` (`/l/<token>`), so each recipient's links are their own.
 */
export interface DeliveryPayload {
  /** The decision: `release.embargoed`, `release.published`, `release.corrected`, `release.withdrawn`, `verdict.published`, `warning.*`, `test`, `coverage.correction_request`, `webhook.disabled` … */
  event: string
  itemType: ItemType | 'test' | 'notice'
  itemId: string | null
  title: string
  /** Summary or lead (plain text). */
  summary: string
  /** The full text (plain, Markdown stripped) where the recipient may have it; never for a kill notice of removed text. */
  body?: string
  /** The item's public address (after the lift for an embargoed item: the page does not exist before). */
  publicUrl?: string
  /** ISO 8601 lift time of an embargoed item. */
  liftAt?: string
  edition?: number
  verificationCode?: string
  /** A correction's change note. */
  changeNote?: string
  /** A withdrawal's (or a disabled endpoint's) reason. */
  reason?: string
  /** The official source every partner must name: the office's name and site. */
  source: { name: string; url: string }
  files?: PayloadFile[]
  /** A verdict's label, a warning's level … (free, shown as a tag). */
  label?: string
  /** A warning's area as the public reads it (commune names, or the province). */
  area?: string
  /** A warning's validity (ISO 8601; no `validUntil`: until further notice). */
  validFrom?: string
  validUntil?: string
  /** For a correction request: the partner's altered passage and the official text it changed. */
  quote?: { official: string; published: string; url: string }
  /** For a public subscriber: the one-click unsubscribe URL (RFC 8058) and the preference page. */
  unsubscribeUrl?: string
  preferencesUrl?: string
}

/**
 * What sending one delivery on one channel came to (the sender applies it): `sent`; `failed`
 * and retried later (`retryable`) or not; `bounced` (the mailbox refused it for good). `status`
 * is the HTTP or SMTP reply code when there was one; `error` a short reason shown to staff and
 * to the owner of an endpoint.
 */
export interface ChannelOutcome {
  state: 'sent' | 'failed' | 'bounced'
  retryable: boolean
  status?: number
  error?: string
  durationMs?: number
  /** Webhooks: the endpoint answered 410 Gone (it is disabled at once). */
  gone?: boolean
  /** Webhooks: the receiver's Retry-After (429, 503 …), capped; the sender waits at least this long before the next attempt. */
  retryAfterMs?: number
}
