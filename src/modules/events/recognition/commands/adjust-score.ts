import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { partnerScoreAdjustments } from '../../events.tables.ts'
import { partnerScores } from '../score.ts'
import { checkPoints, checkReason, checkYear } from './recognition-input.ts'

/**
 * Adjusts a partner's score for a year by −100…100 points (not 0) with a written reason of
 * 10–2000 characters, which the partner sees in the portal. Only partners the year scores can
 * be adjusted (another answers NOT_FOUND). The row and the audit row ('partner.score_adjusted')
 * share `tx`. The caller has checked 'recognize' on partner.
 */
export async function adjustScore(o: {
  tx: Tx
  tenantId: string
  partnerId: string
  /** The year as typed (checked here). */
  year: unknown
  /** The points as typed (checked here). */
  points: unknown
  /** The written reason as typed (checked here; required). */
  reason: unknown
  /** Who adjusts (audit; the row keeps the user). */
  actor: AuditActor & { id: string }
  ip?: string | null
}): Promise<{ id: string; year: number; points: number }> {
  const year = checkYear(o.year)
  const points = checkPoints(o.points)
  const reason = checkReason(o.reason)
  const [score] = await partnerScores(o.tx, o.tenantId, year, { partnerId: o.partnerId })
  if (!score) throw new AppError('NOT_FOUND')
  const [row] = await o.tx
    .insert(partnerScoreAdjustments)
    .values({ tenantId: o.tenantId, year, partnerId: score.partnerId, points, reason, createdBy: o.actor.id })
    .returning({ id: partnerScoreAdjustments.id })
  if (!row) throw new Error('adjustment not written')
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'partner.score_adjusted',
    subjectType: 'partner',
    subjectId: score.partnerId,
    summary: { year, points, reason, adjustmentId: row.id, totalBefore: score.total, totalAfter: score.total + points },
    ip: o.ip ?? null,
  })
  return { id: row.id, year, points }
}
