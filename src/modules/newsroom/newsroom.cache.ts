/**
 * The app's cache of public pages: one `PageCache` per app, invalidated across processes.
 * `donghanh_public` (publish, correction, withdrawal, gone; payload = tenant id) drops the
 * tenant's pages; `donghanh_schedule` (a lift time set or removed) drops everything, since the
 * next lift — which bounds every entry's lifetime — may now be sooner. After a reconnect of the
 * listener every handler is called with an empty payload: everything is dropped.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { PageCache } from '../../platform/cache/index.ts'
import { nextLiftAt } from '../releases/releases.public.ts'

const caches = new WeakMap<FastifyInstance, Promise<PageCache>>()

/** Seconds a shared cache (CDN) may serve a public page before revalidating it (s-maxage). */
export const PUBLIC_SHARED_MAX_AGE_SECONDS = 5

/** The public page cache of `app`, created (and subscribed to invalidations) on first use. */
export function publicCacheFor(app: FastifyInstance): Promise<PageCache> {
  // Route modules are registered on the root instance, so one cache serves them all.
  let cache = caches.get(app)
  if (!cache) {
    cache = (async () => {
      const { database, events } = app.ctx
      // 60 s in memory (dropped at once on any change, over NOTIFY); 5 s in a CDN, which no
      // one tells of a withdrawal: see ARCHITECTURE.md, "Public pages and CDNs".
      const c = new PageCache({
        maxAgeSeconds: 60,
        sharedMaxAgeSeconds: PUBLIC_SHARED_MAX_AGE_SECONDS,
        maxEntries: 2000,
        nextChangeAt: (tenantId) => nextLiftAt(database.db, tenantId),
      })
      await events.on('donghanh_public', (tenantId) => c.invalidateTenant(tenantId || undefined))
      await events.on('donghanh_schedule', () => c.invalidateTenant())
      // Hits for anonymous readers are answered before Fastify (same bytes and headers).
      app.ctx.fastPath.use(c.fastHandler(app.ctx.tenant.id))
      return c
    })()
    caches.set(app, cache)
  }
  return cache
}

/** Serves a public page of the app's tenant through the cache (HTML: keyed by locale too). */
export async function servePublic(
  cache: PageCache,
  req: FastifyRequest,
  reply: FastifyReply,
  render: (sink: FastifyReply) => unknown,
  o: { localized?: boolean } = {},
): Promise<FastifyReply> {
  const lang = (req.query as Record<string, unknown> | undefined)?.lang
  return cache.serve(req, reply, {
    tenantId: req.server.ctx.tenant.id,
    variant: o.localized === false ? '' : req.locale,
    render,
    // `?lang=` sets the language cookie on this response: not for shared caches.
    shared: lang !== 'vi' && lang !== 'en',
  })
}
