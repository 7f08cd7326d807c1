/**
 * The iCalendar builder read back by an independent parser (ical.js): the right instants in
 * Asia/Ho_Chi_Minh whatever the server's own time zone, UID/SEQUENCE/ORGANIZER, and a
 * cancellation that removes the event from a calendar that applies iTIP (RFC 5546) rules.
 */
import ICAL from 'ical.js'
import { afterEach, describe, expect, it } from 'vitest'
import { calendarFileName, type CalendarEvent, eventCalendar } from './events.ics.ts'

const EVENT: CalendarEvent = {
  icalUid: 'b7c1e0a2-1111-4e2e-9d2b-000000000001@donghanh.test',
  sequence: 3,
  title: 'Họp báo định kỳ quý IV: tình hình an ninh trật tự',
  topic: 'Kết quả đấu tranh phòng, chống tội phạm',
  agendaMd: '1. Khai mạc\n2. Hỏi đáp',
  // 09:00–11:00 Asia/Ho_Chi_Minh = 02:00–04:00Z.
  startsAt: new Date('2026-11-20T02:00:00Z'),
  endsAt: new Date('2026-11-20T04:00:00Z'),
  place: 'Hội trường Công an tỉnh, 12 Lê Lợi',
  mapUrl: 'https://maps.example.vn/?q=12+Le+Loi',
  onlineUrl: null,
  state: 'announced',
  cancelReason: null,
  updatedAt: new Date('2026-11-01T03:00:00Z'),
}
const ORGANIZER = { name: 'Công an tỉnh Quảng Trị', email: 'baochi@congan.example.vn' }

/** Parses like a calendar client: registers the file's own VTIMEZONEs, then reads the VEVENT. */
function parse(text: string) {
  const cal = new ICAL.Component(ICAL.parse(text))
  for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz)
  const vevent = cal.getFirstSubcomponent('vevent') as ICAL.Component
  return { cal, vevent, event: new ICAL.Event(vevent) }
}

const savedTz = process.env.TZ
afterEach(() => {
  if (savedTz === undefined) delete process.env.TZ
  else process.env.TZ = savedTz
})

describe('eventCalendar', () => {
  it.each(['UTC', 'America/New_York', 'Asia/Ho_Chi_Minh'])('09:00 in Vietnam is 02:00Z when the server runs in %s', (tz) => {
    // Node re-reads TZ on assignment: the library must not depend on the server's zone.
    process.env.TZ = tz
    const text = eventCalendar(EVENT, { method: 'PUBLISH', organizer: ORGANIZER, publicUrl: 'http://donghanh.test/lich-hop-bao' })
    const { cal, vevent, event } = parse(text)
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH')
    expect(event.startDate.toJSDate().toISOString()).toBe('2026-11-20T02:00:00.000Z')
    expect(event.endDate.toJSDate().toISOString()).toBe('2026-11-20T04:00:00.000Z')
    // Wall time in the province's zone, not floating and not UTC.
    expect(event.startDate.zone?.tzid).toBe('Asia/Ho_Chi_Minh')
    expect(event.startDate.hour).toBe(9)
    expect(text).toContain('DTSTART;TZID=Asia/Ho_Chi_Minh:20261120T090000')
    // DTSTAMP is UTC (RFC 5545 3.8.7.2).
    expect(String(vevent.getFirstPropertyValue('dtstamp'))).toBe('2026-11-01T03:00:00Z')
    expect(event.uid).toBe(EVENT.icalUid)
    expect(event.sequence).toBe(3)
    expect(event.summary).toBe(EVENT.title)
    expect(event.location).toBe(EVENT.place)
    expect(event.description).toContain('Khai mạc')
    expect(String(vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:baochi@congan.example.vn')
    expect(vevent.getFirstProperty('organizer')?.getParameter('cn')).toBe(ORGANIZER.name)
    expect(vevent.getFirstPropertyValue('status')).toBe('CONFIRMED')
    expect(vevent.getAllProperties('attendee')).toHaveLength(0)
  })

  it.each(['America/New_York', 'Europe/Berlin'])(
    'a guest in %s sees the right local hour on both sides of their daylight-saving change',
    (guestZone) => {
      // The server itself runs in the guest's zone, the harder case for the writer.
      process.env.TZ = guestZone
      const local = (d: Date) =>
        new Intl.DateTimeFormat('en-GB', { timeZone: guestZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d)
      // 2027: the USA moves its clocks on 14 March, Germany on 28 March. Vietnam never does.
      const change = guestZone === 'America/New_York' ? '2027-03-14' : '2027-03-28'
      const before = new Date(`${change}T02:00:00Z`)
      before.setUTCDate(before.getUTCDate() - 1)
      const after = new Date(`${change}T02:00:00Z`)
      after.setUTCDate(after.getUTCDate() + 1)
      const hours: string[] = []
      for (const startsAt of [before, after]) {
        const text = eventCalendar(
          { ...EVENT, startsAt, endsAt: new Date(startsAt.getTime() + 2 * 3600_000) },
          { method: 'PUBLISH', organizer: ORGANIZER },
        )
        const { event } = parse(text)
        // 09:00 in Vietnam on both days, the same instant as written.
        expect(event.startDate.hour).toBe(9)
        expect(event.startDate.toJSDate().toISOString()).toBe(startsAt.toISOString())
        expect(event.endDate.toJSDate().getTime() - event.startDate.toJSDate().getTime()).toBe(2 * 3600_000)
        hours.push(local(event.startDate.toJSDate()))
      }
      // The guest's wall clock moves by the hour their zone moved, Vietnam's does not.
      expect(hours).toEqual(guestZone === 'America/New_York' ? ['21:00', '22:00'] : ['03:00', '04:00'])
    },
  )

  it('a REQUEST carries the attendee with RSVP and their answer', () => {
    const text = eventCalendar(EVENT, {
      method: 'REQUEST',
      organizer: ORGANIZER,
      attendee: { name: 'Nguyễn Thị Hoà', email: 'hoa@bao.example.vn', partstat: 'ACCEPTED' },
    })
    const { cal, vevent } = parse(text)
    expect(cal.getFirstPropertyValue('method')).toBe('REQUEST')
    const att = vevent.getFirstProperty('attendee')
    expect(String(att?.getFirstValue()).toLowerCase()).toBe('mailto:hoa@bao.example.vn')
    expect(att?.getParameter('partstat')).toBe('ACCEPTED')
    expect(att?.getParameter('rsvp')).toBe('TRUE')
    expect(att?.getParameter('cn')).toBe('Nguyễn Thị Hoà')
  })

  it('a cancellation is METHOD:CANCEL, STATUS:CANCELLED, same UID, higher SEQUENCE, and removes the event', () => {
    const request = eventCalendar(EVENT, { method: 'REQUEST', organizer: ORGANIZER })
    const cancelled = { ...EVENT, state: 'cancelled', sequence: 4, cancelReason: 'Thay đổi kế hoạch công tác' }
    const cancel = eventCalendar(cancelled, { method: 'CANCEL', organizer: ORGANIZER })
    const c = parse(cancel)
    expect(c.cal.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(c.vevent.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(c.event.uid).toBe(EVENT.icalUid)
    expect(c.event.sequence).toBe(4)
    expect(c.event.description).toContain('Thay đổi kế hoạch công tác')

    // A calendar store applying RFC 5546: REQUEST adds/replaces by UID when SEQUENCE is not
    // lower; CANCEL with a SEQUENCE not lower removes it.
    const store = new Map<string, number>()
    const apply = (text: string) => {
      const { cal, event } = parse(text)
      const method = cal.getFirstPropertyValue('method')
      const held = store.get(event.uid)
      if (held !== undefined && event.sequence < held) return
      if (method === 'CANCEL') store.delete(event.uid)
      else store.set(event.uid, event.sequence)
    }
    apply(request)
    expect(store.get(EVENT.icalUid)).toBe(3)
    apply(cancel)
    expect(store.has(EVENT.icalUid)).toBe(false)
  })

  it('the download name is the local day of the start', () => {
    // 23:30 on the 19th UTC is already the 20th in Vietnam.
    expect(calendarFileName({ startsAt: new Date('2026-11-19T23:30:00Z') })).toBe('su-kien-2026-11-20.ics')
  })
})
