/**
 * Reading cases. The list is filtered by the same rule as the policy: sealed cases only for
 * their members.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { type Actor, can, type Subject } from '../../platform/policy/index.ts'
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

/** What an admin may know of a sealed case outside their circle: that it exists, its stage and lead. */
export interface CaseExistence {
  code: string
  stage: string
  /** The lead officer's name (or e-mail), if any. */
  lead: string | null
}

/**
 * SQL twin of the policy's 'see-existence' for a role that has it: the case is sealed and
 * `actor` is not in its circle (exactly the cases `caseHiddenFromSql` hides from them).
 */
export function caseExistenceOnlySql(actor: Actor): SQL {
  return caseHiddenFromSql(actor, cases.id)
}

/**
 * The sealed cases `actor` does not see but may know exist (admins, so that they know where
 * break-glass applies): code, stage and lead officer only, by code. Never the id, title,
 * department, ground, members or releases: those open only through break-glass. Empty for
 * every other role.
 */
export async function listCaseExistenceFor(db: Db, actor: Actor): Promise<CaseExistence[]> {
  if (!can(actor, 'see-existence', 'case')) return []
  const rows = await db
    .select({ code: cases.code, stage: cases.stage, leadName: users.name, leadEmail: users.email })
    .from(cases)
    .leftJoin(users, eq(users.id, cases.leadOfficerId))
    .where(and(eq(cases.tenantId, actor.tenantId), caseExistenceOnlySql(actor)))
    .orderBy(asc(cases.code))
  return rows.map((r) => ({ code: r.code, stage: r.stage, lead: r.leadName || r.leadEmail || null }))
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
