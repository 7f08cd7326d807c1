/**
 * The partner portal's content: home (`/doi-tac`), logged attachment downloads
 * (`/doi-tac/tep/:attachmentId`), profile and press card (`/doi-tac/ho-so`), the embargoed
 * releases API (`/api/v1/portal/embargoed`), and the staff download log
 * (`/console/doi-tac/tai-xuong`).
 *
 * Every partner request loads the partner record again (`requirePartner`) and asks the policy
 * with it (`read-embargoed` in `portal.policy.ts`): nothing about a partner's standing is kept
 * in the session, so a suspension, expiry or revocation takes effect on the next request.
 * Every response here is `no-store` (pages through the console shell, files and JSON here); none
 * goes through the public page cache.
 */
import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { t } from '../../../platform/i18n/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import { FILE_TYPES, safeFileName } from '../../../platform/uploads/index.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import type { PartnerRow } from '../../partners/partners.tables.ts'
import { releasePath } from '../../newsroom/newsroom.paths.ts'
import type { EmbargoReader } from '../portal.policy.ts'
import { logDownload } from './commands/log-download.ts'
import { signAcknowledgement } from './commands/sign-acknowledgement.ts'
import { downloadsPage, embargoLabel, homePage, portalFilePath, profilePage } from './content.pages.tsx'
import { embargoedForPartner, fileForPartner, listDownloads, partnerProfile, portalHome } from './content.queries.ts'

const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const Hidden = { hide: true }
const AttachmentParams = Type.Object({ attachmentId: Type.String({ maxLength: 64 }) })
const ProfileQuery = Type.Object({ done: Type.Optional(Type.String({ maxLength: 1 })) })
const AckBody = Type.Object({ _csrf: Type.Optional(Type.String({ maxLength: 200 })) })
const DownloadsQuery = Type.Object({
  partner: Type.Optional(Type.String({ maxLength: 64 })),
  release: Type.Optional(Type.String({ maxLength: 64 })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
})

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(s: T) => Type.Union([s, Type.Null()])

/** One embargoed release as the API returns it. */
const EmbargoedJson = Type.Object({
  id: Type.String({ format: 'uuid' }),
  kind: Type.String(),
  publishAt: Type.String({ format: 'date-time', description: 'Lift instant (UTC); publish at or after it only' }),
  label: Type.Object({ vi: Type.String(), en: Type.String() }, { description: 'e.g. "CẤM ĐĂNG TRƯỚC 09:00 20/12" (Asia/Ho_Chi_Minh)' }),
  title: Type.String(),
  summary: Type.String(),
  bodyMd: Type.String({ description: 'Approved text, Markdown' }),
  category: Type.String(),
  publicUrl: Type.String({ description: 'Where the release will be public after the lift' }),
  spokesperson: Nullable(
    Type.Object({ name: Type.String(), title: Nullable(Type.String()), phone: Nullable(Type.String()), email: Nullable(Type.String()) }),
  ),
  files: Type.Array(
    Type.Object({
      id: Type.String({ format: 'uuid' }),
      fileName: Type.String(),
      fileType: Type.String(),
      sizeBytes: Type.Integer(),
      url: Type.String({ description: 'Logged download (a partner session, or a personal token with embargo:read)' }),
    }),
  ),
})
const EmbargoedList = Type.Object({ items: Type.Array(EmbargoedJson) })
const ErrorJson = Type.Object({
  error: Type.Object({ code: Type.String(), message: Type.Object({ vi: Type.String(), en: Type.String() }), requestId: Type.String() }),
})

/** No copy anywhere but the partner's own screen. */
function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'private, no-store').header('x-robots-tag', 'noindex, nofollow')
}

/** Content-Disposition attachment with an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
function attachmentDisposition(name: string): string {
  const safe = safeFileName(name)
  const ascii = safe
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_')
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(safe)}`
}

/** Registers the portal's content routes. */
export async function registerPortalContentRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  /** The policy question, asked with the record loaded in this request. */
  const mayReadEmbargoed = (actor: Parameters<typeof can>[0], partner: PartnerRow) =>
    can(actor, 'read-embargoed', { type: 'release', tenantId: tenant.id, record: { partner } satisfies EmbargoReader })

  app.get('/doi-tac', { config: PORTAL, schema: Hidden }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    const home = await portalHome(db, tenant.id, partner)
    // Belt and braces: the list is empty unless the policy says yes for this record, now.
    return homePage({ req, reply }, { partner, ...home, embargoed: mayReadEmbargoed(req.actor, partner) ? home.embargoed : [] })
  })

  app.get(
    '/doi-tac/tep/:attachmentId',
    { config: { ...PORTAL, tokenScope: 'embargo:read' }, schema: { ...Hidden, params: AttachmentParams } },
    async (req, reply) => {
      const actor = req.actor
      const partner = await requirePartner(db, actor)
      if (!actor) throw new AppError('UNAUTHENTICATED')
      const found = await fileForPartner(db, tenant.id, partner, req.params.attachmentId)
      if (found === 'notAccredited') throw new AppError('PARTNER_NOT_ACCREDITED')
      if (!found) throw new AppError('NOT_FOUND')
      if (found.embargoed && !mayReadEmbargoed(actor, partner)) throw new AppError('PARTNER_NOT_ACCREDITED')
      const a = found.attachment
      const size = await stat(a.storagePath)
        .then((s) => (s.isFile() ? s.size : null))
        .catch(() => null)
      if (size === null) {
        req.log.error({ attachmentId: a.id }, 'attachment file missing on disk')
        throw new AppError('NOT_FOUND')
      }
      // Logged before a byte is sent: a download that cannot be logged is not served.
      await logDownload({
        db,
        tenantId: tenant.id,
        partnerId: partner.id,
        userId: actor.id,
        attachmentId: a.id,
        releaseId: a.releaseId,
        embargoed: found.embargoed,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      })
      noStore(reply)
        .header('content-type', FILE_TYPES[a.fileType].mime)
        .header('content-length', String(size))
        .header('content-disposition', attachmentDisposition(a.fileName))
        .header('x-content-type-options', 'nosniff')
      return reply.send(createReadStream(a.storagePath))
    },
  )

  app.get('/doi-tac/ho-so', { config: PORTAL, schema: { ...Hidden, querystring: ProfileQuery } }, async (req, reply) => {
    const partner = await requirePartner(db, req.actor)
    return profilePage({ req, reply }, { ...(await partnerProfile(db, tenant.id, partner)), signed: req.query.done === '1' })
  })

  app.post('/doi-tac/ho-so/xac-nhan', { config: PORTAL, schema: { ...Hidden, body: AckBody } }, async (req, reply) => {
    const actor = req.actor
    const partner = await requirePartner(db, actor)
    if (!actor) throw new AppError('UNAUTHENTICATED')
    try {
      await withTransaction(database.pool, (tx) => signAcknowledgement({ tx, actor, partnerId: partner.id, ip: req.ip }))
    } catch (e) {
      if (!isAppError(e) || e.status >= 500) throw e
      const profile = await partnerProfile(db, tenant.id, partner)
      return profilePage({ req, reply }, { ...profile, error: t(req.locale, `errors.${e.code}`), status: e.status })
    }
    return reply.redirect('/doi-tac/ho-so?done=1#acknowledgement', 303)
  })

  app.get(
    '/api/v1/portal/embargoed',
    {
      config: { ...PORTAL, tokenScope: 'embargo:read' },
      schema: {
        summary: 'Thông cáo cấm đăng trước cho đối tác được công nhận / embargoed releases for an accredited partner',
        description:
          'Approved releases not yet public, with their lift time, for the calling partner (session or personal token with scope embargo:read). ' +
          'Asked live on every call: 403 PARTNER_NOT_ACCREDITED when the partner is not accredited now (applied, suspended, expired, revoked).',
        tags: ['portal'],
        security: [{ session: [] }],
        response: { 200: EmbargoedList, 401: ErrorJson, 403: ErrorJson },
      },
    },
    async (req, reply) => {
      const partner = await requirePartner(db, req.actor)
      noStore(reply)
      if (!mayReadEmbargoed(req.actor, partner)) throw new AppError('PARTNER_NOT_ACCREDITED')
      const items = await embargoedForPartner(db, tenant.id, partner)
      return {
        items: items.map((r) => ({
          id: r.id,
          kind: r.kind,
          publishAt: (r.publishAt as Date).toISOString(),
          label: { vi: embargoLabel(r.publishAt as Date, 'vi'), en: embargoLabel(r.publishAt as Date, 'en') },
          title: r.title,
          summary: r.summary,
          bodyMd: r.bodyMd,
          category: r.category,
          publicUrl: `${app.ctx.config.publicUrl}${releasePath(r.slug)}`,
          spokesperson: r.spokespersonName
            ? { name: r.spokespersonName, title: r.spokespersonTitle, phone: r.spokespersonPhone, email: r.spokespersonEmail }
            : null,
          files: r.files.map((f) => ({
            id: f.id,
            fileName: f.fileName,
            fileType: f.fileType,
            sizeBytes: f.sizeBytes,
            url: `${app.ctx.config.publicUrl}${portalFilePath(f.id)}`,
          })),
        })),
      }
    },
  )

  app.get(
    '/console/doi-tac/tai-xuong',
    { config: { access: { action: 'read', subject: 'partner' } }, schema: { ...Hidden, querystring: DownloadsQuery } },
    async (req, reply) => {
      const actor = req.actor
      authorize(actor, 'read', { type: 'partner', tenantId: tenant.id })
      const q = req.query
      const list = await listDownloads(db, actor, { partnerId: q.partner, releaseId: q.release, page: q.page })
      return downloadsPage({ req, reply }, { ...list, partnerId: q.partner, releaseId: q.release })
    },
  )
}
