/** Reads of the staff event pages: the list with answer counts, one event with its links. */
import { and, asc, desc, eq, gte, inArray, lt, sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { distributionLists } from '../../distribution/distribution.tables.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { eventInvitations, eventLists, events, eventSpeakers } from '../events.tables.ts'

/** An event row. */
export type EventRow = typeof events.$inferSelect

/** A list row: the event and its answers so far. */
export interface EventListRow {
  event: EventRow
  yes: number
  maybe: number
  no: number
}

async function withCounts(db: Db, tenantId: string, rows: EventRow[]): Promise<EventListRow[]> {
  if (rows.length === 0) return []
  const counts = await db
    .select({
      eventId: eventInvitations.eventId,
      yes: sql<number>`count(*) FILTER (WHERE ${eventInvitations.state} = 'yes')::int`,
      maybe: sql<number>`count(*) FILTER (WHERE ${eventInvitations.state} = 'maybe')::int`,
      no: sql<number>`count(*) FILTER (WHERE ${eventInvitations.state} = 'no')::int`,
    })
    .from(eventInvitations)
    .where(
      and(
        eq(eventInvitations.tenantId, tenantId),
        inArray(
          eventInvitations.eventId,
          rows.map((r) => r.id),
        ),
      ),
    )
    .groupBy(eventInvitations.eventId)
  const by = new Map(counts.map((c) => [c.eventId, c]))
  return rows.map((event) => ({
    event,
    yes: by.get(event.id)?.yes ?? 0,
    maybe: by.get(event.id)?.maybe ?? 0,
    no: by.get(event.id)?.no ?? 0,
  }))
}

/** Upcoming events (soonest first) and past ones (latest first, at most `pastLimit`). */
export async function listEvents(db: Db, tenantId: string, at: Date, pastLimit = 50) {
  const upcoming = await db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), gte(events.endsAt, at)))
    .orderBy(asc(events.startsAt), asc(events.id))
  const past = await db
    .select()
    .from(events)
    .where(and(eq(events.tenantId, tenantId), lt(events.endsAt, at)))
    .orderBy(desc(events.startsAt), asc(events.id))
    .limit(pastLimit)
  return { upcoming: await withCounts(db, tenantId, upcoming), past: await withCounts(db, tenantId, past) }
}

/** The speakers of an event in order (name and title from the register). */
export async function speakersOf(db: Db, eventId: string) {
  return db
    .select({ id: spokespersons.id, name: spokespersons.name, title: spokespersons.title })
    .from(eventSpeakers)
    .innerJoin(spokespersons, eq(spokespersons.id, eventSpeakers.spokespersonId))
    .where(eq(eventSpeakers.eventId, eventId))
    .orderBy(asc(eventSpeakers.position))
}

/** The distribution lists invited to an event. */
export async function listsOf(db: Db, eventId: string) {
  return db
    .select({ id: distributionLists.id, name: distributionLists.name })
    .from(eventLists)
    .innerJoin(distributionLists, eq(distributionLists.id, eventLists.listId))
    .where(eq(eventLists.eventId, eventId))
    .orderBy(sql`fold_vi(${distributionLists.name})`)
}
