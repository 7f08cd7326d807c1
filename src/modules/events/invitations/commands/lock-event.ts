import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { events } from '../../events.tables.ts'
import type { EventRow } from '../invitations.mail.ts'

/**
 * The event of `tenantId`, locked for the rest of `tx`: invitations, answers and updates of one
 * event are serialised on its row, so seats are counted once and a SEQUENCE is mailed once.
 * A missing event (or one of another tenant, or a malformed id) is EVENT_NOT_FOUND.
 */
export async function lockEvent(tx: Tx, tenantId: string, eventId: string): Promise<EventRow> {
  if (!UUID_RE.test(eventId)) throw new AppError('EVENT_NOT_FOUND')
  const [row] = await tx
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), eq(events.id, eventId)))
    .for('update')
  if (!row) throw new AppError('EVENT_NOT_FOUND')
  return row
}

/** A UUID, as ids in URLs must be before they reach a query. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
