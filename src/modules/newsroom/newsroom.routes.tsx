/**
 * The public newsroom: release pages (`/tin/:slug`), lists by kind, category and commune,
 * search, feeds, sitemap, robots.txt, the verify page, the JSON API and the journalists'
 * embargo list. Public GET pages go through the page cache; every query goes through the
 * visibility rule of `releases.public.ts`.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import QRCode from 'qrcode'
import { AppError } from '../../platform/errors.ts'
import { formatTime } from '../../platform/html/layout.tsx'
import { pageForTooLarge, TEXT_FORM_BODY_LIMIT } from '../../platform/html/too-long.tsx'
import { svgToPng } from '../../platform/html/raster.ts'
import { t } from '../../platform/i18n/index.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { communeByCode } from '../reference/communes.ts'
import {
  findPublicRelease,
  listPublicReleases,
  listPublicSitemap,
  publicEditionHistory,
  publicFacets,
} from '../releases/releases.public.ts'
import { searchPublicReleases } from './search-planner.ts'
import { RELEASE_KINDS } from '../releases/releases.tables.ts'
import { atomFeed, type FeedSite, jsonFeed, robotsTxt, rssFeed, type SitemapEntry, sitemapXml } from './feeds.ts'
import { registerNewsroomApi } from './newsroom.api.ts'
import { publicCacheFor, servePublic } from './newsroom.cache.ts'
import { gonePage, listPage, releasePage, searchPage } from './newsroom.pages.tsx'
import { absoluteUrl, categoryPath, categorySlug, communePath, kindFromSlug, kindPath, releasePath } from './newsroom.paths.ts'
import { highlight, matchRanges, parseSearchQuery, snippet, toTsQuery } from './search.ts'
import { classifyInput, MAX_VERIFY_INPUT_CHARS, type VerifyOutcome, verifyInput } from './verify.ts'
import { resolveVerifyCode } from '../../platform/verify-codes.ts'
import { releaseCardSvg } from './release-card.ts'
import { verifyPage } from './verify.pages.tsx'
import { acceptImageForm, createImageTextReader, type ImageText, withImageText } from '../../platform/uploads/image-text.tsx'
import { closeSharedOcrEngine } from '../../text/ocr/engine.ts'

/** Releases per list page. */
export const PER_PAGE = 20
/** Items in the feeds. */
export const FEED_SIZE = 50

const PageQuery = Type.Object({ trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })) })
const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 500 })),
  trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
})
const VerifyQuery = Type.Object({ ma: Type.Optional(Type.String({ maxLength: 2000 })) })
// No maxLength here: an over-long paste must reach the handler, which shows it again with the
// limit (MAX_VERIFY_INPUT_CHARS) instead of a raw validation message.
// Optional: a screenshot alone may be checked (multipart with an empty or no text field).
const VerifyBody = Type.Object({ input: Type.Optional(Type.String()) })
const Segment = (name: string) => Type.Object({ [name]: Type.String({ maxLength: 200 }) })

/**
 * The code of an input that no release edition carries (typed, or in an official verify link),
 * as typed; null when the input is no code or a release matched. The verify-code registry is
 * asked for it (certificates and other documents of other modules).
 */
function unmatchedCode(input: string, publicUrl: string, outcome: VerifyOutcome): string | null {
  if (outcome.type === 'code' && !outcome.found) {
    const c = classifyInput(input, publicUrl)
    return c.type === 'code' ? c.raw : null
  }
  if (outcome.type === 'link' && outcome.official && !outcome.found && !outcome.release) {
    try {
      const url = new URL(outcome.url)
      return /^\/xac-minh\/?$/.test(url.pathname) ? url.searchParams.get('ma') : null
    } catch {
      return null
    }
  }
  return null
}

/** Registers the newsroom's routes on the app. */
export async function registerNewsroomRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db
  const cache = await publicCacheFor(app)
  const site: FeedSite = { publicUrl: config.publicUrl, name: tenant.name, description: t('vi', 'public.intro'), email: tenant.email }
  const pub = { access: 'public' as const }

  /** A page of a list: `limit + 1` rows tell whether there is a next page. */
  const page = async (filter: { kind?: string; category?: string; commune?: string }, n: number) => {
    const rows = await listPublicReleases(db, tenant.id, { ...filter, limit: PER_PAGE + 1, offset: (n - 1) * PER_PAGE })
    return { items: rows.slice(0, PER_PAGE), hasNext: rows.length > PER_PAGE }
  }

  app.get('/tin', { config: pub, schema: { hide: true, querystring: PageQuery } }, async (req, reply) => {
    const n = req.query.trang ?? 1
    return servePublic(cache, req, reply, async (sink) => {
      const l = req.locale
      return listPage({ req, reply: sink }, { title: t(l, 'news.all'), current: 'all', path: '/tin', page: n, ...(await page({}, n)) })
    })
  })

  app.get(
    '/tin/loai/:kind',
    { config: pub, schema: { hide: true, params: Segment('kind'), querystring: PageQuery } },
    async (req, reply) => {
      const kind = kindFromSlug(req.params.kind)
      if (!kind) throw new AppError('NOT_FOUND')
      const n = req.query.trang ?? 1
      return servePublic(cache, req, reply, async (sink) => {
        const l = req.locale
        return listPage(
          { req, reply: sink },
          { title: t(l, `news.kindPlural.${kind}`), current: kind, path: kindPath(kind), page: n, ...(await page({ kind }, n)) },
        )
      })
    },
  )

  app.get(
    '/tin/chuyen-muc/:category',
    { config: pub, schema: { hide: true, params: Segment('category'), querystring: PageQuery } },
    async (req, reply) => {
      const slug = req.params.category
      const n = req.query.trang ?? 1
      return servePublic(cache, req, reply, async (sink) => {
        const category = (await publicFacets(db, tenant.id)).categories.find((c) => categorySlug(c) === slug)
        if (!category) throw new AppError('NOT_FOUND')
        const l = req.locale
        return listPage(
          { req, reply: sink },
          { title: `${t(l, 'news.category')}: ${category}`, path: categoryPath(category), page: n, ...(await page({ category }, n)) },
        )
      })
    },
  )

  app.get(
    '/tin/xa-phuong/:code',
    { config: pub, schema: { hide: true, params: Segment('code'), querystring: PageQuery } },
    async (req, reply) => {
      const code = req.params.code
      const commune = communeByCode(code)
      if (!commune) throw new AppError('NOT_FOUND')
      const n = req.query.trang ?? 1
      return servePublic(cache, req, reply, async (sink) => {
        const l = req.locale
        return listPage(
          { req, reply: sink },
          { title: `${t(l, 'news.commune')}: ${commune.name}`, path: communePath(code), page: n, ...(await page({ commune: code }, n)) },
        )
      })
    },
  )

  // The share card of a release without an image of its own (named by its og:image): only
  // for a listed, published release — the same look-up as the page, so nothing shows early.
  app.get('/tin/:slug/anh-chia-se.png', { config: pub, schema: { hide: true, params: Segment('slug') } }, async (req, reply) => {
    const slug = req.params.slug
    return servePublic(
      cache,
      req,
      reply,
      async (sink) => {
        const found = await findPublicRelease(db, tenant.id, slug)
        if (!found || 'redirectTo' in found || found.release.status !== 'published') throw new AppError('NOT_FOUND')
        const r = found.release
        const svg = releaseCardSvg({
          kind: r.kind,
          title: r.title,
          summary: r.summary,
          unit: tenant.name,
          link: absoluteUrl(config.publicUrl, releasePath(r.slug)),
          date: formatTime(r.lastPublishedAt, 'vi'),
          code: r.verificationCode,
        })
        return sink.header('content-type', 'image/png').send(svgToPng(svg))
      },
      { localized: false },
    )
  })

  app.get('/tin/:slug', { config: pub, schema: { hide: true, params: Segment('slug') } }, async (req, reply) => {
    const slug = req.params.slug
    return servePublic(cache, req, reply, async (sink) => {
      const found = await findPublicRelease(db, tenant.id, slug)
      if (!found) throw new AppError('NOT_FOUND')
      if ('redirectTo' in found) return sink.code(301).header('location', releasePath(found.redirectTo)).send('')
      const r = found.release
      if (r.status === 'gone') return gonePage({ req, reply: sink })
      const history = await publicEditionHistory(db, r.id)
      const qrDataUrl = r.verificationCode
        ? await QRCode.toDataURL(absoluteUrl(config.publicUrl, `/xac-minh?ma=${encodeURIComponent(r.verificationCode)}`), {
            margin: 1,
            width: 264,
            errorCorrectionLevel: 'M',
          })
        : null
      return releasePage({ req, reply: sink }, { r, history, qrDataUrl, publicUrl: config.publicUrl, tenant })
    })
  })

  app.get('/tim-kiem', { config: pub, schema: { hide: true, querystring: SearchQuery } }, async (req, reply) => {
    const query = req.query
    const q = (query.q ?? '').trim()
    const n = query.trang ?? 1
    return servePublic(cache, req, reply, async (sink) => {
      const parsed = parseSearchQuery(q)
      const tsq = toTsQuery(parsed)
      const rows = tsq ? await searchPublicReleases(db, tenant.id, tsq, { limit: PER_PAGE + 1, offset: (n - 1) * PER_PAGE }) : []
      const hits = rows.slice(0, PER_PAGE).map((r) => {
        // The stored search text starts with the title; the excerpt shows what follows it.
        const rest = r.searchText.startsWith(r.title) ? r.searchText.slice(r.title.length) : r.searchText
        // One block per line: keep blocks apart in the one-line excerpt.
        const text = rest.trim().replace(/\s*\n\s*/g, ' · ')
        return { r, title: highlight(r.title, matchRanges(r.title, parsed)), excerpt: snippet(text, parsed) }
      })
      return searchPage(
        { req, reply: sink },
        { q, hits, total: rows[0]?.total ?? 0, page: n, hasNext: rows.length > PER_PAGE, searched: !!tsq },
      )
    })
  })

  const verify = async (req: Parameters<typeof verifyPage>[0]['req'], reply: FastifyReply, input: string, image?: ImageText | null) => {
    // An input over the limit is not looked up: it comes back in the form with the limit.
    if (input.length > MAX_VERIFY_INPUT_CHARS) {
      return verifyPage({ req, reply }, { input, outcome: null, publicUrl: config.publicUrl, tooLong: 'kept', image })
    }
    const outcome = input.trim() ? await verifyInput(db, tenant.id, config.publicUrl, input) : null
    // Releases first; a code no edition carries may be another module's (certificates).
    const code = outcome ? unmatchedCode(input, config.publicUrl, outcome) : null
    const other = code ? await resolveVerifyCode(db, tenant.id, code) : null
    return verifyPage({ req, reply }, { input, outcome, other, publicUrl: config.publicUrl, image })
  }
  app.get('/xac-minh', { config: pub, schema: { hide: true, querystring: VerifyQuery } }, async (req, reply) =>
    verify(req, reply, req.query.ma ?? ''),
  )
  // A screenshot of a text said to be official may come with the form (multipart, in this scope
  // only), read by OCR in the request and never stored: 10 per 10 minutes per address.
  const imageReader = createImageTextReader({ name: 'newsroom.verify.ocr', capacity: 10, perMinute: 1 })
  app.addHook('onClose', closeSharedOcrEngine)
  await app.register(async (scope: TypedApp) => {
    await acceptImageForm(scope)
    // A read-only lookup of public data that changes nothing and carries no authority: no CSRF
    // token needed (and the page stays usable without cookies).
    scope.post(
      '/xac-minh',
      {
        config: { access: 'public', csrf: false },
        // Up to TEXT_FORM_BODY_LIMIT is read, so an over-long paste comes back in the form; a body
        // larger still cannot be read, and the page says so and how to get the text back.
        bodyLimit: TEXT_FORM_BODY_LIMIT,
        // Anything else is rethrown to the app's error handler.
        errorHandler: (err, req, reply) => {
          if (!pageForTooLarge(err, req)) throw err
          return verifyPage({ req, reply }, { input: '', outcome: null, publicUrl: config.publicUrl, tooLong: 'lost' })
        },
        schema: { hide: true, body: VerifyBody },
      },
      async (req, reply) => {
        const typed = req.body.input ?? ''
        const image = await imageReader.read(req)
        // An image that gave no text: the page again with the typed text and the reason.
        if (image && !image.ok) return verifyPage({ req, reply }, { input: typed, outcome: null, publicUrl: config.publicUrl, image })
        return verify(req, reply, withImageText(typed, image), image)
      },
    )
  })

  const feed = (path: string, contentType: string, build: (items: Awaited<ReturnType<typeof listPublicReleases>>) => string) => {
    app.get(path, { config: pub, schema: { hide: true } }, async (req, reply) =>
      servePublic(
        cache,
        req,
        reply,
        async (sink) => {
          const items = await listPublicReleases(db, tenant.id, { limit: FEED_SIZE })
          return sink.header('content-type', contentType).send(build(items))
        },
        { localized: false },
      ),
    )
  }
  feed('/rss.xml', 'application/rss+xml; charset=utf-8', (items) => rssFeed(site, items))
  feed('/atom.xml', 'application/atom+xml; charset=utf-8', (items) => atomFeed(site, items))
  feed('/feed.json', 'application/feed+json; charset=utf-8', (items) => jsonFeed(site, items))

  app.get('/sitemap.xml', { config: pub, schema: { hide: true } }, async (req, reply) =>
    servePublic(
      cache,
      req,
      reply,
      async (sink) => {
        const [rows, facets] = await Promise.all([listPublicSitemap(db, tenant.id), publicFacets(db, tenant.id)])
        const newest = rows[0]?.lastPublishedAt ?? null
        const entries: SitemapEntry[] = [
          { path: '/', lastmod: newest },
          { path: '/tin', lastmod: newest },
          ...RELEASE_KINDS.map((k) => ({ path: kindPath(k), lastmod: rows.find((r) => r.kind === k)?.lastPublishedAt ?? null })),
          ...facets.categories.map((c) => ({ path: categoryPath(c) })),
          ...facets.communes.filter((c) => communeByCode(c)).map((c) => ({ path: communePath(c) })),
          { path: '/xac-minh' },
          ...rows.map((r) => ({ path: releasePath(r.slug), lastmod: r.lastPublishedAt })),
        ]
        return sink.header('content-type', 'application/xml; charset=utf-8').send(sitemapXml(config.publicUrl, entries))
      },
      { localized: false },
    ),
  )

  app.get('/robots.txt', { config: pub, schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('content-type', 'text/plain; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(robotsTxt(config.publicUrl)),
  )

  // The old embargo list: embargoed releases now live on the partner portal's home (/doi-tac),
  // which asks for a live accredited partner record on every request (portal module).
  app.get('/portal/embargo', { config: { access: 'public' }, schema: { hide: true } }, async (_req, reply) =>
    reply.redirect('/doi-tac', 301),
  )

  await registerNewsroomApi(app, cache)
}
