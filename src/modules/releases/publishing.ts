/**
 * Making an edition public: sign it, supersede the previous public edition, move the slug
 * if the title changed (old slugs keep redirecting), refresh the search text, audit, and
 * tell every process to drop its cached public pages. Shared by approve-now, the lift at
 * a scheduled or embargo time, force-publish and corrections, so all paths run the same
 * checks.
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { releaseToText } from './release-text.ts'
import { emitReleaseEvent } from './releases.events.ts'
import type { LoadedRelease } from './releases.repository.ts'
import { releaseEditions, releaseSlugs, releases } from './releases.tables.ts'
import { notifyPublicChange, uniqueSlug } from './releases.workflow.ts'
import { ensureSigningKey } from '../../platform/signing/index.ts'
import { signContent } from './signing.ts'

/** Publishes the working edition of `r` at instant `at`. Callers have checked the seal and the state. */
export async function publishWorkingEdition(
  tx: Tx,
  r: LoadedRelease,
  o: {
    actor: AuditActor
    /** The publication instant (the lift time for a scheduled release). */
    at: Date
    ip?: string
    /** Set by force-publish: the item then waits for a retrospective approval. */
    forced?: { by: string; reason: string }
  },
): Promise<{ verificationCode: string; slug: string }> {
  const { release, working, published } = r
  const key = await ensureSigningKey(tx, release.tenantId)
  const signed = signContent(key.privateKeyPem, {
    releaseId: release.id,
    edition: working.number,
    kind: release.kind,
    title: working.title,
    summary: working.summary,
    bodyMd: working.bodyMd,
    publishedAt: o.at,
    changeNote: working.changeNote,
  })
  await tx
    .update(releaseEditions)
    .set({ status: 'published', publishedAt: o.at, ...signed, updatedAt: o.at })
    .where(eq(releaseEditions.id, working.id))
  if (published && published.id !== working.id) {
    await tx.update(releaseEditions).set({ status: 'superseded', updatedAt: o.at }).where(eq(releaseEditions.id, published.id))
  }
  let slug = release.slug
  if (published && published.title !== working.title) slug = await uniqueSlug(tx, release.tenantId, working.title, release.id)
  // Every slug that was ever public stays reserved for this release and redirects to it.
  await tx.insert(releaseSlugs).values({ tenantId: release.tenantId, slug, releaseId: release.id }).onConflictDoNothing()
  const text = releaseToText(working)
  await tx
    .update(releases)
    .set({
      status: 'published',
      slug,
      category: working.category,
      publishedEditionId: working.id,
      workingEditionId: working.id,
      publishAt: null,
      firstPublishedAt: release.firstPublishedAt ?? o.at,
      lastPublishedAt: o.at,
      searchTitle: working.title,
      searchText: text,
      updatedAt: o.at,
      ...(o.forced ? { forcedBy: o.forced.by, forcedReason: o.forced.reason, retroApprovedBy: null, retroApprovedAt: null } : {}),
    })
    .where(and(eq(releases.id, release.id), eq(releases.tenantId, release.tenantId)))
  await recordAudit(tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: published ? 'release.corrected' : 'release.published',
    subjectType: 'release',
    subjectId: release.id,
    summary: {
      edition: working.number,
      verificationCode: signed.verificationCode,
      slug,
      ...(published ? { previousEdition: published.number, changeNote: working.changeNote, minor: working.minor } : {}),
      ...(o.forced ? { forced: true, reason: o.forced.reason } : {}),
    },
    ip: o.ip,
  })
  const base = { releaseId: release.id, kind: release.kind, caseId: release.caseId ?? null }
  const actorId = o.actor.id
  if (published) {
    await emitReleaseEvent(tx, {
      tenantId: release.tenantId,
      actorId,
      type: 'release.corrected',
      payload: {
        ...base,
        edition: working.number,
        editionId: working.id,
        previousEdition: published.number,
        verificationCode: signed.verificationCode,
        slug,
        changeNote: working.changeNote ?? null,
        minor: !!working.minor,
      },
    })
  } else {
    await emitReleaseEvent(tx, {
      tenantId: release.tenantId,
      actorId,
      type: 'release.published',
      payload: {
        ...base,
        edition: working.number,
        editionId: working.id,
        verificationCode: signed.verificationCode,
        slug,
        forced: !!o.forced,
      },
    })
  }
  await notifyPublicChange(tx, release.tenantId)
  return { verificationCode: signed.verificationCode, slug }
}
