import { and, eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { events } from '../events.tables.ts'

/**
 * An event row of this tenant, locked for the rest of the transaction; 404 otherwise (also for
 * a malformed id). The lock is FOR NO KEY UPDATE: it serialises the event's decisions (answers,
 * invitations, updates) without blocking the foreign-key checks of rows that point at the event
 * (a check-in at the door goes on while an invitation round holds the event).
 */
export async function lockEvent(tx: Tx, tenantId: string, id: string) {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new AppError('EVENT_NOT_FOUND')
  const [row] = await tx
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.tenantId, tenantId)))
    .for('no key update')
  if (!row) throw new AppError('EVENT_NOT_FOUND')
  return row
}

/** An event row of this tenant, or null. */
export async function findEvent(db: Db | Tx, tenantId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null
  const [row] = await db
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.tenantId, tenantId)))
  return row ?? null
}
