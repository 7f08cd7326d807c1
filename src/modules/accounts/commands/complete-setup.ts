import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { assertStrongPassword, hashPassword, normalizeEmail } from '../../../platform/auth/secrets.ts'
import { AppError } from '../../../platform/errors.ts'
import { users } from '../accounts.tables.ts'
import { consumeToken } from '../tokens.ts'
import { hasActiveAdmin } from '../users.ts'

/** Input of the setup wizard. */
export interface CompleteSetupOptions {
  tx: Tx
  tenantId: string
  /** The one-time setup token printed at start-up. */
  token: unknown
  email: unknown
  name: string
  password: string
  /** Must equal `password`. */
  passwordConfirm: string
  ip?: string
}

/**
 * Creates the first admin from the one-time setup token. The admin enrols TOTP next; the
 * token cannot be used again and the wizard closes for good.
 */
export async function completeSetup(o: CompleteSetupOptions): Promise<{ userId: string; email: string }> {
  if (await hasActiveAdmin(o.tx, o.tenantId)) throw new AppError('SETUP_DONE')
  const email = normalizeEmail(o.email)
  if (o.password !== o.passwordConfirm) throw new AppError('PASSWORDS_DIFFER')
  assertStrongPassword(o.password, email)
  await consumeToken(o.tx, o.tenantId, o.token, 'setup')
  const [user] = await o.tx
    .insert(users)
    .values({
      tenantId: o.tenantId,
      email,
      name: o.name.trim().normalize('NFC').slice(0, 200),
      role: 'admin',
      status: 'active',
      passwordHash: await hashPassword(o.password),
    })
    .returning({ id: users.id })
  if (!user) throw new Error('user insert returned nothing')
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: { id: user.id, label: email },
    action: 'setup.completed',
    subjectType: 'user',
    subjectId: user.id,
    summary: { role: 'admin', email },
    ip: o.ip,
  })
  return { userId: user.id, email }
}
