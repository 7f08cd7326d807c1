/**
 * A partner's own sessions, from /doi-tac/bao-mat: sign out here, sign out everywhere else
 * (every other session of the account), or end one other session. Each is audited.
 */
import { and, eq, ne, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { sessions } from '../../../accounts/accounts.tables.ts'
import { deleteSession, deleteUserSessions } from '../../../accounts/sessions.ts'
import type { User } from '../../../accounts/users.ts'

/** How the page names a session: the first 16 hex characters of its id (never the whole key). */
export function sessionRef(sessionId: string): string {
  return sessionId.slice(0, 16)
}

/** Ends this session (sign out). */
export async function signOutPartner(o: { tx: Tx; user: User; sessionId: string; ip?: string }): Promise<void> {
  await deleteSession(o.tx, o.sessionId)
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: 'portal.signed_out',
    subjectType: 'session',
    subjectId: sessionRef(o.sessionId),
    ip: o.ip,
  })
}

/** Ends every session of the account but this one; returns how many ended. */
export async function signOutElsewhere(o: { tx: Tx; user: User; sessionId: string; ip?: string }): Promise<number> {
  const ended = await deleteUserSessions(o.tx, o.user.id, o.sessionId)
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: 'portal.signed_out_elsewhere',
    subjectType: 'session',
    subjectId: sessionRef(o.sessionId),
    summary: { sessionsEnded: ended },
    ip: o.ip,
  })
  return ended
}

/**
 * Ends one other session of the account, named by its reference. This session is not ended
 * here (that is signing out); another account's session and an unknown one answer NOT_FOUND.
 */
export async function revokePartnerSession(o: { tx: Tx; user: User; sessionId: string; ref: string; ip?: string }): Promise<void> {
  if (!/^[0-9a-f]{16}$/.test(o.ref) || o.ref === sessionRef(o.sessionId)) throw new AppError('NOT_FOUND')
  const rows = await o.tx
    .delete(sessions)
    .where(and(sql`left(${sessions.id}, 16) = ${o.ref}`, eq(sessions.userId, o.user.id), ne(sessions.id, o.sessionId)))
    .returning({ id: sessions.id })
  if (rows.length === 0) throw new AppError('NOT_FOUND')
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: 'portal.session_revoked',
    subjectType: 'session',
    subjectId: o.ref,
    ip: o.ip,
  })
}
