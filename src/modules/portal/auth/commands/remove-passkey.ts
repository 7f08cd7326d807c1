/** A partner removes one of their own passkeys on /doi-tac/bao-mat (audited). */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { User } from '../../../accounts/users.ts'
import { isUuid } from '../../../partners/partners.normalize.ts'
import { passkeys } from '../auth.tables.ts'

/**
 * Deletes the passkey `passkeyId` if it is `user`'s; another account's passkey and an unknown
 * id answer alike (NOT_FOUND).
 */
export async function removePasskey(o: { tx: Tx; user: User; passkeyId: string; ip?: string }): Promise<void> {
  if (!isUuid(o.passkeyId)) throw new AppError('NOT_FOUND')
  const [row] = await o.tx
    .delete(passkeys)
    .where(and(eq(passkeys.id, o.passkeyId), eq(passkeys.tenantId, o.user.tenantId), eq(passkeys.userId, o.user.id)))
    .returning({ id: passkeys.id, name: passkeys.name })
  if (!row) throw new AppError('NOT_FOUND')
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: 'portal.passkey_removed',
    subjectType: 'passkey',
    subjectId: row.id,
    summary: { name: row.name },
    ip: o.ip,
  })
}
