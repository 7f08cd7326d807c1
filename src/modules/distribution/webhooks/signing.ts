/**
 * Standard Webhooks on our side: secrets, the message body, and the three headers, signed with
 * the reference library (`standardwebhooks`, the scheme's own JavaScript implementation), so a
 * receiver that verifies with any Standard Webhooks library accepts our messages.
 */
import { randomBytes } from 'node:crypto'
import { Webhook } from 'standardwebhooks'
import { now } from '../../../platform/clock.ts'
import { fileLink, itemLink } from '../distribution.links.ts'
import type { DeliveryPayload } from '../distribution.types.ts'

/** A new secret: `whsec_` + base64 of 32 random bytes (the scheme's format; 256-bit HMAC key). */
export function createWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

/** The delivery as signing needs it. */
export interface SignableDelivery {
  id: string
  kind: string
  linkToken: string
  payload: DeliveryPayload
  createdAt: Date
}

/** The secrets of an endpoint (the previous one signs too until `previousSecretUntil`). */
export interface SigningSecrets {
  secret: string
  previousSecret: string | null
  previousSecretUntil: Date | null
}

/** The idempotency key receivers see: the same for every attempt and re-send of a delivery. */
export function webhookMessageId(deliveryId: string): string {
  return `msg_${deliveryId}`
}

/**
 * The JSON body (Standard Webhooks shape: `type`, `timestamp`, `data`). It depends only on the
 * delivery, so every attempt sends the same bytes; `timestamp` is when the delivery was made,
 * the attempt's time is in the `webhook-timestamp` header. Links are the recipient's own.
 */
export function webhookBody(d: SignableDelivery, publicUrl: string): string {
  const p = d.payload
  const base = publicUrl.replace(/\/+$/, '')
  const data: Record<string, unknown> = {
    deliveryId: d.id,
    kind: d.kind,
    itemType: p.itemType,
    itemId: p.itemId,
    title: p.title,
    summary: p.summary,
    body: p.body,
    edition: p.edition,
    verificationCode: p.verificationCode,
    label: p.label,
    // A warning's area and validity (absent for other items).
    area: p.area,
    validFrom: p.validFrom,
    validUntil: p.validUntil,
    changeNote: p.changeNote,
    reason: p.reason,
    source: p.source,
    url: itemLink(base, d.linkToken),
    files: (p.files ?? []).map((f) => ({ name: f.name, mime: f.mime, bytes: f.bytes, url: fileLink(base, d.linkToken, f.id) })),
    officialNotice: `Thông tin chính thức của ${p.source.name}; khi đăng lại phải ghi rõ nguồn.`,
    officialNoticeEn: `Official information from ${p.source.name}; name the source when you republish.`,
  }
  if (d.kind === 'embargo' && p.liftAt) {
    // The embargo travels with the message, in words a desk cannot miss.
    data.embargo = { liftAt: p.liftAt, label: `CẤM ĐĂNG TRƯỚC ${p.liftAt} / EMBARGOED UNTIL ${p.liftAt}` }
  } else if (p.liftAt) data.liftAt = p.liftAt
  if (d.kind === 'kill') data.doNotUse = { label: 'KHÔNG SỬ DỤNG / DO NOT USE', reason: p.reason ?? '' }
  // An embargoed item has no public page before the lift: the address is given only when it exists.
  if (p.publicUrl && d.kind !== 'embargo') data.publicUrl = p.publicUrl
  return JSON.stringify({ type: p.event, timestamp: d.createdAt.toISOString(), data })
}

/**
 * The three Standard Webhooks headers for one attempt. During a rotation's grace period the
 * old secret's signature rides beside the new one (`v1,<new> v1,<old>`), so a receiver still
 * verifying with the old secret accepts too.
 *
 * `webhook-timestamp` is read from the wall clock, not from `now()`: receivers compare it with
 * their own wall clock (the reference library refuses more than 5 minutes apart), so it must be
 * the real moment the bytes leave. Whether the old secret still signs is a decision of ours, so
 * that one asks `now()`.
 */
export function signatureHeaders(deliveryId: string, body: string, s: SigningSecrets, sentAt = new Date()): Record<string, string> {
  const msgId = webhookMessageId(deliveryId)
  const signatures = [new Webhook(s.secret).sign(msgId, sentAt, body)]
  if (s.previousSecret && s.previousSecretUntil && s.previousSecretUntil.getTime() > now().getTime())
    signatures.push(new Webhook(s.previousSecret).sign(msgId, sentAt, body))
  return {
    'webhook-id': msgId,
    'webhook-timestamp': String(Math.floor(sentAt.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  }
}
