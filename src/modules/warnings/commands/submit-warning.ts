import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { lockWarning, type WarningRow } from '../warnings.repository.ts'
import { warnings } from '../warnings.tables.ts'
import type { WarningActor } from './command-kit.ts'

/**
 * Sends the working copy of a draft, or an update of an active warning, for a second person's
 * approval. Only something not yet public can be submitted (WARNING_NOTHING_TO_PUBLISH).
 * Audited 'warning.submitted'.
 */
export async function submitWarning(o: { tx: Tx; tenantId: string; actor: WarningActor; id: string; ip?: string }): Promise<WarningRow> {
  const w = await lockWarning(o.tx, o.tenantId, o.id)
  if (w.state !== 'draft' && w.state !== 'active') throw new AppError('WARNING_STATE', { state: w.state })
  if (!w.dirty) throw new AppError('WARNING_NOTHING_TO_PUBLISH')
  if (w.review === 'submitted') throw new AppError('WARNING_STATE', { state: 'submitted' })
  const at = now()
  const [row] = await o.tx
    .update(warnings)
    .set({ review: 'submitted', submittedBy: o.actor.id, submittedAt: at, updatedAt: at })
    .where(eq(warnings.id, w.id))
    .returning()
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'warning.submitted',
    subjectType: 'warning',
    subjectId: w.id,
    summary: { code: w.code, state: w.state, version: w.version, update: w.version >= 1 },
    ip: o.ip,
  })
  return row as WarningRow
}
