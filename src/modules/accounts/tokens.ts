/**
 * Single-use tokens for setup, invitations and password resets. The link carries the
 * token; the database keeps only its hash. Consuming is one conditional UPDATE, so a token
 * can be used once even under concurrent requests.
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { randomToken, tokenHash } from '../../platform/auth/secrets.ts'
import { now } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { actionTokens } from './accounts.tables.ts'

/** Kinds of action token. */
export type TokenKind = 'setup' | 'invite' | 'reset'

/** Lifetimes: a reset link lives 30 minutes, an invitation 7 days, the setup link 24 hours. */
export const TOKEN_TTL_MS: Record<TokenKind, number> = {
  reset: 30 * 60_000,
  invite: 7 * 24 * 3_600_000,
  setup: 24 * 3_600_000,
}

/** Creates a token and returns it (the only time it exists in clear). */
export async function issueToken(tx: Tx | Db, opts: { tenantId: string; userId: string | null; kind: TokenKind }): Promise<string> {
  const token = randomToken(32)
  await tx.insert(actionTokens).values({
    tenantId: opts.tenantId,
    userId: opts.userId,
    kind: opts.kind,
    tokenHash: tokenHash(token),
    expiresAt: new Date(now().getTime() + TOKEN_TTL_MS[opts.kind]),
  })
  return token
}

/** Looks a token up without using it; throws TOKEN_INVALID / TOKEN_USED / TOKEN_EXPIRED. */
export async function peekToken(db: Db | Tx, tenantId: string, token: unknown, kind: TokenKind) {
  if (typeof token !== 'string' || token.length < 20 || token.length > 100) throw new AppError('TOKEN_INVALID')
  const [row] = await db
    .select()
    .from(actionTokens)
    .where(eq(actionTokens.tokenHash, tokenHash(token)))
  if (!row || row.kind !== kind || row.tenantId !== tenantId) throw new AppError('TOKEN_INVALID')
  if (row.usedAt) throw new AppError('TOKEN_USED')
  if (row.expiresAt <= now()) throw new AppError('TOKEN_EXPIRED')
  return row
}

/** Uses a token once, in `tx`; a second use fails with TOKEN_USED. */
export async function consumeToken(tx: Tx, tenantId: string, token: unknown, kind: TokenKind) {
  const row = await peekToken(tx, tenantId, token, kind)
  const used = await tx
    .update(actionTokens)
    .set({ usedAt: now() })
    .where(and(eq(actionTokens.id, row.id), isNull(actionTokens.usedAt)))
    .returning({ id: actionTokens.id })
  if (used.length === 0) throw new AppError('TOKEN_USED')
  return row
}
