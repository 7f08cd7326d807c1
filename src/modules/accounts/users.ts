/**
 * Queries on accounts. Commands in ./commands change them; these only read.
 */
import { and, asc, eq, inArray, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import type { AuditActor } from '../../platform/audit/index.ts'
import { users } from './accounts.tables.ts'

/** An account row. */
export type User = typeof users.$inferSelect

/** A user by e-mail within a tenant (case-insensitive). */
export async function findUserByEmail(db: Db | Tx, tenantId: string, email: string): Promise<User | undefined> {
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), sql`lower(${users.email}) = ${email.toLowerCase()}`))
  return row
}

/** A user by id within a tenant. */
export async function findUser(db: Db | Tx, tenantId: string, id: string): Promise<User | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const [row] = await db
    .select()
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.id, id)))
  return row
}

/** All users of a tenant, staff first, by e-mail. */
export async function listUsers(db: Db, tenantId: string): Promise<User[]> {
  return db.select().from(users).where(eq(users.tenantId, tenantId)).orderBy(asc(users.role), asc(users.email))
}

/** True when the tenant has an active admin (then the setup wizard is closed). */
export async function hasActiveAdmin(db: Db | Tx, tenantId: string): Promise<boolean> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), eq(users.role, 'admin'), eq(users.status, 'active')))
  return (row?.n ?? 0) > 0
}

/** The audit actor for a user. */
export function auditActor(user: { id: string; email: string }): AuditActor {
  return { id: user.id, label: user.email }
}

/** The audit actor for the system (CLI, jobs). */
export const SYSTEM_ACTOR: AuditActor = { id: null, label: 'system' }

/** Display labels (name, else e-mail) of the given accounts of a tenant. */
export async function userLabels(db: Db, tenantId: string, ids: (string | null | undefined)[]): Promise<Map<string, string>> {
  const wanted = [...new Set(ids.filter((x): x is string => !!x))]
  if (wanted.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, wanted)))
  return new Map(rows.map((u) => [u.id, u.name || u.email]))
}
