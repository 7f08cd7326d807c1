import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { partnerTokens } from '../tokens.tables.ts'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Revokes one of the partner's own tokens: every later request with it is refused. Another
 * account's token, an unknown id and an already revoked token all answer NOT_FOUND (a token of
 * someone else looks exactly like a missing one). Audited in the same transaction.
 */
export async function revokePartnerToken(o: {
  tx: Tx
  /** The partner's account; only its own tokens can be revoked. */
  actor: Actor
  tokenId: string
  ip?: string
}): Promise<void> {
  if (!UUID.test(o.tokenId)) throw new AppError('NOT_FOUND')
  const [row] = await o.tx
    .update(partnerTokens)
    .set({ revokedAt: now() })
    .where(
      and(
        eq(partnerTokens.id, o.tokenId),
        eq(partnerTokens.tenantId, o.actor.tenantId),
        eq(partnerTokens.userId, o.actor.id),
        isNull(partnerTokens.revokedAt),
      ),
    )
    .returning({ id: partnerTokens.id, prefix: partnerTokens.prefix, name: partnerTokens.name })
  if (!row) throw new AppError('NOT_FOUND')
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner_token.revoked',
    subjectType: 'partner_token',
    subjectId: row.id,
    summary: { name: row.name, prefix: row.prefix },
    ip: o.ip,
  })
}
