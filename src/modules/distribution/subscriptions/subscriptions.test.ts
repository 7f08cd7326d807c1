/**
 * Public e-mail subscriptions over HTTP with a real SMTP server started here: double opt-in
 * (nothing to a pending address), the same answer for any address and one row per address,
 * confirmation only by POST and only once, RFC 8058 one-click unsubscribe without cookies or
 * CSRF token, harmless replays, forged and stale links refused (404, both languages), the
 * preference page, and the subscribers' fan-out: commune filter, never on embargo (only after
 * the lift), kill notices to those the release reached with the queued rest cancelled.
 */
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, now, resetClock } from '../../../platform/clock.ts'
import { deliverEvent, eventsOf } from '../../../platform/domain-events/index.ts'
import { editRelease } from '../../releases/commands/edit-release.ts'
import { liftRelease } from '../../releases/commands/lift-release.ts'
import { withdrawRelease } from '../../releases/commands/withdraw-release.ts'
import { type SmtpReceiver, startSmtpReceiver } from '../delivery/testing.ts'
import { distributionDeliveries } from '../distribution.tables.ts'
import { purgeUnconfirmedSubscriptions } from './subscriptions.retention.ts'
import { publicSubscriptions } from './subscriptions.tables.ts'

let t: TestApp
let smtp: SmtpReceiver
const inbox: { to: string; subject: string; text: string; headerLines: readonly { key: string; line: string }[] }[] = []
let editor: MadeUser
let approver: MadeUser
let spokespersonId: string
let ip = 1

const SUBSCRIBER = 'distribution.public-subscribers'
const CSRF = 'c'.repeat(32)
const HAM_RONG = 'phuong-ham-rong'
const HAC_THANH = 'phuong-hac-thanh'
const PHU_LE = 'xa-phu-le'

beforeAll(async () => {
  smtp = await startSmtpReceiver({
    parse: true,
    onMail: (m) =>
      inbox.push({
        to: m.to.join(','),
        subject: m.parsed?.subject ?? '',
        text: m.parsed?.text ?? '',
        headerLines: m.parsed?.headerLines ?? [],
      }),
  })
  t = await createTestApp({ SMTP_URL: smtp.url })
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  spokespersonId = await makeSpokesperson(t)
})
afterAll(async () => {
  resetClock()
  await t?.close()
  await smtp?.close()
})

// --- helpers -----------------------------------------------------------------------------------

const nextIp = () => `10.9.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`
const unique = (name: string) => `${name}-${Math.random().toString(36).slice(2, 8)}@hopthu.example.vn`

/** Posts the public form (fields may repeat). */
async function subscribe(email: string, o: { kinds?: string[]; communes?: string[]; csrf?: boolean } = {}) {
  const body = new URLSearchParams()
  if (o.csrf !== false) body.append('_csrf', CSRF)
  body.append('email', email)
  for (const k of o.kinds ?? ['release']) body.append('kinds', k)
  for (const c of o.communes ?? []) body.append('communes', c)
  return t.app.inject({
    method: 'POST',
    url: '/nhan-tin',
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
    remoteAddress: nextIp(),
  })
}

/** The mails to `address` whose subject contains `part`, waiting for at least `n`. */
async function mailsTo(address: string, part: string, n = 1) {
  const until = Date.now() + 15_000
  for (;;) {
    const found = inbox.filter((m) => m.to === address && m.subject.includes(part))
    if (found.length >= n) return found
    if (Date.now() > until) throw new Error(`no mail "${part}" to ${address}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const confirmLinkIn = (text: string) => {
  const m = text.match(/\/nhan-tin\/xac-nhan\/[A-Za-z0-9_-]+/)
  if (!m) throw new Error('no confirmation link')
  return m[0]
}

async function row(email: string) {
  const [r] = await t.database.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.email, email.trim().toLowerCase()))
  return r
}

/** The row by id (a row whose subscriber left has no address to find it by). */
async function rowById(id: string) {
  const [r] = await t.database.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.id, id))
  return r
}

/** Subscribes and confirms through the mail and the button; returns the address. */
async function activeSubscriber(name: string, o: { kinds?: string[]; communes?: string[] } = {}): Promise<string> {
  const email = unique(name)
  expect((await subscribe(email, o)).statusCode).toBe(303)
  const [mail] = await mailsTo(email, 'Xác nhận')
  const res = await t.app.inject({
    method: 'POST',
    url: confirmLinkIn(mail?.text ?? ''),
    payload: `_csrf=${CSRF}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
    remoteAddress: nextIp(),
  })
  expect(res.statusCode).toBe(200)
  expect((await row(email))?.state).toBe('active')
  return email
}

/** Runs the subscribers' fan-out for the release's newest event of `type` (once, whoever runs it). */
async function fanOut(releaseId: string, type: string): Promise<number> {
  const events = await eventsOf(t.database, t.tenant.id, 'release', releaseId)
  const e = events.filter((x) => x.type === type).at(-1)
  if (!e) throw new Error(`no ${type} event`)
  await deliverEvent(t.database, e.id, SUBSCRIBER)
  return e.id
}

async function deliveriesOf(itemId: string, kind?: string) {
  const rows = await t.database.db
    .select()
    .from(distributionDeliveries)
    .where(and(eq(distributionDeliveries.itemId, itemId), eq(distributionDeliveries.recipientType, 'subscriber')))
  return rows.filter((r) => !kind || r.kind === kind)
}

/** Publishes a release now, naming `communes`; returns its id. */
async function publish(communes: string[] = [], title = 'Công an tỉnh cảnh báo thủ đoạn lừa đảo mới'): Promise<string> {
  const id = await draft(t, editor, { spokespersonId, content: { title, communes } })
  await submitAndApprove(t, id, editor, approver, 'now')
  await fanOut(id, 'release.published')
  return id
}

const who = (email: string) => async (releaseId: string) => (await deliveriesOf(releaseId)).filter((d) => d.address === email)

// --- subscribing -------------------------------------------------------------------------------

describe('subscribing (double opt-in)', () => {
  it('shows the form with the consent note and the communes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/nhan-tin' })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('91/2025/QH15')
    expect(res.body).toContain('name="communes"')
    expect(res.body).toContain('name="_csrf"')
    // Every public page links to it from the footer.
    const news = await t.app.inject({ method: 'GET', url: '/tin' })
    expect(news.body).toContain('<a href="/nhan-tin">Nhận tin qua thư</a>')
  })

  it('sends nothing but the confirmation to a pending address, even when a release goes out', async () => {
    const email = unique('cho')
    const res = await subscribe(`  ${email.toUpperCase()} `)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/nhan-tin/da-gui')
    const r = await row(email)
    expect(r?.state).toBe('pending')
    expect(r?.email).toBe(email)
    expect((await mailsTo(email, 'Xác nhận'))[0]?.text).toContain('http://donghanh.test/nhan-tin/xac-nhan/')
    const id = await publish()
    expect(await who(email)(id)).toHaveLength(0)
  })

  it('answers alike for a new, pending and active address, with one row each and no mail storm', async () => {
    const email = unique('trung')
    const first = await subscribe(email)
    const again = await subscribe(email, { kinds: ['release', 'verdict'] })
    expect([first.statusCode, again.statusCode]).toEqual([303, 303])
    expect(again.headers.location).toBe(first.headers.location)
    const rows = await t.database.db.select().from(publicSubscriptions).where(eq(publicSubscriptions.email, email))
    expect(rows).toHaveLength(1)
    // The second came within ten minutes: the first mail is on its way, no second one.
    await mailsTo(email, 'Xác nhận')
    expect(inbox.filter((m) => m.to === email)).toHaveLength(1)

    const active = await activeSubscriber('dadangky')
    const before = (await row(active))?.kinds
    const res = await subscribe(active, { kinds: ['verdict'] })
    expect(res.headers.location).toBe(first.headers.location)
    // A stranger cannot change an active subscription; its owner gets the preference link.
    expect((await row(active))?.kinds).toEqual(before)
    const [mail] = await mailsTo(active, 'Đăng ký nhận tin của bạn')
    expect(mail?.text).toMatch(/http:\/\/donghanh\.test\/nhan-tin\/tuy-chon\/[A-Za-z0-9_.-]+/)
    expect(mail?.text).toMatch(/http:\/\/donghanh\.test\/nhan-tin\/huy\/[A-Za-z0-9_.-]+/)
  })

  it('refuses bad input with both languages and writes nothing', async () => {
    const email = unique('sai')
    for (const [res, field] of [
      [await subscribe('khong-phai-email'), 'e-mail'],
      [await subscribe(email, { kinds: [] }), 'topics'],
      [await subscribe(email, { kinds: ['release', 'gossip'] }), 'topics'],
      [await subscribe(email, { communes: ['xa-khong-co'] }), 'communes'],
    ] as const) {
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Thông tin đăng ký không hợp lệ')
      expect(res.body).toContain('The subscription is not valid')
      expect(res.body).toContain(field)
    }
    expect(await row(email)).toBeUndefined()
    // The public form keeps its CSRF check (only the link routes are exempt).
    expect((await subscribe(email, { csrf: false })).statusCode).toBe(403)
    expect(await row(email)).toBeUndefined()
  })

  it('confirms on POST only, once, and not after 48 hours', async () => {
    const email = unique('xacnhan')
    await subscribe(email)
    const link = confirmLinkIn((await mailsTo(email, 'Xác nhận'))[0]?.text ?? '')
    const page = await t.app.inject({ method: 'GET', url: link })
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.body).toContain('Xác nhận đăng ký')
    // A mail scanner's GET confirms nothing.
    expect((await row(email))?.state).toBe('pending')
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: link,
        payload: `_csrf=${CSRF}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
        remoteAddress: nextIp(),
      })
    const ok = await post()
    expect(ok.statusCode).toBe(200)
    expect(ok.body).toContain('/nhan-tin/tuy-chon/')
    const r = await row(email)
    expect(r?.state).toBe('active')
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'subscription.confirmed'), eq(auditEvents.subjectId, r?.id as string)))
    expect(audit?.actorLabel).toBe('người đăng ký / subscriber')
    expect(JSON.stringify(audit?.summary)).not.toContain(email)
    const replay = await post()
    expect(replay.statusCode).toBe(404)
    expect(replay.body).toContain('This link is not valid')

    const late = unique('muon')
    await subscribe(late)
    const lateLink = confirmLinkIn((await mailsTo(late, 'Xác nhận'))[0]?.text ?? '')
    freezeClock(new Date(Date.now() + 49 * 3600_000))
    try {
      const res = await t.app.inject({
        method: 'POST',
        url: lateLink,
        payload: `_csrf=${CSRF}`,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
        remoteAddress: nextIp(),
      })
      expect(res.statusCode).toBe(404)
      expect((await row(late))?.state).toBe('pending')
    } finally {
      resetClock()
    }
  })
})

// --- links -------------------------------------------------------------------------------------

/** The signed links of an active subscriber, as a delivery carries them. */
async function linksOf(email: string, communes: string[] = []) {
  const id = await publish(communes, `Thông báo số ${Math.random().toString(36).slice(2, 6)}`)
  const [d] = await who(email)(id)
  if (!d?.payload.unsubscribeUrl || !d.payload.preferencesUrl) throw new Error('no links in the payload')
  return { unsubscribe: new URL(d.payload.unsubscribeUrl).pathname, preferences: new URL(d.payload.preferencesUrl).pathname, delivery: d }
}

/** What a mail client sends for RFC 8058: a form POST, no cookie, no CSRF token. */
const oneClick = (path: string) =>
  t.app.inject({
    method: 'POST',
    url: path,
    payload: 'List-Unsubscribe=One-Click',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    remoteAddress: nextIp(),
  })

describe('one-click unsubscribe and the preference page', () => {
  it('carries absolute unsubscribe and preference URLs in every subscriber delivery', async () => {
    const email = await activeSubscriber('lienket')
    const { delivery } = await linksOf(email)
    expect(delivery.channel).toBe('email')
    expect(delivery.state === 'queued' || delivery.state === 'sending' || delivery.state === 'sent' || delivery.state === 'failed').toBe(
      true,
    )
    expect(delivery.payload.unsubscribeUrl).toMatch(/^http:\/\/donghanh\.test\/nhan-tin\/huy\/[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/)
    expect(delivery.payload.preferencesUrl).toMatch(/^http:\/\/donghanh\.test\/nhan-tin\/tuy-chon\//)
    expect(delivery.payload.source.url).toBe('http://donghanh.test')
    expect(delivery.linkToken).toMatch(/^[A-Za-z0-9_-]{22}$/)
  })

  it('sends the mail with both RFC 8058 headers (the distribution sender, to the SMTP server here)', async () => {
    const email = await activeSubscriber('tieude')
    const { delivery } = await linksOf(email)
    const [mail] = await mailsTo(email, delivery.payload.title)
    // Long headers are folded on the wire; unfolded they must read exactly so.
    const header = (k: string) => (mail?.headerLines.find((h) => h.key === k)?.line ?? '').replace(/\r\n[ \t]+/g, ' ')
    expect(header('list-unsubscribe')).toBe(`List-Unsubscribe: <${delivery.payload.unsubscribeUrl}>`)
    expect(header('list-unsubscribe-post')).toBe('List-Unsubscribe-Post: List-Unsubscribe=One-Click')
  })

  it('unsubscribes on a POST without cookies or CSRF token, erasing the address; the replay changes nothing', async () => {
    const email = await activeSubscriber('huy')
    const { unsubscribe, preferences, delivery } = await linksOf(email)
    const id = (await row(email))?.id as string
    const page = await t.app.inject({ method: 'GET', url: unsubscribe })
    expect(page.statusCode).toBe(200)
    expect((await row(email))?.state).toBe('active')
    const res = await oneClick(unsubscribe)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('data-unsubscribed="done"')
    const r = await rowById(id)
    expect(r?.state).toBe('unsubscribed')
    // The consent keeps the address until the person leaves: gone from the row and its deliveries.
    expect(r?.email).toBeNull()
    expect(await row(email)).toBeUndefined()
    const theirs = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.subscriberId, id))
    expect(theirs.map((d) => d.id)).toContain(delivery.id)
    expect(theirs.every((d) => d.address === null)).toBe(true)
    const at = r?.unsubscribedAt
    const replay = await oneClick(unsubscribe)
    expect(replay.statusCode).toBe(200)
    expect(replay.body).toContain('data-unsubscribed="already"')
    expect((await rowById(id))?.unsubscribedAt).toEqual(at)
    const prefs = await t.app.inject({ method: 'GET', url: preferences })
    expect(prefs.statusCode).toBe(200)
    expect(prefs.body).not.toContain(email)
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'subscription.unsubscribed'), eq(auditEvents.subjectId, r?.id as string)))
    expect(audits).toHaveLength(1)
    expect(audits[0]?.summary).toMatchObject({ via: 'one-click' })
    // Nothing more to a subscriber who left.
    const next = await publish()
    expect(await who(email)(next)).toHaveLength(0)
  })

  it('accepts the multipart form some mail clients send', async () => {
    const email = await activeSubscriber('multipart')
    const { unsubscribe } = await linksOf(email)
    const id = (await row(email))?.id as string
    const boundary = '----dhx'
    const res = await t.app.inject({
      method: 'POST',
      url: unsubscribe,
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    })
    expect(res.statusCode).toBe(200)
    expect((await rowById(id))?.state).toBe('unsubscribed')
  })

  it('refuses forged, altered and wrong-purpose links with 404 in both languages', async () => {
    const email = await activeSubscriber('gia')
    const { unsubscribe, preferences } = await linksOf(email)
    const token = unsubscribe.split('/').pop() as string
    const [idPart, mac] = token.split('.') as [string, string]
    const flipped = `${idPart}.${mac.slice(0, -1)}${mac.endsWith('A') ? 'B' : 'A'}`
    const otherId = `${'A'.repeat(22)}.${mac}`
    for (const path of [
      `/nhan-tin/huy/${flipped}`,
      `/nhan-tin/huy/${otherId}`,
      `/nhan-tin/huy/not-a-token`,
      preferences.replace('tuy-chon', 'huy'),
    ]) {
      const res = await oneClick(path)
      expect(res.statusCode, path).toBe(404)
      expect(res.body).toContain('Liên kết không hợp lệ')
      expect(res.body).toContain('This link is not valid')
    }
    expect((await t.app.inject({ method: 'GET', url: `/nhan-tin/tuy-chon/${flipped}` })).statusCode).toBe(404)
    expect((await row(email))?.state).toBe('active')
  })

  it('makes a new row when the address subscribes again; the old links still say "already unsubscribed"', async () => {
    const email = await activeSubscriber('quaylai')
    const old = await linksOf(email)
    const oldId = (await row(email))?.id as string
    await oneClick(old.unsubscribe)
    expect(await rowById(oldId)).toMatchObject({ state: 'unsubscribed', email: null })
    // Back through the form and its confirmation.
    inbox.splice(0, inbox.length, ...inbox.filter((m) => m.to !== email))
    await subscribe(email)
    const [mail] = await mailsTo(email, 'Xác nhận')
    await t.app.inject({
      method: 'POST',
      url: confirmLinkIn(mail?.text ?? ''),
      payload: `_csrf=${CSRF}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
    })
    const renewed = await row(email)
    expect(renewed?.state).toBe('active')
    expect(renewed?.id).not.toBe(oldId)
    // Replays of the old links touch neither row: the old one answers "already", the new stays.
    const replay = await oneClick(old.unsubscribe)
    expect(replay.statusCode).toBe(200)
    expect(replay.body).toContain('data-unsubscribed="already"')
    const oldPrefs = await t.app.inject({ method: 'GET', url: old.preferences })
    expect(oldPrefs.statusCode).toBe(200)
    expect(oldPrefs.body).not.toContain(email)
    expect((await row(email))?.state).toBe('active')
    const fresh = await linksOf(email)
    expect(fresh.unsubscribe).not.toBe(old.unsubscribe)
    expect((await oneClick(fresh.unsubscribe)).statusCode).toBe(200)
    expect(await rowById(renewed?.id as string)).toMatchObject({ state: 'unsubscribed', email: null })
  })

  it('changes topics and communes from the preference link alone, and refuses bad input', async () => {
    const email = await activeSubscriber('tuychon')
    const { preferences } = await linksOf(email)
    const page = await t.app.inject({ method: 'GET', url: preferences })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(email)
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const post = (body: string) =>
      t.app.inject({ method: 'POST', url: preferences, payload: body, headers: { 'content-type': 'application/x-www-form-urlencoded' } })
    const ok = await post(`kinds=verdict&kinds=warning&communes=${HAC_THANH}`)
    expect(ok.statusCode).toBe(303)
    let r = await row(email)
    expect(r?.kinds).toEqual(['warning', 'verdict'])
    expect(r?.communes).toEqual([HAC_THANH])
    const bad = await post('communes=xa-khong-co')
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('The subscription is not valid')
    r = await row(email)
    expect(r?.kinds).toEqual(['warning', 'verdict'])
  })
})

// --- fan-out -----------------------------------------------------------------------------------

describe('the subscribers fan-out', () => {
  it('follows the communes: whole province, the named commune, not the others', async () => {
    const province = await activeSubscriber('tinh')
    const hamRong = await activeSubscriber('hamrong', { communes: [HAM_RONG] })
    const phuLe = await activeSubscriber('phule', { communes: [PHU_LE] })
    const verdictsOnly = await activeSubscriber('kiemchung', { kinds: ['verdict'] })
    const local = await publish([HAM_RONG, HAC_THANH])
    expect(await who(province)(local)).toHaveLength(1)
    expect(await who(hamRong)(local)).toHaveLength(1)
    expect(await who(phuLe)(local)).toHaveLength(0)
    expect(await who(verdictsOnly)(local)).toHaveLength(0)
    const everywhere = await publish([])
    for (const e of [province, hamRong, phuLe]) expect(await who(e)(everywhere), e).toHaveLength(1)
    expect(await who(verdictsOnly)(everywhere)).toHaveLength(0)
    // Delivering the same event again writes nothing more.
    const before = (await deliveriesOf(local)).length
    const events = await eventsOf(t.database, t.tenant.id, 'release', local)
    const published = events.find((e) => e.type === 'release.published')
    await t.database.db.execute(sql`DELETE FROM domain_event_deliveries WHERE event_id = ${published?.id} AND subscriber = ${SUBSCRIBER}`)
    await deliverEvent(t.database, Number(published?.id), SUBSCRIBER)
    expect((await deliveriesOf(local)).length).toBe(before)
  })

  it('never sends an embargoed release to subscribers; after the lift they get it', async () => {
    const email = await activeSubscriber('camdang')
    const id = await draft(t, editor, { spokespersonId, content: { title: 'Thông cáo cấm đăng trước giờ G' } })
    const liftAt = new Date(now().getTime() + 2 * 3600_000)
    await submitAndApprove(t, id, editor, approver, 'embargo', liftAt)
    const events = await eventsOf(t.database, t.tenant.id, 'release', id)
    const embargoed = events.find((e) => e.type === 'release.embargoed')
    expect(embargoed).toBeDefined()
    await deliverEvent(t.database, Number(embargoed?.id), SUBSCRIBER)
    expect(await deliveriesOf(id)).toHaveLength(0)
    expect(await who(email)(id)).toHaveLength(0)
    freezeClock(new Date(liftAt.getTime() + 60_000))
    try {
      await liftRelease({ database: t.database, tenantId: t.tenant.id, releaseId: id })
      await fanOut(id, 'release.published')
    } finally {
      resetClock()
    }
    const got = await who(email)(id)
    expect(got).toHaveLength(1)
    expect(got[0]?.kind).toBe('publish')
    expect(got[0]?.payload.liftAt).toBeUndefined()
  })

  it('sends the kill notice to those it reached, cancels the queued rest, repeats no removed text', async () => {
    const reached = await activeSubscriber('danhan')
    const waiting = await activeSubscriber('dangcho')
    const id = await publish([], 'Thông cáo có thông tin cá nhân cần thu hồi')
    // The sender's part, played here: one message went out, the other is still queued.
    await t.database.db.execute(
      sql`UPDATE distribution_deliveries SET state = 'sent', sent_at = now() WHERE item_id = ${id} AND address = ${reached}`,
    )
    await t.database.db.execute(
      sql`UPDATE distribution_deliveries SET state = 'queued', next_attempt_at = now() + interval '1 day' WHERE item_id = ${id} AND address = ${waiting}`,
    )
    await runAudited(t.database.pool, async (tx) =>
      withdrawRelease({
        tx,
        release: await load(t, id),
        actor: { id: approver.id, label: approver.email },
        category: 'privacy',
        reason: 'Lộ thông tin cá nhân của người bị hại',
        confirmed: true,
      }),
    )
    await fanOut(id, 'release.withdrawn')
    // Everyone the release may have reached (the sender ran for the other subscribers), never
    // the one whose message was still queued.
    const kills = await deliveriesOf(id, 'kill')
    const addresses = kills.map((k) => k.address)
    expect(addresses).toContain(reached)
    expect(addresses).not.toContain(waiting)
    const publishes = await deliveriesOf(id, 'publish')
    for (const k of kills) {
      const p = publishes.find((d) => d.subscriberId === k.subscriberId)
      expect(['sending', 'sent', 'opened', 'downloaded']).toContain(p?.state)
    }
    expect(new Set(addresses).size).toBe(addresses.length)
    const kill = kills.find((k) => k.address === reached)
    expect(kill?.payload.reason).toBe('Lộ thông tin cá nhân của người bị hại')
    expect(kill?.payload.title).not.toContain('thông tin cá nhân cần thu hồi')
    expect(kill?.payload.summary).toBe('')
    expect(kill?.payload.unsubscribeUrl).toMatch(/\/nhan-tin\/huy\//)
    const [queued] = await who(waiting)(id)
    expect(queued?.state).toBe('cancelled')
  })

  it('sends the change note of a correction to those who had the release, not to the others', async () => {
    const had = await activeSubscriber('dadoc')
    const id = await publish([HAM_RONG], 'Thông cáo về vụ tai nạn giao thông')
    const later = await activeSubscriber('dangkysau')
    const correct = async (minor: boolean, note: string) => {
      await runAudited(t.database.pool, async (tx) =>
        editRelease({
          tx,
          release: await load(t, id),
          actor: { id: editor.id, label: editor.email },
          content: { title: 'Thông cáo về vụ tai nạn giao thông', summary: `Sửa số liệu: 3 người bị thương (${note}).` },
          changeNote: note,
          minor,
        }),
      )
      await submitAndApprove(t, id, editor, approver, 'now')
      await fanOut(id, 'release.corrected')
    }
    await correct(false, 'Sửa số người bị thương từ 5 thành 3')
    const notes = await deliveriesOf(id, 'correction')
    const publishes = await deliveriesOf(id, 'publish')
    expect(notes.map((d) => d.address)).toContain(had)
    // Exactly those who had the release (whole-province subscribers of earlier tests among them).
    expect(notes.map((d) => d.subscriberId).sort()).toEqual(publishes.map((d) => d.subscriberId).sort())
    expect(notes.find((d) => d.address === had)?.payload.changeNote).toBe('Sửa số người bị thương từ 5 thành 3')
    expect(await who(later)(id)).toHaveLength(0)
    // A minor correction (a typo) is not mailed to the public.
    await correct(true, 'chính tả')
    expect(await deliveriesOf(id, 'correction')).toHaveLength(notes.length)
  })
})

describe('retention', () => {
  it('deletes an unconfirmed request a week after it was made, not before, and never an active one', async () => {
    const stamp = (days: number) => new Date(now().getTime() - days * 86_400_000)
    const rows = await t.database.db
      .insert(publicSubscriptions)
      .values([
        { tenantId: t.tenant.id, email: 'cu-qua@example.vn', kinds: ['release'], updatedAt: stamp(8), createdAt: stamp(8) },
        { tenantId: t.tenant.id, email: 'con-moi@example.vn', kinds: ['release'], updatedAt: stamp(6), createdAt: stamp(6) },
        {
          tenantId: t.tenant.id,
          email: 'da-xac-nhan@example.vn',
          kinds: ['release'],
          state: 'active',
          confirmedAt: stamp(30),
          updatedAt: stamp(30),
          createdAt: stamp(30),
        },
      ])
      .returning({ id: publicSubscriptions.id, email: publicSubscriptions.email })
    expect(await purgeUnconfirmedSubscriptions(t.database)).toBeGreaterThanOrEqual(1)
    const left = await t.database.db
      .select({ email: publicSubscriptions.email })
      .from(publicSubscriptions)
      .where(
        sql`${publicSubscriptions.id} IN (${sql.join(
          rows.map((r) => sql`${r.id}`),
          sql`, `,
        )})`,
      )
    expect(left.map((r) => r.email).sort()).toEqual(['con-moi@example.vn', 'da-xac-nhan@example.vn'])
  })
})
