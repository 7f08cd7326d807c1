import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { localDayStart } from '../../../platform/time.ts'
import { ensureHolidayYears } from '../inquiries.repository.ts'
import { CLOCK_UNITS, INQUIRY_KINDS, inquiryHolidays, inquiryKindSettings } from '../inquiries.tables.ts'

function checkDay(day: string): string {
  const d = (day ?? '').trim()
  if (!localDayStart(d)) throw new AppError('INQUIRY_HOLIDAY_INVALID', { field: 'day' })
  const y = Number(d.slice(0, 4))
  if (y < 2000 || y > 2100) throw new AppError('INQUIRY_HOLIDAY_INVALID', { field: 'day' })
  return d
}

/**
 * Adds a day off (a compensatory day, a changed Tết span) or renames/restores an existing one.
 * Changes the clocks of inquiries received from now on; existing ones keep their due time.
 */
export async function addHoliday(o: { tx: Tx; actor: Actor; day: string; name: string; ip?: string }): Promise<void> {
  authorize(o.actor, 'configure', 'inquiry')
  const day = checkDay(o.day)
  const name = (o.name ?? '').normalize('NFC').replace(/\s+/g, ' ').trim()
  if (!name || name.length > 200) throw new AppError('INQUIRY_HOLIDAY_INVALID', { field: 'name' })
  // The year's computed days first, so adding a day never stops them being computed.
  await ensureHolidayYears(o.tx, o.actor.tenantId, [Number(day.slice(0, 4))])
  await o.tx
    .insert(inquiryHolidays)
    .values({ tenantId: o.actor.tenantId, day, name, source: 'staff', changedBy: o.actor.id })
    .onConflictDoUpdate({
      target: [inquiryHolidays.tenantId, inquiryHolidays.day],
      set: { name, removedAt: null, changedBy: o.actor.id },
    })
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'inquiry.holiday_added',
    subjectType: 'holiday',
    subjectId: null,
    summary: { day, name },
    ip: o.ip,
  })
}

/** Removes a day off (a computed one keeps its row, marked removed, so it is not computed back). */
export async function removeHoliday(o: { tx: Tx; actor: Actor; day: string; ip?: string }): Promise<void> {
  authorize(o.actor, 'configure', 'inquiry')
  const day = checkDay(o.day)
  const [row] = await o.tx
    .update(inquiryHolidays)
    .set({ removedAt: now(), changedBy: o.actor.id })
    .where(and(eq(inquiryHolidays.tenantId, o.actor.tenantId), eq(inquiryHolidays.day, day)))
    .returning()
  if (!row) throw new AppError('NOT_FOUND')
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'inquiry.holiday_removed',
    subjectType: 'holiday',
    subjectId: null,
    summary: { day, name: row.name, source: row.source },
    ip: o.ip,
  })
}

/** Sets a kind's clock (unit, length, escalation share); applies to inquiries received from now on. */
export async function setKindClock(o: {
  tx: Tx
  actor: Actor
  kind: string
  unit: string
  amount: number
  escalatePercent: number
  ip?: string
}): Promise<void> {
  authorize(o.actor, 'configure', 'inquiry')
  if (!(INQUIRY_KINDS as readonly string[]).includes(o.kind)) throw new AppError('INQUIRY_INVALID', { field: 'kind' })
  if (!(CLOCK_UNITS as readonly string[]).includes(o.unit)) throw new AppError('INQUIRY_INVALID', { field: 'unit' })
  if (!Number.isInteger(o.amount) || o.amount < 1 || o.amount > 400) throw new AppError('INQUIRY_INVALID', { field: 'amount' })
  if (!Number.isInteger(o.escalatePercent) || o.escalatePercent < 1 || o.escalatePercent > 90)
    throw new AppError('INQUIRY_INVALID', { field: 'escalatePercent' })
  const kind = o.kind as (typeof INQUIRY_KINDS)[number]
  const unit = o.unit as (typeof CLOCK_UNITS)[number]
  const values = { unit, amount: o.amount, escalatePercent: o.escalatePercent, updatedBy: o.actor.id, updatedAt: now() }
  await o.tx
    .insert(inquiryKindSettings)
    .values({ tenantId: o.actor.tenantId, kind, ...values })
    .onConflictDoUpdate({ target: [inquiryKindSettings.tenantId, inquiryKindSettings.kind], set: values })
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'inquiry.clock_changed',
    subjectType: 'inquiry_kind',
    subjectId: null,
    summary: { kind, unit, amount: o.amount, escalatePercent: o.escalatePercent },
    ip: o.ip,
  })
}
