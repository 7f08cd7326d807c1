import { and, eq, inArray, sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { verifyDummy, verifyPassword } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { isRole, isStaffRole } from '../../../platform/policy/index.ts'
import { signInFailures } from '../accounts.tables.ts'
import { createSession, type SessionLimits, type SessionStage } from '../sessions.ts'
import { findUserByEmail } from '../users.ts'

/** Failures allowed before the delay starts, per kind of key. */
const FREE_FAILURES = { email: 3, ip: 20 } as const
const MAX_DELAY_SECONDS = 900

/** Seconds to wait after `failures` failed attempts on a key of `kind` (doubling, capped). */
export function delayAfter(kind: 'email' | 'ip', failures: number): number {
  const over = failures - FREE_FAILURES[kind]
  if (over < 0) return 0
  return Math.min(MAX_DELAY_SECONDS, 2 ** over)
}

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

async function assertNotLocked(database: Database, tenantId: string, keys: string[]): Promise<void> {
  const rows = await database.db
    .select()
    .from(signInFailures)
    .where(and(eq(signInFailures.tenantId, tenantId), inArray(signInFailures.key, keys)))
  const at = now().getTime()
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0))
  if (until > at) {
    const seconds = Math.ceil((until - at) / 1000)
    throw new AppError('TOO_MANY_ATTEMPTS', { seconds }, { 'retry-after': String(seconds) })
  }
}

async function recordFailure(database: Database, tenantId: string, email: string, ip: string, userId?: string): Promise<void> {
  await withTransaction(database.pool, async (tx) => {
    for (const [kind, key] of [
      ['email', `email:${email}`],
      ['ip', `ip:${ip}`],
    ] as const) {
      const [row] = await tx
        .insert(signInFailures)
        .values({ tenantId, key, failures: 1, lastFailedAt: now() })
        .onConflictDoUpdate({
          target: [signInFailures.tenantId, signInFailures.key],
          set: { failures: sql`${signInFailures.failures} + 1`, lastFailedAt: now() },
        })
        .returning({ failures: signInFailures.failures })
      const delay = delayAfter(kind, row?.failures ?? 1)
      if (delay > 0) {
        await tx
          .update(signInFailures)
          .set({ lockedUntil: new Date(now().getTime() + delay * 1000) })
          .where(and(eq(signInFailures.tenantId, tenantId), eq(signInFailures.key, key)))
      }
    }
    await recordAudit(tx, {
      tenantId,
      actor: { id: userId ?? null, label: email.slice(0, 254) },
      action: 'user.sign_in_failed',
      subjectType: 'user',
      subjectId: userId ?? null,
      summary: { reason: 'bad_credentials' },
      ip,
    })
  })
}

/**
 * The password step of signing in. Refuses while a key (the e-mail or the IP) is locked
 * by the growing delay, without checking the password. On success: a new session (never
 * reusing an old one) at stage `enrol` or `verify` for staff, `full` for partners.
 */
export async function signIn(o: SignInOptions): Promise<SignInResult> {
  const email = o.email.trim().toLowerCase().slice(0, 254)
  await assertNotLocked(o.database, o.tenantId, [`email:${email}`, `ip:${o.ip}`])
  const user = email ? await findUserByEmail(o.database.db, o.tenantId, email) : undefined
  if (!user) {
    await verifyDummy(o.password)
    await recordFailure(o.database, o.tenantId, email, o.ip)
    throw new AppError('BAD_CREDENTIALS')
  }
  const ok = await verifyPassword(user.passwordHash, o.password)
  if (!ok) {
    await recordFailure(o.database, o.tenantId, email, o.ip, user.id)
    throw new AppError('BAD_CREDENTIALS')
  }
  if (user.status !== 'active') throw new AppError('ACCOUNT_DISABLED')
  if (user.isDemo && o.refuseDemo) throw new AppError('DEMO_REFUSED')
  if (!isRole(user.role)) throw new AppError('FORBIDDEN', { action: 'sign-in' })
  const stage: SessionStage = isStaffRole(user.role) ? (user.totpEnabledAt ? 'verify' : 'enrol') : 'full'
  return withTransaction(o.database.pool, async (tx) => {
    await tx
      .delete(signInFailures)
      .where(and(eq(signInFailures.tenantId, o.tenantId), eq(signInFailures.key, `email:${email}`)))
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
