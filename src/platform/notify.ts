/**
 * Cross-process change notices sent from inside a decision's transaction (PostgreSQL NOTIFY
 * is delivered on commit, so no process hears of a change that rolled back). Listeners
 * subscribe through `events.ts`.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../db/index.ts'

/** Channel of "public content of a tenant changed" (payload: tenant id); the public page cache listens. */
export const PUBLIC_CHANGE_CHANNEL = 'donghanh_public'

/** Tells every process (on commit) that public content of the tenant changed. */
export async function notifyPublicChange(tx: Tx, tenantId: string): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${PUBLIC_CHANGE_CHANNEL}, ${tenantId})`)
}
