/**
 * The staff routes of press inquiries (`/console/hoi-dap…`): validate, authorise, one command
 * or query, present. Pages in `inquiries.console-pages.tsx`.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'
import { and, asc, eq, inArray, isNull } from 'drizzle-orm'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { actorOf, auditOf, runForm } from '../../platform/html/forms.tsx'
import type { TypedApp } from '../../platform/modules.ts'
import { type Actor, authorize, can, STAFF_ROLES } from '../../platform/policy/index.ts'
import { localDay, parseLocalDateTime } from '../../platform/time.ts'
import { users } from '../accounts/accounts.tables.ts'
import { seesCase } from '../cases/cases.policy.ts'
import { caseSubject, listCasesFor, unsafeLoadCase } from '../cases/cases.repository.ts'
import { partners } from '../partners/partners.tables.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { answerInquiry, publicQuestionOf } from './commands/answer-inquiry.ts'
import { assignInquiry } from './commands/assign-inquiry.ts'
import { createInquiry } from './commands/create-inquiry.ts'
import { inquirySubject } from './commands/decide-common.ts'
import { addHoliday, removeHoliday, setKindClock } from './commands/edit-calendar.ts'
import { linkInquiryCase, visibleCaseId } from './commands/link-case.ts'
import { refuseInquiry } from './commands/refuse-inquiry.ts'
import { type Choice, calendarPage, dashboardPage, detailPage, type LinkedCase, logPage } from './inquiries.console-pages.tsx'
import {
  inquiryHistory,
  inquiryStats,
  isUuid,
  kindClocks,
  listHolidays,
  listInquiries,
  type InquiryFilter,
  unsafeGetInquiry,
} from './inquiries.repository.ts'
import { INQUIRY_KINDS, INQUIRY_STATUSES, type InquiryKind, type InquiryStatus } from './inquiries.tables.ts'

const Str = (max: number) => Type.String({ maxLength: max })
const Opt = (max: number) => Type.Optional(Str(max))
const Hidden = { hide: true }
const READ = { access: { action: 'read', subject: 'inquiry' } } as const
const IdParams = Type.Object({ id: Str(64) })
const Csrf = { _csrf: Opt(200) }
const ListQuery = Type.Object({ status: Opt(20), kind: Opt(20), assignee: Opt(64), partner: Opt(64), view: Opt(20), days: Opt(4) })
const LogBody = Type.Object({
  channel: Str(10),
  kind: Str(20),
  partnerId: Opt(64),
  askerName: Opt(2000),
  askerOutlet: Opt(2000),
  askerContact: Opt(2000),
  askerEmail: Opt(2000),
  topic: Str(2000),
  question: Type.String(),
  caseRef: Opt(2000),
  caseId: Opt(64),
  neededBy: Opt(40),
  ...Csrf,
})
const AssignBody = Type.Object({ spokespersonId: Opt(64), userId: Opt(64), ...Csrf })
const AnswerBody = Type.Object({
  answer: Type.String(),
  spokespersonId: Opt(64),
  publish: Opt(8),
  publicQuestion: Type.Optional(Type.String()),
  ...Csrf,
})
const RefuseBody = Type.Object({ ground: Opt(40), explanation: Type.Optional(Type.String()), ...Csrf })
const CaseBody = Type.Object({ caseId: Opt(64), ...Csrf })
const DayBody = Type.Object({ day: Str(20), name: Opt(400), ...Csrf })
const ClockBody = Type.Object({ kind: Str(20), unit: Str(20), amount: Str(6), escalatePercent: Str(6), ...Csrf })
const YearQuery = Type.Object({ year: Opt(4), done: Opt(20) })
const DoneQuery = Type.Object({ done: Opt(20) })
const DONE = new Set(['assigned', 'answered', 'refused', 'linked', 'logged'])

/** Registers the staff pages. */
export async function registerConsoleInquiryRoutes(app: TypedApp): Promise<void> {
  const { database, tenant, config } = app.ctx
  const db = database.db

  const partnerChoices = async (): Promise<Choice[]> => {
    const rows = await db
      .select({ id: partners.id, name: partners.name, email: partners.email })
      .from(partners)
      .where(and(eq(partners.tenantId, tenant.id), isNull(partners.mergedInto)))
      .orderBy(asc(partners.name))
      .limit(1000)
    return rows.map((p) => ({ id: p.id, label: p.email ? `${p.name} · ${p.email}` : p.name }))
  }
  const spokespersonChoices = async (): Promise<Choice[]> => {
    const rows = await db
      .select()
      .from(spokespersons)
      .where(and(eq(spokespersons.tenantId, tenant.id), eq(spokespersons.active, true)))
      .orderBy(asc(spokespersons.name))
    return rows.map((s) => ({ id: s.id, label: `${s.name} — ${s.title}` }))
  }
  const officerChoices = async (): Promise<Choice[]> => {
    const rows = await db
      .select({ id: users.id, name: users.name, email: users.email })
      .from(users)
      .where(and(eq(users.tenantId, tenant.id), eq(users.status, 'active'), inArray(users.role, [...STAFF_ROLES])))
      .orderBy(asc(users.email))
    return rows.map((u) => ({ id: u.id, label: u.name ? `${u.name} · ${u.email}` : u.email }))
  }
  const caseChoices = async (actor: Actor): Promise<Choice[]> =>
    (await listCasesFor(db, actor)).filter((c) => c.state !== 'closed').map((c) => ({ id: c.id, label: `${c.code} — ${c.title}` }))

  app.get('/console/hoi-dap', { config: READ, schema: { ...Hidden, querystring: ListQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'inquiry')
    const q = req.query
    const filter: InquiryFilter = {
      status: (INQUIRY_STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as InquiryStatus) : undefined,
      kind: (INQUIRY_KINDS as readonly string[]).includes(q.kind ?? '') ? (q.kind as InquiryKind) : undefined,
      assignee: q.assignee && isUuid(q.assignee) ? q.assignee : undefined,
      partnerId: q.partner && isUuid(q.partner) ? q.partner : undefined,
      view: q.view === 'due_soon' || q.view === 'overdue' ? q.view : undefined,
    }
    const periodDays = Math.min(Math.max(Number(q.days) || 90, 1), 3650)
    const at = now()
    const [stats, rows, sps, officers, ps] = await Promise.all([
      inquiryStats(db, tenant.id, new Date(at.getTime() - periodDays * 86_400_000)),
      listInquiries(db, tenant.id, filter),
      spokespersonChoices(),
      officerChoices(),
      partnerChoices(),
    ])
    return dashboardPage(
      { req, reply },
      {
        stats,
        periodDays,
        rows,
        filter,
        assignees: [...sps, ...officers],
        partners: ps,
        at,
        canConfigure: can(actor, 'configure', 'inquiry'),
      },
    )
  })

  app.get('/console/hoi-dap/moi', { config: { access: { action: 'log', subject: 'inquiry' } }, schema: Hidden }, async (req, reply) => {
    const actor = actorOf(req)
    return logPage({ req, reply }, { partners: await partnerChoices(), cases: await caseChoices(actor) })
  })

  app.post(
    '/console/hoi-dap',
    { config: { access: { action: 'log', subject: 'inquiry' } }, schema: { ...Hidden, body: LogBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'log', 'inquiry')
      const b = req.body
      return runForm(
        reply,
        async () => {
          if (b.channel !== 'phone' && b.channel !== 'email') throw new AppError('INQUIRY_INVALID', { field: 'channel' })
          const neededBy = b.neededBy ? parseLocalDateTime(b.neededBy) : null
          if (b.neededBy && !neededBy) throw new AppError('INQUIRY_INVALID', { field: 'neededBy' })
          const row = await withTransaction(database.pool, async (tx) => {
            let asker: Parameters<typeof createInquiry>[0]['asker']
            if (b.partnerId) {
              if (!isUuid(b.partnerId)) throw new AppError('INQUIRY_INVALID', { field: 'partner' })
              const [p] = await tx
                .select()
                .from(partners)
                .where(and(eq(partners.tenantId, tenant.id), eq(partners.id, b.partnerId), isNull(partners.mergedInto)))
              if (!p) throw new AppError('INQUIRY_INVALID', { field: 'partner' })
              asker = {
                partnerId: p.id,
                userId: p.userId,
                name: p.name,
                email: p.email,
                contact: p.phone,
                outlet: b.askerOutlet?.trim() || null,
              }
            } else {
              const email = b.askerEmail?.trim().toLowerCase() || null
              if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new AppError('INQUIRY_INVALID', { field: 'email' })
              asker = {
                partnerId: null,
                userId: null,
                name: b.askerName ?? '',
                email,
                contact: b.askerContact?.trim() || null,
                outlet: b.askerOutlet?.trim() || null,
              }
            }
            const caseId = b.caseId ? await visibleCaseId(tx, actor, b.caseId) : null
            return createInquiry({
              tx,
              tenantId: tenant.id,
              publicUrl: config.publicUrl,
              asker,
              channel: b.channel as 'phone' | 'email',
              input: { kind: b.kind, topic: b.topic, question: b.question, caseRef: b.caseRef, neededBy },
              allowedReleaseIds: null,
              caseId,
              actor: auditOf(actor),
              ip: req.ip,
            })
          })
          return reply.redirect(`/console/hoi-dap/${row.id}?done=logged`, 303)
        },
        async (e) =>
          logPage(
            { req, reply },
            {
              partners: await partnerChoices(),
              cases: await caseChoices(actor),
              error: e,
              values: { ...b, question: b.question.slice(0, 20_000) },
            },
          ),
      )
    },
  )

  const showDetail = async (req: FastifyRequest, reply: FastifyReply, id: string, o: { error?: AppError; notice?: string } = {}) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'inquiry')
    const i = await unsafeGetInquiry(db, tenant.id, id)
    if (!i) throw new AppError('NOT_FOUND')
    let linkedCase: LinkedCase = null
    if (i.caseId) {
      const c = await unsafeLoadCase(db, tenant.id, i.caseId)
      if (c) {
        const subject = caseSubject(c)
        linkedCase = seesCase(actor, subject.record)
          ? { visible: true, code: c.case.code, title: c.case.title, sealed: c.case.state === 'sealed' }
          : { visible: false, sealed: true }
      }
    }
    const [history, sps, officers, cases] = await Promise.all([
      inquiryHistory(db, i.id),
      spokespersonChoices(),
      officerChoices(),
      caseChoices(actor),
    ])
    return detailPage(
      { req, reply },
      {
        i,
        linkedCase,
        cases,
        spokespersons: sps,
        officers,
        history,
        may: {
          assign: can(actor, 'assign', inquirySubject(i)),
          answer: can(actor, 'answer', inquirySubject(i)),
          linkCase: can(actor, 'link-case', { type: 'inquiry', tenantId: tenant.id }),
        },
        publicQuestion: publicQuestionOf(i.question, i.askerName),
        at: now(),
        ...o,
      },
    )
  }

  app.get(
    '/console/hoi-dap/ngay-nghi',
    { config: { access: { action: 'configure', subject: 'inquiry' } }, schema: { ...Hidden, querystring: YearQuery } },
    async (req, reply) => {
      const q = req.query
      const notices: Record<string, string> = {
        added: 'inquiries.calendar.done.added',
        removed: 'inquiries.calendar.done.removed',
        clock: 'inquiries.clocks.done',
      }
      return showCalendar(req, reply, Number(q.year) || Number(localDay(now()).slice(0, 4)), {
        notice: q.done ? notices[q.done] : undefined,
      })
    },
  )

  const showCalendar = async (req: FastifyRequest, reply: FastifyReply, year: number, o: { error?: AppError; notice?: string } = {}) => {
    const actor = actorOf(req)
    authorize(actor, 'configure', 'inquiry')
    const y = Math.min(Math.max(year, 2000), 2100)
    // Listing a year writes its computed days once (the same as a clock counting over it would).
    const holidays = await withTransaction(database.pool, (tx) => listHolidays(tx, tenant.id, y))
    return calendarPage({ req, reply }, { year: y, holidays, clocks: await kindClocks(db, tenant.id), ...o })
  }

  const CONFIGURE = { access: { action: 'configure', subject: 'inquiry' } } as const
  app.post('/console/hoi-dap/ngay-nghi', { config: CONFIGURE, schema: { ...Hidden, body: DayBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const b = req.body
    const year = Number(b.day.slice(0, 4)) || Number(localDay(now()).slice(0, 4))
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) => addHoliday({ tx, actor, day: b.day, name: b.name ?? '', ip: req.ip }))
        return reply.redirect(`/console/hoi-dap/ngay-nghi?year=${year}&done=added`, 303)
      },
      (e) => showCalendar(req, reply, year, { error: e }),
    )
  })
  app.post('/console/hoi-dap/ngay-nghi/xoa', { config: CONFIGURE, schema: { ...Hidden, body: DayBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const b = req.body
    const year = Number(b.day.slice(0, 4)) || Number(localDay(now()).slice(0, 4))
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) => removeHoliday({ tx, actor, day: b.day, ip: req.ip }))
        return reply.redirect(`/console/hoi-dap/ngay-nghi?year=${year}&done=removed`, 303)
      },
      (e) => showCalendar(req, reply, year, { error: e }),
    )
  })
  app.post('/console/hoi-dap/ngay-nghi/thoi-han', { config: CONFIGURE, schema: { ...Hidden, body: ClockBody } }, async (req, reply) => {
    const actor = actorOf(req)
    const b = req.body
    const year = Number(localDay(now()).slice(0, 4))
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) =>
          setKindClock({
            tx,
            actor,
            kind: b.kind,
            unit: b.unit,
            amount: Number(b.amount),
            escalatePercent: Number(b.escalatePercent),
            ip: req.ip,
          }),
        )
        return reply.redirect(`/console/hoi-dap/ngay-nghi?year=${year}&done=clock`, 303)
      },
      (e) => showCalendar(req, reply, year, { error: e }),
    )
  })

  app.get('/console/hoi-dap/:id', { config: READ, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } }, async (req, reply) => {
    const done = req.query.done
    return showDetail(req, reply, req.params.id, { notice: done && DONE.has(done) ? `inquiries.done.${done}` : undefined })
  })

  /** A decision form on one inquiry: run it, then back to the page (or the page with the refusal). */
  function decide<S extends TSchema>(
    path: string,
    done: string,
    body: S,
    run: (req: FastifyRequest, actor: Actor, id: string, b: Static<S>) => Promise<unknown>,
  ) {
    app.post(path, { config: READ, schema: { ...Hidden, params: IdParams, body } }, async (req, reply) => {
      const actor = actorOf(req)
      const id = (req.params as { id: string }).id
      if (!isUuid(id)) throw new AppError('NOT_FOUND')
      return runForm(
        reply,
        async () => {
          await run(req, actor, id, req.body as Static<S>)
          return reply.redirect(`/console/hoi-dap/${id}?done=${done}`, 303)
        },
        (e) => showDetail(req, reply, id, { error: e }),
      )
    })
  }

  decide('/console/hoi-dap/:id/phan-cong', 'assigned', AssignBody, (req, actor, id, b) =>
    withTransaction(database.pool, (tx) =>
      assignInquiry({
        tx,
        actor,
        inquiryId: id,
        spokespersonId: b.spokespersonId,
        userId: b.userId,
        publicUrl: config.publicUrl,
        ip: req.ip,
      }),
    ),
  )
  decide('/console/hoi-dap/:id/tra-loi', 'answered', AnswerBody, (req, actor, id, b) =>
    withTransaction(database.pool, (tx) =>
      answerInquiry({
        tx,
        actor,
        inquiryId: id,
        answer: b.answer,
        spokespersonId: b.spokespersonId,
        // The agency named beside the spokesperson: the office's current name (settings).
        agency: app.ctx.tenant.name,
        publicUrl: config.publicUrl,
        publish: b.publish === '1',
        publicQuestion: b.publicQuestion,
        ip: req.ip,
      }),
    ),
  )
  decide('/console/hoi-dap/:id/tu-choi', 'refused', RefuseBody, (req, actor, id, b) =>
    withTransaction(database.pool, (tx) =>
      refuseInquiry({
        tx,
        actor,
        inquiryId: id,
        ground: b.ground,
        explanation: b.explanation ?? '',
        publicUrl: config.publicUrl,
        ip: req.ip,
      }),
    ),
  )
  decide('/console/hoi-dap/:id/chuyen-an', 'linked', CaseBody, (req, actor, id, b) =>
    withTransaction(database.pool, (tx) => linkInquiryCase({ tx, actor, inquiryId: id, caseId: b.caseId || null, ip: req.ip })),
  )
}
