import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { notifyPublicChange } from '../../../platform/notify.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { emitCaseEvent } from '../cases.events.ts'
import type { LoadedCase } from '../cases.repository.ts'
import { caseClearances, cases } from '../cases.tables.ts'

/**
 * An approver records a clearance: who, when, what may now be disclosed, which legal ground
 * for secrecy was lifted. Linked releases may then go through approval.
 */
export async function clearCase(o: {
  tx: Tx
  case: LoadedCase
  actor: AuditActor & { id: string }
  scope: string
  groundLifted: string
  ip?: string
}): Promise<void> {
  const c = o.case.case
  if (c.state !== 'sealed') throw new AppError('ILLEGAL_TRANSITION', { action: 'clear', status: c.state })
  const scope = cleanLine(o.scope, 2000)
  const groundLifted = cleanLine(o.groundLifted, 500)
  if (scope.length < 10) throw new AppError('REASON_REQUIRED', { min: 10 })
  if (groundLifted.length < 3) throw new AppError('REASON_REQUIRED', { min: 3 })
  const at = now()
  await o.tx
    .insert(caseClearances)
    .values({ tenantId: c.tenantId, caseId: c.id, clearedBy: o.actor.id, clearedAt: at, scope, groundLifted })
  await o.tx.update(cases).set({ state: 'cleared', updatedAt: at }).where(eq(cases.id, c.id))
  await notifyPublicChange(o.tx, c.tenantId)
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'case.cleared',
    subjectType: 'case',
    subjectId: c.id,
    summary: { scope, groundLifted },
    ip: o.ip,
  })
  await emitCaseEvent(o.tx, {
    tenantId: c.tenantId,
    actorId: o.actor.id,
    type: 'case.cleared',
    payload: { caseId: c.id, code: c.code, title: c.title, scope, groundLifted, clearedBy: o.actor.id, clearedAt: at.toISOString() },
  })
}

/** Closes a cleared case. */
export async function closeCase(o: { tx: Tx; case: LoadedCase; actor: AuditActor & { id: string }; ip?: string }): Promise<void> {
  const c = o.case.case
  if (c.state !== 'cleared') throw new AppError('ILLEGAL_TRANSITION', { action: 'close', status: c.state })
  await o.tx.update(cases).set({ state: 'closed', updatedAt: now() }).where(eq(cases.id, c.id))
  await recordAudit(o.tx, { tenantId: c.tenantId, actor: o.actor, action: 'case.closed', subjectType: 'case', subjectId: c.id, ip: o.ip })
}
