/**
 * The page cache of the public warning pages (list, page, CAP, feed): the platform's
 * `PageCache`, dropped at once by the public-change NOTIFY that every publication sends
 * (`publishVersion` → `notifyPublicChange`), so the feed shows an urgent Alert as soon as the
 * notice arrives. Its own cache rather than the newsroom's because warnings also change by
 * themselves — they start, expire and leave the ended list — and each entry must expire at the
 * next such instant (`nextWarningChangeAt`), as the newsroom's expire at the next embargo lift.
 */
import type { FastifyInstance } from 'fastify'
import { PageCache } from '../../../platform/cache/index.ts'
import { nextWarningChangeAt } from '../warnings.public.ts'

const caches = new WeakMap<FastifyInstance, Promise<PageCache>>()

/** The warnings' public page cache of `app`, created (and subscribed to invalidations) on first use. */
export function warningsCacheFor(app: FastifyInstance): Promise<PageCache> {
  let cache = caches.get(app)
  if (!cache) {
    cache = (async () => {
      const { database, events } = app.ctx
      const c = new PageCache({
        maxAgeSeconds: 60,
        sharedMaxAgeSeconds: 5,
        maxEntries: 1000,
        nextChangeAt: (tenantId) => nextWarningChangeAt(database.db, tenantId),
      })
      await events.on('donghanh_public', (tenantId) => c.invalidateTenant(tenantId || undefined))
      await events.on('donghanh_schedule', () => c.invalidateTenant())
      app.ctx.fastPath.use(c.fastHandler(app.ctx.tenant.id))
      return c
    })()
    caches.set(app, cache)
  }
  return cache
}
