import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { sessions } from '../accounts.tables.ts'
import { deleteSession, deleteUserSessions } from '../sessions.ts'
import type { User } from '../users.ts'

/** Ends this session, or every session of the user ("sign out everywhere"). */
export async function signOut(o: {
  tx: Tx
  user: User
  sessionId: string
  /** End all of the user's sessions, on every device. */
  everywhere: boolean
  ip?: string
}): Promise<{ sessionsEnded: number }> {
  let sessionsEnded = 1
  if (o.everywhere) sessionsEnded = await deleteUserSessions(o.tx, o.user.id)
  else await deleteSession(o.tx, o.sessionId)
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: o.everywhere ? 'user.signed_out_everywhere' : 'user.signed_out',
    subjectType: 'session',
    subjectId: null,
    summary: { sessionsEnded },
    ip: o.ip,
  })
  return { sessionsEnded }
}

/**
 * Ends one of the user's own other sessions (from the "my account" page). The page names
 * sessions by the first 16 characters of their id, never the whole key.
 */
export async function revokeSession(o: { tx: Tx; user: User; sessionRef: string; ip?: string }): Promise<void> {
  if (!/^[0-9a-f]{16}$/.test(o.sessionRef)) return
  const rows = await o.tx
    .delete(sessions)
    .where(and(sql`left(${sessions.id}, 16) = ${o.sessionRef}`, eq(sessions.userId, o.user.id)))
    .returning({ id: sessions.id })
  if (rows.length === 0) return
  await recordAudit(o.tx, {
    tenantId: o.user.tenantId,
    actor: { id: o.user.id, label: o.user.email },
    action: 'session.revoked',
    subjectType: 'session',
    subjectId: o.sessionRef,
    ip: o.ip,
  })
}
