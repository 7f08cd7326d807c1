import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { verifyDummy, verifyPassword } from '../../../platform/auth/secrets.ts'
import { AppError } from '../../../platform/errors.ts'
import { isRole, isStaffRole } from '../../../platform/policy/index.ts'
import { assertNotLocked, clearFailures, recordFailure } from '../attempts.ts'
import { createSession, type SessionLimits, type SessionStage } from '../sessions.ts'
import { findUserByEmail } from '../users.ts'

/** Input of the password step. */
export interface SignInOptions {
  database: Database
  tenantId: string
  email: string
  password: string
  ip: string
  userAgent?: string
  limits: SessionLimits
  /** Production mode refuses demo accounts. */
  refuseDemo: boolean
}

/** Result: the cookie token of a new session and the stage it is at. */
export interface SignInResult {
  token: string
  stage: SessionStage
  userId: string
}

async function recordSignInFailure(database: Database, tenantId: string, email: string, ip: string, userId?: string): Promise<void> {
  await recordFailure(database, tenantId, [
    ['email', email],
    ['ip', ip],
  ])
  await withTransaction(database.pool, (tx) =>
    recordAudit(tx, {
      tenantId,
      actor: { id: userId ?? null, label: email.slice(0, 254) },
      action: 'user.sign_in_failed',
      subjectType: 'user',
      subjectId: userId ?? null,
      summary: { reason: 'bad_credentials' },
      ip,
    }),
  )
}

/**
 * The password step of signing in. Refuses while a key (the e-mail or the IP) is locked
 * by the growing delay, without checking the password. On success: a new session (never
 * reusing an old one) at stage `enrol` or `verify` for staff, `full` for partners.
 */
export async function signIn(o: SignInOptions): Promise<SignInResult> {
  const email = o.email.trim().toLowerCase().slice(0, 254)
  await assertNotLocked(o.database, o.tenantId, [
    ['email', email],
    ['ip', o.ip],
  ])
  const user = email ? await findUserByEmail(o.database.db, o.tenantId, email) : undefined
  if (!user) {
    await verifyDummy(o.password)
    await recordSignInFailure(o.database, o.tenantId, email, o.ip)
    throw new AppError('BAD_CREDENTIALS')
  }
  const ok = await verifyPassword(user.passwordHash, o.password)
  if (!ok) {
    await recordSignInFailure(o.database, o.tenantId, email, o.ip, user.id)
    throw new AppError('BAD_CREDENTIALS')
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED')
  if (user.isDemo && o.refuseDemo) throw new AppError('DEMO_REFUSED')
  if (!isRole(user.role)) throw new AppError('FORBIDDEN', { action: 'sign-in' })
  const stage: SessionStage = isStaffRole(user.role) ? (user.totpEnabledAt ? 'verify' : 'enrol') : 'full'
  return withTransaction(o.database.pool, async (tx) => {
    await clearFailures(tx, o.tenantId, ['email', email])
    const token = await createSession(tx, {
      userId: user.id,
      tenantId: o.tenantId,
      stage,
      limits: o.limits,
      ip: o.ip,
      userAgent: o.userAgent,
    })
    if (stage === 'full') {
      await recordAudit(tx, {
        tenantId: o.tenantId,
        actor: { id: user.id, label: user.email },
        action: 'user.signed_in',
        subjectType: 'user',
        subjectId: user.id,
        summary: { factor: 'password' },
        ip: o.ip,
      })
    }
    return { token, stage, userId: user.id }
  })
}
