/**
 * The public routes of warnings: the list (`/canh-bao`), a warning's page, its share cards,
 * its CAP 1.2 messages and the active-alerts Atom feed. Everything is read through the public
 * rule (`warnings.public.ts`) and `cap/cap-of.ts`, never the working copy. A closed warning
 * about a person shows only the notice that it was closed; its cards and earlier CAP messages
 * answer 410 Gone (its closing Cancel, which names no one, stays). A cancelled warning about a
 * person is treated alike (only its neutral Cancel remains), as the CAP writer does.
 *
 * HTML, CAP and the feed go through the warnings' page cache (dropped by the public-change
 * NOTIFY of every publication, expiring when a warning starts or ends); share cards are
 * rendered per version and answered with an ETag of that version.
 */
import { createHash } from 'node:crypto'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { etagMatches } from '../../../platform/cache/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { svgToPng } from '../../../platform/html/raster.ts'
import { t } from '../../../platform/i18n/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { capXmlOfVersion } from '../cap/cap-of.ts'
import { warningUrn } from '../cap/cap.ts'
import { activeAlertsFeed } from '../cap/feed.ts'
import { WARNINGS_FEED_PATH, WARNINGS_PATH, warningCapPath, warningPath } from '../warnings.paths.ts'
import {
  type PublicWarning,
  publicWarningBySlug,
  publicWarningHistory,
  publicWarningList,
  publicWarnings,
  publishedWarningRef,
} from '../warnings.public.ts'
import { PERSON_KINDS } from '../warnings.types.ts'
import { communesMatching } from './commune-match.ts'
import { servePublic } from '../../newsroom/newsroom.cache.ts'
import { warningsCacheFor } from './public.cache.ts'
import { areaText, isWithdrawnPerson, kindOfSlug, listPage, takenDownPage, warningPage } from './public.pages.tsx'
import { warningCardSvg } from './warning-card.ts'

/** `Cache-Control` of the share cards: short for browsers, shorter for shared caches (a closing must show soon). */
export const CARD_CACHE_CONTROL = 'public, max-age=60, s-maxage=5'
/** Content type of a CAP message. */
export const CAP_CONTENT_TYPE = 'application/cap+xml; charset=utf-8'

const ListQuery = Type.Object({
  loai: Type.Optional(Type.String({ maxLength: 50 })),
  xa: Type.Optional(Type.String({ maxLength: 200 })),
})
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) })
const CapVersionParams = Type.Object({ slug: Type.String({ maxLength: 200 }), file: Type.String({ maxLength: 20 }) })

// Rendered cards by ETag (version, format, office): a version never changes, so no invalidation.
const CARD_MEMO_SIZE = 100
const cardMemo = new Map<string, Buffer>()

/** Answers 410 Gone: the warning existed publicly and was taken down. */
function gone(reply: FastifyReply): FastifyReply {
  return reply.code(410).header('content-type', 'text/plain; charset=utf-8').header('x-robots-tag', 'noindex').send(t('vi', 'wpub.gone'))
}

/** Registers the public warnings routes. */
export async function registerWarningPublicRoutes(app: TypedApp): Promise<void> {
  const { database, config } = app.ctx
  const db = database.db
  const cache = await warningsCacheFor(app)
  const pub = { access: 'public' as const }
  const tenantOf = () => app.ctx.tenant

  app.get(WARNINGS_PATH, { config: pub, schema: { hide: true, querystring: ListQuery } }, async (req, reply) =>
    servePublic(cache, req, reply, async (sink) => {
      const kindInput = (req.query.loai ?? '').trim()
      const communeInput = (req.query.xa ?? '').trim()
      const kind = kindInput ? kindOfSlug(kindInput) : undefined
      const communes = communeInput ? communesMatching(communeInput) : undefined
      const rows = await publicWarningList(db, tenantOf().id, {
        kinds: kind ? [kind] : undefined,
        communes: communes?.map((c) => c.code),
      })
      return listPage({ req, reply: sink }, { rows, at: now(), kindInput, communeInput, kind, communes })
    }),
  )

  // The active-alerts feed (in force only), read by alert aggregators.
  app.get(WARNINGS_FEED_PATH, { config: pub, schema: { hide: true } }, async (req, reply) =>
    servePublic(
      cache,
      req,
      reply,
      async (sink) => {
        const tenant = tenantOf()
        const rows = (await publicWarnings(db, tenant.id, { limit: 200 })).filter((w) => w.inForce)
        const xml = activeAlertsFeed(
          rows.map((w) => ({
            id: warningUrn(config.publicUrl, w.id),
            title: w.snapshot.titleVi,
            summary: w.snapshot.descriptionVi,
            published: w.firstPublishedAt,
            updated: w.sentAt,
            pageUrl: `${config.publicUrl}${warningPath(w.slug)}`,
            capUrl: `${config.publicUrl}${warningCapPath(w.slug)}`,
          })),
          {
            feedUrl: `${config.publicUrl}${WARNINGS_FEED_PATH}`,
            listUrl: `${config.publicUrl}${WARNINGS_PATH}`,
            title: t('vi', 'wpub.feed.title', { office: tenant.name }),
            authorName: tenant.name,
            now: now(),
          },
        )
        return sink.header('content-type', 'application/atom+xml; charset=utf-8').send(xml)
      },
      { localized: false },
    ),
  )

  app.get(`${WARNINGS_PATH}/:slug`, { config: pub, schema: { hide: true, params: SlugParams } }, async (req, reply) =>
    servePublic(cache, req, reply, async (sink) => {
      const tenant = tenantOf()
      const found = await publicWarningBySlug(db, tenant.id, req.params.slug)
      if (found.kind === 'none') throw new AppError('NOT_FOUND')
      const ctx = { req, reply: sink }
      if (found.kind === 'closed') return takenDownPage(ctx, { kind: 'closed', closeReason: found.closeReason, at: found.closedAt })
      const w = found.warning
      if (isWithdrawnPerson(w)) return takenDownPage(ctx, { kind: 'cancelled', at: w.cancelledAt })
      const history = await publicWarningHistory(db, tenant.id, w.id)
      return warningPage(ctx, { w, history, tenant, publicUrl: config.publicUrl, at: now() })
    }),
  )

  /** The CAP XML of one version, or 404 (never existed) / 410 (taken down). */
  const cap = async (reply: FastifyReply, slug: string, version: number | 'latest') => {
    const ref = await publishedWarningRef(db, tenantOf().id, slug)
    if (!ref) throw new AppError('NOT_FOUND')
    const v = version === 'latest' ? ref.version : version
    if (v < 1 || v > ref.version) throw new AppError('NOT_FOUND')
    // Of a warning about a person that came down, only the last (neutral) Cancel remains.
    if (v !== ref.version && (ref.state === 'closed' || (ref.state === 'cancelled' && PERSON_KINDS.includes(ref.kind)))) return gone(reply)
    const xml = await capXmlOfVersion(db, tenantOf().id, ref.id, v, config.publicUrl)
    if (!xml) return gone(reply)
    return reply.header('content-type', CAP_CONTENT_TYPE).send(xml)
  }
  app.get(`${WARNINGS_PATH}/:slug/cap.xml`, { config: pub, schema: { hide: true, params: SlugParams } }, async (req, reply) =>
    servePublic(cache, req, reply, (sink) => cap(sink, req.params.slug, 'latest'), { localized: false }),
  )
  app.get(`${WARNINGS_PATH}/:slug/cap/:file`, { config: pub, schema: { hide: true, params: CapVersionParams } }, async (req, reply) => {
    const m = /^([1-9]\d{0,5})\.xml$/.exec(req.params.file)
    if (!m) throw new AppError('NOT_FOUND')
    return servePublic(cache, req, reply, (sink) => cap(sink, req.params.slug, Number(m[1])), { localized: false })
  })

  const card =
    (format: 'wide' | 'story') => async (req: { params: { slug: string }; headers: Record<string, unknown> }, reply: FastifyReply) => {
      const tenant = tenantOf()
      const found = await publicWarningBySlug(db, tenant.id, req.params.slug)
      if (found.kind === 'none') throw new AppError('NOT_FOUND')
      if (found.kind === 'closed' || isWithdrawnPerson(found.warning)) return gone(reply)
      const w: PublicWarning = found.warning
      // The card shows the office's name and hotline too: a change of those is a new card.
      const office = createHash('sha256').update(`${tenant.name}\n${tenant.hotline}\n${config.publicUrl}`).digest('base64url').slice(0, 8)
      const etag = `"w${w.id}-v${w.version}-${format}-${office}"`
      reply.header('etag', etag).header('cache-control', CARD_CACHE_CONTROL)
      if (etagMatches(req.headers['if-none-match'] as string | undefined, etag)) return reply.code(304).send()
      let png = cardMemo.get(etag)
      if (!png) {
        png = svgToPng(
          warningCardSvg(
            {
              level: w.snapshot.level,
              kind: w.snapshot.kind,
              title: w.snapshot.titleVi,
              area: areaText(w.snapshot, 'vi'),
              office: tenant.name,
              link: `${config.publicUrl}${warningPath(w.slug)}`,
              hotline: tenant.hotline,
              updated: w.version >= 2,
            },
            format,
          ),
        )
        if (cardMemo.size >= CARD_MEMO_SIZE) cardMemo.delete(cardMemo.keys().next().value as string)
        cardMemo.set(etag, png)
      }
      return reply.header('content-type', 'image/png').send(png)
    }
  app.get(`${WARNINGS_PATH}/:slug/the.png`, { config: pub, schema: { hide: true, params: SlugParams } }, card('wide'))
  app.get(`${WARNINGS_PATH}/:slug/the-doc.png`, { config: pub, schema: { hide: true, params: SlugParams } }, card('story'))
}
