/**
 * Case routes: list, new case, one case (members, stage, clearance, close), an admin's
 * break-glass. A sealed case answers 404 to anyone outside its circle, exactly like a missing
 * one.
 */
import { type Static, type TObject, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { type Tx, withTransaction } from '../../db/index.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { AppError } from '../../platform/errors.ts'
import { type Actor, authorize, can } from '../../platform/policy/index.ts'
import { listUsers, userLabels } from '../accounts/users.ts'
import { actorOf, auditOf, runForm } from '../../platform/html/forms.tsx'
import type { TypedApp } from '../../platform/modules.ts'
import { caseListPage, casePage, type NewCaseValues, newCasePage } from './cases.pages.tsx'
import {
  casesWithBreakGlass,
  caseSubject,
  type LoadedCase,
  listCaseExistenceFor,
  listCaseReleases,
  listCasesFor,
  unsafeLoadCase,
} from './cases.repository.ts'
import { clearCase, closeCase } from './commands/clear-case.ts'
import { createCase } from './commands/create-case.ts'
import { addCaseMember, removeCaseMember } from './commands/manage-case-members.ts'
import { setCaseStage } from './commands/set-case-stage.ts'
import { breakGlass } from './commands/break-glass.ts'

const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const Hidden = { hide: true }
const IdParams = Type.Object({ id: Str(64) })
const MemberParams = Type.Object({ id: Str(64), userId: Str(64) })
const NewCaseBody = Type.Object({
  code: Str(100),
  title: Str(600),
  department: Str(400),
  leadOfficerId: Str(64),
  secrecyGround: Str(1000),
  ...Csrf,
})
const EmailBody = Type.Object({ email: Str(254), ...Csrf })
const StageBody = Type.Object({ stage: Str(40), ...Csrf })
const ClearBody = Type.Object({ scope: Str(4000), groundLifted: Str(1000), ...Csrf })
const EmptyBody = Type.Object(Csrf)
const BreakGlassBody = Type.Object({ code: Str(100), reason: Str(4000), ...Csrf })
const DoneQuery = Type.Object({ done: Type.Optional(Str(40)) })
/** The case list: `code` pre-fills an admin's break-glass form (the button of a hidden case's row). */
const ListQuery = Type.Object({ code: Type.Optional(Str(40)) })
const NOTICES = new Set(['created', 'memberAdded', 'memberRemoved', 'stageSet', 'cleared', 'closed', 'brokeGlass'])
const LIST = { access: { action: 'list', subject: 'case' } }

/** Loads a case the actor may read; a sealed case outside the actor's circle is "not found". */
async function loadVisibleCase(db: Parameters<typeof unsafeLoadCase>[0], actor: Actor, id: string): Promise<LoadedCase> {
  const c = await unsafeLoadCase(db, actor.tenantId, id)
  if (!c) throw new AppError('NOT_FOUND')
  authorize(actor, 'read', caseSubject(c), { hideExistence: true })
  return c
}

/** Registers the case routes. */
export async function registerCaseRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  const leads = async () =>
    (await listUsers(db, tenant.id))
      .filter((u) => u.status === 'active' && (u.role === 'officer' || u.role === 'approver'))
      .map((u) => ({ id: u.id, label: `${u.name || u.email} (${u.email})` }))

  const showCase = async (req: FastifyRequest, reply: FastifyReply, id: string, o: { error?: AppError; notice?: string } = {}) => {
    if (o.error?.code === 'NOT_FOUND' && !o.error.params.what) throw o.error
    const actor = actorOf(req)
    const loaded = await loadVisibleCase(db, actor, id)
    const releases = await listCaseReleases(db, tenant.id, id)
    const names = await userLabels(db, tenant.id, [loaded.case.leadOfficerId, ...loaded.clearances.map((x) => x.clearedBy)])
    return casePage({ req, reply }, { loaded, releases, names, ...o })
  }

  const listPage = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { breakGlass?: { code: string; reason: string }; error?: AppError } = {},
  ) => {
    const actor = actorOf(req)
    authorize(actor, 'list', 'case')
    const list = await listCasesFor(db, actor)
    const brokenGlass = await casesWithBreakGlass(
      db,
      tenant.id,
      list.map((c) => c.id),
    )
    const hidden = await listCaseExistenceFor(db, actor)
    return caseListPage(
      { req, reply },
      {
        cases: list,
        hidden,
        brokenGlass,
        canCreate: can(actor, 'create', 'case'),
        canBreakGlass: can(actor, 'break-glass', 'case'),
        ...o,
      },
    )
  }
  app.get('/console/cases', { config: LIST, schema: { ...Hidden, querystring: ListQuery } }, (req, reply) =>
    listPage(req, reply, req.query.code ? { breakGlass: { code: req.query.code, reason: '' } } : {}),
  )

  // Break-glass: admins only (the route's access and the command both ask the policy).
  const BREAK_GLASS = { access: { action: 'break-glass', subject: 'case' } }
  app.post('/console/cases/break-glass', { config: BREAK_GLASS, schema: { ...Hidden, body: BreakGlassBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'break-glass', 'case')
    const b = req.body
    return runForm(
      reply,
      async () => {
        const { caseId } = await runAudited(database.pool, (tx) =>
          breakGlass({
            tx,
            actor: { ...actor, label: auditOf(actor).label },
            code: b.code,
            reason: b.reason,
            publicUrl: app.ctx.config.publicUrl,
            ip: req.ip,
          }),
        )
        return reply.redirect(`/console/cases/${caseId}?done=brokeGlass`, 303)
      },
      (e) => listPage(req, reply, { breakGlass: { code: b.code, reason: b.reason }, error: e }),
    )
  })

  const CREATE = { access: { action: 'create', subject: 'case' } }
  const empty: NewCaseValues = { code: '', title: '', department: '', leadOfficerId: '', secrecyGround: '' }
  app.get('/console/cases/new', { config: CREATE, schema: Hidden }, async (req, reply) => {
    authorize(req.actor, 'create', 'case')
    return newCasePage({ req, reply }, { values: empty, leads: await leads() })
  })
  app.post('/console/cases/new', { config: CREATE, schema: { ...Hidden, body: NewCaseBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'create', 'case')
    const b = req.body
    return runForm(
      reply,
      async () => {
        const { caseId } = await withTransaction(database.pool, (tx) =>
          createCase({
            tx,
            tenantId: tenant.id,
            actor: auditOf(actor),
            code: b.code,
            title: b.title,
            department: b.department,
            leadOfficerId: b.leadOfficerId,
            secrecyGround: b.secrecyGround,
            ip: req.ip,
          }),
        )
        return reply.redirect(`/console/cases/${caseId}?done=created`, 303)
      },
      async (e) => newCasePage({ req, reply }, { values: { ...empty, ...b }, leads: await leads(), error: e }),
    )
  })

  app.get('/console/cases/:id', { config: LIST, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } }, async (req, reply) => {
    const { id } = req.params
    const { done } = req.query
    return showCase(req, reply, id, { notice: done && NOTICES.has(done) ? `cases.done.${done}` : undefined })
  })

  /** One case action: load, authorise `action` on the record, run, back to the case page. */
  const caseAction = <B,>(
    path: string,
    action: string,
    body: TObject,
    params: TObject,
    run: (o: { tx: Tx; loaded: LoadedCase; actor: Actor; body: B; params: Record<string, string>; ip: string }) => Promise<string>,
  ) => {
    app.post(path, { config: LIST, schema: { ...Hidden, params, body } }, async (req, reply) => {
      const actor = actorOf(req)
      const p = req.params as Record<string, string>
      const id = p.id as string
      return runForm(
        reply,
        async () => {
          const done = await withTransaction(database.pool, async (tx) => {
            const loaded = await loadVisibleCase(tx, actor, id)
            authorize(actor, action, caseSubject(loaded))
            return run({ tx, loaded, actor, body: req.body as B, params: p, ip: req.ip })
          })
          return reply.redirect(`/console/cases/${id}?done=${done}`, 303)
        },
        (e) => showCase(req, reply, id, { error: e }),
      )
    })
  }

  caseAction<Static<typeof EmailBody>>('/console/cases/:id/members', 'manage-members', EmailBody, IdParams, async (o) => {
    try {
      await addCaseMember({ tx: o.tx, case: o.loaded, actor: auditOf(o.actor), email: o.body.email, ip: o.ip })
    } catch (e) {
      // An unknown e-mail is a form error shown on the case page, not a missing case.
      if (e instanceof AppError && e.code === 'NOT_FOUND') throw new AppError('NOT_FOUND', { what: 'member' })
      throw e
    }
    return 'memberAdded'
  })
  caseAction<Static<typeof EmptyBody>>(
    '/console/cases/:id/members/:userId/remove',
    'manage-members',
    EmptyBody,
    MemberParams,
    async (o) => {
      await removeCaseMember({ tx: o.tx, case: o.loaded, actor: auditOf(o.actor), userId: o.params.userId as string, ip: o.ip })
      return 'memberRemoved'
    },
  )
  caseAction<Static<typeof StageBody>>('/console/cases/:id/stage', 'set-stage', StageBody, IdParams, async (o) => {
    await setCaseStage({ tx: o.tx, case: o.loaded, actor: auditOf(o.actor), stage: o.body.stage, ip: o.ip })
    return 'stageSet'
  })
  caseAction<Static<typeof ClearBody>>('/console/cases/:id/clear', 'clear', ClearBody, IdParams, async (o) => {
    await clearCase({ tx: o.tx, case: o.loaded, actor: auditOf(o.actor), scope: o.body.scope, groundLifted: o.body.groundLifted, ip: o.ip })
    return 'cleared'
  })
  caseAction<Static<typeof EmptyBody>>('/console/cases/:id/close', 'close', EmptyBody, IdParams, async (o) => {
    await closeCase({ tx: o.tx, case: o.loaded, actor: auditOf(o.actor), ip: o.ip })
    return 'closed'
  })
}
