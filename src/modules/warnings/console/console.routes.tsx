/**
 * Staff routes of warnings: /console/canh-bao (list with filters), /moi (new), /:id (the
 * working copy's editor with its panels) and the workflow steps POST /:id/{gui-duyet, duyet,
 * tra-lai, khan, xac-nhan, huy, dong}. Thin: validate, authorise, one command in one
 * transaction (`runAudited`, so a four-eyes refusal is audited although the step rolls back),
 * then back to the page with a notice, or the page again with the bilingual refusal.
 */
import { type Static, type TObject, Type } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Tx } from '../../../db/index.ts'
import { withTransaction } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { AppError } from '../../../platform/errors.ts'
import { actorOf, auditOf, listOf, runForm } from '../../../platform/html/forms.tsx'
import type { TypedApp } from '../../../platform/modules.ts'
import { type Actor, authorize, can } from '../../../platform/policy/index.ts'
import type { CloseReason } from '../warnings.types.ts'
import { approveWarning } from '../commands/approve-warning.ts'
import { cancelWarning } from '../commands/cancel-warning.ts'
import { closeWarning } from '../commands/close-warning.ts'
import type { WarningActor } from '../commands/command-kit.ts'
import { createWarning } from '../commands/create-warning.ts'
import { publishUrgently } from '../commands/publish-urgently.ts'
import { rejectWarning } from '../commands/reject-warning.ts'
import { retroApproveWarning } from '../commands/retro-approve-warning.ts'
import { submitWarning } from '../commands/submit-warning.ts'
import { updateWarning } from '../commands/update-warning.ts'
import { parseWarningInput } from '../commands/warning-input.ts'
import { warningReach } from '../subscriptions/reach.ts'
import { listWarnings, loadWarning, warningVersionsOf } from '../warnings.repository.ts'
import { WARNING_KINDS, WARNING_STATES, type WarningKind, type WarningLifeState } from '../warnings.types.ts'
import {
  awaitingRetro,
  emptyFormValues,
  formValuesOf,
  LIST_STATES,
  newWarningPage,
  type WarningFormValues,
  warningListPage,
  warningPage,
} from './console.pages.tsx'
import {
  CapPreviewPanel,
  ChecksPanel,
  DeliveryPanel,
  PublicLinks,
  ReachPanel,
  VersionsPanel,
  type WarningAbilities,
  WorkflowActions,
} from './console.panels.tsx'
import { capPreviewOf, contentChecksOf, staffNames } from './console.queries.ts'

const Hidden = { hide: true }
const Str = (max: number) => Type.String({ maxLength: max })
const Opt = (max: number) => Type.Optional(Str(max))
const Csrf = { _csrf: Opt(100) }
const IdParams = Type.Object({ id: Str(64) })
const DoneQuery = Type.Object({ done: Opt(40) })
const ListQuery = Type.Object({ state: Opt(20), kind: Opt(40), q: Opt(200) })
/**
 * The editor form. Every field optional and generous, so that the command's reader
 * (`parseWarningInput`) refuses bad input with its own bilingual message, not a schema error.
 */
const WarningBody = Type.Object({
  kind: Opt(40),
  level: Opt(40),
  capStatus: Opt(20),
  titleVi: Opt(2000),
  descriptionVi: Opt(40_000),
  instructionVi: Opt(10_000),
  titleEn: Opt(2000),
  descriptionEn: Opt(40_000),
  instructionEn: Opt(10_000),
  wholeProvince: Opt(10),
  communes: Type.Optional(Type.Union([Str(2000), Type.Array(Str(100), { maxItems: 500 })])),
  validFrom: Opt(40),
  validUntil: Opt(40),
  patterns: Opt(40_000),
  links: Opt(60_000),
  consentGiven: Opt(10),
  consentNote: Opt(4000),
  legalBasis: Opt(4000),
  ...Csrf,
})
type WarningForm = Static<typeof WarningBody>
const Empty = Type.Object(Csrf)
const Reason = Type.Object({ reason: Opt(4000), ...Csrf })
const Approve = Type.Object({ changeNote: Opt(4000), ...Csrf })
const Urgent = Type.Object({ reason: Opt(4000), changeNote: Opt(4000), ...Csrf })
const Close = Type.Object({ reason: Opt(40), note: Opt(4000), ...Csrf })

/** Notices a redirect may ask for (`?done=`); anything else is ignored. */
const NOTICES = new Set(['created', 'saved', 'submitted', 'approved', 'rejected', 'urgent', 'retroApproved', 'cancelled', 'closed'])

/** What was typed, to show again after a refusal. */
function typedValues(b: WarningForm): WarningFormValues {
  return {
    kind: b.kind ?? '',
    level: b.level ?? '',
    capStatus: b.capStatus ?? 'Actual',
    titleVi: b.titleVi ?? '',
    descriptionVi: b.descriptionVi ?? '',
    instructionVi: b.instructionVi ?? '',
    titleEn: b.titleEn ?? '',
    descriptionEn: b.descriptionEn ?? '',
    instructionEn: b.instructionEn ?? '',
    wholeProvince: b.wholeProvince !== undefined && b.wholeProvince !== '',
    communes: listOf(b.communes),
    validFrom: b.validFrom ?? '',
    validUntil: b.validUntil ?? '',
    patterns: b.patterns ?? '',
    links: b.links ?? '',
    consentGiven: b.consentGiven !== undefined && b.consentGiven !== '',
    consentNote: b.consentNote ?? '',
    legalBasis: b.legalBasis ?? '',
  }
}

/** The policy's answers for this actor. */
function abilitiesOf(actor: Actor): WarningAbilities {
  return {
    edit: can(actor, 'edit', 'warning'),
    submit: can(actor, 'submit', 'warning'),
    approve: can(actor, 'approve', 'warning'),
    reject: can(actor, 'reject', 'warning'),
    urgent: can(actor, 'publish-urgent', 'warning'),
    retro: can(actor, 'retro-approve', 'warning'),
    cancel: can(actor, 'cancel', 'warning'),
    close: can(actor, 'close', 'warning'),
  }
}

/** What a workflow step receives. */
interface StepInput<B> {
  tx: Tx
  tenantId: string
  actor: WarningActor
  id: string
  body: B
  ip: string
}

/** Staff: /console/canh-bao (list, new, editor with panels, workflow steps). */
export async function registerWarningConsoleRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db
  const READ = { access: { action: 'read', subject: 'warning' } }
  const CREATE = { access: { action: 'create', subject: 'warning' } }
  const EDIT = { access: { action: 'edit', subject: 'warning' } }

  app.get('/console/canh-bao', { config: READ, schema: { ...Hidden, querystring: ListQuery } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'read', 'warning')
    const q = req.query
    const state = (LIST_STATES as readonly string[]).includes(q.state ?? '') ? q.state : undefined
    const kind = (WARNING_KINDS as readonly string[]).includes(q.kind ?? '') ? (q.kind as WarningKind) : undefined
    const life = (WARNING_STATES as readonly string[]).includes(state ?? '') ? (state as WarningLifeState) : undefined
    let rows = await listWarnings(db, tenant.id, { state: life, kind, q: q.q, limit: state && !life ? 1000 : 200 })
    // "Chờ duyệt" and "urgent awaiting confirmation" are not life states: filtered here.
    if (state === 'submitted') rows = rows.filter((w) => w.review === 'submitted')
    if (state === 'urgent') rows = rows.filter(awaitingRetro)
    return warningListPage({ req, reply }, { rows, filter: { state, kind, q: q.q }, canCreate: can(actor, 'create', 'warning'), at: now() })
  })

  app.get('/console/canh-bao/moi', { config: CREATE, schema: Hidden }, async (req, reply) => {
    authorize(actorOf(req), 'create', 'warning')
    return newWarningPage({ req, reply }, { values: emptyFormValues(now()) })
  })

  app.post('/console/canh-bao/moi', { config: CREATE, schema: { ...Hidden, body: WarningBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'create', 'warning')
    const b = req.body
    return runForm(
      reply,
      async () => {
        const input = parseWarningInput(b)
        const w = await withTransaction(database.pool, (tx) =>
          createWarning({ tx, tenantId: tenant.id, actor: auditOf(actor), input, ip: req.ip }),
        )
        return reply.redirect(`/console/canh-bao/${w.id}?done=created`, 303)
      },
      (e) => newWarningPage({ req, reply }, { values: typedValues(b), error: e }),
    )
  })

  /** One warning's page: the working copy (or what was typed), its panels and its workflow. */
  const showWarning = async (
    req: FastifyRequest,
    reply: FastifyReply,
    id: string,
    o: { notice?: string; error?: AppError; values?: WarningFormValues } = {},
  ) => {
    const actor = actorOf(req)
    const w = await loadWarning(db, tenant.id, id)
    const at = now()
    const open = w.state === 'draft' || w.state === 'active'
    const [versions, preview, reach] = await Promise.all([
      warningVersionsOf(db, tenant.id, w.id),
      open ? capPreviewOf(db, w, processConfig().publicUrl) : Promise.resolve(null),
      warningReach(db, tenant.id, w.id),
    ])
    const names = await staffNames(db, tenant.id, [w.urgentBy, ...versions.flatMap((v) => [v.publishedBy, v.approvedBy])])
    const urgentAt = [...versions].reverse().find((v) => v.urgent)?.sentAt ?? null
    const l = req.locale
    return warningPage(
      { req, reply },
      {
        warning: w,
        values: o.values ?? formValuesOf(w),
        at,
        notice: o.notice,
        error: o.error,
        actions: <WorkflowActions req={req} reply={reply} w={w} can={abilitiesOf(actor)} at={at} names={names} urgentAt={urgentAt} />,
        side: (
          <>
            {open ? <ChecksPanel l={l} result={contentChecksOf(w)} /> : null}
            {preview ? <CapPreviewPanel l={l} preview={preview} /> : null}
          </>
        ),
        below: (
          <>
            <PublicLinks l={l} w={w} />
            <VersionsPanel l={l} w={w} versions={versions} names={names} />
            {w.version >= 1 ? <DeliveryPanel l={l} w={w} reach={reach} /> : null}
            <ReachPanel l={l} reach={reach} />
          </>
        ),
      },
    )
  }

  app.get(
    '/console/canh-bao/:id',
    { config: READ, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } },
    async (req, reply) => {
      authorize(actorOf(req), 'read', 'warning')
      const done = req.query.done
      return showWarning(req, reply, req.params.id, { notice: done && NOTICES.has(done) ? `wcon.done.${done}` : undefined })
    },
  )

  app.post('/console/canh-bao/:id', { config: EDIT, schema: { ...Hidden, params: IdParams, body: WarningBody } }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'edit', 'warning')
    const b = req.body
    const id = req.params.id
    return runForm(
      reply,
      async () => {
        const input = parseWarningInput(b)
        await withTransaction(database.pool, (tx) =>
          updateWarning({ tx, tenantId: tenant.id, actor: auditOf(actor), id, input, ip: req.ip }),
        )
        return reply.redirect(`/console/canh-bao/${id}?done=saved`, 303)
      },
      (e) => {
        if (e.code === 'WARNING_NOT_FOUND') throw e
        return showWarning(req, reply, id, { error: e, values: typedValues(b) })
      },
    )
  })

  /**
   * One workflow step: POST /console/canh-bao/:id/<path>, for actors the policy allows `action`,
   * running `run` (one command) and back to the page with the notice it names.
   */
  const step = <S extends TObject>(path: string, action: string, body: S, run: (o: StepInput<Static<S>>) => Promise<string>) => {
    app.post(
      `/console/canh-bao/:id/${path}`,
      { config: { access: { action, subject: 'warning' } }, schema: { ...Hidden, params: IdParams, body } },
      async (req, reply) => {
        const actor = actorOf(req)
        authorize(actor, action, 'warning')
        const { id } = req.params
        return runForm(
          reply,
          async () => {
            const done = await runAudited(database.pool, (tx) =>
              // `body` is validated by the schema above; TypeScript cannot resolve the type
              // provider's type for the generic `S`, hence the one cast.
              run({ tx, tenantId: tenant.id, actor: auditOf(actor), id, body: req.body as Static<S>, ip: req.ip }),
            )
            return reply.redirect(`/console/canh-bao/${id}?done=${done}`, 303)
          },
          (e) => {
            if (e.code === 'WARNING_NOT_FOUND') throw e
            return showWarning(req, reply, id, { error: e })
          },
        )
      },
    )
  }

  step('gui-duyet', 'submit', Empty, async (o) => {
    await submitWarning(o)
    return 'submitted'
  })
  step('duyet', 'approve', Approve, async (o) => {
    await approveWarning({ ...o, changeNote: o.body.changeNote ?? null })
    return 'approved'
  })
  step('tra-lai', 'reject', Reason, async (o) => {
    await rejectWarning({ ...o, reason: o.body.reason ?? '' })
    return 'rejected'
  })
  step('khan', 'publish-urgent', Urgent, async (o) => {
    await publishUrgently({ ...o, reason: o.body.reason ?? '', changeNote: o.body.changeNote ?? null })
    return 'urgent'
  })
  step('xac-nhan', 'retro-approve', Empty, async (o) => {
    await retroApproveWarning(o)
    return 'retroApproved'
  })
  step('huy', 'cancel', Reason, async (o) => {
    await cancelWarning({ ...o, reason: o.body.reason ?? '' })
    return 'cancelled'
  })
  step('dong', 'close', Close, async (o) => {
    await closeWarning({ ...o, reason: (o.body.reason ?? '') as CloseReason, note: o.body.note ?? null })
    return 'closed'
  })
}
