/**
 * Staff routes of events: /console/su-kien (list), /moi (new), /:id (detail), /:id/sua (edit),
 * POST /:id/cong-bo (announce), POST /:id/huy (cancel), /nhip (cadence). Thin: each POST runs
 * one command in one transaction; a refusal re-renders the form with the bilingual message.
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, listOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize, can } from '../../../platform/policy/index.ts'
import { parseLocalDateTime } from '../../../platform/time.ts'
import { allLists } from '../../distribution/lists/lists.repository.ts'
import { listSpokespersons } from '../../spokespersons/spokespersons.repository.ts'
import { announceEvent } from '../commands/announce-event.ts'
import { cancelEvent } from '../commands/cancel-event.ts'
import { createEvent } from '../commands/create-event.ts'
import type { EventInput } from '../commands/event-input.ts'
import { findEvent } from '../commands/load-event.ts'
import { updateEvent } from '../commands/update-event.ts'
import { cadenceSettings, cadenceStatus, saveCadence } from '../events.cadence.ts'
import { invitationsPanel } from '../invitations/panel.tsx'
import { cadencePage, eventDetailPage, type EventFormValues, eventFormPage, eventListPage, formValuesOf } from './console.pages.tsx'
import { listEvents, listsOf, speakersOf } from './console.queries.ts'
import { eventPanels } from './event-panels.ts'

const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const Many = (max: number) => Type.Optional(Type.Union([Str(max), Type.Array(Str(max), { maxItems: 100 })]))
const Csrf = { _csrf: Type.Optional(Str(100)) }
const IdParams = Type.Object({ id: Str(64) })
const EventBody = Type.Object({
  kind: Str(40),
  title: Str(600),
  topic: Type.Optional(Str(2000)),
  agendaMd: Type.Optional(Str(40000)),
  startsAt: Str(40),
  endsAt: Str(40),
  place: Type.Optional(Str(1000)),
  mapUrl: Type.Optional(Str(4096)),
  onlineUrl: Type.Optional(Str(4096)),
  capacity: Type.Optional(Str(20)),
  rsvpDeadline: Type.Optional(Str(40)),
  speakerIds: Many(64),
  listIds: Many(64),
  ...Csrf,
})
const CancelBody = Type.Object({ reason: Str(2000), ...Csrf })
const CadenceBody = Type.Object({ conferenceDays: Str(10), updateDays: Str(10), ...Csrf })
const DoneQuery = Type.Object({ done: Type.Optional(Str(40)) })
const NOTICES = new Set(['created', 'updated', 'announced', 'cancelled', 'cadence'])

/** The typed values as the form shows them again after a refusal. */
function typedValues(b: Static<typeof EventBody>): EventFormValues {
  return {
    kind: b.kind,
    title: b.title,
    topic: b.topic ?? '',
    agendaMd: b.agendaMd ?? '',
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    place: b.place ?? '',
    mapUrl: b.mapUrl ?? '',
    onlineUrl: b.onlineUrl ?? '',
    capacity: b.capacity ?? '',
    rsvpDeadline: b.rsvpDeadline ?? '',
    speakerIds: listOf(b.speakerIds),
    listIds: listOf(b.listIds),
  }
}

/**
 * The command input: times typed as Asia/Ho_Chi_Minh wall time become instants; an unreadable
 * time is refused here (a typed `EVENT_INVALID`), never guessed.
 */
function inputOf(b: Static<typeof EventBody>): EventInput {
  const startsAt = parseLocalDateTime(b.startsAt)
  const endsAt = parseLocalDateTime(b.endsAt)
  if (!startsAt || !endsAt) throw new AppError('EVENT_INVALID', { reason: 'thời gian / time' })
  let rsvpDeadline: Date | null = null
  if (b.rsvpDeadline?.trim()) {
    rsvpDeadline = parseLocalDateTime(b.rsvpDeadline)
    if (!rsvpDeadline) throw new AppError('EVENT_INVALID', { reason: 'hạn đăng ký / answer deadline' })
  }
  return {
    kind: b.kind,
    title: b.title,
    topic: b.topic,
    agendaMd: b.agendaMd,
    startsAt,
    endsAt,
    place: b.place,
    mapUrl: b.mapUrl,
    onlineUrl: b.onlineUrl,
    capacity: b.capacity ?? '',
    rsvpDeadline,
    speakerIds: listOf(b.speakerIds),
    listIds: listOf(b.listIds),
  }
}

/** The host part of new iCalendar UIDs: the site's public host. */
function uidDomain(): string {
  try {
    return new URL(processConfig().publicUrl).hostname || 'donghanh.local'
  } catch {
    return 'donghanh.local'
  }
}

/** Staff: /console/su-kien (list, new, detail, edit, announce, cancel; cadence at /console/su-kien/nhip). */
export async function registerEventConsoleRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db
  const READ = { access: { action: 'read', subject: 'event' } }
  const EDIT = { access: { action: 'edit', subject: 'event' } }

  app.get('/console/su-kien', { config: READ, schema: { ...Hidden, querystring: DoneQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'event')
    const { upcoming, past } = await listEvents(db, tenant.id, now())
    const done = req.query.done
    return eventListPage(
      { req, reply },
      {
        upcoming,
        past,
        canEdit: can(actor, 'edit', 'event'),
        canConfigure: can(actor, 'configure', 'event'),
        notice: done && NOTICES.has(done) ? `events-core.done.${done}` : undefined,
      },
    )
  })

  const showForm = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { id?: string; values?: Partial<EventFormValues>; announced?: boolean; error?: AppError },
  ) => {
    const [speakers, lists] = await Promise.all([listSpokespersons(db, tenant.id), allLists(db, tenant.id)])
    return eventFormPage(
      { req, reply },
      {
        ...o,
        speakers: speakers.map((s) => ({ id: s.id, name: s.name, title: s.title, active: s.active })),
        lists: lists.map((x) => ({ id: x.id, name: x.name })),
      },
    )
  }

  app.get('/console/su-kien/moi', { config: EDIT, schema: Hidden }, async (req, reply) => {
    authorize(actorOf(req), 'edit', 'event')
    return showForm(req, reply, { values: { kind: 'regular_press_conference' } })
  })

  app.post('/console/su-kien/moi', { config: EDIT, schema: { ...Hidden, body: EventBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'edit', 'event')
    const b = req.body
    return runForm(
      reply,
      async () => {
        const input = inputOf(b)
        const { id } = await withTransaction(database.pool, (tx) =>
          createEvent({ tx, tenantId: tenant.id, actor: auditOf(actor), input, uidDomain: uidDomain(), ip: req.ip }),
        )
        return reply.redirect(`/console/su-kien/${id}?done=created`, 303)
      },
      (e) => showForm(req, reply, { values: typedValues(b), error: e }),
    )
  })

  // The cadence page is registered before `/:id` reads would match it (static routes win in
  // find-my-way anyway; kept together for reading).
  const showCadence = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { notice?: string; error?: AppError; settings?: { conferenceDays: string; updateDays: string } } = {},
  ) => {
    const actor = actorOf(req)
    const [rules, settings] = await Promise.all([cadenceStatus(db, tenant.id), cadenceSettings(db, tenant.id)])
    return cadencePage(
      { req, reply },
      { rules, settings: o.settings ?? settings, canConfigure: can(actor, 'configure', 'event'), notice: o.notice, error: o.error },
    )
  }
  app.get('/console/su-kien/nhip', { config: READ, schema: { ...Hidden, querystring: DoneQuery } }, async (req, reply) => {
    authorize(actorOf(req), 'read', 'event')
    return showCadence(req, reply, { notice: req.query.done === 'cadence' ? 'events-core.done.cadence' : undefined })
  })
  app.post(
    '/console/su-kien/nhip',
    { config: { access: { action: 'configure', subject: 'event' } }, schema: { ...Hidden, body: CadenceBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'configure', 'event')
      const b = req.body
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) =>
            saveCadence({
              tx,
              tenantId: tenant.id,
              actor: auditOf(actor),
              conferenceDays: b.conferenceDays,
              updateDays: b.updateDays,
              ip: req.ip,
            }),
          )
          return reply.redirect('/console/su-kien/nhip?done=cadence', 303)
        },
        (e) => showCadence(req, reply, { error: e, settings: { conferenceDays: b.conferenceDays, updateDays: b.updateDays } }),
      )
    },
  )

  const showDetail = async (req: FastifyRequest, reply: FastifyReply, id: string, o: { notice?: string; error?: AppError } = {}) => {
    const actor = actorOf(req)
    const event = await findEvent(db, tenant.id, id)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    const [speakers, lists] = await Promise.all([speakersOf(db, event.id), listsOf(db, event.id)])
    return eventDetailPage(
      { req, reply },
      {
        event,
        speakers,
        lists,
        can: { edit: can(actor, 'edit', 'event'), announce: can(actor, 'announce', 'event'), cancel: can(actor, 'cancel', 'event') },
        invitations: await invitationsPanel(req, reply, event),
        panels: await eventPanels(req, reply, event),
        ...o,
      },
    )
  }

  app.get('/console/su-kien/:id', { config: READ, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } }, async (req, reply) => {
    authorize(actorOf(req), 'read', 'event')
    const done = req.query.done
    return showDetail(req, reply, req.params.id, { notice: done && NOTICES.has(done) ? `events-core.done.${done}` : undefined })
  })

  app.get('/console/su-kien/:id/sua', { config: EDIT, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    authorize(actorOf(req), 'edit', 'event')
    const event = await findEvent(db, tenant.id, req.params.id)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    if (event.state === 'cancelled' || event.state === 'done') throw new AppError('EVENT_CLOSED')
    const [speakers, lists] = await Promise.all([speakersOf(db, event.id), listsOf(db, event.id)])
    return showForm(req, reply, {
      id: event.id,
      announced: event.state === 'announced',
      values: formValuesOf(
        event,
        speakers.map((s) => s.id),
        lists.map((x) => x.id),
      ),
    })
  })

  app.post('/console/su-kien/:id/sua', { config: EDIT, schema: { ...Hidden, params: IdParams, body: EventBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'edit', 'event')
    const b = req.body
    const id = req.params.id
    return runForm(
      reply,
      async () => {
        const input = inputOf(b)
        await withTransaction(database.pool, (tx) => updateEvent({ tx, tenantId: tenant.id, actor: auditOf(actor), id, input, ip: req.ip }))
        return reply.redirect(`/console/su-kien/${id}?done=updated`, 303)
      },
      async (e) => {
        if (e.code === 'EVENT_NOT_FOUND') throw e
        const event = await findEvent(db, tenant.id, id)
        return showForm(req, reply, { id, values: typedValues(b), announced: event?.state === 'announced', error: e })
      },
    )
  })

  app.post(
    '/console/su-kien/:id/cong-bo',
    { config: { access: { action: 'announce', subject: 'event' } }, schema: { ...Hidden, params: IdParams, body: Type.Object(Csrf) } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'announce', 'event')
      const id = req.params.id
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) => announceEvent({ tx, tenantId: tenant.id, actor: auditOf(actor), id, ip: req.ip }))
          return reply.redirect(`/console/su-kien/${id}?done=announced`, 303)
        },
        (e) => {
          if (e.code === 'EVENT_NOT_FOUND') throw e
          return showDetail(req, reply, id, { error: e })
        },
      )
    },
  )

  app.post(
    '/console/su-kien/:id/huy',
    { config: { access: { action: 'cancel', subject: 'event' } }, schema: { ...Hidden, params: IdParams, body: CancelBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'cancel', 'event')
      const id = req.params.id
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) =>
            cancelEvent({ tx, tenantId: tenant.id, actor: auditOf(actor), id, reason: req.body.reason, ip: req.ip }),
          )
          return reply.redirect(`/console/su-kien/${id}?done=cancelled`, 303)
        },
        (e) => {
          if (e.code === 'EVENT_NOT_FOUND') throw e
          return showDetail(req, reply, id, { error: e })
        },
      )
    },
  )
}
