import { eq } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { publishWorkingEdition } from '../publishing.ts'
import { unsafeLoadRelease } from '../releases.repository.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { notifySchedule } from '../releases.workflow.ts'

/** What a lift attempt found. */
export type LiftOutcome = 'published' | 'not_due' | 'not_scheduled' | 'refused_sealed'

/**
 * Publishes a scheduled or embargoed release whose time has come. The "not before" check
 * runs here, at run time, on instants; the row is locked so that several processes racing
 * (job, timer, sweep) publish it once. A sealed case still blocks it (refusal audited).
 */
export async function liftRelease(o: {
  database: Database
  tenantId: string
  releaseId: string
  /** When the job was meant for; a stale job (unscheduled, re-timed) does nothing. */
  expectedAt?: Date
}): Promise<{ outcome: LiftOutcome; publishAt?: Date }> {
  return withTransaction(o.database.pool, async (tx) => {
    const r = await unsafeLoadRelease(tx, o.tenantId, o.releaseId, { forUpdate: true })
    if (!r || (r.release.status !== 'scheduled' && r.release.status !== 'embargoed') || !r.release.publishAt)
      return { outcome: 'not_scheduled' }
    if (o.expectedAt && r.release.publishAt.getTime() !== o.expectedAt.getTime()) return { outcome: 'not_scheduled' }
    const at = now()
    if (r.release.publishAt.getTime() > at.getTime()) return { outcome: 'not_due', publishAt: r.release.publishAt }
    const actor = { id: null, label: 'system:lift' }
    if (r.case?.state === 'sealed') {
      // Refused at run time: back to the approval queue (no retry loop), refusal audited.
      await tx
        .update(releaseEditions)
        .set({ status: 'submitted', approvedBy: null, approvedAt: null, updatedAt: at })
        .where(eq(releaseEditions.id, r.working.id))
      await tx.update(releases).set({ status: 'submitted', publishAt: null, updatedAt: at }).where(eq(releases.id, r.release.id))
      await notifySchedule(tx, r.release.id)
      await recordAudit(tx, {
        tenantId: r.release.tenantId,
        actor,
        action: 'release.refused',
        subjectType: 'release',
        subjectId: r.release.id,
        summary: {
          attempted: 'publish',
          reason: 'case_sealed',
          caseCode: r.case.code,
          ground: r.case.secrecyGround,
          returnedTo: 'submitted',
        },
      })
      return { outcome: 'refused_sealed' }
    }
    await publishWorkingEdition(tx, r, { actor, at })
    return { outcome: 'published' }
  })
}
