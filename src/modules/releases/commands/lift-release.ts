import type { Database } from '../../../db/index.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { publishWorkingEdition } from '../publishing.ts'
import { unsafeLoadRelease } from '../releases.repository.ts'
import { assertNotSealed } from '../releases.workflow.ts'

/** What a lift attempt found. */
export type LiftOutcome = 'published' | 'not_due' | 'not_scheduled'

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
  return runAudited(o.database.pool, async (tx) => {
    const r = await unsafeLoadRelease(tx, o.tenantId, o.releaseId, { forUpdate: true })
    if (!r || (r.release.status !== 'scheduled' && r.release.status !== 'embargoed') || !r.release.publishAt) return { outcome: 'not_scheduled' }
    if (o.expectedAt && r.release.publishAt.getTime() !== o.expectedAt.getTime()) return { outcome: 'not_scheduled' }
    const at = now()
    if (r.release.publishAt.getTime() > at.getTime()) return { outcome: 'not_due', publishAt: r.release.publishAt }
    const actor = { id: null, label: 'system:lift' }
    assertNotSealed(r, actor, 'publish')
    await publishWorkingEdition(tx, r, { actor, at })
    return { outcome: 'published' }
  })
}
