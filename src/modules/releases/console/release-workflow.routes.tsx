/**
 * The workflow steps of a release, one route each: submit, approve (now, schedule, embargo),
 * reject, unschedule, withdraw, force-publish, retro-approve, mark gone. Each runs through
 * `runAudited`, so a refusal that must be recorded (sealed case, four-eyes) is audited even
 * though the transaction rolls back; a refusal re-renders the release page with its message
 * and status (423 for a sealed case, 403 for four-eyes, 409 for an illegal transition).
 */
import { type Static, type TObject, Type } from '@sinclair/typebox'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, runAudited } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { authorize } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { approveRelease } from '../commands/approve-release.ts'
import { forcePublishRelease } from '../commands/force-publish-release.ts'
import { rejectRelease } from '../commands/reject-release.ts'
import { retroApproveRelease } from '../commands/retro-approve-release.ts'
import { submitRelease } from '../commands/submit-release.ts'
import { unscheduleRelease } from '../commands/unschedule-release.ts'
import { markReleaseGone, withdrawRelease } from '../commands/withdraw-release.ts'
import { type LoadedRelease, releaseSubject } from '../releases.repository.ts'
import { actorOf, auditOf, runForm } from '../../../platform/html/forms.tsx'
import { parseLocalDateTime } from '../../../platform/time.ts'
import { loadVisibleRelease, showRelease } from './release-view.ts'

const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const IdParams = Type.Object({ id: Str(64) })
const Empty = Type.Object(Csrf)
const Reason = Type.Object({ reason: Str(2000), ...Csrf })
const Comment = Type.Object({ comment: Str(2000), ...Csrf })
// Category and confirmation are optional here so that a missing one gets the command's own
// bilingual message (400) on the release page, not a bare schema error.
const Withdraw = Type.Object({ category: Type.Optional(Str(40)), reason: Str(2000), confirm: Type.Optional(Str(10)), ...Csrf })
const Approve = Type.Object({
  mode: Type.Union([Type.Literal('now'), Type.Literal('schedule'), Type.Literal('embargo')]),
  at: Type.Optional(Str(40)),
  gateOverride: Type.Optional(Str(2000)),
  ...Csrf,
})

/** What a step's runner receives. */
interface StepInput<B> {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  body: B
  ip: string
}

/** Registers the workflow routes. */
export async function registerReleaseWorkflowRoutes(app: TypedApp): Promise<void> {
  const { database } = app.ctx

  /**
   * One workflow step: POST /console/releases/:id/<path>, authorised for `action` on the loaded
   * release (locked for update), running `run`, then back to the release page with a notice.
   */
  const step = <S extends TObject>(path: string, action: string, body: S, run: (o: StepInput<Static<S>>) => Promise<string>) => {
    app.post(
      `/console/releases/:id/${path}`,
      { config: { access: { action: 'list', subject: 'release' } }, schema: { hide: true, params: IdParams, body } },
      async (req, reply) => {
        const actor = actorOf(req)
        const { id } = req.params
        return runForm(
          reply,
          async () => {
            const done = await runAudited(database.pool, async (tx) => {
              const release = await loadVisibleRelease(tx, actor, id, { forUpdate: true })
              authorize(actor, action, releaseSubject(release))
              // `body` is validated by the schema above; TypeScript cannot resolve the type provider's
              // type for the generic `S`, hence the one cast.
              return run({ tx, release, actor: auditOf(actor), body: req.body as Static<S>, ip: req.ip })
            })
            return reply.redirect(`/console/releases/${id}?done=${done}`, 303)
          },
          (e) => showRelease(req, reply, id, { error: e }),
        )
      },
    )
  }

  step('submit', 'submit', Empty, async (o) => {
    await submitRelease({ tx: o.tx, release: o.release, actor: o.actor, ip: o.ip })
    return 'submitted'
  })
  step('approve', 'approve', Approve, async (o) => {
    // A datetime-local value is Asia/Ho_Chi_Minh wall time: converted to a UTC instant here.
    const at = o.body.mode === 'now' ? null : parseLocalDateTime(o.body.at)
    if (o.body.mode !== 'now' && !at) throw new AppError('VALIDATION', { detail: 'at' })
    const r = await approveRelease({
      tx: o.tx,
      release: o.release,
      actor: o.actor,
      mode: o.body.mode,
      at,
      gateOverride: o.body.gateOverride || null,
      ip: o.ip,
    })
    return r.status
  })
  step('reject', 'reject', Comment, async (o) => {
    await rejectRelease({ tx: o.tx, release: o.release, actor: o.actor, comment: o.body.comment, ip: o.ip })
    return 'rejected'
  })
  step('unschedule', 'unschedule', Empty, async (o) => {
    await unscheduleRelease({ tx: o.tx, release: o.release, actor: o.actor, ip: o.ip })
    return 'unscheduled'
  })
  step('withdraw', 'withdraw', Withdraw, async (o) => {
    await withdrawRelease({
      tx: o.tx,
      release: o.release,
      actor: o.actor,
      category: o.body.category,
      reason: o.body.reason,
      confirmed: o.body.confirm === 'yes',
      ip: o.ip,
    })
    return 'withdrawn'
  })
  step('force-publish', 'force-publish', Reason, async (o) => {
    await forcePublishRelease({ tx: o.tx, release: o.release, actor: o.actor, reason: o.body.reason, ip: o.ip })
    return 'forced'
  })
  step('retro-approve', 'retro-approve', Empty, async (o) => {
    await retroApproveRelease({ tx: o.tx, release: o.release, actor: o.actor, ip: o.ip })
    return 'retroApproved'
  })
  step('mark-gone', 'mark-gone', Reason, async (o) => {
    await markReleaseGone({ tx: o.tx, release: o.release, actor: o.actor, reason: o.body.reason, ip: o.ip })
    return 'gone'
  })
}
