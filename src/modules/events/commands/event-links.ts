/** Replaces an event's speakers and invited lists (same transaction as the event row). */
import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { eventLists, eventSpeakers } from '../events.tables.ts'

/** Writes the speakers (in the order chosen) and the lists of an event, replacing the old ones. */
export async function replaceEventLinks(tx: Tx, tenantId: string, eventId: string, speakerIds: string[], listIds: string[]): Promise<void> {
  await tx.delete(eventSpeakers).where(eq(eventSpeakers.eventId, eventId))
  await tx.delete(eventLists).where(eq(eventLists.eventId, eventId))
  if (speakerIds.length)
    await tx.insert(eventSpeakers).values(speakerIds.map((spokespersonId, position) => ({ tenantId, eventId, spokespersonId, position })))
  if (listIds.length) await tx.insert(eventLists).values(listIds.map((listId) => ({ tenantId, eventId, listId })))
}
