/**
 * The public JSON API of the newsroom: releases (list and search), one release, one signed
 * edition by its verification code, and the signing key (PEM and JWK). Read-only and open to
 * any origin (`Access-Control-Allow-Origin: *`, no credentials); every answer goes through
 * the public visibility rule of `releases.public.ts`.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { AppError } from '../../platform/errors.ts'
import { both } from '../../platform/i18n/index.ts'
import { renderMarkdown } from '../../platform/markdown/index.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { findPublicRelease, listPublicReleases, type PublicRelease, publicEditionHistory } from '../releases/releases.public.ts'
import { RELEASE_KINDS } from '../releases/releases.tables.ts'
import { servePublic } from './newsroom.cache.ts'
import { searchPublicReleases } from './search-planner.ts'
import { findVerifiableEditionByCode } from './verify-lookups.ts'
import { absoluteUrl, releasePath } from './newsroom.paths.ts'
import { parseSearchQuery, toTsQuery } from './search.ts'
import { canonicalOf, editionText, parseVerificationCode, publicJwk, tenantPublicKeys } from './verify.ts'
import type { PageCache } from '../../platform/cache/index.ts'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()])
const Kind = Type.Union(RELEASE_KINDS.map((k) => Type.Literal(k)))

const ReleaseSummary = Type.Object({
  slug: Type.String(),
  url: Type.String({ description: 'Trang công khai / public page' }),
  kind: Kind,
  status: Type.Union([Type.Literal('published'), Type.Literal('withdrawn')]),
  title: Type.String(),
  summary: Type.String(),
  category: Type.String(),
  tags: Type.Array(Type.String()),
  communes: Type.Array(Type.String()),
  publishedAt: Nullable(Type.String({ format: 'date-time' })),
  updatedAt: Nullable(Type.String({ format: 'date-time' })),
  edition: Type.Integer(),
  verificationCode: Nullable(Type.String()),
  spokesperson: Nullable(Type.Object({ name: Type.String(), title: Type.String() })),
})

const ReleaseDetail = Type.Composite([
  ReleaseSummary,
  Type.Object({
    bodyMarkdown: Type.String(),
    bodyHtml: Type.String(),
    bodyText: Type.String(),
    withdrawnAt: Nullable(Type.String({ format: 'date-time' })),
    withdrawnReason: Nullable(Type.String()),
    spokespersonContact: Nullable(Type.Object({ phone: Type.String(), email: Type.String() })),
    corrections: Type.Array(
      Type.Object({
        edition: Type.Integer(),
        publishedAt: Nullable(Type.String({ format: 'date-time' })),
        note: Type.String(),
        verificationCode: Nullable(Type.String()),
      }),
    ),
  }),
])

const ReleaseList = Type.Object({ items: Type.Array(ReleaseSummary), total: Type.Optional(Type.Integer()) })

const ListQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Tìm kiếm (không dấu cũng được) / search, diacritics optional' })),
  kind: Type.Optional(Kind),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 0 })),
})

const SignedEdition = Type.Object({
  code: Type.String(),
  releaseUrl: Type.String(),
  edition: Type.Integer(),
  current: Type.Boolean({ description: 'Bản hiện hành hay đã được cải chính / current, or superseded by a correction' }),
  algorithm: Type.Literal('Ed25519'),
  canonical: Type.String({ description: 'Văn bản đã ký, đúng từng byte / the signed text, byte for byte (UTF-8)' }),
  signature: Type.String({ description: 'base64url' }),
  signatureBase64: Type.String(),
  contentHash: Type.String({ description: 'SHA-256 (hex) của canonical' }),
  keyUrl: Type.String(),
})

const ErrorJson = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.Object({ vi: Type.String(), en: Type.String() }) }),
})

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null)

function presentSummary(r: PublicRelease, publicUrl: string): Static<typeof ReleaseSummary> {
  return {
    slug: r.slug,
    url: absoluteUrl(publicUrl, releasePath(r.slug)),
    kind: r.kind,
    status: r.status === 'withdrawn' ? 'withdrawn' : 'published',
    title: r.title,
    summary: r.summary,
    category: r.category,
    tags: r.tags,
    communes: r.communes,
    publishedAt: iso(r.firstPublishedAt),
    updatedAt: iso(r.lastPublishedAt),
    edition: r.editionNumber,
    verificationCode: r.verificationCode,
    spokesperson: r.spokespersonName ? { name: r.spokespersonName, title: r.spokespersonTitle ?? '' } : null,
  }
}

function sendJson(sink: FastifyReply, value: unknown, status = 200): FastifyReply {
  return sink.code(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(value))
}

/** Registers the public API routes (`/api/v1/releases…`, `/api/v1/editions/:code`, `/.well-known/…`). */
export async function registerNewsroomApi(app: TypedApp, cache: PageCache): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db
  const cors = (reply: FastifyReply) => reply.header('access-control-allow-origin', '*')

  app.get(
    '/api/v1/releases',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Tin đã công bố, mới nhất trước; hoặc tìm kiếm / published releases, newest first, or a search',
        tags: ['newsroom'],
        querystring: ListQuery,
        response: { 200: ReleaseList },
      },
    },
    async (req, reply) => {
      cors(reply)
      const q = req.query
      return servePublic(
        cache,
        req,
        reply,
        async (sink) => {
          const limit = q.limit ?? 20
          const offset = q.offset ?? 0
          if (q.q?.trim()) {
            const tsq = toTsQuery(parseSearchQuery(q.q))
            const rows = tsq ? await searchPublicReleases(db, tenant.id, tsq, { kind: q.kind, limit, offset }) : []
            return sendJson(sink, { items: rows.map((r) => presentSummary(r, config.publicUrl)), total: rows[0]?.total ?? 0 })
          }
          const rows = await listPublicReleases(db, tenant.id, { kind: q.kind, limit, offset })
          return sendJson(sink, { items: rows.map((r) => presentSummary(r, config.publicUrl)) })
        },
        { localized: false },
      )
    },
  )

  app.get(
    '/api/v1/releases/:slug',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Một tin đã công bố (kể cả tin đã gỡ, kèm lý do) / one public release (withdrawn ones with their reason)',
        tags: ['newsroom'],
        params: Type.Object({ slug: Type.String({ maxLength: 200 }) }),
        response: { 200: ReleaseDetail, 301: Type.Null(), 404: ErrorJson, 410: ErrorJson },
      },
    },
    async (req, reply) => {
      cors(reply)
      const { slug } = req.params
      return servePublic(
        cache,
        req,
        reply,
        async (sink) => {
          const found = await findPublicRelease(db, tenant.id, slug)
          if (!found) throw new AppError('NOT_FOUND')
          if ('redirectTo' in found)
            return sink
              .code(301)
              .header('location', `/api/v1/releases/${encodeURIComponent(found.redirectTo)}`)
              .send('')
          const r = found.release
          if (r.status === 'gone') return sendJson(sink, { error: { code: 'GONE', message: both('news.gone.title') } }, 410)
          const history = await publicEditionHistory(db, r.id)
          const detail: Static<typeof ReleaseDetail> = {
            ...presentSummary(r, config.publicUrl),
            bodyMarkdown: r.bodyMd,
            bodyHtml: renderMarkdown(r.bodyMd).html,
            bodyText: editionText(r).body,
            withdrawnAt: iso(r.withdrawnAt),
            withdrawnReason: r.status === 'withdrawn' ? r.withdrawnReason : null,
            spokespersonContact: r.spokespersonName ? { phone: r.spokespersonPhone ?? '', email: r.spokespersonEmail ?? '' } : null,
            corrections: history
              .filter((h) => h.number > 1 && !h.minor && h.changeNote)
              .map((h) => ({
                edition: h.number,
                publishedAt: iso(h.publishedAt),
                note: h.changeNote ?? '',
                verificationCode: h.verificationCode,
              })),
          }
          return sendJson(sink, detail)
        },
        { localized: false },
      )
    },
  )

  app.get(
    '/api/v1/editions/:code',
    {
      config: { access: 'public' },
      schema: {
        summary:
          'Bản đã ký theo mã xác minh, để kiểm tra chữ ký ngoại tuyến / a signed edition by its verification code, to check the signature offline',
        tags: ['newsroom'],
        params: Type.Object({ code: Type.String({ maxLength: 40 }) }),
        response: { 200: SignedEdition, 404: ErrorJson },
      },
    },
    async (req, reply) => {
      cors(reply)
      const code = parseVerificationCode(req.params.code)
      const e = code ? await findVerifiableEditionByCode(db, tenant.id, code) : undefined
      if (!e?.signature || !e.contentHash || !e.verificationCode) throw new AppError('NOT_FOUND')
      reply.header('cache-control', 'public, max-age=300')
      const out: Static<typeof SignedEdition> = {
        code: e.verificationCode,
        releaseUrl: absoluteUrl(config.publicUrl, releasePath(e.slug)),
        edition: e.editionNumber,
        current: e.editionId === e.currentEditionId,
        algorithm: 'Ed25519',
        canonical: canonicalOf(e),
        signature: e.signature,
        signatureBase64: Buffer.from(e.signature, 'base64url').toString('base64'),
        contentHash: e.contentHash,
        keyUrl: absoluteUrl(config.publicUrl, '/.well-known/donghanh-signing-key.pem'),
      }
      return out
    },
  )

  app.get(
    '/.well-known/donghanh-signing-key.pem',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Khóa công khai Ed25519 (PEM) / the Ed25519 public key (PEM)',
        tags: ['newsroom'],
        produces: ['application/x-pem-file'],
      },
    },
    async (_req, reply) => {
      const keys = await tenantPublicKeys(db, tenant.id)
      cors(reply).header('content-type', 'application/x-pem-file; charset=utf-8').header('cache-control', 'public, max-age=3600')
      return reply.send(
        Buffer.from(
          `${keys
            .filter((k) => !k.retired)
            .map((k) => k.pem.trim())
            .join('\n')}\n`,
        ),
      )
    },
  )

  app.get(
    '/.well-known/donghanh-signing-key.json',
    {
      config: { access: 'public' },
      schema: {
        summary: 'Khóa công khai dạng JWK Set (kid, alg Ed25519) / the public keys as a JWK Set',
        tags: ['newsroom'],
        response: {
          200: Type.Object({
            keys: Type.Array(
              Type.Object({
                kty: Type.String(),
                crv: Type.String(),
                x: Type.String(),
                kid: Type.String(),
                alg: Type.String(),
                use: Type.String(),
                status: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (_req, reply) => {
      const keys = await tenantPublicKeys(db, tenant.id)
      cors(reply).header('cache-control', 'public, max-age=3600')
      return {
        keys: keys.map((k) => ({ ...publicJwk(k.pem), status: k.retired ? 'retired' : 'active' })) as {
          kty: string
          crv: string
          x: string
          kid: string
          alg: string
          use: string
          status: string
        }[],
      }
    },
  )
}
