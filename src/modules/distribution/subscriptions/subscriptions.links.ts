/**
 * The links of a public subscription.
 *
 * - Confirmation: a random single-use token (48 h); only its SHA-256 is stored.
 * - Preferences and one-click unsubscribe: no stored token. The link carries the subscription id
 *   and an HMAC-SHA256 over (id, link version, purpose) under a per-tenant key kept in
 *   `public_subscription_keys`. The fan-out computes every subscriber's links from the row
 *   alone; a forged or altered link fails the HMAC; a preference link does not unsubscribe and
 *   the other way round (the purpose is signed); and a re-subscription after leaving bumps the
 *   version, so every link sent before it stops working.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { safeEqual } from '../../../platform/auth/secrets.ts'
import { publicSubscriptionKeys } from './subscriptions.tables.ts'

/** Where the pages live. */
export const SUBSCRIBE_PATH = '/nhan-tin'

/** How long a confirmation link is valid. */
export const CONFIRM_VALID_MS = 48 * 60 * 60 * 1000

/** What a signed link may do. */
export type LinkPurpose = 'preferences' | 'unsubscribe'

const keys = new Map<string, Buffer>()

/**
 * The tenant's HMAC key, created on first use. Two processes creating it at once both end with
 * the row that won the insert (ON CONFLICT DO NOTHING, then read back). Cached: it never changes.
 */
export async function subscriptionKey(db: Db | Tx, tenantId: string): Promise<Buffer> {
  const cached = keys.get(tenantId)
  if (cached) return cached
  await db
    .insert(publicSubscriptionKeys)
    .values({ tenantId, secret: randomBytes(32) })
    .onConflictDoNothing()
  const [row] = await db.select().from(publicSubscriptionKeys).where(eq(publicSubscriptionKeys.tenantId, tenantId))
  if (!row) throw new Error('public_subscription_keys: key not created')
  keys.set(tenantId, row.secret)
  return row.secret
}

function mac(key: Buffer, id: string, version: number, purpose: LinkPurpose): string {
  return createHmac('sha256', key).update(`${id}|${version}|${purpose}`).digest('base64url')
}

/** The signed token of a subscription's link: `<id as 22 base64url chars>.<HMAC>`. */
export function signedToken(key: Buffer, id: string, version: number, purpose: LinkPurpose): string {
  const idPart = Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url')
  return `${idPart}.${mac(key, id, version, purpose)}`
}

/** The subscription id a signed token names (not yet verified), or null when malformed. */
export function tokenSubscriptionId(token: string): string | null {
  const m = /^([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token)
  if (!m?.[1]) return null
  const hex = Buffer.from(m[1], 'base64url').toString('hex')
  if (hex.length !== 32) return null
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** True when `token` is this subscription's link for `purpose` at its current version. */
export function verifySignedToken(key: Buffer, token: string, row: { id: string; linkVersion: number }, purpose: LinkPurpose): boolean {
  return safeEqual(token, signedToken(key, row.id, row.linkVersion, purpose))
}

/** Path of the confirmation page. */
export function confirmPath(token: string): string {
  return `${SUBSCRIBE_PATH}/xac-nhan/${encodeURIComponent(token)}`
}

/** Path of the preference page. */
export function preferencesPath(token: string): string {
  return `${SUBSCRIBE_PATH}/tuy-chon/${encodeURIComponent(token)}`
}

/** Path of the one-click unsubscribe (RFC 8058 POST target, and a page with one button on GET). */
export function unsubscribePath(token: string): string {
  return `${SUBSCRIBE_PATH}/huy/${encodeURIComponent(token)}`
}

/** Absolute preference and unsubscribe URLs of one subscription (what a delivery carries). */
export function subscriberUrls(
  key: Buffer,
  publicUrl: string,
  row: { id: string; linkVersion: number },
): { preferencesUrl: string; unsubscribeUrl: string } {
  return {
    preferencesUrl: `${publicUrl}${preferencesPath(signedToken(key, row.id, row.linkVersion, 'preferences'))}`,
    unsubscribeUrl: `${publicUrl}${unsubscribePath(signedToken(key, row.id, row.linkVersion, 'unsubscribe'))}`,
  }
}
