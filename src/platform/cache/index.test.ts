/**
 * The page cache on its own: hits, ETag/304, gzip negotiation, expiry at the next change
 * instant, invalidation per tenant, the render race, bounded size, and no caching for
 * sessions.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import { gunzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { advanceClock, resetClock } from '../clock.ts'
import { acceptsGzip, etagMatches, PageCache } from './index.ts'

let app: FastifyInstance
let cache: PageCache
let renders = 0
let nextChange: Date | null = null
let body = 'Xin chào Thanh Hóa. '.repeat(100)
let hasSession = false
let onRender: () => void = () => undefined

beforeAll(async () => {
  // Shared lifetime as long as the memory one here, so s-maxage shows the countdown to a lift.
  cache = new PageCache({ maxAgeSeconds: 60, sharedMaxAgeSeconds: 60, maxEntries: 3, nextChangeAt: async () => nextChange })
  app = Fastify()
  app.decorateRequest('session', null)
  app.addHook('onRequest', async (req) => {
    ;(req as unknown as { session: unknown }).session = hasSession ? { id: 's' } : null
  })
  app.get('/p/:n', async (req, reply) =>
    cache.serve(req, reply, {
      tenantId: (req.query as { tenant?: string }).tenant ?? 't1',
      variant: 'vi',
      render: (sink) => {
        renders++
        onRender()
        return sink.code(200).header('content-type', 'text/html; charset=utf-8').header('content-language', 'vi').send(body)
      },
    }),
  )
  await app.ready()
})
afterAll(async () => {
  await app.close()
})
afterEach(() => {
  resetClock()
  nextChange = null
  hasSession = false
  onRender = () => undefined
  cache.invalidateTenant()
})

const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers })

describe('page cache', () => {
  it('renders once, then serves the stored bytes with a strong ETag; 304 on If-None-Match', async () => {
    const before = renders
    const a = await get('/p/1')
    const b = await get('/p/1')
    expect(renders - before).toBe(1)
    expect(a.headers['x-cache']).toBe('miss')
    expect(b.headers['x-cache']).toBe('hit')
    expect(b.body).toBe(body)
    expect(b.headers.etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
    expect(b.headers.etag).toBe(a.headers.etag)
    expect(b.headers['cache-control']).toMatch(/^public, max-age=0, must-revalidate, s-maxage=(59|60)$/)
    expect(b.headers.vary).toBe('Accept-Encoding, Cookie')
    expect(b.headers['content-language']).toBe('vi')
    const c = await get('/p/1', { 'if-none-match': String(a.headers.etag) })
    expect(c.statusCode).toBe(304)
    expect(c.body).toBe('')
    expect(c.headers.etag).toBe(a.headers.etag)
    expect((await get('/p/1', { 'if-none-match': '"other"' })).statusCode).toBe(200)
  })

  it('serves gzip when accepted', async () => {
    const gz = await get('/p/2', { 'accept-encoding': 'gzip, deflate, br' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gunzipSync(gz.rawPayload).toString('utf8')).toBe(body)
    expect(Number(gz.headers['content-length'])).toBeLessThan(Buffer.byteLength(body) / 5)
    const plain = await get('/p/2', { 'accept-encoding': 'gzip;q=0, identity' })
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body).toBe(body)
    expect(acceptsGzip('*')).toBe(true)
    expect(acceptsGzip('br')).toBe(false)
    expect(acceptsGzip('GZIP;q=0.5')).toBe(true)
    expect(etagMatches('W/"a", "b"', '"b"')).toBe(true)
    expect(etagMatches('*', '"b"')).toBe(true)
  })

  it('never keeps an entry, nor lets browsers keep it, past the next change instant', async () => {
    nextChange = new Date(Date.now() + 20_000)
    const a = await get('/p/3')
    expect(a.headers['cache-control']).toMatch(/^public, max-age=0, must-revalidate, s-maxage=(19|20)$/)
    advanceClock(10_000)
    const b = await get('/p/3')
    expect(b.headers['x-cache']).toBe('hit')
    expect(b.headers['cache-control']).toMatch(/^public, max-age=0, must-revalidate, s-maxage=(9|10)$/)
    advanceClock(10_001)
    const before = renders
    // The lift instant has passed (the lift itself has not run yet): never stored again.
    const c = await get('/p/3')
    expect(c.headers['x-cache']).toBe('miss')
    expect(c.headers['cache-control']).toBe('public, max-age=0, must-revalidate')
    expect((await get('/p/3')).headers['x-cache']).toBe('miss')
    expect(renders - before).toBe(2)
  })

  it('drops a tenant on invalidation, and stores nothing rendered across an invalidation', async () => {
    await get('/p/4?tenant=t1')
    await get('/p/4?tenant=t2')
    cache.invalidateTenant('t1')
    expect((await get('/p/4?tenant=t1')).headers['x-cache']).toBe('miss')
    expect((await get('/p/4?tenant=t2')).headers['x-cache']).toBe('hit')
    // A publish lands while the page renders: the rendered (stale) page is not stored.
    onRender = () => cache.invalidateTenant('t1')
    await get('/p/5?tenant=t1')
    onRender = () => undefined
    expect((await get('/p/5?tenant=t1')).headers['x-cache']).toBe('miss')
    expect((await get('/p/5?tenant=t1')).headers['x-cache']).toBe('hit')
  })

  it('is bounded: the least recently used entry goes first', async () => {
    await get('/p/a')
    await get('/p/b')
    await get('/p/c')
    await get('/p/a')
    await get('/p/d')
    expect(cache.size).toBe(3)
    expect((await get('/p/a')).headers['x-cache']).toBe('hit')
    expect((await get('/p/b')).headers['x-cache']).toBe('miss')
  })

  it('neither stores nor serves cached pages for a request with a session', async () => {
    await get('/p/6')
    hasSession = true
    const before = renders
    const res = await get('/p/6')
    expect(renders - before).toBe(1)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.headers['x-cache']).toBeUndefined()
    expect(res.headers.etag).toBeUndefined()
    body = `${body}!`
    await get('/p/7')
    hasSession = false
    expect((await get('/p/7')).headers['x-cache']).toBe('miss')
  })
})
