import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { assertPublishGate } from '../publish-gate.ts'
import { publishWorkingEdition } from '../publishing.ts'
import type { LoadedRelease } from '../releases.repository.ts'
import { assertNotSealed, illegal } from '../releases.workflow.ts'

/**
 * An admin publishes without approval, only with a written reason; the item then waits for a
 * retrospective approval by an approver. A sealed case blocks this too.
 */
export async function forcePublishRelease(o: {
  tx: Tx
  release: LoadedRelease
  actor: AuditActor & { id: string }
  reason: string
  ip?: string
}): Promise<{ verificationCode: string }> {
  const { release, working } = o.release
  if (
    !['draft', 'submitted', 'scheduled', 'embargoed'].includes(release.status) &&
    !(release.status === 'published' && working.id !== release.publishedEditionId)
  ) {
    illegal('force-publish', release.status)
  }
  const reason = o.reason.trim().normalize('NFC')
  if (reason.length < 10) throw new AppError('REASON_REQUIRED', { min: 10 })
  assertNotSealed(o.release, o.actor, 'force-publish', o.ip)
  // The written reason for forcing also stands as the override of the content checks (audited).
  await assertPublishGate(o.tx, o.release, { actor: o.actor, override: reason, ip: o.ip })
  const r = await publishWorkingEdition(o.tx, o.release, { actor: o.actor, at: now(), ip: o.ip, forced: { by: o.actor.id, reason } })
  await recordAudit(o.tx, {
    tenantId: release.tenantId,
    actor: o.actor,
    action: 'release.force_published',
    subjectType: 'release',
    subjectId: release.id,
    summary: { reason, edition: working.number, was: release.status },
    ip: o.ip,
  })
  return r
}
