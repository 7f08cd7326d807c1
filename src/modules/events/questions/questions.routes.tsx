/**
 * Live questions. Partners (the portal's rule, then `requirePartner` and their own invitation):
 * POST /doi-tac/su-kien/:id/cau-hoi asks (the form sits on their event page). Staff ('read'
 * event to see, 'moderate' to act): GET /console/su-kien/:id/cau-hoi (the queue), its live
 * stream …/cau-hoi/luong (server-sent events), POST …/cau-hoi/:qid/{duyet,da-tra-loi,gop,tu-choi}
 * and POST …/cau-hoi/tong-hop (the Q&A summary as a draft release).
 */
import { Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import { formatTime } from '../../../platform/html/layout.tsx'
import { pageForTooLarge } from '../../../platform/html/too-long.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import { openProgressStream, prepareProgressStreams } from '../../distribution/console/progress-stream.ts'
import { requirePartner } from '../../partners/partners.actor.ts'
import { findEvent } from '../commands/load-event.ts'
import { portalEventPage } from '../invitations/invitations.pages.tsx'
import { ownInvitation } from '../invitations/invitations.queries.ts'
import { portalEventPanels } from '../invitations/portal-panels.ts'
import { askQuestion } from './commands/ask-question.ts'
import { type ModerationAction, moderateQuestion } from './commands/moderate-question.ts'
import { publishQaSummary } from './commands/publish-qa-summary.ts'
import { questionQueuePage } from './questions.pages.tsx'
import { keepQuestionForm } from './questions.panel.tsx'
import { countsOf, QUESTION_MAX_CHARS, questionQueue } from './questions.queries.ts'

/**
 * Bytes the question form may carry: a question over the limit (2,000 characters, up to ~18 KB
 * encoded) is read whole and comes back in the form; a body larger still is refused before it
 * is read, with the page saying so in both languages.
 */
export const QUESTION_BODY_LIMIT = 64 * 1024

const PORTAL = { access: { action: 'read', subject: 'portal' } } as const
const READ = { access: { action: 'read', subject: 'event' } } as const
const MODERATE = { access: { action: 'moderate', subject: 'event' } } as const
const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(200)) }
const IdParams = Type.Object({ id: Str(64) })
const QuestionParams = Type.Object({ id: Str(64), qid: Str(64) })
// Loose on purpose: the command checks the text and the form comes back with it.
const AskBody = Type.Object({ body: Type.Optional(Str(QUESTION_BODY_LIMIT)), ...Csrf })
const ModerateBody = Type.Object({ note: Type.Optional(Str(QUESTION_BODY_LIMIT)), target: Type.Optional(Str(64)), ...Csrf })
const DoneQuery = Type.Object({ done: Type.Optional(Str(20)) })
const NOTICES = new Set(['approve', 'answered', 'merge', 'reject'])

/** The URL step of each moderation action. */
const STEPS: Record<string, ModerationAction> = { duyet: 'approve', 'da-tra-loi': 'answered', gop: 'merge', 'tu-choi': 'reject' }

/** Registers the partner's question form and the moderators' queue, stream and actions. */
export async function registerQuestionsRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  /** The partner's event page with the question form showing its refusal (and the text kept when it was read). */
  const refusedQuestion = async (req: FastifyRequest, reply: FastifyReply, error: AppError, body: string, lost = false) => {
    const actor = actorOf(req)
    const partner = await requirePartner(db, actor)
    const item = await ownInvitation(db, actor.tenantId, partner.id, (req.params as { id: string }).id)
    if (!item) throw new AppError('EVENT_NOT_FOUND')
    keepQuestionForm(req, {
      error,
      body,
      tooLong: lost ? 'lost' : error.code === 'EVENT_QUESTION_TOO_LONG' ? 'kept' : undefined,
    })
    for (const [k, v] of Object.entries(error.headers)) reply.header(k, v)
    return portalEventPage({ req, reply }, { item, error, panels: await portalEventPanels(req, reply, item) })
  }

  app.post(
    '/doi-tac/su-kien/:id/cau-hoi',
    {
      config: PORTAL,
      bodyLimit: QUESTION_BODY_LIMIT,
      // A body over the limit cannot be read: a browser gets its event page with the bilingual
      // 413 and how to get the text back; anything else goes to the app's error handler.
      errorHandler: async (err, req, reply) => {
        if (!pageForTooLarge(err, req) || !req.actor) throw err
        return refusedQuestion(req, reply, new AppError('EVENT_QUESTION_TOO_LONG', { max: QUESTION_MAX_CHARS }), '', true)
      },
      schema: { ...Hidden, params: IdParams, body: AskBody },
    },
    async (req, reply) => {
      const actor = actorOf(req)
      const partner = await requirePartner(db, actor)
      const text = req.body.body ?? ''
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) =>
            askQuestion({
              tx,
              tenantId: actor.tenantId,
              eventId: req.params.id,
              partnerId: partner.id,
              body: text,
              actor: auditOf(actor),
              ip: req.ip,
            }),
          )
          return reply.redirect(`/doi-tac/su-kien/${req.params.id}#questions`, 303)
        },
        async (e) => {
          // Not theirs (or gone): the same 404 as the page.
          if (e.status === 404) throw e
          return refusedQuestion(req, reply, e, text)
        },
      )
    },
  )

  /** The event of this tenant, or the 404 every staff route of questions answers alike. */
  const eventOf = async (id: string) => {
    const event = await findEvent(db, tenant.id, id)
    if (!event || event.state === 'draft') throw new AppError('EVENT_NOT_FOUND')
    return event
  }

  const showQueue = async (req: FastifyRequest, reply: FastifyReply, id: string, o: { notice?: string; error?: AppError } = {}) => {
    const actor = actorOf(req)
    const event = await eventOf(id)
    return questionQueuePage(
      { req, reply },
      { event, items: await questionQueue(db, tenant.id, event.id), mayModerate: can(actor, 'moderate', 'event'), ...o },
    )
  }

  app.get(
    '/console/su-kien/:id/cau-hoi',
    { config: READ, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } },
    async (req, reply) => {
      authorize(actorOf(req), 'read', 'event')
      const done = req.query.done
      return showQueue(req, reply, req.params.id, { notice: done && NOTICES.has(done) ? `evquestions.done.${done}` : undefined })
    },
  )

  app.get('/console/su-kien/:id/cau-hoi/luong', { config: READ, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    authorize(actorOf(req), 'read', 'event')
    const event = await eventOf(req.params.id)
    const l = req.locale
    openProgressStream(app, req, reply, async () => {
      const items = await questionQueue(db, tenant.id, event.id)
      return { counts: countsOf(items), items: items.map((q) => ({ ...q, at: formatTime(new Date(q.createdAt), l) })) }
    })
    return reply
  })

  for (const [step, action] of Object.entries(STEPS)) {
    app.post(
      `/console/su-kien/:id/cau-hoi/:qid/${step}`,
      { config: MODERATE, schema: { ...Hidden, params: QuestionParams, body: ModerateBody } },
      async (req, reply) => {
        const actor = actorOf(req)
        authorize(actor, 'moderate', 'event')
        const { id, qid } = req.params
        return runForm(
          reply,
          async () => {
            await withTransaction(database.pool, (tx) =>
              moderateQuestion({
                tx,
                tenantId: tenant.id,
                eventId: id,
                questionId: qid,
                action,
                note: req.body.note,
                targetId: req.body.target,
                actor: auditOf(actor),
                ip: req.ip,
              }),
            )
            return reply.redirect(`/console/su-kien/${id}/cau-hoi?done=${action}#q-${qid}`, 303)
          },
          (e) => {
            if (e.code === 'EVENT_NOT_FOUND') throw e
            return showQueue(req, reply, id, { error: e })
          },
        )
      },
    )
  }

  app.post(
    '/console/su-kien/:id/cau-hoi/tong-hop',
    { config: MODERATE, schema: { ...Hidden, params: IdParams, body: Type.Object(Csrf) } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'moderate', 'event')
      const id = req.params.id
      return runForm(
        reply,
        async () => {
          const { releaseId } = await withTransaction(database.pool, (tx) =>
            publishQaSummary({ tx, tenantId: tenant.id, eventId: id, actor: auditOf(actor), ip: req.ip }),
          )
          return reply.redirect(`/console/releases/${releaseId}`, 303)
        },
        (e) => {
          if (e.code === 'EVENT_NOT_FOUND') throw e
          return showQueue(req, reply, id, { error: e })
        },
      )
    },
  )

  prepareProgressStreams(app)
}
