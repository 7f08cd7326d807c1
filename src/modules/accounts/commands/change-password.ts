import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { assertStrongPassword, hashPassword, verifyPassword } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { users } from '../accounts.tables.ts'
import { deleteUserSessions } from '../sessions.ts'
import type { User } from '../users.ts'

/** Changes one's own password (current one required); other sessions end. */
export async function changePassword(o: {
  tx: Tx
  user: User
  current: string
  password: string
  passwordConfirm: string
  /** The session to keep. */
  sessionId: string
  ip?: string
}): Promise<{ sessionsEnded: number }> {
  if (!(await verifyPassword(o.user.passwordHash, o.current))) throw new AppError('BAD_CREDENTIALS')
  if (o.password !== o.passwordConfirm) throw new AppError('PASSWORDS_DIFFER')
  assertStrongPassword(o.password, o.user.email)
  await o.tx
    .update(users)
    .set({ passwordHash: await hashPassword(o.password), updatedAt: now() })
    .where(eq(users.id, o.user.id))
  const sessionsEnded = await deleteUserSessions(o.tx, o.user.id, o.sessionId)
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: 'user.password_changed',
    subjectType: 'user',
    subjectId: o.user.id,
    summary: { sessionsEnded },
    ip: o.ip,
  })
  return { sessionsEnded }
}
