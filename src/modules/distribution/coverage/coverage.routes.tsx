/**
 * Coverage routes. Thin: validate, authorise, one command or query, present.
 * - Partner portal `/doi-tac/dua-tin` (report a URL for an item they received; their reports and
 *   the correction requests sent to them) and `/doi-tac/dua-tin/:id`: `requirePartner` on every
 *   request, the partner's id in every where-clause (another partner's id is 404).
 * - API `/api/v1/coverage` (session or partner token with scope `coverage`).
 * - Staff `/console/phan-phoi/dua-tin` (overview), `/muc/:type/:id` (an item; add found
 *   coverage), `/doi-tac/:partnerId` (accuracy by month), and the correction request on an
 *   altered report.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { can } from '../../../platform/policy/index.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { reportCoverage } from './commands/report-coverage.ts'
import { requestCorrection } from './commands/request-correction.ts'
import { loadCoverageItem, partnerChoices, receivedPublishedItems } from './coverage.items.ts'
import { itemCoveragePage, overviewPage, partnerCoveragePage, partnerCoverageStaffPage, partnerReportPage } from './coverage.pages.tsx'
import {
  coverageOverview,
  getPartnerReport,
  getReport,
  listItemReports,
  listPartnerReports,
  listPartnerRequests,
  partnerAccuracy,
} from './coverage.queries.ts'
import { COVERAGE_ITEM_TYPES, COVERAGE_VERDICTS, type CoverageItemType, type CoverageRow } from './coverage.tables.ts'

const Hidden = { hide: true }
const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const READ = { access: { action: 'read', subject: 'coverage' } } as const
const ADD = { access: { action: 'add', subject: 'coverage' } } as const
const REQUEST = { access: { action: 'request-correction', subject: 'coverage' } } as const
const API = { ...PORTAL, tokenScope: 'coverage' } as const

const Str = (max: number) => Type.String({ maxLength: max })
// URLs up to 16 kB reach the command, which refuses anything over 2,048 with its own message.
const UrlField = Type.String({ maxLength: 16_384 })
const IdParams = Type.Object({ id: Str(64) })
const ItemParams = Type.Object({ type: Type.Union([Type.Literal('release'), Type.Literal('verdict')]), id: Str(64) })
const PartnerParams = Type.Object({ partnerId: Str(64) })
const ReportForm = Type.Object({ item: Str(100), url: UrlField, _csrf: Type.Optional(Str(200)) })
const AddForm = Type.Object({ partnerId: Str(64), url: UrlField, _csrf: Type.Optional(Str(200)) })
const CsrfOnly = Type.Object({ _csrf: Type.Optional(Str(200)) })
const DoneQuery = Type.Object({ done: Type.Optional(Str(20)) })

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()])
const Lit = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)))
const ErrorJson = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.Object({ vi: Type.String(), en: Type.String() }) }),
})

/** A coverage report as the partner's API returns it. */
const CoverageJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  itemType: Lit(COVERAGE_ITEM_TYPES),
  itemId: Type.String({ format: 'uuid' }),
  url: Type.String(),
  state: Lit(['pending', 'captured', 'failed']),
  failure: Nullable(
    Type.Object({
      reason: Lit(['private', 'too_large', 'not_page', 'needs_js', 'unreachable']),
      detail: Type.String(),
    }),
  ),
  verdict: Nullable(Lit(COVERAGE_VERDICTS)),
  edition: Nullable(Type.Integer({ description: 'The official edition (or verdict version) it was judged against' })),
  headline: Nullable(Type.String()),
  clickbaitScore: Nullable(Type.Number({ minimum: 0, maximum: 1 })),
  changes: Type.Array(
    Type.Object({
      kind: Lit(['figure', 'date', 'name', 'wording']),
      official: Type.String(),
      published: Type.String(),
    }),
  ),
  reportedAt: Type.String({ format: 'date-time' }),
  capturedAt: Nullable(Type.String({ format: 'date-time' })),
})
const ReportBody = Type.Object({
  itemType: Lit(COVERAGE_ITEM_TYPES),
  itemId: Type.String({ format: 'uuid' }),
  url: Type.String({ minLength: 1, maxLength: 16_384, description: 'http(s), at most 2,048 characters (longer: 400 COVERAGE_INVALID)' }),
})

/** The API's view of a report. */
function presentReport(r: CoverageRow): Static<typeof CoverageJson> {
  return {
    id: r.id,
    itemType: r.itemType,
    itemId: r.itemId,
    url: r.url,
    state: r.state,
    failure: r.state === 'failed' && r.failureReason ? { reason: r.failureReason, detail: r.failureDetail ?? '' } : null,
    verdict: r.verdict,
    edition: r.editionNumber,
    headline: r.headline,
    clickbaitScore: r.clickbaitScore,
    changes: r.changes.map((c) => ({ kind: c.kind, official: c.official, published: c.published })),
    reportedAt: r.createdAt.toISOString(),
    capturedAt: r.capturedAt?.toISOString() ?? null,
  }
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'private, no-store')
}

/** "release:<uuid>" of the report form → the item. */
function parseItem(value: string): { type: CoverageItemType; id: string } {
  const m = /^(release|verdict):([0-9a-f-]{36})$/i.exec(value.trim())
  if (!m) throw new AppError('COVERAGE_NOT_RECEIVED')
  return { type: m[1] as CoverageItemType, id: (m[2] as string).toLowerCase() }
}

/** Coverage: partners report their article (/doi-tac/dua-tin, /api/v1/coverage), staff see accuracy (/console/phan-phoi/dua-tin). */
export async function registerCoverageRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db

  // ---- Partner portal ----
  const partnerPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    partnerId: string,
    extra: { error?: AppError; values?: Record<string, string>; done?: boolean } = {},
  ) => {
    const [items, reports, requests] = await Promise.all([
      receivedPublishedItems(db, tenant.id, partnerId),
      listPartnerReports(db, tenant.id, partnerId),
      listPartnerRequests(db, tenant.id, partnerId),
    ])
    return partnerCoveragePage({ req, reply: noStore(reply) }, { items, reports, requests, ...extra })
  }

  app.get('/doi-tac/dua-tin', { config: PORTAL, schema: { ...Hidden, querystring: DoneQuery } }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    return partnerPage(req, reply, partner.id, { done: req.query.done === '1' })
  })

  app.post('/doi-tac/dua-tin', { config: PORTAL, schema: { ...Hidden, body: ReportForm } }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    const actor = actorOf(req)
    const out = await runForm(
      reply,
      async () => {
        const item = parseItem(req.body.item)
        return withTransaction(database.pool, (tx) =>
          reportCoverage({
            tx,
            tenantId: tenant.id,
            itemType: item.type,
            itemId: item.id,
            partnerId: partner.id,
            url: req.body.url,
            by: { kind: 'partner', actor: auditOf(actor) },
            ip: req.ip,
          }),
        )
      },
      (error) => partnerPage(req, reply, partner.id, { error, values: { item: req.body.item, url: req.body.url.slice(0, 2048) } }),
    )
    if ('report' in (out as object)) return reply.redirect('/doi-tac/dua-tin?done=1', 303)
    return out
  })

  app.get('/doi-tac/dua-tin/:id', { config: PORTAL, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    const row = await getPartnerReport(db, tenant.id, partner.id, req.params.id)
    if (!row) throw new AppError('NOT_FOUND')
    return partnerReportPage({ req, reply: noStore(reply) }, row)
  })

  // ---- API ----
  app.get(
    '/api/v1/coverage',
    {
      config: API,
      schema: {
        summary: 'Đưa tin của tôi / my coverage',
        description:
          'The calling partner’s own coverage reports, newest first (at most 200), with how each was judged against the official text.',
        tags: ['coverage'],
        security: [{ session: [] }],
        response: { 200: Type.Object({ items: Type.Array(CoverageJson) }), 401: ErrorJson, 403: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      noStore(reply)
      const rows = await listPartnerReports(db, tenant.id, partner.id)
      return { items: rows.map((r) => presentReport(r.report)) }
    },
  )

  app.get(
    '/api/v1/coverage/:id',
    {
      config: API,
      schema: {
        summary: 'Một bài đưa tin của tôi / one of my coverage reports',
        description: 'One of the calling partner’s reports; any other id (another partner’s included) is 404.',
        tags: ['coverage'],
        params: IdParams,
        security: [{ session: [] }],
        response: { 200: CoverageJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      noStore(reply)
      const row = await getPartnerReport(db, tenant.id, partner.id, req.params.id)
      if (!row) throw new AppError('NOT_FOUND')
      return presentReport(row.report)
    },
  )

  app.post(
    '/api/v1/coverage',
    {
      config: API,
      schema: {
        summary: 'Báo bài đưa tin / report coverage',
        description:
          'Reports the URL of your article or post about an item you received (a published release or verdict). The page is captured and compared with the official text in the background: poll GET /api/v1/coverage/{id}. ' +
          'The same URL again returns the existing report (200). Refused: a URL that is not http(s), longer than 2,048 characters or with credentials (400 COVERAGE_INVALID); an item you were not sent (403 COVERAGE_NOT_RECEIVED); an item still under embargo (409 COVERAGE_EMBARGOED).',
        tags: ['coverage'],
        body: ReportBody,
        security: [{ session: [] }],
        response: { 200: CoverageJson, 201: CoverageJson, 400: ErrorJson, 401: ErrorJson, 403: ErrorJson, 404: ErrorJson, 409: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      const actor = actorOf(req)
      const out = await withTransaction(database.pool, (tx) =>
        reportCoverage({
          tx,
          tenantId: tenant.id,
          itemType: req.body.itemType as CoverageItemType,
          itemId: req.body.itemId,
          partnerId: partner.id,
          url: req.body.url,
          by: { kind: 'partner', actor: auditOf(actor) },
          ip: req.ip,
        }),
      )
      noStore(reply).code(out.created ? 201 : 200)
      return presentReport(out.report)
    },
  )

  // ---- Staff ----
  app.get('/console/phan-phoi/dua-tin', { config: READ, schema: Hidden }, async (req, reply) => {
    return overviewPage({ req, reply }, await coverageOverview(db, tenant.id))
  })

  const itemPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    type: CoverageItemType,
    id: string,
    extra: { error?: AppError; notice?: string } = {},
  ) => {
    const item = await loadCoverageItem(db, tenant.id, type, id)
    if (!item) throw new AppError('NOT_FOUND')
    const actor = actorOf(req)
    const mayAdd = can(actor, 'add', 'coverage')
    const [reports, partnerList] = await Promise.all([
      listItemReports(db, tenant.id, type, id),
      mayAdd ? partnerChoices(db, tenant.id, type, id) : Promise.resolve([]),
    ])
    return itemCoveragePage(
      { req, reply },
      { item, reports, partners: partnerList, mayAdd, mayRequest: can(actor, 'request-correction', 'coverage'), ...extra },
    )
  }

  app.get(
    '/console/phan-phoi/dua-tin/muc/:type/:id',
    { config: READ, schema: { ...Hidden, params: ItemParams, querystring: DoneQuery } },
    async (req, reply) =>
      itemPage(req, reply, req.params.type, req.params.id, {
        notice: req.query.done === 'added' || req.query.done === 'requested' ? req.query.done : undefined,
      }),
  )

  app.post(
    '/console/phan-phoi/dua-tin/muc/:type/:id',
    { config: ADD, schema: { ...Hidden, params: ItemParams, body: AddForm } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { type, id } = req.params
      const out = await runForm(
        reply,
        async () => {
          const partner = (await partnerChoices(db, tenant.id, type, id)).find((p) => p.id === req.body.partnerId)
          if (!partner) throw new AppError('DISTRIBUTION_NOT_FOUND')
          return withTransaction(database.pool, (tx) =>
            reportCoverage({
              tx,
              tenantId: tenant.id,
              itemType: type,
              itemId: id,
              partnerId: partner.id,
              url: req.body.url,
              by: { kind: 'staff', actor: auditOf(actor) },
              ip: req.ip,
            }),
          )
        },
        (error) => itemPage(req, reply, type, id, { error }),
      )
      if ('report' in (out as object)) return reply.redirect(`/console/phan-phoi/dua-tin/muc/${type}/${id}?done=added`, 303)
      return out
    },
  )

  app.post(
    '/console/phan-phoi/dua-tin/bao-cao/:id/yeu-cau-dinh-chinh',
    { config: REQUEST, schema: { ...Hidden, params: IdParams, body: CsrfOnly } },
    async (req, reply) => {
      const actor = actorOf(req)
      const row = await getReport(db, tenant.id, req.params.id)
      if (!row) throw new AppError('NOT_FOUND')
      const { itemType, itemId } = row.report
      const out = await runForm(
        reply,
        () =>
          withTransaction(database.pool, (tx) =>
            requestCorrection({
              tx,
              tenantId: tenant.id,
              reportId: row.report.id,
              actor: auditOf(actor),
              office: { name: tenant.name, publicUrl: config.publicUrl },
              ip: req.ip,
            }),
          ),
        (error) => itemPage(req, reply, itemType, itemId, { error }),
      )
      if ('request' in (out as object)) return reply.redirect(`/console/phan-phoi/dua-tin/muc/${itemType}/${itemId}?done=requested`, 303)
      return out
    },
  )

  app.get(
    '/console/phan-phoi/dua-tin/doi-tac/:partnerId',
    { config: READ, schema: { ...Hidden, params: PartnerParams } },
    async (req, reply) => {
      const found = /^[0-9a-f-]{36}$/i.test(req.params.partnerId) ? await partnerAccuracy(db, tenant.id, req.params.partnerId) : null
      if (!found) throw new AppError('NOT_FOUND')
      return partnerCoverageStaffPage({ req, reply }, found)
    },
  )
}
