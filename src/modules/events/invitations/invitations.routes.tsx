/**
 * Invitations. Staff (`edit` on event): POST /console/su-kien/:id/moi sends the invitations,
 * POST /console/su-kien/:id/gui-cap-nhat mails the current copy to invitees behind (the panel on
 * the event page shows both). Partners (the portal's rule, then `requirePartner` and their own
 * partner id in every query, so another partner's invitation answers 404 like a missing one):
 * /doi-tac/su-kien (list), /doi-tac/su-kien/:id (one event, the answer form),
 * /doi-tac/su-kien/:id.ics (their REQUEST copy), POST /doi-tac/su-kien/:id/tra-loi (answer).
 */
import { Type } from '@sinclair/typebox'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { calendarFileName } from '../events.ics.ts'
import { answerInvitation } from './commands/answer-invitation.ts'
import { lockEvent } from './commands/lock-event.ts'
import { sendEventUpdates } from './commands/send-event-updates.ts'
import { sendInvitations } from './commands/send-invitations.ts'
import { invitationCalendar, organizerOf } from './invitations.mail.ts'
import { portalEventPage, portalEventsPage } from './invitations.pages.tsx'
import { invitationsOfPartner, ownInvitation } from './invitations.queries.ts'
import { portalEventPanels } from './portal-panels.ts'

const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const EDIT = { access: { action: 'edit', subject: 'event' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const IdParams = Type.Object({ id: Str(64) })
const CsrfBody = Type.Object({ _csrf: Type.Optional(Str(200)) })
const NoticeQuery = Type.Object({ ok: Type.Optional(Str(20)) })
// Loose on purpose: the command checks the values and the form comes back with the bilingual
// message; beyond these bounds the request is a plain 400.
const AnswerBody = Type.Object({
  answer: Type.Optional(Str(20)),
  companionName: Type.Optional(Str(1000)),
  companionRole: Type.Optional(Str(1000)),
  _csrf: Type.Optional(Str(200)),
})

/** Registers the staff actions and the partner pages of invitations. */
export async function registerInvitationRoutes(app: TypedApp): Promise<void> {
  const { database } = app.ctx
  const db = database.db

  app.post('/console/su-kien/:id/moi', { config: EDIT, schema: { ...Hidden, params: IdParams, body: CsrfBody } }, async (req, reply) => {
    const actor = actorOf(req)
    await withTransaction(database.pool, (tx) =>
      sendInvitations({ tx, tenantId: actor.tenantId, eventId: req.params.id, actor: auditOf(actor), ip: req.ip }),
    )
    return reply.redirect(`/console/su-kien/${req.params.id}#invitations`, 303)
  })

  app.post(
    '/console/su-kien/:id/gui-cap-nhat',
    { config: EDIT, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      await withTransaction(database.pool, async (tx) => {
        const event = await lockEvent(tx, actor.tenantId, req.params.id)
        if (event.state === 'draft') throw new AppError('EVENT_NOT_ANNOUNCED')
        return sendEventUpdates(tx, event, { actor: auditOf(actor), ip: req.ip })
      })
      return reply.redirect(`/console/su-kien/${req.params.id}#invitations`, 303)
    },
  )

  app.get('/doi-tac/su-kien', { config: PORTAL, schema: { ...Hidden } }, async (req, reply) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    return portalEventsPage({ req, reply }, { items: await invitationsOfPartner(db, actor.tenantId, partner.id) })
  })

  // One route for the page and its calendar file: `:id` and `:id.ics` cannot both be routes.
  app.get(
    '/doi-tac/su-kien/:id',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, querystring: NoticeQuery } },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      const ics = req.params.id.endsWith('.ics')
      const id = ics ? req.params.id.slice(0, -4) : req.params.id
      const item = await ownInvitation(db, actor.tenantId, partner.id, id)
      if (!item) throw new AppError('EVENT_NOT_FOUND')
      if (!ics) return portalEventPage({ req, reply }, { item, notice: req.query.ok, panels: await portalEventPanels(req, reply, item) })
      const organizer = await withTransaction(database.pool, (tx) => organizerOf(tx, actor.tenantId))
      const email = partner.email?.trim() || actor.email
      const cal = invitationCalendar(item.event, organizer, { name: partner.name, email, state: item.invitation.state })
      return reply
        .header('content-type', `text/calendar; charset=utf-8; method=${cal.method}`)
        .header('content-disposition', `attachment; filename="${calendarFileName(item.event)}"`)
        .header('cache-control', 'private, no-store')
        .send(cal.text)
    },
  )

  app.post(
    '/doi-tac/su-kien/:id/tra-loi',
    { config: PORTAL, schema: { ...Hidden, params: IdParams, body: AnswerBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      const b = req.body
      return runForm(
        reply,
        async () => {
          const out = await withTransaction(database.pool, (tx) =>
            answerInvitation({
              tx,
              tenantId: actor.tenantId,
              eventId: req.params.id,
              partnerId: partner.id,
              answer: b.answer ?? '',
              companionName: b.companionName,
              companionRole: b.companionRole,
              actor: auditOf(actor),
              ip: req.ip,
            }),
          )
          return reply.redirect(`/doi-tac/su-kien/${req.params.id}?ok=${out.state === 'waitlisted' ? 'waitlisted' : 'saved'}`, 303)
        },
        async (e) => {
          // Not theirs (or gone): the same 404 as the page.
          if (e.status === 404) throw e
          const item = await ownInvitation(db, actor.tenantId, partner.id, req.params.id)
          if (!item) throw new AppError('EVENT_NOT_FOUND')
          return portalEventPage(
            { req, reply },
            {
              item,
              error: e,
              values: { answer: b.answer, companionName: b.companionName, companionRole: b.companionRole },
              panels: await portalEventPanels(req, reply, item),
            },
          )
        },
      )
    },
  )
}
