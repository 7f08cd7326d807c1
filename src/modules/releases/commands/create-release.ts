import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { cleanEditionInput, cleanKind, contribution, type EditionInput, uniqueSlug } from '../releases.workflow.ts'

/** Input of a new release. */
export interface CreateReleaseOptions {
  tx: Tx
  tenantId: string
  actor: AuditActor & { id: string }
  kind: unknown
  content: Partial<EditionInput>
  /** The spokesperson named on the release (required). */
  spokespersonId: string | null
  /** A linked case (its seal then governs the release). The caller checked the actor may see it. */
  caseId?: string | null
  ip?: string
}

/** Creates a release with its first edition, in draft; the author is its first contributor (four-eyes). */
export async function createRelease(o: CreateReleaseOptions): Promise<{ releaseId: string; editionId: string }> {
  const kind = cleanKind(o.kind)
  const content = cleanEditionInput(o.content)
  if (!o.spokespersonId) throw new AppError('SPOKESPERSON_REQUIRED')
  const [sp] = await o.tx.select().from(spokespersons).where(eq(spokespersons.id, o.spokespersonId))
  if (!sp || sp.tenantId !== o.tenantId || !sp.active) throw new AppError('SPOKESPERSON_REQUIRED')
  const at = now()
  const [release] = await o.tx
    .insert(releases)
    .values({
      tenantId: o.tenantId,
      kind,
      status: 'draft',
      slug: await uniqueSlug(o.tx, o.tenantId, content.title),
      category: content.category,
      caseId: o.caseId ?? null,
      spokespersonId: sp.id,
      createdBy: o.actor.id,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: releases.id })
  if (!release) throw new Error('release insert returned nothing')
  const [edition] = await o.tx
    .insert(releaseEditions)
    .values({
      tenantId: o.tenantId,
      releaseId: release.id,
      number: 1,
      status: 'draft',
      ...content,
      contributors: [contribution(o.actor.id, 'created', at)],
      createdBy: o.actor.id,
      createdAt: at,
      updatedAt: at,
    })
    .returning({ id: releaseEditions.id })
  if (!edition) throw new Error('edition insert returned nothing')
  await o.tx.update(releases).set({ workingEditionId: edition.id }).where(eq(releases.id, release.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'release.created',
    subjectType: 'release',
    subjectId: release.id,
    summary: { kind, title: content.title, caseId: o.caseId ?? null },
    ip: o.ip,
  })
  return { releaseId: release.id, editionId: edition.id }
}
