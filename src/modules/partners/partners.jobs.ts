/**
 * The daily registry job: accreditations whose press card or term has run out become
 * `expired` (reason, history, audit, mail, event, as a staff decision would), and partners are
 * reminded 30 and 7 days before their end day, once each (a `partner_reminders` row per end
 * day and lead time). Days are local (Asia/Ho_Chi_Minh) calendar days from the app clock: a
 * card valid "until 20/12" is valid through that day.
 */
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../db/index.ts'
import { type AuditActor, recordAudit } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { t } from '../../platform/i18n/index.ts'
import { defineJob } from '../../platform/jobs/index.ts'
import { formatDay, localDay } from '../../platform/time.ts'
import { lockLivePartner, unsafeChangePartnerStatus } from './commands/change-partner-status.ts'
import { queueExpiryReminder } from './partners.mail.ts'
import { partnerReminders, partners } from './partners.tables.ts'

const SYSTEM: AuditActor = { id: null, label: 'system:partners-expiry' }
/** Lead times of the reminders, in days, longest first. */
export const REMINDER_DAYS = [30, 7] as const

/** What one run did. */
export interface ExpiryRun {
  expired: number
  reminded: number
}

/** One run of the daily job at the app clock's `now()`. Each partner is its own transaction. */
export async function runPartnerExpiry(database: Database): Promise<ExpiryRun> {
  const today = localDay(now())
  const db = database.db
  // The earliest of the press card's and the term's end (LEAST skips NULLs).
  const endsOn = sql<string>`LEAST(${partners.pressCardExpiresOn}, ${partners.accreditationEndsOn})::text`
  const live = and(isNull(partners.mergedInto), isNotNull(endsOn))

  const due = await db
    .select({ id: partners.id, tenantId: partners.tenantId })
    .from(partners)
    .where(and(live, inArray(partners.status, ['accredited', 'suspended']), sql`${endsOn} < ${today}`))
  let expired = 0
  for (const p of due) {
    const done = await withTransaction(database.pool, async (tx) => {
      const partner = await lockLivePartner(tx, p.tenantId, p.id)
      // Re-read under the lock: staff may have renewed, revoked or merged it meanwhile.
      if (!partner || (partner.status !== 'accredited' && partner.status !== 'suspended')) return false
      const card = partner.pressCardExpiresOn !== null && partner.pressCardExpiresOn < today
      const term = partner.accreditationEndsOn !== null && partner.accreditationEndsOn < today
      if (!card && !term) return false
      const day = (card ? partner.pressCardExpiresOn : partner.accreditationEndsOn) as string
      const reason = t('vi', card ? 'partners.expiry.card' : 'partners.expiry.term', { day: formatDay(day, 'vi') })
      await unsafeChangePartnerStatus({ tx, partner, to: 'expired', reason, actor: SYSTEM })
      return true
    })
    if (done) expired++
  }

  // Reminders: accredited partners whose end day is within 30 days (and not past).
  const soon = await db
    .select({ id: partners.id, tenantId: partners.tenantId, endsOn, days: sql<number>`(${endsOn}::date - ${today}::date)` })
    .from(partners)
    .where(
      and(
        live,
        eq(partners.status, 'accredited'),
        isNotNull(partners.email),
        sql`${endsOn}::date BETWEEN ${today}::date AND ${today}::date + 30`,
      ),
    )
  let reminded = 0
  for (const p of soon) {
    // The shortest lead time reached: 8–30 days out → the 30-day reminder, 0–7 → the 7-day one
    // (a partner accredited 5 days before the end gets only the latter).
    const lead = p.days <= 7 ? 7 : 30
    const sent = await withTransaction(database.pool, async (tx) => {
      const partner = await lockLivePartner(tx, p.tenantId, p.id)
      if (partner?.status !== 'accredited' || !partner.email) return false
      const claimed = await tx
        .insert(partnerReminders)
        .values({ tenantId: p.tenantId, partnerId: p.id, endsOn: p.endsOn, daysBefore: lead, sentAt: now() })
        .onConflictDoNothing()
        .returning()
      if (claimed.length === 0) return false
      await queueExpiryReminder(tx, { tenantId: p.tenantId, to: partner.email, name: partner.name, endsOn: p.endsOn, days: p.days })
      await recordAudit(tx, {
        tenantId: p.tenantId,
        actor: SYSTEM,
        action: 'partner.expiry_reminded',
        subjectType: 'partner',
        subjectId: p.id,
        summary: { endsOn: p.endsOn, daysBefore: lead, daysLeft: p.days },
      })
      return true
    })
    if (sent) reminded++
  }
  return { expired, reminded }
}

/** Every day at 06:00 local time (23:00 UTC). */
export const partnerExpiryJob = defineJob<Record<string, never>>(
  'partners.expiry',
  async (_data, _job, ctx) => {
    await runPartnerExpiry(ctx.database)
  },
  { cron: '0 23 * * *' },
)
