/**
 * Invitations and answers, end to end on a real database and a real SMTP receiver: the
 * invitation mail's calendar file read back by an independent parser (ical.js), duplicates,
 * updates (higher SEQUENCE) and cancellation (METHOD:CANCEL, same UID), answers with a
 * companion, the waiting list, the deadline, another partner's event, and the reminders (the
 * clock moved, never waited for).
 */
import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import ICAL from 'ical.js'
import { type ParsedMail, simpleParser } from 'mailparser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { createTestApp, form, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, now, resetClock } from '../../../platform/clock.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../../distribution/delivery/testing.ts'
import { eventInvitations, events } from '../events.tables.ts'
import { answerInvitation } from './commands/answer-invitation.ts'
import { lockEvent } from './commands/lock-event.ts'
import { sendEventUpdates } from './commands/send-event-updates.ts'
import { cancelEvent } from '../commands/cancel-event.ts'
import { updateEvent } from '../commands/update-event.ts'
import { runEventReminders } from './reminders.ts'

let t: TestApp
let smtp: SmtpReceiver
let editor: Login
const HOUR = 3_600_000

beforeAll(async () => {
  smtp = await startSmtpReceiver({ keepRaw: true })
  t = await createTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Công an tỉnh <hopbao@congan.example.vn>' })
  editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
})
afterAll(async () => {
  await t?.close()
  await smtp?.close()
})
afterEach(() => resetClock())

/** An announced event inviting a new static list of the given partners. */
async function makeEvent(members: MadePartner[], o: { capacity?: number | null; startsInHours?: number; rsvpDeadline?: Date | null } = {}) {
  // Whole minutes: iCalendar times have no milliseconds.
  const startsAt = new Date(Math.floor((now().getTime() + (o.startsInHours ?? 72) * HOUR) / 60_000) * 60_000)
  const [ev] = await t.database.db
    .insert(events)
    .values({
      tenantId: t.tenant.id,
      kind: 'regular_press_conference',
      title: 'Họp báo thông tin kết quả chuyên án ma tuý',
      topic: 'Kết quả đấu tranh chuyên án',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      place: 'Hội trường Công an tỉnh, 15 Hạc Thành',
      capacity: o.capacity ?? null,
      rsvpDeadline: o.rsvpDeadline ?? null,
      state: 'announced',
      announcedAt: now(),
      icalUid: `${randomUUID()}@donghanh.test`,
      sequence: 0,
    })
    .returning()
  if (!ev) throw new Error('no event')
  const list = await t.database.pool.query<{ id: string }>(
    `INSERT INTO distribution_lists (tenant_id, name, kind) VALUES ($1, $2, 'static') RETURNING id`,
    [t.tenant.id, `Mời họp báo ${randomUUID().slice(0, 8)}`],
  )
  const listId = list.rows[0]?.id as string
  for (const m of members) {
    await t.database.pool.query(`INSERT INTO distribution_list_members (tenant_id, list_id, partner_id) VALUES ($1, $2, $3)`, [
      t.tenant.id,
      listId,
      m.partner.id,
    ])
  }
  await t.database.pool.query(`INSERT INTO event_lists (tenant_id, event_id, list_id) VALUES ($1, $2, $3)`, [t.tenant.id, ev.id, listId])
  return ev
}

async function invite(eventId: string) {
  return t.app.inject({
    method: 'POST',
    url: `/console/su-kien/${eventId}/moi`,
    headers: { ...editor.headers, ...form({}).headers },
    payload: '',
  })
}

/** Mails to `to` accepted so far, parsed. */
async function mailsTo(to: string): Promise<ParsedMail[]> {
  return Promise.all(smtp.mails.filter((m) => m.to.includes(to)).map((m) => simpleParser(m.raw as Buffer)))
}

async function waitForMails(to: string, n: number): Promise<ParsedMail[]> {
  const until = Date.now() + 15_000
  for (;;) {
    const got = await mailsTo(to)
    if (got.length >= n) return got
    if (Date.now() > until) throw new Error(`expected ${n} mails to ${to}, got ${got.length}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Waits until every queued mail of the tenant has left (so "nothing more" is a real check). */
async function outboxSettled() {
  const until = Date.now() + 15_000
  for (;;) {
    const r = await t.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM mail_outbox WHERE status = 'queued'`)
    if (r.rows[0]?.n === 0) return
    if (Date.now() > until) throw new Error('outbox not settled')
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The calendar attachment of a mail, parsed by ical.js. */
function calendarOf(mail: ParsedMail) {
  const att = mail.attachments.find((a) => a.contentType === 'text/calendar')
  if (!att) throw new Error('no text/calendar attachment')
  return parseCalendar(att.content.toString('utf8'))
}

/**
 * A calendar file read by ical.js, its VTIMEZONE registered first, so times are read as the file
 * defines them (not as floating local times of the test machine).
 */
function parseCalendar(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text))
  for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz)
  const vevent = comp.getFirstSubcomponent('vevent')
  if (!vevent) throw new Error('no VEVENT')
  return { comp, vevent, event: new ICAL.Event(vevent) }
}

async function invitationOf(eventId: string, partnerId: string) {
  const [row] = await t.database.db
    .select()
    .from(eventInvitations)
    .where(and(eq(eventInvitations.eventId, eventId), eq(eventInvitations.partnerId, partnerId)))
  if (!row) throw new Error('no invitation')
  return row
}

async function answer(p: MadePartner, eventId: string, fields: Record<string, string>) {
  const f = form(fields)
  return t.app.inject({
    method: 'POST',
    url: `/doi-tac/su-kien/${eventId}/tra-loi`,
    headers: { ...p.login.headers, ...f.headers },
    payload: f.payload,
  })
}

describe('invitations', () => {
  it('mails each accredited partner once, with a REQUEST calendar file that parses to the right instant', async () => {
    const a = await makePartner(t, { name: 'Lê Thị Thu Hà' })
    const suspended = await makePartner(t, { status: 'suspended' })
    const ev = await makeEvent([a, suspended])
    const res = await invite(ev.id)
    expect(res.statusCode).toBe(303)

    const [mail] = await waitForMails(a.partner.email as string, 1)
    expect(mail?.subject).toContain('Giấy mời')
    expect(mail?.subject).toContain('Invitation')
    expect(mail?.text).toContain('Hội trường Công an tỉnh')
    const cal = calendarOf(mail as ParsedMail)
    expect(cal.comp.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(cal.event.uid).toBe(ev.icalUid)
    expect(cal.event.sequence).toBe(0)
    expect(cal.event.startDate.toJSDate().getTime()).toBe(ev.startsAt.getTime())
    expect(cal.vevent.getFirstProperty('dtstart')?.getParameter('tzid')).toBe('Asia/Ho_Chi_Minh')
    expect(String(cal.vevent.getFirstPropertyValue('organizer')).toLowerCase()).toBe('mailto:hopbao@congan.example.vn')
    const attendees = cal.vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase())
    expect(attendees).toEqual([`mailto:${(a.partner.email as string).toLowerCase()}`])

    // The suspended partner is neither invited nor mailed.
    const rows = await t.database.db.select().from(eventInvitations).where(eq(eventInvitations.eventId, ev.id))
    expect(rows.map((r) => r.partnerId)).toEqual([a.partner.id])
    expect(rows[0]?.sequenceSent).toBe(0)

    // A second round sends nothing more and writes no second invitation.
    expect((await invite(ev.id)).statusCode).toBe(303)
    await outboxSettled()
    expect(await mailsTo(a.partner.email as string)).toHaveLength(1)
    expect(await mailsTo(suspended.partner.email as string)).toHaveLength(0)
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, ev.id), eq(auditEvents.action, 'event.invited')))
    expect(audits.map((r) => (r.summary as { invited: number }).invited).sort()).toEqual([0, 1])
  })

  it('refuses officers (no edit right) and events not announced', async () => {
    const a = await makePartner(t)
    const ev = await makeEvent([a])
    const officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
    const denied = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${ev.id}/moi`,
      headers: { ...officer.headers, ...form({}).headers },
      payload: '',
    })
    expect(denied.statusCode).toBe(403)
    await t.database.db.update(events).set({ state: 'draft', announcedAt: null }).where(eq(events.id, ev.id))
    const draft = await invite(ev.id)
    expect(draft.statusCode).toBe(409)
    expect(await t.database.db.select().from(eventInvitations).where(eq(eventInvitations.eventId, ev.id))).toHaveLength(0)
  })

  it('sends an update with a higher SEQUENCE, then a cancellation with METHOD:CANCEL and the same UID', async () => {
    const a = await makePartner(t)
    const ev = await makeEvent([a])
    await invite(ev.id)
    await waitForMails(a.partner.email as string, 1)

    // The core's update command raises the SEQUENCE; here the row is changed as it would.
    const moved = new Date(ev.startsAt.getTime() + HOUR)
    await t.database.db
      .update(events)
      .set({ startsAt: moved, endsAt: new Date(moved.getTime() + 2 * HOUR), sequence: 1 })
      .where(eq(events.id, ev.id))
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${ev.id}/gui-cap-nhat`,
      headers: { ...editor.headers, ...form({}).headers },
      payload: '',
    })
    expect(res.statusCode).toBe(303)
    const [, update] = await waitForMails(a.partner.email as string, 2)
    const u = calendarOf(update as ParsedMail)
    expect(u.comp.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(u.event.uid).toBe(ev.icalUid)
    expect(u.event.sequence).toBe(1)
    expect(u.event.startDate.toJSDate().getTime()).toBe(moved.getTime())
    expect((await invitationOf(ev.id, a.partner.id)).sequenceSent).toBe(1)

    // Nothing behind any more: a second press sends nothing.
    const mailed = await withTransaction(t.database.pool, async (tx) => sendEventUpdates(tx, await lockEvent(tx, t.tenant.id, ev.id)))
    expect(mailed.mailed).toBe(0)

    await t.database.db
      .update(events)
      .set({ state: 'cancelled', cancelledAt: now(), cancelReason: 'Thay đổi kế hoạch', sequence: 2 })
      .where(eq(events.id, ev.id))
    const cancelled = await withTransaction(t.database.pool, async (tx) => sendEventUpdates(tx, await lockEvent(tx, t.tenant.id, ev.id)))
    expect(cancelled.mailed).toBe(1)
    const [, , cancel] = await waitForMails(a.partner.email as string, 3)
    const c = calendarOf(cancel as ParsedMail)
    expect(c.comp.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(c.vevent.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(c.event.uid).toBe(ev.icalUid)
    expect(c.event.sequence).toBe(2)
    expect(cancel?.subject).toContain('Huỷ')
  })

  it('the update and cancel commands themselves send the new SEQUENCE and the cancellation to invitees', async () => {
    const a = await makePartner(t)
    const ev = await makeEvent([a])
    await invite(ev.id)
    await waitForMails(a.partner.email as string, 1)
    const actor = { id: null, label: 'test' }
    const moved = new Date(ev.startsAt.getTime() + 2 * HOUR)
    const listIds = (
      await t.database.pool.query<{ list_id: string }>('SELECT list_id FROM event_lists WHERE event_id = $1', [ev.id])
    ).rows.map((r) => r.list_id)
    await withTransaction(t.database.pool, (tx) =>
      updateEvent({
        tx,
        tenantId: t.tenant.id,
        actor,
        id: ev.id,
        input: {
          kind: ev.kind,
          title: ev.title,
          topic: ev.topic,
          startsAt: moved,
          endsAt: new Date(moved.getTime() + 2 * HOUR),
          place: ev.place,
          listIds,
        },
      }),
    )
    const [, update] = await waitForMails(a.partner.email as string, 2)
    const u = calendarOf(update as ParsedMail)
    expect(u.event.sequence).toBe(1)
    expect(u.event.startDate.toJSDate().getTime()).toBe(moved.getTime())
    await withTransaction(t.database.pool, (tx) =>
      cancelEvent({ tx, tenantId: t.tenant.id, actor, id: ev.id, reason: 'Thay đổi kế hoạch' }),
    )
    const [, , cancel] = await waitForMails(a.partner.email as string, 3)
    const c = calendarOf(cancel as ParsedMail)
    expect(c.comp.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(c.event.uid).toBe(ev.icalUid)
    expect(c.event.sequence).toBe(2)
  })

  it('portal: lists own invitations, serves the REQUEST .ics, and answers 404 for another partner', async () => {
    const a = await makePartner(t)
    const b = await makePartner(t)
    const ev = await makeEvent([a])
    await invite(ev.id)
    const list = await t.app.inject({ url: '/doi-tac/su-kien', headers: a.login.headers })
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(ev.title)
    const page = await t.app.inject({ url: `/doi-tac/su-kien/${ev.id}`, headers: a.login.headers })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Tải về lịch (.ics)')
    expect(page.body).toContain('(GMT+7)')
    const ics = await t.app.inject({ url: `/doi-tac/su-kien/${ev.id}.ics`, headers: a.login.headers })
    expect(ics.statusCode).toBe(200)
    expect(ics.headers['content-type']).toContain('text/calendar')
    const parsed = parseCalendar(ics.body)
    expect(parsed.comp.getFirstPropertyValue('method')).toBe('REQUEST')
    expect(parsed.event.startDate.toJSDate().getTime()).toBe(ev.startsAt.getTime())

    for (const url of [`/doi-tac/su-kien/${ev.id}`, `/doi-tac/su-kien/${ev.id}.ics`]) {
      expect((await t.app.inject({ url, headers: b.login.headers })).statusCode).toBe(404)
    }
    expect((await answer(b, ev.id, { answer: 'yes' })).statusCode).toBe(404)
    expect((await t.app.inject({ url: '/doi-tac/su-kien', headers: b.login.headers })).body).not.toContain(ev.title)
    // Staff are not partners.
    expect((await t.app.inject({ url: '/doi-tac/su-kien', headers: editor.headers })).statusCode).toBe(403)
  })
})

describe('answers', () => {
  it('records yes / maybe / no with a companion, audited', async () => {
    const a = await makePartner(t)
    const ev = await makeEvent([a])
    await invite(ev.id)
    const yes = await answer(a, ev.id, { answer: 'yes', companionName: 'Phạm Văn Quay', companionRole: 'quay phim' })
    expect(yes.statusCode).toBe(303)
    expect(yes.headers.location).toContain('ok=saved')
    let inv = await invitationOf(ev.id, a.partner.id)
    expect([inv.state, inv.companionName, inv.companionRole]).toEqual(['yes', 'Phạm Văn Quay', 'quay phim'])
    expect((await answer(a, ev.id, { answer: 'maybe', companionName: 'Phạm Văn Quay' })).statusCode).toBe(303)
    inv = await invitationOf(ev.id, a.partner.id)
    expect([inv.state, inv.companionRole]).toEqual(['maybe', null])
    expect((await answer(a, ev.id, { answer: 'no', companionName: 'Phạm Văn Quay' })).statusCode).toBe(303)
    inv = await invitationOf(ev.id, a.partner.id)
    expect([inv.state, inv.companionName]).toEqual(['no', null])
    const bad = await answer(a, ev.id, { answer: 'perhaps' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Câu trả lời chưa hợp lệ')
    expect(bad.body).toContain('The answer is not valid')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, ev.id), eq(auditEvents.action, 'event.rsvp')))
    expect(audits.map((r) => (r.summary as { to: string }).to)).toEqual(['yes', 'maybe', 'no'])
  })

  it('waitlists a yes over capacity and promotes the earliest when a seat frees', async () => {
    const [a, b, c, d] = await Promise.all([makePartner(t), makePartner(t), makePartner(t), makePartner(t)])
    if (!a || !b || !c || !d) throw new Error('partners')
    const ev = await makeEvent([a, b, c, d], { capacity: 3 })
    await invite(ev.id)
    // a + companion = 2 seats, b = 1 seat: full.
    await answer(a, ev.id, { answer: 'yes', companionName: 'Quay phim A' })
    await answer(b, ev.id, { answer: 'yes' })
    const cRes = await answer(c, ev.id, { answer: 'yes' })
    expect(cRes.headers.location).toContain('ok=waitlisted')
    const shown = await t.app.inject({ url: cRes.headers.location as string, headers: c.login.headers })
    expect(shown.body).toContain('danh sách chờ')
    freezeClock(new Date(Date.now() + 60_000))
    await answer(d, ev.id, { answer: 'yes' })
    expect((await invitationOf(ev.id, c.partner.id)).state).toBe('waitlisted')
    expect((await invitationOf(ev.id, d.partner.id)).state).toBe('waitlisted')
    // A seated partner asking for a companion seat that is not there keeps their seat.
    const noSeat = await answer(b, ev.id, { answer: 'yes', companionName: 'Quay phim B' })
    expect(noSeat.statusCode).toBe(409)
    expect((await invitationOf(ev.id, b.partner.id)).state).toBe('yes')

    // b says no: one seat frees, c (earliest) moves up and is mailed; d still waits.
    await answer(b, ev.id, { answer: 'no' })
    expect((await invitationOf(ev.id, c.partner.id)).state).toBe('yes')
    expect((await invitationOf(ev.id, d.partner.id)).state).toBe('waitlisted')
    // The invitation, the seat notice and the badge the confirmation brings.
    const mails = await waitForMails(c.partner.email as string, 3)
    expect(mails.some((m) => m.subject?.includes('Đã có chỗ'))).toBe(true)
    expect(mails.filter((m) => m.subject?.includes('Đã có chỗ'))).toHaveLength(1)
    // a drops the companion: one more seat, d moves up.
    await answer(a, ev.id, { answer: 'yes' })
    expect((await invitationOf(ev.id, d.partner.id)).state).toBe('yes')
    const seats = await t.database.pool.query<{ n: number }>(
      `SELECT sum(CASE WHEN companion_name IS NULL THEN 1 ELSE 2 END)::int AS n FROM event_invitations WHERE event_id = $1 AND state = 'yes'`,
      [ev.id],
    )
    expect(seats.rows[0]?.n).toBe(3)
  })

  it('refuses answers after the deadline (409, both languages) and on a cancelled event', async () => {
    const a = await makePartner(t)
    const b = await makePartner(t)
    // The deadline has just passed (a session would not survive the clock moved a day ahead).
    const ev = await makeEvent([a], { startsInHours: 48, rsvpDeadline: new Date(now().getTime() - 60_000) })
    await invite(ev.id)
    const late = await answer(a, ev.id, { answer: 'yes' })
    expect(late.statusCode).toBe(409)
    expect(late.body).toContain('Đã hết hạn đăng ký tham dự')
    expect(late.body).toContain('Answers to this event are closed')
    expect((await invitationOf(ev.id, a.partner.id)).state).toBe('invited')

    // The clock moved past a future deadline closes answers too.
    const ev2 = await makeEvent([b], { startsInHours: 48, rsvpDeadline: new Date(now().getTime() + 24 * HOUR) })
    await invite(ev2.id)
    const byCommand = (eventId: string, partnerId: string) =>
      withTransaction(t.database.pool, (tx) =>
        answerInvitation({ tx, tenantId: t.tenant.id, eventId, partnerId, answer: 'yes', actor: { id: null, label: 'test' } }),
      )
    freezeClock(new Date(Date.now() + 25 * HOUR))
    await expect(byCommand(ev2.id, b.partner.id)).rejects.toMatchObject({ code: 'EVENT_RSVP_CLOSED', status: 409 })
    resetClock()
    await expect(byCommand(ev2.id, b.partner.id)).resolves.toMatchObject({ state: 'yes' })
    await t.database.db.update(events).set({ state: 'cancelled', cancelledAt: now() }).where(eq(events.id, ev2.id))
    await expect(byCommand(ev2.id, b.partner.id)).rejects.toMatchObject({ code: 'EVENT_CLOSED', status: 409 })
  })
})

describe('reminders', () => {
  it('mails yes invitees 24 h and 2 h before, once each, and nothing for a cancelled event', async () => {
    const a = await makePartner(t)
    const maybe = await makePartner(t)
    const ev = await makeEvent([a, maybe], { startsInHours: 30 })
    const gone = await makeEvent([a], { startsInHours: 30 })
    await invite(ev.id)
    await invite(gone.id)
    await answer(a, ev.id, { answer: 'yes' })
    await answer(maybe, ev.id, { answer: 'maybe' })
    await answer(a, gone.id, { answer: 'yes' })
    await t.database.db.update(events).set({ state: 'cancelled', cancelledAt: now() }).where(eq(events.id, gone.id))
    await outboxSettled()
    const before = (await mailsTo(a.partner.email as string)).length

    freezeClock(new Date(ev.startsAt.getTime() - 23 * HOUR))
    await runEventReminders(t.database)
    await runEventReminders(t.database)
    freezeClock(new Date(ev.startsAt.getTime() - 90 * 60_000))
    await runEventReminders(t.database)
    await runEventReminders(t.database)
    await outboxSettled()
    const after = (await mailsTo(a.partner.email as string)).slice(before)
    expect(after.map((m) => m.subject?.split(':')[0]).sort()).toEqual(['Nhắc lịch (còn 2 giờ)', 'Nhắc lịch (còn 24 giờ)'])
    expect(after.every((m) => m.subject?.includes(ev.title))).toBe(true)
    expect((await mailsTo(maybe.partner.email as string)).filter((m) => m.subject?.includes('Nhắc lịch'))).toHaveLength(0)
    const row = await invitationOf(ev.id, a.partner.id)
    expect(row.reminded24hAt).not.toBeNull()
    expect(row.reminded2hAt).not.toBeNull()
    expect((await invitationOf(gone.id, a.partner.id)).reminded24hAt).toBeNull()
    const audits = await t.database.db.execute(
      sql`SELECT count(*)::int AS n FROM audit_events WHERE subject_id = ${ev.id} AND action = 'event.reminded'`,
    )
    expect((audits.rows[0] as { n: number }).n).toBe(2)
  })
})
