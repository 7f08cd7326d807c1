/**
 * The yearly recognition through HTTP on a real database: the score of seeded records (check-ins,
 * coverage reports, answered inquiries, a merged duplicate's records, the local-year boundary)
 * equals the hand-computed one per component; an adjustment needs a written reason (400 and
 * nothing written without one) which the partner sees and another partner does not; award →
 * certificate code, the verify page shows the name, the PDF (read back with pdfjs) carries the
 * Vietnamese name and the code; revoked → the verify page says so and the PDF answers 410; an
 * officer may read but neither adjust nor award; the yearly conference invites every partner.
 */
import { randomUUID } from 'node:crypto'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, resetClock } from '../../../platform/clock.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { eventInvitations, events, partnerRecognitions, partnerScoreAdjustments } from '../events.tables.ts'
import { partnerScores, SCORE_WEIGHTS } from './score.ts'

// "Now" for this file: 1 November 2026, 10:00 in Vietnam. The year scored is 2026.
const NOW = new Date('2026-11-01T03:00:00Z')
const YEAR = 2026
const NAME = 'Nguyễn Thị Hoà Bình'
const OUTLET = 'Báo Thanh Hoá'
const REASON = 'Đưa tin kịp thời vụ cháy chợ Vườn Hoa, giúp người dân tránh khu vực nguy hiểm.'

let t: TestApp
let approver: Login
let officer: Login
let editor: Login
let star: MadePartner
let other: MadePartner

async function post(who: Login, url: string, fields: Record<string, string>) {
  const f = form({ ...fields, _csrf: who.csrf })
  return t.app.inject({ method: 'POST', url, headers: { ...who.headers, ...f.headers }, payload: f.payload })
}
async function get(who: Login | null, url: string) {
  return t.app.inject({ method: 'GET', url, headers: who ? who.headers : {} })
}
const base = (p: MadePartner) => `/console/doi-tac/ghi-nhan/${p.partner.id}`

/** An event of `kind` starting at `startsAt`, with `who` invited and (if `checkedIn`) checked in. */
async function attended(who: MadePartner, startsAt: string, o: { kind?: string; checkedIn?: boolean; state?: string } = {}) {
  const starts = new Date(startsAt)
  const [ev] = await t.database.db
    .insert(events)
    .values({
      tenantId: t.tenant.id,
      kind: (o.kind ?? 'regular_press_conference') as 'regular_press_conference',
      title: `Họp báo ${randomUUID().slice(0, 6)}`,
      startsAt: starts,
      endsAt: new Date(starts.getTime() + 7_200_000),
      state: (o.state ?? 'done') as 'done',
      icalUid: `${randomUUID()}@donghanh.test`,
      ...(o.state === 'cancelled' ? { cancelReason: 'Thay đổi lịch công tác', cancelledAt: starts } : {}),
    })
    .returning()
  const [inv] = await t.database.db
    .insert(eventInvitations)
    .values({ tenantId: t.tenant.id, eventId: ev?.id as string, partnerId: who.partner.id, state: 'yes' })
    .returning()
  if (o.checkedIn !== false) {
    await t.database.pool.query(
      `INSERT INTO event_checkins (tenant_id, event_id, invitation_id, method, scan_id, scanned_at) VALUES ($1, $2, $3, 'code', $4, $5)`,
      [t.tenant.id, ev?.id, inv?.id, randomUUID(), starts],
    )
  }
  return ev
}

async function coverage(partnerId: string, state: 'captured' | 'pending', verdict: string | null, capturedAt: string) {
  await t.database.pool.query(
    `INSERT INTO coverage_reports (tenant_id, item_type, item_id, partner_id, url, reported_by, state, verdict, captured_at)
     VALUES ($1, 'release', $2, $3, $4, 'partner', $5, $6, $7)`,
    [
      t.tenant.id,
      randomUUID(),
      partnerId,
      `https://bao.example.vn/${randomUUID()}`,
      state,
      verdict,
      state === 'captured' ? capturedAt : null,
    ],
  )
}

let inquiryNo = 0
async function inquiry(partnerId: string, status: 'answered' | 'assigned', answeredAt: string | null) {
  inquiryNo++
  const received = new Date(answeredAt ? new Date(answeredAt).getTime() - 86_400_000 : NOW.getTime())
  await t.database.pool.query(
    `INSERT INTO inquiries (tenant_id, code, partner_id, asker_name, channel, kind, topic, question, received_at, due_at, escalate_at,
       clock, status, answer, answer_spokesperson_name, answer_agency, answered_at)
     VALUES ($1, $2, $3, 'Phóng viên', 'portal', 'question', 'An ninh trật tự', 'Xin thông tin vụ việc?', $4, $4, $4,
       '{"unit":"calendar_days","amount":7,"escalatePercent":50}', $5, $6, $7, $8, $9)`,
    [
      t.tenant.id,
      `HD-TEST-${inquiryNo}`,
      partnerId,
      received,
      status,
      status === 'answered' ? 'Đã có kết quả xác minh.' : null,
      status === 'answered' ? 'Thượng tá Lê Văn Minh' : null,
      status === 'answered' ? 'Công an tỉnh' : null,
      answeredAt,
    ],
  )
}

async function count(table: string, where = 'true', params: unknown[] = []): Promise<number> {
  const r = await t.database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`, params)
  return r.rows[0]?.n ?? -1
}
const audits = (action: string) => count('audit_events', 'action = $1', [action])

beforeAll(async () => {
  freezeClock(NOW)
  t = await createTestApp()
  approver = await loginAs(t, await makeUser(t, { role: 'approver' }))
  officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
  editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
  star = await makePartner(t, { name: NAME })
  other = await makePartner(t, { name: 'Lê Văn Tùng' })
  const [outlet] = await t.database.db
    .insert(pressOutlets)
    .values({ tenantId: t.tenant.id, name: OUTLET, kind: 'newspaper' })
    .returning({ id: pressOutlets.id })
  await t.database.db.update(partners).set({ outletId: outlet?.id }).where(eq(partners.id, star.partner.id))

  // Attendance: two press conferences and the yearly conference of 2026 count. The first starts
  // 1 Jan 03:00 in Vietnam (still 31 Dec in UTC): the local year decides.
  await attended(star, '2026-01-01T03:00:00+07:00')
  await attended(star, '2026-06-10T09:00:00+07:00')
  await attended(star, '2026-10-20T08:00:00+07:00', { kind: 'annual_partner_conference' })
  // Not counted: 31 Dec 2025 23:00 local (2025), invited but not checked in, a cancelled event.
  await attended(star, '2025-12-31T23:00:00+07:00')
  await attended(star, '2026-07-01T09:00:00+07:00', { checkedIn: false })
  await attended(star, '2026-08-01T09:00:00+07:00', { state: 'cancelled' })

  // Coverage: 3 faithful, 1 excerpt, 1 altered, 1 unrelated (0), 1 pending (no verdict), 1 of 2025.
  for (let i = 0; i < 3; i++) await coverage(star.partner.id, 'captured', 'faithful', '2026-03-01T10:00:00+07:00')
  await coverage(star.partner.id, 'captured', 'excerpt', '2026-04-01T10:00:00+07:00')
  await coverage(star.partner.id, 'captured', 'altered', '2026-05-01T10:00:00+07:00')
  await coverage(star.partner.id, 'captured', 'unrelated', '2026-05-02T10:00:00+07:00')
  await coverage(star.partner.id, 'pending', null, '')
  await coverage(star.partner.id, 'captured', 'faithful', '2025-12-31T20:00:00+07:00')

  // Inquiries: 2 answered in 2026, 1 answered in 2025, 1 still open.
  await inquiry(star.partner.id, 'answered', '2026-02-03T10:00:00+07:00')
  await inquiry(star.partner.id, 'answered', '2026-09-03T10:00:00+07:00')
  await inquiry(star.partner.id, 'answered', '2025-11-03T10:00:00+07:00')
  await inquiry(star.partner.id, 'assigned', null)

  // A duplicate record merged into the star: its faithful coverage and answered inquiry count for the star.
  const dup = await makePartner(t, { name: `${NAME} (trùng)` })
  await coverage(dup.partner.id, 'captured', 'faithful', '2026-06-01T10:00:00+07:00')
  await inquiry(dup.partner.id, 'answered', '2026-06-05T10:00:00+07:00')
  await t.database.db.update(partners).set({ mergedInto: star.partner.id, mergedAt: NOW }).where(eq(partners.id, dup.partner.id))
  // Not scored at all: a partner still applying.
  await makePartner(t, { name: 'Đang Chờ Duyệt', status: 'applied' })
})
afterAll(async () => {
  resetClock()
  await t?.close()
})

// By hand: attendance 2×10 + 1×15 = 35; coverage (3+1)×4 + 1×2 − 1×6 = 12; rumours 0 (no data);
// inquiries (2+1)×3 = 9; total 56.
const HAND = { attendance: 35, coverage: 12, rumours: 0, inquiries: 9, total: 56 }

describe('the score', () => {
  it('equals the hand-computed total, component by component', async () => {
    expect(SCORE_WEIGHTS).toMatchObject({ attendance: 10, annualConference: 15, faithful: 4, excerpt: 2, altered: -6, answeredInquiry: 3 })
    const [s] = await partnerScores(t.database.db, t.tenant.id, YEAR, { partnerId: star.partner.id })
    expect(s?.attendance).toEqual({ events: 2, annualConferences: 1, points: HAND.attendance })
    expect(s?.coverage).toEqual({ faithful: 4, excerpt: 1, altered: 1, points: HAND.coverage })
    expect(s?.rumours).toEqual({ useful: 0, points: 0, available: false })
    expect(s?.inquiries).toEqual({ answered: 3, points: HAND.inquiries })
    expect(s?.adjustments).toEqual({ count: 0, points: 0 })
    expect(s?.total).toBe(HAND.total)
    expect(s?.outlet).toBe(OUTLET)
    // 2025: only the records of 2025 (one event, one faithful report, one answered inquiry).
    const [old] = await partnerScores(t.database.db, t.tenant.id, 2025, { partnerId: star.partner.id })
    expect(old?.total).toBe(10 + 4 + 3)
    // The ranking: the star first; the merged duplicate and the applicant are not listed.
    const all = await partnerScores(t.database.db, t.tenant.id, YEAR)
    expect(all[0]?.partnerId).toBe(star.partner.id)
    expect(all.map((x) => x.name)).not.toContain(`${NAME} (trùng)`)
    expect(all.map((x) => x.name)).not.toContain('Đang Chờ Duyệt')
  })

  it('the console page shows the ranking, the formula and "chưa có dữ liệu" for rumours', async () => {
    const res = await get(officer, `/console/doi-tac/ghi-nhan?nam=${YEAR}`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain(NAME)
    expect(res.body).toContain(OUTLET)
    expect(res.body).toContain(`<strong class="score-total">${HAND.total}</strong>`)
    expect(res.body).toContain('chưa có dữ liệu')
    expect(res.body).toContain('Cách tính điểm')
    // An officer reads, but is offered no action.
    expect(res.body).not.toContain('/dieu-chinh"')
    expect((await get(null, '/console/doi-tac/ghi-nhan')).statusCode).not.toBe(200)
  })
})

describe('adjustments and recognition', () => {
  it('an officer can neither adjust nor award', async () => {
    const a = await post(officer, `${base(star)}/dieu-chinh`, { year: String(YEAR), points: '5', reason: REASON })
    expect(a.statusCode).toBe(403)
    const b = await post(officer, `${base(star)}/trao`, { year: String(YEAR) })
    expect(b.statusCode).toBe(403)
    expect(await count('partner_score_adjustments')).toBe(0)
    expect(await count('partner_recognitions')).toBe(0)
    // An editor neither ('recognize' is approvers' and admins').
    expect((await post(editor, `${base(star)}/trao`, { year: String(YEAR) })).statusCode).toBe(403)
  })

  it('an adjustment without a written reason is refused with the form kept, and nothing is written', async () => {
    for (const reason of ['', '   ', 'ngắn quá']) {
      const res = await post(approver, `${base(star)}/dieu-chinh`, { year: String(YEAR), points: '7', reason })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Cần ghi rõ lý do')
      expect(res.body).toContain('A written reason is required')
      // The form comes back open with the points typed.
      expect(res.body).toMatch(/name="points"[^>]*value="7"/)
    }
    const zero = await post(approver, `${base(star)}/dieu-chinh`, { year: String(YEAR), points: '0', reason: REASON })
    expect(zero.statusCode).toBe(400)
    const big = await post(approver, `${base(star)}/dieu-chinh`, { year: String(YEAR), points: '101', reason: REASON })
    expect(big.statusCode).toBe(400)
    expect(big.body).toContain(REASON)
    expect(await count('partner_score_adjustments')).toBe(0)
    expect(await audits('partner.score_adjusted')).toBe(0)
  })

  it('an adjustment with its reason changes the total; the partner sees the reason, another partner does not', async () => {
    const res = await post(approver, `${base(star)}/dieu-chinh`, { year: String(YEAR), points: '+5', reason: REASON })
    expect(res.statusCode).toBe(303)
    const rows = await t.database.db.select().from(partnerScoreAdjustments)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ partnerId: star.partner.id, year: YEAR, points: 5, reason: REASON })
    const [audit] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'partner.score_adjusted'))
    expect(audit?.summary).toMatchObject({ points: 5, reason: REASON, totalBefore: HAND.total, totalAfter: HAND.total + 5 })
    const [s] = await partnerScores(t.database.db, t.tenant.id, YEAR, { partnerId: star.partner.id })
    expect(s?.total).toBe(HAND.total + 5)

    const mine = await get(star.login, '/doi-tac/ghi-nhan')
    expect(mine.statusCode).toBe(200)
    expect(mine.body).toContain(REASON)
    expect(mine.body).toContain('+5')
    expect(mine.body).toContain(`<th class="score-total">${HAND.total + 5}</th>`)
    expect(mine.body).toContain('chưa có dữ liệu')
    const theirs = await get(other.login, '/doi-tac/ghi-nhan')
    expect(theirs.statusCode).toBe(200)
    expect(theirs.body).not.toContain(REASON)
    expect(theirs.body).not.toContain(NAME)
    // Staff are not partners: the portal page refuses them.
    expect((await get(approver, '/doi-tac/ghi-nhan')).statusCode).toBe(403)
  })

  let code = ''
  it('award → a certificate code; a second award the same year is refused', async () => {
    const res = await post(approver, `${base(star)}/trao`, { year: String(YEAR) })
    expect(res.statusCode).toBe(303)
    const [rec] = await t.database.db.select().from(partnerRecognitions).where(eq(partnerRecognitions.partnerId, star.partner.id))
    expect(rec?.certificateCode).toMatch(/^[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}-[2-9A-HJKMNP-TW-Z]{4}$/)
    expect(rec).toMatchObject({ year: YEAR, partnerName: NAME, outletName: OUTLET, score: HAND.total + 5 })
    expect(rec?.components).toMatchObject({ attendancePoints: 35, coveragePoints: 12, inquiriesPoints: 9, adjustmentsPoints: 5 })
    code = rec?.certificateCode as string
    expect(await audits('partner.recognized')).toBe(1)
    const again = await post(approver, `${base(star)}/trao`, { year: String(YEAR) })
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('đã được ghi nhận là đối tác tiêu biểu năm 2026')
    expect(await count('partner_recognitions')).toBe(1)
    // The partner sees the certificate with its download link.
    const mine = await get(star.login, '/doi-tac/ghi-nhan')
    expect(mine.body).toContain(`/chung-nhan/${code}.pdf`)
  })

  it('/xac-minh accepts the code (any case, with or without dashes) and shows the name, not the score', async () => {
    for (const typed of [code, code.toLowerCase().replace(/-/g, '')]) {
      const res = await get(null, `/xac-minh?ma=${encodeURIComponent(typed)}`)
      expect(res.statusCode).toBe(200)
      expect(res.body).toContain('Giấy chứng nhận đối tác tiêu biểu hợp lệ')
      expect(res.body).toContain(NAME)
      expect(res.body).toContain(OUTLET)
      expect(res.body).toContain(code)
      expect(res.body).not.toContain(REASON)
      expect(res.body).not.toContain('Không tìm thấy')
    }
    // The QR link form works the same.
    const link = await get(null, `/xac-minh?ma=${encodeURIComponent(`http://donghanh.test/xac-minh?ma=${code}`)}`)
    expect(link.body).toContain(NAME)
  })

  it('the certificate PDF carries the Vietnamese name exactly, the code and the verify address', async () => {
    const res = await get(null, `/chung-nhan/${code}.pdf`)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
    const doc = await pdfjs.getDocument({ data: new Uint8Array(res.rawPayload) }).promise
    const page = await doc.getPage(1)
    const view = page.getViewport({ scale: 1 })
    expect(view.width).toBeGreaterThan(view.height)
    const items = (await page.getTextContent()).items.map((i) => ('str' in i ? i.str : ''))
    const text = items.join('\n').normalize('NFC')
    expect(items.map((s) => s.normalize('NFC'))).toContain(NAME)
    expect(text).toContain('GIẤY CHỨNG NHẬN')
    expect(text).toContain('Đối tác tiêu biểu năm 2026')
    expect(text).toContain(OUTLET)
    expect(text).toContain(code)
    expect(text).toContain(`Kiểm tra tại http://donghanh.test/xac-minh?ma=${code}`)
    expect(text).toContain('ngày 1 tháng 11 năm 2026')
    expect(text).not.toContain(String(HAND.total + 5))
    expect((await get(null, '/chung-nhan/2222-3333-4444.pdf')).statusCode).toBe(404)
  })

  it('revoked: needs a reason; the verify page says revoked (without the reason) and the PDF answers 410', async () => {
    const none = await post(approver, `${base(star)}/thu-hoi`, { year: String(YEAR), reason: '' })
    expect(none.statusCode).toBe(400)
    expect(await audits('partner.recognition_revoked')).toBe(0)
    const revokeReason = 'Bài viết sau đó bị xác định đưa tin sai sự thật nghiêm trọng.'
    expect((await post(officer, `${base(star)}/thu-hoi`, { year: String(YEAR), reason: revokeReason })).statusCode).toBe(403)
    const res = await post(approver, `${base(star)}/thu-hoi`, { year: String(YEAR), reason: revokeReason })
    expect(res.statusCode).toBe(303)
    expect(await audits('partner.recognition_revoked')).toBe(1)
    const v = await get(null, `/xac-minh?ma=${code}`)
    expect(v.body).toContain('Giấy chứng nhận đã bị thu hồi')
    expect(v.body).toContain('Ngày thu hồi')
    expect(v.body).not.toContain(revokeReason)
    expect(v.body).not.toContain('chứng nhận đối tác tiêu biểu hợp lệ')
    const pdf = await get(null, `/chung-nhan/${code}.pdf`)
    expect(pdf.statusCode).toBe(410)
    expect(pdf.body).toContain('đã bị thu hồi')
    expect(pdf.body).not.toContain(revokeReason)
    // A second award in the same year stays refused after a revocation.
    expect((await post(approver, `${base(star)}/trao`, { year: String(YEAR) })).statusCode).toBe(409)
  })
})

describe('the yearly partner conference', () => {
  it('without lists of its own, invites every accredited partner (both builtin lists)', async () => {
    const influencer = await makePartner(t, { kind: 'influencer', name: 'Trần Khoẻ' })
    const [ev] = await t.database.db
      .insert(events)
      .values({
        tenantId: t.tenant.id,
        kind: 'annual_partner_conference',
        title: 'Hội nghị gặp mặt đối tác năm 2026',
        startsAt: new Date('2026-12-10T08:00:00+07:00'),
        endsAt: new Date('2026-12-10T11:00:00+07:00'),
        state: 'announced',
        announcedAt: NOW,
        icalUid: `${randomUUID()}@donghanh.test`,
      })
      .returning()
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${ev?.id}/moi`,
      headers: { ...editor.headers, ...form({}).headers },
      payload: '',
    })
    expect(res.statusCode).toBe(303)
    const invited = await t.database.db
      .select({ partnerId: eventInvitations.partnerId })
      .from(eventInvitations)
      .where(and(eq(eventInvitations.eventId, ev?.id as string)))
    const ids = invited.map((r) => r.partnerId)
    expect(ids).toEqual(expect.arrayContaining([star.partner.id, other.partner.id, influencer.partner.id]))
    // Never the applicant nor the merged duplicate.
    const names = await t.database.db.execute<{ name: string }>(
      sql`SELECT p.name FROM event_invitations i JOIN partners p ON p.id = i.partner_id WHERE i.event_id = ${ev?.id}`,
    )
    expect(names.rows.map((r) => r.name)).not.toContain('Đang Chờ Duyệt')
    expect(names.rows.map((r) => r.name)).not.toContain(`${NAME} (trùng)`)
  })
})
