/**
 * What a revocation takes away from the partner's account, in the revoking transaction: every
 * session (portal and console alike) and every personal API token still active. Suspension and
 * expiry keep both (the partner still reads their questions; the live checks on every request
 * already deny embargoed material), so only `revoked` calls this.
 *
 * Called directly by the registry's status change (partners/commands/change-partner-status.ts)
 * rather than from a `partner.revoked` subscriber: subscribers run after the commit, in a job,
 * and a revoked partner must not keep a session or token for even those seconds. This file
 * imports nothing from the partners module, so the direct call makes no import cycle.
 */
import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { deleteUserSessions } from '../../accounts/sessions.ts'
import { partnerTokens } from '../tokens/tokens.tables.ts'

/** What ended. */
export interface EndedAccess {
  sessionsEnded: number
  tokensRevoked: number
}

/**
 * Ends every session of `userId` and revokes its active partner tokens (revoked_at = now), and
 * writes one `portal.access_ended` audit row with the counts (no personal values) unless the
 * caller audits them itself. A partner without an account ends nothing and writes nothing.
 */
export async function endRevokedPartnerAccess(o: {
  tx: Tx
  tenantId: string
  /** The partner record revoked (the audit row's subject). */
  partnerId: string
  /** The partner's account, if linked. */
  userId: string | null
  /** Who revoked (staff, the applicant withdrawing consent, or the system). */
  actor: AuditActor
  ip?: string
  /** False when the caller's own audit row carries the counts (the retention erasure). */
  audit?: boolean
}): Promise<EndedAccess> {
  if (!o.userId) return { sessionsEnded: 0, tokensRevoked: 0 }
  const sessionsEnded = await deleteUserSessions(o.tx, o.userId)
  const revoked = await o.tx
    .update(partnerTokens)
    .set({ revokedAt: now() })
    .where(and(eq(partnerTokens.tenantId, o.tenantId), eq(partnerTokens.userId, o.userId), isNull(partnerTokens.revokedAt)))
    .returning({ id: partnerTokens.id })
  if (o.audit === false) return { sessionsEnded, tokensRevoked: revoked.length }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'portal.access_ended',
    subjectType: 'partner',
    subjectId: o.partnerId,
    summary: { userId: o.userId, sessionsEnded, tokensRevoked: revoked.length },
    ip: o.ip,
  })
  return { sessionsEnded, tokensRevoked: revoked.length }
}
