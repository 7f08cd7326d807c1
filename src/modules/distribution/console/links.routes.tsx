/**
 * The recipients' own links: `/l/:token` (the item) and `/l/:token/tep/:fileId` (one of its
 * files, served with the recipient's mark). Public routes: the token only says which delivery
 * it is; what it opens is decided here, now, by the item's own rules.
 *
 * - `/l/:token` records `opened` and redirects: an item with a public page (published, or
 *   withdrawn with its notice) → that page; anything else (embargoed, not public yet) → the
 *   recipient's portal message, which checks the partner's access itself.
 * - `/l/:token/tep/:fileId` serves a file of the delivery's release: a public file to anyone
 *   holding the link; an embargoed one only to the signed-in partner of that delivery whose
 *   LIVE record is accredited (403 otherwise, nothing served). Records `downloaded`; the bytes
 *   carry the delivery's token (marks.ts), so a leaked copy names its recipient.
 *
 * Every answer is `private, no-store` and `Referrer-Policy: no-referrer` (a token in a Referer
 * header would hand the recipient's link to the next site), rate-limited per address.
 */
import { readFile } from 'node:fs/promises'
import { Type } from '@sinclair/typebox'
import { and, eq, sql } from 'drizzle-orm'
import type { FastifyReply } from 'fastify'
import type { Db } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { createRateLimiter } from '../../../platform/http/rate-limit.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { can } from '../../../platform/policy/index.ts'
import { FILE_TYPES, safeFileName } from '../../../platform/uploads/index.ts'
import { claims, verdicts } from '../../factcheck/factcheck.tables.ts'
import { verdictPath } from '../../factcheck/public/outputs.ts'
import { releasePath } from '../../newsroom/newsroom.paths.ts'
import { distributedItemType } from '../distribution.items.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { logDownload } from '../../portal/content/commands/log-download.ts'
import type { EmbargoReader } from '../../portal/portal.policy.ts'
import { findPublicAttachment } from '../../releases/console/console.queries.ts'
import { hasPublicPage, listEmbargoedForJournalists } from '../../releases/releases.public.ts'
import { releaseAttachments, releases } from '../../releases/releases.tables.ts'
import { recordLinkDownloaded, recordLinkOpened } from './commands/record-link-use.ts'
import { addMark, markFormatOf } from './marks.ts'

const TokenParams = Type.Object({ token: Type.String({ maxLength: 64 }) })
const FileParams = Type.Object({ token: Type.String({ maxLength: 64 }), fileId: Type.String({ maxLength: 64 }) })
const TOKEN_RE = /^[A-Za-z0-9_-]{22}$/
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** The delivery behind a token. */
interface LinkedDelivery {
  id: string
  eventId: number | null
  itemType: string
  itemId: string | null
  kind: string
  channel: string
  recipientType: 'partner' | 'subscriber'
  partnerId: string | null
}

async function deliveryOfToken(db: Db, tenantId: string, token: string): Promise<LinkedDelivery> {
  if (!TOKEN_RE.test(token)) throw new AppError('DISTRIBUTION_LINK_UNKNOWN')
  const { rows } = await db.execute<{
    id: string
    event_id: string | null
    item_type: string
    item_id: string | null
    kind: string
    channel: string
    recipient_type: 'partner' | 'subscriber'
    partner_id: string | null
  }>(sql`
    SELECT id, event_id, item_type, item_id, kind, channel, recipient_type, partner_id
    FROM distribution_deliveries WHERE tenant_id = ${tenantId} AND link_token = ${token}`)
  const r = rows[0]
  if (!r) throw new AppError('DISTRIBUTION_LINK_UNKNOWN')
  return {
    id: r.id,
    eventId: r.event_id === null ? null : Number(r.event_id),
    itemType: r.item_type,
    itemId: r.item_id,
    kind: r.kind,
    channel: r.channel,
    recipientType: r.recipient_type,
    partnerId: r.partner_id,
  }
}

/** The item's public page, if it has one now (the items' own public rules). */
async function publicPageOf(db: Db, tenantId: string, d: LinkedDelivery): Promise<string | null> {
  if (!d.itemId || !UUID_RE.test(d.itemId)) return null
  if (d.itemType === 'release') {
    const [r] = await db
      .select({ slug: releases.slug })
      .from(releases)
      .where(and(eq(releases.id, d.itemId), hasPublicPage(tenantId)))
    return r ? releasePath(r.slug) : null
  }
  if (d.itemType === 'verdict') {
    // The item may be keyed by the claim or by a verdict version.
    const [c] = await db
      .select({ slug: claims.slug, published: claims.publishedVerdictId })
      .from(claims)
      .where(
        and(
          eq(claims.tenantId, tenantId),
          sql`(${claims.id} = ${d.itemId} OR ${claims.id} = (SELECT ${verdicts.claimId} FROM ${verdicts} WHERE ${verdicts.id} = ${d.itemId}))`,
        ),
      )
    return c?.slug && c.published ? verdictPath(c.slug) : null
  }
  const other = d.itemType ? distributedItemType(d.itemType) : undefined
  if (other && d.itemId) return other.publicPath(db, tenantId, d.itemId)
  return null
}

/** The recipient's portal message for this delivery's decision (the delivery itself when it is the portal one). */
async function portalMessageOf(db: Db, tenantId: string, d: LinkedDelivery): Promise<string> {
  if (d.channel === 'portal') return d.id
  const { rows } = await db.execute<{ id: string }>(sql`
    SELECT id FROM distribution_deliveries
    WHERE tenant_id = ${tenantId} AND partner_id = ${d.partnerId} AND channel = 'portal'
      AND item_type = ${d.itemType} AND item_id IS NOT DISTINCT FROM ${d.itemId} AND kind = ${d.kind}
    ORDER BY (event_id IS NOT DISTINCT FROM ${d.eventId}) DESC, created_at DESC
    LIMIT 1`)
  return rows[0]?.id ?? d.id
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

function privateReply(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', 'private, no-store')
    .header('referrer-policy', 'no-referrer')
    .header('x-robots-tag', 'noindex, nofollow')
}

/** Registers /l/:token and /l/:token/tep/:fileId. */
export async function registerLinkRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db
  const limiter = createRateLimiter({ name: 'distribution.links', capacity: 60, perMinute: 60 })

  app.get('/l/:token', { config: { access: 'public' }, schema: { hide: true, params: TokenParams } }, async (req, reply) => {
    privateReply(reply)
    await limiter.take(req.ip)
    const d = await deliveryOfToken(db, tenant.id, req.params.token)
    await recordLinkOpened(db, d.id)
    const page = await publicPageOf(db, tenant.id, d)
    if (page) return reply.redirect(page, 303)
    // Not public (embargoed, or not yet): only the recipient's own portal message, which checks
    // the partner's access itself. A public subscriber never receives anything before it is public.
    if (d.recipientType === 'partner') return reply.redirect(`/doi-tac/hop-thu/${await portalMessageOf(db, tenant.id, d)}`, 303)
    throw new AppError('DISTRIBUTION_LINK_UNAVAILABLE')
  })

  app.get('/l/:token/tep/:fileId', { config: { access: 'public' }, schema: { hide: true, params: FileParams } }, async (req, reply) => {
    privateReply(reply)
    await limiter.take(req.ip)
    const d = await deliveryOfToken(db, tenant.id, req.params.token)
    const { fileId } = req.params
    if (d.itemType !== 'release' || !d.itemId || !UUID_RE.test(fileId)) throw new AppError('NOT_FOUND')
    const [file] = await db
      .select()
      .from(releaseAttachments)
      .where(and(eq(releaseAttachments.tenantId, tenant.id), eq(releaseAttachments.releaseId, d.itemId), eq(releaseAttachments.id, fileId)))
    if (!file) throw new AppError('NOT_FOUND')

    const publicFile = await findPublicAttachment(db, tenant.id, fileId)
    if (!publicFile) {
      const underEmbargo = (await listEmbargoedForJournalists(db, tenant.id)).some((r) => r.id === d.itemId)
      if (!underEmbargo) throw new AppError('DISTRIBUTION_LINK_UNAVAILABLE')
      // Only the delivery's own partner, signed in, accredited NOW (the record is loaded in
      // this request: a suspension bites on the next download).
      if (!req.actor || d.recipientType !== 'partner') throw new AppError('DISTRIBUTION_FILE_EMBARGOED')
      const partner = await requirePartner(db, req.actor)
      if (partner.id !== d.partnerId) throw new AppError('DISTRIBUTION_FILE_EMBARGOED')
      const reader: EmbargoReader = { partner }
      if (!can(req.actor, 'read-embargoed', { type: 'release', tenantId: tenant.id, record: reader })) {
        throw new AppError('PARTNER_NOT_ACCREDITED')
      }
      // The portal's download log (staff read it on /console/doi-tac/tai-xuong), before a byte goes out.
      await logDownload({
        db,
        tenantId: tenant.id,
        partnerId: partner.id,
        userId: req.actor.id,
        attachmentId: file.id,
        releaseId: file.releaseId,
        embargoed: true,
        ip: req.ip,
        userAgent: req.headers['user-agent'],
      })
    }

    let bytes: Buffer
    try {
      bytes = await readFile(file.storagePath)
    } catch {
      req.log.error({ attachmentId: file.id }, 'attachment file missing on disk')
      throw new AppError('NOT_FOUND')
    }
    const format = markFormatOf(file.fileType)
    // A file of a markable type that cannot be marked (damaged since the upload sniffed it) is
    // not served: an unmarked copy would leak without a trace.
    let body = bytes
    if (format) {
      try {
        body = addMark(bytes, format, req.params.token)
      } catch (e) {
        req.log.error({ err: e, attachmentId: file.id }, 'could not mark a distributed file')
        throw new AppError('NOT_FOUND')
      }
    }
    await recordLinkDownloaded(db, d.id)
    return reply
      .header('content-type', FILE_TYPES[file.fileType].mime)
      .header('content-length', String(body.length))
      .header('content-disposition', attachmentDisposition(file.fileName))
      .header('x-content-type-options', 'nosniff')
      .header('x-donghanh-marked', format ? 'yes' : 'no')
      .send(body)
  })
}
