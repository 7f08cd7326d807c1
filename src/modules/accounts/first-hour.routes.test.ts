/**
 * Two minutes of a new account's first hour (issue 13): the recovery codes can be downloaded
 * (a plain form POST, no JavaScript needed: only by the session that just enrolled, only for a
 * while), printed and copied; the invitation page pre-fills the name the admin typed, and an
 * empty name gets a visible bilingual message from the server.
 */
import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, linkIn, loginAs, makeUser, mergeCookies, type TestApp } from '../../../test/support/app.ts'
import { totpNow } from '../../platform/auth/secrets.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { users } from './accounts.tables.ts'

let t: TestApp
const PW = 'Cau-mat-khau-rat-dai-2026'

beforeAll(async () => {
  t = await createTestApp()
  // An installed system (with no active admin, sign-in leads to the setup wizard).
  await makeUser(t, { role: 'admin' })
})
afterAll(async () => {
  await t.close()
})
afterEach(() => resetClock())

async function open(url: string, cookie = '') {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } })
  return { res, cookie: mergeCookies(cookie, res), csrf: res.body.includes('name="_csrf"') ? csrfFrom(res.body) : '' }
}
async function post(url: string, cookie: string, fields: Record<string, string>) {
  const f = form(fields)
  const res = await t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie } })
  return { res, cookie: mergeCookies(cookie, res) }
}
const hidden = (html: string, name: string) => new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ?? ''

/** Signs a new staff account in and enrols TOTP; returns the recovery-codes page and its cookie. */
async function enrol() {
  const u = await makeUser(t, { role: 'editor', totp: false })
  let page = await open('/console/sign-in')
  let r = await post('/console/sign-in', page.cookie, { _csrf: page.csrf, email: u.email, password: u.password })
  expect(r.res.headers.location, `${r.res.statusCode} ${r.res.body.slice(0, 3000)}`).toBe('/console/totp/enrol')
  page = await open('/console/totp/enrol', r.cookie)
  const secret = (page.res.body.match(/id="totp-secret">([A-Z2-7 ]+)</)?.[1] ?? '').replace(/ /g, '')
  r = await post('/console/totp/enrol', page.cookie, { _csrf: page.csrf, code: totpNow(secret) })
  expect(r.res.statusCode).toBe(200)
  const codes = r.res.body.match(/[0-9a-f]{5}-[0-9a-f]{5}/g) ?? []
  return { user: u, html: r.res.body, cookie: r.cookie, codes: [...new Set(codes)] }
}

describe('recovery codes: download, print, copy', () => {
  it('downloads the ten codes as a .txt file (no-store) from the page shown after enrolment', async () => {
    const e = await enrol()
    expect(e.codes).toHaveLength(10)
    expect(e.html).toContain('action="/console/totp/recovery-codes.txt"')
    expect(e.html).toContain('Tải về (.txt)')
    expect(e.html).toContain('id="recovery-print"')
    expect(e.html).toContain('id="recovery-copy"')
    expect(e.html).toContain('<script src="/assets/recovery-codes.js" defer></script>')
    // The page's forms carry the new session's CSRF token, so the download (and sign-out) work.
    const fields = { codes: hidden(e.html, 'codes'), expires: hidden(e.html, 'expires'), mac: hidden(e.html, 'mac') }
    const res = await post('/console/totp/recovery-codes.txt', e.cookie, { _csrf: csrfFrom(e.html), ...fields })
    expect(res.res.statusCode).toBe(200)
    expect(res.res.headers['content-type']).toBe('text/plain; charset=utf-8')
    expect(res.res.headers['content-disposition']).toBe('attachment; filename="dong-hanh-ma-khoi-phuc.txt"')
    expect(res.res.headers['cache-control']).toBe('no-store')
    for (const c of e.codes) expect(res.res.body).toContain(`\r\n${c}\r\n`)
    expect(res.res.body).toContain(`Mã khôi phục Đồng Hành của ${e.user.email}`)
    expect(res.res.body).toContain('Đồng Hành recovery codes of')
    // The script is served from 'self' (CSP allows no inline script).
    const js = await t.app.inject({ url: '/assets/recovery-codes.js' })
    expect(js.statusCode).toBe(200)
    expect(js.body).toContain('navigator.clipboard')
  })

  it('refuses altered codes, another session and a late click, in Vietnamese and English', async () => {
    const e = await enrol()
    const csrf = csrfFrom(e.html)
    const fields = { codes: hidden(e.html, 'codes'), expires: hidden(e.html, 'expires'), mac: hidden(e.html, 'mac') }
    const altered = await post('/console/totp/recovery-codes.txt', e.cookie, { _csrf: csrf, ...fields, codes: 'aaaaa-bbbbb' })
    expect(altered.res.statusCode).toBe(403)
    expect(altered.res.body).toContain('Chỉ tải được mã khôi phục ngay sau khi đăng ký')
    expect(altered.res.body).toContain('The recovery codes can be downloaded only right after')
    expect(altered.res.body).not.toContain('aaaaa-bbbbb')
    const extended = await post('/console/totp/recovery-codes.txt', e.cookie, { _csrf: csrf, ...fields, expires: '99999999999999' })
    expect(extended.res.statusCode).toBe(403)
    // The same person in another session cannot turn the form into a file.
    const other = await loginAs(t, e.user)
    const elsewhere = await post('/console/totp/recovery-codes.txt', other.cookie, { _csrf: other.csrf, ...fields })
    expect(elsewhere.res.statusCode).toBe(403)
    // Without a session: sign in first.
    const anonymous = await post('/console/totp/recovery-codes.txt', '', fields)
    expect(anonymous.res.statusCode).toBe(401)
    advanceClock(16 * 60_000)
    const late = await post('/console/totp/recovery-codes.txt', e.cookie, { _csrf: csrf, ...fields })
    expect(late.res.statusCode).toBe(403)
  })
})

describe('accepting an invitation', () => {
  it('pre-fills the name the admin typed; an empty name is a visible bilingual error, nothing changes', async () => {
    const admin = await loginAs(t, await makeUser(t, { role: 'admin' }))
    const users_ = await open('/console/users', admin.cookie)
    const invited = await post('/console/users/invite', admin.cookie, {
      _csrf: users_.csrf,
      email: 'pv.lan@baothanhhoa.vn',
      role: 'journalist',
      name: 'Nguyễn Thị Lan',
    })
    expect(invited.res.statusCode).toBe(200)
    const [mail] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'pv.lan@baothanhhoa.vn'))
    const link = new URL(linkIn(mail?.textBody, /http:\/\/donghanh\.test\S+/))
    const page = await open(`${link.pathname}${link.search}`)
    expect(page.res.statusCode).toBe(200)
    const input = /<input name="name"[^>]*>/.exec(page.res.body)?.[0] ?? ''
    expect(input).toContain('value="Nguyễn Thị Lan"')
    // No `required`: the browser's silent refusal is replaced by the server's message.
    expect(input).not.toMatch(/\srequired/)
    expect(input).toContain('aria-required="true"')
    const token = link.searchParams.get('token') as string
    const empty = await post('/console/invite/accept', page.cookie, {
      _csrf: page.csrf,
      token,
      name: '   ',
      password: PW,
      passwordConfirm: PW,
    })
    expect(empty.res.statusCode).toBe(400)
    expect(empty.res.body).toContain('Vui lòng nhập họ và tên.')
    expect(empty.res.body).toContain('Please enter your full name.')
    expect(empty.res.body).toContain('aria-invalid="true"')
    const [still] = await t.database.db.select().from(users).where(eq(users.email, 'pv.lan@baothanhhoa.vn'))
    expect(still?.status).toBe('invited')
    // The link still works: the person corrects the name and is in.
    const ok = await post('/console/invite/accept', empty.cookie, {
      _csrf: page.csrf,
      token,
      name: 'Nguyễn Thị Lan',
      password: PW,
      passwordConfirm: PW,
    })
    expect(ok.res.statusCode).toBe(200)
    const [active] = await t.database.db.select().from(users).where(eq(users.email, 'pv.lan@baothanhhoa.vn'))
    expect(active).toMatchObject({ status: 'active', name: 'Nguyễn Thị Lan' })
  })
})
