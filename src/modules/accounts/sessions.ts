/**
 * Server-side sessions in PostgreSQL. The cookie carries a random token; the table keys on
 * its SHA-256, so a database leak does not leak usable cookies. Sessions rotate at every
 * stage change (password → TOTP → full), expire after an idle period and at an absolute
 * limit, and can all be revoked at once ("sign out everywhere").
 */
import { and, eq, lt, ne, or, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { randomToken, tokenHash } from '../../platform/auth/secrets.ts'
import { now } from '../../platform/clock.ts'
import { defineJob } from '../../platform/jobs/index.ts'
import { loadConfig } from '../../config.ts'
import { sessions, users } from './accounts.tables.ts'

/** How far a session has come: password checked (enrol/verify TOTP next) or fully signed in. */
export type SessionStage = 'enrol' | 'verify' | 'full'

/** Expiry settings. */
export interface SessionLimits {
  /** Minutes of inactivity after which the session ends. */
  idleMinutes: number
  /** Hours after creation after which the session ends whatever the activity. */
  absoluteHours: number
}

/** A loaded session with its user. */
export interface LoadedSession {
  id: string
  stage: SessionStage
  csrfSecret: string
  createdAt: Date
  lastSeenAt: Date
  user: typeof users.$inferSelect
}

// Partial sessions (between password and TOTP) live ten minutes at most.
const PARTIAL_MINUTES = 10

/** Creates a session and returns the cookie token (shown once, never stored). */
export async function createSession(
  tx: Tx | Db,
  opts: {
    /** The user signing in. */
    userId: string
    tenantId: string
    stage: SessionStage
    limits: SessionLimits
    ip?: string
    userAgent?: string
  },
): Promise<string> {
  const token = randomToken(32)
  const at = now()
  const ttlMs = opts.stage === 'full' ? opts.limits.absoluteHours * 3_600_000 : PARTIAL_MINUTES * 60_000
  await tx.insert(sessions).values({
    id: tokenHash(token),
    tenantId: opts.tenantId,
    userId: opts.userId,
    stage: opts.stage,
    csrfSecret: randomToken(24),
    ip: opts.ip ?? null,
    userAgent: opts.userAgent?.slice(0, 300) ?? null,
    createdAt: at,
    lastSeenAt: at,
    expiresAt: new Date(at.getTime() + ttlMs),
  })
  return token
}

/**
 * Loads the session of a cookie token. Returns undefined (and deletes the row) when it
 * expired by idleness or absolutely, or when its user is no longer active.
 */
export async function loadSession(db: Db, token: string, limits: SessionLimits): Promise<LoadedSession | undefined> {
  if (!token || token.length > 100) return undefined
  const id = tokenHash(token)
  const [row] = await db.select().from(sessions).innerJoin(users, eq(users.id, sessions.userId)).where(eq(sessions.id, id))
  if (!row) return undefined
  const at = now()
  const s = row.sessions
  const idleLimit = s.lastSeenAt.getTime() + limits.idleMinutes * 60_000
  if (at >= s.expiresAt || at.getTime() >= idleLimit || row.users.status !== 'active') {
    await db.delete(sessions).where(eq(sessions.id, id))
    return undefined
  }
  // Refresh the idle clock at most once a minute, not on every request.
  if (at.getTime() - s.lastSeenAt.getTime() > 60_000) {
    await db.update(sessions).set({ lastSeenAt: at }).where(eq(sessions.id, id))
  }
  return { id, stage: s.stage, csrfSecret: s.csrfSecret, createdAt: s.createdAt, lastSeenAt: s.lastSeenAt, user: row.users }
}

/** Deletes one session by its id (the hash). */
export async function deleteSession(tx: Tx | Db, id: string): Promise<void> {
  await tx.delete(sessions).where(eq(sessions.id, id))
}

/** Deletes every session of a user, optionally keeping one. Returns how many ended. */
export async function deleteUserSessions(tx: Tx | Db, userId: string, keepId?: string): Promise<number> {
  const where = keepId ? and(eq(sessions.userId, userId), ne(sessions.id, keepId)) : eq(sessions.userId, userId)
  const rows = await tx.delete(sessions).where(where).returning({ id: sessions.id })
  return rows.length
}

/** A user's live sessions for the "my account" page. */
export async function listUserSessions(db: Db, userId: string) {
  return db
    .select({
      id: sessions.id,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      stage: sessions.stage,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), eq(sessions.stage, 'full')))
    .orderBy(sql`${sessions.lastSeenAt} desc`)
}

/** Removes expired sessions (a periodic job). */
export async function purgeExpiredSessions(db: Db, limits: SessionLimits): Promise<number> {
  const at = now()
  const idleCut = new Date(at.getTime() - limits.idleMinutes * 60_000)
  const rows = await db
    .delete(sessions)
    .where(or(lt(sessions.expiresAt, at), lt(sessions.lastSeenAt, idleCut)))
    .returning({ id: sessions.id })
  return rows.length
}

// Expired sessions are refused on load anyway; this keeps the table small.
/** Deletes expired and idle sessions every 15 minutes. */
export const purgeSessionsJob = defineJob(
  'sessions.purge',
  async (_data, _job, ctx) => {
    await purgeExpiredSessions(ctx.database.db, sessionLimitsFromEnv())
  },
  { cron: '*/15 * * * *', retryLimit: 1 },
)

/** The session limits of this process's settings. */
function sessionLimitsFromEnv(): SessionLimits {
  const c = loadConfig()
  return { idleMinutes: c.sessionIdleMinutes, absoluteHours: c.sessionAbsoluteHours }
}
