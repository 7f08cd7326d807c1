/**
 * The cadence of Decree 09/2017/NĐ-CP art. 5: a regular press conference at least every N days
 * (default 90, "every 3 months") and an information update at least every M days (default 30,
 * "every month"). An update is a published release of the office or a press briefing held.
 * `cadenceStatus` says, for each rule, when it was last met, when it falls due and how many
 * days are left (counted in local calendar days, Asia/Ho_Chi_Minh), so the dashboard can warn
 * before it is overdue.
 */
import { and, eq, inArray, isNotNull, lte, sql } from 'drizzle-orm'
import { integer, pgTable, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { Db, Tx } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { AppError } from '../../platform/errors.ts'
import { localDay, localDayStart } from '../../platform/time.ts'
import { releases } from '../releases/releases.tables.ts'
import { events } from './events.tables.ts'

/** Drizzle mirror of `migrations/0029_event_cadence.sql`. */
export const eventCadence = pgTable('event_cadence', {
  tenantId: uuid('tenant_id').primaryKey(),
  conferenceDays: integer('conference_days').notNull().default(90),
  updateDays: integer('update_days').notNull().default(30),
  updatedBy: uuid('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** The defaults of the decree: a regular press conference each quarter, an update each month. */
export const CADENCE_DEFAULTS = { conferenceDays: 90, updateDays: 30 } as const

/** How close to the due date a rule turns from ok to soon. */
export const SOON_DAYS = { conference: 14, update: 7 } as const

/** One rule's state. */
export interface CadenceRule {
  rule: 'conference' | 'update'
  /** The rule's period in days. */
  everyDays: number
  /** When it was last met (null: never). */
  last: Date | null
  /** The local day it falls due (`2026-12-31`); null when never met. */
  dueDay: string | null
  /** Local calendar days from today to the due day; negative when overdue; null when never met. */
  daysLeft: number | null
  /** ok, soon (≤ 14 days for conferences, ≤ 7 for updates) or overdue (never met counts as overdue). */
  level: 'ok' | 'soon' | 'overdue'
}

/** The tenant's settings (the defaults when none are saved). */
export async function cadenceSettings(db: Db | Tx, tenantId: string): Promise<{ conferenceDays: number; updateDays: number }> {
  const [row] = await db.select().from(eventCadence).where(eq(eventCadence.tenantId, tenantId))
  return row ? { conferenceDays: row.conferenceDays, updateDays: row.updateDays } : { ...CADENCE_DEFAULTS }
}

const DAY_MS = 86_400_000

/** Whole local days from day `a` to day `b` (both `yyyy-mm-dd`; no DST, so exact). */
function daysBetween(a: string, b: string): number {
  return Math.round(((localDayStart(b) as Date).getTime() - (localDayStart(a) as Date).getTime()) / DAY_MS)
}

function ruleOf(rule: CadenceRule['rule'], everyDays: number, last: Date | null, today: string): CadenceRule {
  if (!last) return { rule, everyDays, last: null, dueDay: null, daysLeft: null, level: 'overdue' }
  const dueDay = localDay(new Date((localDayStart(localDay(last)) as Date).getTime() + everyDays * DAY_MS))
  const daysLeft = daysBetween(today, dueDay)
  const level = daysLeft < 0 ? 'overdue' : daysLeft <= SOON_DAYS[rule] ? 'soon' : 'ok'
  return { rule, everyDays, last, dueDay, daysLeft, level }
}

/**
 * The two rules for a tenant at `now()`: the last regular press conference held (announced or
 * done, started already; cancelled ones do not count) and the last information update (a
 * release first published, or a press briefing held).
 */
export async function cadenceStatus(db: Db | Tx, tenantId: string): Promise<CadenceRule[]> {
  const at = now()
  const settings = await cadenceSettings(db, tenantId)
  const held = (kinds: ('regular_press_conference' | 'press_briefing')[]) =>
    db
      .select({ last: sql<Date | null>`max(${events.startsAt})`.mapWith(events.startsAt) })
      .from(events)
      .where(
        and(
          eq(events.tenantId, tenantId),
          inArray(events.kind, kinds),
          inArray(events.state, ['announced', 'done']),
          lte(events.startsAt, at),
        ),
      )
  const [[conf], [briefing], [release]] = await Promise.all([
    held(['regular_press_conference']),
    held(['press_briefing']),
    db
      .select({ last: sql<Date | null>`max(${releases.firstPublishedAt})`.mapWith(releases.firstPublishedAt) })
      .from(releases)
      .where(and(eq(releases.tenantId, tenantId), isNotNull(releases.firstPublishedAt), lte(releases.firstPublishedAt, at))),
  ])
  const lastUpdate =
    [briefing?.last ?? null, release?.last ?? null]
      .filter((d): d is Date => d instanceof Date)
      .sort((a, b) => b.getTime() - a.getTime())[0] ?? null
  const today = localDay(at)
  return [
    ruleOf('conference', settings.conferenceDays, conf?.last ?? null, today),
    ruleOf('update', settings.updateDays, lastUpdate, today),
  ]
}

/** Saves the tenant's cadence (approvers and admins; the route checks `configure event`). */
export async function saveCadence(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor & { id?: string }
  conferenceDays: string | number
  updateDays: string | number
  ip?: string
}): Promise<void> {
  const read = (v: string | number, min: number, max: number) => {
    const s = String(v).trim()
    if (!/^\d{1,3}$/.test(s) || Number(s) < min || Number(s) > max) throw new AppError('EVENT_CADENCE_INVALID')
    return Number(s)
  }
  const conferenceDays = read(o.conferenceDays, 7, 366)
  const updateDays = read(o.updateDays, 1, 366)
  const before = await cadenceSettings(o.tx, o.tenantId)
  const values = { conferenceDays, updateDays, updatedBy: o.actor.id ?? null, updatedAt: now() }
  await o.tx
    .insert(eventCadence)
    .values({ tenantId: o.tenantId, ...values })
    .onConflictDoUpdate({ target: eventCadence.tenantId, set: values })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.cadence_changed',
    subjectType: 'event_cadence',
    subjectId: o.tenantId,
    summary: { from: before, to: { conferenceDays, updateDays } },
    ip: o.ip,
  })
}
