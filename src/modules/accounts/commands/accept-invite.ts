import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { assertStrongPassword, hashPassword } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { users } from '../accounts.tables.ts'
import { consumeToken, peekToken } from '../tokens.ts'
import { findUser } from '../users.ts'

/** Input of accepting an invitation. */
export interface AcceptInviteOptions {
  tx: Tx
  tenantId: string
  token: unknown
  name: string
  password: string
  passwordConfirm: string
  ip?: string
}

/** Sets the invited person's name (required) and password and activates the account. */
export async function acceptInvite(o: AcceptInviteOptions): Promise<{ userId: string; email: string }> {
  const peek = await peekToken(o.tx, o.tenantId, o.token, 'invite')
  const user = peek.userId ? await findUser(o.tx, o.tenantId, peek.userId) : undefined
  if (user?.status !== 'invited') throw new AppError('TOKEN_INVALID')
  // A name is required (the audit log and the user list show it); the form pre-fills the
  // admin's, so an empty one was cleared on purpose and gets a visible message.
  const name = o.name.trim().normalize('NFC').slice(0, 200)
  if (!name) throw new AppError('NAME_REQUIRED')
  if (o.password !== o.passwordConfirm) throw new AppError('PASSWORDS_DIFFER')
  assertStrongPassword(o.password, user.email)
  await consumeToken(o.tx, o.tenantId, o.token, 'invite')
  await o.tx
    .update(users)
    .set({ name, passwordHash: await hashPassword(o.password), status: 'active', updatedAt: now() })
    .where(eq(users.id, user.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: { id: user.id, label: user.email },
    action: 'user.invite_accepted',
    subjectType: 'user',
    subjectId: user.id,
    summary: { name },
    ip: o.ip,
  })
  return { userId: user.id, email: user.email }
}
