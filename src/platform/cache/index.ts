/**
 * The public read path's page cache. Rendered public responses (pages, feeds, sitemap) are
 * kept in memory as Buffers — raw and gzip — with a strong ETag, so a hit is a map lookup and
 * one `reply.send(buffer)`. Entries of a tenant are dropped when its public content changes
 * (the owner wires LISTEN/NOTIFY to `invalidateTenant`), and every entry also expires at the
 * tenant's next lift instant: a page rendered before an embargo lifts is never served after
 * it. `Cache-Control: max-age` is short and never reaches past that instant either (whitehall:
 * "cache lifetime shortened as a release nears"). Shared caches (a CDN) get a shorter lifetime
 * still (`sharedMaxAgeSeconds`, s-maxage) and must revalidate with the ETag afterwards: this
 * cache is dropped at once on a withdrawal or correction, a CDN cannot be told, so what bounds
 * a stale copy there is s-maxage alone (see ARCHITECTURE.md, "Public pages and CDNs").
 *
 * Responses for a request with a session (staff, partners) are never stored nor served from
 * here, and carry `Cache-Control: private, no-store`.
 */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { gzipSync } from 'node:zlib'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { now } from '../clock.ts'
import { cookieValue, type FastHandler, requestIdOf } from '../http/fast-path.ts'
import { observeRequest } from '../http/metrics.ts'

/** Settings of a page cache. */
export interface PageCacheOptions {
  /** Longest lifetime in seconds in memory (default 60). */
  maxAgeSeconds?: number
  /**
   * Longest lifetime in shared caches (`s-maxage`; default 5, at most `maxAgeSeconds`): how long
   * a CDN may go on serving a page after it was withdrawn or corrected.
   */
  sharedMaxAgeSeconds?: number
  /** At most this many entries (least recently used go first; default 2000). */
  maxEntries?: number
  /** At most this many bytes of bodies, raw + gzip (default 64 MiB). */
  maxBytes?: number
  /** The tenant's next instant at which public content changes by itself (an embargo lift). */
  nextChangeAt: (tenantId: string) => Promise<Date | null>
}

/** One stored response. */
interface Entry {
  tenantId: string
  status: number
  headers: Record<string, string>
  raw: Buffer
  gzip: Buffer | null
  etag: string
  /** Epoch ms (on the injectable clock) after which the entry is stale. */
  expiresAt: number
  size: number
  /**
   * Set when the fast path may answer this entry (a public route, a shared response): the
   * route (for metrics) and the headers the framework had set before the render (security
   * headers), replayed as they were.
   */
  fast: FastEntry | null
}

/**
 * What the fast path needs of an entry: its route (for metrics) and its constant headers as
 * flat `[name, value, …]` lists, built once when stored — Node checks a flat list several times
 * faster than an object of headers, and a hit must cost little more than the write.
 */
interface FastEntry {
  route: string
  /** Headers of a full response: those set before the render, the render's kept ones, etag, vary. */
  full: string[]
  /** The same for a 304 (no content-type). */
  notModified: string[]
}

/** What a render produced (captured from a reply-like sink). */
interface Captured {
  status: number
  headers: Record<string, string>
  body: unknown
}

/** Statuses worth storing (a page, a permanent redirect, a gone notice). Errors are not stored. */
const STORABLE = new Set([200, 301, 410])
/** Headers of a render that are replayed from the cache. */
const KEPT_HEADERS = new Set(['content-type', 'content-language', 'x-robots-tag', 'link', 'location'])
/** Headers set before the render that are per request or per response, never replayed by the fast path. */
const OWN_HEADERS = new Set([
  'x-request-id',
  'set-cookie',
  'content-length',
  'content-encoding',
  'etag',
  'cache-control',
  'vary',
  'x-cache',
  ...KEPT_HEADERS,
])

/** An in-memory LRU of rendered public responses, invalidated per tenant. */
export class PageCache {
  readonly maxAgeSeconds: number
  readonly sharedMaxAgeSeconds: number
  private readonly maxEntries: number
  private readonly maxBytes: number
  private readonly nextChangeAt: (tenantId: string) => Promise<Date | null>
  private readonly entries = new Map<string, Entry>()
  private readonly generations = new Map<string, number>()
  private readonly lifts = new Map<string, { at: number | null; generation: number }>()
  private globalGeneration = 0
  private bytes = 0
  /** Counters for tests and metrics. */
  readonly stats = { hits: 0, fastHits: 0, misses: 0, stores: 0, invalidations: 0, evictions: 0 }

  constructor(o: PageCacheOptions) {
    this.maxAgeSeconds = o.maxAgeSeconds ?? 60
    this.sharedMaxAgeSeconds = Math.min(this.maxAgeSeconds, o.sharedMaxAgeSeconds ?? 5)
    this.maxEntries = o.maxEntries ?? 2000
    this.maxBytes = o.maxBytes ?? 64 * 1024 * 1024
    this.nextChangeAt = o.nextChangeAt
  }

  /** Number of stored entries. */
  get size(): number {
    return this.entries.size
  }

  /** Drops everything of `tenantId` (or of every tenant when undefined or empty). */
  invalidateTenant(tenantId?: string): void {
    this.stats.invalidations++
    if (!tenantId) {
      this.entries.clear()
      this.bytes = 0
      this.lifts.clear()
      for (const k of this.generations.keys()) this.generations.set(k, (this.generations.get(k) ?? 0) + 1)
      this.globalGeneration++
      return
    }
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1)
    this.lifts.delete(tenantId)
    for (const [key, e] of this.entries) {
      if (e.tenantId === tenantId) this.remove(key, e)
    }
  }

  private generation(tenantId: string): string {
    return `${this.globalGeneration}.${this.generations.get(tenantId) ?? 0}`
  }

  private remove(key: string, e: Entry): void {
    this.entries.delete(key)
    this.bytes -= e.size
  }

  /** The live entry for `key`, refreshed as most recently used. */
  private get(key: string): Entry | undefined {
    const e = this.entries.get(key)
    if (!e) return undefined
    if (e.expiresAt <= now().getTime()) {
      this.remove(key, e)
      return undefined
    }
    this.entries.delete(key)
    this.entries.set(key, e)
    return e
  }

  private put(key: string, e: Entry): void {
    const old = this.entries.get(key)
    if (old) this.remove(key, old)
    if (e.size > this.maxBytes) return
    this.entries.set(key, e)
    this.bytes += e.size
    this.stats.stores++
    for (const [k, victim] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.bytes <= this.maxBytes) break
      this.remove(k, victim)
      this.stats.evictions++
    }
  }

  /** The tenant's next lift instant (epoch ms) or null, remembered until it passes or content changes. */
  private async nextLift(tenantId: string): Promise<number | null> {
    const known = this.lifts.get(tenantId)
    const gen = this.generations.get(tenantId) ?? 0
    if (known && known.generation === gen && (known.at === null || known.at > now().getTime())) return known.at
    const at = (await this.nextChangeAt(tenantId))?.getTime() ?? null
    if ((this.generations.get(tenantId) ?? 0) === gen) this.lifts.set(tenantId, { at, generation: gen })
    return at
  }

  /**
   * Serves the response of `req` from the cache, or renders it with `render` (which must send
   * through the reply it is given, e.g. `sendPage(req, sink, …)`), stores it and serves it.
   * A request with a session is rendered straight to the client with `private, no-store`.
   */
  async serve(
    req: FastifyRequest,
    reply: FastifyReply,
    o: {
      tenantId: string
      /** Part of the key besides the URL, e.g. the locale of an HTML page. */
      variant?: string
      /** Renders through `sink`. */
      render: (sink: FastifyReply) => unknown
      /** False when this response sets a cookie: shared caches must then not keep it (`private`). */
      shared?: boolean
    },
  ): Promise<FastifyReply> {
    if (req.session) {
      reply.header('cache-control', 'private, no-store')
      await o.render(reply)
      return reply
    }
    const key = cacheKey(o.tenantId, o.variant ?? '', req.url)
    const hit = this.get(key)
    if (hit) {
      this.stats.hits++
      return this.send(req, reply, hit, 'hit', o.shared !== false)
    }
    this.stats.misses++
    const generation = this.generation(o.tenantId)
    const lift = await this.nextLift(o.tenantId)
    const captured = await capture(reply, o.render)
    const raw = toBuffer(captured.body)
    const headers: Record<string, string> = {}
    for (const [k, v] of Object.entries(captured.headers)) if (KEPT_HEADERS.has(k)) headers[k] = v
    const gz = raw.length > 512 ? gzipSync(raw, { level: 6 }) : null
    const shared = o.shared !== false
    let fast: Entry['fast'] = null
    let common: [string, string][] = []
    if (shared && req.method === 'GET' && req.routeOptions.config.access === 'public' && req.routeOptions.url) {
      common = []
      for (const [k, v] of Object.entries(reply.getHeaders())) {
        if (v === undefined || OWN_HEADERS.has(k)) continue
        for (const one of Array.isArray(v) ? v : [v]) common.push([k, String(one)])
      }
      fast = { route: req.routeOptions.url, full: [], notModified: [] }
    }
    const at = now().getTime()
    const expiresAt = Math.min(at + this.maxAgeSeconds * 1000, lift ?? Number.POSITIVE_INFINITY)
    const entry: Entry = {
      tenantId: o.tenantId,
      status: captured.status,
      headers,
      raw,
      gzip: gz && gz.length < raw.length ? gz : null,
      etag: `"${createHash('sha256').update(raw).digest('base64url').slice(0, 27)}"`,
      expiresAt,
      size: raw.length + (gz?.length ?? 0) + key.length,
      fast,
    }
    if (fast) fillFastHeaders(fast, common, entry)
    // Stored only if nothing changed while rendering (a publish in between would otherwise
    // leave a stale page) and if no lift is already due.
    if (STORABLE.has(entry.status) && expiresAt > at && this.generation(o.tenantId) === generation) this.put(key, entry)
    return this.send(req, reply, entry, 'miss', o.shared !== false)
  }

  /** The cache's own headers of a response from `e` (besides those the render set). */
  private cacheHeaders(e: Entry, state: 'hit' | 'miss', shared: boolean): Record<string, string> {
    return { etag: e.etag, 'cache-control': this.cacheControl(e, shared), vary: varyOf(e), 'x-cache': state }
  }

  /**
   * `Cache-Control` of a response from `e`. Browsers revalidate every time (ETag → 304), so a
   * correction shows on the next visit; shared caches may keep it for `sharedMaxAgeSeconds` or
   * until the next lift, whichever is first, then must revalidate (a 304 from memory).
   */
  private cacheControl(e: Entry, shared: boolean): string {
    const maxAge = Math.max(0, Math.min(this.sharedMaxAgeSeconds, Math.floor((e.expiresAt - now().getTime()) / 1000)))
    const scope = shared ? 'public' : 'private'
    return maxAge > 0 && shared ? `${scope}, max-age=0, must-revalidate, s-maxage=${maxAge}` : `${scope}, max-age=0, must-revalidate`
  }

  private send(req: FastifyRequest, reply: FastifyReply, e: Entry, state: 'hit' | 'miss', shared: boolean): FastifyReply {
    for (const [k, v] of Object.entries(e.headers)) reply.header(k, v)
    for (const [k, v] of Object.entries(this.cacheHeaders(e, state, shared))) reply.header(k, v)
    if (e.status === 200 && etagMatches(req.headers['if-none-match'], e.etag)) return reply.code(304).send()
    reply.code(e.status)
    if (e.gzip && acceptsGzip(req.headers['accept-encoding'])) return reply.header('content-encoding', 'gzip').send(e.gzip)
    return reply.send(e.raw)
  }

  /**
   * The fast path of this cache (see platform/http/fast-path.ts): answers an anonymous GET
   * (no session cookie, no `?lang=`) whose entry is live and was stored from a public route,
   * with the same status, headers and bytes as {@link serve} would send. Locale as the app
   * reads it: the `lang` cookie; keys as {@link serve} makes them (localised pages under the
   * locale, others under '').
   */
  fastHandler(tenantId: string): FastHandler {
    return (req: IncomingMessage, res: ServerResponse): boolean => {
      const url = req.url
      if (req.method !== 'GET' || !url || url.includes('lang=')) return false
      const cookie = req.headers.cookie
      if (cookie?.includes('dh_sid=')) return false
      const t0 = performance.now()
      const locale = cookieValue(cookie, 'lang') === 'en' ? 'en' : 'vi'
      const key = cacheKey(tenantId, locale, url)
      const e = this.get(key) ?? this.get(cacheKey(tenantId, '', url))
      if (!e?.fast) return false
      this.stats.hits++
      this.stats.fastHits++
      const cacheControl = this.cacheControl(e, true)
      const requestId = requestIdOf(req)
      let status = e.status
      let headers: string[]
      let body: Buffer | null = e.raw
      if (e.status === 200 && etagMatches(req.headers['if-none-match'], e.etag)) {
        status = 304
        body = null
        headers = [...e.fast.notModified, 'x-request-id', requestId, 'cache-control', cacheControl]
      } else {
        headers = [...e.fast.full, 'x-request-id', requestId, 'cache-control', cacheControl]
        if (e.gzip && acceptsGzip(req.headers['accept-encoding'])) {
          headers.push('content-encoding', 'gzip')
          body = e.gzip
        }
        headers.push('content-length', String(body.length))
      }
      res.writeHead(status, headers)
      res.end(body ?? undefined)
      observeRequest('GET', e.fast.route, status, (performance.now() - t0) / 1000)
      return true
    }
  }
}

/** `Vary` of a response from `e`: a localised page also varies by the locale cookie. */
function varyOf(e: Entry): string {
  return e.headers['content-language'] ? 'Accept-Encoding, Cookie' : 'Accept-Encoding'
}

/** Builds the fast path's flat header lists of `e` from the headers set before its render. */
function fillFastHeaders(fast: FastEntry, common: [string, string][], e: Entry): void {
  const own: [string, string][] = [...Object.entries(e.headers), ['etag', e.etag], ['vary', varyOf(e)], ['x-cache', 'hit']]
  for (const [k, v] of [...common, ...own]) {
    fast.full.push(k, v)
    if (k !== 'content-type') fast.notModified.push(k, v)
  }
}

/** The key of a response: tenant, variant (the locale of a localised page, else ''), URL. */
function cacheKey(tenantId: string, variant: string, url: string): string {
  return `${tenantId}|${variant}|${url}`
}

/** Runs `render` against a stand-in reply that records status, headers and body instead of sending. */
async function capture(reply: FastifyReply, render: (sink: FastifyReply) => unknown): Promise<Captured> {
  const out: Captured = { status: 200, headers: {}, body: '' }
  const sink = Object.create(reply) as FastifyReply
  // A Fastify reply is thenable (it resolves when the response is finished); the stand-in
  // must not be, or awaiting a render that returns it would wait for a response never sent.
  Object.defineProperty(sink, 'then', { value: undefined })
  Object.assign(sink, {
    code(status: number) {
      out.status = status
      return sink
    },
    status(status: number) {
      out.status = status
      return sink
    },
    header(name: string, value: unknown) {
      out.headers[name.toLowerCase()] = String(value)
      return sink
    },
    type(value: string) {
      out.headers['content-type'] = value
      return sink
    },
    send(body: unknown) {
      out.body = body
      return sink
    },
  })
  await render(sink)
  return out
}

function toBuffer(body: unknown): Buffer {
  if (Buffer.isBuffer(body)) return body
  if (typeof body === 'string') return Buffer.from(body, 'utf8')
  return Buffer.from(JSON.stringify(body ?? null), 'utf8')
}

/** True when an `If-None-Match` header names `etag` (or `*`); weak comparison as RFC 9110 asks for GET. */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false
  if (header.trim() === '*') return true
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)
}

/** True when an `Accept-Encoding` header accepts gzip (q > 0, or `*`). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false
  let star = false
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';')
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='))
    const weight = q ? Number(q.slice(2)) : 1
    if (name === 'gzip' || name === 'x-gzip') return weight > 0
    if (name === '*') star = weight > 0
  }
  return star
}
