import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { LoadedCase } from '../cases.repository.ts'
import { CASE_STAGES, cases } from '../cases.tables.ts'

/** Records the case's procedural stage (the wording checks choose đối tượng / bị can / bị cáo from it). */
export async function setCaseStage(o: {
  tx: Tx
  case: LoadedCase
  actor: AuditActor & { id: string }
  stage: string
  ip?: string
}): Promise<void> {
  const c = o.case.case
  if (!(CASE_STAGES as readonly string[]).includes(o.stage)) throw new AppError('VALIDATION', { detail: 'stage' })
  if (o.stage === c.stage) return
  await o.tx
    .update(cases)
    .set({ stage: o.stage as (typeof CASE_STAGES)[number], updatedAt: now() })
    .where(eq(cases.id, c.id))
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'case.stage_changed',
    subjectType: 'case',
    subjectId: c.id,
    summary: { stage: { before: c.stage, after: o.stage } },
    ip: o.ip,
  })
}
