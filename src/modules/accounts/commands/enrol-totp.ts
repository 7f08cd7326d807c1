import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { checkTotp, hashPassword, newRecoveryCodes, newTotpSecret } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { recoveryCodes, users } from '../accounts.tables.ts'
import { createSession, deleteSession, type SessionLimits } from '../sessions.ts'
import type { User } from '../users.ts'

/**
 * Returns the pending TOTP secret of a user who has not enrolled yet, creating it on the
 * first visit so that reloading the page shows the same QR code.
 */
export async function startTotpEnrolment(o: {
  tx: Tx
  /** The user at stage `enrol`. */
  user: User
}): Promise<string> {
  if (o.user.totpEnabledAt) throw new AppError('FORBIDDEN', { action: 'enrol' })
  if (o.user.totpSecret) return o.user.totpSecret
  const secret = newTotpSecret()
  await o.tx
    .update(users)
    .set({ totpSecret: secret, updatedAt: now() })
    .where(and(eq(users.id, o.user.id), isNull(users.totpEnabledAt)))
  return secret
}

/** Input of the enrolment confirmation. */
export interface ConfirmTotpOptions {
  tx: Tx
  user: User
  /** The code from the authenticator app, proving it holds the secret. */
  code: string
  /** The partial session to replace. */
  sessionId: string
  limits: SessionLimits
  ip?: string
  userAgent?: string
}

/**
 * Confirms enrolment with a first code: enables TOTP, issues ten recovery codes (returned
 * once, stored hashed) and rotates the session to a full one.
 */
export async function confirmTotpEnrolment(o: ConfirmTotpOptions): Promise<{ token: string; recoveryCodes: string[] }> {
  const user = o.user
  if (user.totpEnabledAt || !user.totpSecret) throw new AppError('FORBIDDEN', { action: 'enrol' })
  const step = checkTotp(user.totpSecret, o.code, user.totpLastStep, now())
  await o.tx.update(users).set({ totpEnabledAt: now(), totpLastStep: step, updatedAt: now() }).where(eq(users.id, user.id))
  const codes = newRecoveryCodes()
  await o.tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, user.id))
  for (const code of codes) {
    await o.tx.insert(recoveryCodes).values({ tenantId: user.tenantId, userId: user.id, codeHash: await hashPassword(code) })
  }
  await deleteSession(o.tx, o.sessionId)
  const token = await createSession(o.tx, {
    userId: user.id,
    tenantId: user.tenantId,
    stage: 'full',
    limits: o.limits,
    ip: o.ip,
    userAgent: o.userAgent,
  })
  await recordAudit(o.tx, {
    tenantId: user.tenantId,
    actor: { id: user.id, label: user.email },
    action: 'user.totp_enrolled',
    subjectType: 'user',
    subjectId: user.id,
    summary: { recoveryCodes: codes.length },
    ip: o.ip,
  })
  await recordAudit(o.tx, {
    tenantId: user.tenantId,
    actor: { id: user.id, label: user.email },
    action: 'user.signed_in',
    subjectType: 'user',
    subjectId: user.id,
    summary: { factor: 'totp-enrolment' },
    ip: o.ip,
  })
  return { token, recoveryCodes: codes }
}
