import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { assertStrongPassword, hashPassword, normalizeEmail } from '../../../platform/auth/secrets.ts'
import { AppError } from '../../../platform/errors.ts'
import type { Tenant } from '../../../platform/tenancy/index.ts'
import { cleanIdentity, type IdentityInput, updateIdentity } from '../../settings/commands/update-identity.ts'
import { type SpokespersonInput, saveSpokesperson } from '../../spokespersons/commands/save-spokesperson.ts'
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
  /** The office's identity (name, province, contacts), which replaces the fresh install's placeholder. */
  identity: IdentityInput
  /** The first spokesperson; left out when every field is empty (an admin adds one later). */
  spokesperson?: SpokespersonInput
  ip?: string
}

/**
 * Creates the first admin from the one-time setup token, records the office's identity and,
 * if given, its first spokesperson (so an editor can write the first release at once), all in
 * one transaction. The admin enrols TOTP next; the token cannot be used again and the wizard
 * closes for good.
 */
export async function completeSetup(o: CompleteSetupOptions): Promise<{ userId: string; email: string; tenant: Tenant }> {
  if (await hasActiveAdmin(o.tx, o.tenantId)) throw new AppError('SETUP_DONE')
  const email = normalizeEmail(o.email)
  if (o.password !== o.passwordConfirm) throw new AppError('PASSWORDS_DIFFER')
  assertStrongPassword(o.password, email)
  // A bad identity field is refused before anything is written (the command checks it again).
  cleanIdentity(o.identity)
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
  const actor = { id: user.id, label: email }
  const tenant = await updateIdentity({ tx: o.tx, tenantId: o.tenantId, actor, input: o.identity, ip: o.ip })
  const sp = o.spokesperson
  if (sp && [sp.name, sp.title, sp.phone, sp.email].some((v) => v.trim() !== '')) {
    await saveSpokesperson({ tx: o.tx, tenantId: o.tenantId, actor, input: sp, ip: o.ip })
  }
  return { userId: user.id, email, tenant }
}
