/**
 * Headers the boundary owes to browsers and CDNs: the anonymous CSRF cookie is Secure whenever
 * the site is https (PUBLIC_URL), whether or not a proxy said so; public pages let a shared
 * cache keep them a few seconds only (a withdrawal or correction reaches readers behind a CDN
 * within PUBLIC_SHARED_MAX_AGE_SECONDS), then revalidate by ETag.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type TestApp } from '../../../test/support/app.ts'
import { PUBLIC_SHARED_MAX_AGE_SECONDS } from '../../modules/newsroom/newsroom.cache.ts'

let t: TestApp | undefined
afterEach(async () => {
  await t?.close()
  t = undefined
})

/** The dh_csrf cookie set on an anonymous sign-in page. */
async function csrfCookie(app: TestApp, headers: Record<string, string> = {}) {
  const res = await app.app.inject({ url: '/console/sign-in', headers })
  const c = res.cookies.find((x) => x.name === 'dh_csrf')
  expect(c, 'dh_csrf set').toBeDefined()
  return c as { secure?: boolean }
}

describe('the CSRF cookie', () => {
  it('is Secure on an https site even when the request came without X-Forwarded-Proto', async () => {
    t = await createTestApp({ PUBLIC_URL: 'https://tin.congan.example.vn' })
    await makeUser(t, { role: 'admin' })
    expect((await csrfCookie(t)).secure).toBe(true)
    // An untrusted peer claiming http changes nothing.
    expect((await csrfCookie(t, { 'x-forwarded-proto': 'http' })).secure).toBe(true)
  })

  it('is not Secure on a plain-http site, unless a trusted proxy says the request was https', async () => {
    t = await createTestApp({ PUBLIC_URL: 'http://localhost:3000', TRUST_PROXY: '127.0.0.1' })
    await makeUser(t, { role: 'admin' })
    expect((await csrfCookie(t)).secure).toBeFalsy()
    expect((await csrfCookie(t, { 'x-forwarded-proto': 'https' })).secure).toBe(true)
  })
})

describe('public pages and shared caches', () => {
  it(`let a CDN keep a page at most ${PUBLIC_SHARED_MAX_AGE_SECONDS} s, then revalidate; browsers always revalidate`, async () => {
    t = await createTestApp()
    await makeUser(t, { role: 'admin' })
    expect(PUBLIC_SHARED_MAX_AGE_SECONDS).toBeLessThanOrEqual(5)
    for (const url of ['/', '/tin', '/rss.xml', '/sitemap.xml', '/kiem-chung/ket-luan']) {
      for (const round of ['miss', 'hit']) {
        const res = await t.app.inject({ url })
        expect(res.statusCode, url).toBe(200)
        expect(res.headers['x-cache'], url).toBe(round)
        const m = String(res.headers['cache-control']).match(/^public, max-age=0, must-revalidate, s-maxage=(\d+)$/)
        expect(m, `${url}: ${res.headers['cache-control']}`).not.toBeNull()
        expect(Number(m?.[1]), url).toBeLessThanOrEqual(PUBLIC_SHARED_MAX_AGE_SECONDS)
        expect(res.headers.etag, url).toBeTruthy()
        const again = await t.app.inject({ url, headers: { 'if-none-match': String(res.headers.etag) } })
        expect(again.statusCode, url).toBe(304)
      }
    }
  })
})
