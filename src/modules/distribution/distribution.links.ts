/**
 * Per-recipient links. Every delivery has its own `link_token` (random, 128 bits): its links
 * are `/l/<token>` (and `/l/<token>/tep/<fileId>` for files), so a copy that leaks names the
 * delivery it came from, hence its recipient ("trace a leak"). The token opens nothing by itself:
 * embargoed material behind it still needs the recipient's signed-in, accredited account.
 */
import { randomToken } from '../../platform/auth/secrets.ts'

/** A new link token (22 URL-safe characters). */
export function newLinkToken(): string {
  return randomToken(16)
}

/** The recipient's link to the item. */
export function itemLink(publicUrl: string, token: string): string {
  return `${publicUrl}/l/${token}`
}

/** The recipient's link to one file of the item (served with the recipient's mark). */
export function fileLink(publicUrl: string, token: string, fileId: string): string {
  return `${publicUrl}/l/${token}/tep/${fileId}`
}

/** Finds a link token in pasted text (a whole link, a path, or the bare token). */
export function tokenInText(text: string): string | null {
  const m = /\/l\/([A-Za-z0-9_-]{22})(?![A-Za-z0-9_-])/.exec(text) ?? /^\s*([A-Za-z0-9_-]{22})\s*$/.exec(text)
  return m?.[1] ?? null
}
