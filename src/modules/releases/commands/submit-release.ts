import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { assertNotSealed, illegal } from '../releases.workflow.ts'

/** Sends the working draft for approval. Refused (and audited) while the linked case is sealed. */
export async function submitRelease(o: { tx: Tx; release: LoadedRelease; actor: AuditActor & { id: string }; ip?: string }): Promise<void> {
  const { release, working } = o.release
  if (working.status !== 'draft') illegal('submit', working.status)
  assertNotSealed(o.release, o.actor, 'submit', o.ip)
  const at = now()
  await o.tx
    .update(releaseEditions)
    .set({ status: 'submitted', submittedBy: o.actor.id, submittedAt: at, rejectionComment: null, updatedAt: at })
    .where(eq(releaseEditions.id, working.id))
  if (release.status === 'draft') await o.tx.update(releases).set({ status: 'submitted', updatedAt: at }).where(eq(releases.id, release.id))
  else await o.tx.update(releases).set({ updatedAt: at }).where(eq(releases.id, release.id))
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.submitted',
    subjectType: 'release',
    subjectId: release.id,
    summary: { edition: working.number, correction: release.status === 'published' },
    ip: o.ip,
  })
}
