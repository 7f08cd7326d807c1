import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { assertStrongPassword, hashPassword } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { users } from '../accounts.tables.ts'
import { deleteUserSessions } from '../sessions.ts'
import { consumeToken, peekToken } from '../tokens.ts'
import { findUser } from '../users.ts'

/** Sets a new password from a reset link (once; every session of the account ends). */
export async function resetPassword(o: {
  tx: Tx
  tenantId: string
  token: unknown
  password: string
  passwordConfirm: string
  ip?: string
}): Promise<{ userId: string }> {
  const peek = await peekToken(o.tx, o.tenantId, o.token, 'reset')
  const user = peek.userId ? await findUser(o.tx, o.tenantId, peek.userId) : undefined
  if (user?.status !== 'active') throw new AppError('TOKEN_INVALID')
  if (o.password !== o.passwordConfirm) throw new AppError('PASSWORDS_DIFFER')
  assertStrongPassword(o.password, user.email)
  await consumeToken(o.tx, o.tenantId, o.token, 'reset')
  await o.tx
    .update(users)
    .set({ passwordHash: await hashPassword(o.password), updatedAt: now() })
    .where(eq(users.id, user.id))
  const sessionsEnded = await deleteUserSessions(o.tx, user.id)
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: { id: user.id, label: user.email },
    action: 'user.password_reset',
    subjectType: 'user',
    subjectId: user.id,
    summary: { sessionsEnded },
    ip: o.ip,
  })
  return { userId: user.id }
}
