/**
 * The spokesperson register.
 */
import { and, asc, desc, eq, gt } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { spokespersonDelegations, spokespersons } from './spokespersons.tables.ts'

/** Spokespersons of a tenant, active first. */
export async function listSpokespersons(db: Db, tenantId: string) {
  return db
    .select()
    .from(spokespersons)
    .where(eq(spokespersons.tenantId, tenantId))
    .orderBy(desc(spokespersons.active), asc(spokespersons.name))
}

/** Delegations still valid. */
export async function listActiveDelegations(db: Db, tenantId: string) {
  return db
    .select()
    .from(spokespersonDelegations)
    .where(and(eq(spokespersonDelegations.tenantId, tenantId), gt(spokespersonDelegations.validUntil, now())))
    .orderBy(asc(spokespersonDelegations.validUntil))
}
