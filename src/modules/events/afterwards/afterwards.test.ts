/**
 * Afterwards, end to end on a real database through HTTP: materials (a bad link refused with the
 * bilingual message and the typed values kept), sending them (not before the start; thanks to
 * those who came, the other wording to the others, nothing to withdrawn or suspended partners; a
 * second round "bổ sung"), the attendance figures and the report per event and per outlet (CSV
 * with a BOM), withdrawing an invitation (METHOD:CANCEL read back by ical.js, badge version
 * raised, the waiting list promoted), marking an event held, and the job that does it 12 h
 * after the end. Mails are read from the outbox the commands write in their transaction.
 */
import { randomUUID } from 'node:crypto'
import { and, eq, inArray } from 'drizzle-orm'
import ICAL from 'ical.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { draft, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { now } from '../../../platform/clock.ts'
import { mailOutbox } from '../../../platform/mail/mail.tables.ts'
import { localDay } from '../../../platform/time.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { releases } from '../../releases/releases.tables.ts'
import { eventCheckins, eventInvitations, eventMaterials, events, type InvitationState } from '../events.tables.ts'
import { eventsModule } from '../index.ts'
import { completePastEvents } from './auto-done.ts'

let t: TestApp
let editor: MadeUser
let editorIn: Login
let officerIn: Login
let releaseId: string
let releaseSlug: string
const HOUR = 3_600_000

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  editorIn = await loginAs(t, editor)
  officerIn = await loginAs(t, await makeUser(t, { role: 'officer' }))
  const approver = await makeUser(t, { role: 'approver' })
  const spokespersonId = await makeSpokesperson(t)
  releaseId = await draft(t, editor, { spokespersonId, content: { title: 'Thông cáo họp báo kết quả chuyên án ma tuý' } })
  await submitAndApprove(t, releaseId, editor, approver)
  const [r] = await t.database.db.select().from(releases).where(eq(releases.id, releaseId))
  if (r?.status !== 'published') throw new Error('release not published')
  releaseSlug = r.slug
})
afterAll(async () => {
  await t?.close()
})

/** Posts a form as `login` (CSRF field included unless `csrf: false`). */
const post = (login: Login | null, url: string, fields: Record<string, string> = {}) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams(login ? { ...fields, _csrf: login.csrf } : fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(login ? { cookie: login.cookie } : {}) },
  })
const get = (login: Login | null, url: string) => t.app.inject({ method: 'GET', url, headers: login ? { cookie: login.cookie } : {} })

/** An announced event inserted directly, starting `startsInHours` from now (negative: started). */
async function makeEvent(o: { startsInHours?: number; hours?: number; capacity?: number | null; title?: string } = {}) {
  const startsAt = new Date(Math.floor((now().getTime() + (o.startsInHours ?? -1) * HOUR) / 60_000) * 60_000)
  const [ev] = await t.database.db
    .insert(events)
    .values({
      tenantId: t.tenant.id,
      kind: 'regular_press_conference',
      title: o.title ?? 'Họp báo thông tin kết quả chuyên án ma tuý',
      startsAt,
      endsAt: new Date(startsAt.getTime() + (o.hours ?? 2) * HOUR),
      place: 'Hội trường Công an tỉnh',
      capacity: o.capacity ?? null,
      state: 'announced',
      announcedAt: now(),
      icalUid: `${randomUUID()}@donghanh.test`,
      sequence: 2,
    })
    .returning()
  if (!ev) throw new Error('no event')
  return ev
}

/** An invitation of `p` to `eventId` in `state` (companion when asked). */
async function invite(eventId: string, p: MadePartner, state: InvitationState, o: { companion?: boolean; waitlistedAt?: Date } = {}) {
  const [row] = await t.database.db
    .insert(eventInvitations)
    .values({
      tenantId: t.tenant.id,
      eventId,
      partnerId: p.partner.id,
      state,
      companionName: o.companion ? 'Phạm Quay Phim' : null,
      companionRole: o.companion ? 'quay phim' : null,
      waitlistedAt: o.waitlistedAt ?? null,
      sequenceSent: 2,
      respondedAt: state === 'invited' ? null : now(),
    })
    .returning()
  if (!row) throw new Error('no invitation')
  return row
}

/** A check-in at the door (the check-in part's rows, written directly). */
async function checkIn(eventId: string, invitationId: string | null, o: { companion?: boolean; walkIn?: string } = {}) {
  await t.database.db.insert(eventCheckins).values({
    tenantId: t.tenant.id,
    eventId,
    invitationId,
    walkInName: invitationId ? null : (o.walkIn ?? 'Khách vãng lai'),
    walkInOutlet: invitationId ? null : 'Báo Tự Do',
    withCompanion: o.companion ?? false,
    method: invitationId ? 'qr' : 'walk_in',
    scanId: randomUUID(),
    scannedAt: now(),
  })
}

/** Mails queued to `to`, oldest first. */
async function mailsTo(to: string | null) {
  const rows = await t.database.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, to as string))
  // Distribution's own mail of the release (the partners' fan-out, kept in the outbox whenever the
  // dispatcher gets to it) is not this test's: it carries the recipient's tokenised /l/ link.
  return rows.filter((m) => !/\/l\/[\w-]{16,}/.test(m.textBody)).sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
}

async function audits(eventId: string, action: string) {
  return t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, eventId), eq(auditEvents.action, action)))
}

async function materialsOf(eventId: string) {
  return t.database.db.select().from(eventMaterials).where(eq(eventMaterials.eventId, eventId))
}

describe('materials', () => {
  it('are added by editors (links http(s) only, a published release) and removed, each audited', async () => {
    const ev = await makeEvent()
    const base = `/console/su-kien/${ev.id}/tai-lieu`
    expect(
      (await post(editorIn, base, { kind: 'photo', title: 'Album ảnh buổi họp báo', url: 'https://anh.congan.example.vn/album/12' }))
        .statusCode,
    ).toBe(303)
    expect((await post(editorIn, base, { kind: 'release', releaseId })).statusCode).toBe(303)
    const rows = await materialsOf(ev.id)
    expect(rows.map((r) => r.kind).sort()).toEqual(['photo', 'release'])
    // A release takes its title when none is typed.
    expect(rows.find((r) => r.kind === 'release')?.title).toBe('Thông cáo họp báo kết quả chuyên án ma tuý')
    expect(await audits(ev.id, 'event.material_added')).toHaveLength(2)

    // The panel lists them, with the release linked to its public page.
    const page = await get(editorIn, `/console/su-kien/${ev.id}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="afterwards"')
    expect(page.body).toContain('https://anh.congan.example.vn/album/12')
    expect(page.body).toContain(`http://donghanh.test/tin/${releaseSlug}`)

    const photo = rows.find((r) => r.kind === 'photo')
    const del = await post(editorIn, `${base}/${photo?.id}/xoa`)
    expect(del.statusCode).toBe(303)
    expect((await materialsOf(ev.id)).map((r) => r.kind)).toEqual(['release'])
    const removed = await audits(ev.id, 'event.material_removed')
    expect(removed.map((a) => (a.summary as { url: string }).url)).toEqual(['https://anh.congan.example.vn/album/12'])
    // Removing it again (or another event's material) is a 404.
    expect((await post(editorIn, `${base}/${photo?.id}/xoa`)).statusCode).toBe(404)
  })

  it('refuse a bad link, an unpublished release and a bad kind with the bilingual message, keeping what was typed', async () => {
    const ev = await makeEvent()
    const base = `/console/su-kien/${ev.id}/tai-lieu`
    for (const url of [
      'javascript:alert(1)',
      'ftp://files.example.vn/a.pdf',
      'không phải link',
      `https://x.example.vn/${'a'.repeat(2050)}`,
      '',
    ]) {
      const res = await post(editorIn, base, { kind: 'document', title: 'Tài liệu phát cho phóng viên', url })
      expect(res.statusCode, url).toBe(400)
      expect(res.body).toContain('Tài liệu chưa hợp lệ')
      expect(res.body).toContain('The material is not valid')
      expect(res.body).toContain('value="Tài liệu phát cho phóng viên"')
    }
    expect((await post(editorIn, base, { kind: 'release', releaseId: randomUUID() })).statusCode).toBe(400)
    expect((await post(editorIn, base, { kind: 'video', url: 'https://x.example.vn' })).statusCode).toBe(400)
    expect((await post(editorIn, base, { kind: 'photo', title: 'A', url: 'https://x.example.vn' })).statusCode).toBe(400)
    expect(await materialsOf(ev.id)).toHaveLength(0)
    expect(await audits(ev.id, 'event.material_added')).toHaveLength(0)
  })

  it('require the edit right and a signed-in user', async () => {
    const ev = await makeEvent()
    const base = `/console/su-kien/${ev.id}/tai-lieu`
    const body = { kind: 'photo', title: 'Album ảnh', url: 'https://anh.example.vn' }
    expect((await post(officerIn, base, body)).statusCode).toBe(403)
    const anon = await post(null, base, body)
    expect([401, 403]).toContain(anon.statusCode)
    expect((await post(officerIn, `${base}/gui`)).statusCode).toBe(403)
    expect((await post(officerIn, `/console/su-kien/${ev.id}/da-dien-ra`)).statusCode).toBe(403)
    expect(await materialsOf(ev.id)).toHaveLength(0)
    // Officers read the figures but get no forms.
    const page = await get(officerIn, `/console/su-kien/${ev.id}`)
    expect(page.body).toContain('id="afterwards"')
    expect(page.body).not.toContain('data-material-form')
  })
})

describe('sending materials', () => {
  it('is refused before the start (409) and with no materials (409)', async () => {
    const soon = await makeEvent({ startsInHours: 5 })
    const a = await makePartner(t)
    await invite(soon.id, a, 'yes')
    expect(
      (await post(editorIn, `/console/su-kien/${soon.id}/tai-lieu`, { kind: 'photo', title: 'Ảnh', url: 'https://anh.example.vn/1' }))
        .statusCode,
    ).toBe(303)
    const early = await post(editorIn, `/console/su-kien/${soon.id}/tai-lieu/gui`)
    expect(early.statusCode).toBe(409)
    expect(early.body).toContain('chưa bắt đầu')
    expect(await mailsTo(a.partner.email)).toHaveLength(0)

    const started = await makeEvent()
    await invite(started.id, a, 'yes')
    expect((await post(editorIn, `/console/su-kien/${started.id}/tai-lieu/gui`)).statusCode).toBe(409)
    expect(await mailsTo(a.partner.email)).toHaveLength(0)
    expect(await audits(started.id, 'event.materials_sent')).toHaveLength(0)
  })

  it('thanks those who came, sends the other wording to those who did not, skips withdrawn and suspended, then a "bổ sung" round', async () => {
    const ev = await makeEvent({ title: 'Họp báo quý IV về an ninh trật tự' })
    const came = await makePartner(t, { name: 'Lê Thị Thu Hà' })
    const absent = await makePartner(t, { name: 'Đỗ Văn Vắng' })
    const declined = await makePartner(t, { name: 'Ngô Thị Bận' })
    const withdrawn = await makePartner(t)
    const suspended = await makePartner(t)
    const invCame = await invite(ev.id, came, 'yes')
    await invite(ev.id, absent, 'yes')
    await invite(ev.id, declined, 'no')
    await invite(ev.id, withdrawn, 'withdrawn')
    const invSuspended = await invite(ev.id, suspended, 'yes')
    await checkIn(ev.id, invCame.id)
    await checkIn(ev.id, invSuspended.id)
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, suspended.partner.id))

    await post(editorIn, `/console/su-kien/${ev.id}/tai-lieu`, { kind: 'release', releaseId })
    await post(editorIn, `/console/su-kien/${ev.id}/tai-lieu`, {
      kind: 'recording',
      title: 'Bản ghi hình họp báo',
      url: 'https://video.example.vn/hop-bao',
    })
    // The panel says how many will receive.
    const page = await get(editorIn, `/console/su-kien/${ev.id}`)
    expect(page.body).toContain('data-recipients="3"')
    expect(page.body).toContain('Sẽ gửi tới 3 người: 1 người đã dự')

    const res = await post(editorIn, `/console/su-kien/${ev.id}/tai-lieu/gui`)
    expect(res.statusCode).toBe(303)

    const [thanks] = await mailsTo(came.partner.email)
    expect(thanks?.subject).toContain('Tài liệu sau sự kiện: Họp báo quý IV về an ninh trật tự')
    expect(thanks?.textBody).toContain('trân trọng cảm ơn quý đối tác đã tham dự')
    expect(thanks?.textBody).toContain(`http://donghanh.test/tin/${releaseSlug}`)
    expect(thanks?.textBody).toContain('https://video.example.vn/hop-bao')
    expect(thanks?.textBody).toContain('thanks you for attending')
    for (const p of [absent, declined]) {
      const [m] = await mailsTo(p.partner.email)
      expect(m?.textBody).toContain('tài liệu cho quý đối tác chưa dự được')
      expect(m?.textBody).not.toContain('cảm ơn quý đối tác đã tham dự')
      expect(m?.textBody).toContain(`http://donghanh.test/tin/${releaseSlug}`)
      expect(m?.textBody).toContain('https://video.example.vn/hop-bao')
    }
    expect(await mailsTo(withdrawn.partner.email)).toHaveLength(0)
    expect(await mailsTo(suspended.partner.email)).toHaveLength(0)

    const [sent] = await audits(ev.id, 'event.materials_sent')
    expect(sent?.summary).toMatchObject({ attended: 1, absent: 2, materials: 2, supplement: false })
    const [evRow] = await t.database.db.select().from(events).where(eq(events.id, ev.id))
    expect(evRow?.materialsSentAt).not.toBeNull()
    const invs = await t.database.db.select().from(eventInvitations).where(eq(eventInvitations.eventId, ev.id))
    expect(
      invs
        .filter((i) => i.materialsSentAt !== null)
        .map((i) => i.partnerId)
        .sort(),
    ).toEqual([came.partner.id, absent.partner.id, declined.partner.id].sort())

    // Nothing new: a second send is refused and mails no one.
    expect((await post(editorIn, `/console/su-kien/${ev.id}/tai-lieu/gui`)).statusCode).toBe(409)
    expect(await mailsTo(came.partner.email)).toHaveLength(1)

    // A material added: everyone again, marked "bổ sung".
    await post(editorIn, `/console/su-kien/${ev.id}/tai-lieu`, {
      kind: 'document',
      title: 'Số liệu chuyên án',
      url: 'https://tailieu.example.vn/so-lieu.pdf',
    })
    expect((await get(editorIn, `/console/su-kien/${ev.id}`)).body).toContain('Gửi tài liệu bổ sung')
    expect((await post(editorIn, `/console/su-kien/${ev.id}/tai-lieu/gui`)).statusCode).toBe(303)
    for (const p of [came, absent, declined]) {
      const got = await mailsTo(p.partner.email)
      expect(got).toHaveLength(2)
      expect(got[1]?.subject).toContain('Tài liệu bổ sung')
      expect(got[1]?.textBody).toContain('https://tailieu.example.vn/so-lieu.pdf')
    }
    expect(await mailsTo(suspended.partner.email)).toHaveLength(0)
    const rounds = await audits(ev.id, 'event.materials_sent')
    expect(rounds.map((r) => (r.summary as { supplement: boolean }).supplement).sort()).toEqual([false, true])
  })
})

describe('attendance', () => {
  it('counts answers, check-ins, walk-ins, companions, no-shows and the rate among the confirmed', async () => {
    const ev = await makeEvent()
    const ps = await Promise.all(Array.from({ length: 7 }, () => makePartner(t)))
    const [y1, y2, y3, y4, n1, m1, w1] = ps as MadePartner[]
    const i1 = await invite(ev.id, y1 as MadePartner, 'yes', { companion: true })
    const i2 = await invite(ev.id, y2 as MadePartner, 'yes')
    const i3 = await invite(ev.id, y3 as MadePartner, 'yes')
    await invite(ev.id, y4 as MadePartner, 'withdrawn')
    await invite(ev.id, n1 as MadePartner, 'no')
    const im = await invite(ev.id, m1 as MadePartner, 'maybe')
    await invite(ev.id, w1 as MadePartner, 'waitlisted', { waitlistedAt: now() })
    await checkIn(ev.id, i1.id, { companion: true })
    await checkIn(ev.id, i2.id)
    await checkIn(ev.id, im.id)
    await checkIn(ev.id, null, { walkIn: 'Phóng viên tự do' })
    await checkIn(ev.id, null, { walkIn: 'Khách mời địa phương', companion: true })
    void i3

    const page = await get(editorIn, `/console/su-kien/${ev.id}`)
    const figure = (k: string) => new RegExp(`data-figure="${k}"><th>[^<]*</th><td>([^<]*)</td>`).exec(page.body)?.[1]
    expect(figure('invited')).toBe('6')
    expect(figure('yes')).toBe('3')
    expect(figure('no')).toBe('1')
    expect(figure('maybe')).toBe('1')
    expect(figure('waitlisted')).toBe('1')
    expect(figure('checkedIn')).toBe('3')
    expect(figure('walkIns')).toBe('2')
    expect(figure('companions')).toBe('2')
    expect(figure('noShows')).toBe('1')
    expect(figure('rate')).toBe('66,7 %')
  })

  it('reports per event and per outlet over a range, KOL without outlet grouped, and as CSV with a BOM', async () => {
    const [outlet] = await t.database.db
      .insert(pressOutlets)
      .values({ tenantId: t.tenant.id, name: 'Báo Thanh Hoá Điện tử', kind: 'online' })
      .returning()
    // A year of its own, so other tests' events stay out of the range.
    const at = (iso: string) => new Date(iso)
    const mk = async (title: string, startsAt: Date, state: 'announced' | 'done' | 'cancelled' = 'done') => {
      const [ev] = await t.database.db
        .insert(events)
        .values({
          tenantId: t.tenant.id,
          kind: 'regular_press_conference',
          title,
          startsAt,
          endsAt: new Date(startsAt.getTime() + 2 * HOUR),
          state,
          icalUid: `${randomUUID()}@donghanh.test`,
          ...(state === 'cancelled' ? { cancelReason: 'Hoãn theo chỉ đạo', cancelledAt: startsAt } : {}),
        })
        .returning()
      return ev as typeof events.$inferSelect
    }
    const e1 = await mk('Họp báo tháng 3', at('2019-03-10T02:00:00Z'))
    const e2 = await mk('Hội nghị gặp mặt báo chí', at('2019-06-20T02:00:00Z'))
    const cancelled = await mk('Họp báo đã huỷ', at('2019-07-01T02:00:00Z'), 'cancelled')
    const outside = await mk('Họp báo năm sau', at('2020-01-05T02:00:00Z'))
    const j1 = await makePartner(t, { name: 'Phóng viên Một' })
    const j2 = await makePartner(t, { name: 'Phóng viên Hai' })
    const kol = await makePartner(t, { kind: 'influencer', name: 'KOL Ba' })
    await t.database.db
      .update(partners)
      .set({ outletId: outlet?.id })
      .where(inArray(partners.id, [j1.partner.id, j2.partner.id]))
    const a = await invite(e1.id, j1, 'yes')
    await invite(e1.id, j2, 'yes')
    const k = await invite(e1.id, kol, 'yes')
    await invite(e2.id, j1, 'no')
    const k2 = await invite(e2.id, kol, 'yes')
    await invite(cancelled.id, j1, 'yes')
    await invite(outside.id, j1, 'yes')
    await checkIn(e1.id, a.id)
    await checkIn(e1.id, k.id)
    await checkIn(e2.id, k2.id)
    await checkIn(e1.id, null)

    const res = await get(officerIn, '/console/su-kien/tham-du?tu=2019-01-01&den=2019-12-31')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Họp báo tháng 3')
    expect(res.body).toContain('Hội nghị gặp mặt báo chí')
    expect(res.body).not.toContain('Họp báo đã huỷ')
    expect(res.body).not.toContain('Họp báo năm sau')
    const row = (attr: string) =>
      new RegExp(`${attr}>(.*?)</tr>`)
        .exec(res.body)?.[1]
        ?.match(/<td[^>]*>(.*?)<\/td>/g)
        ?.map((c) => c.replace(/<[^>]+>/g, ''))
    // Event 1: 3 invited, 3 confirmed, 2 attended, 1 walk-in, 66.7 %.
    expect(row(`data-event="${e1.id}"`)?.slice(2)).toEqual(['3', '3', '2', '1', '66,7'])
    // The outlet: 2 events, 3 invitations, 2 confirmed, 1 attended, 50 %.
    expect(row(`data-outlet="${outlet?.id}"`)).toEqual(['Báo Thanh Hoá Điện tử', '2', '3', '2', '1', '50'])
    expect(row('data-outlet="none"')).toEqual(['KOL / cá nhân', '2', '2', '2', '2', '100'])

    const csv = await get(officerIn, '/console/su-kien/tham-du?tu=2019-01-01&den=2019-12-31&dinh-dang=csv')
    expect(csv.statusCode).toBe(200)
    expect(csv.headers['content-type']).toContain('text/csv')
    const bytes = csv.rawPayload
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = bytes.subarray(3).toString('utf8')
    const lines = text.trim().split('\r\n')
    expect(lines[0]).toContain('Phạm vi')
    expect(lines).toContain('Sự kiện,Họp báo tháng 3,2019-03-10,,3,3,2,1,66.7')
    expect(lines).toContain('Cơ quan báo chí,Báo Thanh Hoá Điện tử,,2,3,2,1,,50')
    expect(lines).toContain('Cơ quan báo chí,KOL / cá nhân,,2,2,2,2,,100')
    expect(lines).toHaveLength(5)

    // A bad range is refused with the bilingual message.
    const bad = await get(officerIn, '/console/su-kien/tham-du?tu=2019-12-31&den=2019-01-01')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Khoảng thời gian chưa hợp lệ')
    expect((await get(officerIn, '/console/su-kien/tham-du?tu=2019-02-31')).statusCode).toBe(400)
    // The default range is the current year.
    const def = await get(officerIn, '/console/su-kien/tham-du')
    expect(def.statusCode).toBe(200)
    expect(def.body).toContain(`value="${localDay(now()).slice(0, 4)}-01-01"`)
    // Partners do not reach it.
    expect((await get(j1.login, '/console/su-kien/tham-du')).statusCode).toBe(403)
  })
})

/** The calendar attachment of an outbox row, parsed by ical.js. */
function calendarOf(row: typeof mailOutbox.$inferSelect) {
  const att = row.attachments?.find((a) => a.contentType.startsWith('text/calendar'))
  if (!att) throw new Error('no calendar attachment')
  const comp = new ICAL.Component(ICAL.parse(att.content))
  for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz)
  const vevent = comp.getFirstSubcomponent('vevent')
  if (!vevent) throw new Error('no VEVENT')
  return { att, comp, vevent, event: new ICAL.Event(vevent) }
}

describe('withdrawing an invitation', () => {
  it('mails METHOD:CANCEL to that partner, voids the badge and promotes the waiting list', async () => {
    const ev = await makeEvent({ startsInHours: 48, capacity: 1 })
    const seated = await makePartner(t, { name: 'Trần Thị Được Mời' })
    const waiting = await makePartner(t, { name: 'Vũ Văn Đang Chờ' })
    const other = await makePartner(t)
    const inv = await invite(ev.id, seated, 'yes')
    await invite(ev.id, waiting, 'waitlisted', { waitlistedAt: now() })
    await invite(ev.id, other, 'maybe')

    // The panel offers the action.
    const page = await get(editorIn, `/console/su-kien/${ev.id}`)
    expect(page.body).toContain(`/console/su-kien/${ev.id}/moi/${inv.id}/rut`)

    const url = `/console/su-kien/${ev.id}/moi/${inv.id}/rut`
    const short = await post(editorIn, url, { reason: 'x' })
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('Hãy ghi lý do rút lời mời')
    expect(short.body).toContain('value="x"')
    expect((await post(officerIn, url, { reason: 'Gửi nhầm người' })).statusCode).toBe(403)
    expect((await post(editorIn, `/console/su-kien/${ev.id}/moi/${randomUUID()}/rut`, { reason: 'Gửi nhầm người' })).statusCode).toBe(404)
    const [still] = await t.database.db.select().from(eventInvitations).where(eq(eventInvitations.id, inv.id))
    expect(still?.state).toBe('yes')

    const res = await post(editorIn, url, { reason: 'Cơ quan báo chí đề nghị cử phóng viên khác' })
    expect(res.statusCode).toBe(303)
    const [after] = await t.database.db.select().from(eventInvitations).where(eq(eventInvitations.id, inv.id))
    expect(after?.state).toBe('withdrawn')
    expect(after?.badgeVersion).toBe((inv.badgeVersion ?? 0) + 1)

    const [mail] = await mailsTo(seated.partner.email)
    expect(mail?.subject).toContain('Rút giấy mời')
    expect(mail?.textBody).not.toContain('cử phóng viên khác')
    const cal = calendarOf(mail as typeof mailOutbox.$inferSelect)
    expect(cal.att.contentType).toContain('method=CANCEL')
    expect(cal.comp.getFirstPropertyValue('method')).toBe('CANCEL')
    expect(cal.event.uid).toBe(ev.icalUid)
    expect(cal.event.sequence).toBe(ev.sequence + 1)
    expect(cal.vevent.getFirstPropertyValue('status')).toBe('CANCELLED')
    expect(cal.event.startDate.toJSDate().getTime()).toBe(ev.startsAt.getTime())
    const attendees = cal.vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase())
    expect(attendees).toEqual([`mailto:${seated.partner.email?.toLowerCase()}`])

    // The freed seat went to the waiting list, with its mail.
    const [promoted] = await t.database.db
      .select()
      .from(eventInvitations)
      .where(and(eq(eventInvitations.eventId, ev.id), eq(eventInvitations.partnerId, waiting.partner.id)))
    expect(promoted?.state).toBe('yes')
    const [pm] = await mailsTo(waiting.partner.email)
    expect(pm?.subject).toContain('Đã có chỗ')
    // No one else was mailed.
    expect(await mailsTo(other.partner.email)).toHaveLength(0)

    const [audit] = await audits(ev.id, 'event.invitation_withdrawn')
    expect(audit?.summary).toMatchObject({
      invitationId: inv.id,
      from: 'yes',
      reason: 'Cơ quan báo chí đề nghị cử phóng viên khác',
      mailed: true,
    })
    // Twice: refused, nothing more sent.
    expect((await post(editorIn, url, { reason: 'Lần thứ hai' })).statusCode).toBe(409)
    expect(await mailsTo(seated.partner.email)).toHaveLength(1)
    // The withdrawn invitation no longer offers the action.
    expect((await get(editorIn, `/console/su-kien/${ev.id}`)).body).not.toContain(`/moi/${inv.id}/rut"`)
  })
})

describe('held', () => {
  it('is refused before the start, then marks the event done (audited)', async () => {
    const soon = await makeEvent({ startsInHours: 3 })
    expect((await post(editorIn, `/console/su-kien/${soon.id}/da-dien-ra`)).statusCode).toBe(409)
    expect((await get(editorIn, `/console/su-kien/${soon.id}`)).body).not.toContain('data-held')

    const ev = await makeEvent({ startsInHours: -1 })
    expect((await get(editorIn, `/console/su-kien/${ev.id}`)).body).toContain('data-held')
    expect((await post(editorIn, `/console/su-kien/${ev.id}/da-dien-ra`)).statusCode).toBe(303)
    const [row] = await t.database.db.select().from(events).where(eq(events.id, ev.id))
    expect(row?.state).toBe('done')
    const [audit] = await audits(ev.id, 'event.done')
    expect(audit?.actorId).toBe(editor.id)
    // Twice: refused.
    expect((await post(editorIn, `/console/su-kien/${ev.id}/da-dien-ra`)).statusCode).toBe(409)
  })

  it('is marked by the job 12 hours after the end, with the system actor', async () => {
    expect(eventsModule.jobs?.map((j) => j.name)).toContain('events.auto-done')
    const old = await makeEvent({ startsInHours: -15, hours: 2 })
    const recent = await makeEvent({ startsInHours: -13, hours: 2 })
    const cancelled = await makeEvent({ startsInHours: -30, hours: 2 })
    await t.database.db
      .update(events)
      .set({ state: 'cancelled', cancelReason: 'Hoãn theo chỉ đạo', cancelledAt: now() })
      .where(eq(events.id, cancelled.id))
    await completePastEvents(t.database)
    const states = await t.database.db
      .select({ id: events.id, state: events.state })
      .from(events)
      .where(inArray(events.id, [old.id, recent.id, cancelled.id]))
    const by = Object.fromEntries(states.map((s) => [s.id, s.state]))
    expect(by[old.id]).toBe('done')
    expect(by[recent.id]).toBe('announced')
    expect(by[cancelled.id]).toBe('cancelled')
    const [audit] = await audits(old.id, 'event.done')
    expect(audit?.actorId).toBeNull()
    expect(audit?.actorLabel).toBe('system')
  })
})
