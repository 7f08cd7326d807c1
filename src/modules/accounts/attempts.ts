/**
 * Growing delay for guessable secrets: passwords per e-mail and per IP, TOTP codes per
 * account. After a few free failures each further failure doubles the wait (capped at
 * 15 minutes); while a key is locked the secret is not even checked.
 */
import { and, eq, inArray, sql } from 'drizzle-orm'
import { type Database, type Db, type Tx, withTransaction } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { AppError, isAppError } from '../../platform/errors.ts'
import { signInFailures } from './accounts.tables.ts'

/** Kinds of key and the failures each may have before the delay starts. */
export const FREE_FAILURES = { email: 3, ip: 20, totp: 3 } as const
/** A kind of attempt key. */
export type AttemptKind = keyof typeof FREE_FAILURES
const MAX_DELAY_SECONDS = 900

/** Seconds to wait after `failures` failed attempts on a key of `kind` (doubling, capped). */
export function delayAfter(kind: AttemptKind, failures: number): number {
  const over = failures - FREE_FAILURES[kind]
  if (over < 0) return 0
  return Math.min(MAX_DELAY_SECONDS, 2 ** over)
}

/** A key: its kind and value (an e-mail, an IP address, a user id). */
export type AttemptKey = [AttemptKind, string]

const keyText = ([kind, value]: AttemptKey) => `${kind}:${value}`

/** Throws TOO_MANY_ATTEMPTS (429, Retry-After) while any of the keys is locked. */
export async function assertNotLocked(database: Database, tenantId: string, keys: AttemptKey[]): Promise<void> {
  const rows = await database.db
    .select()
    .from(signInFailures)
    .where(and(eq(signInFailures.tenantId, tenantId), inArray(signInFailures.key, keys.map(keyText))))
  const at = now().getTime()
  const until = Math.max(0, ...rows.map((r) => r.lockedUntil?.getTime() ?? 0))
  if (until > at) {
    const seconds = Math.ceil((until - at) / 1000)
    throw new AppError('TOO_MANY_ATTEMPTS', { seconds }, { 'retry-after': String(seconds) })
  }
}

/** Counts one failure on each key (in its own transaction, so it survives the caller's rollback). */
export async function recordFailure(database: Database, tenantId: string, keys: AttemptKey[]): Promise<void> {
  await withTransaction(database.pool, async (tx) => {
    for (const key of keys) {
      const [row] = await tx
        .insert(signInFailures)
        .values({ tenantId, key: keyText(key), failures: 1, lastFailedAt: now() })
        .onConflictDoUpdate({
          target: [signInFailures.tenantId, signInFailures.key],
          set: { failures: sql`${signInFailures.failures} + 1`, lastFailedAt: now() },
        })
        .returning({ failures: signInFailures.failures })
      const delay = delayAfter(key[0], row?.failures ?? 1)
      if (delay > 0) {
        await tx
          .update(signInFailures)
          .set({ lockedUntil: new Date(now().getTime() + delay * 1000) })
          .where(and(eq(signInFailures.tenantId, tenantId), eq(signInFailures.key, keyText(key))))
      }
    }
  })
}

/** Forgets the failures of a key after a success (in `db`, which may be the caller's transaction). */
export async function clearFailures(db: Db | Tx, tenantId: string, key: AttemptKey): Promise<void> {
  await db.delete(signInFailures).where(and(eq(signInFailures.tenantId, tenantId), eq(signInFailures.key, keyText(key))))
}

const GUESS_ERRORS = new Set(['BAD_CREDENTIALS', 'TOTP_INVALID', 'TOTP_REPLAYED'])

/**
 * Runs `fn` (which checks a secret) under the attempt limit of `key`: refused while locked,
 * a failed guess counts, a success clears the count.
 */
export async function withAttemptLimit<T>(database: Database, tenantId: string, key: AttemptKey, fn: () => Promise<T>): Promise<T> {
  await assertNotLocked(database, tenantId, [key])
  try {
    const result = await fn()
    await clearFailures(database.db, tenantId, key)
    return result
  } catch (e) {
    if (isAppError(e) && GUESS_ERRORS.has(e.code)) await recordFailure(database, tenantId, [key])
    throw e
  }
}
