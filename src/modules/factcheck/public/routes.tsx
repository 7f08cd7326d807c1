/**
 * The public side of the verification desk: `/kiem-chung` (the form, multipart with up to
 * three screenshots, a honeypot and a per-IP rate limit), ticket status pages, live
 * "có phải bạn muốn hỏi…" suggestions, verdict pages with one ClaimReview, the partners'
 * correction kit and image card, list/search, RSS and JSON Feed, the rating scale, and the
 * same intake as a JSON API. Multipart is registered in this plugin's scope only: the global
 * body parsers do not change. Read-only public pages go through the app's page cache, which
 * `approveVerdict`'s `donghanh_public` notification invalidates.
 */
import multipart from '@fastify/multipart'
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { formatTime } from '../../../platform/html/layout.tsx'
import { sendError, toAppError, wantsJson } from '../../../platform/http/errors.tsx'
import { svgToPng } from '../../../platform/html/raster.ts'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import { t } from '../../../platform/i18n/index.ts'
import { localYear } from '../../../platform/time.ts'
import { publicCacheFor, servePublic } from '../../newsroom/newsroom.cache.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { MAX_SUBMISSION_CHARS } from '../commands/submit-claim.ts'
import { retentionDays } from '../factcheck.jobs.ts'
import { findPublishedVerdict, listPublishedVerdicts, suggestPublishedVerdicts, ticketStatus } from '../factcheck.public.ts'
import { VERDICT_LABELS, type VerdictLabel } from '../factcheck.tables.ts'
import { LABELS } from '../labels.ts'
import {
  checkClaimFiles,
  filesOf,
  FORM_BODY_LIMIT,
  formValues,
  honeypotFilled,
  MAX_FILE_BYTES,
  MAX_FILES,
  readMultipart,
  seenWhere,
  splitLinks,
  takePublicSubmission,
  textWasCut,
} from './intake.ts'
import { verdictCardSvg, verdictJsonFeed, verdictPath, verdictRss } from './outputs.ts'
import { normalizeTicketCode, randomTicketCode } from '../ticket-code.ts'
import {
  deskPage,
  kitPage,
  listPage,
  scalePage,
  Suggestions,
  ticketPage,
  ticketPath,
  ticketState,
  type TooLong,
  verdictPage,
} from './pages.tsx'

/** Verdicts per list page. */
export const PER_PAGE = 20
/** Verdicts in the feeds. */
export const FEED_SIZE = 50
/** Verdicts on the desk page. */
const DESK_LATEST = 5
/** Shortest text worth matching as someone types. */
const SUGGEST_MIN_CHARS = 12
/** The image card may only draw itself: no scripts, no fetches. */
const SVG_CSP = "default-src 'none'; style-src 'unsafe-inline'"

const FormBody = Type.Object({
  text: Type.Optional(Type.String()),
  links: Type.Optional(Type.String({ maxLength: 20_000 })),
  seen: Type.Optional(Type.String({ maxLength: 20 })),
  seenDetail: Type.Optional(Type.String({ maxLength: 300 })),
  email: Type.Optional(Type.String({ maxLength: 254 })),
  website: Type.Optional(Type.String({ maxLength: 2000 })),
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
})
const SuggestBody = Type.Object({
  text: Type.Optional(Type.String({ maxLength: MAX_SUBMISSION_CHARS * 2 })),
  _csrf: Type.Optional(Type.String({ maxLength: 100 })),
})
const TicketParams = Type.Object({ ticket: Type.String({ maxLength: 40 }) })
const TicketQuery = Type.Object({
  k: Type.Optional(Type.String({ maxLength: 64 })),
  moi: Type.Optional(Type.String({ maxLength: 1 })),
  trung: Type.Optional(Type.String({ maxLength: 1 })),
})
const LookupQuery = Type.Object({ ma: Type.Optional(Type.String({ maxLength: 40 })) })
const SlugParams = Type.Object({ slug: Type.String({ maxLength: 200 }) })
const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200 })),
  nhan: Type.Optional(Type.String({ maxLength: 40 })),
  trang: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
})

const Both = Type.Object({ vi: Type.String(), en: Type.String() })
const LabelOut = Type.Object({
  label: Type.String({ description: 'fabricated | false | distorted | missing_context | partly_true | true | unproven | satire | scam' }),
  labelVi: Type.String(),
  labelEn: Type.String(),
  rating: Type.Integer({ minimum: 1, maximum: 5 }),
})
const SuggestionOut = Type.Composite([
  LabelOut,
  Type.Object({ url: Type.String(), slug: Type.String(), headline: Type.String(), statement: Type.String() }),
])
const ApiSubmitBody = Type.Object({
  text: Type.String({
    description: 'Nội dung tin (tối đa 20.000 ký tự; TCVN3/VNI/không dấu đều được) / the claim (at most 20,000 characters)',
  }),
  links: Type.Optional(Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 20, description: 'http(s) only' })),
  seenWhere: Type.Optional(Type.String({ maxLength: 300 })),
  email: Type.Optional(
    Type.String({
      maxLength: 254,
      description: 'Để nhận kết quả; xóa sau thời hạn lưu / to be told of the result; deleted after the retention period',
    }),
  ),
})
const ApiSubmitReply = Type.Object({
  ticket: Type.String(),
  key: Type.String(),
  statusUrl: Type.String(),
  duplicate: Type.Boolean(),
  suggestions: Type.Array(SuggestionOut),
})
const ApiTicketQuery = Type.Object({ k: Type.Optional(Type.String({ maxLength: 64 })) })
const ApiTicketReply = Type.Object({
  ticket: Type.String(),
  status: Type.String({ description: 'received | investigating | published | closed' }),
  statusText: Both,
  submittedAt: Type.String({ format: 'date-time' }),
  verdict: Type.Union([
    Type.Composite([
      LabelOut,
      Type.Object({ headline: Type.String(), url: Type.String(), publishedAt: Type.Union([Type.String(), Type.Null()]) }),
    ]),
    Type.Null(),
  ]),
  text: Type.Union([Type.String(), Type.Null()]),
  links: Type.Union([Type.Array(Type.String()), Type.Null()]),
})

function labelOut(label: VerdictLabel) {
  const info = LABELS[label]
  return { label, labelVi: info.vi, labelEn: info.en, rating: info.rating }
}

/** A random-looking ticket for the honeypot's success page (nothing is stored). */
function decoyTicket(): string {
  return randomTicketCode(localYear(now()))
}

/** Registers the desk's public routes on the app (in their own scope). */
export async function registerFactcheckPublicRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db
  const cache = await publicCacheFor(app)
  const site = { publicUrl: config.publicUrl, tenant }
  const pub = { access: 'public' as const }
  // Submissions: 10 per minute per address; look-ups and suggestions more freely.
  const submitLimiter = createRateLimiter({ name: 'claims.submit', capacity: 10, perMinute: 10 })
  const lookupLimiter = createRateLimiter({ name: 'claims.lookup', capacity: 60, perMinute: 60 })
  const suggestLimiter = createRateLimiter({ name: 'claims.suggest', capacity: 40, perMinute: 60 })
  const limitSubmit = async (req: FastifyRequest) => submitLimiter.take(req.ip)
  const limitLookup = async (req: FastifyRequest) => lookupLimiter.take(req.ip)
  const limitSuggest = async (req: FastifyRequest) => suggestLimiter.take(req.ip)

  const suggestionsFor = async (text: string, exceptSlug?: string | null) =>
    text.trim().length < SUGGEST_MIN_CHARS
      ? []
      : (await suggestPublishedVerdicts(db, tenant.id, text)).filter((s) => s.slug && s.slug !== exceptSlug)

  const desk = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: {
      values?: ReturnType<typeof formValues>
      error?: AppError
      status?: number
      lookup?: { value: string; error: AppError }
      tooLong?: TooLong
    } = {},
  ) => {
    const latest = await listPublishedVerdicts(db, tenant.id, { limit: DESK_LATEST })
    // Suggestions are a courtesy on a page that must still answer (often a refusal): without
    // them the page shows none, and the reason is logged. An over-long text is matched by its
    // start only (as /kiem-chung/goi-y reads it): the matcher is not run over megabytes.
    const suggestions = o.values?.text
      ? await suggestionsFor(o.values.text.slice(0, MAX_SUBMISSION_CHARS * 2)).catch((err: unknown) => {
          req.log.error({ err }, 'verdict suggestions failed; the desk page shows none')
          return []
        })
      : []
    return deskPage({ req, reply }, { ...o, latest, suggestions, retentionDays: retentionDays(), unit: tenant.name })
  }

  await app.register(async (scope: TypedApp) => {
    await scope.register(multipart, {
      limits: {
        fileSize: MAX_FILE_BYTES,
        files: MAX_FILES,
        fields: 20,
        // A text field may be as large as the whole form: an over-long paste is read (not cut)
        // and shown again; readMultipart caps the fields' total at the same size.
        fieldSize: FORM_BODY_LIMIT,
        parts: MAX_FILES + 20,
        headerPairs: 200,
      },
      throwFileSizeLimit: true,
    })
    scope.addHook('preValidation', readMultipart)

    // The form is shown again with its values and the error in both languages; everything
    // else goes to the app's error presentation. A body over the limit is a text too long: the
    // form says so with the limit and what to do, the text still in it when it was read (up to
    // FORM_BODY_LIMIT) and, when it could not be, how to get it back (the browser's Back).
    scope.setErrorHandler(async (err, req, reply) => {
      let e = toAppError(err as Error)
      const intake = req.method === 'POST' && (req.routeOptions.url === '/kiem-chung' || req.routeOptions.url === '/api/v1/claims')
      if (intake && e?.code === 'PAYLOAD_TOO_LARGE') e = new AppError('TEXT_TOO_LONG', { max: MAX_SUBMISSION_CHARS })
      if (!e || e.status >= 500) req.log.error({ err }, 'request failed')
      else req.log.info({ code: e.code }, 'request refused')
      if (e && e.status < 500 && intake && req.routeOptions.url === '/kiem-chung' && !wantsJson(req)) {
        for (const [k, v] of Object.entries(e.headers)) reply.header(k, v)
        const values = formValues(req.body)
        const tooLong: TooLong | undefined =
          e.code !== 'TEXT_TOO_LONG' ? undefined : !values.text ? 'lost' : textWasCut(req) ? 'cut' : 'kept'
        return desk(req, reply, { values, error: e, status: e.status, tooLong })
      }
      return sendError(req, reply, e)
    })

    scope.get('/kiem-chung', { config: pub, schema: { hide: true } }, async (req, reply) => desk(req, reply))

    scope.post(
      '/kiem-chung',
      // The form alone may carry up to FORM_BODY_LIMIT (see intake.ts): an over-long paste reaches
      // the handler and comes back in the form instead of being lost to a bare 413.
      { config: pub, onRequest: limitSubmit, bodyLimit: FORM_BODY_LIMIT, schema: { hide: true, body: FormBody } },
      async (req, reply) => {
        const v = formValues(req.body)
        // A filled honeypot: a normal-looking answer, nothing stored.
        if (honeypotFilled(req.body)) {
          return ticketPage(
            { req, reply },
            {
              ticket: {
                ticket: decoyTicket(),
                submittedAt: now(),
                status: 'new',
                level: 'normal',
                slug: null,
                verdict: null,
                text: v.text,
                links: [],
              },
              privateUrl: null,
              flag: 'moi',
              suggestions: [],
            },
          )
        }
        const files = checkClaimFiles(filesOf(req))
        const r = await takePublicSubmission(database, {
          tenantId: tenant.id,
          dataDir: config.dataDir,
          submission: {
            text: v.text,
            links: splitLinks(v.links),
            seenWhere: seenWhere(v.seen, v.seenDetail),
            email: v.email.trim() || null,
            files,
          },
        })
        return reply
          .code(303)
          .header('location', ticketPath(r.ticket, r.ticketKey, r.duplicate ? 'trung' : 'moi'))
          .send()
      },
    )

    // Read-only matching of public verdicts while someone types: no state, no CSRF token needed.
    scope.post(
      '/kiem-chung/goi-y',
      { config: { access: 'public', csrf: false }, onRequest: limitSuggest, schema: { hide: true, body: SuggestBody } },
      async (req, reply) => {
        const text = req.body.text ?? ''
        const items = await suggestionsFor(text)
        reply.header('content-type', 'text/html; charset=utf-8').header('cache-control', 'no-store').header('x-robots-tag', 'noindex')
        return reply.send(Suggestions({ l: req.locale, items }).value)
      },
    )

    scope.get('/kiem-chung/phieu', { config: pub, schema: { hide: true, querystring: LookupQuery } }, async (req, reply) => {
      const typed = req.query.ma ?? ''
      const code = normalizeTicketCode(typed)
      // Not a code: say so on the desk page, with what was typed kept in the field (a silent
      // redirect to the desk left the citizen wondering whether the look-up happened at all).
      if (!typed.trim()) return reply.code(303).header('location', '/kiem-chung').send()
      if (!code) {
        const shown = typed.trim().slice(0, 40)
        return desk(req, reply, { status: 400, lookup: { value: shown, error: new AppError('TICKET_CODE_INVALID', { code: shown }) } })
      }
      return reply.code(303).header('location', ticketPath(code)).send()
    })

    scope.get(
      '/kiem-chung/phieu/:ticket',
      { config: pub, onRequest: limitLookup, schema: { hide: true, params: TicketParams, querystring: TicketQuery } },
      async (req, reply) => {
        const { ticket } = req.params
        const q = req.query
        const status = await ticketStatus(db, tenant.id, ticket, q.k)
        if (!status) throw new AppError('NOT_FOUND')
        const owner = status.text !== null
        const suggestions = owner && status.status !== 'published' ? await suggestionsFor(status.text ?? '', status.slug) : []
        return ticketPage(
          { req, reply },
          {
            ticket: status,
            privateUrl: owner ? `${config.publicUrl}${ticketPath(status.ticket, q.k)}` : null,
            flag: owner ? (q.trung ? 'trung' : q.moi ? 'moi' : undefined) : undefined,
            suggestions,
          },
        )
      },
    )

    scope.get('/kiem-chung/ket-luan', { config: pub, schema: { hide: true, querystring: ListQuery } }, async (req, reply) => {
      const query = req.query
      const q = (query.q ?? '').trim()
      const label = (VERDICT_LABELS as readonly string[]).includes(query.nhan ?? '') ? (query.nhan as VerdictLabel) : ''
      const n = query.trang ?? 1
      return servePublic(cache, req, reply, async (sink) => {
        const rows = await listPublishedVerdicts(db, tenant.id, {
          q,
          label: label || undefined,
          limit: PER_PAGE + 1,
          offset: (n - 1) * PER_PAGE,
        })
        return listPage({ req, reply: sink }, { items: rows.slice(0, PER_PAGE), q, label, page: n, hasNext: rows.length > PER_PAGE })
      })
    })

    scope.get('/kiem-chung/thang-danh-gia', { config: pub, schema: { hide: true } }, async (req, reply) =>
      servePublic(cache, req, reply, async (sink) => scalePage({ req, reply: sink })),
    )

    const feed = (path: string, contentType: string, build: (items: Awaited<ReturnType<typeof listPublishedVerdicts>>) => string) => {
      scope.get(path, { config: pub, schema: { hide: true } }, async (req, reply) =>
        servePublic(
          cache,
          req,
          reply,
          async (sink) =>
            sink.header('content-type', contentType).send(build(await listPublishedVerdicts(db, tenant.id, { limit: FEED_SIZE }))),
          { localized: false },
        ),
      )
    }
    feed('/kiem-chung/rss.xml', 'application/rss+xml; charset=utf-8', (items) =>
      verdictRss({ publicUrl: config.publicUrl, unit: tenant.name }, items),
    )
    feed('/kiem-chung/feed.json', 'application/feed+json; charset=utf-8', (items) =>
      verdictJsonFeed({ publicUrl: config.publicUrl, unit: tenant.name }, items),
    )

    const published = async (slug: string) => {
      const found = await findPublishedVerdict(db, tenant.id, slug)
      if (!found) throw new AppError('NOT_FOUND')
      return found
    }

    scope.get('/kiem-chung/:slug', { config: pub, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
      const { slug } = req.params
      return servePublic(cache, req, reply, async (sink) => verdictPage({ req, reply: sink }, await published(slug), site))
    })

    scope.get('/kiem-chung/:slug/bo-cong-cu', { config: pub, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
      const { slug } = req.params
      return servePublic(cache, req, reply, async (sink) => kitPage({ req, reply: sink }, await published(slug), site))
    })

    /** The verdict's image card as SVG (the partner kit's vector file). */
    const cardOf = async (slug: string) => {
      const v = await published(slug)
      return verdictCardSvg({
        label: v.verdict.label,
        statement: v.claim.statement,
        headline: v.verdict.headline,
        unit: tenant.name,
        link: `${config.publicUrl}${verdictPath(slug)}`,
        date: formatTime(v.verdict.publishedAt, 'vi'),
      })
    }
    scope.get('/kiem-chung/:slug/the.svg', { config: pub, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
      const { slug } = req.params
      reply.header('content-security-policy', SVG_CSP)
      return servePublic(
        cache,
        req,
        reply,
        async (sink) => sink.header('content-type', 'image/svg+xml; charset=utf-8').send(await cardOf(slug)),
        {
          localized: false,
        },
      )
    })
    // The same card as PNG: what Open Graph, Zalo and Facebook show (they show no SVG); rendered
    // once per cache lifetime.
    scope.get('/kiem-chung/:slug/the.png', { config: pub, schema: { hide: true, params: SlugParams } }, async (req, reply) => {
      const { slug } = req.params
      return servePublic(cache, req, reply, async (sink) => sink.header('content-type', 'image/png').send(svgToPng(await cardOf(slug))), {
        localized: false,
      })
    })

    scope.post(
      '/api/v1/claims',
      {
        // A stateless public API: no cookie authority, so no CSRF token; rate-limited per IP.
        config: { access: 'public', csrf: false },
        onRequest: limitSubmit,
        schema: {
          summary: 'Gửi tin cần kiểm chứng / submit a claim to fact-check',
          description: `${t('vi', 'kc.api.submit')} / ${t('en', 'kc.api.submit')}`,
          tags: ['factcheck'],
          body: ApiSubmitBody,
          response: { 200: ApiSubmitReply, 201: ApiSubmitReply },
        },
      },
      async (req, reply) => {
        const b = req.body
        const r = await takePublicSubmission(database, {
          tenantId: tenant.id,
          dataDir: config.dataDir,
          submission: { text: b.text, links: b.links ?? [], seenWhere: b.seenWhere ?? '', email: b.email?.trim() || null, files: [] },
        })
        const suggestions = await suggestionsFor(b.text)
        reply.code(r.duplicate ? 200 : 201).header('cache-control', 'no-store')
        return {
          ticket: r.ticket,
          key: r.ticketKey,
          statusUrl: `${config.publicUrl}${ticketPath(r.ticket, r.ticketKey)}`,
          duplicate: r.duplicate,
          suggestions: suggestions.map((s) => ({
            ...labelOut(s.label),
            url: `${config.publicUrl}${verdictPath(s.slug as string)}`,
            slug: s.slug as string,
            headline: s.headline,
            statement: s.statement,
          })),
        }
      },
    )

    scope.get(
      '/api/v1/claims/tickets/:ticket',
      {
        config: pub,
        onRequest: limitLookup,
        schema: {
          summary: 'Trạng thái phiếu kiểm chứng / status of a fact-check ticket',
          description: `${t('vi', 'kc.api.ticket')} / ${t('en', 'kc.api.ticket')}`,
          tags: ['factcheck'],
          params: TicketParams,
          querystring: ApiTicketQuery,
          response: { 200: ApiTicketReply },
        },
      },
      async (req, reply) => {
        const { ticket } = req.params
        const s = await ticketStatus(db, tenant.id, ticket, req.query.k)
        if (!s) throw new AppError('NOT_FOUND')
        const state = ticketState(s.status)
        reply.header('cache-control', 'no-store')
        return {
          ticket: s.ticket,
          status: state,
          statusText: { vi: t('vi', `kc.status.${state}`), en: t('en', `kc.status.${state}`) },
          submittedAt: s.submittedAt.toISOString(),
          verdict:
            s.verdict && s.slug
              ? {
                  ...labelOut(s.verdict.label),
                  headline: s.verdict.headline,
                  url: `${config.publicUrl}${verdictPath(s.slug)}`,
                  publishedAt: s.verdict.publishedAt?.toISOString() ?? null,
                }
              : null,
          text: s.text,
          links: s.links,
        }
      },
    )
  })
}
