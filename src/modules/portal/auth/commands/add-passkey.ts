/**
 * A signed-in partner adds a passkey on /doi-tac/bao-mat: registration options (a stored
 * challenge, the partner's existing passkeys excluded, a discoverable credential required so
 * that sign-in needs no e-mail), then the browser's answer is verified and the passkey stored
 * with its name, audited.
 */
import type { RegistrationResponseJSON, VerifiedRegistrationResponse } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../../../db/index.ts'
import { withTransaction } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { cleanLine } from '../../../../platform/text-input.ts'
import type { User } from '../../../accounts/users.ts'
import { passkeys } from '../auth.tables.ts'
import { challengeOf, type RelyingParty, storeChallenge, useChallenge, webauthnServer } from '../webauthn.ts'

/** At most this many passkeys per account. */
export const MAX_PASSKEYS = 10

/** The registration options for `user` (challenge stored, single use, 5 minutes). */
export async function passkeyRegistrationOptions(database: Database, o: { user: User; rp: RelyingParty }) {
  const existing = await database.db
    .select({ credentialId: passkeys.credentialId, transports: passkeys.transports })
    .from(passkeys)
    .where(and(eq(passkeys.tenantId, o.user.tenantId), eq(passkeys.userId, o.user.id)))
  if (existing.length >= MAX_PASSKEYS) throw new AppError('PORTAL_PASSKEY_LIMIT', { max: MAX_PASSKEYS })
  const { generateRegistrationOptions } = await webauthnServer()
  const options = await generateRegistrationOptions({
    rpName: o.rp.name,
    rpID: o.rp.id,
    userName: o.user.email,
    userDisplayName: o.user.name || o.user.email,
    // The account id as the WebAuthn user handle: stable, and no personal data.
    userID: new TextEncoder().encode(o.user.id),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: c.transports as never })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'preferred' },
    timeout: 5 * 60_000,
  })
  await storeChallenge(database.db, { tenantId: o.user.tenantId, purpose: 'register', userId: o.user.id, challenge: options.challenge })
  return options
}

/** Options of {@link addPasskey}. */
export interface AddPasskeyOptions {
  database: Database
  user: User
  rp: RelyingParty
  /** What the partner calls it ("iPhone của tôi"). */
  name: string
  /** The browser's answer (`startRegistration` of @simplewebauthn/browser). */
  response: RegistrationResponseJSON
  ip: string
}

/**
 * Verifies the browser's answer against the stored challenge (used up first, so a failed
 * attempt cannot be retried with it) and stores the passkey. Throws PORTAL_PASSKEY_NAME,
 * PORTAL_PASSKEY_CHALLENGE or PORTAL_PASSKEY_FAILED.
 */
export async function addPasskey(o: AddPasskeyOptions): Promise<{ id: string }> {
  const name = cleanLine(o.name, 80)
  if (!name) throw new AppError('PORTAL_PASSKEY_NAME')
  const challenge = challengeOf(o.response)
  await withTransaction(o.database.pool, (tx) =>
    useChallenge(tx, { tenantId: o.user.tenantId, purpose: 'register', userId: o.user.id, challenge }),
  )
  const { verifyRegistrationResponse } = await webauthnServer()
  let verification: VerifiedRegistrationResponse
  try {
    verification = await verifyRegistrationResponse({
      response: o.response,
      expectedChallenge: challenge,
      expectedOrigin: o.rp.origin,
      expectedRPID: o.rp.id,
      requireUserVerification: false,
    })
  } catch {
    throw new AppError('PORTAL_PASSKEY_FAILED')
  }
  if (!verification.verified) throw new AppError('PORTAL_PASSKEY_FAILED')
  const info = verification.registrationInfo
  return withTransaction(o.database.pool, async (tx) => {
    const [row] = await tx
      .insert(passkeys)
      .values({
        tenantId: o.user.tenantId,
        userId: o.user.id,
        credentialId: info.credential.id,
        publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
        counter: info.credential.counter,
        transports: (info.credential.transports ?? []) as string[],
        deviceType: info.credentialDeviceType,
        backedUp: info.credentialBackedUp,
        name,
        createdAt: now(),
      })
      .onConflictDoNothing()
      .returning({ id: passkeys.id })
    // The same authenticator registered twice (the exclude list was ignored).
    if (!row) throw new AppError('PORTAL_PASSKEY_FAILED')
    await recordAudit(tx, {
      tenantId: o.user.tenantId,
      actor: { id: o.user.id, label: o.user.email },
      action: 'portal.passkey_added',
      subjectType: 'passkey',
      subjectId: row.id,
      summary: { name, deviceType: info.credentialDeviceType, backedUp: info.credentialBackedUp },
      ip: o.ip,
    })
    return row
  })
}
