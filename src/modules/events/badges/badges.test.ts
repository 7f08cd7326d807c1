/**
 * Badges on a real database, real HTTP and a real SMTP receiver: issued on 'yes' (and on a
 * promotion from the waiting list) with the PDF mailed, revoked on leaving 'yes', reissued by
 * staff; the token refused when forged, altered, expired or withdrawn; the QR image decoded back
 * to the token (jsQR); the PDF read back (pdfjs) with the Vietnamese name exactly; the portal
 * files only for their own partner; the print-all sheet in Vietnamese name order.
 */
import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import jsQR from 'jsqr'
import { type ParsedMail, simpleParser } from 'mailparser'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, now, resetClock } from '../../../platform/clock.ts'
import { mailOutbox } from '../../../platform/mail/mail.tables.ts'
import { startSmtpReceiver, type SmtpReceiver } from '../../distribution/delivery/testing.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { eventInvitations, events } from '../events.tables.ts'
import { BADGE_GRACE_MS, badgeKey, formatBadgeCode, parseBadge, signBadge } from './badge-token.ts'
import { badgeOf, verifyBadgeToken } from './badges.queries.ts'
import { badgeQrSvg } from './badges.qr.ts'

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

/** An announced event inviting the given partners (invitations written directly). */
async function makeEvent(members: MadePartner[], o: { capacity?: number | null; title?: string } = {}) {
  const startsAt = new Date(Math.floor((now().getTime() + 72 * HOUR) / 60_000) * 60_000)
  const [ev] = await t.database.db
    .insert(events)
    .values({
      tenantId: t.tenant.id,
      kind: 'regular_press_conference',
      title: o.title ?? 'Họp báo thông tin kết quả chuyên án ma tuý',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 2 * HOUR),
      place: 'Hội trường Công an tỉnh, 15 Hạc Thành',
      capacity: o.capacity ?? null,
      state: 'announced',
      announcedAt: now(),
      icalUid: `${randomUUID()}@donghanh.test`,
    })
    .returning()
  if (!ev) throw new Error('no event')
  for (const m of members) {
    await t.database.db.insert(eventInvitations).values({ tenantId: t.tenant.id, eventId: ev.id, partnerId: m.partner.id, sequenceSent: 0 })
  }
  return ev
}

/** A partner of a named outlet. */
async function journalist(name: string, outlet = 'Báo Thanh Hoá'): Promise<MadePartner> {
  const p = await makePartner(t, { name })
  const [o] = await t.database.db.insert(pressOutlets).values({ tenantId: t.tenant.id, name: outlet, kind: 'newspaper' }).returning()
  await t.database.db
    .update(partners)
    .set({ outletId: o?.id as string })
    .where(eq(partners.id, p.partner.id))
  return p
}

async function answer(p: MadePartner, eventId: string, fields: Record<string, string>) {
  const f = form(fields)
  const res = await t.app.inject({
    method: 'POST',
    url: `/doi-tac/su-kien/${eventId}/tra-loi`,
    headers: { ...p.login.headers, ...f.headers },
    payload: f.payload,
  })
  expect(res.statusCode, res.body).toBe(303)
  return res
}

async function invitationOf(eventId: string, partnerId: string) {
  const [row] = await t.database.db
    .select()
    .from(eventInvitations)
    .where(and(eq(eventInvitations.eventId, eventId), eq(eventInvitations.partnerId, partnerId)))
  if (!row) throw new Error('no invitation')
  return row
}

async function tokenOf(eventId: string, partnerId: string): Promise<string> {
  const inv = await invitationOf(eventId, partnerId)
  const badge = await badgeOf(t.database.db, t.tenant.id, inv.id)
  if (!badge) throw new Error('no badge')
  return badge.token
}

async function waitForMails(to: string, n: number): Promise<ParsedMail[]> {
  const until = Date.now() + 15_000
  for (;;) {
    const got = await Promise.all(smtp.mails.filter((m) => m.to.includes(to)).map((m) => simpleParser(m.raw as Buffer)))
    if (got.length >= n) return got
    if (Date.now() > until) throw new Error(`expected ${n} mails to ${to}, got ${got.length}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** The text of each page of a PDF, read by pdfjs. */
async function pdfPages(bytes: Buffer): Promise<string[]> {
  const pdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs')
  const doc = await pdfjs.getDocument({ data: new Uint8Array(bytes), useSystemFonts: false, disableFontFace: true }).promise
  const pages: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).join('\n'))
  }
  await doc.destroy()
  return pages
}

/** The QR code of a PNG, decoded by jsQR. */
async function decodeQr(png: Buffer): Promise<string | null> {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true })
  return jsQR(new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), info.width, info.height)?.data ?? null
}

describe('badge tokens', () => {
  it('round-trip, and refuse forged, altered, malformed and expired tokens', async () => {
    const a = await journalist('Phạm Minh Tuấn')
    const ev = await makeEvent([a])
    await answer(a, ev.id, { answer: 'yes' })
    const token = await tokenOf(ev.id, a.partner.id)
    const parsed = parseBadge(token)
    const inv = await invitationOf(ev.id, a.partner.id)
    expect(parsed?.invitationId).toBe(inv.id)

    const good = await verifyBadgeToken(t.database.db, t.tenant.id, token)
    expect(good.ok).toBe(true)
    if (good.ok) {
      expect(good.invitation.id).toBe(inv.id)
      expect(good.event.id).toBe(ev.id)
    }

    const reason = async (tok: string) => {
      const v = await verifyBadgeToken(t.database.db, t.tenant.id, tok)
      return v.ok ? 'ok' : v.reason
    }
    // A changed MAC character.
    const last = token.at(-1) === 'A' ? 'B' : 'A'
    expect(await reason(token.slice(0, -1) + last)).toBe('forged')
    // Another invitation id under the original MAC.
    const otherId = Buffer.from(randomUUID().replace(/-/g, ''), 'hex').toString('base64url')
    const parts = token.split('.')
    expect(await reason([parts[0], otherId, ...parts.slice(2)].join('.'))).toBe('forged')
    // Another version, another expiry, under the original MAC.
    expect(await reason([...parts.slice(0, 2), String(inv.badgeVersion + 1), ...parts.slice(3)].join('.'))).toBe('forged')
    expect(await reason([...parts.slice(0, 3), (Number.parseInt(parts[3] as string, 36) + 86_400).toString(36), parts[4]].join('.'))).toBe(
      'forged',
    )
    // Signed under another key.
    const strange = signBadge(Buffer.alloc(32, 7), { invitationId: inv.id, version: inv.badgeVersion, exp: parsed?.exp as number })
    expect(await reason(strange)).toBe('forged')
    expect(await reason('not a badge')).toBe('malformed')
    expect(await reason(`${token}x`)).toBe('malformed')
    expect(await reason('')).toBe('malformed')

    // Past the event's end plus the grace: expired (the genuine token).
    freezeClock(new Date(ev.endsAt.getTime() + BADGE_GRACE_MS + 60_000))
    expect(await reason(token)).toBe('expired')
    resetClock()
    expect(await reason(token)).toBe('ok')
  })

  it('answering no then yes moves the version: the old token is withdrawn, the new one works', async () => {
    const a = await journalist('Lê Văn Hùng')
    const ev = await makeEvent([a])
    await answer(a, ev.id, { answer: 'yes' })
    const first = await invitationOf(ev.id, a.partner.id)
    const oldToken = await tokenOf(ev.id, a.partner.id)
    expect(first.badgeCode).toMatch(/^[0-9A-Z]{8}$/)

    await answer(a, ev.id, { answer: 'no' })
    const afterNo = await invitationOf(ev.id, a.partner.id)
    expect(afterNo.badgeVersion).toBe(first.badgeVersion + 1)
    expect(await badgeOf(t.database.db, t.tenant.id, afterNo.id)).toBeNull()
    expect(await verifyBadgeToken(t.database.db, t.tenant.id, oldToken)).toMatchObject({ ok: false, reason: 'withdrawn' })

    await answer(a, ev.id, { answer: 'yes' })
    const again = await invitationOf(ev.id, a.partner.id)
    expect(again.badgeVersion).toBe(first.badgeVersion + 1)
    expect(again.badgeCode).toBe(first.badgeCode)
    const newToken = await tokenOf(ev.id, a.partner.id)
    expect(newToken).not.toBe(oldToken)
    expect(await verifyBadgeToken(t.database.db, t.tenant.id, oldToken)).toMatchObject({ ok: false, reason: 'withdrawn' })
    expect((await verifyBadgeToken(t.database.db, t.tenant.id, newToken)).ok).toBe(true)

    // Maybe also ends it.
    await answer(a, ev.id, { answer: 'maybe' })
    expect(await verifyBadgeToken(t.database.db, t.tenant.id, newToken)).toMatchObject({ ok: false, reason: 'withdrawn' })

    const audits = await t.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, ev.id))
      .orderBy(auditEvents.seq)
    expect(audits.map((r) => r.action).filter((x) => x.startsWith('event.badge'))).toEqual([
      'event.badge_issued',
      'event.badge_revoked',
      'event.badge_issued',
      'event.badge_revoked',
    ])
  })

  it('a badge of another event is still genuine (the door compares events); a cancelled event withdraws it', async () => {
    const a = await journalist('Vũ Thị Lan')
    const ev = await makeEvent([a])
    await makeEvent([a])
    await answer(a, ev.id, { answer: 'yes' })
    const token = await tokenOf(ev.id, a.partner.id)
    const v = await verifyBadgeToken(t.database.db, t.tenant.id, token)
    expect(v.ok && v.event.id).toBe(ev.id)
    await t.database.db
      .update(events)
      .set({ state: 'cancelled', cancelledAt: now(), cancelReason: 'Thay đổi kế hoạch' })
      .where(eq(events.id, ev.id))
    expect(await verifyBadgeToken(t.database.db, t.tenant.id, token)).toMatchObject({ ok: false, reason: 'withdrawn' })
  })
})

describe('issuing, portal and mail', () => {
  it('a yes gets a badge: mailed as a PDF with the code, shown in the portal, QR and PDF read back', async () => {
    const name = 'Nguyễn Thị Thuỷ'
    const a = await journalist(name, 'Đài Phát thanh và Truyền hình Thanh Hoá')
    const ev = await makeEvent([a])
    await answer(a, ev.id, { answer: 'yes', companionName: 'Trần Quốc Việt', companionRole: 'quay phim' })
    const inv = await invitationOf(ev.id, a.partner.id)
    expect(inv.badgeCode).toMatch(/^[0-9A-Z]{8}$/)
    expect(inv.badgeSentAt).not.toBeNull()
    const code = formatBadgeCode(inv.badgeCode as string)
    const badge = await badgeOf(t.database.db, t.tenant.id, inv.id)
    expect(badge).toMatchObject({
      code,
      partnerName: name,
      outletName: 'Đài Phát thanh và Truyền hình Thanh Hoá',
      companion: { name: 'Trần Quốc Việt', role: 'quay phim' },
      event: { title: ev.title, place: ev.place },
    })
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, ev.id), eq(auditEvents.action, 'event.badge_issued')))
    expect(audit).toHaveLength(1)
    expect(audit[0]?.summary).toMatchObject({ invitationId: inv.id, mailed: true })

    // The mail: the code in the text, the badge PDF attached (binary intact through SMTP).
    const mails = await waitForMails(a.partner.email as string, 1)
    const mail = mails.find((m) => m.attachments.some((x) => x.contentType === 'application/pdf'))
    expect(mail, 'a mail with the badge PDF').toBeDefined()
    expect(mail?.subject).toContain('Thẻ tham dự')
    expect(mail?.text).toContain(code)
    const att = mail?.attachments.find((x) => x.contentType === 'application/pdf')
    expect(att?.filename).toBe(`the-tham-du-${code}.pdf`)
    const mailed = (await pdfPages(att?.content as Buffer)).join('\n')
    expect(mailed).toContain(name)
    expect(mailed).toContain(code)

    // The portal page shows the QR image, the code and the print link.
    const page = await t.app.inject({ method: 'GET', url: `/doi-tac/su-kien/${ev.id}`, headers: a.login.headers })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="badge-qr"')
    expect(page.body).toContain(`src="/doi-tac/su-kien/${ev.id}/the.png`)
    expect(page.body).toContain(`data-badge-code="${code}"`)
    expect(page.body).toContain(`href="/doi-tac/su-kien/${ev.id}/the.pdf"`)
    expect(page.body).toContain('In thẻ (PDF)')
    expect(page.body).toContain('Trần Quốc Việt')

    const png = await t.app.inject({ method: 'GET', url: `/doi-tac/su-kien/${ev.id}/the.png`, headers: a.login.headers })
    expect(png.statusCode).toBe(200)
    expect(png.headers['content-type']).toBe('image/png')
    expect(png.headers['cache-control']).toBe('private, no-store')
    expect(await decodeQr(png.rawPayload)).toBe(badge?.token)

    const pdf = await t.app.inject({ method: 'GET', url: `/doi-tac/su-kien/${ev.id}/the.pdf`, headers: a.login.headers })
    expect(pdf.statusCode).toBe(200)
    expect(pdf.headers['content-type']).toBe('application/pdf')
    expect(pdf.headers['cache-control']).toBe('private, no-store')
    const pages = await pdfPages(pdf.rawPayload)
    expect(pages).toHaveLength(1)
    expect(pages[0]).toContain(name)
    expect(pages[0]).toContain(code)
    expect(pages[0]).toContain('Không chuyển nhượng / Not transferable')
    expect(pages[0]).toContain('Đài Phát thanh và Truyền hình Thanh Hoá')
    // The time in Asia/Ho_Chi_Minh (UTC+7, no daylight saving), worked out independently.
    const local = (d: Date) => new Date(d.getTime() + 7 * HOUR).toISOString().slice(11, 16)
    expect(pages[0]).toContain(`${local(ev.startsAt)}–${local(ev.endsAt)}`)

    // Read from a 640×480 camera frame (the QR a third of its width, on a grey background), and the SVG too.
    const frame = await sharp(await sharp(png.rawPayload).resize(220).toBuffer())
      .extend({ top: 130, bottom: 130, left: 210, right: 210, background: '#777777' })
      .png()
      .toBuffer()
    expect((await sharp(frame).metadata()).width).toBe(640)
    expect(await decodeQr(frame)).toBe(badge?.token)
    const svg = await badgeQrSvg(badge?.token as string)
    expect(svg).toContain('<svg')
    expect(await decodeQr(await sharp(Buffer.from(svg), { density: 300 }).png().toBuffer())).toBe(badge?.token)
  })

  it('the badge files answer 404 to another partner, to an unconfirmed invitee, and refuse staff', async () => {
    const a = await journalist('Hoàng Thị Mai')
    const b = await journalist('Đỗ Văn Nam')
    const c = await journalist('Bùi Thị Hạnh')
    const ev = await makeEvent([a, c])
    await answer(a, ev.id, { answer: 'yes' })
    await answer(c, ev.id, { answer: 'maybe' })
    for (const file of ['the.png', 'the.pdf']) {
      const url = `/doi-tac/su-kien/${ev.id}/${file}`
      expect((await t.app.inject({ method: 'GET', url, headers: a.login.headers })).statusCode).toBe(200)
      const other = await t.app.inject({ method: 'GET', url, headers: b.login.headers })
      expect(other.statusCode).toBe(404)
      expect(other.body).not.toContain('Hoàng Thị Mai')
      expect((await t.app.inject({ method: 'GET', url, headers: c.login.headers })).statusCode).toBe(404)
      expect((await t.app.inject({ method: 'GET', url: `/doi-tac/su-kien/not-an-id/${file}`, headers: a.login.headers })).statusCode).toBe(
        404,
      )
      expect((await t.app.inject({ method: 'GET', url, headers: editor.headers })).statusCode).toBe(403)
      expect([401, 303, 302]).toContain((await t.app.inject({ method: 'GET', url })).statusCode)
    }
    // The unconfirmed invitee's page has no badge section.
    const page = await t.app.inject({ method: 'GET', url: `/doi-tac/su-kien/${ev.id}`, headers: c.login.headers })
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('id="badge-qr"')
  })

  it('a partner promoted from the waiting list gets a badge too', async () => {
    const a = await journalist('Ngô Văn Đức')
    const b = await journalist('Trịnh Thị Yến')
    const ev = await makeEvent([a, b], { capacity: 1 })
    await answer(a, ev.id, { answer: 'yes' })
    await answer(b, ev.id, { answer: 'yes' })
    expect((await invitationOf(ev.id, b.partner.id)).state).toBe('waitlisted')
    expect((await invitationOf(ev.id, b.partner.id)).badgeCode).toBeNull()
    await answer(a, ev.id, { answer: 'no' })
    const promoted = await invitationOf(ev.id, b.partner.id)
    expect(promoted.state).toBe('yes')
    expect(promoted.badgeCode).toMatch(/^[0-9A-Z]{8}$/)
    expect(promoted.badgeSentAt).not.toBeNull()
    const mails = await waitForMails(b.partner.email as string, 2)
    expect(
      mails.some(
        (m) =>
          m.attachments.some((x) => x.contentType === 'application/pdf') && m.text?.includes(formatBadgeCode(promoted.badgeCode as string)),
      ),
    ).toBe(true)
  })

  it('a partner without an e-mail address gets the badge in the portal, unmailed', async () => {
    const a = await journalist('Mai Thị Hương')
    await t.database.db.update(partners).set({ email: null }).where(eq(partners.id, a.partner.id))
    const ev = await makeEvent([a])
    await answer(a, ev.id, { answer: 'yes' })
    const inv = await invitationOf(ev.id, a.partner.id)
    expect(inv.badgeCode).not.toBeNull()
    expect(inv.badgeSentAt).toBeNull()
  })
})

describe('staff: print all and reissue', () => {
  it('prints every confirmed badge four to an A4 page, in Vietnamese name order; officers may not', async () => {
    const names = ['Đặng Văn Bình', 'Dương Thị Cúc', 'Nguyễn Thị Thuỷ', 'Âu Minh Khôi', 'An Văn Tâm']
    const ps = []
    for (const n of names) ps.push(await journalist(n))
    const absent = await journalist('Cao Văn Vắng')
    const ev = await makeEvent([...ps, absent])
    for (const p of ps) await answer(p, ev.id, { answer: 'yes' })
    await answer(absent, ev.id, { answer: 'no' })

    const res = await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}/the.pdf`, headers: editor.headers })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['cache-control']).toBe('private, no-store')
    const pages = await pdfPages(res.rawPayload)
    expect(pages).toHaveLength(2)
    const all = pages.join('\n')
    const order = names.map((n) => all.indexOf(n))
    expect(order.every((i) => i >= 0)).toBe(true)
    expect(all).not.toContain('Cao Văn Vắng')
    // Vietnamese order: A < Â < D < Đ < N.
    const sorted = [...names].sort((x, y) => all.indexOf(x) - all.indexOf(y))
    expect(sorted).toEqual(['An Văn Tâm', 'Âu Minh Khôi', 'Dương Thị Cúc', 'Đặng Văn Bình', 'Nguyễn Thị Thuỷ'])
    expect(pages[1]).toContain('Nguyễn Thị Thuỷ')

    const officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
    expect((await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}/the.pdf`, headers: officer.headers })).statusCode).toBe(403)
    expect([401, 303, 302]).toContain((await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}/the.pdf` })).statusCode)
    const empty = await makeEvent([])
    expect((await t.app.inject({ method: 'GET', url: `/console/su-kien/${empty.id}/the.pdf`, headers: editor.headers })).statusCode).toBe(
      404,
    )

    // The console page shows the counts and the print link.
    const page = await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}`, headers: editor.headers })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="badges"')
    expect(page.body).toContain('Đã xác nhận: 5 · Đã cấp thẻ: 5')
    expect(page.body).toContain(`href="/console/su-kien/${ev.id}/the.pdf"`)
  })

  it('reissue: a new version and code, the old badge refused, the new one mailed and audited', async () => {
    const a = await journalist('Lý Thị Ngọc')
    const b = await journalist('Tạ Văn Hải')
    const ev = await makeEvent([a, b])
    await answer(a, ev.id, { answer: 'yes' })
    await answer(b, ev.id, { answer: 'maybe' })
    const before = await invitationOf(ev.id, a.partner.id)
    const oldToken = await tokenOf(ev.id, a.partner.id)

    // The console page carries the reissue form (with its CSRF field).
    const page = await t.app.inject({ method: 'GET', url: `/console/su-kien/${ev.id}`, headers: editor.headers })
    const action = `/console/su-kien/${ev.id}/the/${before.id}/cap-lai`
    expect(page.body).toContain(`action="${action}"`)
    const f = form({ _csrf: csrfFrom(page.body) })

    const officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
    const denied = await t.app.inject({ method: 'POST', url: action, headers: { ...officer.headers, ...f.headers }, payload: f.payload })
    expect(denied.statusCode).toBe(403)
    const noCsrf = await t.app.inject({ method: 'POST', url: action, headers: { cookie: editor.cookie, ...f.headers }, payload: '' })
    expect(noCsrf.statusCode).toBe(403)
    expect((await invitationOf(ev.id, a.partner.id)).badgeVersion).toBe(before.badgeVersion)

    const res = await t.app.inject({ method: 'POST', url: action, headers: { ...editor.headers, ...f.headers }, payload: f.payload })
    expect(res.statusCode).toBe(303)
    const after = await invitationOf(ev.id, a.partner.id)
    expect(after.badgeVersion).toBe(before.badgeVersion + 1)
    expect(after.badgeCode).not.toBe(before.badgeCode)
    expect(await verifyBadgeToken(t.database.db, t.tenant.id, oldToken)).toMatchObject({ ok: false, reason: 'withdrawn' })
    expect((await verifyBadgeToken(t.database.db, t.tenant.id, await tokenOf(ev.id, a.partner.id))).ok).toBe(true)
    const mails = await waitForMails(a.partner.email as string, 2)
    const reissued = mails.find((m) => m.subject?.includes('Thẻ tham dự mới'))
    expect(reissued?.text).toContain(formatBadgeCode(after.badgeCode as string))
    expect(reissued?.attachments.some((x) => x.contentType === 'application/pdf')).toBe(true)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, ev.id), eq(auditEvents.action, 'event.badge_reissued')))
    expect(audit).toHaveLength(1)

    // Not confirmed, or not of this event: 404, nothing changed.
    const inv = await invitationOf(ev.id, b.partner.id)
    const refused = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${ev.id}/the/${inv.id}/cap-lai`,
      headers: { ...editor.headers, ...f.headers },
      payload: f.payload,
    })
    expect(refused.statusCode).toBe(404)
    const other = await makeEvent([])
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${other.id}/the/${before.id}/cap-lai`,
      headers: { ...editor.headers, ...f.headers },
      payload: f.payload,
    })
    expect(wrong.statusCode).toBe(404)
    expect((await invitationOf(ev.id, a.partner.id)).badgeVersion).toBe(after.badgeVersion)
  })

  it('keeps the outbox row whole: a base64 PDF attachment with its encoding', async () => {
    const a = await journalist('Kiều Thị Oanh')
    const ev = await makeEvent([a])
    await answer(a, ev.id, { answer: 'yes' })
    const rows = await t.database.db
      .select()
      .from(mailOutbox)
      .where(eq(mailOutbox.toAddress, a.partner.email as string))
    const att = rows.flatMap((r) => r.attachments ?? []).find((x) => x.contentType === 'application/pdf')
    expect(att?.encoding).toBe('base64')
    expect(
      Buffer.from(att?.content as string, 'base64')
        .subarray(0, 5)
        .toString(),
    ).toBe('%PDF-')
    // The key is per tenant and stable.
    expect((await badgeKey(t.database.db, t.tenant.id)).length).toBe(32)
  })
})
