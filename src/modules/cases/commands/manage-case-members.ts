import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { isStaffRole } from '../../../platform/policy/index.ts'
import { findUserByEmail } from '../../accounts/users.ts'
import type { LoadedCase } from '../cases.repository.ts'
import { caseMembers } from '../cases.tables.ts'

/** Adds a staff member (by e-mail) to a case's need-to-know circle. */
export async function addCaseMember(o: {
  tx: Tx
  case: LoadedCase
  actor: AuditActor & { id: string }
  email: string
  ip?: string
}): Promise<void> {
  const c = o.case.case
  const user = await findUserByEmail(o.tx, c.tenantId, o.email.trim())
  if (user?.status !== 'active' || !isStaffRole(user.role)) throw new AppError('NOT_FOUND')
  // A member is in already; an admin with break-glass access would outlive its expiry.
  if (user.id === o.actor.id) throw new AppError('CASE_SELF_ADD')
  const at = now()
  // Adding someone who holds a break-glass membership (current or lapsed) makes them an
  // ordinary member: no expiry any more. An ordinary member stays as they were.
  await o.tx
    .insert(caseMembers)
    .values({ tenantId: c.tenantId, caseId: c.id, userId: user.id, addedBy: o.actor.id, addedAt: at })
    .onConflictDoUpdate({
      target: [caseMembers.caseId, caseMembers.userId],
      set: { via: 'added', reason: null, expiresAt: null, addedBy: o.actor.id, addedAt: at },
      setWhere: sql`${caseMembers.via} = 'break_glass'`,
    })
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'case.member_added',
    subjectType: 'case',
    subjectId: c.id,
    summary: { userId: user.id, email: user.email },
    ip: o.ip,
  })
}

/** Removes a member (never the lead officer). */
export async function removeCaseMember(o: {
  tx: Tx
  case: LoadedCase
  actor: AuditActor & { id: string }
  userId: string
  ip?: string
}): Promise<void> {
  const c = o.case.case
  if (o.userId === c.leadOfficerId) throw new AppError('FORBIDDEN', { action: 'remove-lead' })
  await o.tx.delete(caseMembers).where(and(eq(caseMembers.caseId, c.id), eq(caseMembers.userId, o.userId)))
  await recordAudit(o.tx, {
    tenantId: c.tenantId,
    actor: o.actor,
    action: 'case.member_removed',
    subjectType: 'case',
    subjectId: c.id,
    summary: { userId: o.userId },
    ip: o.ip,
  })
}
