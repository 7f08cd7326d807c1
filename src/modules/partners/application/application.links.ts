/**
 * The applicant's side of an application: who they are in the audit log and status history,
 * and their private links. A link is a random token; only its SHA-256 is stored, so a database
 * leak yields no usable link.
 */
import { randomToken, tokenHash } from '../../../platform/auth/secrets.ts'
import type { AuditActor } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { Tx } from '../../../db/index.ts'
import { partnerApplicationLinks } from './application.tables.ts'

/** The applicant as actor: no account yet, so no id; labelled in both languages. */
export const APPLICANT: AuditActor = { id: null, label: 'người đăng ký / applicant' }

/** How long an e-mail verification link is valid. */
export const VERIFY_VALID_MS = 24 * 60 * 60 * 1000

/** Path of the e-mail verification page for a token. */
export function verifyPath(token: string): string {
  return `/doi-tac/dang-ky/xac-nhan?token=${encodeURIComponent(token)}`
}

/** Path of the private status page for a token. */
export function statusPath(token: string): string {
  return `/doi-tac/dang-ky/trang-thai/${encodeURIComponent(token)}`
}

/** Issues a new private status link for an application (earlier links stay valid); returns the token. */
export async function issueStatusLink(tx: Tx, tenantId: string, applicationId: string): Promise<string> {
  const token = randomToken(32)
  await tx.insert(partnerApplicationLinks).values({ tokenHash: tokenHash(token), tenantId, applicationId, createdAt: now() })
  return token
}

/** A token from a URL as it may be looked up: the shape `randomToken` makes, else null. */
export function wellFormedToken(token: unknown): string | null {
  return typeof token === 'string' && /^[A-Za-z0-9_-]{20,100}$/.test(token) ? token : null
}
