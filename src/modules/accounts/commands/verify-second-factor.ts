import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { checkTotp, normalizeRecoveryCode, verifyPassword } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { recoveryCodes, users } from '../accounts.tables.ts'
import { createSession, deleteSession, type SessionLimits } from '../sessions.ts'
import type { User } from '../users.ts'

/** Input of the second sign-in step. */
export interface VerifySecondFactorOptions {
  tx: Tx
  user: User
  /** A 6-digit TOTP code, or a recovery code (xxxxx-xxxxx). */
  code: string
  /** The partial session to replace. */
  sessionId: string
  limits: SessionLimits
  ip?: string
  userAgent?: string
}

/**
 * Checks the TOTP code (refusing a replayed one) or uses up one recovery code, then
 * rotates the partial session into a full one.
 */
export async function verifySecondFactor(o: VerifySecondFactorOptions): Promise<{ token: string; usedRecoveryCode: boolean }> {
  const user = o.user
  if (!user.totpEnabledAt || !user.totpSecret) throw new AppError('MFA_REQUIRED')
  const code = o.code.trim()
  let usedRecoveryCode = false
  if (/^\d{6}$/.test(code.replace(/\s+/g, ''))) {
    // Lock the user row so that two requests with the same code cannot both pass.
    const [fresh] = await o.tx.select().from(users).where(eq(users.id, user.id)).for('update')
    const step = checkTotp(user.totpSecret, code, fresh?.totpLastStep ?? null, now())
    await o.tx.update(users).set({ totpLastStep: step }).where(eq(users.id, user.id))
  } else {
    const wanted = normalizeRecoveryCode(code)
    const candidates = await o.tx
      .select()
      .from(recoveryCodes)
      .where(and(eq(recoveryCodes.userId, user.id), isNull(recoveryCodes.usedAt)))
      .for('update')
    let match: string | undefined
    for (const c of candidates) if (await verifyPassword(c.codeHash, wanted)) match = c.id
    if (!match) throw new AppError('TOTP_INVALID')
    await o.tx.update(recoveryCodes).set({ usedAt: now() }).where(eq(recoveryCodes.id, match))
    usedRecoveryCode = true
    await recordAudit(o.tx, {
      tenantId: user.tenantId,
      actor: { id: user.id, label: user.email },
      action: 'user.recovery_code_used',
      subjectType: 'user',
      subjectId: user.id,
      summary: { remaining: candidates.length - 1 },
      ip: o.ip,
    })
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
    action: 'user.signed_in',
    subjectType: 'user',
    subjectId: user.id,
    summary: { factor: usedRecoveryCode ? 'recovery-code' : 'totp' },
    ip: o.ip,
  })
  return { token, usedRecoveryCode }
}
