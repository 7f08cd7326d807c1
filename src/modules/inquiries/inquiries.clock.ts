/**
 * The legal clocks of press inquiries, as pure functions over local (Asia/Ho_Chi_Minh) days and
 * a set of days off. The rules, and why:
 *
 * - `hours` (initial information on an incident, 24 h by default): calendar hours from receipt;
 *   an incident does not wait for Monday.
 * - `calendar_days` (a complaint or petition forwarded by the press, 30 days by default; Press
 *   Law 2016): the law says "30 ngày", not "30 ngày làm việc", so the days are calendar days.
 *   How a period in days is counted follows the Civil Code 2015 (arts. 147–148), which applies
 *   where a law sets no rule of its own: the count starts the day after receipt; the period
 *   ends at 24:00 of the last day; a last day that is a weekend or public holiday moves to the
 *   end of the next working day. So a complaint received on the day before Tết 2027
 *   (05/02/2027) is due at the end of 08/03/2027: 30 days lands on Sunday 07/03, which moves to
 *   Monday.
 * - `working_days` (an ordinary question, 5 working days by default): Monday to Friday that are
 *   not public holidays, counted from the day after receipt, due at the end of the last one.
 *
 * "End of a day" is 23:59:59 local time (the last second of 24:00). The due time is computed
 * once, at receipt, and kept with the inquiry: a holiday edited later changes the clocks of new
 * inquiries only, because the due time told to the asker is the office's promise.
 */
import { LOCAL_OFFSET, localDay } from '../../platform/time.ts'
import type { ClockRecord, ClockUnit, InquiryKind } from './inquiries.tables.ts'

/** A kind's clock: its unit, its length and when escalation starts. */
export interface KindClock {
  unit: ClockUnit
  amount: number
  /** Escalate when this share (percent) of the window is left. */
  escalatePercent: number
}

/** The defaults, until the office sets its own on /console/hoi-dap/ngay-nghi. */
export const DEFAULT_CLOCKS: Record<InquiryKind, KindClock> = {
  incident: { unit: 'hours', amount: 24, escalatePercent: 20 },
  complaint: { unit: 'calendar_days', amount: 30, escalatePercent: 20 },
  question: { unit: 'working_days', amount: 5, escalatePercent: 20 },
}

/** The day key `n` days after `day` (`2027-02-05` + 1 → `2027-02-06`). */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

/** True for Saturday and Sunday. */
export function isWeekend(day: string): boolean {
  const wd = new Date(`${day}T00:00:00Z`).getUTCDay()
  return wd === 0 || wd === 6
}

/** True for a working day: Monday–Friday and not a day off. */
export function isWorkingDay(day: string, daysOff: ReadonlySet<string>): boolean {
  return !isWeekend(day) && !daysOff.has(day)
}

/** The last second (23:59:59 local) of a local day. */
export function endOfLocalDay(day: string): Date {
  return new Date(`${day}T23:59:59${LOCAL_OFFSET}`)
}

/** A computed clock: the due instant, when to escalate, and how it was counted. */
export interface ComputedDue {
  dueAt: Date
  escalateAt: Date
  clock: ClockRecord
}

/**
 * The due time of an inquiry received at `receivedAt` under `clock`, counting `daysOff` (local
 * day keys) as non-working. See the file comment for the rules.
 */
export function computeDue(receivedAt: Date, clock: KindClock, daysOff: ReadonlySet<string>): ComputedDue {
  const record: ClockRecord = { unit: clock.unit, amount: clock.amount, escalatePercent: clock.escalatePercent }
  let dueAt: Date
  if (clock.unit === 'hours') {
    dueAt = new Date(receivedAt.getTime() + clock.amount * 3_600_000)
  } else if (clock.unit === 'calendar_days') {
    const nominal = addDays(localDay(receivedAt), clock.amount)
    let last = nominal
    while (!isWorkingDay(last, daysOff)) last = addDays(last, 1)
    record.lastDay = last
    if (last !== nominal) record.movedFrom = nominal
    dueAt = endOfLocalDay(last)
  } else {
    let day = localDay(receivedAt)
    let counted = 0
    while (counted < clock.amount) {
      day = addDays(day, 1)
      if (isWorkingDay(day, daysOff)) counted++
    }
    record.lastDay = day
    dueAt = endOfLocalDay(day)
  }
  const window = dueAt.getTime() - receivedAt.getTime()
  const escalateAt = new Date(dueAt.getTime() - Math.round((window * clock.escalatePercent) / 100))
  return { dueAt, escalateAt, clock: record }
}

/** The local years a clock started at `receivedAt` may touch (for loading holidays). */
export function yearsSpanned(receivedAt: Date, clock: KindClock): number[] {
  const y = Number(localDay(receivedAt).slice(0, 4))
  // 400 days at most (the settings' limit) plus moves past holidays: two years ahead is plenty.
  return clock.unit === 'hours' ? [y, y + 1] : [y, y + 1, y + 2]
}
