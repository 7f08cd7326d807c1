/**
 * Loading a release for the console (hidden like a missing one when the viewer may not see it)
 * and showing its page, shared by the editor, workflow and upload routes.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Db, Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { listCasesFor } from '../../cases/cases.repository.ts'
import { listSpokespersons } from '../../spokespersons/spokespersons.repository.ts'
import { type LoadedRelease, listEditions, releaseSubject, unsafeLoadRelease } from '../releases.repository.ts'
import { userLabels } from '../../accounts/users.ts'
import { listAttachments, userPeople } from './console.queries.ts'
import { contributorIds } from './contributors.tsx'
import { actorOf } from '../../../platform/html/forms.tsx'
import { type EditorPage, editorPage, valuesOf } from './release-editor.pages.tsx'

/**
 * Loads a release the actor may read; a release of a sealed case the actor is not in answers
 * 404 like a missing one (its existence is not disclosed).
 */
export async function loadVisibleRelease(
  db: Db | Tx,
  actor: Actor,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedRelease> {
  const r = await unsafeLoadRelease(db, actor.tenantId, id, opts)
  if (!r) throw new AppError('NOT_FOUND')
  authorize(actor, 'read', releaseSubject(r), { hideExistence: true })
  return r
}

/** Everything the editor page lists besides the release: spokespersons, linkable cases, files, history, contributors. */
export async function editorData(
  db: Db,
  actor: Actor,
  loaded?: LoadedRelease,
): Promise<Omit<EditorPage, 'loaded' | 'values' | 'error' | 'notice' | 'snippet'>> {
  const [spokespersons, cases] = await Promise.all([listSpokespersons(db, actor.tenantId), listCasesFor(db, actor)])
  const attachments = loaded ? await listAttachments(db, actor.tenantId, loaded.release.id) : []
  const editions = loaded ? await listEditions(db, loaded.release.id) : []
  const names = await userLabels(
    db,
    actor.tenantId,
    editions.flatMap((e) => [e.createdBy, e.submittedBy, e.approvedBy]),
  )
  const people = await userPeople(db, actor.tenantId, contributorIds(editions))
  return {
    spokespersons: spokespersons.map((s) => ({ id: s.id, name: s.name, title: s.title, active: s.active })),
    cases: cases.map((c) => ({ id: c.id, code: c.code, title: c.title, state: c.state })),
    attachments,
    editions,
    names,
    people,
  }
}

/**
 * Shows the page of release `id`, with a refusal, the values typed, or a notice. A refusal
 * keeps its status (423 sealed, 403 four-eyes, 415 upload type …); NOT_FOUND is rethrown so a
 * hidden release stays indistinguishable from a missing one.
 */
export async function showRelease(
  req: FastifyRequest,
  reply: FastifyReply,
  id: string,
  o: Partial<Pick<EditorPage, 'error' | 'notice' | 'snippet' | 'values'>> = {},
): Promise<FastifyReply> {
  if (o.error?.code === 'NOT_FOUND') throw o.error
  const actor = actorOf(req)
  const db = req.server.ctx.database.db
  const loaded = await loadVisibleRelease(db, actor, id)
  return editorPage({ req, reply }, { loaded, values: o.values ?? valuesOf(loaded), ...(await editorData(db, actor, loaded)), ...o })
}
