/**
 * Reading cases. The list is filtered by the same rule as the policy: sealed cases only for
 * their members.
 */
import { and, asc, desc, eq, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import type { Actor, Subject } from '../../platform/policy/index.ts'
import { users } from '../accounts/accounts.tables.ts'
import { type CaseSubject, caseHiddenFromSql } from './cases.policy.ts'
import { caseClearances, caseMembers, cases } from './cases.tables.ts'

/** A case row. */
export type Case = typeof cases.$inferSelect

/** A case with its members and clearances. */
export interface LoadedCase {
  case: Case
  members: { userId: string; email: string; name: string; role: string }[]
  clearances: (typeof caseClearances.$inferSelect)[]
}

/** Loads a case with members and clearances. Unsafe: no access check. */
export async function unsafeLoadCase(db: Db | Tx, tenantId: string, id: string): Promise<LoadedCase | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const [c] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.tenantId, tenantId), eq(cases.id, id)))
  if (!c) return undefined
  const members = await db
    .select({ userId: caseMembers.userId, email: users.email, name: users.name, role: users.role })
    .from(caseMembers)
    .innerJoin(users, eq(users.id, caseMembers.userId))
    .where(eq(caseMembers.caseId, id))
    .orderBy(asc(users.email))
  const clearances = await db.select().from(caseClearances).where(eq(caseClearances.caseId, id)).orderBy(desc(caseClearances.clearedAt))
  return { case: c, members, clearances }
}

/** The policy subject of a loaded case. */
export function caseSubject(c: LoadedCase): Subject<CaseSubject> {
  return { type: 'case', tenantId: c.case.tenantId, record: { state: c.case.state, memberIds: c.members.map((m) => m.userId), leadOfficerId: c.case.leadOfficerId } }
}

/** SQL: cases `actor` may see (the policy's need-to-know rule, admins included). */
export function caseVisibleTo(actor: Actor): SQL {
  return sql`NOT ${caseHiddenFromSql(actor, cases.id)}`
}

/** Cases visible to `actor`, newest first. */
export async function listCasesFor(db: Db, actor: Actor): Promise<Case[]> {
  return db
    .select()
    .from(cases)
    .where(and(eq(cases.tenantId, actor.tenantId), caseVisibleTo(actor)))
    .orderBy(desc(cases.updatedAt))
}
