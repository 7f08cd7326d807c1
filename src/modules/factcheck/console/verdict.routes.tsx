/**
 * Verdict steps: save the draft, the live preview fragment, submit, approve and reject. Approval
 * runs through `runAudited`, so a four-eyes refusal (the submitter, or anyone who wrote or
 * changed the version's text, approving) is recorded although its transaction rolls back; the
 * claim page is shown again with the message and status 403. Approving publishes and queues the mail to every submitter with a contact.
 */
import { type Static, Type } from '@sinclair/typebox'
import { authorize } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { approveVerdict, draftVerdict, rejectVerdict, submitVerdict } from '../commands/verdict-workflow.ts'
import { claimStep } from './claim.routes.tsx'
import type { VerdictValues } from './claim-page.ts'
import { claimSubject, DESK, listOf } from './desk-kit.tsx'
import { previewOf, VerdictPreview } from './verdict.pages.tsx'

const Str = (max: number) => Type.String({ maxLength: max })
const Csrf = { _csrf: Type.Optional(Str(100)) }
const IdParams = Type.Object({ id: Str(64) })
/** The editor form: `title` is the headline and `bodyMd` the explanation (the findings panel's names). */
const VerdictBody = Type.Object({
  label: Type.Optional(Str(40)),
  title: Type.Optional(Str(1000)),
  bodyMd: Type.Optional(Str(200_000)),
  evidenceIds: Type.Optional(Type.Union([Str(64), Type.Array(Str(64), { maxItems: 500 })])),
  correctionNote: Type.Optional(Str(4000)),
  ...Csrf,
})
type VerdictForm = Static<typeof VerdictBody>
const Empty = Type.Object(Csrf)
const RejectBody = Type.Object({ comment: Str(2000), ...Csrf })

/** The form's values, as typed (kept for re-rendering after a refusal). */
function valuesOf(b: VerdictForm): VerdictValues {
  return {
    label: b.label ?? '',
    title: b.title ?? '',
    bodyMd: b.bodyMd ?? '',
    evidenceIds: listOf(b.evidenceIds),
    correctionNote: b.correctionNote ?? '',
  }
}

/** Registers the verdict routes. */
export async function registerVerdictRoutes(app: TypedApp): Promise<void> {
  const { config, tenant } = app.ctx

  claimStep(
    app,
    'verdict',
    'draft-verdict',
    VerdictBody,
    async (o) => {
      const v = valuesOf(o.body)
      await draftVerdict({
        tx: o.tx,
        claim: o.claim,
        actor: o.actor,
        input: {
          label: v.label,
          headline: v.title,
          explanationMd: v.bodyMd,
          evidenceIds: v.evidenceIds,
          correctionNote: v.correctionNote || null,
        },
        ip: o.ip,
      })
      return { done: 'drafted', anchor: 'verdict' }
    },
    { keep: (b) => ({ verdict: valuesOf(b) }) },
  )

  app.post(
    `${DESK}/:id/verdict/preview`,
    { config: { access: { action: 'draft-verdict', subject: 'claim' } }, schema: { hide: true, params: IdParams, body: VerdictBody } },
    async (req, reply) => {
      authorize(req.actor, 'draft-verdict', claimSubject(tenant.id))
      const v = valuesOf(req.body)
      const fragment = <VerdictPreview l={req.locale} label={v.label} title={v.title.normalize('NFC')} html={previewOf(v.bodyMd)} />
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .send(fragment.value)
    },
  )

  claimStep(app, 'verdict/submit', 'draft-verdict', Empty, async (o) => {
    await submitVerdict({ tx: o.tx, claim: o.claim, actor: o.actor, ip: o.ip })
    return { done: 'submitted', anchor: 'verdict' }
  })

  claimStep(app, 'verdict/approve', 'approve-verdict', Empty, async (o) => {
    await approveVerdict({ tx: o.tx, claim: o.claim, actor: o.actor, publicUrl: config.publicUrl, tenantName: tenant.name, ip: o.ip })
    return { done: 'published', anchor: 'verdict' }
  })

  claimStep(app, 'verdict/reject', 'approve-verdict', RejectBody, async (o) => {
    await rejectVerdict({ tx: o.tx, claim: o.claim, actor: o.actor, comment: o.body.comment, ip: o.ip })
    return { done: 'rejected', anchor: 'verdict' }
  })
}
