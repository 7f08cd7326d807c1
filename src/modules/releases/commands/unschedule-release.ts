import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { emitReleaseEvent } from '../releases.events.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { illegal, notifySchedule } from '../releases.workflow.ts'

/** Takes a scheduled or embargoed release back to submitted: it needs a fresh approval. */
export async function unscheduleRelease(o: {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  ip?: string
}): Promise<void> {
  const { release, working } = o.release
  if (release.status !== 'scheduled' && release.status !== 'embargoed') illegal('unschedule', release.status)
  const at = now()
  await o.tx
    .update(releaseEditions)
    .set({ status: 'submitted', approvedBy: null, approvedAt: null, updatedAt: at })
    .where(eq(releaseEditions.id, working.id))
  await o.tx.update(releases).set({ status: 'submitted', publishAt: null, updatedAt: at }).where(eq(releases.id, release.id))
  await notifySchedule(o.tx, release.id)
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.unscheduled',
    subjectType: 'release',
    subjectId: release.id,
    summary: { was: release.status, at: release.publishAt?.toISOString() ?? null },
    ip: o.ip,
  })
  await emitReleaseEvent(o.tx, {
    tenantId: release.tenantId,
    actorId: o.actor.id,
    type: 'release.unscheduled',
    payload: { releaseId: release.id, kind: release.kind, caseId: release.caseId ?? null, was: release.status },
  })
}
