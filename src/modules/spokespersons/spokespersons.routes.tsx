/**
 * The spokesperson register: list, add, update, delegate. Delegations name a case only when
 * the viewer may see it (a sealed case's code is never shown outside its circle).
 */
import { type Static, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { withTransaction } from '../../db/index.ts'
import { AppError } from '../../platform/errors.ts'
import { type Actor, authorize, can } from '../../platform/policy/index.ts'
import { caseSubject, listCasesFor, unsafeLoadCase } from '../cases/cases.repository.ts'
import { actorOf, auditOf, runForm } from '../../platform/html/forms.tsx'
import { parseLocalDateTime } from '../../platform/time.ts'
import type { TypedApp } from '../../platform/modules.ts'
import { delegateSpokesperson, saveSpokesperson } from './commands/save-spokesperson.ts'
import { type SpokespersonRow, spokespersonsPage } from './spokespersons.pages.tsx'
import { listActiveDelegations, listSpokespersons } from './spokespersons.repository.ts'

const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const Hidden = { hide: true }
const IdParams = Type.Object({ id: Str(64) })
const PersonBody = Type.Object({ name: Str(400), title: Str(400), phone: Str(80), email: Str(254), active: Type.Optional(Str(8)), ...Csrf })
const DelegationBody = Type.Object({
  delegateName: Str(400),
  delegateTitle: Str(400),
  caseId: Type.Optional(Str(64)),
  validUntil: Str(40),
  ...Csrf,
})
const DoneQuery = Type.Object({ done: Type.Optional(Str(40)) })
const NOTICES = new Set(['created', 'updated', 'delegated'])
const MANAGE = { access: { action: 'manage', subject: 'spokesperson' } }

/** Registers the spokesperson routes. */
export async function registerSpokespersonRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  const show = async (
    req: FastifyRequest,
    reply: FastifyReply,
    o: { error?: AppError; notice?: string; values?: Partial<SpokespersonRow> } = {},
  ) => {
    const actor = actorOf(req)
    authorize(actor, 'list', 'spokesperson')
    const [people, delegations, visibleCases] = await Promise.all([
      listSpokespersons(db, tenant.id),
      listActiveDelegations(db, tenant.id),
      listCasesFor(db, actor),
    ])
    const visible = new Map(visibleCases.map((c) => [c.id, c.code]))
    return spokespersonsPage(
      { req, reply },
      {
        people,
        delegations: delegations.map((d) => ({
          id: d.id,
          spokespersonId: d.spokespersonId,
          delegateName: d.delegateName,
          delegateTitle: d.delegateTitle,
          caseCode: d.caseId ? (visible.get(d.caseId) ?? null) : null,
          hiddenCase: !!d.caseId && !visible.has(d.caseId),
          validUntil: d.validUntil,
        })),
        cases: visibleCases.filter((c) => c.state !== 'closed').map((c) => ({ id: c.id, code: c.code, title: c.title })),
        canManage: can(actor, 'manage', 'spokesperson'),
        ...o,
      },
    )
  }

  app.get(
    '/console/spokespersons',
    { config: { access: { action: 'list', subject: 'spokesperson' } }, schema: { ...Hidden, querystring: DoneQuery } },
    async (req, reply) => {
      const { done } = req.query
      return show(req, reply, { notice: done && NOTICES.has(done) ? `spokespersons.done.${done}` : undefined })
    },
  )

  const save = async (req: FastifyRequest, reply: FastifyReply, b: Static<typeof PersonBody>, id?: string) => {
    const actor = actorOf(req)
    authorize(actor, 'manage', 'spokesperson')
    const input = { name: b.name, title: b.title, phone: b.phone, email: b.email, active: b.active !== undefined }
    return runForm(
      reply,
      async () => {
        await withTransaction(database.pool, (tx) =>
          saveSpokesperson({ tx, tenantId: tenant.id, actor: auditOf(actor), id, input, ip: req.ip }),
        )
        return reply.redirect(`/console/spokespersons?done=${id ? 'updated' : 'created'}`, 303)
      },
      (e) => show(req, reply, { error: e, values: id ? undefined : input }),
    )
  }
  app.post('/console/spokespersons', { config: MANAGE, schema: { ...Hidden, body: PersonBody } }, async (req, reply) =>
    save(req, reply, req.body),
  )
  app.post(
    '/console/spokespersons/:id',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: PersonBody } },
    async (req, reply) => {
      const { id } = req.params
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('NOT_FOUND')
      return save(req, reply, req.body, id)
    },
  )

  app.post(
    '/console/spokespersons/:id/delegations',
    { config: MANAGE, schema: { ...Hidden, params: IdParams, body: DelegationBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'manage', 'spokesperson')
      const { id } = req.params
      if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('NOT_FOUND')
      const b = req.body
      return runForm(
        reply,
        async () => {
          // Typed as Asia/Ho_Chi_Minh wall time; stored as the instant.
          const validUntil = parseLocalDateTime(b.validUntil)
          if (!validUntil) throw new AppError('VALIDATION', { detail: 'validUntil' })
          await withTransaction(database.pool, async (tx) => {
            const caseId = b.caseId ? await visibleCaseId(tx, actor, b.caseId) : null
            return delegateSpokesperson({
              tx,
              tenantId: tenant.id,
              actor: auditOf(actor),
              spokespersonId: id,
              delegateName: b.delegateName,
              delegateTitle: b.delegateTitle,
              caseId,
              validUntil,
              ip: req.ip,
            })
          })
          return reply.redirect('/console/spokespersons?done=delegated', 303)
        },
        (e) => show(req, reply, { error: e }),
      )
    },
  )
}

/** A case id the actor may see (a hidden or missing one is refused as not found). */
async function visibleCaseId(db: Parameters<typeof unsafeLoadCase>[0], actor: Actor, id: string): Promise<string> {
  const c = await unsafeLoadCase(db, actor.tenantId, id)
  if (!c) throw new AppError('NOT_FOUND')
  authorize(actor, 'read', caseSubject(c), { hideExistence: true })
  return c.case.id
}
