import { and, eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { events } from '../events.tables.ts'

/** An event row of this tenant, locked for the rest of the transaction; 404 otherwise. */
export async function lockEvent(tx: Tx, tenantId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('EVENT_NOT_FOUND')
  const [row] = await tx
    .select()
    .from(events)
    .where(and(eq(events.id, id), eq(events.tenantId, tenantId)))
    .for('update')
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
