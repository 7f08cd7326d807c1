/**
 * Reading releases for staff: one release with its editions and its case (for the policy),
 * and lists filtered by the same visibility rule as the policy (a release linked to a
 * sealed case is shown only to the case's members, admins included).
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import type { Actor, Subject } from '../../platform/policy/index.ts'
import { activeMembershipSql, caseHiddenFromSql } from '../cases/cases.policy.ts'
import { caseMembers, cases } from '../cases/cases.tables.ts'
import type { ReleaseSubject } from './releases.policy.ts'
import { releaseEditions, releases, type ReleaseStatus } from './releases.tables.ts'

/** A release row. */
export type Release = typeof releases.$inferSelect
/** An edition row. */
export type Edition = typeof releaseEditions.$inferSelect

/** A release with what commands and pages need. */
export interface LoadedRelease {
  release: Release
  working: Edition
  published: Edition | null
  case: {
    id: string
    code: string
    state: 'sealed' | 'cleared' | 'closed'
    stage: string
    secrecyGround: string
    memberIds: string[]
  } | null
}

/** Loads a release with its working and published editions and its case. Unsafe: no access check. */
export async function unsafeLoadRelease(
  db: Db | Tx,
  tenantId: string,
  id: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LoadedRelease | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const q = db
    .select()
    .from(releases)
    .where(and(eq(releases.tenantId, tenantId), eq(releases.id, id)))
  const [release] = opts.forUpdate ? await q.for('update') : await q
  if (!release) return undefined
  const ids = [release.workingEditionId, release.publishedEditionId].filter((x): x is string => !!x)
  const editions = ids.length ? await db.select().from(releaseEditions).where(inArray(releaseEditions.id, ids)) : []
  const working = editions.find((e) => e.id === release.workingEditionId)
  if (!working) throw new Error(`release ${id} has no working edition`)
  const published = editions.find((e) => e.id === release.publishedEditionId) ?? null
  let linked: LoadedRelease['case'] = null
  if (release.caseId) {
    const [c] = await db.select().from(cases).where(eq(cases.id, release.caseId))
    // Only memberships that count now: an expired break-glass one does not (cases policy).
    const members = await db
      .select({ userId: caseMembers.userId })
      .from(caseMembers)
      .where(and(eq(caseMembers.caseId, release.caseId), activeMembershipSql()))
    if (c)
      linked = {
        id: c.id,
        code: c.code,
        state: c.state,
        stage: c.stage,
        secrecyGround: c.secrecyGround,
        memberIds: members.map((m) => m.userId),
      }
  }
  return { release, working, published, case: linked }
}

/** The policy subject of a loaded release. */
export function releaseSubject(r: LoadedRelease): Subject<ReleaseSubject> {
  return { type: 'release', tenantId: r.release.tenantId, record: { case: r.case } }
}

/** SQL: the releases `actor` may see in the console (same rule as the policy's `visible`). */
export function releaseVisibleTo(actor: Actor): SQL {
  return sql`NOT ${caseHiddenFromSql(actor, releases.caseId)}`
}

/** A row of the console list. */
export interface ReleaseListRow {
  id: string
  kind: string
  status: ReleaseStatus
  slug: string
  title: string
  editionStatus: string
  editionNumber: number
  publishAt: Date | null
  updatedAt: Date
  caseCode: string | null
  caseState: string | null
}

/** Releases visible to `actor`, optionally by status, newest first. */
export async function listReleasesFor(
  db: Db,
  actor: Actor,
  opts: { statuses?: ReleaseStatus[]; editionStatus?: string; limit?: number } = {},
): Promise<ReleaseListRow[]> {
  const where: SQL[] = [eq(releases.tenantId, actor.tenantId), releaseVisibleTo(actor)]
  if (opts.statuses?.length) where.push(inArray(releases.status, opts.statuses))
  if (opts.editionStatus) where.push(sql`${releaseEditions.status} = ${opts.editionStatus}`)
  return db
    .select({
      id: releases.id,
      kind: releases.kind,
      status: releases.status,
      slug: releases.slug,
      title: releaseEditions.title,
      editionStatus: releaseEditions.status,
      editionNumber: releaseEditions.number,
      publishAt: releases.publishAt,
      updatedAt: releases.updatedAt,
      caseCode: cases.code,
      caseState: cases.state,
    })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.workingEditionId))
    .leftJoin(cases, eq(cases.id, releases.caseId))
    .where(and(...where))
    .orderBy(desc(releases.updatedAt))
    .limit(opts.limit ?? 200)
}

/** All editions of a release, oldest first (for history and diffs). */
export async function listEditions(db: Db | Tx, releaseId: string): Promise<Edition[]> {
  return db.select().from(releaseEditions).where(eq(releaseEditions.releaseId, releaseId)).orderBy(asc(releaseEditions.number))
}

/**
 * Scheduled or embargoed releases whose lift time has passed but which are not published
 * (the lift job is late or was refused): shown on the dashboard, the calendar and `/metrics`.
 */
export async function countOverdueReleases(db: Db, tenantId: string, at: Date = now()): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(releases)
    .where(
      and(
        eq(releases.tenantId, tenantId),
        inArray(releases.status, ['scheduled', 'embargoed']),
        sql`${releases.publishAt} <= ${at.toISOString()}::timestamptz`,
      ),
    )
  return row?.n ?? 0
}
