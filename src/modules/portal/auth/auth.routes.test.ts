/**
 * Partner sign-in through the routes, with a real SMTP server: the link request answers the
 * same for known and unknown addresses, the mailed link works once, expires, refuses another
 * browser without being used up, finds Unicode addresses, is rate-limited, refuses revoked
 * partners and staff accounts; the first sign-in makes and links the account; the sessions
 * page lists and ends sessions. Passkeys are exercised end to end in test/e2e/partner-signin.
 */
import type { AddressInfo } from 'node:net'
import { and, eq, sql } from 'drizzle-orm'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, loginAs, makeUser, mergeCookies, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { randomToken, tokenHash } from '../../../platform/auth/secrets.ts'
import { sessionToken } from '../../../platform/http/csrf.ts'
import { advanceClock, resetClock } from '../../../platform/clock.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { sessions, users } from '../../accounts/accounts.tables.ts'
import { normalizePartnerEmail } from '../../partners/partners.normalize.ts'
import { partnerKeysOf } from '../../partners/partners.repository.ts'
import { type PartnerStatus, partnerKeys, partners } from '../../partners/partners.tables.ts'
import { signInLinks } from './auth.tables.ts'

let t: TestApp
let smtp: SMTPServer
const inbox: { to: string; subject: string; text: string }[] = []

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then(
        (m) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '' })
          done()
        },
        (e: Error) => done(e),
      )
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  const port = (smtp.server.address() as AddressInfo).port
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` })
})
afterAll(async () => {
  await t.close()
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})
afterEach(() => resetClock())

/** A browser: its own cookies and address. */
interface Browser {
  cookie: string
  ip: string
}
let nextIp = 1
const browser = (): Browser => ({ cookie: '', ip: `10.20.${Math.floor(nextIp / 250)}.${(nextIp++ % 250) + 1}` })

async function get(b: Browser, url: string) {
  const res = await t.app.inject({ method: 'GET', url, headers: b.cookie ? { cookie: b.cookie } : {}, remoteAddress: b.ip })
  b.cookie = mergeCookies(b.cookie, res)
  return res
}
/** The CSRF token this browser's forms carry: its session's, or the anonymous cookie's. */
async function csrfOf(b: Browser, page: string): Promise<string> {
  const sid = b.cookie.match(/dh_sid=([^;]+)/)?.[1]
  if (sid) {
    const [s] = await t.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.id, tokenHash(sid)))
    if (s) return sessionToken(s.csrfSecret)
  }
  const res = await get(b, page)
  return csrfFrom(res.body)
}
async function post(b: Browser, url: string, fields: Record<string, string>, csrfPage = '/doi-tac/dang-nhap') {
  const f = form({ ...fields, _csrf: await csrfOf(b, csrfPage) })
  const res = await t.app.inject({
    method: 'POST',
    url,
    payload: f.payload,
    headers: { ...f.headers, cookie: b.cookie },
    remoteAddress: b.ip,
  })
  b.cookie = mergeCookies(b.cookie, res)
  return res
}
const ask = (b: Browser, email: string) => post(b, '/doi-tac/dang-nhap', { email }, '/doi-tac/dang-nhap')

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}
/** The token of the newest sign-in mail to `to` (after `seen` earlier ones). */
async function mailedToken(to: string, seen = 0): Promise<string> {
  const mail = await waitFor(`a sign-in mail to ${to}`, () => inbox.filter((m) => m.to === to)[seen])
  const m = mail.text.match(/\/doi-tac\/dang-nhap\/lien-ket\?token=([A-Za-z0-9_-]+)/)
  if (!m?.[1]) throw new Error(`no link in mail: ${mail.text}`)
  return m[1]
}
/** Requests a link in `b` and returns its token (waits for the mail). */
async function linkFor(b: Browser, email: string, mailTo = email): Promise<string> {
  const seen = inbox.filter((m) => m.to === mailTo).length
  const res = await ask(b, email)
  expect(res.statusCode).toBe(200)
  return mailedToken(mailTo, seen)
}
const confirm = (b: Browser, token: string) => post(b, '/doi-tac/dang-nhap/lien-ket', { token })

/** A partner record without an account (as the registry or an application leaves it). */
async function recordOnly(o: { email: string; status?: PartnerStatus; name?: string }) {
  const [p] = await t.database.db
    .insert(partners)
    .values({ tenantId: t.tenant.id, kind: 'journalist', name: o.name ?? 'Lê Thị Thu', email: o.email, status: o.status ?? 'applied' })
    .returning()
  if (!p) throw new Error('no partner')
  const keys = partnerKeysOf({ email: o.email })
  await t.database.db
    .insert(partnerKeys)
    .values(keys.map((k) => ({ tenantId: t.tenant.id, kind: k.kind, value: k.value, partnerId: p.id })))
  return p
}
const uniq = (prefix: string) =>
  `${prefix}-${randomToken(5)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')}@bao.example.vn`
const audits = (action: string, subjectId?: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(subjectId ? and(eq(auditEvents.action, action), eq(auditEvents.subjectId, subjectId)) : eq(auditEvents.action, action))

describe('asking for a sign-in link', () => {
  it('answers a known and an unknown address with the same status and body; mails only the partner', async () => {
    const { partner } = await makePartner(t, { email: uniq('known') })
    const unknown = uniq('nobody')
    const b = browser()
    const first = await ask(b, unknown)
    const second = await ask(b, partner.email as string)
    expect(first.statusCode).toBe(200)
    expect(second.statusCode).toBe(first.statusCode)
    expect(second.body).toBe(first.body)
    expect(first.body).toContain('Nếu địa chỉ này thuộc một đối tác, liên kết đăng nhập đã được gửi')
    // The address typed is not echoed back (nothing in the page depends on it).
    expect(first.body).not.toContain(unknown)
    const token = await mailedToken(partner.email as string)
    expect(token.length).toBeGreaterThan(30)
    // Jobs run in order: the known address's mail came after the unknown one's job finished.
    expect(inbox.some((m) => m.to === unknown)).toBe(false)
    expect(await audits('portal.sign_in_link_sent', partner.id)).toHaveLength(1)
    // The nonce cookie was set for this browser and is kept across requests.
    expect(b.cookie).toMatch(/dh_link_nonce=/)
    // Only hashes are stored.
    const rows = await t.database.db.select().from(signInLinks).where(eq(signInLinks.partnerId, partner.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]?.tokenHash).not.toContain(token)
  })

  it('refuses a malformed address with a bilingual 400 and queues nothing', async () => {
    const res = await ask(browser(), 'không phải thư')
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('class="alert error"')
  })

  it('finds a partner by a Unicode (IDN) address typed in another form (NFD, capitals)', async () => {
    const typedAtRegistry = 'Hoa.Nguyen@Báo-Thanhhoá.vn'
    // The registry stores the normalised form (lower case, punycode domain).
    const p = await recordOnly({ email: normalizePartnerEmail(typedAtRegistry), status: 'accredited' })
    expect(p.email).toMatch(/^hoa\.nguyen@xn--/)
    const b = browser()
    // The mail goes to the stored address; the test's SMTP server reports the domain decoded.
    const token = await linkFor(b, typedAtRegistry.toUpperCase().normalize('NFD'), 'hoa.nguyen@báo-thanhhoá.vn')
    const res = await confirm(b, token)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/doi-tac')
  })

  it('rate-limits per address (known or not alike) and per IP', async () => {
    const { partner } = await makePartner(t, { email: uniq('busy') })
    for (const email of [partner.email as string, uniq('ghost')]) {
      const codes: number[] = []
      for (let i = 0; i < 4; i++) codes.push((await ask(browser(), email)).statusCode)
      expect(codes).toEqual([200, 200, 200, 429])
    }
    const b = browser()
    const codes: number[] = []
    for (let i = 0; i < 11; i++) codes.push((await ask(b, uniq('many'))).statusCode)
    expect(codes.slice(0, 10).every((c) => c === 200)).toBe(true)
    const last = await ask(b, uniq('many'))
    expect(last.statusCode).toBe(429)
    expect(last.headers['retry-after']).toBeTruthy()
  })
})

describe('the mailed link', () => {
  it('shows a button on GET (not used up), signs in once on POST, and says "đã dùng" on replay', async () => {
    const { partner, user } = await makePartner(t, { email: uniq('once') })
    const b = browser()
    const token = await linkFor(b, partner.email as string)
    const page = await get(b, `/doi-tac/dang-nhap/lien-ket?token=${token}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('action="/doi-tac/dang-nhap/lien-ket"')
    // A second GET (a mail scanner's prefetch) changes nothing either.
    expect((await get(b, `/doi-tac/dang-nhap/lien-ket?token=${token}`)).statusCode).toBe(200)
    const [row] = await t.database.db.select().from(signInLinks).where(eq(signInLinks.partnerId, partner.id))
    expect(row?.usedAt).toBeNull()

    const res = await confirm(b, token)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/doi-tac')
    expect(b.cookie).toMatch(/dh_sid=/)
    expect((await get(b, '/doi-tac/bao-mat')).statusCode).toBe(200)
    const signedIn = await audits('portal.signed_in', partner.id)
    expect(signedIn.map((a) => a.summary.method)).toEqual(['link'])
    expect(signedIn[0]?.actorId).toBe(user.id)

    const replay = await confirm(b, token)
    expect(replay.statusCode).toBe(410)
    expect(replay.body).toContain('đã dùng')
    expect(replay.body).toContain('has already been used')
    const again = await get(browser(), `/doi-tac/dang-nhap/lien-ket?token=${token}`)
    expect(again.statusCode).toBe(410)
  })

  it('expires after 15 minutes, with a way to ask for a new link', async () => {
    const { partner } = await makePartner(t, { email: uniq('late') })
    const b = browser()
    const token = await linkFor(b, partner.email as string)
    advanceClock(14 * 60_000)
    expect((await get(b, `/doi-tac/dang-nhap/lien-ket?token=${token}`)).statusCode).toBe(200)
    advanceClock(61_000)
    const page = await get(b, `/doi-tac/dang-nhap/lien-ket?token=${token}`)
    expect(page.statusCode).toBe(410)
    expect(page.body).toContain('hết hạn')
    expect(page.body).toContain('href="/doi-tac/dang-nhap"')
    const res = await confirm(b, token)
    expect(res.statusCode).toBe(410)
    expect(res.body).not.toMatch(/dh_sid=/)
    expect(b.cookie).not.toMatch(/dh_sid=/)
  })

  it('refuses a forwarded link (another browser) without using it up; the asking browser still can', async () => {
    const { partner } = await makePartner(t, { email: uniq('fwd') })
    const asker = browser()
    const token = await linkFor(asker, partner.email as string)
    const other = browser()
    const page = await get(other, `/doi-tac/dang-nhap/lien-ket?token=${token}`)
    expect(page.statusCode).toBe(403)
    expect(page.body).toContain('liên kết được yêu cầu từ trình duyệt khác'.replace(/^l/, 'L'))
    expect(page.body).not.toContain('action="/doi-tac/dang-nhap/lien-ket"')
    const forwarded = await confirm(other, token)
    expect(forwarded.statusCode).toBe(403)
    expect(other.cookie).not.toMatch(/dh_sid=/)
    const [row] = await t.database.db.select().from(signInLinks).where(eq(signInLinks.partnerId, partner.id))
    expect(row?.usedAt).toBeNull()
    expect((await audits('portal.sign_in_refused', partner.id)).map((a) => a.summary.reason)).toContain('PORTAL_LINK_OTHER_BROWSER')

    const res = await confirm(asker, token)
    expect(res.statusCode).toBe(303)
  })

  it('keeps one nonce per browser, so two links asked from it both work there', async () => {
    const { partner } = await makePartner(t, { email: uniq('two') })
    const b = browser()
    const first = await linkFor(b, partner.email as string)
    const second = await linkFor(b, partner.email as string)
    expect((await confirm(b, first)).statusCode).toBe(303)
    expect((await confirm(b, second)).statusCode).toBe(303)
  })

  it('is not sent to a revoked partner, and one sent before the revocation is refused', async () => {
    const revoked = await makePartner(t, { email: uniq('revoked'), status: 'revoked' })
    const b = browser()
    expect((await ask(b, revoked.partner.email as string)).statusCode).toBe(200)
    // A later mail to someone else marks the revoked address's job as done.
    const barrier = await makePartner(t, { email: uniq('barrier') })
    await linkFor(browser(), barrier.partner.email as string)
    expect(inbox.some((m) => m.to === revoked.partner.email)).toBe(false)
    expect((await audits('portal.sign_in_refused', revoked.partner.id)).map((a) => a.summary.reason)).toEqual(['revoked'])

    const later = await makePartner(t, { email: uniq('later') })
    const token = await linkFor(b, later.partner.email as string)
    await t.database.db.update(partners).set({ status: 'revoked' }).where(eq(partners.id, later.partner.id))
    const res = await confirm(b, token)
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('thu hồi')
    expect(res.body).toContain('revoked')
    expect(b.cookie).not.toMatch(/dh_sid=/)
  })

  it('lets a suspended or applied partner sign in (they see their status)', async () => {
    for (const status of ['suspended', 'applied', 'expired'] as const) {
      const { partner } = await makePartner(t, { email: uniq(status), status })
      const b = browser()
      expect((await confirm(b, await linkFor(b, partner.email as string))).statusCode).toBe(303)
      const page = await get(b, '/doi-tac/bao-mat')
      expect(page.statusCode).toBe(200)
    }
  })

  it('creates and links the account at the first sign-in and reuses it at the second', async () => {
    const email = uniq('new')
    const p = await recordOnly({ email, name: 'Phạm Văn Đức' })
    const b = browser()
    expect((await confirm(b, await linkFor(b, email))).statusCode).toBe(303)
    const made = await t.database.db.select().from(users).where(eq(users.email, email))
    expect(made).toHaveLength(1)
    const account = made[0]
    expect(account).toMatchObject({ role: 'journalist', name: 'Phạm Văn Đức', status: 'active', passwordHash: null, totpSecret: null })
    const [linked] = await t.database.db.select().from(partners).where(eq(partners.id, p.id))
    expect(linked?.userId).toBe(account?.id)
    expect(await audits('portal.account_created', p.id)).toHaveLength(1)

    const b2 = browser()
    expect((await confirm(b2, await linkFor(b2, email))).statusCode).toBe(303)
    expect(await t.database.db.select().from(users).where(eq(users.email, email))).toHaveLength(1)
    expect(await audits('portal.account_created', p.id)).toHaveLength(1)
    const signedIn = await audits('portal.signed_in', p.id)
    expect(signedIn.map((a) => [a.actorId, a.summary.accountCreated])).toEqual([
      [account?.id, true],
      [account?.id, false],
    ])
  })
})

describe('staff and partners stay apart', () => {
  it('sends no link to a staff address and refuses a link whose record points at a staff account', async () => {
    const staff = await makeUser(t, { role: 'editor', email: uniq('staff') })
    const b = browser()
    const res = await ask(b, staff.email)
    expect(res.statusCode).toBe(200)
    const barrier = await makePartner(t, { email: uniq('barrier2') })
    await linkFor(browser(), barrier.partner.email as string)
    expect(inbox.some((m) => m.to === staff.email)).toBe(false)

    // A record that carries a staff member's address (typed by mistake): no link either.
    const p = await recordOnly({ email: staff.email, status: 'accredited' })
    await ask(b, staff.email)
    const barrier3 = await makePartner(t, { email: uniq('barrier3') })
    await linkFor(browser(), barrier3.partner.email as string)
    expect(inbox.some((m) => m.to === staff.email)).toBe(false)
    expect((await audits('portal.sign_in_refused', p.id)).map((a) => a.summary.reason)).toEqual(['staff_account'])
  })

  it('keeps a partner account out of staff pages, and a staff account out of partner pages', async () => {
    const { login } = await makePartner(t, { email: uniq('nosy') })
    for (const url of ['/console/users', '/console/audit', '/console/doi-tac', '/console/outbox', '/console/releases']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })
      expect([403, 404], `${url} → ${res.statusCode}`).toContain(res.statusCode)
    }
    const home = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie: login.cookie } })
    expect(home.statusCode).toBe(303)
    const staff = await makeUser(t, { role: 'admin' })
    const staffLogin = await loginAs(t, staff)
    const page = await t.app.inject({ method: 'GET', url: '/doi-tac/bao-mat', headers: { cookie: staffLogin.cookie } })
    expect(page.statusCode).toBe(403)
    const options = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/bao-mat/passkey/tuy-chon',
      headers: staffLogin.headers,
      payload: {},
    })
    expect(options.statusCode).toBe(403)
  })

  it('sends an anonymous visitor of /doi-tac/bao-mat to the partner sign-in; JSON calls get 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/doi-tac/bao-mat' })
    expect(res.statusCode).toBe(302)
    expect(res.headers.location).toBe('/doi-tac/dang-nhap')
    const json = await t.app.inject({ method: 'POST', url: '/doi-tac/bao-mat/passkey/tuy-chon', payload: {} })
    expect(json.statusCode).toBe(401)
  })
})

describe('/doi-tac/bao-mat: sessions', () => {
  it('lists the sessions with this one marked, ends another one, and signs out everywhere else', async () => {
    const { partner } = await makePartner(t, { email: uniq('sess') })
    const phone = browser()
    const laptop = browser()
    const tablet = browser()
    for (const b of [phone, laptop, tablet]) {
      expect((await confirm(b, await linkFor(b, partner.email as string))).statusCode).toBe(303)
    }
    const page = await get(phone, '/doi-tac/bao-mat')
    expect(page.statusCode).toBe(200)
    // Four sessions: the factory's own login and the three browsers.
    expect(page.body.match(/<li class="card"( data-current="true")?>/g)?.length).toBe(4)
    expect(page.body.match(/data-current="true"/g)?.length).toBe(1)
    expect(page.body).toContain('Phiên này')
    expect(page.body).toContain(laptop.ip)

    // End the laptop's session from the phone.
    const laptopRef = await t.database.db.execute<{ ref: string }>(
      sql`select left(id, 16) as ref from sessions where user_id = ${partner.userId} and ip = ${laptop.ip}`,
    )
    const ref = laptopRef.rows[0]?.ref as string
    const ended = await post(phone, `/doi-tac/bao-mat/phien/${ref}/xoa`, {}, '/doi-tac/bao-mat')
    expect(ended.statusCode).toBe(303)
    const bounced = await get(laptop, '/doi-tac/bao-mat')
    expect(bounced.statusCode).toBe(302)
    expect(bounced.headers.location).toBe('/doi-tac/dang-nhap')
    expect(await audits('portal.session_revoked', ref)).toHaveLength(1)

    // Another account's session cannot be ended from here.
    const stranger = await makePartner(t, { email: uniq('stranger') })
    const strangerRef = await t.database.db.execute<{ ref: string }>(
      sql`select left(id, 16) as ref from sessions where user_id = ${stranger.user.id}`,
    )
    const refused = await post(phone, `/doi-tac/bao-mat/phien/${strangerRef.rows[0]?.ref}/xoa`, {}, '/doi-tac/bao-mat')
    expect(refused.statusCode).toBe(404)
    expect((await t.app.inject({ method: 'GET', url: '/doi-tac/bao-mat', headers: { cookie: stranger.login.cookie } })).statusCode).toBe(
      200,
    )

    // Sign out everywhere else: the tablet and the factory's session end, the phone stays.
    const everywhere = await post(phone, '/doi-tac/bao-mat/dang-xuat-noi-khac', {}, '/doi-tac/bao-mat')
    expect(everywhere.statusCode).toBe(303)
    expect(everywhere.headers.location).toBe('/doi-tac/bao-mat?ok=elsewhere&n=2')
    expect((await get(tablet, '/doi-tac/bao-mat')).statusCode).toBe(302)
    const after = await get(phone, '/doi-tac/bao-mat?ok=elsewhere&n=2')
    expect(after.statusCode).toBe(200)
    expect(after.body).toContain('Đã đăng xuất 2 phiên khác.')
    expect(after.body.match(/<li class="card"/g)?.length).toBe(1)
    const [audit] = await audits('portal.signed_out_elsewhere')
    expect(audit?.summary.sessionsEnded).toBe(2)

    // Signing out here ends the phone's session too.
    const out = await post(phone, '/doi-tac/bao-mat/dang-xuat', {}, '/doi-tac/bao-mat')
    expect(out.statusCode).toBe(303)
    expect(out.headers.location).toBe('/doi-tac/dang-nhap?ok=signed-out')
    expect((await get(phone, '/doi-tac/bao-mat')).statusCode).toBe(302)
  })
})

describe('passkey endpoints refuse bad input clearly', () => {
  it('answers a made-up or replayed challenge with a bilingual 400, and an unknown passkey with 401', async () => {
    const b = browser()
    await get(b, '/doi-tac/dang-nhap')
    const csrf = b.cookie.match(/dh_csrf=([^;]+)/)?.[1] as string
    const headers = { cookie: b.cookie, 'x-csrf-token': csrf, accept: 'application/json' }
    const clientData = (challenge: string) =>
      Buffer.from(JSON.stringify({ type: 'webauthn.get', challenge, origin: 'http://donghanh.test' })).toString('base64url')
    const bogus = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/dang-nhap/passkey',
      headers,
      payload: { response: { id: 'abc', response: { clientDataJSON: clientData('x'.repeat(43)) } } },
    })
    expect(bogus.statusCode).toBe(400)
    expect(bogus.json().error.code).toBe('PORTAL_PASSKEY_CHALLENGE')
    expect(bogus.json().error.message.vi).toContain('passkey')
    expect(bogus.json().error.message.en).toContain('passkey')

    const options = await t.app.inject({ method: 'POST', url: '/doi-tac/dang-nhap/passkey/tuy-chon', headers, payload: {} })
    expect(options.statusCode).toBe(200)
    const { challenge, rpId } = options.json() as { challenge: string; rpId: string }
    expect(rpId).toBe('donghanh.test')
    const unknown = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/dang-nhap/passkey',
      headers,
      payload: { response: { id: 'no-such-credential', response: { clientDataJSON: clientData(challenge) } } },
    })
    expect(unknown.statusCode).toBe(401)
    expect(unknown.json().error.code).toBe('PORTAL_PASSKEY_UNKNOWN')
    // The challenge was used up by that attempt.
    const replay = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/dang-nhap/passkey',
      headers,
      payload: { response: { id: 'no-such-credential', response: { clientDataJSON: clientData(challenge) } } },
    })
    expect(replay.json().error.code).toBe('PORTAL_PASSKEY_CHALLENGE')
  })
})
