/**
 * Warnings reach people, on a real database with the real sender and a real SMTP receiver:
 * quiet hours (an Advisory at 23:00 waits until 06:00, an Alert leaves at once; the clock is
 * moved), the commune and kind filters, an update to those who had the first version, a closed
 * missing-person warning (held mail cancelled, the notice names no one, nothing with the name
 * leaves after the close), partners' portal and e-mail with the official-source text, exactly
 * once per event, the reach figures, and the warning kinds on the public subscription form.
 */
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../../test/support/app.ts'
import { makePartner, type MadePartner } from '../../../../test/support/partners.ts'
import { withTransaction } from '../../../db/index.ts'
import { freezeClock, resetClock } from '../../../platform/clock.ts'
import { deliverEvent, eventsOf } from '../../../platform/domain-events/index.ts'
import { type SmtpReceiver, startSmtpReceiver } from '../../distribution/delivery/testing.ts'
import { distributionDeliveries } from '../../distribution/distribution.tables.ts'
import type { DeliveryPayload } from '../../distribution/distribution.types.ts'
import { insertSubscriberDeliveries } from '../../distribution/subscriptions/subscriptions.fanout.ts'
import { publicSubscriptions } from '../../distribution/subscriptions/subscriptions.tables.ts'
import { publishVersion } from '../commands/publish-version.ts'
import { makePublishedWarning } from '../warnings.test-support.ts'
import { warnings } from '../warnings.tables.ts'
import { warningReach } from './reach.ts'

let t: TestApp
let smtp: SmtpReceiver
let partner: MadePartner
const inbox: { to: string; subject: string; text: string; at: number }[] = []
let seq = 0

const HAC_THANH = 'phuong-hac-thanh'
const DONG_TIEN = 'xa-dong-tien'
const HAM_RONG = 'phuong-ham-rong'
const CSRF = 'c'.repeat(32)
/** Local (+07:00) instants on a fixed day. */
const local = (s: string) => new Date(`${s}+07:00`)

beforeAll(async () => {
  smtp = await startSmtpReceiver({
    parse: true,
    onMail: (m) => inbox.push({ to: m.to.join(','), subject: m.parsed?.subject ?? '', text: m.parsed?.text ?? '', at: Date.now() }),
  })
  t = await createTestApp({ SMTP_URL: smtp.url })
  partner = await makePartner(t, { name: 'Báo Thanh Hóa' })
})
afterEach(() => resetClock())
afterAll(async () => {
  resetClock()
  await t?.close()
  await smtp?.close()
})

// --- helpers -----------------------------------------------------------------------------------

/** An active subscriber of the `warning` topic, written directly (the form has its own tests). */
async function subscriber(o: { communes?: string[]; warningKinds?: ('scam' | 'traffic' | 'missing_person')[] } = {}): Promise<string> {
  const email = `nguoidan-${++seq}-${Math.random().toString(36).slice(2, 8)}@hopthu.example.vn`
  await t.database.db.insert(publicSubscriptions).values({
    tenantId: t.tenant.id,
    email,
    kinds: ['warning'],
    communes: o.communes ?? [],
    warningKinds: o.warningKinds ?? [],
    state: 'active',
    confirmedAt: new Date(),
  })
  return email
}

async function subscriberId(email: string): Promise<string | undefined> {
  const [r] = await t.database.db
    .select({ id: publicSubscriptions.id })
    .from(publicSubscriptions)
    .where(eq(publicSubscriptions.email, email))
  return r?.id
}

/** Runs both subscribers on the warning's event of `version` (once, whoever runs it); returns the event id. */
async function fanOut(warningId: string, version: number): Promise<number> {
  const events = await eventsOf(t.database, t.tenant.id, 'warning', warningId)
  const e = events.find((x) => (x.payload as { version: number }).version === version)
  if (!e) throw new Error(`no event of version ${version}`)
  await deliverEvent(t.database, e.id, 'warnings.public-subscribers')
  await deliverEvent(t.database, e.id, 'warnings.partners')
  return e.id
}

/** Mails to `address`, waiting for at least `n`. */
async function mailsTo(address: string, n = 1) {
  const until = Date.now() + 15_000
  for (;;) {
    const found = inbox.filter((m) => m.to === address)
    if (found.length >= n) return found
    if (Date.now() > until) throw new Error(`no mail to ${address}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

/** Lets the sender sweep (every second) at least twice. */
const sweep = () => new Promise((r) => setTimeout(r, 2_300))

async function deliveries(warningId: string, recipientType: 'subscriber' | 'partner') {
  return t.database.db
    .select()
    .from(distributionDeliveries)
    .where(and(eq(distributionDeliveries.itemId, warningId), eq(distributionDeliveries.recipientType, recipientType)))
}

/** Publishes the next version of the warning (an update with `set`, or its cancellation or closing). */
async function publishNext(
  warningId: string,
  state: 'active' | 'cancelled' | 'closed',
  set: Partial<typeof warnings.$inferInsert> = {},
): Promise<number> {
  return withTransaction(t.database.pool, async (tx) => {
    const [locked] = await tx.select().from(warnings).where(eq(warnings.id, warningId)).for('update')
    const w = { ...(locked as typeof warnings.$inferSelect), ...set }
    const r = await publishVersion(tx, {
      warning: w as typeof warnings.$inferSelect,
      state,
      publishedBy: null,
      approvedBy: null,
      urgent: false,
      changeNote: state === 'active' ? 'Mở rộng khu vực cảnh báo' : null,
      set: state === 'closed' ? { closedAt: new Date(), closeReason: 'found' } : state === 'cancelled' ? { cancelledAt: new Date() } : {},
    })
    return r.version
  })
}

// --- quiet hours, communes, kinds ---------------------------------------------------------------

describe('subscribers', () => {
  it('holds an Advisory published at 23:00 until 06:00, sends an Alert at once, and filters by commune and kind', async () => {
    const hac = await subscriber({ communes: [HAC_THANH] })
    const province = await subscriber()
    const elsewhere = await subscriber({ communes: [HAM_RONG] })
    const trafficOnly = await subscriber({ communes: [HAC_THANH], warningKinds: ['traffic'] })
    const scamOnly = await subscriber({ communes: [DONG_TIEN], warningKinds: ['scam'] })

    freezeClock(local('2026-12-10T23:00:00'))
    const advisory = await makePublishedWarning(t.database, t.tenant.id, {
      level: 'advisory',
      titleVi: 'Cảnh báo thủ đoạn giả danh nhân viên điện lực đòi tiền điện',
    })
    const alert = await makePublishedWarning(t.database, t.tenant.id, {
      level: 'alert',
      titleVi: 'Khẩn cấp: giả danh công an yêu cầu chuyển tiền để điều tra',
    })
    await fanOut(advisory.id, 1)
    await fanOut(alert.id, 1)

    // The Alert: at once, to the communes' and the province's subscribers of the kind.
    for (const to of [hac, province, scamOnly]) {
      const mails = await mailsTo(to)
      expect(mails.map((m) => m.subject)).toContain('Khẩn cấp: giả danh công an yêu cầu chuyển tiền để điều tra')
    }
    const [alertMail] = (await mailsTo(hac)).filter((m) => m.subject.startsWith('Khẩn cấp'))
    expect(alertMail?.text).toContain('Khẩn cấp · Thủ đoạn lừa đảo / Alert · Scam methods')
    expect(alertMail?.text).toContain('Khu vực: Phường Hạc Thành, Xã Đồng Tiến')
    expect(alertMail?.text).toContain('Việc cần làm: Không bấm vào đường link lạ')
    expect(alertMail?.text).toContain('http://donghanh.test/nhan-tin/huy/')

    // The Advisory: queued until 06:00 local, not sent meanwhile.
    const held = await deliveries(advisory.id, 'subscriber')
    expect(held.map((d) => d.address).sort()).toEqual([hac, province, scamOnly].sort())
    for (const d of held) {
      expect(d.state).toBe('queued')
      expect(d.nextAttemptAt).toEqual(local('2026-12-11T06:00:00'))
    }
    expect((await warningReach(t.database.db, t.tenant.id, advisory.id))?.heldUntil).toEqual(local('2026-12-11T06:00:00'))
    freezeClock(local('2026-12-11T05:59:59'))
    await sweep()
    const subscribers = [hac, province, scamOnly]
    expect(inbox.filter((m) => subscribers.includes(m.to) && m.subject.includes('nhân viên điện lực'))).toHaveLength(0)
    freezeClock(local('2026-12-11T06:00:00'))
    for (const to of [hac, province, scamOnly]) {
      await expect
        .poll(() => inbox.filter((m) => m.to === to && m.subject.includes('nhân viên điện lực')).length, { timeout: 10_000 })
        .toBe(1)
    }

    // Another commune, and a subscriber of traffic only: nothing at all.
    expect(inbox.filter((m) => m.to === elsewhere || m.to === trafficOnly)).toHaveLength(0)
    expect((await deliveries(alert.id, 'subscriber')).map((d) => d.address)).not.toContain(elsewhere)
    expect((await deliveries(alert.id, 'subscriber')).map((d) => d.address)).not.toContain(trafficOnly)
  })

  it('sends an update to those who had the first version and to the audience now, once each; exactly once per event', async () => {
    const first = await subscriber({ communes: [HAC_THANH] })
    const newcomer = await subscriber({ communes: [HAM_RONG] })
    freezeClock(local('2026-12-12T09:00:00'))
    const w = await makePublishedWarning(t.database, t.tenant.id, {
      kind: 'traffic',
      level: 'community',
      titleVi: 'Phân luồng giao thông phục vụ lễ hội đền Bà Triệu',
      communes: [HAC_THANH],
    })
    const e1 = await fanOut(w.id, 1)
    await mailsTo(first)
    const once = [...(await deliveries(w.id, 'subscriber')), ...(await deliveries(w.id, 'partner'))].length
    // The event delivered again changes nothing (the delivery row makes it once).
    expect(await deliverEvent(t.database, e1, 'warnings.public-subscribers')).toBe(false)
    expect(await deliverEvent(t.database, e1, 'warnings.partners')).toBe(false)
    expect([...(await deliveries(w.id, 'subscriber')), ...(await deliveries(w.id, 'partner'))]).toHaveLength(once)
    expect((await deliveries(w.id, 'subscriber')).map((d) => d.address)).toContain(first)
    expect((await deliveries(w.id, 'subscriber')).map((d) => d.address)).not.toContain(newcomer)

    // The first subscriber leaves Hạc Thành's list: still updated, having the first version.
    await t.database.db
      .update(publicSubscriptions)
      .set({ communes: [DONG_TIEN] })
      .where(eq(publicSubscriptions.email, first))
    await publishNext(w.id, 'active', { communes: [HAM_RONG], titleVi: 'Phân luồng giao thông lễ hội: thêm tuyến qua Hàm Rồng' })
    const e2 = await fanOut(w.id, 2)
    expect(await deliverEvent(t.database, e2, 'warnings.public-subscribers')).toBe(false)
    const updates = (await deliveries(w.id, 'subscriber')).filter((d) => d.kind === 'correction').map((d) => d.address)
    expect(updates).toEqual(expect.arrayContaining([first, newcomer]))
    expect(new Set(updates).size).toBe(updates.length)
    const [mail] = (await mailsTo(first, 2)).filter((m) => m.subject.includes('thêm tuyến'))
    expect(mail?.subject).toContain('CẬP NHẬT CẢNH BÁO / WARNING UPDATE')
    expect(mail?.text).toContain('Mở rộng khu vực cảnh báo')
    await mailsTo(newcomer)
    expect(inbox.filter((m) => m.to === first)).toHaveLength(2)
  })

  it('a closed missing-person warning: held mail cancelled, the notice names no one, nothing with the name leaves', async () => {
    const reached = await subscriber({ communes: [DONG_TIEN] })
    const later = await subscriber({ communes: [HAM_RONG] })
    freezeClock(local('2026-12-14T10:00:00'))
    const w = await makePublishedWarning(t.database, t.tenant.id, {
      kind: 'missing_person',
      level: 'advisory',
      titleVi: 'Tìm người mất tích: cháu Lê Văn Bình, 12 tuổi',
      descriptionVi: 'Cháu Lê Văn Bình rời nhà ở xã Đông Tiến chiều 3/12, mặc áo đồng phục trường.',
      communes: [DONG_TIEN],
    })
    await fanOut(w.id, 1)
    expect((await mailsTo(reached))[0]?.subject).toContain('Lê Văn Bình')
    await expect
      .poll(async () => (await deliveries(w.id, 'partner')).find((d) => d.channel === 'email')?.state, { timeout: 10_000 })
      .toBe('sent')

    // An update at 23:00 is held for both; the closing at 23:30 cancels it.
    freezeClock(local('2026-12-14T23:00:00'))
    await publishNext(w.id, 'active', { communes: [DONG_TIEN, HAM_RONG], descriptionVi: 'Cháu Lê Văn Bình có thể đã đi về phía Hàm Rồng.' })
    await fanOut(w.id, 2)
    const queued = (await deliveries(w.id, 'subscriber')).filter((d) => d.kind === 'correction' && d.state === 'queued')
    expect(queued.map((d) => d.address)).toEqual(expect.arrayContaining([reached, later]))
    // The partner's update (not held) has left before the closing.
    await expect
      .poll(async () => (await deliveries(w.id, 'partner')).find((d) => d.channel === 'email' && d.kind === 'correction')?.state, {
        timeout: 10_000,
      })
      .toBe('sent')
    freezeClock(local('2026-12-14T23:30:00'))
    const closedAt = Date.now()
    await publishNext(w.id, 'closed')
    await fanOut(w.id, 3)

    const rows = await deliveries(w.id, 'subscriber')
    expect(new Set(rows.filter((d) => d.kind === 'correction').map((d) => d.state))).toEqual(new Set(['cancelled']))
    const notices = rows.filter((d) => d.kind === 'kill')
    expect(notices.map((d) => d.address)).toContain(reached)
    expect(notices.map((d) => d.address)).not.toContain(later)
    expect(JSON.stringify(notices)).not.toContain('Bình')
    expect(notices[0]?.payload.title).toBe(`Cảnh báo ${w.code} đã kết thúc / Warning ${w.code} has ended`)

    // Partners: the kill notice on the portal and by e-mail, naming no one either.
    const kills = (await deliveries(w.id, 'partner')).filter((d) => d.kind === 'kill')
    expect(kills.map((d) => d.channel).sort()).toEqual(['email', 'portal'])
    expect(JSON.stringify(kills)).not.toContain('Bình')

    freezeClock(local('2026-12-15T06:00:00'))
    const [notice] = (await mailsTo(reached, 2)).filter((m) => m.subject.includes('đã kết thúc'))
    expect(notice?.subject).toContain(`Cảnh báo ${w.code} đã kết thúc`)
    expect(notice?.text).toContain('CẢNH BÁO ĐÃ KẾT THÚC')
    await sweep()
    const after = inbox.filter((m) => m.at >= closedAt)
    expect(after.length).toBeGreaterThanOrEqual(2) // the subscriber's and the partner's notices
    for (const m of after) expect(`${m.subject}\n${m.text}`).not.toContain('Bình')
    expect(inbox.filter((m) => m.to === later)).toHaveLength(0)

    // Fail closed: content of the closed warning queued by any path is stopped by the sender.
    const laterId = (await subscriberId(later)) as string
    await withTransaction(t.database.pool, (tx) =>
      insertSubscriberDeliveries(tx, {
        tenantId: t.tenant.id,
        eventId: null,
        itemType: 'warning',
        itemId: w.id,
        kind: 'publish',
        payload: { ...(notices[0]?.payload as DeliveryPayload), title: 'Tìm người mất tích: cháu Lê Văn Bình' },
        to: [{ id: laterId, email: later, linkVersion: 1 }],
        publicUrl: t.config.publicUrl,
      }),
    )
    await expect
      .poll(async () => (await deliveries(w.id, 'subscriber')).find((d) => d.kind === 'publish' && d.address === later)?.state, {
        timeout: 10_000,
      })
      .toBe('cancelled')
    expect(inbox.filter((m) => m.to === later)).toHaveLength(0)
  })
})

// --- partners and reach -------------------------------------------------------------------------

describe('partners and reach', () => {
  it('partners get portal and e-mail deliveries marked as official information with the source named', async () => {
    const hac = await subscriber({ communes: [HAC_THANH] })
    freezeClock(local('2026-12-16T23:10:00'))
    const w = await makePublishedWarning(t.database, t.tenant.id, {
      level: 'community',
      titleVi: 'Cảnh báo lừa đảo tuyển cộng tác viên bán hàng online',
    })
    await fanOut(w.id, 1)
    const rows = await deliveries(w.id, 'partner')
    expect(
      rows
        .filter((d) => d.partnerId === partner.partner.id)
        .map((d) => d.channel)
        .sort(),
    ).toEqual(['email', 'portal'])
    const portal = rows.find((d) => d.partnerId === partner.partner.id && d.channel === 'portal')
    expect(portal?.state).toBe('sent')
    expect(portal?.payload.label).toBe('Thông tin cộng đồng · Thủ đoạn lừa đảo / Community · Scam methods')
    expect(portal?.payload.area).toBe('Phường Hạc Thành, Xã Đồng Tiến')
    expect(portal?.payload.body).toContain('Đây là thủ đoạn lừa đảo')

    // Partners are not held by quiet hours: the mail arrives at 23:10 while the public's waits.
    await expect
      .poll(() => inbox.filter((m) => m.to === partner.partner.email && m.subject.includes('cộng tác viên')).length, { timeout: 10_000 })
      .toBe(1)
    const mail = inbox.find((m) => m.to === partner.partner.email && m.subject.includes('cộng tác viên'))
    expect(mail?.subject).toBe('Cảnh báo lừa đảo tuyển cộng tác viên bán hàng online')
    expect(mail?.text).toContain('Thông tin chính thức của Đồng Hành — khi đăng lại, ghi rõ nguồn.')
    expect(mail?.text).toContain('Official information from Đồng Hành — when republishing, name the source.')
    expect(mail?.text).toContain('Khu vực: Phường Hạc Thành, Xã Đồng Tiến')
    expect(mail?.text).toMatch(/Hiệu lực từ 23:10 16\/12\/2026/)
    expect(inbox.filter((m) => m.to === hac)).toHaveLength(0)

    // The sender records "sent" just after the SMTP server accepted the mail.
    await expect
      .poll(async () => (await warningReach(t.database.db, t.tenant.id, w.id))?.deliveries.partners.email?.sent, { timeout: 10_000 })
      .toBe(1)
    const reach = await warningReach(t.database.db, t.tenant.id, w.id)
    expect(reach?.deliveries.partners.portal?.sent).toBeGreaterThanOrEqual(1)
    expect(reach?.deliveries.subscribers.queued).toBeGreaterThanOrEqual(1)
    expect(reach?.heldUntil).toEqual(local('2026-12-17T06:00:00'))
    const hacRow = reach?.subscribersNow.byCommune.find((c) => c.code === HAC_THANH)
    expect(hacRow?.name).toBe('Phường Hạc Thành')
    expect(hacRow?.count).toBeGreaterThanOrEqual(1)
    const [counted] = (
      await t.database.db.execute<{ n: number }>(sql`
        SELECT count(*)::int AS n FROM public_subscriptions WHERE tenant_id = ${t.tenant.id} AND state = 'active'
          AND kinds @> ARRAY['warning'] AND (cardinality(warning_kinds) = 0 OR 'scam' = ANY(warning_kinds))
          AND (cardinality(communes) = 0 OR communes && ARRAY[${HAC_THANH}, ${DONG_TIEN}]::text[])`)
    ).rows
    expect(reach?.subscribersNow.total).toBe(counted?.n)
    expect(await warningReach(t.database.db, t.tenant.id, '00000000-0000-0000-0000-000000000000')).toBeNull()
  })
})

// --- the public form ----------------------------------------------------------------------------

describe('the subscription form', () => {
  const post = (fields: [string, string][]) => {
    const body = new URLSearchParams([['_csrf', CSRF], ...fields])
    return t.app.inject({
      method: 'POST',
      url: '/nhan-tin',
      payload: body.toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
      remoteAddress: `10.77.0.${++seq}`,
    })
  }

  it('offers the five warning kinds and keeps the ones chosen; an unknown kind is refused', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/nhan-tin' })
    expect(page.body).toContain('name="warningKinds" value="missing_person"')
    expect(page.body).toContain('Loại cảnh báo muốn nhận')
    const email = `chon-loai-${seq}@hopthu.example.vn`
    const ok = await post([
      ['email', email],
      ['kinds', 'warning'],
      ['warningKinds', 'traffic'],
      ['warningKinds', 'scam'],
    ])
    expect(ok.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.email, email))
    expect(row?.warningKinds).toEqual(['scam', 'traffic'])

    const bad = `sai-loai-${seq}@hopthu.example.vn`
    const res = await post([
      ['email', bad],
      ['kinds', 'warning'],
      ['warningKinds', 'weather'],
    ])
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('loại cảnh báo / warning kinds')
    expect(await t.database.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.email, bad))).toHaveLength(0)
  })

  it('stops a flood of subscriptions from one address: the sixth in a row is refused in both languages, nothing written', async () => {
    const ip = '10.78.0.1'
    const flood = (n: number) =>
      t.app.inject({
        method: 'POST',
        url: '/nhan-tin',
        payload: new URLSearchParams([
          ['_csrf', CSRF],
          ['email', `lu-${n}@hopthu.example.vn`],
          ['kinds', 'warning'],
        ]).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
        remoteAddress: ip,
      })
    const codes: number[] = []
    for (let n = 1; n <= 6; n++) codes.push((await flood(n)).statusCode)
    expect(codes.slice(0, 5)).toEqual([303, 303, 303, 303, 303])
    const refused = await flood(7)
    expect(refused.statusCode).toBe(429)
    expect(refused.body).toMatch(/Too many|quá nhiều/i)
    const rows = await t.database.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM public_subscriptions WHERE email LIKE 'lu-%@hopthu.example.vn'",
    )
    expect(rows.rows[0]?.n).toBe(5)
  })
})
