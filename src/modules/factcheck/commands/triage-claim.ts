import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { findUser } from '../../accounts/users.ts'
import { HARMS, type Harm, claims } from '../factcheck.tables.ts'
import type { LoadedClaim } from '../factcheck.repository.ts'
import { priorityOf, slaDue, triageOf } from '../triage.ts'

/**
 * Sets the kind of harm (and optionally the desk's wording of the statement and the
 * assignee); the priority, level and SLA clock follow.
 */
export async function triageClaim(o: {
  tx: Tx
  claim: LoadedClaim
  actor: AuditActor
  harm: string
  /** The desk's neutral wording of the claim. */
  statement?: string
  /** An investigating officer or editor. */
  assigneeId?: string | null
  ip?: string
}): Promise<void> {
  const c = o.claim.claim
  if (!(HARMS as readonly string[]).includes(o.harm)) throw new AppError('VALIDATION', { detail: 'harm' })
  if (c.status === 'merged' || c.status === 'dismissed') throw new AppError('ILLEGAL_TRANSITION', { action: 'triage', status: c.status })
  const harm = o.harm as Harm
  if (o.assigneeId) {
    const user = await findUser(o.tx, c.tenantId, o.assigneeId)
    if (user?.status !== 'active' || !['officer', 'editor', 'approver'].includes(user.role))
      throw new AppError('VALIDATION', { detail: 'assignee' })
  }
  // A severity set by hand (with its reason) is not undone by a change of harm here: only a new
  // manual setting changes the level.
  const { priority, level } = triageOf(priorityOf(harm, c.requests, c.partnerReports), c.severitySetAt ? c.level : null)
  const statement = o.statement?.trim() ? o.statement.trim().normalize('NFC').slice(0, 2000) : c.statement
  await o.tx
    .update(claims)
    .set({
      harm,
      priority,
      level,
      slaDueAt: slaDue(c.firstSeenAt, level),
      statement,
      assignedTo: o.assigneeId === undefined ? c.assignedTo : o.assigneeId,
      status: c.status === 'new' ? 'investigating' : c.status,
      updatedAt: now(),
    })
    .where(eq(claims.id, c.id))
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'claim.triaged',
    subjectType: 'claim',
    subjectId: c.id,
    summary: {
      harm: { before: c.harm, after: harm },
      level: { before: c.level, after: level },
      priority,
      assignedTo: o.assigneeId ?? c.assignedTo,
      statementChanged: statement !== c.statement,
    },
    ip: o.ip,
  })
}
