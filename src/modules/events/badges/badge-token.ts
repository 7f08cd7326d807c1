/**
 * Badge tokens: what a confirmed attendee's QR code holds.
 *
 * `DHB1.<invitation id, 22 base64url chars>.<badge version>.<expiry, unix seconds in base 36>.<MAC>`
 * where the MAC is HMAC-SHA256 (first 16 bytes, base64url) over the version tag, the invitation,
 * the badge version and the expiry, under the tenant's badge key (`event_badge_keys`, made on
 * first use). The token names no event: the invitation does, so a badge shown at another event's
 * door is recognised as such (not as a forgery). Bumping `event_invitations.badge_version`
 * (the answer changed from yes, the badge was reissued) makes every earlier token fail.
 *
 * The short code (8 characters, no 0/O/1/I/L/U) is for typing when the camera cannot read: it is
 * unique within its event and checked against the event of the door, so it needs no MAC.
 */
import { createHmac, randomBytes, randomInt } from 'node:crypto'
import { eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { safeEqual } from '../../../platform/auth/secrets.ts'
import { eventBadgeKeys } from '../events.tables.ts'

const PREFIX = 'DHB1'
/** A badge stays valid this long after the event's end. */
export const BADGE_GRACE_MS = 12 * 60 * 60 * 1000
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ' // 30 letters, none easily confused

const keys = new Map<string, Buffer>()

/** The tenant's badge key, created on first use (two processes end with the same row). */
export async function badgeKey(db: Db | Tx, tenantId: string): Promise<Buffer> {
  const cached = keys.get(tenantId)
  if (cached) return cached
  await db
    .insert(eventBadgeKeys)
    .values({ tenantId, secret: randomBytes(32) })
    .onConflictDoNothing()
  const [row] = await db.select().from(eventBadgeKeys).where(eq(eventBadgeKeys.tenantId, tenantId))
  if (!row) throw new Error('event_badge_keys: key not created')
  keys.set(tenantId, row.secret)
  return row.secret
}

/** What a badge token carries. */
export interface BadgeClaims {
  invitationId: string
  version: number
  /** Expiry in unix seconds. */
  exp: number
}

function mac(key: Buffer, c: BadgeClaims): string {
  return createHmac('sha256', key)
    .update(`${PREFIX}|${c.invitationId}|${c.version}|${c.exp}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url')
}

/** The signed token of a badge. */
export function signBadge(key: Buffer, c: BadgeClaims): string {
  const id = Buffer.from(c.invitationId.replace(/-/g, ''), 'hex').toString('base64url')
  return `${PREFIX}.${id}.${c.version}.${c.exp.toString(36)}.${mac(key, c)}`
}

/** The expiry of badges of an event ending at `endsAt`. */
export function badgeExpiry(endsAt: Date): number {
  return Math.floor((endsAt.getTime() + BADGE_GRACE_MS) / 1000)
}

/** Reads a token (not yet verified); null when it is not a badge token at all. */
export function parseBadge(token: string): (BadgeClaims & { mac: string }) | null {
  const m = /^DHB1\.([A-Za-z0-9_-]{22})\.(\d{1,6})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{22})$/.exec(token.trim())
  if (!m) return null
  const hex = Buffer.from(m[1] as string, 'base64url').toString('hex')
  if (hex.length !== 32) return null
  const invitationId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
  return { invitationId, version: Number(m[2]), exp: Number.parseInt(m[3] as string, 36), mac: m[4] as string }
}

/** True when the token's MAC is right under `key` (expiry and version are the caller's to compare). */
export function badgeSignatureValid(key: Buffer, parsed: BadgeClaims & { mac: string }): boolean {
  return safeEqual(parsed.mac, mac(key, parsed))
}

/** A new short code for manual entry: 8 characters of an alphabet without look-alikes. */
export function newBadgeCode(): string {
  let s = ''
  for (let i = 0; i < 8; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]
  return s
}

/** The code as shown to people: `K7M2-Q9XD`. Typed input is folded back by `normalizeBadgeCode`. */
export function formatBadgeCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** Typed code → stored form (upper case, no spaces or dashes; O→0 is not needed: no 0/O in the alphabet). */
export function normalizeBadgeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '')
}
