import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, AuditedRefusal, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { enqueue } from '../../../platform/jobs/index.ts'
import { assertPublishGate } from '../publish-gate.ts'
import { publishWorkingEdition } from '../publishing.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { emitReleaseEvent } from '../releases.events.ts'
import { assertNotContributor, assertNotSealed, illegal, notifySchedule } from '../releases.workflow.ts'

/** How an approved release goes out. */
export type PublishMode = 'now' | 'schedule' | 'embargo'

/** Input of an approval. */
export interface ApproveReleaseOptions {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  /**
   * `now`: public at once. `schedule`: visible to nobody outside the press office until `at`.
   * `embargo`: visible now to accredited journalists with its lift time, public at `at`.
   */
  mode: PublishMode
  /** The instant of the schedule or lift (required for schedule and embargo; must be future). */
  at?: Date | null
  /** Reason to approve despite high-risk content findings (audited). */
  gateOverride?: string | null
  ip?: string
}

/**
 * Approves the submitted working edition. Four-eyes: neither its submitter nor anyone who
 * wrote or changed its text (its contributors) can approve it; both refusals are audited.
 * Refused (and audited) while the linked case is sealed. A correction of a published
 * release goes out at once.
 */
export async function approveRelease(
  o: ApproveReleaseOptions,
): Promise<{ status: 'published' | 'scheduled' | 'embargoed'; verificationCode?: string }> {
  const { release, working } = o.release
  if (working.status !== 'submitted') illegal('approve', working.status)
  if (working.submittedBy === o.actor.id) {
    throw new AuditedRefusal(
      'FOUR_EYES',
      {},
      {
        tenantId: release.tenantId,
        actor: o.actor,
        action: 'release.refused',
        subjectType: 'release',
        subjectId: release.id,
        summary: { attempted: 'approve', reason: 'four_eyes', edition: working.number },
        ip: o.ip,
      },
    )
  }
  // Whoever submitted it: an approver who wrote the text lets someone else submit it.
  assertNotContributor(o.release, working, o.actor, 'approve', o.ip)
  assertNotSealed(o.release, o.actor, 'approve', o.ip)
  await assertPublishGate(o.tx, o.release, { actor: o.actor, override: o.gateOverride, ip: o.ip })
  const at = now()
  if (release.status === 'published' && o.mode !== 'now') illegal(o.mode, release.status)
  if (o.mode !== 'now') {
    if (!o.at || Number.isNaN(o.at.getTime())) throw new AppError('VALIDATION', { detail: 'at' })
    if (o.at.getTime() <= at.getTime()) throw new AppError('SCHEDULE_IN_PAST')
  }
  await o.tx
    .update(releaseEditions)
    .set({ status: 'approved', approvedBy: o.actor.id, approvedAt: at, updatedAt: at })
    .where(eq(releaseEditions.id, working.id))
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.approved',
    subjectType: 'release',
    subjectId: release.id,
    summary: { edition: working.number, mode: o.mode, at: o.at?.toISOString() ?? null, submittedBy: working.submittedBy },
    ip: o.ip,
  })
  const approved = { ...o.release, working: { ...working, status: 'approved' as const, approvedBy: o.actor.id, approvedAt: at } }
  if (o.mode === 'now') {
    const r = await publishWorkingEdition(o.tx, approved, { actor: o.actor, at, ip: o.ip })
    return { status: 'published', verificationCode: r.verificationCode }
  }
  const lift = o.at as Date
  const status = o.mode === 'schedule' ? 'scheduled' : 'embargoed'
  await o.tx.update(releases).set({ status, publishAt: lift, updatedAt: at }).where(eq(releases.id, release.id))
  // The durable lift job; its handler checks "not before" again when it runs.
  await enqueue(
    o.tx,
    'releases.lift',
    { releaseId: release.id, tenantId: release.tenantId, publishAt: lift.toISOString() },
    { startAfter: lift },
  )
  await notifySchedule(o.tx, release.id)
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: status === 'scheduled' ? 'release.scheduled' : 'release.embargoed',
    subjectType: 'release',
    subjectId: release.id,
    summary: { at: lift.toISOString() },
    ip: o.ip,
  })
  // A scheduled release goes to nobody before its time, so only the embargo is announced.
  if (status === 'embargoed') {
    await emitReleaseEvent(o.tx, {
      tenantId: release.tenantId,
      actorId: o.actor.id,
      type: 'release.embargoed',
      payload: {
        releaseId: release.id,
        kind: release.kind,
        caseId: release.caseId ?? null,
        edition: working.number,
        editionId: working.id,
        liftAt: lift.toISOString(),
      },
    })
  }
  return { status }
}
