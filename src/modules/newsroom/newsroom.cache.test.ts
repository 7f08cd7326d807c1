/**
 * The public read path's cache in the app: release pages, lists and feeds served from memory
 * with ETag/304 and gzip; invalidated by a publication, a correction and by a NOTIFY sent by
 * another process; staff never get (or fill) the public cache.
 */
import type { AddressInfo } from 'node:net'
import { gunzipSync } from 'node:zlib'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loginAs } from '../../../test/support/app.ts'
import { publicCacheFor } from './newsroom.cache.ts'
import {
  cacheInvalidated,
  correctRelease,
  invalidations,
  type NewsroomWorld,
  newsroomWorld,
  publishRelease,
} from './newsroom.test-support.ts'

let w: NewsroomWorld
let r: { id: string; slug: string; code: string }
const get = (url: string, headers: Record<string, string> = {}) => w.t.app.inject({ url, headers })

beforeAll(async () => {
  w = await newsroomWorld()
  r = await publishRelease(w, {
    title: 'Kết quả tuần tra kiểm soát dịp cuối năm',
    summary: 'Tóm tắt kết quả.',
    bodyMd: 'Nội dung chi tiết. '.repeat(50),
  })
})
afterAll(async () => {
  await w.t.close()
})

describe('public page cache in the app', () => {
  it('serves a release page from memory with a strong ETag, 304 and gzip', async () => {
    const first = await get(`/tin/${r.slug}`)
    const second = await get(`/tin/${r.slug}`)
    expect(first.headers['x-cache']).toBe('miss')
    expect(second.headers['x-cache']).toBe('hit')
    expect(second.body).toBe(first.body)
    expect(second.headers.etag).toBe(first.headers.etag)
    expect(second.headers['cache-control']).toMatch(/^public, max-age=0, must-revalidate, s-maxage=\d+$/)
    expect(second.headers.vary).toBe('Accept-Encoding, Cookie')
    expect(second.headers['content-type']).toBe('text/html; charset=utf-8')
    const notModified = await get(`/tin/${r.slug}`, { 'if-none-match': String(first.headers.etag) })
    expect(notModified.statusCode).toBe(304)
    expect(notModified.body).toBe('')
    const gz = await get(`/tin/${r.slug}`, { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(first.body)
    // English is a separate entry.
    const en = await get(`/tin/${r.slug}`, { cookie: 'lang=en' })
    expect(en.body).toContain('Spokesperson')
    expect(en.headers.etag).not.toBe(first.headers.etag)
    // Feeds: one entry, no locale.
    await get('/rss.xml')
    const rss = await get('/rss.xml', { cookie: 'lang=en' })
    expect(rss.headers['x-cache']).toBe('hit')
    expect(rss.headers.vary).toBe('Accept-Encoding')
  })

  it('drops pages on a correction, and on a NOTIFY from another process', async () => {
    const before = await get(`/tin/${r.slug}`)
    let n = await invalidations(w)
    await correctRelease(w, r.id, { summary: 'Tóm tắt đã cải chính.' }, { changeNote: 'Cập nhật số liệu.' })
    await cacheInvalidated(w, n)
    const after = await get(`/tin/${r.slug}`)
    expect(after.headers['x-cache']).toBe('miss')
    expect(after.headers.etag).not.toBe(before.headers.etag)
    expect(after.body).toContain('Tóm tắt đã cải chính.')
    expect(after.body).toContain('Cập nhật số liệu.')
    expect((await get(`/tin/${r.slug}`, { 'if-none-match': String(before.headers.etag) })).statusCode).toBe(200)
    // Another process (a plain connection here) announces a change: this process drops its pages.
    expect((await get('/tin')).headers['x-cache']).toMatch(/hit|miss/)
    expect((await get('/tin')).headers['x-cache']).toBe('hit')
    n = await invalidations(w)
    const other = new pg.Client({ connectionString: w.t.database.url })
    await other.connect()
    await other.query('SELECT pg_notify($1, $2)', ['donghanh_public', w.t.tenant.id])
    await other.end()
    await cacheInvalidated(w, n)
    expect((await get('/tin')).headers['x-cache']).toBe('miss')
    // A new publication shows on the list at once.
    n = await invalidations(w)
    const fresh = await publishRelease(w, { title: 'Tin mới đăng ngay', summary: 'Tóm tắt.', bodyMd: 'Nội dung.' })
    await cacheInvalidated(w, n)
    expect((await get('/tin')).body).toContain(fresh.slug)
    expect((await get('/rss.xml')).body).toContain(fresh.slug)
  })

  it('neither serves nor stores public pages for signed-in staff', async () => {
    const login = await loginAs(w.t, w.editor)
    await get('/tin')
    const staff = await get('/tin', { cookie: login.cookie })
    expect(staff.headers['cache-control']).toBe('private, no-store')
    expect(staff.headers['x-cache']).toBeUndefined()
    expect(staff.headers.etag).toBeUndefined()
  })

  it('answers hits before the framework on the real server: same bytes and headers, 304, gzip; sessions and ?lang= go through Fastify', async () => {
    const cache = await publicCacheFor(w.t.app)
    await w.t.app.listen({ port: 0, host: '127.0.0.1' })
    const base = `http://127.0.0.1:${(w.t.app.server.address() as AddressInfo).port}`
    const url = `/tin/${r.slug}`
    const framework = await get(url, { 'accept-encoding': 'identity' })
    expect(framework.headers['x-cache']).toMatch(/hit|miss/)
    const fast0 = cache.stats.fastHits
    const res = await fetch(base + url, { headers: { 'accept-encoding': 'identity', 'x-request-id': 'req-12345678' } })
    const body = await res.text()
    expect(cache.stats.fastHits).toBe(fast0 + 1)
    expect(res.status).toBe(200)
    expect(body).toBe(framework.body)
    expect(res.headers.get('x-request-id')).toBe('req-12345678')
    expect(res.headers.get('x-cache')).toBe('hit')
    // Every header the framework sends (security headers included), with the same values.
    // (s-maxage counts down to the entry's expiry, so it is compared by shape.)
    const perResponse = new Set(['date', 'x-request-id', 'connection', 'keep-alive', 'x-cache', 'cache-control'])
    expect(res.headers.get('cache-control')).toMatch(/^public, max-age=0, must-revalidate, s-maxage=\d+$/)
    const fastHeaders: Record<string, string> = {}
    res.headers.forEach((v, k) => {
      if (!perResponse.has(k)) fastHeaders[k] = v
    })
    const frameworkHeaders = Object.fromEntries(
      Object.entries(framework.headers)
        .filter(([k]) => !perResponse.has(k))
        .map(([k, v]) => [k, String(v)]),
    )
    expect(fastHeaders).toEqual(frameworkHeaders)
    expect(fastHeaders['content-security-policy']).toContain("default-src 'self'")
    const notModified = await fetch(base + url, { headers: { 'if-none-match': String(res.headers.get('etag')) } })
    expect(notModified.status).toBe(304)
    expect(await notModified.text()).toBe('')
    const gz = await fetch(base + url, { headers: { 'accept-encoding': 'gzip' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    expect(await gz.text()).toBe(body)
    expect(cache.stats.fastHits).toBe(fast0 + 3)
    // A session, ?lang= and HEAD are Fastify's: staff get the private page, never the cache.
    const login = await loginAs(w.t, w.editor)
    const staff = await fetch(base + url, { headers: { cookie: login.cookie } })
    expect(staff.headers.get('cache-control')).toBe('private, no-store')
    await staff.arrayBuffer()
    const lang = await fetch(`${base}${url}?lang=en`)
    expect(lang.headers.get('set-cookie')).toContain('lang=en')
    await lang.arrayBuffer()
    expect((await fetch(base + url, { method: 'HEAD' })).status).toBe(200)
    expect(cache.stats.fastHits).toBe(fast0 + 3)
    // A cookie-chosen locale is served fast from its own entry.
    await get(url, { cookie: 'lang=en' })
    const en = await fetch(base + url, { headers: { cookie: 'lang=en' } })
    expect(await en.text()).toContain('Spokesperson')
    expect(cache.stats.fastHits).toBe(fast0 + 4)
  })
})
