/**
 * Reading cases. The list is filtered by the same rule as the policy: sealed cases only for
 * their members.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import type { Actor, Subject } from '../../platform/policy/index.ts'
import { users } from '../accounts/accounts.tables.ts'
import { releaseEditions, releases } from '../releases/releases.tables.ts'
import { activeMembershipSql, type CaseSubject, caseHiddenFromSql } from './cases.policy.ts'
import { caseClearances, caseMembers, cases } from './cases.tables.ts'

/** A case row. */
export type Case = typeof cases.$inferSelect

/** A member of a case as pages and commands see it. */
export interface CaseMember {
  userId: string
  email: string
  name: string
  role: string
  /** 'added' by a manager, or 'break_glass' (an admin, time-limited). */
  via: 'added' | 'break_glass'
  /** The written reason of a break-glass membership. */
  reason: string | null
  /** When a break-glass membership stops counting. */
  expiresAt: Date | null
  addedAt: Date
}

/** A case with its members and clearances. */
export interface LoadedCase {
  case: Case
  /** Members that count now (a break-glass membership past its expiry is left out). */
  members: CaseMember[]
  /** Break-glass memberships past their expiry: shown to the circle, never counted. */
  lapsedBreakGlass: CaseMember[]
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
  const rows = await db
    .select({
      userId: caseMembers.userId,
      email: users.email,
      name: users.name,
      role: users.role,
      via: caseMembers.via,
      reason: caseMembers.reason,
      expiresAt: caseMembers.expiresAt,
      addedAt: caseMembers.addedAt,
      active: activeMembershipSql().mapWith(Boolean),
    })
    .from(caseMembers)
    .innerJoin(users, eq(users.id, caseMembers.userId))
    .where(eq(caseMembers.caseId, id))
    .orderBy(asc(users.email))
  const clearances = await db.select().from(caseClearances).where(eq(caseClearances.caseId, id)).orderBy(desc(caseClearances.clearedAt))
  const members = rows.filter((m) => m.active).map(({ active: _, ...m }) => m)
  const lapsedBreakGlass = rows.filter((m) => !m.active).map(({ active: _, ...m }) => m)
  return { case: c, members, lapsedBreakGlass, clearances }
}

/** The policy subject of a loaded case. */
export function caseSubject(c: LoadedCase): Subject<CaseSubject> {
  return {
    type: 'case',
    tenantId: c.case.tenantId,
    record: {
      state: c.case.state,
      memberIds: c.members.map((m) => m.userId),
      leadOfficerId: c.case.leadOfficerId,
      breakGlassIds: c.members.filter((m) => m.via === 'break_glass').map((m) => m.userId),
    },
  }
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

/** Of `caseIds`, the ones with a current break-glass membership (the list marks them for the circle). */
export async function casesWithBreakGlass(db: Db, tenantId: string, caseIds: readonly string[]): Promise<Set<string>> {
  if (caseIds.length === 0) return new Set()
  const rows = await db
    .selectDistinct({ caseId: caseMembers.caseId })
    .from(caseMembers)
    .where(
      and(
        eq(caseMembers.tenantId, tenantId),
        inArray(caseMembers.caseId, [...caseIds]),
        eq(caseMembers.via, 'break_glass'),
        activeMembershipSql(),
      ),
    )
  return new Set(rows.map((r) => r.caseId))
}

/** A release linked to a case, for the case page. */
export interface CaseReleaseRow {
  id: string
  title: string
  status: string
  updatedAt: Date
}

/**
 * The releases linked to a case (the caller has authorised reading the case). Reads the
 * releases tables (schema only, no release code), so the cases module does not import the
 * releases module's console, which imports cases.
 */
export async function listCaseReleases(db: Db, tenantId: string, caseId: string): Promise<CaseReleaseRow[]> {
  return db
    .select({ id: releases.id, title: releaseEditions.title, status: releases.status, updatedAt: releases.updatedAt })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.workingEditionId))
    .where(and(eq(releases.tenantId, tenantId), eq(releases.caseId, caseId)))
    .orderBy(asc(releases.createdAt))
}
