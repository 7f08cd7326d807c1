/**
 * The release editor: new release, the page of one release (edit, correction), and the live
 * preview partial. Validate → authorise (with the loaded record) → one command → present.
 */
import { type Static, Type } from '@sinclair/typebox'
import { withTransaction } from '../../../db/index.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { caseSubject, unsafeLoadCase } from '../../cases/cases.repository.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { createRelease } from '../commands/create-release.ts'
import { editRelease } from '../commands/edit-release.ts'
import { releaseSubject } from '../releases.repository.ts'
import { editorData, loadVisibleRelease, showRelease } from './release-view.ts'
import { actorOf, auditOf, listOf, runForm } from '../../../platform/html/forms.tsx'
import { EMPTY_VALUES, type EditorValues, editorPage, PreviewContent, SummaryCount, valuesOf } from './release-editor.pages.tsx'

const Str = (max: number) => Type.String({ maxLength: max })
const Hidden = { hide: true }
const Csrf = { _csrf: Type.Optional(Str(100)) }

/** The editor form (also what the preview receives). */
const EditorBody = Type.Object({
  kind: Type.Optional(Str(40)),
  title: Type.Optional(Str(1000)),
  // Longer than the 300-character rule, so the domain refuses it with its own message.
  summary: Type.Optional(Str(5000)),
  bodyMd: Type.Optional(Str(400_000)),
  category: Type.Optional(Str(200)),
  tags: Type.Optional(Str(2000)),
  communes: Type.Optional(Type.Union([Str(100), Type.Array(Str(100), { maxItems: 200 })])),
  spokespersonId: Type.Optional(Str(64)),
  caseId: Type.Optional(Str(64)),
  changeNote: Type.Optional(Str(2000)),
  minor: Type.Optional(Str(8)),
  ...Csrf,
})
type EditorForm = Static<typeof EditorBody>
const IdParams = Type.Object({ id: Str(64) })
const DoneQuery = Type.Object({ done: Type.Optional(Str(40)) })

/** Notices a redirect may ask for (`?done=`); anything else is ignored. */
const NOTICES = new Set([
  'created',
  'saved',
  'submitted',
  'approved',
  'scheduled',
  'embargoed',
  'published',
  'rejected',
  'unscheduled',
  'withdrawn',
  'gone',
  'forced',
  'retroApproved',
])

/** Form values as typed (strings kept as they came, for re-rendering after a refusal). */
function formValues(b: EditorForm, base: EditorValues = EMPTY_VALUES): EditorValues {
  return {
    kind: b.kind ?? base.kind,
    title: b.title ?? base.title,
    summary: b.summary ?? base.summary,
    bodyMd: b.bodyMd ?? base.bodyMd,
    category: b.category ?? base.category,
    tags: b.tags ?? base.tags,
    communes: b.communes === undefined ? base.communes : listOf(b.communes),
    spokespersonId: b.spokespersonId ?? base.spokespersonId,
    caseId: b.caseId ?? base.caseId,
    changeNote: b.changeNote ?? base.changeNote,
    minor: b.minor !== undefined,
  }
}

/** The edition content of the form, as the commands take it. */
function contentOf(v: EditorValues) {
  return {
    title: v.title,
    summary: v.summary,
    bodyMd: v.bodyMd,
    category: v.category,
    tags: v.tags.split(/[,;\n]/),
    communes: v.communes,
  }
}

/** Registers the editor routes. */
export async function registerReleaseEditorRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  const db = database.db

  const pageData = (actor: Actor) => editorData(db, actor)

  app.get('/console/releases/new', { config: { access: { action: 'create', subject: 'release' } }, schema: Hidden }, async (req, reply) => {
    const actor = actorOf(req)
    authorize(actor, 'create', 'release')
    return editorPage({ req, reply }, { values: EMPTY_VALUES, ...(await pageData(actor)) })
  })

  app.post(
    '/console/releases/new',
    { config: { access: { action: 'create', subject: 'release' } }, schema: { ...Hidden, body: EditorBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'create', 'release')
      const values = formValues(req.body)
      return runForm(
        reply,
        async () => {
          const { releaseId } = await withTransaction(database.pool, async (tx) => {
            let caseId: string | null = null
            if (values.caseId) {
              // Only a case the actor may see can be linked (a hidden one is "not found").
              const linked = await unsafeLoadCase(tx, tenant.id, values.caseId)
              if (!linked) throw new AppError('NOT_FOUND')
              authorize(actor, 'read', caseSubject(linked), { hideExistence: true })
              caseId = linked.case.id
            }
            return createRelease({
              tx,
              tenantId: tenant.id,
              actor: auditOf(actor),
              kind: values.kind,
              content: contentOf(values),
              spokespersonId: values.spokespersonId || null,
              caseId,
              ip: req.ip,
            })
          })
          return reply.redirect(`/console/releases/${releaseId}?done=created`, 303)
        },
        async (e) => editorPage({ req, reply }, { values, error: e, ...(await pageData(actor)) }),
      )
    },
  )

  app.post(
    '/console/releases/preview',
    { config: { access: { action: 'create', subject: 'release' } }, schema: { ...Hidden, body: EditorBody } },
    async (req, reply) => {
      authorize(req.actor, 'create', 'release')
      const l = req.locale
      const b = req.body
      let html: string | null
      try {
        html = renderMarkdown(b.bodyMd ?? '').html
      } catch (e) {
        if (!isAppError(e)) throw e
        html = null
      }
      const summary = (b.summary ?? '').normalize('NFC')
      const fragment = (
        <>
          <PreviewContent l={l} title={(b.title ?? '').normalize('NFC')} summary={summary} html={html} />
          <SummaryCount l={l} length={summary.length} oob />
        </>
      )
      // A staff preview is never cached or indexed anywhere.
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('x-robots-tag', 'noindex, nofollow')
        .send(fragment.value)
    },
  )

  app.get(
    '/console/releases/:id',
    { config: { access: { action: 'list', subject: 'release' } }, schema: { ...Hidden, params: IdParams, querystring: DoneQuery } },
    async (req, reply) => {
      const { id } = req.params
      const q = req.query
      const notice = q.done && NOTICES.has(q.done) ? `releases.done.${q.done}` : undefined
      return showRelease(req, reply, id, { notice })
    },
  )

  app.post(
    '/console/releases/:id',
    { config: { access: { action: 'list', subject: 'release' } }, schema: { ...Hidden, params: IdParams, body: EditorBody } },
    async (req, reply) => {
      const actor = actorOf(req)
      const { id } = req.params
      const b = req.body
      return runForm(
        reply,
        async () => {
          await runAudited(database.pool, async (tx) => {
            const loaded = await loadVisibleRelease(tx, actor, id, { forUpdate: true })
            authorize(actor, 'edit', releaseSubject(loaded))
            const values = formValues(b, valuesOf(loaded))
            return editRelease({
              tx,
              release: loaded,
              actor: auditOf(actor),
              content: contentOf(values),
              changeNote: values.changeNote,
              minor: values.minor,
              ip: req.ip,
            })
          })
          return reply.redirect(`/console/releases/${id}?done=saved`, 303)
        },
        async (e) => {
          if (e.code === 'NOT_FOUND') throw e
          const loaded = await loadVisibleRelease(db, actor, id)
          return showRelease(req, reply, id, { error: e, values: formValues(b, valuesOf(loaded)) })
        },
      )
    },
  )
}
