/**
 * Partner API tokens end to end through the app: created on /doi-tac/token (shown once, stored
 * hashed, audited), then used as `Authorization: Bearer` on routes that declare `tokenScope`
 * (test routes registered here), refused elsewhere, by scope, when revoked or expired, when
 * the partner is suspended, over the rate limit; CSRF only for cookie requests; /docs.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { tokenHash } from '../../../platform/auth/secrets.ts'
import { advanceClock, freezeClock, now, resetClock } from '../../../platform/clock.ts'
import { createTestApp, form, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner, type MadePartner } from '../../../../test/support/partners.ts'
import { partners } from '../../partners/partners.tables.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { partnerTokens } from './tokens.tables.ts'

let t: TestApp

beforeAll(async () => {
  t = await createTestApp({}, (app) => {
    // Stand-ins for the portal's and the inquiries' token routes (which declare the same config).
    app.get(
      '/api/v1/test-tokens/embargoed',
      {
        config: { access: 'signed-in', tokenScope: 'embargo:read' },
        schema: { summary: 'test route', tags: ['test'] },
      },
      async (req) => ({ actor: req.actor?.id, session: req.session !== null }),
    )
    app.post(
      '/api/v1/test-tokens/inquiries',
      { config: { access: 'signed-in', tokenScope: 'inquiries' }, schema: { summary: 'test route', tags: ['test'] } },
      async (req) => ({ actor: req.actor?.id }),
    )
    app.get('/api/v1/test-tokens/no-tokens', { config: { access: 'signed-in' } }, async (req) => ({ actor: req.actor?.id }))
  })
})
afterAll(async () => {
  await t.close()
})
afterEach(() => {
  resetClock()
})

/** Creates a token through the page and returns the clear value shown once. */
async function createToken(p: MadePartner, fields: Record<string, string | string[]> = {}) {
  const body = new URLSearchParams()
  body.set('name', 'Máy chủ toà soạn')
  body.set('days', '30')
  body.set('_csrf', p.login.csrf)
  const scopes = fields.scopes ?? ['embargo:read', 'inquiries']
  for (const s of Array.isArray(scopes) ? scopes : [scopes]) body.append('scopes', s)
  for (const [k, v] of Object.entries(fields)) if (k !== 'scopes') body.set(k, String(v))
  const res = await t.app.inject({
    method: 'POST',
    url: '/doi-tac/token',
    payload: body.toString(),
    headers: { cookie: p.login.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  })
  const token = /id="new-token-value"[^>]*>\s*(dhp_[A-Za-z0-9_-]+)\s*</.exec(res.body)?.[1]
  return { res, token }
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('creating and listing tokens', () => {
  it('shows the token once, stores only its hash and prefix, and audits the creation', async () => {
    const p = await makePartner(t)
    const { res, token } = await createToken(p)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Khoá mới của bạn')
    expect(token).toMatch(/^dhp_[A-Za-z0-9_-]{43}$/)
    const rows = await t.database.db.select().from(partnerTokens).where(eq(partnerTokens.userId, p.user.id))
    expect(rows).toHaveLength(1)
    const row = rows[0] as (typeof rows)[number]
    expect(row.tokenHash).toBe(tokenHash(token as string))
    expect(row.prefix).toBe((token as string).slice(0, 12))
    expect(row.scopes).toEqual(['embargo:read', 'inquiries'])
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBe(30 * 86_400_000)
    // No column of the table holds the clear token.
    const raw = await t.database.pool.query('SELECT row_to_json(partner_tokens)::text AS j FROM partner_tokens WHERE user_id = $1', [
      p.user.id,
    ])
    expect(raw.rows[0].j).not.toContain(token as string)
    // The list shows the prefix, never the token again.
    const list = await t.app.inject({ method: 'GET', url: '/doi-tac/token', headers: { cookie: p.login.cookie } })
    expect(list.statusCode).toBe(200)
    expect(list.body).toContain(row.prefix)
    expect(list.body).not.toContain(token as string)
    expect(list.body).toContain('Chưa dùng')
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, row.id), eq(auditEvents.action, 'partner_token.created')))
    expect(audit?.actorId).toBe(p.user.id)
    expect(JSON.stringify(audit?.summary)).not.toContain(token as string)
    expect(JSON.stringify(audit?.summary)).not.toContain(row.tokenHash)
  })

  it('refuses a missing name, no scope, an unknown scope and a lifetime outside 30/90/365, in both languages, storing nothing', async () => {
    const p = await makePartner(t)
    const cases: [Record<string, string | string[]>, string][] = [
      [{ name: '   ' }, 'Hãy đặt tên cho khoá'],
      [{ scopes: [] }, 'Hãy chọn ít nhất một quyền'],
      [{ scopes: ['admin'] }, 'Hãy chọn ít nhất một quyền'],
      [{ days: '0' }, 'Thời hạn khoá phải là 30, 90 hoặc 365 ngày'],
      [{ days: '3650' }, 'Thời hạn khoá phải là 30, 90 hoặc 365 ngày'],
    ]
    for (const [fields, message] of cases) {
      const { res, token } = await createToken(p, fields)
      expect(res.statusCode, JSON.stringify(fields)).toBe(400)
      expect(res.body).toContain(message)
      expect(res.body).toContain('lang="en"')
      expect(token).toBeUndefined()
    }
    expect(await t.database.db.select().from(partnerTokens).where(eq(partnerTokens.userId, p.user.id))).toHaveLength(0)
  })

  it('allows at most 10 active tokens; a revoked one frees a place', async () => {
    const p = await makePartner(t)
    for (let i = 0; i < 10; i++) expect((await createToken(p)).res.statusCode).toBe(200)
    const eleventh = await createToken(p)
    expect(eleventh.res.statusCode).toBe(409)
    expect(eleventh.res.body).toContain('Bạn đã có 10 khoá đang dùng')
    const [one] = await t.database.db.select().from(partnerTokens).where(eq(partnerTokens.userId, p.user.id)).limit(1)
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/doi-tac/token/${one?.id}/thu-hoi`,
      ...form({ _csrf: p.login.csrf }),
      headers: { ...form({}).headers, cookie: p.login.cookie },
    })
    expect(revoke.statusCode).toBe(303)
    expect((await createToken(p)).res.statusCode).toBe(200)
  })

  it('is for partners only: staff get 403, anonymous visitors are sent to sign in, and CSRF is required', async () => {
    const staff = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const page = await t.app.inject({ method: 'GET', url: '/doi-tac/token', headers: { ...staff.headers, accept: 'application/json' } })
    expect(page.statusCode).toBe(403)
    expect(page.json().error.code).toBe('FORBIDDEN')
    const anon = await t.app.inject({ method: 'GET', url: '/doi-tac/token' })
    expect(anon.statusCode).toBe(302)
    const p = await makePartner(t)
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/token',
      ...form({ name: 'x', scopes: 'inquiries', days: '30' }),
      headers: { ...form({}).headers, cookie: p.login.cookie, accept: 'application/json' },
    })
    expect(noCsrf.statusCode).toBe(403)
    expect(noCsrf.json().error.code).toBe('CSRF_INVALID')
  })
})

describe('the bearer check', () => {
  it('authenticates a token on a tokenScope route for this request only: no session, no cookie, no-store', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p)
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toEqual({ actor: p.user.id, session: false })
    expect(res.headers['set-cookie']).toBeUndefined()
    expect(res.headers['cache-control']).toBe('no-store')
  })

  it('refuses a partner token on a route that does not accept tokens (401, bilingual)', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p)
    for (const url of ['/api/v1/test-tokens/no-tokens', '/api/v1/me', '/doi-tac/token']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { ...bearer(token as string), accept: 'application/json' } })
      expect(res.statusCode, url).toBe(401)
      expect(res.json().error.code).toBe('PARTNER_TOKEN_NOT_ACCEPTED')
      expect(res.json().error.message.vi).toContain('không nhận khoá API')
      expect(res.json().error.message.en).toContain('does not accept partner API tokens')
    }
  })

  it('refuses a token without the route scope (403) and an unknown one (401 invalid_token)', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p, { scopes: ['inquiries'] })
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('PARTNER_TOKEN_SCOPE_MISSING')
    expect(res.json().error.message.en).toContain('embargo:read')
    for (const wrong of [`${(token as string).slice(0, -2)}xx`, 'dhp_', 'not-a-partner-token']) {
      const bad = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(wrong) })
      expect(bad.statusCode, wrong).toBe(401)
      expect(bad.json().error.code).toBe('PARTNER_TOKEN_INVALID')
      expect(bad.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
    }
  })

  it('stops a revoked token at once, audits the revocation, and a token expires on its date (clock moved)', async () => {
    const p = await makePartner(t)
    const a = (await createToken(p)).token as string
    const b = (await createToken(p)).token as string
    const [row] = await t.database.db
      .select()
      .from(partnerTokens)
      .where(eq(partnerTokens.tokenHash, tokenHash(a)))
    const revoke = await t.app.inject({
      method: 'POST',
      url: `/doi-tac/token/${row?.id}/thu-hoi`,
      ...form({ _csrf: p.login.csrf }),
      headers: { ...form({}).headers, cookie: p.login.cookie },
    })
    expect(revoke.statusCode).toBe(303)
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(a) })
    expect(after.statusCode).toBe(401)
    expect(after.headers['www-authenticate']).toBe('Bearer error="invalid_token"')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, row?.id as string), eq(auditEvents.action, 'partner_token.revoked')))
    expect(audits).toHaveLength(1)

    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(b) })).statusCode).toBe(200)
    advanceClock(30 * 86_400_000 - 60_000)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(b) })).statusCode).toBe(200)
    advanceClock(60_000)
    const expired = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(b) })
    expect(expired.statusCode).toBe(401)
    expect(expired.json().error.code).toBe('PARTNER_TOKEN_INVALID')
  })

  it("cuts a suspended partner's embargo token at once; its inquiries token keeps what the session would have", async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })).statusCode).toBe(
      200,
    )
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, p.partner.id))
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('PARTNER_TOKEN_NO_EMBARGO_ACCESS')
    const inquiries = await t.app.inject({ method: 'POST', url: '/api/v1/test-tokens/inquiries', headers: bearer(token as string) })
    expect(inquiries.statusCode).toBe(200)
    // A merged-away record or a disabled account: nothing works.
    await t.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, p.user.id))
    const disabled = await t.app.inject({ method: 'POST', url: '/api/v1/test-tokens/inquiries', headers: bearer(token as string) })
    expect(disabled.statusCode).toBe(401)
  })

  it('refuses a token whose account has no live partner record (403 PARTNER_REQUIRED)', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p)
    await t.database.db.update(partners).set({ userId: null }).where(eq(partners.id, p.partner.id))
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/test-tokens/inquiries', headers: bearer(token as string) })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('PARTNER_REQUIRED')
  })

  it('rate-limits each token (120 a minute) with 429 and Retry-After, other tokens unaffected', async () => {
    freezeClock(now())
    const p = await makePartner(t)
    const a = (await createToken(p)).token as string
    const b = (await createToken(p)).token as string
    for (let i = 0; i < 120; i++) {
      const ok = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(a) })
      expect(ok.statusCode).toBe(200)
    }
    const limited = await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(a) })
    expect(limited.statusCode).toBe(429)
    expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(b) })).statusCode).toBe(200)
    advanceClock(1000)
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(a) })).statusCode).toBe(200)
  })

  it('updates last_used_at at most once a minute', async () => {
    freezeClock(now())
    const p = await makePartner(t)
    const { token } = await createToken(p)
    const lastUsed = async () =>
      (
        await t.database.db
          .select()
          .from(partnerTokens)
          .where(eq(partnerTokens.tokenHash, tokenHash(token as string)))
      )[0]?.lastUsedAt
    await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })
    const first = await lastUsed()
    expect(first?.getTime()).toBe(now().getTime())
    advanceClock(30_000)
    await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })
    expect((await lastUsed())?.getTime()).toBe(first?.getTime())
    advanceClock(31_000)
    await t.app.inject({ method: 'GET', url: '/api/v1/test-tokens/embargoed', headers: bearer(token as string) })
    expect((await lastUsed())?.getTime()).toBe(now().getTime())
  })

  it('needs no CSRF token for a bearer request, still needs it for a cookie request, and refuses both at once', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p)
    const viaToken = await t.app.inject({ method: 'POST', url: '/api/v1/test-tokens/inquiries', headers: bearer(token as string) })
    expect(viaToken.statusCode).toBe(200)
    expect(viaToken.json()).toEqual({ actor: p.user.id })
    const viaCookie = await t.app.inject({ method: 'POST', url: '/api/v1/test-tokens/inquiries', headers: { cookie: p.login.cookie } })
    expect(viaCookie.statusCode).toBe(403)
    expect(viaCookie.json().error.code).toBe('CSRF_INVALID')
    const viaCookieWithCsrf = await t.app.inject({ method: 'POST', url: '/api/v1/test-tokens/inquiries', headers: p.login.headers })
    expect(viaCookieWithCsrf.statusCode).toBe(200)
    const both = await t.app.inject({
      method: 'POST',
      url: '/api/v1/test-tokens/inquiries',
      headers: { ...bearer(token as string), cookie: p.login.cookie },
    })
    expect(both.statusCode).toBe(400)
    expect(both.json().error.code).toBe('PARTNER_TOKEN_WITH_SESSION')
  })

  it('leaves other bearer schemes to their routes (METRICS_TOKEN on /metrics is not a partner token)', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/metrics',
      headers: bearer('some-metrics-token-0123456789'),
      remoteAddress: '203.0.113.9',
    })
    expect(res.statusCode).not.toBe(401)
  })
})

describe('the real token routes', () => {
  it('/api/v1/portal/embargoed answers an accredited partner token and stops at once on suspension', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p, { scopes: ['embargo:read'] })
    const ok = await t.app.inject({ method: 'GET', url: '/api/v1/portal/embargoed', headers: bearer(token as string) })
    expect(ok.statusCode).toBe(200)
    expect(Array.isArray(ok.json().items)).toBe(true)
    expect(ok.headers['set-cookie']).toBeUndefined()
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, p.partner.id))
    const cut = await t.app.inject({ method: 'GET', url: '/api/v1/portal/embargoed', headers: bearer(token as string) })
    expect(cut.statusCode).toBe(403)
    expect(cut.json().error.message.vi).toBeTruthy()
    expect(cut.json().error.message.en).toBeTruthy()
  })

  it('/api/v1/inquiries takes a question with an inquiries token and no CSRF token; an embargo-only token is 403', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p, { scopes: ['inquiries'] })
    const ask = { kind: 'question', topic: 'Lịch họp báo', question: 'Khi nào có họp báo về vụ việc ở xã Quảng Phú?' }
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/inquiries', headers: bearer(token as string), payload: ask })
    expect(res.statusCode).toBe(201)
    expect(res.json().question).toBe(ask.question)
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/inquiries', headers: bearer(token as string) })
    expect(list.json().items.map((i: { question: string }) => i.question)).toEqual([ask.question])
    const embargoOnly = (await createToken(p, { scopes: ['embargo:read'] })).token as string
    const refused = await t.app.inject({ method: 'GET', url: '/api/v1/inquiries', headers: bearer(embargoOnly) })
    expect(refused.statusCode).toBe(403)
    expect(refused.json().error.code).toBe('PARTNER_TOKEN_SCOPE_MISSING')
  })

  it('the portal pages refuse tokens (sessions only)', async () => {
    const p = await makePartner(t)
    const { token } = await createToken(p)
    for (const url of ['/doi-tac', '/doi-tac/ho-so', '/doi-tac/bao-mat', '/doi-tac/token']) {
      const res = await t.app.inject({ method: 'GET', url, headers: { ...bearer(token as string), accept: 'application/json' } })
      expect(res.statusCode, url).toBe(401)
      expect(res.json().error.code).toBe('PARTNER_TOKEN_NOT_ACCEPTED')
    }
  })
})

describe('/docs', () => {
  it('declares the partnerToken bearer scheme, documents it, and marks tokenScope routes with both schemes', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/docs/json' })
    const doc = res.json()
    expect(doc.components.securitySchemes.partnerToken).toEqual({ type: 'http', scheme: 'bearer' })
    expect(doc.info.description).toContain('Khoá API đối tác / Partner API tokens')
    const op = doc.paths['/api/v1/test-tokens/embargoed'].get
    expect(op.security).toEqual([{ session: [] }, { partnerToken: [] }])
    expect(op.description).toContain('embargo:read')
    expect(doc.paths['/api/v1/test-tokens/no-tokens'].get.security).toBeUndefined()
    expect(doc.paths['/api/v1/portal/embargoed'].get.security).toEqual([{ session: [] }, { partnerToken: [] }])
    expect(doc.paths['/api/v1/me'].get.security).toEqual([{ session: [] }])
    for (const [path, method] of [
      ['/api/v1/inquiries', 'get'],
      ['/api/v1/inquiries', 'post'],
      ['/api/v1/inquiries/{id}', 'get'],
    ] as const) {
      expect(doc.paths[path][method].security, `${method} ${path}`).toEqual([{ session: [] }, { partnerToken: [] }])
    }
  })
})
