/**
 * Every route of the app, tried unauthenticated (401 or a redirect to sign-in) and, for
 * role-gated routes, with a role the policy refuses (403). New routes are covered
 * automatically: the list comes from the app itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, loginAs, makeUser, type TestApp } from '../test/support/app.ts'
import { listRoutes, type RouteEntry } from './app.ts'
import { can, ROLES, type Role } from './platform/policy/index.ts'

let t: TestApp
let routes: RouteEntry[]

beforeAll(async () => {
  t = await createTestApp()
  routes = listRoutes(t.app).filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS')
})
afterAll(async () => {
  await t.close()
})

const UUID = '00000000-0000-4000-8000-000000000000'
const fill = (url: string) => url.replace(/:(\w+)/g, (_m, name: string) => (name === 'id' ? UUID : 'x')).replace(/\*$/, 'x')

describe('route table', () => {
  it('declares access on every route', () => {
    expect(routes.length).toBeGreaterThan(25)
    expect(routes.filter((r) => r.access === undefined)).toEqual([])
  })

  it('refuses every non-public route without a session: 401 for API calls, a redirect for pages', async () => {
    const guarded = routes.filter((r) => r.access !== 'public')
    expect(guarded.length).toBeGreaterThan(15)
    for (const r of guarded) {
      const res = await t.app.inject({ method: r.method as 'GET', url: fill(r.url) })
      // Partner pages send to the partner sign-in (partners have no password), others to the console's.
      const signIn = r.url === '/doi-tac' || r.url.startsWith('/doi-tac/') ? '/doi-tac/dang-nhap' : '/console/sign-in'
      const ok = res.statusCode === 401 || (res.statusCode === 302 && String(res.headers.location).startsWith(signIn))
      expect(ok, `${r.method} ${r.url} → ${res.statusCode}`).toBe(true)
      if (res.statusCode === 401 && !String(res.headers['content-type']).includes('json')) {
        expect(res.body).toContain('Bạn cần đăng nhập.')
      } else if (res.statusCode === 401) {
        expect(res.json().error.code).toMatch(/UNAUTHENTICATED|MFA_REQUIRED/)
        expect(res.json().error.message.vi).toBeTruthy()
        expect(res.json().error.message.en).toBeTruthy()
      }
    }
  })

  it('refuses every role-gated route to a role the policy does not allow (403)', async () => {
    const gated = routes.filter((r) => typeof r.access === 'object')
    expect(gated.length).toBeGreaterThan(5)
    const logins = new Map<Role, Awaited<ReturnType<typeof loginAs>>>()
    for (const role of ROLES) logins.set(role, await loginAs(t, await makeUser(t, { role })))
    for (const r of gated) {
      const access = r.access as { action: string; subject: string }
      const denied = ROLES.filter((role) => !can({ id: 'x', tenantId: t.tenant.id, role, email: 'x' }, access.action, access.subject))
      expect(denied.length, `${r.url} is open to every role`).toBeGreaterThan(0)
      for (const role of denied) {
        const login = logins.get(role) as NonNullable<ReturnType<typeof logins.get>>
        const res = await t.app.inject({
          method: r.method as 'GET',
          url: fill(r.url),
          headers: { ...login.headers, accept: 'application/json' },
        })
        expect(res.statusCode, `${role} ${r.method} ${r.url}`).toBe(403)
        expect(res.json().error.code).toBe('FORBIDDEN')
      }
    }
  })

  it('answers unknown URLs with 404 in both languages', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/khong-co-trang-nay', headers: { accept: 'application/json' } })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.message).toEqual({
      vi: 'Không tìm thấy hoặc bạn không có quyền truy cập.',
      en: 'Not found, or you have no access.',
    })
    const page = await t.app.inject({ method: 'GET', url: '/khong-co-trang-nay', headers: { accept: 'text/html' } })
    expect(page.statusCode).toBe(404)
    expect(page.body).toContain('Không tìm thấy')
  })
})
