/**
 * Check-in at the door, through HTTP on a real database: badges read by the camera (signed
 * tokens) and codes typed by hand; a second scan refused with where and when the first was
 * kept; the same badge at two doors while offline (earliest scan wins in either sync order, and
 * when both doors sync at once); a scan synced twice taken once; badges of another event,
 * forged, altered, expired, withdrawn; unknown codes; the door's hours (offline scans judged by
 * their own time); who may call; batch limits; walk-ins; the press-card photo; the page.
 */
import { randomUUID } from 'node:crypto'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { partnerApplicationFiles, partnerApplications } from '../../partners/application/application.tables.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { badgeExpiry, badgeKey, formatBadgeCode, newBadgeCode, signBadge } from '../badges/badge-token.ts'
import { eventCheckinConflicts, eventCheckins, eventInvitations, events } from '../events.tables.ts'
import { recordScans } from './record-scans.ts'

let t: TestApp
let officer: Login
let officerId: string
const HOUR = 3_600_000
const MIN = 60_000

beforeAll(async () => {
  t = await createTestApp()
  const u = await makeUser(t, { role: 'officer' })
  officerId = u.id
  officer = await loginAs(t, u)
})
afterAll(async () => {
  await t?.close()
})

/** An event (default: announced, started 30 minutes ago, ends in 90). */
async function makeEvent(
  o: { startsIn?: number; hours?: number; state?: 'draft' | 'announced' | 'cancelled' | 'done'; title?: string } = {},
) {
  const startsAt = new Date(Date.now() + (o.startsIn ?? -30 * MIN))
  const [ev] = await t.database.db
    .insert(events)
    .values({
      tenantId: t.tenant.id,
      kind: 'regular_press_conference',
      title: o.title ?? 'Họp báo thông tin kết quả chuyên án ma tuý',
      startsAt,
      endsAt: new Date(startsAt.getTime() + (o.hours ?? 2) * HOUR),
      place: 'Hội trường Công an tỉnh',
      state: o.state ?? 'announced',
      icalUid: `${randomUUID()}@donghanh.test`,
    })
    .returning()
  if (!ev) throw new Error('no event')
  return ev
}

/** A confirmed attendee of `ev` with a badge code and a signed token. */
async function attendee(
  ev: typeof events.$inferSelect,
  o: { partner?: MadePartner; state?: 'yes' | 'no' | 'withdrawn'; companion?: string; exp?: number } = {},
) {
  const p = o.partner ?? (await makePartner(t, { name: 'Lê Thị Thu Hà' }))
  const code = newBadgeCode()
  const [inv] = await t.database.db
    .insert(eventInvitations)
    .values({
      tenantId: t.tenant.id,
      eventId: ev.id,
      partnerId: p.partner.id,
      state: o.state ?? 'yes',
      badgeCode: code,
      badgeVersion: 1,
      companionName: o.companion ?? null,
      companionRole: o.companion ? 'quay phim' : null,
    })
    .returning()
  if (!inv) throw new Error('no invitation')
  const key = await badgeKey(t.database.db, t.tenant.id)
  const token = signBadge(key, { invitationId: inv.id, version: 1, exp: o.exp ?? badgeExpiry(ev.endsAt) })
  return { p, inv, code, token }
}

interface ScanFields {
  scanId?: string
  token?: string
  code?: string
  door?: string
  deviceId?: string
  scannedAt?: string
  offline?: boolean
}
const scanOf = (f: ScanFields) => ({
  scanId: f.scanId ?? randomUUID(),
  door: f.door ?? 'A',
  deviceId: f.deviceId ?? 'may-1',
  scannedAt: f.scannedAt ?? new Date().toISOString(),
  offline: f.offline ?? false,
  ...(f.token !== undefined ? { token: f.token } : {}),
  ...(f.code !== undefined ? { code: f.code } : {}),
})

const post = (login: Login | null, url: string, payload: unknown) =>
  t.app.inject({
    method: 'POST',
    url,
    headers: login
      ? { ...login.headers, 'content-type': 'application/json', accept: 'application/json' }
      : { 'content-type': 'application/json' },
    payload: JSON.stringify(payload),
  })
const scan = (eventId: string, scans: unknown[], login: Login | null = officer) =>
  post(login, `/console/su-kien/${eventId}/diem-danh/quet`, { scans })

const checkinsOf = (eventId: string) => t.database.db.select().from(eventCheckins).where(eq(eventCheckins.eventId, eventId))
const conflictsOf = (eventId: string) =>
  t.database.db.select().from(eventCheckinConflicts).where(eq(eventCheckinConflicts.eventId, eventId))
const auditsOf = (eventId: string, action: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, eventId), eq(auditEvents.action, action)))

describe('scans', () => {
  it('checks a badge in by its QR token, with the person (name, outlet, companion), and audits it', async () => {
    const ev = await makeEvent()
    const [outlet] = await t.database.db
      .insert(pressOutlets)
      .values({ tenantId: t.tenant.id, name: 'Báo Thanh Hoá', kind: 'newspaper' })
      .returning()
    const p = await makePartner(t, { name: 'Nguyễn Thị Hoà' })
    await t.database.db.update(partners).set({ outletId: outlet?.id }).where(eq(partners.id, p.partner.id))
    const a = await attendee(ev, { partner: p, companion: 'Trần Văn Quý' })

    const res = await scan(ev.id, [scanOf({ token: a.token, door: 'B' })])
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.results).toHaveLength(1)
    expect(body.results[0].result).toBe('checked_in')
    expect(body.results[0].person).toEqual({
      name: 'Nguyễn Thị Hoà',
      outlet: 'Báo Thanh Hoá',
      photoUrl: null,
      companion: 'Trần Văn Quý (quay phim)',
    })
    expect(body.counts).toEqual({ checkedIn: 1, confirmed: 1, walkIns: 0, conflicts: 0 })

    const rows = await checkinsOf(ev.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      invitationId: a.inv.id,
      method: 'qr',
      door: 'B',
      deviceId: 'may-1',
      offline: false,
      checkedInBy: officerId,
    })
    const audits = await auditsOf(ev.id, 'event.checked_in')
    expect(audits).toHaveLength(1)
    expect(audits[0]?.summary).toMatchObject({ invitationId: a.inv.id, method: 'qr', door: 'B' })
  })

  it('checks in by the typed code (dashes, spaces and lower case folded)', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const typed = ` ${formatBadgeCode(a.code).toLowerCase().replace('-', ' - ')} `
    const res = await scan(ev.id, [scanOf({ code: typed })])
    expect(res.statusCode).toBe(200)
    expect(res.json().results[0]).toMatchObject({ result: 'checked_in', person: { name: 'Lê Thị Thu Hà' } })
    const rows = await checkinsOf(ev.id)
    expect(rows.map((r) => [r.invitationId, r.method])).toEqual([[a.inv.id, 'code']])
  })

  it('refuses a second scan as a duplicate, naming the door and time of the first', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const first = new Date(Date.now() - 5 * MIN)
    expect((await scan(ev.id, [scanOf({ token: a.token, door: 'B', scannedAt: first.toISOString() })])).json().results[0].result).toBe(
      'checked_in',
    )
    const res = await scan(ev.id, [scanOf({ code: a.code, door: 'C' })])
    const r = res.json().results[0]
    expect(r.result).toBe('duplicate')
    expect(r.kept).toEqual({ door: 'B', scannedAt: first.toISOString() })
    expect(r.person.name).toBe('Lê Thị Thu Hà')
    expect(await checkinsOf(ev.id)).toHaveLength(1)
    const conflicts = await conflictsOf(ev.id)
    expect(conflicts).toHaveLength(1)
    expect(conflicts[0]).toMatchObject({ reason: 'duplicate', door: 'C', invitationId: a.inv.id })
    expect(conflicts[0]?.keptCheckinId).toBe((await checkinsOf(ev.id))[0]?.id)
    expect(await auditsOf(ev.id, 'event.checkin_conflict')).toHaveLength(1)
    expect(res.json().counts).toMatchObject({ checkedIn: 1, conflicts: 1 })
  })

  for (const order of ['earlier first', 'later first'] as const) {
    it(`two doors offline, synced ${order}: the earliest scan is kept, the other is the duplicate`, async () => {
      const ev = await makeEvent()
      const a = await attendee(ev)
      const early = scanOf({
        token: a.token,
        door: 'A',
        deviceId: 'may-a',
        offline: true,
        scannedAt: new Date(Date.now() - 20 * MIN).toISOString(),
      })
      const late = scanOf({
        token: a.token,
        door: 'B',
        deviceId: 'may-b',
        offline: true,
        scannedAt: new Date(Date.now() - 10 * MIN).toISOString(),
      })
      const [firstSync, secondSync] = order === 'earlier first' ? [early, late] : [late, early]
      expect((await scan(ev.id, [firstSync])).json().results[0].result).toBe('checked_in')
      const second = (await scan(ev.id, [secondSync])).json().results[0]
      expect(second.result).toBe(order === 'earlier first' ? 'duplicate' : 'checked_in')

      const rows = await checkinsOf(ev.id)
      expect(rows).toHaveLength(1)
      expect(rows[0]).toMatchObject({ scanId: early.scanId, door: 'A', deviceId: 'may-a', offline: true })
      expect(rows[0]?.scannedAt.toISOString()).toBe(early.scannedAt)
      const conflicts = await conflictsOf(ev.id)
      expect(conflicts).toHaveLength(1)
      expect(conflicts[0]).toMatchObject({ reason: 'duplicate', scanId: late.scanId, door: 'B', keptCheckinId: rows[0]?.id })

      // Either device syncing again gets the server's decision, with the kept door and time.
      const again = (await scan(ev.id, [late, early])).json().results
      expect(again[0]).toMatchObject({ scanId: late.scanId, result: 'duplicate', kept: { door: 'A', scannedAt: early.scannedAt } })
      expect(again[1]).toMatchObject({ scanId: early.scanId, result: 'checked_in' })
      expect(await checkinsOf(ev.id)).toHaveLength(1)
      expect(await conflictsOf(ev.id)).toHaveLength(1)
    })
  }

  it('two doors syncing the same badge at the same moment check it in once', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const s1 = scanOf({ token: a.token, door: 'A', scannedAt: new Date(Date.now() - 2 * MIN).toISOString() })
    const s2 = scanOf({ token: a.token, door: 'B', scannedAt: new Date(Date.now() - 3 * MIN).toISOString() })
    const [r1, r2] = await Promise.all([scan(ev.id, [s1]), scan(ev.id, [s2])])
    expect([r1.statusCode, r2.statusCode]).toEqual([200, 200])
    const rows = await checkinsOf(ev.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]?.door).toBe('B') // the earlier scan, whichever committed first
    expect(await conflictsOf(ev.id)).toHaveLength(1)
  })

  it('takes a scan sent twice once (same result, one row, one audit)', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const s = scanOf({ token: a.token })
    const first = (await scan(ev.id, [s])).json().results[0]
    const second = (await scan(ev.id, [s, s])).json().results
    expect(second).toEqual([first, first])
    expect(await checkinsOf(ev.id)).toHaveLength(1)
    expect(await conflictsOf(ev.id)).toHaveLength(0)
    expect(await auditsOf(ev.id, 'event.checked_in')).toHaveLength(1)
    // A refused scan too.
    const bad = scanOf({ code: 'ZZZZ-ZZZZ' })
    await scan(ev.id, [bad])
    await scan(ev.id, [bad])
    expect(await conflictsOf(ev.id)).toHaveLength(1)
  })

  it("names another event's badge (title and date) and checks no one in", async () => {
    const ev = await makeEvent()
    const other = await makeEvent({ startsIn: 48 * HOUR, title: 'Hội nghị gặp mặt báo chí cuối năm' })
    const a = await attendee(other)
    const r = (await scan(ev.id, [scanOf({ token: a.token })])).json().results[0]
    expect(r.result).toBe('other_event')
    expect(r.otherEvent).toEqual({ title: 'Hội nghị gặp mặt báo chí cuối năm', startsAt: other.startsAt.toISOString() })
    expect(await checkinsOf(ev.id)).toHaveLength(0)
    expect(await checkinsOf(other.id)).toHaveLength(0)
    expect((await conflictsOf(ev.id)).map((c) => c.reason)).toEqual(['other_event'])
  })

  it("refuses forged, altered, malformed and withdrawn badges and unknown codes, each kept and audited; the event's current end decides expiry", async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const no = await attendee(ev, { state: 'no' })
    const old = await attendee(ev)
    await t.database.db.update(eventInvitations).set({ badgeVersion: 2 }).where(eq(eventInvitations.id, old.inv.id))
    // Minted for an end that has passed (the event moved later since): the current end decides.
    const moved = await attendee(ev, { exp: Math.floor((Date.now() - MIN) / 1000) })
    const parts = a.token.split('.')
    // Another invitation id under the same MAC: an altered badge.
    const altered = [parts[0], no.token.split('.')[1], parts[2], parts[3], parts[4]].join('.')
    const wrongMac = `${a.token.slice(0, -4)}AAAA`
    const cases: [string, ScanFields][] = [
      ['forged', { token: wrongMac }],
      ['forged', { token: altered }],
      ['forged', { token: 'https://example.com/not-a-badge' }],
      ['withdrawn', { token: no.token }],
      ['withdrawn', { token: old.token }],
      ['withdrawn', { code: no.code }],
      ['unknown_code', { code: 'QQQQ-QQQQ' }],
      ['unknown_code', { code: '12' }],
    ]
    const res = await scan(
      ev.id,
      cases.map(([, f]) => scanOf(f)),
    )
    expect(res.statusCode).toBe(200)
    expect(res.json().results.map((r: { result: string }) => r.result)).toEqual(cases.map(([r]) => r))
    expect(await checkinsOf(ev.id)).toHaveLength(0)
    expect((await conflictsOf(ev.id)).map((c) => c.reason).sort()).toEqual(cases.map(([r]) => r).sort())
    expect(await auditsOf(ev.id, 'event.checkin_conflict')).toHaveLength(cases.length)
    // The real badge still works afterwards, and so does the one minted before the move.
    expect((await scan(ev.id, [scanOf({ token: a.token })])).json().results[0].result).toBe('checked_in')
    expect((await scan(ev.id, [scanOf({ token: moved.token })])).json().results[0].result).toBe('checked_in')
  })
})

describe("the door's hours", () => {
  it('refuses online scans before the door opens and after it closes (409), writing nothing', async () => {
    const soon = await makeEvent({ startsIn: 4 * HOUR })
    const a = await attendee(soon)
    const res = await scan(soon.id, [scanOf({ token: a.token })])
    expect(res.statusCode).toBe(409)
    expect(res.json().error.code).toBe('EVENT_CHECKIN_CLOSED')
    expect(res.json().error.message.vi).toContain('điểm danh')
    expect(res.json().error.message.en).toContain('Check-in')
    const over = await makeEvent({ startsIn: -9 * HOUR, hours: 2 }) // ended 7 h ago
    const b = await attendee(over)
    expect((await scan(over.id, [scanOf({ token: b.token })])).statusCode).toBe(409)
    // One stale scan refuses the batch: nothing of it is written.
    expect((await scan(over.id, [scanOf({ code: b.code, offline: true }), scanOf({ token: b.token })])).statusCode).toBe(409)
    expect(await checkinsOf(over.id)).toHaveLength(0)
    expect(await conflictsOf(over.id)).toHaveLength(0)
    const draft = await makeEvent({ state: 'draft' })
    expect((await scan(draft.id, [scanOf({ code: 'QQQQQQQQ' })])).statusCode).toBe(409)
    // Opens 3 h before the start.
    const early = await makeEvent({ startsIn: 2 * HOUR + 50 * MIN })
    const c = await attendee(early)
    expect((await scan(early.id, [scanOf({ token: c.token })])).json().results[0].result).toBe('checked_in')
  })

  it('accepts an offline scan made inside the hours and synced after the door closed', async () => {
    const over = await makeEvent({ startsIn: -9 * HOUR, hours: 2 }) // ended 7 h ago
    const a = await attendee(over)
    const during = new Date(over.endsAt.getTime() - 30 * MIN).toISOString()
    const res = await scan(over.id, [scanOf({ token: a.token, offline: true, scannedAt: during })])
    expect(res.statusCode).toBe(200)
    expect(res.json().results[0].result).toBe('checked_in')
    const rows = await checkinsOf(over.id)
    expect(rows[0]?.offline).toBe(true)
    expect(rows[0]?.scannedAt.toISOString()).toBe(during)
    // An offline scan after the hours is still refused.
    const b = await attendee(over)
    const late = new Date(over.endsAt.getTime() + 6 * HOUR + MIN).toISOString()
    expect((await scan(over.id, [scanOf({ token: b.token, offline: true, scannedAt: late })])).statusCode).toBe(409)
  })

  it('refuses a scan time in the future beyond 5 minutes of skew, or unreadable (400)', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const future = await scan(ev.id, [scanOf({ token: a.token, offline: true, scannedAt: new Date(Date.now() + 6 * MIN).toISOString() })])
    expect(future.statusCode).toBe(400)
    expect(future.json().error.code).toBe('EVENT_CHECKIN_INVALID')
    expect((await scan(ev.id, [scanOf({ token: a.token, scannedAt: '2026-11-01 09:00' })])).statusCode).toBe(400)
    expect((await scan(ev.id, [scanOf({ token: a.token, code: a.code })])).statusCode).toBe(400)
    expect((await scan(ev.id, [{ ...scanOf({}), token: undefined }])).statusCode).toBe(400)
    expect(await checkinsOf(ev.id)).toHaveLength(0)
    // Within the skew: fine.
    const ok = await scan(ev.id, [scanOf({ token: a.token, offline: true, scannedAt: new Date(Date.now() + 3 * MIN).toISOString() })])
    expect(ok.json().results[0].result).toBe('checked_in')
  })
})

describe('access and limits', () => {
  it('refuses partners (403) and the signed-out (401); refuses 201 scans (400); CSRF required', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    expect((await scan(ev.id, [scanOf({ token: a.token })], a.p.login)).statusCode).toBe(403)
    expect((await scan(ev.id, [scanOf({ token: a.token })], null)).statusCode).toBe(401)
    expect(
      (await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}/diem-danh`, headers: { cookie: a.p.login.cookie } })).statusCode,
    ).toBe(403)
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${ev.id}/diem-danh/quet`,
      headers: { cookie: officer.cookie, 'content-type': 'application/json' },
      payload: JSON.stringify({ scans: [scanOf({ token: a.token })] }),
    })
    expect(noCsrf.statusCode).toBe(403)
    const many = Array.from({ length: 201 }, () => scanOf({ code: 'QQQQQQQQ' }))
    expect((await scan(ev.id, many)).statusCode).toBe(400)
    expect((await scan(ev.id, [])).statusCode).toBe(400)
    expect(await checkinsOf(ev.id)).toHaveLength(0)
    expect(await conflictsOf(ev.id)).toHaveLength(0)
    // 200 is fine.
    expect((await scan(ev.id, many.slice(0, 200))).statusCode).toBe(200)
    expect(await conflictsOf(ev.id)).toHaveLength(200)
    // Another tenant's or a missing event: 404.
    expect((await scan(randomUUID(), [scanOf({ code: 'QQQQQQQQ' })])).statusCode).toBe(404)
  })

  it('recordScans is callable in a transaction (the benchmark uses it)', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const results = await withTransaction(t.database.pool, (tx) =>
      recordScans(tx, {
        tenantId: t.tenant.id,
        eventId: ev.id,
        actor: { id: officerId, label: 'officer' },
        ip: null,
        scans: [scanOf({ token: a.token })],
      }),
    )
    expect(results[0]?.result).toBe('checked_in')
  })
})

describe('walk-ins', () => {
  it('records a walk-in from JSON and from the form; refuses a name too short with a bilingual 400', async () => {
    const ev = await makeEvent()
    const url = `/console/su-kien/${ev.id}/diem-danh/khach`
    const res = await post(officer, url, { name: 'Phạm Minh Khôi', outlet: 'Đài PT-TH tỉnh', note: 'Đến thay phóng viên Hà', door: 'A' })
    expect(res.statusCode).toBe(200)
    expect(res.json().results[0]).toMatchObject({ result: 'walk_in', person: { name: 'Phạm Minh Khôi', outlet: 'Đài PT-TH tỉnh' } })
    expect(res.json().counts.walkIns).toBe(1)

    const form = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: 'Đỗ Thị Lan', outlet: '', note: '', _csrf: officer.csrf }).toString(),
    })
    expect(form.statusCode).toBe(303)
    expect(form.headers.location).toBe(`/console/su-kien/${ev.id}/diem-danh?ok=walkin`)

    const short = await post(officer, url, { name: 'K' })
    expect(short.statusCode).toBe(400)
    expect(short.json().error.code).toBe('EVENT_CHECKIN_INVALID')
    expect(short.json().error.message.vi).toMatch(/họ tên/)
    const shortForm = await t.app.inject({
      method: 'POST',
      url,
      headers: { cookie: officer.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ name: ' K ', outlet: 'Báo X', _csrf: officer.csrf }).toString(),
    })
    expect(shortForm.statusCode).toBe(400)
    expect(shortForm.body).toContain('value="Báo X"') // what was typed is kept

    // Walk-ins through the scans endpoint (the page's queue).
    const viaScan = await scan(ev.id, [{ ...scanOf({}), walkIn: { name: 'Vũ Hải Đăng' } }])
    expect(viaScan.json().results[0].result).toBe('walk_in')

    const rows = await checkinsOf(ev.id)
    expect(rows.map((r) => [r.walkInName, r.method, r.invitationId]).sort()).toEqual(
      [
        ['Phạm Minh Khôi', 'walk_in', null],
        ['Vũ Hải Đăng', 'walk_in', null],
        ['Đỗ Thị Lan', 'walk_in', null],
      ].sort(),
    )
    expect(await auditsOf(ev.id, 'event.walk_in')).toHaveLength(3)
  })
})

describe('pages', () => {
  it('shows the press-card photo to staff only (no-store) and names its URL in the result', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    const dir = await mkdtemp(path.join(tmpdir(), 'checkin-photo-'))
    const file = path.join(dir, 'the.png')
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a1d6e8c40000000049454e44ae426082',
      'hex',
    )
    await writeFile(file, png)
    const [app] = await t.database.db
      .insert(partnerApplications)
      .values({
        tenantId: t.tenant.id,
        kind: 'journalist',
        name: 'Lê Thị Thu Hà',
        email: a.p.partner.email as string,
        consentVersion: 'v1',
        consentAt: new Date(),
        state: 'verified',
        verifyTokenHash: randomUUID(),
        verifyExpiresAt: new Date(),
        partnerId: a.p.partner.id,
      })
      .returning()
    await t.database.db.insert(partnerApplicationFiles).values({
      tenantId: t.tenant.id,
      applicationId: app?.id as string,
      round: 0,
      fileName: 'the.png',
      fileType: 'png',
      sizeBytes: png.length,
      sha256: 'x',
      storagePath: file,
      createdAt: new Date(),
    })
    const r = (await scan(ev.id, [scanOf({ token: a.token })])).json().results[0]
    expect(r.person.photoUrl).toBe(`/console/su-kien/${ev.id}/diem-danh/anh/${a.inv.id}`)
    const img = await t.app.inject({ method: 'GET', url: r.person.photoUrl, headers: { cookie: officer.cookie } })
    expect(img.statusCode).toBe(200)
    expect(img.headers['content-type']).toBe('image/png')
    expect(img.headers['cache-control']).toBe('no-store')
    expect(img.rawPayload.equals(png)).toBe(true)
    expect((await t.app.inject({ method: 'GET', url: r.person.photoUrl, headers: { cookie: a.p.login.cookie } })).statusCode).toBe(403)
    // Not an invitation of that event: 404.
    const other = await makeEvent()
    expect(
      (
        await t.app.inject({
          method: 'GET',
          url: `/console/su-kien/${other.id}/diem-danh/anh/${a.inv.id}`,
          headers: { cookie: officer.cookie },
        })
      ).statusCode,
    ).toBe(404)
  })

  it('renders the door page with its elements, and the panel with counts, the link and the conflicts', async () => {
    const ev = await makeEvent()
    const a = await attendee(ev)
    await scan(ev.id, [scanOf({ token: a.token, door: 'B' })])
    await scan(ev.id, [scanOf({ code: a.code, door: 'C' })])
    const page = await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}/diem-danh`, headers: { cookie: officer.cookie } })
    expect(page.statusCode).toBe(200)
    const html = page.body
    for (const needle of [
      '<video id="checkin-video" playsinline muted',
      'id="checkin-door"',
      'id="checkin-manual"',
      'name="code"',
      'id="checkin-walkin"',
      'id="checkin-last"',
      'id="checkin-results"',
      'id="checkin-online" class="checkin-online" data-online="true"',
      'id="checkin-queue" data-pending="0"',
      'id="checkin-conflicts"',
      'data-conflict="duplicate"',
      'src="/assets/jsqr/jsQR.js"',
      'src="/assets/checkin.js"',
      'name="_csrf"',
    ]) {
      expect(html).toContain(needle)
    }
    expect(html).toContain('data-checked-in="1" data-confirmed="1"')
    expect(html).toContain('ở cửa B')

    const js = await t.app.inject({ method: 'GET', url: '/assets/jsqr/jsQR.js' })
    expect(js.statusCode).toBe(200)
    expect(js.body).toContain('jsQR')
    expect((await t.app.inject({ method: 'GET', url: '/assets/jsqr/jsQR.min.js' })).statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/assets/checkin.js' })).statusCode).toBe(200)

    const detail = await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}`, headers: { cookie: officer.cookie } })
    expect(detail.statusCode).toBe(200)
    expect(detail.body).toContain('id="checkin-panel"')
    expect(detail.body).toContain(`href="/console/su-kien/${ev.id}/diem-danh"`)
    expect(detail.body).toContain('Mở trang điểm danh')
    expect(detail.body).toContain('data-conflict="duplicate"')

    const status = await t.app.inject({
      method: 'GET',
      url: `/console/su-kien/${ev.id}/diem-danh/tinh-hinh`,
      headers: { cookie: officer.cookie },
    })
    expect(status.json().counts).toEqual({ checkedIn: 1, confirmed: 1, walkIns: 0, conflicts: 1 })
    expect(status.json().conflicts[0]).toMatchObject({ reason: 'duplicate', door: 'C', kept: { door: 'B' } })
  })
})
