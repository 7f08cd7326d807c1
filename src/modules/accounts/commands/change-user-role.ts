import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { isRole, isStaffRole } from '../../../platform/policy/index.ts'
import { users } from '../accounts.tables.ts'
import { deleteUserSessions } from '../sessions.ts'
import { hasActiveAdmin, type User } from '../users.ts'

/**
 * Changes a user's role. Their sessions end, so the new rights (and TOTP, when a partner
 * becomes staff) apply from the next sign-in. The last active admin cannot be demoted.
 */
export async function changeUserRole(o: {
  tx: Tx
  /** The account to change (already authorised by the caller). */
  user: User
  role: unknown
  actor: AuditActor
  ip?: string
}): Promise<void> {
  if (!isRole(o.role)) throw new AppError('ROLE_UNKNOWN', { role: String(o.role).slice(0, 40) })
  if (o.role === o.user.role) return
  await o.tx.update(users).set({ role: o.role, updatedAt: now() }).where(eq(users.id, o.user.id))
  if (o.user.role === 'admin' && !(await hasActiveAdmin(o.tx, o.user.tenantId))) throw new AppError('LAST_ADMIN')
  await deleteUserSessions(o.tx, o.user.id)
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: o.actor,
    action: 'user.role_changed',
    subjectType: 'user',
    subjectId: o.user.id,
    summary: { role: { before: o.user.role, after: o.role }, totpRequired: isStaffRole(o.role) },
    ip: o.ip,
  })
}
