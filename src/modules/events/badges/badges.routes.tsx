/**
 * Badges. Partners (the portal's rule, then `requirePartner` and their own partner id, so another
 * partner's invitation answers 404 like a missing one): GET /doi-tac/su-kien/:id/the.png (the QR
 * code) and /the.pdf (the A6 badge). Staff (`edit` on event): GET /console/su-kien/:id/the.pdf
 * (every confirmed attendee's badge, four to an A4 page) and POST
 * /console/su-kien/:id/the/:invitationId/cap-lai (reissue: new version and code, mailed).
 * Badges are personal credentials: every answer is `private, no-store`.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { loadTenant } from '../../../platform/tenancy/index.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { findEvent } from '../commands/load-event.ts'
import { lockEvent, UUID_RE } from '../invitations/commands/lock-event.ts'
import { ownInvitation } from '../invitations/invitations.queries.ts'
import { badgeFileName } from './badges.mail.ts'
import { badgePdf, badgeSheetPdf } from './badges.pdf.ts'
import { badgeOf, badgesOfEvent } from './badges.queries.ts'
import { badgeQrPng } from './badges.qr.ts'
import { issueBadge } from './commands/issue-badge.ts'

const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const EDIT = { access: { action: 'edit', subject: 'event' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const IdParams = Type.Object({ id: Str(64) })
const ReissueParams = Type.Object({ id: Str(64), invitationId: Str(64) })
const CsrfBody = Type.Object({ _csrf: Type.Optional(Str(200)) })

/** Sends a personal file: never cached by a shared cache, nor kept by the browser. */
function sendPrivate(reply: FastifyReply, type: string, body: Buffer, filename?: string): FastifyReply {
  reply.header('content-type', type).header('cache-control', 'private, no-store')
  if (filename) reply.header('content-disposition', `inline; filename="${filename}"`)
  return reply.send(body)
}

/** Registers the partner's badge files and the staff's print-all and reissue. */
export async function registerBadgesRoutes(app: TypedApp): Promise<void> {
  const { database } = app.ctx
  const db = database.db

  /** The partner's own confirmed badge of event `id`; 404 for anything else. */
  async function ownBadge(req: FastifyRequest, eventId: string) {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const item = await ownInvitation(db, actor.tenantId, partner.id, eventId)
    if (!item) throw new AppError('EVENT_NOT_FOUND')
    const badge = await badgeOf(db, actor.tenantId, item.invitation.id)
    if (!badge) throw new AppError('EVENT_BADGE_NONE')
    return badge
  }

  app.get('/doi-tac/su-kien/:id/the.png', { config: PORTAL, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    const badge = await ownBadge(req, req.params.id)
    return sendPrivate(reply, 'image/png', await badgeQrPng(badge.token))
  })

  app.get('/doi-tac/su-kien/:id/the.pdf', { config: PORTAL, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    const badge = await ownBadge(req, req.params.id)
    const office = (await loadTenant(db, actorOf(req).tenantId))?.name ?? 'Đồng Hành'
    return sendPrivate(reply, 'application/pdf', await badgePdf(office, badge), badgeFileName(badge))
  })

  app.get('/console/su-kien/:id/the.pdf', { config: EDIT, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    const actor = actorOf(req)
    const event = await findEvent(db, actor.tenantId, req.params.id)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    const badges = await badgesOfEvent(db, event)
    if (badges.length === 0) throw new AppError('EVENT_BADGE_NONE')
    const office = (await loadTenant(db, actor.tenantId))?.name ?? 'Đồng Hành'
    return sendPrivate(
      reply,
      'application/pdf',
      await badgeSheetPdf(office, event.title, badges),
      `the-tham-du-${event.id.slice(0, 8)}.pdf`,
    )
  })

  app.post(
    '/console/su-kien/:id/the/:invitationId/cap-lai',
    { config: EDIT, schema: { ...Hidden, params: ReissueParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      if (!UUID_RE.test(req.params.invitationId)) throw new AppError('EVENT_BADGE_NONE')
      await withTransaction(database.pool, async (tx) => {
        const event = await lockEvent(tx, actor.tenantId, req.params.id)
        return issueBadge({ tx, event, invitationId: req.params.invitationId, reissue: true, actor: auditOf(actor), ip: req.ip })
      })
      return reply.redirect(`/console/su-kien/${req.params.id}#badges`, 303)
    },
  )
}
