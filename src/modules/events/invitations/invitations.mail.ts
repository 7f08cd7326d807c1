/**
 * The mails of invitations: the invitation, an update, a cancellation, a seat freed from the
 * waiting list, and the reminders. Each is written in Vietnamese then English (a partner's
 * language is not known), and the first four carry the event's iCalendar file as an attachment
 * (`text/calendar; method=…`) with the partner as ATTENDEE, so a calendar client adds, updates
 * or drops the event by its UID and SEQUENCE.
 */
import type { Tx } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { loadTenant } from '../../../platform/tenancy/index.ts'
import { localFormat } from '../../../platform/time.ts'
import { calendarFileName, eventCalendar } from '../events.ics.ts'
import type { events, InvitationState } from '../events.tables.ts'

/** An event row. */
export type EventRow = typeof events.$inferSelect

/** What a mail is about. */
export type EventMailKind = 'invite' | 'update' | 'cancel' | 'promoted' | 'reminder24h' | 'reminder2h'

/** The partner page of one invitation. */
export function portalEventPath(eventId: string): string {
  return `/doi-tac/su-kien/${eventId}`
}

/** The address part of a `Name <addr>` sender. */
function addressOf(from: string): string {
  return /<([^>]+)>/.exec(from)?.[1]?.trim() ?? from.trim()
}

/** The office as ORGANIZER: the tenant's name and the sender address of its mail. */
export async function organizerOf(tx: Tx, tenantId: string): Promise<{ name: string; email: string }> {
  const tenant = await loadTenant(tx, tenantId)
  return { name: tenant?.name ?? 'Đồng Hành', email: addressOf(processConfig().mailFrom) }
}

const PARTSTAT: Partial<Record<InvitationState, 'ACCEPTED' | 'DECLINED' | 'TENTATIVE'>> = {
  yes: 'ACCEPTED',
  no: 'DECLINED',
  maybe: 'TENTATIVE',
}

/**
 * The iCalendar text of `event` for one invitee: REQUEST (or CANCEL once the event is
 * cancelled), ATTENDEE = the partner with their answer, SEQUENCE = the event's.
 */
export function invitationCalendar(
  event: EventRow,
  organizer: { name: string; email: string },
  invitee: { name: string; email: string; state: InvitationState },
): { method: 'REQUEST' | 'CANCEL'; text: string } {
  const method = event.state === 'cancelled' ? 'CANCEL' : 'REQUEST'
  const text = eventCalendar(event, {
    method,
    organizer,
    attendee: { name: invitee.name, email: invitee.email, partstat: PARTSTAT[invitee.state] ?? 'NEEDS-ACTION' },
    publicUrl: `${processConfig().publicUrl}${portalEventPath(event.id)}`,
  })
  return { method, text }
}

/** The event's time in words, in local time (`Thứ Sáu, 20 tháng 11, 2026 lúc 09:00`). */
export function eventWhen(event: Pick<EventRow, 'startsAt' | 'endsAt'>, l: 'vi' | 'en'): string {
  const day = localFormat(l, { dateStyle: 'full', timeStyle: 'short' }).format(event.startsAt)
  const end = localFormat(l, { timeStyle: 'short' }).format(event.endsAt)
  return `${day} – ${end} (GMT+7)`
}

/**
 * Queues one mail about `event` to one invitee, in `tx` (it goes if and only if the caller's
 * change commits). Returns the outbox id.
 */
export async function queueEventMail(
  tx: Tx,
  o: {
    /** The event, as it is now (its state decides REQUEST or CANCEL). */
    event: EventRow
    /** The invitee. */
    invitee: { name: string; email: string; state: InvitationState }
    /** What the mail says. */
    kind: EventMailKind
    /** The office (ORGANIZER); loaded when not given (pass it when mailing many). */
    organizer?: { name: string; email: string }
  },
): Promise<string> {
  const { event, invitee, kind } = o
  const organizer = o.organizer ?? (await organizerOf(tx, event.tenantId))
  const url = `${processConfig().publicUrl}${portalEventPath(event.id)}`
  const part = (l: 'vi' | 'en') => {
    const p = {
      title: event.title,
      when: eventWhen(event, l),
      place: event.place || '—',
      office: organizer.name,
      reason: event.cancelReason ?? '',
      url,
    }
    const lines = [
      t(l, `evinv.mail.${kind}.intro`, p),
      '',
      `${t(l, 'evinv.mail.when')}: ${p.when}`,
      `${t(l, 'evinv.mail.place')}: ${p.place}`,
    ]
    if (event.mapUrl) lines.push(`${t(l, 'evinv.mail.map')}: ${event.mapUrl}`)
    if (event.onlineUrl) lines.push(`${t(l, 'evinv.mail.online')}: ${event.onlineUrl}`)
    if (kind === 'cancel' && event.cancelReason) lines.push(`${t(l, 'evinv.mail.reason')}: ${event.cancelReason}`)
    lines.push('', t(l, kind === 'cancel' ? 'evinv.mail.cancelFooter' : 'evinv.mail.footer', p))
    return { subject: t(l, `evinv.mail.${kind}.subject`, p), text: lines.join('\n') }
  }
  const vi = part('vi')
  const en = part('en')
  const withCalendar = kind === 'invite' || kind === 'update' || kind === 'cancel' || kind === 'promoted'
  const attachments = []
  if (withCalendar) {
    const cal = invitationCalendar(event, organizer, invitee)
    attachments.push({
      filename: calendarFileName(event),
      contentType: `text/calendar; charset=utf-8; method=${cal.method}`,
      content: cal.text,
    })
  }
  return queueMail(tx, {
    tenantId: event.tenantId,
    to: invitee.email,
    subject: `${vi.subject} / ${en.subject}`,
    text: `${vi.text}\n\n— English —\n\n${en.text}`,
    attachments,
  })
}
