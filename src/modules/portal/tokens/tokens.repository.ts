/**
 * Reads of partner API tokens: a partner's own list (always filtered by the owner in SQL, so no
 * query here can return another partner's token) and the bearer look-up by hash.
 */
import { and, desc, eq, gt, isNull, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { type PartnerTokenRow, partnerTokens } from './tokens.tables.ts'

/** Active tokens a partner may hold at once. */
export const MAX_ACTIVE_TOKENS = 10
/** Requests a minute one token may make (token bucket: this many at once, refilled per minute). */
export const TOKEN_REQUESTS_PER_MINUTE = 120
/** The lifetimes a partner may pick, in days. No token lives for ever. */
export const TOKEN_LIFETIMES_DAYS = [30, 90, 365] as const
/** Every partner token starts with this, so a token is recognisable in logs and secret scanners. */
export const TOKEN_PREFIX = 'dhp_'
/** Characters of the token shown in lists (the prefix plus 8 random characters). */
export const VISIBLE_PREFIX_LENGTH = TOKEN_PREFIX.length + 8

/** A token as its owner sees it in the list (never the hash). */
export interface PartnerTokenView {
  id: string
  name: string
  prefix: string
  scopes: PartnerTokenRow['scopes']
  createdAt: Date
  lastUsedAt: Date | null
  expiresAt: Date
  revokedAt: Date | null
}

/** The tokens of one account, newest first (revoked and expired ones included, marked by their dates). */
export async function listOwnTokens(db: Db | Tx, tenantId: string, userId: string): Promise<PartnerTokenView[]> {
  return db
    .select({
      id: partnerTokens.id,
      name: partnerTokens.name,
      prefix: partnerTokens.prefix,
      scopes: partnerTokens.scopes,
      createdAt: partnerTokens.createdAt,
      lastUsedAt: partnerTokens.lastUsedAt,
      expiresAt: partnerTokens.expiresAt,
      revokedAt: partnerTokens.revokedAt,
    })
    .from(partnerTokens)
    .where(and(eq(partnerTokens.tenantId, tenantId), eq(partnerTokens.userId, userId)))
    .orderBy(desc(partnerTokens.createdAt))
}

/** How many of an account's tokens are usable at `at` (not revoked, not expired). */
export async function countActiveTokens(db: Db | Tx, tenantId: string, userId: string, at: Date): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(partnerTokens)
    .where(
      and(
        eq(partnerTokens.tenantId, tenantId),
        eq(partnerTokens.userId, userId),
        isNull(partnerTokens.revokedAt),
        gt(partnerTokens.expiresAt, at),
      ),
    )
  return row?.n ?? 0
}

/** A token found by its hash, with its owner's account (no validity checks: the caller decides). */
export async function unsafeFindTokenByHash(db: Db, hash: string) {
  const [row] = await db
    .select({
      token: partnerTokens,
      user: { id: users.id, tenantId: users.tenantId, role: users.role, email: users.email, status: users.status },
    })
    .from(partnerTokens)
    .innerJoin(users, eq(users.id, partnerTokens.userId))
    .where(eq(partnerTokens.tokenHash, hash))
    .limit(1)
  return row ?? null
}
