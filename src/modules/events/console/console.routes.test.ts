/**
 * Events through HTTP: staff create, edit, announce and cancel; bad input is refused with a
 * bilingual 400 and nothing written; an announced event's calendar change raises SEQUENCE (a
 * draft's does not); the public schedule shows announced press conferences only, with an .ics
 * an independent parser reads at the right instant.
 */
import { and, eq } from 'drizzle-orm'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { makeSpokesperson } from '../../../../test/support/releases.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, resetClock } from '../../../platform/clock.ts'
import { distributionLists } from '../../distribution/distribution.tables.ts'
import { eventInvitations, eventLists, events, eventSpeakers } from '../events.tables.ts'

let t: TestApp
let approverIn: Login
let editorIn: Login
let officerIn: Login
let speakerId: string
let listId: string

// "Now" for this file: 1 November 2026, 10:00 in Vietnam.
const NOW = new Date('2026-11-01T03:00:00Z')

beforeAll(async () => {
  freezeClock(NOW)
  t = await createTestApp()
  approverIn = await loginAs(t, await makeUser(t, { role: 'approver' }))
  editorIn = await loginAs(t, await makeUser(t, { role: 'editor' }))
  officerIn = await loginAs(t, await makeUser(t, { role: 'officer' }))
  speakerId = await makeSpokesperson(t)
  const [list] = await t.database.db
    .insert(distributionLists)
    .values({ tenantId: t.tenant.id, name: 'Phóng viên thường trú', kind: 'static' })
    .returning({ id: distributionLists.id })
  listId = list?.id as string
})
afterAll(async () => {
  resetClock()
  await t?.close()
})

/** Posts a form; arrays become repeated fields (checkboxes). */
const post = (login: Login, url: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams()
  for (const [k, v] of Object.entries({ ...fields, _csrf: login.csrf })) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x)
  return t.app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: login.cookie },
  })
}
const get = (login: Login | null, url: string) => t.app.inject({ method: 'GET', url, headers: login ? { cookie: login.cookie } : {} })

const GOOD = {
  kind: 'regular_press_conference',
  title: 'Họp báo định kỳ quý IV năm 2026',
  topic: 'Tình hình an ninh trật tự quý IV',
  agendaMd: '1. Thông báo kết quả\n2. Trả lời câu hỏi của phóng viên',
  startsAt: '2026-11-20T09:00',
  endsAt: '2026-11-20T11:00',
  place: 'Hội trường Công an tỉnh, 12 Lê Lợi',
  mapUrl: 'https://maps.example.vn/?q=12+Le+Loi',
  onlineUrl: '',
  capacity: '40',
  rsvpDeadline: '2026-11-19T17:00',
}

const countEvents = async () => (await t.database.db.select().from(events).where(eq(events.tenantId, t.tenant.id))).length
const load = async (id: string) => (await t.database.db.select().from(events).where(eq(events.id, id)))[0]
const idFrom = (location: string | undefined) => /\/console\/su-kien\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] as string

/** Creates an event through the form and returns its id. */
async function create(fields: Record<string, string | string[]>): Promise<string> {
  const res = await post(editorIn, '/console/su-kien/moi', fields)
  expect(res.statusCode, res.body.slice(0, 500)).toBe(303)
  return idFrom(res.headers.location as string)
}

describe('bad input', () => {
  it.each([
    [{ endsAt: '2026-11-20T08:00' }, 'Giờ kết thúc phải sau giờ bắt đầu', 'The end must be after the start'],
    [{ mapUrl: 'javascript:alert(1)' }, 'phải là địa chỉ http:// hoặc https://', 'must be a valid http:// or https://'],
    [{ onlineUrl: 'ftp://files.example.vn/x' }, 'phải là địa chỉ http:// hoặc https://', 'must be a valid http:// or https://'],
    [{ capacity: '0' }, 'Số chỗ phải là số nguyên dương', 'Seats must be a positive whole number'],
    [{ capacity: '-3' }, 'Số chỗ phải là số nguyên dương', 'Seats must be a positive whole number'],
    [{ rsvpDeadline: '2026-11-20T10:00' }, 'Hạn đăng ký phải trước giờ bắt đầu', 'The answer deadline must be before the start'],
    [{ startsAt: '2026-02-31T09:00' }, 'Thông tin sự kiện chưa hợp lệ', 'details are not valid'],
    [{ kind: 'party' }, 'Thông tin sự kiện chưa hợp lệ', 'details are not valid'],
    [{ speakerIds: '00000000-0000-4000-8000-000000000000' }, 'Người phát ngôn không có', 'A spokesperson chosen is not'],
    [{ listIds: 'not-a-uuid' }, 'Danh sách mời không tồn tại', 'An invitation list chosen does not exist'],
  ])('%o is refused with a bilingual 400 and nothing written', async (change, vi, en) => {
    const before = await countEvents()
    const res = await post(editorIn, '/console/su-kien/moi', { ...GOOD, ...change })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain(vi)
    expect(res.body).toContain(en)
    // The typed values come back.
    expect(res.body).toContain('value="Họp báo định kỳ quý IV năm 2026"')
    expect(await countEvents()).toBe(before)
  })

  it('officers read events but may not create them', async () => {
    expect((await get(officerIn, '/console/su-kien')).statusCode).toBe(200)
    expect((await post(officerIn, '/console/su-kien/moi', GOOD)).statusCode).toBe(403)
  })
})

describe('the life of a press conference', () => {
  let id: string

  it('an editor creates a draft with speakers and lists; local times are stored as instants', async () => {
    id = await create({ ...GOOD, speakerIds: [speakerId], listIds: [listId] })
    const e = await load(id)
    expect(e?.state).toBe('draft')
    expect(e?.sequence).toBe(0)
    expect(e?.startsAt.toISOString()).toBe('2026-11-20T02:00:00.000Z')
    expect(e?.rsvpDeadline?.toISOString()).toBe('2026-11-19T10:00:00.000Z')
    expect(e?.capacity).toBe(40)
    expect(e?.icalUid).toMatch(/^[0-9a-f-]{36}@donghanh\.test$/)
    expect(await t.database.db.select().from(eventSpeakers).where(eq(eventSpeakers.eventId, id))).toHaveLength(1)
    expect(await t.database.db.select().from(eventLists).where(eq(eventLists.eventId, id))).toHaveLength(1)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, 'event.created')))
    expect(audit).toHaveLength(1)
    const page = await get(editorIn, `/console/su-kien/${id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Đại tá Trịnh Văn Hải')
    expect(page.body).toContain('Phóng viên thường trú')
    expect(page.body).toContain('id="event-invitations"')
    // Editors may not announce: no button.
    expect(page.body).not.toContain('/cong-bo')
  })

  it('changing a draft does not raise SEQUENCE', async () => {
    const res = await post(editorIn, `/console/su-kien/${id}/sua`, { ...GOOD, startsAt: '2026-11-20T08:30', speakerIds: speakerId })
    expect(res.statusCode).toBe(303)
    const e = await load(id)
    expect(e?.sequence).toBe(0)
    expect(e?.startsAt.toISOString()).toBe('2026-11-20T01:30:00.000Z')
  })

  it('the draft is not on the public schedule, nor its file', async () => {
    const page = await get(null, '/lich-hop-bao')
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('Họp báo định kỳ quý IV năm 2026')
    expect((await get(null, `/lich-hop-bao/${id}.ics`)).statusCode).toBe(404)
  })

  it('only approvers announce', async () => {
    expect((await post(editorIn, `/console/su-kien/${id}/cong-bo`, {})).statusCode).toBe(403)
    expect((await load(id))?.state).toBe('draft')
    const res = await post(approverIn, `/console/su-kien/${id}/cong-bo`, {})
    expect(res.statusCode).toBe(303)
    const e = await load(id)
    expect(e?.state).toBe('announced')
    expect(e?.announcedAt?.toISOString()).toBe(NOW.toISOString())
    // Announcing twice is refused.
    const again = await post(approverIn, `/console/su-kien/${id}/cong-bo`, {})
    expect(again.statusCode).toBe(409)
  })

  it('the public schedule shows it with time, place, topic, speaker and the calendar link, nothing about invitees', async () => {
    const partner = await makePartner(t, { name: 'Phóng viên Bí Mật' })
    await t.database.db.insert(eventInvitations).values({ tenantId: t.tenant.id, eventId: id, partnerId: partner.partner.id, state: 'yes' })
    const page = await get(null, '/lich-hop-bao')
    expect(page.body).toContain('Họp báo định kỳ quý IV năm 2026')
    expect(page.body).toContain('Tình hình an ninh trật tự quý IV')
    expect(page.body).toContain('Hội trường Công an tỉnh, 12 Lê Lợi')
    expect(page.body).toContain('https://maps.example.vn/?q=12+Le+Loi')
    expect(page.body).toContain('Đại tá Trịnh Văn Hải')
    expect(page.body).toContain('08:30')
    expect(page.body).toContain(`/lich-hop-bao/${id}.ics`)
    expect(page.body).toContain('Thêm vào lịch')
    expect(page.body).not.toContain('Phóng viên Bí Mật')
    expect(page.body).not.toContain('Phóng viên thường trú')
    // The staff list counts the answer.
    const list = await get(editorIn, '/console/su-kien')
    expect(list.body).toContain('1 tham dự · 0 có thể · 0 không')
  })

  it('the .ics is METHOD:PUBLISH and parses at the right instant', async () => {
    const res = await get(null, `/lich-hop-bao/${id}.ics`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/calendar; charset=utf-8/)
    expect(res.headers['content-disposition']).toBe('attachment; filename="su-kien-2026-11-20.ics"')
    const cal = new ICAL.Component(ICAL.parse(res.body))
    for (const tz of cal.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(tz)
    expect(cal.getFirstPropertyValue('method')).toBe('PUBLISH')
    const ev = new ICAL.Event(cal.getFirstSubcomponent('vevent') as ICAL.Component)
    expect(ev.startDate.toJSDate().toISOString()).toBe('2026-11-20T01:30:00.000Z')
    expect(ev.uid).toBe((await load(id))?.icalUid)
    expect(ev.sequence).toBe(0)
    expect(res.body).not.toContain('ATTENDEE')
  })

  it('moving an announced event raises SEQUENCE; changing only the seats does not', async () => {
    const moved = await post(editorIn, `/console/su-kien/${id}/sua`, { ...GOOD, startsAt: '2026-11-20T14:00', endsAt: '2026-11-20T16:00' })
    expect(moved.statusCode).toBe(303)
    expect((await load(id))?.sequence).toBe(1)
    const seats = await post(editorIn, `/console/su-kien/${id}/sua`, {
      ...GOOD,
      startsAt: '2026-11-20T14:00',
      endsAt: '2026-11-20T16:00',
      capacity: '60',
    })
    expect(seats.statusCode).toBe(303)
    const e = await load(id)
    expect(e?.sequence).toBe(1)
    expect(e?.capacity).toBe(60)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, id), eq(auditEvents.action, 'event.updated')))
    expect(audit.length).toBe(3)
  })

  it('a cancellation needs a reason, then removes it from the schedule with SEQUENCE+1', async () => {
    const noReason = await post(approverIn, `/console/su-kien/${id}/huy`, { reason: ' ' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('Cần ghi lý do huỷ')
    expect(noReason.body).toContain('Give a reason for cancelling')
    expect((await load(id))?.state).toBe('announced')
    expect((await post(editorIn, `/console/su-kien/${id}/huy`, { reason: 'Thay đổi kế hoạch' })).statusCode).toBe(403)
    const res = await post(approverIn, `/console/su-kien/${id}/huy`, { reason: 'Thay đổi kế hoạch công tác' })
    expect(res.statusCode).toBe(303)
    const e = await load(id)
    expect(e?.state).toBe('cancelled')
    expect(e?.sequence).toBe(2)
    expect(e?.cancelReason).toBe('Thay đổi kế hoạch công tác')
    expect((await get(null, `/lich-hop-bao/${id}.ics`)).statusCode).toBe(404)
    // Closed: no more edits.
    expect((await post(editorIn, `/console/su-kien/${id}/sua`, GOOD)).statusCode).toBe(409)
  })
})

describe('the public schedule', () => {
  it('lists announced press conferences only: not partner meetings, and a meeting file is 404', async () => {
    const meeting = await create({ ...GOOD, kind: 'partner_meeting', title: 'Gặp mặt phóng viên cuối năm' })
    const adhoc = await create({ ...GOOD, kind: 'adhoc_press_conference', title: 'Họp báo đột xuất vụ án ma tuý' })
    for (const id of [meeting, adhoc]) expect((await post(approverIn, `/console/su-kien/${id}/cong-bo`, {})).statusCode).toBe(303)
    const page = await get(null, '/lich-hop-bao')
    expect(page.body).toContain('Họp báo đột xuất vụ án ma tuý')
    expect(page.body).not.toContain('Gặp mặt phóng viên cuối năm')
    expect((await get(null, `/lich-hop-bao/${meeting}.ics`)).statusCode).toBe(404)
    expect((await get(null, `/lich-hop-bao/${adhoc}.ics`)).statusCode).toBe(200)
    expect((await get(null, '/lich-hop-bao/khong-co.ics')).statusCode).toBe(404)
    // The public nav links it.
    expect(page.body).toContain('href="/lich-hop-bao"')
  })

  it('keeps a held press conference among the past ones', async () => {
    const [row] = await t.database.db
      .insert(events)
      .values({
        tenantId: t.tenant.id,
        kind: 'regular_press_conference',
        title: 'Họp báo định kỳ quý III đã tổ chức',
        startsAt: new Date('2026-09-30T02:00:00Z'),
        endsAt: new Date('2026-09-30T04:00:00Z'),
        state: 'done',
        icalUid: `held-${Date.now()}@donghanh.test`,
      })
      .returning({ id: events.id })
    const page = await get(null, '/lich-hop-bao')
    const pastAt = page.body.indexOf('Đã diễn ra')
    expect(pastAt).toBeGreaterThan(0)
    expect(page.body.indexOf('Họp báo định kỳ quý III đã tổ chức')).toBeGreaterThan(pastAt)
    expect(page.body.indexOf('Họp báo đột xuất vụ án ma tuý')).toBeLessThan(pastAt)
    expect((await get(null, `/lich-hop-bao/${row?.id}.ics`)).statusCode).toBe(200)
  })
})
