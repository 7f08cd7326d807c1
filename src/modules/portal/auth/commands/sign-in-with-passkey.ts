/**
 * Signing in with a passkey on /doi-tac/dang-nhap, without typing an e-mail (discoverable
 * credentials): authentication options with a stored challenge and no allow-list; the
 * browser's answer names its credential, which is verified against the stored public key, its
 * counter raised, and a full session created for the partner's account, audited. The same
 * rules as a link: a revoked partner, a staff account or a disabled one cannot sign in.
 */
import type { AuthenticationResponseJSON } from '@simplewebauthn/server'
import { isoBase64URL } from '@simplewebauthn/server/helpers'
import { and, eq } from 'drizzle-orm'
import type { Database } from '../../../../db/index.ts'
import { withTransaction } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError, isAppError } from '../../../../platform/errors.ts'
import { isStaffRole } from '../../../../platform/policy/index.ts'
import { createSession, deleteSession, type SessionLimits } from '../../../accounts/sessions.ts'
import { findUser } from '../../../accounts/users.ts'
import { partnerOfUser } from '../../../partners/partners.actor.ts'
import { passkeys } from '../auth.tables.ts'
import { challengeOf, type RelyingParty, storeChallenge, useChallenge, webauthnServer } from '../webauthn.ts'

/** Authentication options for an unknown visitor (challenge stored, single use, 5 minutes). */
export async function passkeySignInOptions(database: Database, o: { tenantId: string; rp: RelyingParty }) {
  const { generateAuthenticationOptions } = await webauthnServer()
  const options = await generateAuthenticationOptions({ rpID: o.rp.id, userVerification: 'preferred', timeout: 5 * 60_000 })
  await storeChallenge(database.db, { tenantId: o.tenantId, purpose: 'authenticate', userId: null, challenge: options.challenge })
  return options
}

/** Options of {@link signInWithPasskey}. */
export interface SignInWithPasskeyOptions {
  database: Database
  tenantId: string
  rp: RelyingParty
  /** The browser's answer (`startAuthentication` of @simplewebauthn/browser). */
  response: AuthenticationResponseJSON
  previousSessionId?: string
  limits: SessionLimits
  ip: string
  userAgent?: string
}

/** Verifies the answer and signs the partner in; returns the new session's cookie token. */
export async function signInWithPasskey(o: SignInWithPasskeyOptions): Promise<{ token: string; userId: string }> {
  const challenge = challengeOf(o.response)
  // Used up before verifying: a failed answer cannot be retried against the same challenge.
  await withTransaction(o.database.pool, (tx) =>
    useChallenge(tx, { tenantId: o.tenantId, purpose: 'authenticate', userId: null, challenge }),
  )
  const credentialId = typeof o.response?.id === 'string' ? o.response.id.slice(0, 1024) : ''
  const [key] = credentialId
    ? await o.database.db
        .select()
        .from(passkeys)
        .where(and(eq(passkeys.tenantId, o.tenantId), eq(passkeys.credentialId, credentialId)))
    : []
  if (!key) throw new AppError('PORTAL_PASSKEY_UNKNOWN')
  let newCounter: number
  try {
    const { verifyAuthenticationResponse } = await webauthnServer()
    const verification = await verifyAuthenticationResponse({
      response: o.response,
      expectedChallenge: challenge,
      expectedOrigin: o.rp.origin,
      expectedRPID: o.rp.id,
      credential: {
        id: key.credentialId,
        publicKey: isoBase64URL.toBuffer(key.publicKey),
        counter: key.counter,
        transports: key.transports as never,
      },
      requireUserVerification: false,
    })
    if (!verification.verified) throw new Error('not verified')
    newCounter = verification.authenticationInfo.newCounter
  } catch {
    await auditRefusal(o, key.userId, 'verification_failed')
    throw new AppError('PORTAL_PASSKEY_FAILED')
  }
  try {
    return await withTransaction(o.database.pool, async (tx) => {
      const user = await findUser(tx, o.tenantId, key.userId)
      if (!user) throw new AppError('PORTAL_PASSKEY_UNKNOWN')
      if (isStaffRole(user.role)) throw new AppError('PORTAL_STAFF_ACCOUNT')
      if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED')
      const partner = await partnerOfUser(tx, o.tenantId, user.id)
      if (!partner) throw new AppError('PARTNER_REQUIRED')
      if (partner.status === 'revoked') throw new AppError('PORTAL_PARTNER_REVOKED')
      await tx.update(passkeys).set({ counter: newCounter, lastUsedAt: now() }).where(eq(passkeys.id, key.id))
      if (o.previousSessionId) await deleteSession(tx, o.previousSessionId)
      const token = await createSession(tx, {
        userId: user.id,
        tenantId: o.tenantId,
        stage: 'full',
        limits: o.limits,
        ip: o.ip,
        userAgent: o.userAgent,
      })
      await recordAudit(tx, {
        tenantId: o.tenantId,
        actor: { id: user.id, label: user.email },
        action: 'portal.signed_in',
        subjectType: 'partner',
        subjectId: partner.id,
        summary: { method: 'passkey', passkeyId: key.id, status: partner.status },
        ip: o.ip,
      })
      return { token, userId: user.id }
    })
  } catch (e) {
    if (isAppError(e)) await auditRefusal(o, key.userId, e.code)
    throw e
  }
}

async function auditRefusal(o: SignInWithPasskeyOptions, userId: string, reason: string): Promise<void> {
  await withTransaction(o.database.pool, (tx) =>
    recordAudit(tx, {
      tenantId: o.tenantId,
      actor: { id: null, label: 'passkey' },
      action: 'portal.sign_in_refused',
      subjectType: 'user',
      subjectId: userId,
      summary: { method: 'passkey', reason },
      ip: o.ip,
    }),
  )
}
