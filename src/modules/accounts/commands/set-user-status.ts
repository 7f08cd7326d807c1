import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { users } from '../accounts.tables.ts'
import { deleteUserSessions } from '../sessions.ts'
import { hasActiveAdmin, type User } from '../users.ts'

/** Disables an account (ending its sessions at once) or enables it again. */
export async function setUserStatus(o: {
  tx: Tx
  user: User
  /** `disabled` or `active`. */
  status: 'disabled' | 'active'
  actor: AuditActor
  ip?: string
}): Promise<void> {
  if (o.user.status === o.status) return
  if (o.status === 'active' && o.user.status === 'invited') throw new AppError('FORBIDDEN', { action: 'enable' })
  await o.tx.update(users).set({ status: o.status, updatedAt: now() }).where(eq(users.id, o.user.id))
  if (o.user.role === 'admin' && o.status === 'disabled' && !(await hasActiveAdmin(o.tx, o.user.tenantId))) {
    throw new AppError('LAST_ADMIN')
  }
  const ended = o.status === 'disabled' ? await deleteUserSessions(o.tx, o.user.id) : 0
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: o.actor,
    action: o.status === 'disabled' ? 'user.disabled' : 'user.enabled',
    subjectType: 'user',
    subjectId: o.user.id,
    summary: { status: { before: o.user.status, after: o.status }, sessionsEnded: ended },
    ip: o.ip,
  })
}
