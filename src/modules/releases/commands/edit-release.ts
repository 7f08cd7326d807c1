import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { cleanEditionInput, contribution, type EditionInput, illegal, uniqueSlug, withContribution } from '../releases.workflow.ts'

/** Input of an edit. */
export interface EditReleaseOptions {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  content: Partial<EditionInput>
  /** For a published release: the public change note of the correction. */
  changeNote?: string | null
  /** For a published release: a minor fix (no public note; still audited). */
  minor?: boolean
  ip?: string
}

/**
 * Edits the working edition. A draft (or a submitted edition, which goes back to draft) is
 * changed in place; an approved or published edition is immutable, so editing a published
 * release starts a new draft edition (a correction) while the public keeps the published
 * one. Scheduled and embargoed releases must be unscheduled first (whitehall's rule: the
 * approved text is what goes out).
 *
 * The editor becomes a contributor of the edition (`edited`, or `created` for a correction):
 * whoever changed the text can no longer approve it (four-eyes), even after someone else
 * submits it again.
 */
export async function editRelease(o: EditReleaseOptions): Promise<{ editionId: string; created: boolean }> {
  const { release, working } = o.release
  const content = cleanEditionInput(o.content)
  const at = now()
  const correction = { changeNote: o.minor ? null : o.changeNote?.trim().normalize('NFC').slice(0, 1000) || null, minor: !!o.minor }
  if (release.status === 'scheduled' || release.status === 'embargoed' || release.status === 'approved') illegal('edit', release.status)
  if (release.status === 'withdrawn' || release.status === 'gone') illegal('edit', release.status)
  let editionId = working.id
  let created = false
  if (working.status === 'draft' || working.status === 'submitted') {
    await o.tx
      .update(releaseEditions)
      .set({
        ...content,
        ...(release.status === 'published' ? correction : {}),
        contributors: withContribution(contribution(o.actor.id, 'edited', at)),
        status: 'draft',
        submittedBy: null,
        submittedAt: null,
        updatedAt: at,
      })
      .where(eq(releaseEditions.id, working.id))
  } else {
    // working is the published edition: start a correction.
    const [edition] = await o.tx
      .insert(releaseEditions)
      .values({
        tenantId: release.tenantId,
        releaseId: release.id,
        number: working.number + 1,
        status: 'draft',
        ...content,
        ...correction,
        contributors: [contribution(o.actor.id, 'created', at)],
        createdBy: o.actor.id,
        createdAt: at,
        updatedAt: at,
      })
      .returning({ id: releaseEditions.id })
    if (!edition) throw new Error('edition insert returned nothing')
    editionId = edition.id
    created = true
  }
  const patch: Partial<typeof releases.$inferInsert> = {
    workingEditionId: editionId,
    category: release.status === 'published' ? release.category : content.category,
    updatedAt: at,
  }
  if (release.status === 'submitted') patch.status = 'draft'
  // Before anything is public, the slug follows the title; afterwards it changes at publication.
  if (!release.firstPublishedAt && content.title !== working.title)
    patch.slug = await uniqueSlug(o.tx, release.tenantId, content.title, release.id)
  await o.tx.update(releases).set(patch).where(eq(releases.id, release.id))
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.edited',
    subjectType: 'release',
    subjectId: release.id,
    summary: {
      edition: created ? working.number + 1 : working.number,
      newEdition: created,
      titleChanged: content.title !== working.title,
      ...(release.status === 'published' ? correction : {}),
    },
    ip: o.ip,
  })
  return { editionId, created }
}
