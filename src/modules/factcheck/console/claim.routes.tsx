/**
 * The claim page and its investigation steps, one route each: merge (a suggested claim into
 * this one, or this one into it), split a submission off, triage, severity set by hand, notes, tasks. Each step runs
 * in `runAudited` on the claim locked for update, then redirects back with a notice; a refusal
 * re-renders the claim page with its bilingual message and status.
 */
import { type Static, type TObject, Type } from '@sinclair/typebox'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, runAudited } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { addNote, saveTask } from '../commands/add-evidence.ts'
import { mergeClaims, splitSubmission } from '../commands/merge-claims.ts'
import { setClaimSeverity } from '../commands/set-claim-severity.ts'
import { triageClaim } from '../commands/triage-claim.ts'
import type { LoadedClaim } from '../factcheck.repository.ts'
import { type ShowClaimOptions, showClaim } from './claim-view.ts'
import { actorOf, auditOf, claimSubject, DESK, loadClaimOr404, runForm } from './desk-kit.tsx'
import { claimIdByCode } from './desk.queries.ts'

const Str = (max: number) => Type.String({ maxLength: max })
/** A uuid, or empty (a select's "none"). */
const MaybeId = Type.String({ pattern: '^([0-9a-fA-F-]{36})?$' })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const IdParams = Type.Object({ id: Str(64) })
const TaskParams = Type.Object({ id: Str(64), taskId: Str(64) })
const PageQuery = Type.Object({ done: Type.Optional(Str(30)), ticket: Type.Optional(Str(40)), other: Type.Optional(Str(64)) })
const MergeBody = Type.Object({
  otherId: Type.Optional(MaybeId),
  otherCode: Type.Optional(Str(40)),
  direction: Type.Union([Type.Literal('into-this'), Type.Literal('into-other')]),
  ...Csrf,
})
const SplitBody = Type.Object({ submissionId: MaybeId, ...Csrf })
const TriageBody = Type.Object({ harm: Str(40), statement: Type.Optional(Str(4000)), assigneeId: Type.Optional(MaybeId), ...Csrf })
const SeverityBody = Type.Object({ harm: Str(40), level: Str(20), reason: Str(2000), ...Csrf })
const NoteBody = Type.Object({ body: Str(20_000), ...Csrf })
const TaskBody = Type.Object({ title: Str(1000), assigneeId: Type.Optional(MaybeId), ...Csrf })
const Empty = Type.Object(Csrf)

/** What a step's runner receives. */
export interface StepInput<B> {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor & { id: string }
  body: B
  params: Record<string, string>
  ip: string
}

/** What a step answers: the notice and where to go. (The commands keep the matcher's index current.) */
export interface StepResult {
  done: string
  /** Another claim's page (after merging this one into it). */
  claimId?: string
  /** Page anchor to return to. */
  anchor?: string
  /** The claim a split submission now belongs to (linked from the notice). */
  ticketClaim?: string
}

/**
 * Declares one step of a claim: POST `/console/kiem-chung/:id/<path>`, access declared and
 * authorised for `action`, the claim locked, `run` in an audited transaction, then back to the
 * claim page (or the claim `run` names).
 */
export function claimStep<S extends TObject>(
  app: TypedApp,
  path: string,
  action: string,
  body: S,
  run: (o: StepInput<Static<S>>) => Promise<StepResult>,
  opts: {
    /** Params schema when the path has more than `:id`. */
    params?: TObject
    /** What the re-rendered page keeps after a refusal (e.g. the verdict form's values). */
    keep?: (body: Static<S>) => ShowClaimOptions
  } = {},
): void {
  const { database, tenant } = app.ctx
  app.post(
    `${DESK}/:id/${path}`,
    { config: { access: { action, subject: 'claim' } }, schema: { hide: true, params: opts.params ?? IdParams, body } },
    async (req, reply) => {
      const actor: Actor = actorOf(req)
      // The schemas are this helper's parameters, so TypeScript cannot resolve the provider's
      // types for a generic `S`; the route's own schema validated both before we get here.
      const p = req.params as Record<string, string>
      const id = p.id as string
      return runForm(
        reply,
        async () => {
          authorize(actor, action, claimSubject(tenant.id))
          const r = await runAudited(database.pool, async (tx) => {
            const claim = await loadClaimOr404(tx, tenant.id, id, { forUpdate: true })
            return run({ tx, claim, actor: auditOf(actor), body: req.body as Static<S>, params: p, ip: req.ip })
          })
          const extra = r.ticketClaim ? `&other=${r.ticketClaim}` : ''
          return reply.redirect(`${DESK}/${r.claimId ?? id}?done=${r.done}${extra}${r.anchor ? `#${r.anchor}` : ''}`, 303)
        },
        (e) => showClaim(req, reply, id, { ...opts.keep?.(req.body as Static<S>), error: e }),
      )
    },
  )
}

/** Registers the claim page and its investigation steps. */
export async function registerClaimRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx

  app.get(
    `${DESK}/:id`,
    { config: { access: { action: 'read', subject: 'claim' } }, schema: { hide: true, params: IdParams, querystring: PageQuery } },
    async (req, reply) => {
      authorize(req.actor, 'read', claimSubject(tenant.id))
      const { id } = req.params
      const q = req.query
      return showClaim(req, reply, id, { done: q.done, ticket: q.ticket, other: q.other })
    },
  )

  claimStep(app, 'merge', 'merge', MergeBody, async (o) => {
    const otherId = o.body.otherId || (o.body.otherCode ? await claimIdByCode(database.db, tenant.id, o.body.otherCode) : undefined)
    if (!otherId) throw new AppError('NOT_FOUND')
    const other = await loadClaimOr404(o.tx, tenant.id, otherId, { forUpdate: true })
    const intoThis = o.body.direction === 'into-this'
    const source = intoThis ? other : o.claim
    const target = intoThis ? o.claim : other
    await mergeClaims({ tx: o.tx, source, target, actor: o.actor, ip: o.ip })
    return { done: 'merged', claimId: target.claim.id, anchor: 'history' }
  })

  claimStep(app, 'split', 'merge', SplitBody, async (o) => {
    const r = await splitSubmission({ tx: o.tx, claim: o.claim, submissionId: o.body.submissionId, actor: o.actor, ip: o.ip })
    return { done: 'split', anchor: 'history', ticketClaim: r.claimId }
  })

  claimStep(app, 'triage', 'triage', TriageBody, async (o) => {
    await triageClaim({
      tx: o.tx,
      claim: o.claim,
      actor: o.actor,
      harm: o.body.harm,
      statement: o.body.statement,
      assigneeId: o.body.assigneeId ? o.body.assigneeId : null,
      ip: o.ip,
    })
    return { done: 'triaged' }
  })

  claimStep(
    app,
    'severity',
    'set-severity',
    SeverityBody,
    async (o) => {
      await setClaimSeverity({
        tx: o.tx,
        claim: o.claim,
        actor: o.actor,
        harm: o.body.harm,
        level: o.body.level,
        reason: o.body.reason,
        ip: o.ip,
      })
      return { done: 'severitySet', anchor: 'severity-h' }
    },
    { keep: (b) => ({ severity: { harm: b.harm, level: b.level, reason: b.reason } }) },
  )

  claimStep(app, 'notes', 'investigate', NoteBody, async (o) => {
    await addNote({ tx: o.tx, claim: o.claim, actor: o.actor, body: o.body.body, ip: o.ip })
    return { done: 'noted', anchor: 'notes-h' }
  })

  claimStep(app, 'tasks', 'investigate', TaskBody, async (o) => {
    const assigneeId = o.body.assigneeId || null
    await saveTask({ tx: o.tx, claim: o.claim, actor: o.actor, title: o.body.title, assigneeId, ip: o.ip })
    return { done: 'taskAdded', anchor: 'tasks-h' }
  })

  claimStep(
    app,
    'tasks/:taskId/done',
    'investigate',
    Empty,
    async (o) => {
      const taskId = o.params.taskId as string
      if (!/^[0-9a-f-]{36}$/i.test(taskId)) throw new AppError('NOT_FOUND')
      await saveTask({ tx: o.tx, claim: o.claim, actor: o.actor, doneTaskId: taskId, ip: o.ip })
      return { done: 'taskDone', anchor: 'tasks-h' }
    },
    { params: TaskParams },
  )
}
