import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { illegal } from '../releases.workflow.ts'

/** Sends a submitted edition back to draft with a comment for its author. */
export async function rejectRelease(o: {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  comment: string
  ip?: string
}): Promise<void> {
  const { release, working } = o.release
  if (working.status !== 'submitted') illegal('reject', working.status)
  const comment = o.comment.trim().normalize('NFC').slice(0, 2000)
  if (comment.length < 5) throw new AppError('REASON_REQUIRED', { min: 5 })
  const at = now()
  await o.tx
    .update(releaseEditions)
    .set({ status: 'draft', rejectionComment: comment, updatedAt: at })
    .where(eq(releaseEditions.id, working.id))
  if (release.status === 'submitted') await o.tx.update(releases).set({ status: 'draft', updatedAt: at }).where(eq(releases.id, release.id))
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.rejected',
    subjectType: 'release',
    subjectId: release.id,
    summary: { edition: working.number, comment },
    ip: o.ip,
  })
}
