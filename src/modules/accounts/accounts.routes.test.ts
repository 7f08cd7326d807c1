/**
 * The sign-in, setup, invitation and reset flows over HTTP, and the bad input the
 * foundation issue lists: each a clear error, nothing half-written.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, linkIn, csrfFrom, form, loginAs, makeUser, mergeCookies, type TestApp } from '../../../test/support/app.ts'
import { totpNow } from '../../platform/auth/secrets.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { users } from './accounts.tables.ts'
import { ensureSetupToken } from './commands/ensure-setup-token.ts'

let t: TestApp
const PW = 'Cau-mat-khau-rat-dai-2026'
/** The wizard's office fields, for a made-up office. */
const OFFICE = {
  identityName: 'Công an tỉnh Thử Nghiệm',
  province: 'Thử Nghiệm',
  hotline: '0200 000 113',
  identityEmail: 'banbientap@thunghiem.example.vn',
  address: '1 đường Thử, phường Một, tỉnh Thử Nghiệm',
}

beforeAll(async () => {
  t = await createTestApp({}, (app) => {
    app.get('/test/boom', { config: { access: 'public' } }, async () => {
      throw new Error('connection string postgres://secret@db')
    })
  })
})
afterAll(async () => {
  await t.close()
})

/** GETs a page with the current cookies and returns its CSRF token and updated cookies. */
async function open(url: string, cookie = '') {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie } })
  return { res, cookie: mergeCookies(cookie, res), csrf: res.body.includes('name="_csrf"') ? csrfFrom(res.body) : '' }
}

async function post(url: string, cookie: string, fields: Record<string, string>) {
  const f = form(fields)
  const res = await t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie } })
  return { res, cookie: mergeCookies(cookie, res) }
}

describe('setup → enrol → sign in over HTTP', () => {
  it('runs the whole first-admin flow', async () => {
    // Before setup, the home page and sign-in lead to the wizard.
    expect((await t.app.inject({ url: '/' })).headers.location).toBe('/console/setup')
    const token = (await ensureSetupToken({ database: t.database, tenantId: t.tenant.id })) as string
    let page = await open(`/console/setup?token=${token}`)
    expect(page.res.body).toContain('Cài đặt lần đầu')
    // A weak password re-renders the wizard with a 400 and creates nobody.
    let r = await post('/console/setup', page.cookie, {
      _csrf: page.csrf,
      token,
      name: 'Lê Minh Quân',
      email: 'quantri@congan.vn',
      password: 'ngan',
      passwordConfirm: 'ngan',
      ...OFFICE,
    })
    expect(r.res.statusCode).toBe(400)
    expect(r.res.body).toContain('Mật khẩu quá yếu')
    expect(r.res.body).toContain('The password is too weak')
    expect((await t.database.db.select().from(users)).length).toBe(0)
    // Then the real thing.
    r = await post('/console/setup', page.cookie, {
      _csrf: page.csrf,
      token,
      name: 'Lê Minh Quân',
      email: 'quantri@congan.vn',
      password: PW,
      passwordConfirm: PW,
      ...OFFICE,
      spName: '',
      spTitle: '',
      spPhone: '',
      spEmail: '',
    })
    expect(r.res.statusCode).toBe(303)
    expect(r.res.headers.location).toBe('/console/totp/enrol')
    // The public pages name the office at once (no spokesperson given: none created).
    const home = await t.app.inject({ url: '/' })
    expect(home.body).toContain('<h1>Công an tỉnh Thử Nghiệm</h1>')
    expect(home.body).toContain('0200 000 113')
    // A partial session cannot reach the console yet.
    const blocked = await t.app.inject({ url: '/api/v1/me', headers: { cookie: r.cookie } })
    expect(blocked.statusCode).toBe(401)
    expect(blocked.json().error.code).toBe('MFA_REQUIRED')
    page = await open('/console/totp/enrol', r.cookie)
    expect(page.res.body).toContain('data:image/png;base64')
    const secret = (page.res.body.match(/id="totp-secret">([A-Z2-7 ]+)</)?.[1] ?? '').replace(/ /g, '')
    expect(secret.length).toBeGreaterThanOrEqual(16)
    r = await post('/console/totp/enrol', page.cookie, { _csrf: page.csrf, code: totpNow(secret) })
    expect(r.res.statusCode).toBe(200)
    // Ten codes (each also in the download form's hidden field).
    expect(new Set(r.res.body.match(/[0-9a-f]{5}-[0-9a-f]{5}/g)).size).toBe(10)
    const me = await t.app.inject({ url: '/api/v1/me', headers: { cookie: r.cookie } })
    expect(me.json()).toMatchObject({ email: 'quantri@congan.vn', role: 'admin', totpEnabled: true })
    // The session id rotated at each stage.
    expect(r.cookie).not.toBe(page.cookie)
    // The wizard is closed now.
    const again = await open(`/console/setup?token=${token}`)
    expect(again.res.body).toContain('Hệ thống đã được cài đặt')
  })

  it('signs in with password then TOTP, refusing a replayed code', async () => {
    const u = await makeUser(t, { role: 'approver' })
    let page = await open('/console/sign-in')
    let r = await post('/console/sign-in', page.cookie, { _csrf: page.csrf, email: u.email, password: u.password })
    expect(r.res.headers.location).toMatch(/^\/console\/totp\/verify/)
    page = await open('/console/totp/verify', r.cookie)
    const code = totpNow(u.totpSecret as string)
    r = await post('/console/totp/verify', page.cookie, { _csrf: page.csrf, code })
    expect(r.res.statusCode).toBe(303)
    expect((await t.app.inject({ url: '/api/v1/me', headers: { cookie: r.cookie } })).json().role).toBe('approver')
    // Same code again in a new sign-in: replayed.
    page = await open('/console/sign-in')
    r = await post('/console/sign-in', page.cookie, { _csrf: page.csrf, email: u.email, password: u.password })
    page = await open('/console/totp/verify', r.cookie)
    r = await post('/console/totp/verify', page.cookie, { _csrf: page.csrf, code })
    expect(r.res.statusCode).toBe(401)
    expect(r.res.body).toContain('Mã này đã được dùng')
  })

  it('locks TOTP guessing with the growing delay', async () => {
    const u = await makeUser(t, { role: 'officer' })
    let page = await open('/console/sign-in')
    const r = await post('/console/sign-in', page.cookie, { _csrf: page.csrf, email: u.email, password: u.password })
    page = await open('/console/totp/verify', r.cookie)
    const codes: number[] = []
    for (const guess of ['111111', '222222', '333333', '444444', '555555']) {
      codes.push((await post('/console/totp/verify', page.cookie, { _csrf: page.csrf, code: guess })).res.statusCode)
    }
    expect(codes).toEqual([401, 401, 401, 429, 429])
    // Even the right code waits out the delay.
    const right = await post('/console/totp/verify', page.cookie, { _csrf: page.csrf, code: totpNow(u.totpSecret as string) })
    expect(right.res.statusCode).toBe(429)
  })

  it('shows a clear error for wrong credentials and for too many attempts', async () => {
    const u = await makeUser(t, { role: 'editor' })
    const page = await open('/console/sign-in')
    let last = await post('/console/sign-in', page.cookie, { _csrf: page.csrf, email: u.email, password: 'sai' })
    expect(last.res.statusCode).toBe(401)
    expect(last.res.body).toContain('Thư điện tử hoặc mật khẩu không đúng.')
    for (let i = 0; i < 3; i++) last = await post('/console/sign-in', page.cookie, { _csrf: page.csrf, email: u.email, password: 'sai' })
    expect(last.res.statusCode).toBe(429)
    expect(last.res.headers['retry-after']).toBeDefined()
    expect(last.res.body).toContain('Quá nhiều lần thử sai')
  })
})

describe('invitation and reset over HTTP', () => {
  it('invites an editor who accepts through the mailed link', async () => {
    const admin = await makeUser(t, { role: 'admin' })
    const login = await loginAs(t, admin)
    const page = await open('/console/users', login.cookie)
    expect(page.res.statusCode).toBe(200)
    let r = await post('/console/users/invite', login.cookie, { _csrf: page.csrf, email: 'khong-hop-le', role: 'editor', name: '' })
    expect(r.res.statusCode).toBe(400)
    expect(r.res.body).toContain('Địa chỉ thư điện tử không hợp lệ.')
    r = await post('/console/users/invite', login.cookie, {
      _csrf: page.csrf,
      email: 'btv.hoa@congan.vn',
      role: 'editor',
      name: 'Trần Thị Hoa',
    })
    expect(r.res.statusCode).toBe(200)
    expect(r.res.body).toContain('Đã gửi lời mời.')
    const [mail] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, 'btv.hoa@congan.vn'))
    const link = new URL(linkIn(mail?.textBody, /http:\/\/donghanh\.test\S+/))
    const accept = await open(`${link.pathname}${link.search}`)
    expect(accept.res.body).toContain('btv.hoa@congan.vn')
    const token = link.searchParams.get('token') as string
    r = await post('/console/invite/accept', accept.cookie, {
      _csrf: accept.csrf,
      token,
      name: 'Trần Thị Hoa',
      password: PW,
      passwordConfirm: PW,
    })
    expect(r.res.statusCode).toBe(200)
    expect(r.res.body).toContain('Tài khoản đã được kích hoạt')
    // The link is spent.
    const reused = await open(`${link.pathname}${link.search}`)
    expect(reused.res.statusCode).toBe(410)
    expect(reused.res.body).toContain('Đường dẫn đã được sử dụng.')
  })

  it('refuses a reused reset link with 410', async () => {
    const u = await makeUser(t, { role: 'officer' })
    const page = await open('/console/password/forgot')
    let r = await post('/console/password/forgot', page.cookie, { _csrf: page.csrf, email: u.email })
    expect(r.res.body).toContain('Nếu địa chỉ này có tài khoản')
    const [mail] = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, u.email))
    const link = new URL(linkIn(mail?.textBody, /http:\/\/donghanh\.test\S+/))
    const reset = await open(`${link.pathname}${link.search}`)
    const token = link.searchParams.get('token') as string
    r = await post('/console/password/reset', reset.cookie, { _csrf: reset.csrf, token, password: PW, passwordConfirm: PW })
    expect(r.res.body).toContain('Mật khẩu đã được đặt lại')
    r = await post('/console/password/reset', reset.cookie, { _csrf: reset.csrf, token, password: PW, passwordConfirm: PW })
    expect(r.res.statusCode).toBe(410)
  })
})

describe('bad input', () => {
  it('rejects malformed JSON, oversize bodies and wrong content types with clear errors', async () => {
    const admin = await loginAs(t, await makeUser(t, { role: 'admin' }))
    const headers = { ...admin.headers, 'content-type': 'application/json' }
    let res = await t.app.inject({ method: 'POST', url: '/api/v1/users/invitations', headers, payload: '{"email": "a@b.vn",' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({
      code: 'MALFORMED_JSON',
      message: { vi: 'Nội dung JSON bị lỗi cú pháp.', en: 'The JSON body is malformed.' },
    })
    res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      headers,
      payload: JSON.stringify({ email: 'a@b.vn', role: 'editor', name: 'x'.repeat(2_000_000) }),
    })
    expect(res.statusCode).toBe(413)
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE')
    res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      headers: { ...admin.headers, 'content-type': 'text/plain' },
      payload: 'email=a@b.vn',
    })
    expect(res.statusCode).toBe(415)
    expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE')
    res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      headers,
      payload: JSON.stringify({ email: 'not-an-email', role: 'editor' }),
    })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('INVALID_EMAIL')
    res = await t.app.inject({ method: 'POST', url: '/api/v1/users/invitations', headers, payload: JSON.stringify({ role: 'editor' }) })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toBe('VALIDATION')
    // Nothing was half-written.
    expect((await t.database.db.select().from(users).where(eq(users.email, 'a@b.vn'))).length).toBe(0)
    res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users/invitations',
      headers,
      payload: JSON.stringify({ email: 'a@b.vn', role: 'editor' }),
    })
    expect(res.statusCode).toBe(201)
  })

  it('refuses a missing CSRF token and one from another session', async () => {
    const a = await loginAs(t, await makeUser(t, { role: 'admin' }))
    const b = await loginAs(t, await makeUser(t, { role: 'admin' }))
    const f = form({ email: 'csrf@b.vn', role: 'editor' })
    let res = await t.app.inject({
      method: 'POST',
      url: '/console/users/invite',
      payload: f.payload,
      headers: { ...f.headers, cookie: a.cookie },
    })
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('CSRF')
    const g = form({ email: 'csrf@b.vn', role: 'editor', _csrf: b.csrf })
    res = await t.app.inject({
      method: 'POST',
      url: '/console/users/invite',
      payload: g.payload,
      headers: { ...g.headers, cookie: a.cookie },
    })
    expect(res.statusCode).toBe(403)
    const anon = form({ email: 'x@y.vn', password: 'whatever-long-enough' })
    res = await t.app.inject({ method: 'POST', url: '/console/sign-in', payload: anon.payload, headers: anon.headers })
    expect(res.statusCode).toBe(403)
    expect((await t.database.db.select().from(users).where(eq(users.email, 'csrf@b.vn'))).length).toBe(0)
  })

  it('treats a tampered session cookie as no session and clears it', async () => {
    const a = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const tampered = `${a.cookie.slice(0, -2)}xy`
    const res = await t.app.inject({ url: '/api/v1/me', headers: { cookie: tampered } })
    expect(res.statusCode).toBe(401)
    expect(res.cookies.find((c) => c.name === 'dh_sid')?.value).toBe('')
    const page = await t.app.inject({ url: '/console/account', headers: { cookie: tampered } })
    expect(page.statusCode).toBe(302)
    expect(page.headers.location).toBe('/console/sign-in?next=%2Fconsole%2Faccount')
  })

  it('never shows internals on a 5xx, only the request id', async () => {
    const res = await t.app.inject({ url: '/test/boom', headers: { accept: 'application/json', 'x-request-id': 'req-test-12345' } })
    expect(res.statusCode).toBe(500)
    expect(res.body).not.toContain('postgres://')
    expect(res.json().error).toMatchObject({ code: 'INTERNAL', requestId: 'req-test-12345' })
    const page = await t.app.inject({ url: '/test/boom', headers: { accept: 'text/html' } })
    expect(page.body).not.toContain('secret@db')
    expect(page.body).toContain('Đã xảy ra lỗi phía máy chủ')
  })

  it('serves the public shell: health, readiness, metrics, docs, English switch', async () => {
    expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' })
    expect((await t.app.inject({ url: '/readyz' })).json()).toEqual({ status: 'ready', database: 'ok' })
    const metrics = await t.app.inject({ url: '/metrics' })
    expect(metrics.headers['content-type']).toContain('text/plain')
    expect(metrics.body).toMatch(/donghanh_http_requests_total\{method="GET",route="\/healthz",status="200"\} \d+/)
    expect(metrics.body).toContain('donghanh_mail_outbox')
    const spec = await t.app.inject({ url: '/docs/json' })
    expect(spec.json().openapi).toMatch(/^3\./)
    expect(Object.keys(spec.json().paths)).toContain('/api/v1/me')
    const en = await t.app.inject({ url: '/console/sign-in?lang=en' })
    expect(en.body).toContain('Sign in')
    expect(en.body).toContain('lang="en"')
    expect(en.cookies.find((c) => c.name === 'lang')?.value).toBe('en')
    const home = await t.app.inject({ url: '/' })
    expect(home.body).toContain('Công an tỉnh Thử Nghiệm')
    expect(home.body).toContain('Đường dây nóng')
    expect(home.headers['content-security-policy']).toContain("script-src 'self'")
  })
})
