import { randomUUID } from 'node:crypto'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { events } from '../events.tables.ts'
import { cleanEventInput, type EventInput } from './event-input.ts'
import { replaceEventLinks } from './event-links.ts'

/**
 * Creates a draft event with its speakers and invited lists. The iCalendar UID is made here
 * once and never changes (calendars match updates and cancellations by it).
 */
export async function createEvent(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor & { id?: string }
  input: EventInput
  /** The host part of the UID (the office's domain), e.g. `congan.example.vn`. */
  uidDomain: string
  caseId?: string | null
  ip?: string
}): Promise<{ id: string }> {
  const v = await cleanEventInput(o.tx, o.tenantId, o.input)
  const at = now()
  const [row] = await o.tx
    .insert(events)
    .values({
      tenantId: o.tenantId,
      kind: v.kind,
      title: v.title,
      topic: v.topic,
      agendaMd: v.agendaMd,
      startsAt: v.startsAt,
      endsAt: v.endsAt,
      place: v.place,
      mapUrl: v.mapUrl,
      onlineUrl: v.onlineUrl,
      capacity: v.capacity,
      rsvpDeadline: v.rsvpDeadline,
      state: 'draft',
      icalUid: `${randomUUID()}@${o.uidDomain}`,
      sequence: 0,
      caseId: o.caseId ?? null,
      createdBy: o.actor.id ?? null,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: events.id })
  const id = row?.id as string
  await replaceEventLinks(o.tx, o.tenantId, id, v.speakerIds, v.listIds)
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.created',
    subjectType: 'event',
    subjectId: id,
    summary: { kind: v.kind, title: v.title, startsAt: v.startsAt.toISOString(), speakers: v.speakerIds.length, lists: v.listIds.length },
    ip: o.ip,
  })
  return { id }
}
