import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { partnerRecognitions } from '../../events.tables.ts'
import { checkReason, checkYear } from './recognition-input.ts'

/**
 * Revokes a partner's recognition of a year with a written reason (kept for staff and the audit
 * log; the public verify page says only "revoked" and when). The certificate's PDF then answers
 * 410. Row and audit ('partner.recognition_revoked') share `tx`. The caller has checked
 * 'recognize' on partner.
 */
export async function revokeRecognition(o: {
  tx: Tx
  tenantId: string
  partnerId: string
  year: unknown
  reason: unknown
  actor: AuditActor
  ip?: string | null
}): Promise<{ id: string; code: string }> {
  const year = checkYear(o.year)
  const reason = checkReason(o.reason)
  const [rec] = await o.tx
    .select()
    .from(partnerRecognitions)
    .where(
      and(eq(partnerRecognitions.tenantId, o.tenantId), eq(partnerRecognitions.partnerId, o.partnerId), eq(partnerRecognitions.year, year)),
    )
    .for('update')
  if (!rec) throw new AppError('NOT_FOUND')
  if (rec.revokedAt) throw new AppError('RECOGNITION_ALREADY_REVOKED')
  const at = now()
  await o.tx.update(partnerRecognitions).set({ revokedAt: at, revokeReason: reason }).where(eq(partnerRecognitions.id, rec.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'partner.recognition_revoked',
    subjectType: 'partner',
    subjectId: o.partnerId,
    summary: { year, code: rec.certificateCode, reason, recognitionId: rec.id },
    ip: o.ip ?? null,
  })
  return { id: rec.id, code: rec.certificateCode }
}
