/**
 * WebAuthn settings and server-side challenges for partners' passkeys (@simplewebauthn/server).
 * The relying party is the site itself: its ID is the hostname of PUBLIC_URL and the only
 * accepted origin is PUBLIC_URL. A challenge is stored when options are handed out and used
 * once, within 5 minutes, by a conditional UPDATE; the browser's answer names the challenge it
 * signed (clientDataJSON), so no cookie is needed to find it.
 */
import { and, eq, gt, isNull, lt } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { webauthnChallenges } from './auth.tables.ts'

/** A challenge lives 5 minutes. */
export const CHALLENGE_TTL_MS = 5 * 60_000

/** The relying party of a site. */
export interface RelyingParty {
  /** The hostname of PUBLIC_URL (no port, no scheme). */
  id: string
  /** PUBLIC_URL's origin, the only one accepted. */
  origin: string
  /** Shown by the browser when a passkey is made. */
  name: string
}

/** The relying party for `publicUrl` (the site's configured address). */
export function relyingParty(publicUrl: string, name: string): RelyingParty {
  const url = new URL(publicUrl)
  return { id: url.hostname, origin: url.origin, name }
}

/** Stores a challenge just handed to a browser (and forgets long-expired ones). */
export async function storeChallenge(
  tx: Tx | Db,
  o: { tenantId: string; purpose: 'register' | 'authenticate'; userId: string | null; challenge: string },
): Promise<void> {
  const at = now()
  await tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, new Date(at.getTime() - 3_600_000)))
  await tx.insert(webauthnChallenges).values({
    tenantId: o.tenantId,
    purpose: o.purpose,
    userId: o.userId,
    challenge: o.challenge,
    expiresAt: new Date(at.getTime() + CHALLENGE_TTL_MS),
    createdAt: at,
  })
}

/** The challenge a browser's answer signed (from its clientDataJSON), or throws PORTAL_PASSKEY_CHALLENGE. */
export function challengeOf(response: { response?: { clientDataJSON?: unknown } } | undefined): string {
  const data = response?.response?.clientDataJSON
  if (typeof data !== 'string' || data.length > 4096) throw new AppError('PORTAL_PASSKEY_CHALLENGE')
  try {
    // clientDataJSON is base64url-encoded JSON (WebAuthn §5.8.1); only its challenge is read here,
    // the library verifies the whole answer afterwards.
    const challenge = (JSON.parse(Buffer.from(data, 'base64url').toString('utf8')) as { challenge?: unknown }).challenge
    if (typeof challenge !== 'string' || challenge.length < 16 || challenge.length > 200) throw new Error('bad challenge')
    return challenge
  } catch {
    throw new AppError('PORTAL_PASSKEY_CHALLENGE')
  }
}

/**
 * Uses a stored challenge once: it must exist for this tenant and purpose (and user, for a
 * registration), be unused and younger than 5 minutes. Throws PORTAL_PASSKEY_CHALLENGE.
 */
export async function useChallenge(
  tx: Tx,
  o: { tenantId: string; purpose: 'register' | 'authenticate'; userId: string | null; challenge: string },
): Promise<void> {
  const used = await tx
    .update(webauthnChallenges)
    .set({ usedAt: now() })
    .where(
      and(
        eq(webauthnChallenges.tenantId, o.tenantId),
        eq(webauthnChallenges.purpose, o.purpose),
        eq(webauthnChallenges.challenge, o.challenge),
        o.userId ? eq(webauthnChallenges.userId, o.userId) : isNull(webauthnChallenges.userId),
        isNull(webauthnChallenges.usedAt),
        gt(webauthnChallenges.expiresAt, now()),
      ),
    )
    .returning({ id: webauthnChallenges.id })
  if (used.length === 0) throw new AppError('PORTAL_PASSKEY_CHALLENGE')
}

/** @simplewebauthn/server, loaded on first use: ~13 MB that most processes never need. */
export function webauthnServer(): Promise<typeof import('@simplewebauthn/server')> {
  return import('@simplewebauthn/server')
}
