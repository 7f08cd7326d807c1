/**
 * The clocks (issue 14, "The clocks"): Tết from the lunar library (checked against the known
 * dates), a complaint received on the day before Tết due 30 calendar days later moved past the
 * weekend, 5 working days across Tết, 30/4–1/5 and 2/9, the 24-hour kind, an edited holiday
 * changing the due time of new inquiries only, and escalation before the due time exactly once
 * with the clock moved (never waited).
 */
import { getSolarDate } from '@dqcai/vn-lunar'
import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { freezeClock, resetClock } from '../../platform/clock.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { localInputValue } from '../../platform/time.ts'
import { answerInquiry } from './commands/answer-inquiry.ts'
import { createInquiry } from './commands/create-inquiry.ts'
import { addHoliday, removeHoliday, setKindClock } from './commands/edit-calendar.ts'
import { addDays, computeDue, DEFAULT_CLOCKS } from './inquiries.clock.ts'
import { computedHolidays, tetDay } from './inquiries.holidays.ts'
import { runInquiryClock } from './inquiries.jobs.ts'
import { inquiries, inquiryEvents, type InquiryKind } from './inquiries.tables.ts'
import { makeSpokesperson } from '../../../test/support/releases.ts'

let t: TestApp
let approver: Actor
let admin: MadeUser
beforeAll(async () => {
  t = await createTestApp()
  const u = await makeUser(t, { role: 'approver' })
  approver = { id: u.id, tenantId: t.tenant.id, role: u.role, email: u.email }
  admin = await makeUser(t, { role: 'admin' })
})
afterAll(async () => {
  await t.close()
})
afterEach(() => resetClock())

/** A local wall time in Thanh Hóa (+07:00) as an instant. */
const local = (s: string) => new Date(`${s}+07:00`)
/** The due time as local wall time (`2027-03-08T23:59`). */
const dueLocal = (d: Date) => localInputValue(d)

/** Receives an inquiry of `kind` at local time `at` (the clock frozen there), logged by staff. */
async function receive(kind: InquiryKind, at: string) {
  freezeClock(local(at))
  return withTransaction(t.database.pool, (tx) =>
    createInquiry({
      tx,
      tenantId: t.tenant.id,
      publicUrl: 'http://donghanh.test',
      asker: { partnerId: null, userId: null, name: 'Lê Thu Trang', email: null, contact: '0912 345 678', outlet: 'Báo Thanh Hóa' },
      channel: 'phone',
      input: { kind, topic: 'Vụ cháy chợ', question: 'Xin cho biết nguyên nhân ban đầu vụ cháy.' },
      allowedReleaseIds: null,
      actor: { id: approver.id, label: approver.email },
    }),
  )
}

describe('the lunar calendar', () => {
  it('gives Tết 2026 = 17/02/2026 and Tết 2027 = 06/02/2027 (the library, checked)', () => {
    expect(getSolarDate(1, 1, 2026)).toMatchObject({ day: 17, month: 2, year: 2026 })
    expect(getSolarDate(1, 1, 2027)).toMatchObject({ day: 6, month: 2, year: 2027 })
    expect(tetDay(2026)).toBe('2026-02-17')
    expect(tetDay(2027)).toBe('2027-02-06')
  })

  it('lists the Labour Code holidays: 1/1, five Tết days from 30 Tết, Giỗ Tổ 10/3 lunar, 30/4, 1/5, 2/9 and one adjacent day', () => {
    const days = computedHolidays(2027).map((h) => h.day)
    expect(days).toEqual([
      '2027-01-01',
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-04-16', // 10/3 Đinh Mùi
      '2027-04-30',
      '2027-05-01',
      '2027-09-01',
      '2027-09-02',
    ])
  })
})

describe('due times', () => {
  it('a complaint received on the day before Tết 2027 is due 30 calendar days later, moved off the Sunday to Monday', async () => {
    const dayBeforeTet = addDays(tetDay(2027), -1)
    expect(dayBeforeTet).toBe('2027-02-05')
    const i = await receive('complaint', `${dayBeforeTet}T10:00`)
    // 05/02 + 30 days = Sunday 07/03/2027 → Monday 08/03, to the end of that day (Civil Code art. 148).
    expect(i.clock).toMatchObject({ unit: 'calendar_days', amount: 30, lastDay: '2027-03-08', movedFrom: '2027-03-07' })
    expect(dueLocal(i.dueAt)).toBe('2027-03-08T23:59')
    expect(i.code).toMatch(/^HD-2027-\d{4}$/)
  })

  it('5 working days skip Tết, 30/4–1/5 and 2/9 with its adjacent day', async () => {
    // Thu 04/02/2027; Tết off 05–09/02: Wed 10, Thu 11, Fri 12, Mon 15, Tue 16.
    expect(dueLocal((await receive('question', '2027-02-04T09:00')).dueAt)).toBe('2027-02-16T23:59')
    // Wed 28/04/2027: Thu 29, (Fri 30/4 off), Mon 3, Tue 4, Wed 5, Thu 6.
    expect(dueLocal((await receive('question', '2027-04-28T16:30')).dueAt)).toBe('2027-05-06T23:59')
    // Tue 31/08/2027: (Wed 1/9, Thu 2/9 off) Fri 3, Mon 6, Tue 7, Wed 8, Thu 9.
    expect(dueLocal((await receive('question', '2027-08-31T08:00')).dueAt)).toBe('2027-09-09T23:59')
    // A plain week for contrast: Mon 12/07/2027 → Mon 19/07.
    expect(dueLocal((await receive('question', '2027-07-12T08:00')).dueAt)).toBe('2027-07-19T23:59')
  })

  it('the incident kind is 24 calendar hours, Tết or not', async () => {
    const i = await receive('incident', '2027-02-05T22:15')
    expect(i.dueAt.getTime() - i.receivedAt.getTime()).toBe(24 * 3_600_000)
    expect(dueLocal(i.dueAt)).toBe('2027-02-06T22:15')
  })

  it('an edited holiday changes the due time of new inquiries; those already received keep theirs', async () => {
    const before = await receive('question', '2028-04-26T10:00') // Wed; 2028: 30/4 Sun, 1/5 Mon
    // Thu 27, Fri 28, (Mon 1/5 off) Tue 2, Wed 3, Thu 4.
    expect(dueLocal(before.dueAt)).toBe('2028-05-04T23:59')
    const adminActor: Actor = { id: admin.id, tenantId: t.tenant.id, role: 'admin', email: admin.email }
    await withTransaction(t.database.pool, (tx) => addHoliday({ tx, actor: adminActor, day: '2028-05-02', name: 'Nghỉ bù ngày 30/4' }))
    const after = await receive('question', '2028-04-26T10:00')
    expect(dueLocal(after.dueAt)).toBe('2028-05-05T23:59')
    const [kept] = await t.database.db.select().from(inquiries).where(eq(inquiries.id, before.id))
    expect(kept?.dueAt.getTime()).toBe(before.dueAt.getTime())
    // Removing a computed day counts it as a working day again, and it stays removed.
    await withTransaction(t.database.pool, (tx) => removeHoliday({ tx, actor: adminActor, day: '2028-05-01' }))
    expect(dueLocal((await receive('question', '2028-04-26T10:00')).dueAt)).toBe('2028-05-04T23:59')
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'inquiry.holiday_added'))
    expect(audit.map((a) => a.summary)).toContainEqual({ day: '2028-05-02', name: 'Nghỉ bù ngày 30/4' })
    // Only the head of the office edits the calendar.
    const editor = await makeUser(t, { role: 'editor' })
    await expect(
      withTransaction(t.database.pool, (tx) =>
        addHoliday({
          tx,
          actor: { id: editor.id, tenantId: t.tenant.id, role: 'editor', email: editor.email },
          day: '2028-05-03',
          name: 'x',
        }),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
  })

  it('a configured clock applies to new inquiries', async () => {
    const adminActor: Actor = { id: admin.id, tenantId: t.tenant.id, role: 'admin', email: admin.email }
    await withTransaction(t.database.pool, (tx) =>
      setKindClock({ tx, actor: adminActor, kind: 'incident', unit: 'hours', amount: 12, escalatePercent: 25 }),
    )
    const i = await receive('incident', '2029-03-01T08:00')
    expect(dueLocal(i.dueAt)).toBe('2029-03-01T20:00')
    expect(dueLocal(i.escalateAt)).toBe('2029-03-01T17:00')
    await withTransaction(t.database.pool, (tx) => setKindClock({ tx, actor: adminActor, kind: 'incident', ...DEFAULT_CLOCKS.incident }))
  })

  it('computeDue on a 24-hour window escalates at 20 % left (4.8 h before)', () => {
    const d = computeDue(local('2027-01-04T08:00'), DEFAULT_CLOCKS.incident, new Set())
    expect(d.dueAt.getTime() - d.escalateAt.getTime()).toBe(Math.round(24 * 3_600_000 * 0.2))
  })
})

describe('escalation', () => {
  it('fires before the due time, exactly once, with the clock moved; overdue is flagged once', async () => {
    const i = await receive('question', '2027-07-12T08:00') // due Mon 19/07 23:59
    // Earlier tests' inquiries escalate too when the clock moves; count this one's mail only.
    const mailsToAdmin = async () =>
      (await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, admin.email))).filter((m) => m.subject.includes(i.code))
    const escalations = () =>
      t.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'inquiry.escalated'), eq(auditEvents.subjectId, i.id)))
    const mailsBefore = (await mailsToAdmin()).length

    // One minute before the escalation time: nothing.
    freezeClock(new Date(i.escalateAt.getTime() - 60_000))
    await runInquiryClock(t.database, { publicUrl: 'http://donghanh.test' })
    expect(await escalations()).toHaveLength(0)

    // At the escalation time (still before the due time): escalated, audited, the admin mailed.
    freezeClock(i.escalateAt)
    expect(i.escalateAt.getTime()).toBeLessThan(i.dueAt.getTime())
    const run = await runInquiryClock(t.database, { publicUrl: 'http://donghanh.test' })
    expect(run.escalated).toBeGreaterThanOrEqual(1)
    expect(await escalations()).toHaveLength(1)
    const mails = await mailsToAdmin()
    expect(mails.length).toBe(mailsBefore + 1)
    expect(mails.at(-1)?.textBody).toContain(`/console/hoi-dap/${i.id}`)
    const [row] = await t.database.db.select().from(inquiries).where(eq(inquiries.id, i.id))
    expect(row?.escalatedAt?.getTime()).toBe(i.escalateAt.getTime())

    // Later runs (and a second worker) do not escalate it again.
    freezeClock(new Date(i.escalateAt.getTime() + 3_600_000))
    await Promise.all([runInquiryClock(t.database, { publicUrl: 'x' }), runInquiryClock(t.database, { publicUrl: 'x' })])
    expect(await escalations()).toHaveLength(1)
    expect((await mailsToAdmin()).length).toBe(mailsBefore + 1)

    // Past the due time: flagged overdue once.
    freezeClock(new Date(i.dueAt.getTime() + 1000))
    await runInquiryClock(t.database, { publicUrl: 'x' })
    await runInquiryClock(t.database, { publicUrl: 'x' })
    const overdue = await t.database.db
      .select()
      .from(inquiryEvents)
      .where(and(eq(inquiryEvents.inquiryId, i.id), eq(inquiryEvents.type, 'overdue')))
    expect(overdue).toHaveLength(1)
  })

  it('an inquiry answered in time is never escalated', async () => {
    const i = await receive('question', '2027-10-04T08:00')
    const spokesperson = await makeSpokesperson(t)
    freezeClock(new Date(i.escalateAt.getTime() - 1000))
    await withTransaction(t.database.pool, (tx) =>
      answerInquiry({
        tx,
        actor: approver,
        inquiryId: i.id,
        answer: 'Trả lời.',
        spokespersonId: spokesperson,
        agency: 'Công an tỉnh Thanh Hóa',
        publicUrl: 'x',
      }),
    )
    freezeClock(new Date(i.dueAt.getTime() + 1000))
    await runInquiryClock(t.database, { publicUrl: 'x' })
    const [row] = await t.database.db.select().from(inquiries).where(eq(inquiries.id, i.id))
    expect(row?.escalatedAt).toBeNull()
    expect(row?.overdueAt).toBeNull()
  })
})
