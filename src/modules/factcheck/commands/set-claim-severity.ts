import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { HARMS, type Harm, LEVELS, type Level, claims } from '../factcheck.tables.ts'
import type { LoadedClaim } from '../factcheck.repository.ts'
import { priorityOf, slaDue, triageOf } from '../triage.ts'

/** The shortest reason accepted for a severity set by hand. */
export const SEVERITY_MIN_REASON = 10

/**
 * Sets a claim's severity by hand: the kind of harm and the SLA level a person chose, with a
 * written reason. The SLA clock follows the level; the priority is kept inside the level's
 * range. From then on the automatic triage (recount of spread, merges, a later change of harm)
 * keeps this level; only another manual setting changes it. Audited as `claim.severity_set`
 * with the reason.
 */
export async function setClaimSeverity(o: {
  tx: Tx
  claim: LoadedClaim
  /** A person (the reason is theirs). */
  actor: AuditActor & { id: string }
  harm: string
  level: string
  /** Why: shown on the claim page and kept in the audit chain. */
  reason: string
  ip?: string
}): Promise<void> {
  const c = o.claim.claim
  if (!(HARMS as readonly string[]).includes(o.harm)) throw new AppError('VALIDATION', { detail: 'harm' })
  if (!(LEVELS as readonly string[]).includes(o.level)) throw new AppError('VALIDATION', { detail: 'level' })
  if (c.status === 'merged' || c.status === 'dismissed' || c.status === 'published')
    throw new AppError('ILLEGAL_TRANSITION', { action: 'severity', status: c.status })
  const reason = cleanLine(o.reason, 1000).trim()
  if (reason.length < SEVERITY_MIN_REASON) throw new AppError('REASON_REQUIRED', { min: SEVERITY_MIN_REASON })
  const harm = o.harm as Harm
  const { priority, level } = triageOf(priorityOf(harm, c.requests, c.partnerReports), o.level as Level)
  const at = now()
  await o.tx
    .update(claims)
    .set({
      harm,
      priority,
      level,
      slaDueAt: slaDue(c.firstSeenAt, level),
      severityReason: reason,
      severitySetBy: o.actor.id,
      severitySetAt: at,
      status: c.status === 'new' ? 'investigating' : c.status,
      updatedAt: at,
    })
    .where(eq(claims.id, c.id))
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'claim.severity_set',
    subjectType: 'claim',
    subjectId: c.id,
    summary: {
      harm: { before: c.harm, after: harm },
      level: { before: c.level, after: level },
      priority,
      reason,
    },
    ip: o.ip,
  })
}
