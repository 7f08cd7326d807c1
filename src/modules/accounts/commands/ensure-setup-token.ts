import { and, eq, isNull } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { actionTokens } from '../accounts.tables.ts'
import { issueToken } from '../tokens.ts'
import { hasActiveAdmin } from '../users.ts'

/**
 * When the tenant has no active admin, replaces any earlier setup token with a new one
 * and returns it, so the one printed at start-up is the only one that works. Returns null
 * when an admin exists (the wizard is closed; there are no default passwords).
 */
export async function ensureSetupToken(opts: {
  /** The open database. */
  database: Database
  /** The tenant to set up. */
  tenantId: string
}): Promise<string | null> {
  return withTransaction(opts.database.pool, async (tx) => {
    if (await hasActiveAdmin(tx, opts.tenantId)) return null
    await tx
      .update(actionTokens)
      .set({ usedAt: now() })
      .where(and(eq(actionTokens.tenantId, opts.tenantId), eq(actionTokens.kind, 'setup'), isNull(actionTokens.usedAt)))
    return issueToken(tx, { tenantId: opts.tenantId, userId: null, kind: 'setup' })
  })
}
