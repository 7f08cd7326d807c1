import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, AuditedRefusal, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { releaseEditions, releases } from '../releases.tables.ts'
import { assertNotContributor, illegal } from '../releases.workflow.ts'

/**
 * An approver approves, after the fact, what an admin force-published: never the admin who
 * forced it, nor anyone who wrote or changed the published edition's text (refusals audited).
 */
export async function retroApproveRelease(o: {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  ip?: string
}): Promise<void> {
  const { release, published } = o.release
  if (!release.forcedBy || release.retroApprovedBy || !published) illegal('retro-approve', release.status)
  if (release.forcedBy === o.actor.id) {
    throw new AuditedRefusal(
      'FOUR_EYES',
      {},
      {
        tenantId: release.tenantId,
        actor: o.actor,
        action: 'release.refused',
        subjectType: 'release',
        subjectId: release.id,
        summary: { attempted: 'retro-approve', reason: 'four_eyes' },
        ip: o.ip,
      },
    )
  }
  assertNotContributor(o.release, published, o.actor, 'retro-approve', o.ip)
  const at = now()
  await o.tx.update(releases).set({ retroApprovedBy: o.actor.id, retroApprovedAt: at, updatedAt: at }).where(eq(releases.id, release.id))
  await o.tx.update(releaseEditions).set({ approvedBy: o.actor.id, approvedAt: at }).where(eq(releaseEditions.id, published.id))
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.retro_approved',
    subjectType: 'release',
    subjectId: release.id,
    summary: { forcedBy: release.forcedBy, reason: release.forcedReason },
    ip: o.ip,
  })
}
