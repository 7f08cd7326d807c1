import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { events } from '../events.tables.ts'
import { cleanEventInput, type EventInput } from './event-input.ts'
import { replaceEventLinks } from './event-links.ts'
import { sendEventUpdates } from '../invitations/commands/send-event-updates.ts'
import { lockEvent } from './load-event.ts'

/**
 * Changes an event. A draft changes freely. For an announced event, a change that calendars
 * carry (time, place, title, links) raises `sequence`, so the update sent to invitees
 * replaces their copy; a change to the speakers or lists only does not. A cancelled or done
 * event is closed.
 */
export async function updateEvent(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor
  id: string
  input: EventInput
  ip?: string
}): Promise<{ id: string; sequence: number; calendarChanged: boolean }> {
  const old = await lockEvent(o.tx, o.tenantId, o.id)
  if (old.state === 'cancelled' || old.state === 'done') throw new AppError('EVENT_CLOSED')
  const v = await cleanEventInput(o.tx, o.tenantId, o.input)
  const changed: string[] = []
  if (old.kind !== v.kind) changed.push('kind')
  if (old.title !== v.title) changed.push('title')
  if (old.topic !== v.topic) changed.push('topic')
  if (old.agendaMd !== v.agendaMd) changed.push('agenda')
  if (old.startsAt.getTime() !== v.startsAt.getTime()) changed.push('startsAt')
  if (old.endsAt.getTime() !== v.endsAt.getTime()) changed.push('endsAt')
  if (old.place !== v.place) changed.push('place')
  if ((old.mapUrl ?? null) !== v.mapUrl) changed.push('mapUrl')
  if ((old.onlineUrl ?? null) !== v.onlineUrl) changed.push('onlineUrl')
  if ((old.capacity ?? null) !== v.capacity) changed.push('capacity')
  if ((old.rsvpDeadline?.getTime() ?? null) !== (v.rsvpDeadline?.getTime() ?? null)) changed.push('rsvpDeadline')
  // What an invitee's calendar shows: these make a new SEQUENCE once the event is announced.
  const CAL = new Set(['title', 'topic', 'agenda', 'startsAt', 'endsAt', 'place', 'mapUrl', 'onlineUrl'])
  const calendarChanged = old.state === 'announced' && changed.some((c) => CAL.has(c))
  const sequence = calendarChanged ? old.sequence + 1 : old.sequence
  const [updated] = await o.tx
    .update(events)
    .set({
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
      sequence,
      updatedAt: now(),
    })
    .where(eq(events.id, old.id))
    .returning()
  await replaceEventLinks(o.tx, o.tenantId, old.id, v.speakerIds, v.listIds)
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.updated',
    subjectType: 'event',
    subjectId: old.id,
    summary: {
      changed,
      sequence,
      from: { startsAt: old.startsAt.toISOString(), place: old.place },
      to: { startsAt: v.startsAt.toISOString(), place: v.place },
    },
    ip: o.ip,
  })
  // Invitees' calendars follow in the same transaction (a REQUEST with the higher SEQUENCE).
  if (calendarChanged && updated) await sendEventUpdates(o.tx, updated, { actor: o.actor, ip: o.ip })
  return { id: old.id, sequence, calendarChanged }
}
