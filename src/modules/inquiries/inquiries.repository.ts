/**
 * Reading inquiries and their calendar. Partner reads are always scoped to the partner's id in
 * the where-clause (a foreign id is simply not found); staff lists take filters.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, type SQL, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../db/index.ts'
import { now } from '../../platform/clock.ts'
import { computeDue, DEFAULT_CLOCKS, type ComputedDue, type KindClock, yearsSpanned } from './inquiries.clock.ts'
import { computedHolidays } from './inquiries.holidays.ts'
import {
  type InquiryKind,
  type InquiryRow,
  type InquiryStatus,
  inquiries,
  inquiryCounters,
  inquiryEvents,
  inquiryHolidays,
  inquiryHolidayYears,
  inquiryKindSettings,
  OPEN_STATUSES,
} from './inquiries.tables.ts'

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a syntactically valid uuid (anything else is "not found" without a query). */
export function isUuid(value: string): boolean {
  return UUID_RE.test(value)
}

/**
 * Writes the computed holidays of `years` once per tenant and year (a removed computed day
 * keeps its row, so it is not computed back). Idempotent under concurrency.
 */
export async function ensureHolidayYears(tx: Tx | Db, tenantId: string, years: readonly number[]): Promise<void> {
  for (const year of years) {
    const claimed = await tx.insert(inquiryHolidayYears).values({ tenantId, year }).onConflictDoNothing().returning()
    if (claimed.length === 0) continue
    await tx
      .insert(inquiryHolidays)
      .values(computedHolidays(year).map((h) => ({ tenantId, day: h.day, name: h.name, source: 'computed' as const })))
      .onConflictDoNothing()
  }
}

/** The days off (local day keys) of the tenant within `years`, computed ones written first. */
export async function daysOffFor(tx: Tx | Db, tenantId: string, years: readonly number[]): Promise<Set<string>> {
  await ensureHolidayYears(tx, tenantId, years)
  const lo = `${Math.min(...years)}-01-01`
  const hi = `${Math.max(...years) + 1}-01-01`
  const rows = await tx
    .select({ day: inquiryHolidays.day })
    .from(inquiryHolidays)
    .where(
      and(
        eq(inquiryHolidays.tenantId, tenantId),
        isNull(inquiryHolidays.removedAt),
        gte(inquiryHolidays.day, lo),
        lt(inquiryHolidays.day, hi),
      ),
    )
  return new Set(rows.map((r) => r.day))
}

/** A holiday as the calendar page lists it (removed computed days included, marked). */
export type HolidayRow = typeof inquiryHolidays.$inferSelect

/** The holidays of one year, in day order (computed ones written first). */
export async function listHolidays(tx: Tx | Db, tenantId: string, year: number): Promise<HolidayRow[]> {
  await ensureHolidayYears(tx, tenantId, [year])
  return tx
    .select()
    .from(inquiryHolidays)
    .where(
      and(eq(inquiryHolidays.tenantId, tenantId), gte(inquiryHolidays.day, `${year}-01-01`), lt(inquiryHolidays.day, `${year + 1}-01-01`)),
    )
    .orderBy(asc(inquiryHolidays.day))
}

/** The clocks of every kind: the office's settings over the defaults. */
export async function kindClocks(db: Tx | Db, tenantId: string): Promise<Record<InquiryKind, KindClock>> {
  const rows = await db.select().from(inquiryKindSettings).where(eq(inquiryKindSettings.tenantId, tenantId))
  const out = { ...DEFAULT_CLOCKS }
  for (const r of rows) out[r.kind] = { unit: r.unit, amount: r.amount, escalatePercent: r.escalatePercent }
  return out
}

/** The due time of a `kind` inquiry received at `receivedAt`, with this tenant's calendar and clocks. */
export async function dueFor(tx: Tx | Db, tenantId: string, kind: InquiryKind, receivedAt: Date): Promise<ComputedDue> {
  const clock = (await kindClocks(tx, tenantId))[kind]
  const daysOff = await daysOffFor(tx, tenantId, yearsSpanned(receivedAt, clock))
  return computeDue(receivedAt, clock, daysOff)
}

/** The next human number of the year: HD-2026-0001 (a row lock per tenant and year). */
export async function nextInquiryCode(tx: Tx, tenantId: string, year: number): Promise<string> {
  const [row] = await tx
    .insert(inquiryCounters)
    .values({ tenantId, year, last: 1 })
    .onConflictDoUpdate({ target: [inquiryCounters.tenantId, inquiryCounters.year], set: { last: sql`${inquiryCounters.last} + 1` } })
    .returning({ last: inquiryCounters.last })
  return `HD-${year}-${String(row?.last ?? 1).padStart(4, '0')}`
}

/** An inquiry by id in the tenant, unscoped: callers apply the policy. Unsafe: no access check. */
export async function unsafeGetInquiry(db: Tx | Db, tenantId: string, id: string): Promise<InquiryRow | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await db
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, tenantId), eq(inquiries.id, id)))
  return row
}

/** Locks an inquiry row for a decision. Unsafe: no access check. */
export async function lockInquiry(tx: Tx, tenantId: string, id: string): Promise<InquiryRow | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await tx
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, tenantId), eq(inquiries.id, id)))
    .for('update')
  return row
}

/** A partner's own inquiry (another partner's id answers undefined, like a missing one). */
export async function getPartnerInquiry(db: Db, tenantId: string, partnerId: string, id: string): Promise<InquiryRow | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await db
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, tenantId), eq(inquiries.partnerId, partnerId), eq(inquiries.id, id)))
  return row
}

/** A partner's own inquiries, newest first. */
export async function listPartnerInquiries(db: Db, tenantId: string, partnerId: string, limit = 100): Promise<InquiryRow[]> {
  return db
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, tenantId), eq(inquiries.partnerId, partnerId)))
    .orderBy(desc(inquiries.receivedAt))
    .limit(limit)
}

/** Filters of the staff list. */
export interface InquiryFilter {
  status?: InquiryStatus
  kind?: InquiryKind
  /** A spokesperson id or a user id. */
  assignee?: string
  partnerId?: string
  /** due soon (open, due within 48 h), overdue (open, past due). */
  view?: 'due_soon' | 'overdue'
}

/** Inquiries for the staff list, open ones by due time first. */
export async function listInquiries(db: Db, tenantId: string, f: InquiryFilter = {}, limit = 200): Promise<InquiryRow[]> {
  const where: SQL[] = [eq(inquiries.tenantId, tenantId)]
  if (f.status) where.push(eq(inquiries.status, f.status))
  if (f.kind) where.push(eq(inquiries.kind, f.kind))
  if (f.partnerId && isUuid(f.partnerId)) where.push(eq(inquiries.partnerId, f.partnerId))
  if (f.assignee && isUuid(f.assignee))
    where.push(sql`(${inquiries.assigneeSpokespersonId} = ${f.assignee}::uuid OR ${inquiries.assigneeUserId} = ${f.assignee}::uuid)`)
  const at = now().toISOString()
  if (f.view === 'overdue') where.push(inArray(inquiries.status, [...OPEN_STATUSES]), sql`${inquiries.dueAt} < ${at}::timestamptz`)
  if (f.view === 'due_soon')
    where.push(
      inArray(inquiries.status, [...OPEN_STATUSES]),
      sql`${inquiries.dueAt} >= ${at}::timestamptz AND ${inquiries.dueAt} < ${at}::timestamptz + interval '48 hours'`,
    )
  return db
    .select()
    .from(inquiries)
    .where(and(...where))
    .orderBy(sql`CASE WHEN ${inquiries.status} IN ('received', 'assigned') THEN 0 ELSE 1 END`, asc(inquiries.dueAt))
    .limit(limit)
}

/** The dashboard's figures over a period of receipts. */
export interface InquiryStats {
  open: number
  dueSoon: number
  overdue: number
  /** Closed (answered or refused) in the period. */
  closed: number
  /** Of those, closed by the due time. */
  onTime: number
}

/** Counts for the dashboard: open ones now, and closed on time among those received since `since`. */
export async function inquiryStats(db: Db, tenantId: string, since: Date): Promise<InquiryStats> {
  const at = now().toISOString()
  const [row] = await db
    .select({
      open: sql<number>`count(*) FILTER (WHERE ${inquiries.status} IN ('received', 'assigned'))`.mapWith(Number),
      dueSoon:
        sql<number>`count(*) FILTER (WHERE ${inquiries.status} IN ('received', 'assigned') AND ${inquiries.dueAt} >= ${at}::timestamptz AND ${inquiries.dueAt} < ${at}::timestamptz + interval '48 hours')`.mapWith(
          Number,
        ),
      overdue:
        sql<number>`count(*) FILTER (WHERE ${inquiries.status} IN ('received', 'assigned') AND ${inquiries.dueAt} < ${at}::timestamptz)`.mapWith(
          Number,
        ),
      closed:
        sql<number>`count(*) FILTER (WHERE ${inquiries.status} IN ('answered', 'refused') AND ${inquiries.receivedAt} >= ${since.toISOString()}::timestamptz)`.mapWith(
          Number,
        ),
      onTime:
        sql<number>`count(*) FILTER (WHERE ${inquiries.status} IN ('answered', 'refused') AND ${inquiries.receivedAt} >= ${since.toISOString()}::timestamptz AND ${inquiries.answeredAt} <= ${inquiries.dueAt})`.mapWith(
          Number,
        ),
    })
    .from(inquiries)
    .where(eq(inquiries.tenantId, tenantId))
  return row ?? { open: 0, dueSoon: 0, overdue: 0, closed: 0, onTime: 0 }
}

/** Open inquiries past due (the menu badge). */
export async function countOverdue(db: Db, tenantId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, tenantId), inArray(inquiries.status, [...OPEN_STATUSES]), lt(inquiries.dueAt, now())))
  return row?.n ?? 0
}

/** The history of an inquiry, oldest first. */
export async function inquiryHistory(db: Db, inquiryId: string) {
  return db.select().from(inquiryEvents).where(eq(inquiryEvents.inquiryId, inquiryId)).orderBy(asc(inquiryEvents.id))
}

/** SQL: the inquiry is not linked to a sealed case (a public Q&A never shows one). */
function notInSealedCase(): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM cases sealed_case WHERE sealed_case.id = ${inquiries.caseId} AND sealed_case.state = 'sealed')`
}

/** Published Q&As, newest first. */
export async function listPublicQa(db: Db, tenantId: string, limit = 50) {
  return db
    .select()
    .from(inquiries)
    .where(
      and(eq(inquiries.tenantId, tenantId), sql`${inquiries.publicSlug} IS NOT NULL`, eq(inquiries.status, 'answered'), notInSealedCase()),
    )
    .orderBy(desc(inquiries.publishedAt))
    .limit(limit)
}

/** One published Q&A by its slug. */
export async function findPublicQa(db: Db, tenantId: string, slug: string): Promise<InquiryRow | undefined> {
  const [row] = await db
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, tenantId), eq(inquiries.publicSlug, slug), eq(inquiries.status, 'answered'), notInSealedCase()))
  return row
}
