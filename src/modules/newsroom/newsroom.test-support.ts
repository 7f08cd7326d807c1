/**
 * Test factories of the newsroom tests: staff and a spokesperson, and releases published,
 * corrected, withdrawn or marked gone through the real commands.
 */
import { runAudited } from '../../platform/audit/index.ts'
import type { Database } from '../../db/index.ts'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../test/support/releases.ts'
import { editRelease } from '../releases/commands/edit-release.ts'
import { markReleaseGone, withdrawRelease } from '../releases/commands/withdraw-release.ts'
import type { WithdrawalCategory } from '../releases/releases.tables.ts'
import type { EditionInput } from '../releases/releases.workflow.ts'
import { publicCacheFor } from './newsroom.cache.ts'

/** A test app with the people a newsroom test needs. */
export interface NewsroomWorld {
  t: TestApp
  admin: MadeUser
  editor: MadeUser
  approver: MadeUser
  spokespersonId: string
}

/** Builds an app with an admin (so the home page is not the setup wizard), an editor, an approver and a spokesperson. */
export async function newsroomWorld(): Promise<NewsroomWorld> {
  const t = await createTestApp()
  const admin = await makeUser(t, { role: 'admin' })
  const editor = await makeUser(t, { role: 'editor' })
  const approver = await makeUser(t, { role: 'approver' })
  const spokespersonId = await makeSpokesperson(t)
  return { t, admin, editor, approver, spokespersonId }
}

/** Creates a release and publishes it now (editor submits, approver approves); returns its id and slug. */
export async function publishRelease(
  w: NewsroomWorld,
  content: Partial<EditionInput> = {},
  o: { kind?: string; caseId?: string | null } = {},
): Promise<{ id: string; slug: string; code: string }> {
  const id = await draft(w.t, w.editor, { spokespersonId: w.spokespersonId, content, kind: o.kind, caseId: o.caseId })
  const r = await submitAndApprove(w.t, id, w.editor, w.approver, 'now')
  const loaded = await load(w.t, id)
  return { id, slug: loaded.release.slug, code: r.verificationCode ?? '' }
}

/** Creates a release approved for a later instant (`schedule` or `embargo`). */
export async function approveForLater(
  w: NewsroomWorld,
  content: Partial<EditionInput>,
  mode: 'schedule' | 'embargo',
  at: Date,
  o: { caseId?: string | null } = {},
) {
  const id = await draft(w.t, w.editor, { spokespersonId: w.spokespersonId, content, caseId: o.caseId })
  await submitAndApprove(w.t, id, w.editor, w.approver, mode, at)
  return { id, slug: (await load(w.t, id)).release.slug }
}

/** Publishes a correction of a published release (a new edition with a public note, or a minor fix). */
export async function correctRelease(
  w: NewsroomWorld,
  id: string,
  content: Partial<EditionInput>,
  o: { changeNote?: string; minor?: boolean } = {},
) {
  const before = await load(w.t, id)
  await runAudited(w.t.database.pool, async (tx) =>
    editRelease({
      tx,
      release: before,
      actor: { id: w.editor.id, label: w.editor.email },
      content: { ...editionContent(before.working), ...content },
      changeNote: o.changeNote,
      minor: o.minor,
    }),
  )
  const r = await submitAndApprove(w.t, id, w.editor, w.approver, 'now')
  return { slug: (await load(w.t, id)).release.slug, code: r.verificationCode ?? '' }
}

function editionContent(e: {
  title: string
  summary: string
  bodyMd: string
  category: string
  tags: string[]
  communes: string[]
}): EditionInput {
  return { title: e.title, summary: e.summary, bodyMd: e.bodyMd, category: e.category, tags: e.tags, communes: e.communes }
}

/**
 * Withdraws a published release with a public reason, confirmed; by default as a factual error
 * (the text stays under the notice), or with another category (the text is removed).
 */
export async function withdraw(
  w: NewsroomWorld,
  id: string,
  reason: string,
  category: WithdrawalCategory = 'factual_error',
): Promise<void> {
  await runAudited(w.t.database.pool, async (tx) =>
    withdrawRelease({
      tx,
      release: await load(w.t, id),
      actor: { id: w.approver.id, label: w.approver.email },
      category,
      reason,
      confirmed: true,
    }),
  )
}

/** Marks a release "published in error" (410). */
export async function markGone(w: NewsroomWorld, id: string, reason: string): Promise<void> {
  await runAudited(w.t.database.pool, async (tx) =>
    markReleaseGone({ tx, release: await load(w.t, id), actor: { id: w.admin.id, label: w.admin.email }, reason }),
  )
}

/** Waits until the app's page cache has been invalidated at least `after + 1` times (NOTIFY is asynchronous). */
export async function cacheInvalidated(w: NewsroomWorld, after: number, timeoutMs = 5000): Promise<void> {
  const cache = await publicCacheFor(w.t.app)
  const until = Date.now() + timeoutMs
  while (cache.stats.invalidations <= after) {
    if (Date.now() > until) throw new Error('cache was not invalidated')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** The number of invalidations so far (to wait for the next one). */
export async function invalidations(w: NewsroomWorld): Promise<number> {
  return (await publicCacheFor(w.t.app)).stats.invalidations
}

/** Runs SQL directly (e.g. to force a case back to sealed). */
export async function execSql(database: Database, text: string, params: unknown[] = []): Promise<void> {
  await database.pool.query(text, params)
}
