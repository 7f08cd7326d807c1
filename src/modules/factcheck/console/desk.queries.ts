/**
 * Reads of the desk's console: the filtered queue, the people a claim can be assigned to, the
 * claims a page refers to (suggestions, history), published releases to link as evidence, one
 * evidence item, the dashboard figures and the /metrics gauges. Figures come straight from SQL.
 */
import { and, asc, desc, eq, inArray, isNotNull, type SQL, sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'
import { LOCAL_ZONE } from '../../../platform/time.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import {
  CLAIM_STATUSES,
  type ClaimStatus,
  claimEvidence,
  claims,
  LEVELS,
  type Level,
  VERDICT_LABELS,
  type VerdictLabel,
} from '../factcheck.tables.ts'

/** Claim statuses still being worked on. */
export const OPEN_STATUSES = ['new', 'investigating', 'verdict_draft', 'verdict_submitted'] as const satisfies readonly ClaimStatus[]

/** Filters of the queue. */
export interface QueueFilter {
  /** 'open' (default), 'all', or one status. */
  status?: string
  level?: string
  /** Only claims assigned to this user. */
  assignedTo?: string
}

/** A row of the queue. */
export interface QueueRow {
  id: string
  code: string
  statement: string
  status: ClaimStatus
  harm: string
  level: Level
  priority: number
  requests: number
  partnerReports: number
  slaDueAt: Date
  escalatedAt: Date | null
  assignedTo: string | null
  assigneeName: string | null
}

/** The queue: claims by priority, then SLA due time, filtered. No submitter data at all. */
export async function queueRows(db: Db, tenantId: string, f: QueueFilter): Promise<QueueRow[]> {
  const where: SQL[] = [eq(claims.tenantId, tenantId)]
  if (f.status && f.status !== 'open' && f.status !== 'all' && (CLAIM_STATUSES as readonly string[]).includes(f.status)) {
    where.push(eq(claims.status, f.status as ClaimStatus))
  } else if (f.status !== 'all') {
    where.push(inArray(claims.status, [...OPEN_STATUSES]))
  }
  if (f.level && (LEVELS as readonly string[]).includes(f.level)) where.push(eq(claims.level, f.level as Level))
  if (f.assignedTo) where.push(eq(claims.assignedTo, f.assignedTo))
  return db
    .select({
      id: claims.id,
      code: claims.code,
      statement: claims.statement,
      status: claims.status,
      harm: claims.harm,
      level: claims.level,
      priority: claims.priority,
      requests: claims.requests,
      partnerReports: claims.partnerReports,
      slaDueAt: claims.slaDueAt,
      escalatedAt: claims.escalatedAt,
      assignedTo: claims.assignedTo,
      assigneeName: users.name,
    })
    .from(claims)
    .leftJoin(users, eq(users.id, claims.assignedTo))
    .where(and(...where))
    .orderBy(desc(claims.priority), asc(claims.slaDueAt))
    .limit(300)
}

/** A staff member as the desk shows them. */
export interface StaffMember {
  id: string
  name: string
  role: string
  active: boolean
}

/** Staff of the tenant (for names on the page and the assignee list). */
export async function staffMembers(db: Db, tenantId: string): Promise<StaffMember[]> {
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, status: users.status })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.role, ['admin', 'editor', 'approver', 'officer'])))
    .orderBy(asc(users.name))
  return rows.map((u) => ({ id: u.id, name: u.name || u.email, role: u.role, active: u.status === 'active' }))
}

/** Who a claim may be assigned to: active officers, editors and approvers. */
export function assignable(staff: StaffMember[]): StaffMember[] {
  return staff.filter((s) => s.active && ['officer', 'editor', 'approver'].includes(s.role))
}

/** A claim referred to from another claim's page. */
export interface ClaimRef {
  id: string
  code: string
  statement: string
  status: ClaimStatus
  level: Level
  requests: number
  mergedInto: string | null
}

/** Claims by id (suggestions, history). */
export async function claimRefs(db: Db, tenantId: string, ids: string[]): Promise<Map<string, ClaimRef>> {
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({
      id: claims.id,
      code: claims.code,
      statement: claims.statement,
      status: claims.status,
      level: claims.level,
      requests: claims.requests,
      mergedInto: claims.mergedInto,
    })
    .from(claims)
    .where(and(eq(claims.tenantId, tenantId), inArray(claims.id, [...new Set(ids)])))
  return new Map(rows.map((r) => [r.id, r]))
}

/** The id of a claim by its code (TD-000042), or undefined. */
export async function claimIdByCode(db: Db, tenantId: string, code: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: claims.id })
    .from(claims)
    .where(and(eq(claims.tenantId, tenantId), eq(claims.code, code.trim().toUpperCase())))
  return row?.id
}

/** A published release that can be linked as evidence. */
export interface ReleaseOption {
  id: string
  title: string
  firstPublishedAt: Date | null
}

/** The tenant's published releases, newest first. */
export async function publishedReleases(db: Db, tenantId: string, limit = 100): Promise<ReleaseOption[]> {
  return db
    .select({ id: releases.id, title: releaseEditions.title, firstPublishedAt: releases.firstPublishedAt })
    .from(releases)
    .innerJoin(releaseEditions, eq(releaseEditions.id, releases.publishedEditionId))
    .where(and(eq(releases.tenantId, tenantId), eq(releases.status, 'published')))
    .orderBy(desc(releases.firstPublishedAt))
    .limit(limit)
}

/** One evidence item of a claim. */
export async function findEvidence(db: Db, tenantId: string, claimId: string, evidenceId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(evidenceId)) return undefined
  const [row] = await db
    .select()
    .from(claimEvidence)
    .where(and(eq(claimEvidence.tenantId, tenantId), eq(claimEvidence.claimId, claimId), eq(claimEvidence.id, evidenceId)))
  return row
}

/** Weeks shown on the dashboard. */
export const DASHBOARD_WEEKS = 12

// The zone as an SQL literal (a constant, never input), not a bind parameter: repeated
// expressions then stay textually equal, as PostgreSQL needs to match them in GROUP BY.
const ZONE = sql.raw(`'${LOCAL_ZONE}'`)

/** Median time to the first published verdict per level, over claims first published in the window. */
export interface MedianRow {
  level: Level
  medianHours: number | null
  claims: number
}

/** SLA breaches per level: open past due now, and published after the due time (in the window). */
export interface BreachRow {
  level: Level
  openOverdue: number
  publishedLate: number
}

/** Claims per label in one week (Asia/Ho_Chi_Minh weeks, Monday first). */
export interface WeekRow {
  /** The Monday of the week, `YYYY-MM-DD`. */
  week: string
  counts: Record<VerdictLabel, number>
}

/** Everything the dashboard shows. */
export interface DashboardData {
  at: Date
  since: Date
  medians: MedianRow[]
  breaches: BreachRow[]
  weeks: WeekRow[]
}

type Row = Record<string, unknown>

/**
 * The dashboard figures, computed in SQL at `at` (the app clock): the window is the last
 * {@link DASHBOARD_WEEKS} weeks, starting on the Monday (Asia/Ho_Chi_Minh) of the oldest week.
 * Time to verdict runs from the claim's first_seen_at to its first published verdict (a
 * correction does not reset it). Merged and dismissed claims are left out.
 */
export async function dashboardData(db: Db, tenantId: string, at: Date): Promise<DashboardData> {
  const atIso = at.toISOString()
  const [startRow] = (
    await db.execute(
      sql`SELECT (date_trunc('week', (${atIso}::timestamptz AT TIME ZONE ${ZONE})) - make_interval(weeks => ${DASHBOARD_WEEKS - 1})) AT TIME ZONE ${ZONE} AS since`,
    )
  ).rows as Row[]
  const since = new Date(startRow?.since as string | Date)
  const sinceIso = since.toISOString()

  // First publication of each claim: the earliest published_at of any of its verdict versions.
  const firstPublished = sql`
    SELECT c.id, c.level, c.first_seen_at, c.sla_due_at, c.published_verdict_id, min(v.published_at) AS first_published_at
    FROM claims c JOIN verdicts v ON v.claim_id = c.id AND v.published_at IS NOT NULL
    WHERE c.tenant_id = ${tenantId} AND c.status NOT IN ('merged', 'dismissed')
    GROUP BY c.id`

  const medianRows = (
    await db.execute(sql`
      WITH fp AS (${firstPublished})
      SELECT level,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM first_published_at - first_seen_at)) / 3600.0 AS median_hours,
             count(*)::int AS n
      FROM fp
      WHERE first_published_at >= ${sinceIso}::timestamptz AND first_published_at <= ${atIso}::timestamptz
      GROUP BY level`)
  ).rows as Row[]

  const lateRows = (
    await db.execute(sql`
      WITH fp AS (${firstPublished})
      SELECT level, count(*)::int AS n FROM fp
      WHERE first_published_at > sla_due_at AND first_published_at >= ${sinceIso}::timestamptz AND first_published_at <= ${atIso}::timestamptz
      GROUP BY level`)
  ).rows as Row[]

  const overdueRows = (
    await db.execute(sql`
      SELECT level, count(*)::int AS n FROM claims
      WHERE tenant_id = ${tenantId} AND status IN ('new','investigating','verdict_draft','verdict_submitted') AND sla_due_at < ${atIso}::timestamptz
      GROUP BY level`)
  ).rows as Row[]

  const weekRows = (
    await db.execute(sql`
      WITH fp AS (${firstPublished}),
      weeks AS (
        SELECT generate_series(
          (${sinceIso}::timestamptz AT TIME ZONE ${ZONE})::date,
          (date_trunc('week', ${atIso}::timestamptz AT TIME ZONE ${ZONE}))::date,
          interval '1 week')::date AS week
      ),
      counted AS (
        SELECT date_trunc('week', fp.first_published_at AT TIME ZONE ${ZONE})::date AS week, v.label, count(*)::int AS n
        FROM fp JOIN verdicts v ON v.id = fp.published_verdict_id
        WHERE fp.first_published_at >= ${sinceIso}::timestamptz AND fp.first_published_at <= ${atIso}::timestamptz
        GROUP BY 1, 2
      )
      SELECT to_char(w.week, 'YYYY-MM-DD') AS week, c.label, coalesce(c.n, 0)::int AS n
      FROM weeks w LEFT JOIN counted c ON c.week = w.week
      ORDER BY w.week`)
  ).rows as Row[]

  const byLevel = <T>(rows: Row[], f: (r: Row | undefined) => T) =>
    LEVELS.map((level) => ({ level, ...f(rows.find((r) => r.level === level)) }))
  const medians: MedianRow[] = byLevel(medianRows, (r) => ({
    medianHours: r?.median_hours === null || r?.median_hours === undefined ? null : Number(r.median_hours),
    claims: Number(r?.n ?? 0),
  }))
  const breaches: BreachRow[] = LEVELS.map((level) => ({
    level,
    openOverdue: Number(overdueRows.find((r) => r.level === level)?.n ?? 0),
    publishedLate: Number(lateRows.find((r) => r.level === level)?.n ?? 0),
  }))
  const weeks = new Map<string, WeekRow>()
  for (const r of weekRows) {
    const week = String(r.week)
    let w = weeks.get(week)
    if (!w) {
      w = { week, counts: Object.fromEntries(VERDICT_LABELS.map((x) => [x, 0])) as Record<VerdictLabel, number> }
      weeks.set(week, w)
    }
    if (r.label && (VERDICT_LABELS as readonly string[]).includes(String(r.label))) w.counts[r.label as VerdictLabel] += Number(r.n)
  }
  return { at, since, medians, breaches, weeks: [...weeks.values()] }
}

/** Open claims and open claims past due, per level, across tenants (for /metrics). */
export async function openClaimGauges(db: Db, at: Date): Promise<{ level: Level; open: number; breached: number }[]> {
  const rows = await db
    .select({
      level: claims.level,
      open: sql<number>`count(*)::int`,
      breached: sql<number>`(count(*) FILTER (WHERE ${claims.slaDueAt} < ${at.toISOString()}::timestamptz))::int`,
    })
    .from(claims)
    .where(and(inArray(claims.status, [...OPEN_STATUSES]), isNotNull(claims.slaDueAt)))
    .groupBy(claims.level)
  return LEVELS.map((level) => {
    const r = rows.find((x) => x.level === level)
    return { level, open: Number(r?.open ?? 0), breached: Number(r?.breached ?? 0) }
  })
}
