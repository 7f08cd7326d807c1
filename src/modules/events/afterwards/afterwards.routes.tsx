/**
 * Afterwards (staff, `edit` on event unless said): POST /console/su-kien/:id/da-dien-ra (held),
 * POST …/tai-lieu (add a material; GET shows the form alone), POST …/tai-lieu/:mid/xoa
 * (remove), POST …/tai-lieu/gui (send the materials), GET/POST …/moi/:invitationId/rut
 * (withdraw an invitation), and GET /console/su-kien/tham-du (`read`: the attendance report,
 * `?dinh-dang=csv` for Excel). Thin: each POST runs one command in one transaction; a refused
 * form comes back with the bilingual message and what was typed.
 */
import { Type } from '@sinclair/typebox'
import { and, eq } from 'drizzle-orm'
import { withTransaction } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { authorize } from '../../../platform/policy/index.ts'
import { localDay, localDayStart } from '../../../platform/time.ts'
import { partners } from '../../partners/partners.tables.ts'
import { completeEvent } from '../commands/complete-event.ts'
import { findEvent } from '../commands/load-event.ts'
import { eventInvitations } from '../events.tables.ts'
import { UUID_RE } from '../invitations/commands/lock-event.ts'
import { attendanceReportCsv, attendanceReportPage, type MaterialFormValues, materialFormPage, withdrawPage } from './afterwards.pages.tsx'
import { attendanceReport, publishedReleaseOptions } from './afterwards.queries.ts'
import { addMaterial } from './commands/add-material.ts'
import { removeMaterial } from './commands/remove-material.ts'
import { sendMaterials } from './commands/send-materials.ts'
import { withdrawInvitation } from './commands/withdraw-invitation.ts'

const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(200)) }
const IdParams = Type.Object({ id: Str(64) })
const MaterialParams = Type.Object({ id: Str(64), mid: Str(64) })
const InvitationParams = Type.Object({ id: Str(64), invitationId: Str(64) })
const CsrfBody = Type.Object(Csrf)
// Loose bounds: the command checks the values and the form comes back with the message.
const MaterialBody = Type.Object({
  kind: Type.Optional(Str(40)),
  title: Type.Optional(Str(2000)),
  url: Type.Optional(Str(8192)),
  releaseId: Type.Optional(Str(64)),
  ...Csrf,
})
const WithdrawBody = Type.Object({ reason: Type.Optional(Str(4000)), ...Csrf })
const ReportQuery = Type.Object({
  tu: Type.Optional(Str(20)),
  den: Type.Optional(Str(20)),
  'dinh-dang': Type.Optional(Str(10)),
})

const EDIT = { access: { action: 'edit', subject: 'event' } } as const
const READ = { access: { action: 'read', subject: 'event' } } as const
const DAY = 86_400_000
/** Longest report range (a wider one is refused, not truncated). */
const MAX_RANGE_DAYS = 5 * 366

/** The report's range: the typed days, or the current local year; [from, to + 1 day) as instants. */
function reportRange(q: { tu?: string; den?: string }): { from: string; to: string; fromAt: Date; toAt: Date } {
  const year = localDay(now()).slice(0, 4)
  const from = q.tu?.trim() || `${year}-01-01`
  const to = q.den?.trim() || `${year}-12-31`
  const fromAt = localDayStart(from)
  const toStart = localDayStart(to)
  if (!fromAt || !toStart || toStart.getTime() < fromAt.getTime() || toStart.getTime() - fromAt.getTime() > MAX_RANGE_DAYS * DAY) {
    throw new AppError('EVENT_ATTENDANCE_RANGE')
  }
  return { from, to, fromAt, toAt: new Date(toStart.getTime() + DAY) }
}

/** Registers the afterwards routes. */
export async function registerAfterwardsRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  app.get('/console/su-kien/tham-du', { config: READ, schema: { ...Hidden, querystring: ReportQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'event')
    const q = req.query
    return runForm(
      reply,
      async () => {
        const range = reportRange(q)
        const report = await attendanceReport(db, tenant.id, range.fromAt, range.toAt)
        if (q['dinh-dang'] === 'csv') {
          return reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="tham-du-${range.from}-${range.to}.csv"`)
            .header('cache-control', 'no-store')
            .header('x-content-type-options', 'nosniff')
            .send(attendanceReportCsv(req.locale, report))
        }
        return attendanceReportPage({ req, reply }, { from: range.from, to: range.to, ...report })
      },
      (e) => attendanceReportPage({ req, reply }, { from: q.tu ?? '', to: q.den ?? '', events: [], outlets: [], error: e }),
    )
  })

  app.post(
    '/console/su-kien/:id/da-dien-ra',
    { config: EDIT, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'edit', 'event')
      await withTransaction(database.pool, (tx) =>
        completeEvent({ tx, tenantId: tenant.id, actor: auditOf(actor), id: req.params.id, ip: req.ip }),
      )
      return reply.redirect(`/console/su-kien/${req.params.id}#afterwards`, 303)
    },
  )

  const showMaterialForm = async (
    req: Parameters<typeof materialFormPage>[0]['req'],
    reply: Parameters<typeof materialFormPage>[0]['reply'],
    id: string,
    o: { values?: MaterialFormValues; error?: AppError } = {},
  ) => {
    const event = await findEvent(db, tenant.id, id)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    return materialFormPage({ req, reply }, { event, releases: await publishedReleaseOptions(db, tenant.id), ...o })
  }

  app.get('/console/su-kien/:id/tai-lieu', { config: EDIT, schema: { ...Hidden, params: IdParams } }, async (req, reply) => {
    authorize(actorOf(req), 'edit', 'event')
    return showMaterialForm(req, reply, req.params.id)
  })

  app.post(
    '/console/su-kien/:id/tai-lieu',
    { config: EDIT, schema: { ...Hidden, params: IdParams, body: MaterialBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'edit', 'event')
      const b = req.body
      const values: MaterialFormValues = { kind: b.kind, title: b.title, url: b.url, releaseId: b.releaseId }
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) =>
            addMaterial({
              tx,
              tenantId: tenant.id,
              eventId: req.params.id,
              input: { ...values, kind: b.kind ?? '' },
              actor: auditOf(actor),
              ip: req.ip,
            }),
          )
          return reply.redirect(`/console/su-kien/${req.params.id}#afterwards`, 303)
        },
        (e) => {
          if (e.status === 404) throw e
          return showMaterialForm(req, reply, req.params.id, { values, error: e })
        },
      )
    },
  )

  app.post(
    '/console/su-kien/:id/tai-lieu/:mid/xoa',
    { config: EDIT, schema: { ...Hidden, params: MaterialParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'edit', 'event')
      await withTransaction(database.pool, (tx) =>
        removeMaterial({ tx, tenantId: tenant.id, eventId: req.params.id, materialId: req.params.mid, actor: auditOf(actor), ip: req.ip }),
      )
      return reply.redirect(`/console/su-kien/${req.params.id}#afterwards`, 303)
    },
  )

  app.post(
    '/console/su-kien/:id/tai-lieu/gui',
    { config: EDIT, schema: { ...Hidden, params: IdParams, body: CsrfBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'edit', 'event')
      await withTransaction(database.pool, (tx) =>
        sendMaterials({ tx, tenantId: tenant.id, eventId: req.params.id, actor: auditOf(actor), ip: req.ip }),
      )
      return reply.redirect(`/console/su-kien/${req.params.id}#afterwards`, 303)
    },
  )

  /** The invitation with its partner's name, of this event and tenant; 404 otherwise. */
  const invitationOf = async (eventId: string, invitationId: string) => {
    const event = await findEvent(db, tenant.id, eventId)
    if (!event) throw new AppError('EVENT_NOT_FOUND')
    if (!UUID_RE.test(invitationId)) throw new AppError('EVENT_INVITATION_NOT_FOUND')
    const [row] = await db
      .select({ id: eventInvitations.id, name: partners.name })
      .from(eventInvitations)
      .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
      .where(and(eq(eventInvitations.id, invitationId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.tenantId, tenant.id)))
    if (!row) throw new AppError('EVENT_INVITATION_NOT_FOUND')
    return { event, invitationId: row.id, partnerName: row.name }
  }

  app.get(
    '/console/su-kien/:id/moi/:invitationId/rut',
    { config: EDIT, schema: { ...Hidden, params: InvitationParams } },
    async (req, reply) => {
      authorize(actorOf(req), 'edit', 'event')
      return withdrawPage({ req, reply }, await invitationOf(req.params.id, req.params.invitationId))
    },
  )

  app.post(
    '/console/su-kien/:id/moi/:invitationId/rut',
    { config: EDIT, schema: { ...Hidden, params: InvitationParams, body: WithdrawBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'edit', 'event')
      const { id, invitationId } = req.params
      const reason = req.body.reason ?? ''
      return runForm(
        reply,
        async () => {
          await withTransaction(database.pool, (tx) =>
            withdrawInvitation({ tx, tenantId: tenant.id, eventId: id, invitationId, reason, actor: auditOf(actor), ip: req.ip }),
          )
          return reply.redirect(`/console/su-kien/${id}#invitations`, 303)
        },
        async (e) => {
          if (e.status === 404) throw e
          return withdrawPage({ req, reply }, { ...(await invitationOf(id, invitationId)), reason, error: e })
        },
      )
    },
  )
}
