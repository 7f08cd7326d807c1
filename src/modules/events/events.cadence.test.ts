/**
 * The cadence of Decree 09/2017 art. 5: days left counted in local days with the clock moved,
 * what counts (held regular press conferences; releases published and press briefings held;
 * not cancelled ones), the dashboard warning, and the audited settings.
 */
import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, type MadeUser, makeUser, type TestApp } from '../../../test/support/app.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { advanceClock, freezeClock, resetClock } from '../../platform/clock.ts'
import { cadenceStatus, eventCadence } from './events.cadence.ts'
import { type EventKind, type EventState, events } from './events.tables.ts'

let t: TestApp
let approver: MadeUser
let editor: MadeUser
// 1 November 2026, 10:00 in Vietnam.
const NOW = new Date('2026-11-01T03:00:00Z')
const DAY = 86_400_000

beforeAll(async () => {
  freezeClock(NOW)
  t = await createTestApp()
  approver = await makeUser(t, { role: 'approver' })
  editor = await makeUser(t, { role: 'editor' })
})
afterAll(async () => {
  resetClock()
  await t?.close()
})

async function held(kind: EventKind, startsAt: Date, state: EventState = 'done') {
  await t.database.db.insert(events).values({
    tenantId: t.tenant.id,
    kind,
    title: `Sự kiện ${kind}`,
    startsAt,
    endsAt: new Date(startsAt.getTime() + 2 * 3600_000),
    state,
    icalUid: `${randomUUID()}@donghanh.test`,
    cancelledAt: state === 'cancelled' ? startsAt : null,
  })
}
const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
/** The dashboard, signed in afresh (a session made before the clock moved has expired). */
const dashboard = async () => {
  const res = await t.app.inject({ method: 'GET', url: '/console', headers: { cookie: (await loginAs(t, approver)).cookie } })
  expect(res.statusCode).toBe(200)
  return res.body
}

describe('cadence', () => {
  it('with nothing held, both rules are overdue and the dashboard says so', async () => {
    const [conf, upd] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ rule: 'conference', everyDays: 90, last: null, daysLeft: null, level: 'overdue' })
    expect(upd).toMatchObject({ rule: 'update', everyDays: 30, last: null, level: 'overdue' })
    const body = await dashboard()
    expect(body).toContain('id="cadence-warning"')
    expect(body).toContain('Họp báo định kỳ (mỗi 90 ngày): chưa có lần nào được ghi nhận.')
  })

  it('counts days left in local days, soon within 14 / 7 days, overdue once past (clock moved)', async (ctx) => {
    ctx.onTestFinished(() => freezeClock(NOW))
    // Held 80 days ago at 09:00 local; a briefing just after midnight local on 13 Oct (17:30Z on the 12th).
    await held('regular_press_conference', new Date(NOW.getTime() - 80 * DAY - 3600_000))
    await held('press_briefing', new Date('2026-10-12T17:30:00Z'))
    // A later cancelled conference and a future announced one do not count.
    await held('regular_press_conference', new Date(NOW.getTime() - 10 * DAY), 'cancelled')
    await held('regular_press_conference', new Date(NOW.getTime() + 20 * DAY), 'announced')
    let [conf, upd] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ dueDay: '2026-11-11', daysLeft: 10, level: 'soon' })
    expect(upd?.last?.toISOString()).toBe('2026-10-12T17:30:00.000Z')
    // 17:30Z on 12 Oct is 00:30 on 13 Oct in Vietnam: due 12 Nov, 11 days left, ok (soon is ≤ 7).
    expect(upd).toMatchObject({ dueDay: '2026-11-12', daysLeft: 11, level: 'ok' })
    let body = await dashboard()
    expect(body).toContain('Họp báo định kỳ (mỗi 90 ngày): còn 10 ngày')
    expect(body).not.toContain('Cung cấp thông tin (mỗi 30 ngày)')

    advanceClock(4 * DAY)
    ;[conf, upd] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ daysLeft: 6, level: 'soon' })
    expect(upd).toMatchObject({ daysLeft: 7, level: 'soon' })
    body = await dashboard()
    expect(body).toContain('Cung cấp thông tin (mỗi 30 ngày): còn 7 ngày')

    advanceClock(7 * DAY)
    ;[conf, upd] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ daysLeft: -1, level: 'overdue' })
    expect(upd).toMatchObject({ daysLeft: 0, level: 'soon' })
    body = await dashboard()
    expect(body).toContain('đã quá hạn 1 ngày')

    // Once the announced conference has started (day 20), it counts as held.
    advanceClock(10 * DAY)
    ;[conf] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ daysLeft: 89, level: 'ok' })
  })

  it('a new briefing resets the update rule; no warning when both are ok', async () => {
    await held('regular_press_conference', new Date(NOW.getTime() - DAY))
    await held('press_briefing', new Date(NOW.getTime() - DAY))
    const [conf, upd] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ daysLeft: 89, level: 'ok' })
    expect(upd).toMatchObject({ daysLeft: 29, level: 'ok' })
    expect(await dashboard()).not.toContain('id="cadence-warning"')
  })

  it('settings: approvers change them (audited), editors may not, bad input is refused', async () => {
    const approverIn = await loginAs(t, approver)
    const editorIn = await loginAs(t, editor)
    expect((await post(editorIn, '/console/su-kien/nhip', { conferenceDays: '60', updateDays: '20' })).statusCode).toBe(403)
    const bad = await post(approverIn, '/console/su-kien/nhip', { conferenceDays: '0', updateDays: '20' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Số ngày không hợp lệ')
    expect(bad.body).toContain('Invalid number of days')
    expect(await t.database.db.select().from(eventCadence).where(eq(eventCadence.tenantId, t.tenant.id))).toHaveLength(0)
    const ok = await post(approverIn, '/console/su-kien/nhip', { conferenceDays: '60', updateDays: '20' })
    expect(ok.statusCode).toBe(303)
    const [conf, upd] = await cadenceStatus(t.database.db, t.tenant.id)
    expect(conf).toMatchObject({ everyDays: 60, daysLeft: 59 })
    expect(upd).toMatchObject({ everyDays: 20, daysLeft: 19 })
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, t.tenant.id), eq(auditEvents.action, 'event.cadence_changed')))
    expect(audit).toHaveLength(1)
    const page = await t.app.inject({ method: 'GET', url: '/console/su-kien/nhip', headers: { cookie: editorIn.cookie } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Họp báo định kỳ (mỗi 60 ngày): còn 59 ngày')
    expect(page.body).not.toContain('name="conferenceDays"')
  })
})
