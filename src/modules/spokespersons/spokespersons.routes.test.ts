/**
 * The spokesperson register through HTTP: approvers manage it, staff read it; delegations
 * are typed in Vietnam time and never show a sealed case's code outside its circle.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { makeSealedCase } from '../../../test/support/releases.ts'
import { spokespersonDelegations, spokespersons } from './spokespersons.tables.ts'

let t: TestApp
let approver: MadeUser
let approverIn: Login
let editorIn: Login

beforeAll(async () => {
  t = await createTestApp()
  approver = await makeUser(t, { role: 'approver' })
  approverIn = await loginAs(t, approver)
  editorIn = await loginAs(t, await makeUser(t, { role: 'editor' }))
})
afterAll(async () => {
  await t.close()
})

const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })

describe('spokespersons', () => {
  let id: string

  it('an approver registers a spokesperson; a bad phone re-renders with 400', async () => {
    const bad = await post(approverIn, '/console/spokespersons', {
      name: 'Đại tá Lê Văn Tuấn',
      title: 'Phó Giám đốc',
      phone: 'abc',
      email: 'tuan@congan.vn',
      active: '1',
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('value="Đại tá Lê Văn Tuấn"')
    const res = await post(approverIn, '/console/spokespersons', {
      name: 'Đại tá Lê Văn Tuấn',
      title: 'Phó Giám đốc Công an tỉnh',
      phone: '0237 3852 113',
      email: 'Tuan@CongAn.vn',
      active: '1',
    })
    expect(res.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(spokespersons).where(eq(spokespersons.tenantId, t.tenant.id))
    id = row?.id as string
    expect(row?.active).toBe(true)
    expect(row?.email).toBe('tuan@congan.vn')
  })

  it('editors read the register but cannot change it', async () => {
    const page = await get(editorIn, '/console/spokespersons')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Đại tá Lê Văn Tuấn')
    expect(page.body).not.toContain('Thêm người phát ngôn')
    expect((await post(editorIn, '/console/spokespersons', { name: 'X', title: 'Y', phone: '0123456', email: 'x@y.vn' })).statusCode).toBe(
      403,
    )
  })

  it('updates (unchecked box = inactive)', async () => {
    const res = await post(approverIn, `/console/spokespersons/${id}`, {
      name: 'Đại tá Lê Văn Tuấn',
      title: 'Giám đốc Công an tỉnh',
      phone: '0237 3852 113',
      email: 'tuan@congan.vn',
    })
    expect(res.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(spokespersons).where(eq(spokespersons.id, id))
    expect(row?.title).toBe('Giám đốc Công an tỉnh')
    expect(row?.active).toBe(false)
    await post(approverIn, `/console/spokespersons/${id}`, {
      name: 'Đại tá Lê Văn Tuấn',
      title: 'Giám đốc Công an tỉnh',
      phone: '0237 3852 113',
      email: 'tuan@congan.vn',
      active: '1',
    })
  })

  it('delegates until a Vietnam-time instant, for a sealed case whose code outsiders never see', async () => {
    const caseId = await makeSealedCase(t, approver, 'CA-BIMAT-1')
    const local = new Date(Date.now() + 7 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 16)
    const res = await post(approverIn, `/console/spokespersons/${id}/delegations`, {
      delegateName: 'Thượng tá Nguyễn Văn Nam',
      delegateTitle: 'Trưởng phòng Tham mưu',
      caseId,
      validUntil: local,
    })
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
    const [d] = await t.database.db.select().from(spokespersonDelegations).where(eq(spokespersonDelegations.spokespersonId, id))
    expect(d?.validUntil.toISOString()).toBe(new Date(`${local}:00+07:00`).toISOString())
    expect(d?.caseId).toBe(caseId)
    expect((await get(approverIn, '/console/spokespersons')).body).toContain('CA-BIMAT-1')
    const outsider = await get(editorIn, '/console/spokespersons')
    expect(outsider.body).toContain('Thượng tá Nguyễn Văn Nam')
    expect(outsider.body).not.toContain('CA-BIMAT-1')
    expect(outsider.body).toContain('một chuyên án bạn không được xem')
    const past = await post(approverIn, `/console/spokespersons/${id}/delegations`, {
      delegateName: 'A',
      delegateTitle: 'B',
      validUntil: '2020-01-01T00:00',
    })
    expect(past.statusCode).toBe(400)
  })

  it('a non-member cannot delegate for a sealed case (404)', async () => {
    const other = await makeUser(t, { role: 'approver' })
    const caseId = await makeSealedCase(t, other, 'CA-BIMAT-2')
    const res = await post(approverIn, `/console/spokespersons/${id}/delegations`, {
      delegateName: 'A B',
      delegateTitle: 'C D',
      caseId,
      validUntil: '2099-01-01T08:00',
    })
    expect(res.statusCode).toBe(404)
  })
})
