/**
 * The daily expiry job with the clock moved (never waited): accreditations whose press card or
 * term ran out expire with reason, history, audit, mail and event; reminders go 30 and 7 days
 * before the end day, once each.
 */
import { and, asc, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type TestApp } from '../../../test/support/app.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { freezeClock, resetClock } from '../../platform/clock.ts'
import { domainEvents } from '../../platform/domain-events/domain-events.tables.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { changePartnerStatus } from './commands/change-partner-status.ts'
import { createPartner, type PartnerInput } from './commands/create-partner.ts'
import { runPartnerExpiry } from './partners.jobs.ts'
import { partnerReminders, partnerStatusHistory, partners } from './partners.tables.ts'

let t: TestApp
let approver: Actor
beforeAll(async () => {
  t = await createTestApp()
  const u = await makeUser(t, { role: 'approver' })
  approver = { id: u.id, tenantId: t.tenant.id, role: u.role, email: u.email }
})
afterAll(async () => {
  await t.close()
})
afterEach(() => resetClock())

/** 10:00 in Thanh Hóa (03:00 UTC) on a local day. */
const at = (day: string) => new Date(`${day}T03:00:00Z`)

let n = 0
async function accredited(extra: Partial<PartnerInput>): Promise<{ id: string; email: string }> {
  n++
  const email = `pv.${n}@baovanhoa.vn`
  const input: PartnerInput = { kind: 'journalist', name: `Phóng viên Đỗ Văn Nam ${n}`, pressCardNumber: `VH${10000 + n}`, email, ...extra }
  const id = await withTransaction(t.database.pool, async (tx) => {
    const { id } = await createPartner({ tx, actor: approver, input })
    await changePartnerStatus({ tx, actor: approver, partnerId: id, to: 'verified', reason: 'Đã xác minh với tòa soạn' })
    await changePartnerStatus({ tx, actor: approver, partnerId: id, to: 'accredited', reason: 'Đủ điều kiện nhận tin' })
    return id
  })
  return { id, email }
}
const mailsTo = (email: string) =>
  t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email)).orderBy(asc(mailOutbox.createdAt))
const remindersOf = (id: string) =>
  t.database.db
    .select({ endsOn: partnerReminders.endsOn, days: partnerReminders.daysBefore })
    .from(partnerReminders)
    .where(eq(partnerReminders.partnerId, id))
const statusOf = async (id: string) => (await t.database.db.select({ s: partners.status }).from(partners).where(eq(partners.id, id)))[0]?.s

describe('the daily partners job', () => {
  it('reminds 30 and 7 days before, once each, and expires after the last valid day', async () => {
    freezeClock(at('2026-11-20'))
    // Press card until 31/12 (term longer): the card decides.
    const card = await accredited({ pressCardExpiresOn: '2026-12-31', accreditationEndsOn: '2027-06-30' })
    // Term until 05/12 (card longer): the term decides; accredited 15 days before its end.
    const term = await accredited({ pressCardExpiresOn: '2028-01-01', accreditationEndsOn: '2026-12-05' })
    // Far from any end: left alone.
    const far = await accredited({ pressCardExpiresOn: '2028-01-01', accreditationEndsOn: '2027-12-31' })
    const mailsAfterAccreditation = (await mailsTo(card.email)).length

    // 20/11: `term` is 15 days out → its 30-day reminder; `card` 41 days out → nothing.
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 1 })
    expect(await remindersOf(term.id)).toEqual([{ endsOn: '2026-12-05', days: 30 }])
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 0 })

    // 01/12: `card` 30 days out → 30-day; `term` 4 days out → 7-day. Twice the same day: once.
    freezeClock(at('2026-12-01'))
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 2 })
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 0 })
    expect(await remindersOf(card.id)).toEqual([{ endsOn: '2026-12-31', days: 30 }])
    const reminder = (await mailsTo(card.email)).at(-1)
    expect(reminder?.subject).toMatch(/sắp hết .* \/ Your partner accreditation ends soon/)
    expect(reminder?.textBody).toContain('còn 30 ngày')
    expect(reminder?.textBody).toContain('30 days from now')

    // 05/12 is still valid (through that day); 06/12 it expires.
    freezeClock(at('2026-12-05'))
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 0 })
    freezeClock(at('2026-12-06'))
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 1, reminded: 0 })
    expect(await statusOf(term.id)).toBe('expired')
    const [last] = await t.database.db
      .select()
      .from(partnerStatusHistory)
      .where(eq(partnerStatusHistory.partnerId, term.id))
      .orderBy(asc(partnerStatusHistory.id))
      .offset(3)
    expect(last).toMatchObject({ fromStatus: 'accredited', toStatus: 'expired', actorId: null, actorLabel: 'system:partners-expiry' })
    expect(last?.reason).toContain('Thời hạn công nhận kết thúc')
    const events = await t.database.db
      .select()
      .from(domainEvents)
      .where(and(eq(domainEvents.subjectId, term.id), eq(domainEvents.type, 'partner.expired')))
    expect(events).toHaveLength(1)
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectId, term.id), eq(auditEvents.action, 'partner.status_changed')))
    expect(audits.at(-1)?.summary).toMatchObject({ from: 'accredited', to: 'expired' })
    expect((await mailsTo(term.email)).at(-1)?.subject).toContain('Hết hạn')

    // 24/12: `card` 7 days out → 7-day, once.
    freezeClock(at('2026-12-24'))
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 1 })
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 0 })
    expect((await remindersOf(card.id)).map((r) => r.days).sort()).toEqual([30, 7])

    // 01/01/2027: the press card ran out.
    freezeClock(at('2027-01-01'))
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 1, reminded: 0 })
    expect(await statusOf(card.id)).toBe('expired')
    expect(
      (await t.database.db.select().from(partnerStatusHistory).where(eq(partnerStatusHistory.partnerId, card.id))).at(-1)?.reason,
    ).toContain('Thẻ nhà báo hết hạn')
    // card: two reminders and the expiry since accreditation; `far` untouched.
    expect((await mailsTo(card.email)).length - mailsAfterAccreditation).toBe(3)
    expect(await statusOf(far.id)).toBe('accredited')
    expect(await remindersOf(far.id)).toEqual([])
    // Nothing more to do on later runs.
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 0 })
  })

  it('expires a suspended partner too, and a renewed term is reminded again', async () => {
    freezeClock(at('2027-03-01'))
    const p = await accredited({ pressCardExpiresOn: '2030-01-01', accreditationEndsOn: '2027-03-20' })
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 1 })
    // Renewed before the end: a new end day gets its own reminders.
    await withTransaction(t.database.pool, async (tx) => {
      await changePartnerStatus({ tx, actor: approver, partnerId: p.id, to: 'suspended', reason: 'Tạm dừng trong lúc xét gia hạn' })
      await changePartnerStatus({
        tx,
        actor: approver,
        partnerId: p.id,
        to: 'accredited',
        reason: 'Gia hạn thời hạn công nhận',
        accreditationEndsOn: '2027-03-25',
      })
    })
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 0, reminded: 1 })
    expect((await remindersOf(p.id)).map((r) => r.endsOn).sort()).toEqual(['2027-03-20', '2027-03-25'])
    await withTransaction(t.database.pool, (tx) =>
      changePartnerStatus({ tx, actor: approver, partnerId: p.id, to: 'suspended', reason: 'Vi phạm quy định cấm đăng trước' }),
    )
    freezeClock(at('2027-03-26'))
    expect(await runPartnerExpiry(t.database)).toEqual({ expired: 1, reminded: 0 })
    expect(await statusOf(p.id)).toBe('expired')
  })
})
