/**
 * iCalendar files for events (RFC 5545 / iTIP RFC 5546), written with `ical-generator`.
 *
 * - Times are written as Asia/Ho_Chi_Minh wall time with `TZID` and a VTIMEZONE block in the
 *   file, so a calendar abroad shows the right instant and a calendar at home shows 09:00, not
 *   02:00Z. The zone has had a fixed +07:00 offset since 1975, so the VTIMEZONE is one STANDARD
 *   rule and can be written here without a time-zone database.
 * - UID is the event's stable `ical_uid`; SEQUENCE is the event's `sequence`, which the commands
 *   raise on every change sent (time, place, cancellation), so clients replace the old copy.
 * - A cancellation is METHOD:CANCEL with STATUS:CANCELLED (and the same UID, a higher SEQUENCE),
 *   which makes calendar clients drop the event.
 */
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from 'ical-generator'
import { now } from '../../platform/clock.ts'
import { LOCAL_ZONE } from '../../platform/time.ts'

/** The fields of an event a calendar file needs (an `events` row satisfies it). */
export interface CalendarEvent {
  icalUid: string
  sequence: number
  title: string
  topic: string
  agendaMd: string
  startsAt: Date
  endsAt: Date
  place: string
  mapUrl: string | null
  onlineUrl: string | null
  state: string
  cancelReason?: string | null
  updatedAt?: Date
}

/** Options of a calendar file. */
export interface CalendarOptions {
  /** PUBLISH: "add to calendar" (public schedule); REQUEST: an invitation or its update; CANCEL. */
  method: 'PUBLISH' | 'REQUEST' | 'CANCEL'
  /** The office sending it (tenant name and its sender e-mail). */
  organizer: { name: string; email: string }
  /** The invitee (REQUEST/CANCEL mails); PARTSTAT from their answer when known. */
  attendee?: { name: string; email: string; partstat?: 'NEEDS-ACTION' | 'ACCEPTED' | 'DECLINED' | 'TENTATIVE' }
  /** A link to the event's page (public schedule or portal), written as URL. */
  publicUrl?: string
}

/** The VTIMEZONE of the province: fixed +07:00 (no daylight saving time since 1975). */
const VTIMEZONE = [
  'BEGIN:VTIMEZONE',
  `TZID:${LOCAL_ZONE}`,
  `X-LIC-LOCATION:${LOCAL_ZONE}`,
  'BEGIN:STANDARD',
  'TZOFFSETFROM:+0700',
  'TZOFFSETTO:+0700',
  'TZNAME:+07',
  'DTSTART:19750613T000000',
  'END:STANDARD',
  'END:VTIMEZONE',
].join('\r\n')

const WALL = new Intl.DateTimeFormat('en-CA', {
  timeZone: LOCAL_ZONE,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
})

/**
 * An instant whose "local" getters give Asia/Ho_Chi_Minh wall time whatever the server's TZ.
 * ical-generator formats a plain `Date` with a TZID using the *process* time zone (a server in
 * UTC would write 02:00 under TZID=Asia/Ho_Chi_Minh for a 09:00 conference); it accepts a
 * zoned date object (`internal`, `withTimeZone`, `tzComponents`, as `@date-fns/tz` has) and
 * then reads these getters, so this small adapter keeps the library and gets the right wall time.
 */
class LocalZoneDate extends Date {
  readonly internal: Date
  private readonly wall: Record<string, number>
  constructor(at: Date) {
    super(at.getTime())
    this.internal = new Date(at.getTime())
    this.wall = Object.fromEntries(
      WALL.formatToParts(at)
        .filter((p) => p.type !== 'literal')
        .map((p) => [p.type, Number(p.value)]),
    )
  }
  withTimeZone(): LocalZoneDate {
    return this
  }
  tzComponents(): { timeZone: string } {
    return { timeZone: LOCAL_ZONE }
  }
  override getFullYear(): number {
    return this.wall.year as number
  }
  override getMonth(): number {
    return (this.wall.month as number) - 1
  }
  override getDate(): number {
    return this.wall.day as number
  }
  override getHours(): number {
    return this.wall.hour as number
  }
  override getMinutes(): number {
    return this.wall.minute as number
  }
  override getSeconds(): number {
    return this.wall.second as number
  }
}

const PARTSTAT: Record<string, ICalAttendeeStatus> = {
  'NEEDS-ACTION': ICalAttendeeStatus.NEEDSACTION,
  ACCEPTED: ICalAttendeeStatus.ACCEPTED,
  DECLINED: ICalAttendeeStatus.DECLINED,
  TENTATIVE: ICalAttendeeStatus.TENTATIVE,
}

/** The plain-text description: topic, agenda, online link (calendars do not render Markdown). */
function description(event: CalendarEvent, opts: CalendarOptions): string {
  const parts = [event.topic, event.agendaMd]
  if (event.onlineUrl) parts.push(`Trực tuyến / Online: ${event.onlineUrl}`)
  if (event.mapUrl) parts.push(`Bản đồ / Map: ${event.mapUrl}`)
  if (opts.method === 'CANCEL' && event.cancelReason) parts.unshift(`ĐÃ HỦY / CANCELLED: ${event.cancelReason}`)
  return parts.filter((p) => p && p.trim() !== '').join('\n\n')
}

/**
 * The iCalendar text (`text/calendar`) of one event.
 *
 * @param event the event row (or the same fields)
 * @param opts method, organizer, optional attendee and page link
 * @returns the file's text, CRLF line endings
 */
export function eventCalendar(event: CalendarEvent, opts: CalendarOptions): string {
  const cancelled = opts.method === 'CANCEL' || event.state === 'cancelled'
  const cal = ical({
    prodId: { company: 'Dong Hanh', product: 'events', language: 'VI' },
    method: ICalCalendarMethod[opts.method],
    // No calendar-wide zone name: ical-generator would then also write DTSTAMP as zone time,
    // which RFC 5545 forbids (DTSTAMP is UTC). The generator still adds the VTIMEZONE for the
    // events' TZID.
    timezone: { name: null, generator: (tz) => (tz === LOCAL_ZONE ? VTIMEZONE : null) },
  })
  const ev = cal.createEvent({
    id: event.icalUid,
    sequence: event.sequence,
    start: new LocalZoneDate(event.startsAt),
    end: new LocalZoneDate(event.endsAt),
    timezone: LOCAL_ZONE,
    stamp: event.updatedAt ?? now(),
    summary: event.title,
    description: description(event, opts),
    location: event.place || null,
    url: opts.publicUrl ?? null,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    organizer: { name: opts.organizer.name, email: opts.organizer.email },
  })
  if (opts.attendee) {
    ev.createAttendee({
      email: opts.attendee.email,
      name: opts.attendee.name,
      role: ICalAttendeeRole.REQ,
      rsvp: opts.method === 'REQUEST',
      status: PARTSTAT[opts.attendee.partstat ?? 'NEEDS-ACTION'],
    })
  }
  return cal.toString()
}

/** A safe file name for the download (`hop-bao-2026-11-20.ics`), ASCII only. */
export function calendarFileName(event: { startsAt: Date }): string {
  const d = new Intl.DateTimeFormat('en-CA', { timeZone: LOCAL_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
  return `su-kien-${d.format(event.startsAt)}.ics`
}
