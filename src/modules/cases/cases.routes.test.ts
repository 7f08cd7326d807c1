/**
 * Case pages through HTTP: open (officer/approver), need-to-know visibility (404 outside the
 * circle), members, stage, clearance by an approver member, closing.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { caseClearances, caseMembers, cases } from './cases.tables.ts'

let t: TestApp
let officer: MadeUser
let officerIn: Login
let approver: MadeUser
let approverIn: Login
let editor: MadeUser
let editorIn: Login
let outsiderIn: Login
let caseId: string
const ground = 'Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)'

beforeAll(async () => {
  t = await createTestApp()
  officer = await makeUser(t, { role: 'officer' })
  approver = await makeUser(t, { role: 'approver' })
  editor = await makeUser(t, { role: 'editor' })
  officerIn = await loginAs(t, officer)
  approverIn = await loginAs(t, approver)
  editorIn = await loginAs(t, editor)
  outsiderIn = await loginAs(t, await makeUser(t, { role: 'approver' }))
})
afterAll(async () => {
  await t.close()
})

const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })

async function caseRow() {
  const [row] = await t.database.db.select().from(cases).where(eq(cases.id, caseId))
  return row as typeof cases.$inferSelect
}

describe('cases', () => {
  it('an editor may not open a case (403); the form lists officers and approvers as leads', async () => {
    expect((await get(editorIn, '/console/cases/new')).statusCode).toBe(403)
    const page = await get(officerIn, '/console/cases/new')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(officer.email)
    expect(page.body).toContain(approver.email)
    expect(page.body).not.toContain(editor.email)
  })

  it('an officer opens a sealed case; missing fields re-render the form with 400', async () => {
    const bad = await post(officerIn, '/console/cases/new', {
      code: 'CA-1',
      title: '',
      department: 'PC02',
      leadOfficerId: officer.id,
      secrecyGround: ground,
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('value="CA-1"')
    const res = await post(officerIn, '/console/cases/new', {
      code: 'ca-36-ld',
      title: 'Chuyên án lừa đảo qua mạng',
      department: 'Phòng Cảnh sát hình sự',
      leadOfficerId: officer.id,
      secrecyGround: ground,
    })
    expect(res.statusCode).toBe(303)
    caseId = /\/console\/cases\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] as string
    const row = await caseRow()
    expect(row.state).toBe('sealed')
    expect(row.code).toBe('CA-36-LD')
    const dup = await post(officerIn, '/console/cases/new', {
      code: 'CA-36-LD',
      title: 'Trùng mã',
      department: 'PC02',
      leadOfficerId: officer.id,
      secrecyGround: ground,
    })
    expect(dup.statusCode).toBe(409)
    expect(dup.body).toContain('Mã chuyên án đã tồn tại.')
  })

  it('a sealed case is 404 and absent from the list for non-members, whatever their role', async () => {
    expect((await get(outsiderIn, `/console/cases/${caseId}`)).statusCode).toBe(404)
    expect((await get(editorIn, `/console/cases/${caseId}`)).statusCode).toBe(404)
    expect(
      (await post(outsiderIn, `/console/cases/${caseId}/clear`, { scope: 'Công bố toàn bộ kết quả.', groundLifted: ground })).statusCode,
    ).toBe(404)
    expect((await get(outsiderIn, '/console/cases')).body).not.toContain('CA-36-LD')
    const mine = await get(officerIn, '/console/cases')
    expect(mine.body).toContain('CA-36-LD')
    expect(mine.body).toContain('Đang giữ bí mật')
  })

  it('the lead adds members by e-mail (unknown e-mail refused on the page) and removes them', async () => {
    const unknown = await post(officerIn, `/console/cases/${caseId}/members`, { email: 'khong-co@example.vn' })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.body).toContain('CA-36-LD')
    expect((await post(officerIn, `/console/cases/${caseId}/members`, { email: approver.email })).statusCode).toBe(303)
    expect((await post(officerIn, `/console/cases/${caseId}/members`, { email: editor.email })).statusCode).toBe(303)
    expect((await get(editorIn, `/console/cases/${caseId}`)).statusCode).toBe(200)
    // An editor member cannot manage members.
    expect((await post(editorIn, `/console/cases/${caseId}/members`, { email: officer.email })).statusCode).toBe(403)
    expect((await post(officerIn, `/console/cases/${caseId}/members/${editor.id}/remove`, {})).statusCode).toBe(303)
    expect((await get(editorIn, `/console/cases/${caseId}`)).statusCode).toBe(404)
    const members = await t.database.db.select().from(caseMembers).where(eq(caseMembers.caseId, caseId))
    expect(members.map((m) => m.userId).sort()).toEqual([officer.id, approver.id].sort())
  })

  it('a member sets the stage', async () => {
    expect((await post(officerIn, `/console/cases/${caseId}/stage`, { stage: 'charged' })).statusCode).toBe(303)
    expect((await caseRow()).stage).toBe('charged')
    const bad = await post(officerIn, `/console/cases/${caseId}/stage`, { stage: 'xx' })
    expect(bad.statusCode).toBe(400)
  })

  it('only an approver member clears (officer 403); clearance recorded with scope and ground, then close', async () => {
    const page = await get(approverIn, `/console/cases/${caseId}`)
    expect(page.body).toContain('Ghi nhận giải mật')
    expect((await get(officerIn, `/console/cases/${caseId}`)).body).not.toContain('Ghi nhận giải mật')
    expect(
      (await post(officerIn, `/console/cases/${caseId}/clear`, { scope: 'Công bố toàn bộ kết quả.', groundLifted: ground })).statusCode,
    ).toBe(403)
    const short = await post(approverIn, `/console/cases/${caseId}/clear`, { scope: 'ngắn', groundLifted: ground })
    expect(short.statusCode).toBe(400)
    const res = await post(approverIn, `/console/cases/${caseId}/clear`, {
      scope: 'Được công bố kết quả triệt phá, không nêu tên bị can.',
      groundLifted: ground,
    })
    expect(res.statusCode).toBe(303)
    expect((await caseRow()).state).toBe('cleared')
    const [clearance] = await t.database.db.select().from(caseClearances).where(eq(caseClearances.caseId, caseId))
    expect(clearance?.clearedBy).toBe(approver.id)
    const shown = await get(approverIn, `/console/cases/${caseId}?done=cleared`)
    expect(shown.body).toContain('Đã ghi nhận giải mật.')
    expect(shown.body).toContain('Được công bố kết quả triệt phá')
    // Cleared: other staff may now see it.
    expect((await get(outsiderIn, `/console/cases/${caseId}`)).statusCode).toBe(200)
    expect((await post(approverIn, `/console/cases/${caseId}/close`, {})).statusCode).toBe(303)
    expect((await caseRow()).state).toBe('closed')
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, caseId))
    expect(audit.map((a) => a.action)).toEqual(
      expect.arrayContaining([
        'case.created',
        'case.member_added',
        'case.member_removed',
        'case.stage_changed',
        'case.cleared',
        'case.closed',
      ]),
    )
  })
})
