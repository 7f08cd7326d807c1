/**
 * Inquiries through the routes, with a real SMTP server: partners ask from the portal and the
 * API and see only their own questions (pages, API list, API by id); a 1 MB question is refused
 * with nothing written; a suspended partner reads but may not ask; staff answer naming the
 * spokesperson and the agency (mailed to the asker, shown in the portal, published without the
 * asker's name); a refusal needs a ground; a sealed case's details stay with its circle and
 * the refusal form proposes "case under investigation".
 */
import type { AddressInfo } from 'node:net'
import { simpleParser } from 'mailparser'
import { count, eq } from 'drizzle-orm'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { makePartner, type MadePartner } from '../../../test/support/partners.ts'
import { makeSealedCase, makeSpokesperson } from '../../../test/support/releases.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { inquiries } from './inquiries.tables.ts'

let t: TestApp
let smtp: SMTPServer
const inbox: { to: string; subject: string; text: string }[] = []
let a: MadePartner
let b: MadePartner
let approver: MadeUser
let approverLogin: Login
let spokespersonId: string

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      simpleParser(stream).then(
        (m) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '' })
          done()
        },
        (e: Error) => done(e),
      )
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  const port = (smtp.server.address() as AddressInfo).port
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${port}` })
  a = await makePartner(t, { name: 'Phạm Minh Châu' })
  b = await makePartner(t, { name: 'Vũ Thị Lan' })
  approver = await makeUser(t, { role: 'approver' })
  approverLogin = await loginAs(t, approver)
  spokespersonId = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
})

async function waitFor<T>(what: string, fn: () => T | undefined | Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v !== undefined) return v
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 50))
  }
}

const get = (login: Login | null, url: string) => t.app.inject({ method: 'GET', url, headers: login ? { cookie: login.cookie } : {} })
const postForm = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
const postJson = (login: Login, url: string, body: unknown) =>
  t.app.inject({ method: 'POST', url, payload: JSON.stringify(body), headers: { ...login.headers, 'content-type': 'application/json' } })

/** Asks through the API as `p`; returns the created inquiry's JSON. */
async function askApi(p: MadePartner, topic: string, extra: Record<string, unknown> = {}) {
  const res = await postJson(p.login, '/api/v1/inquiries', { kind: 'question', topic, question: `Câu hỏi về ${topic}?`, ...extra })
  expect(res.statusCode, res.body).toBe(201)
  return res.json() as { id: string; code: string; dueAt: string; status: string }
}
const counts = async () => ({
  inquiries: (await t.database.db.select({ n: count() }).from(inquiries))[0]?.n,
  audit: (await t.database.db.select({ n: count() }).from(auditEvents))[0]?.n,
  mail: (await t.database.db.select({ n: count() }).from(mailOutbox))[0]?.n,
})

describe('asking', () => {
  it('from the portal form: numbered, due time shown, receipt mailed, listed as mine', async () => {
    const page = await get(a.login, '/doi-tac/cau-hoi/moi')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Gửi câu hỏi')
    const res = await postForm(a.login, '/doi-tac/cau-hoi', {
      kind: 'incident',
      topic: 'Tai nạn trên Quốc lộ 1A',
      question: 'Có bao nhiêu người bị thương?',
    })
    expect(res.statusCode, res.body).toBe(303)
    const url = res.headers.location as string
    expect(url).toMatch(/^\/doi-tac\/cau-hoi\/[0-9a-f-]{36}\?done=sent$/)
    const detail = await get(a.login, url)
    expect(detail.statusCode).toBe(200)
    expect(detail.body).toMatch(/HD-\d{4}-\d{4}/)
    const code = detail.body.match(/HD-\d{4}-\d{4}/)?.[0] as string
    const list = await get(a.login, '/doi-tac/cau-hoi')
    expect(list.body).toContain(code)
    const mail = await waitFor('the receipt mail', () => inbox.find((m) => m.to === a.partner.email && m.subject.includes(code)))
    expect(mail.text).toContain('Tai nạn trên Quốc lộ 1A')
  })

  it('a question of 1 MB is refused with a bilingual message and nothing is written (API and form)', async () => {
    const before = await counts()
    const res = await postJson(a.login, '/api/v1/inquiries', { kind: 'question', topic: 'Quá dài', question: 'a'.repeat(1_000_000) })
    expect(res.statusCode).toBe(413)
    const err = res.json() as { error: { code: string; message: { vi: string; en: string } } }
    expect(err.error.code).toBe('INQUIRY_TOO_LONG')
    expect(err.error.message.vi).toContain('tối đa 20000 ký tự')
    expect(err.error.message.en).toContain('at most 20000')
    // 1 MB of Vietnamese is over the body limit itself: 413 before any handler.
    const f = form({ kind: 'question', topic: 'Quá dài', question: 'ố'.repeat(400_000), _csrf: a.login.csrf })
    const viaForm = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/cau-hoi',
      payload: f.payload,
      headers: { ...f.headers, cookie: a.login.cookie },
    })
    expect(viaForm.statusCode).toBe(413)
    // Just over the limit through the form: the page says why, in both languages.
    const over = await postForm(a.login, '/doi-tac/cau-hoi', { kind: 'question', topic: 'Quá dài', question: 'b'.repeat(20_001) })
    expect(over.statusCode).toBe(413)
    expect(over.body).toContain('tối đa 20000 ký tự')
    expect(over.body).toContain('at most 20000')
    expect(await counts()).toEqual(before)
  })

  it('bad input gets a clear 400: unknown kind, empty topic, a release the partner may not name', async () => {
    const before = await counts()
    expect((await postJson(a.login, '/api/v1/inquiries', { kind: 'rumour', topic: 'x', question: 'y' })).statusCode).toBe(400)
    expect((await postJson(a.login, '/api/v1/inquiries', { kind: 'question', topic: '   ', question: 'y' })).json().error.code).toBe(
      'INQUIRY_INVALID',
    )
    const foreign = await postJson(a.login, '/api/v1/inquiries', {
      kind: 'question',
      topic: 'x',
      question: 'y',
      releaseId: '00000000-0000-4000-8000-000000000000',
    })
    expect(foreign.statusCode).toBe(400)
    expect(await counts()).toEqual(before)
  })
})

describe('need-to-know between partners', () => {
  it('no partner sees another partner’s question: page list, page by id, API list, API by id', async () => {
    const mine = await askApi(a, 'Giải phóng mặt bằng dự án cao tốc')
    const theirs = await askApi(b, 'Đường dây lừa đảo việc làm')
    // Pages.
    expect((await get(a.login, '/doi-tac/cau-hoi')).body).not.toContain(theirs.code)
    expect((await get(b.login, '/doi-tac/cau-hoi')).body).toContain(theirs.code)
    expect((await get(a.login, `/doi-tac/cau-hoi/${theirs.id}`)).statusCode).toBe(404)
    expect((await get(a.login, `/doi-tac/cau-hoi/${mine.id}`)).statusCode).toBe(200)
    // Withdrawing someone else's: not found, and it stays open.
    expect((await postForm(a.login, `/doi-tac/cau-hoi/${theirs.id}/rut`, {})).statusCode).toBe(404)
    // API.
    const list = (await get(a.login, '/api/v1/inquiries')).json() as { items: { id: string }[] }
    expect(list.items.map((i) => i.id)).toContain(mine.id)
    expect(list.items.map((i) => i.id)).not.toContain(theirs.id)
    const byId = await t.app.inject({ method: 'GET', url: `/api/v1/inquiries/${theirs.id}`, headers: { cookie: a.login.cookie } })
    expect(byId.statusCode).toBe(404)
    expect((await get(a.login, '/api/v1/inquiries/not-a-uuid')).statusCode).toBe(404)
    const [row] = await t.database.db.select().from(inquiries).where(eq(inquiries.id, theirs.id))
    expect(row?.status).toBe('received')
  })

  it('requires a signed-in live partner: anonymous 401, staff 403; partners stay out of the console', async () => {
    expect((await get(null, '/api/v1/inquiries')).statusCode).toBe(401)
    const staff = await get(approverLogin, '/api/v1/inquiries')
    expect(staff.statusCode).toBe(403)
    expect(staff.json().error.code).toBe('FORBIDDEN')
    expect((await get(a.login, '/console/hoi-dap')).statusCode).toBe(403)
    expect((await get(null, '/console/hoi-dap')).statusCode).toBe(302)
  })

  it('a suspended partner reads past questions and answers but may not ask new ones', async () => {
    const s = await makePartner(t, { name: 'Đỗ Quang Huy' })
    const past = await askApi(s, 'Câu hỏi trước khi bị đình chỉ')
    await t.database.db
      .update((await import('../partners/partners.tables.ts')).partners)
      .set({ status: 'suspended' })
      .where(eq((await import('../partners/partners.tables.ts')).partners.id, s.partner.id))
    expect((await get(s.login, `/doi-tac/cau-hoi/${past.id}`)).statusCode).toBe(200)
    expect((await get(s.login, '/api/v1/inquiries')).json().items).toHaveLength(1)
    const list = await get(s.login, '/doi-tac/cau-hoi')
    expect(list.body).toContain('chưa thể gửi câu hỏi mới')
    expect(list.body).not.toContain('href="/doi-tac/cau-hoi/moi"')
    const before = await counts()
    const api = await postJson(s.login, '/api/v1/inquiries', { kind: 'question', topic: 'Mới', question: 'Câu hỏi mới?' })
    expect(api.statusCode).toBe(403)
    expect(api.json().error.code).toBe('INQUIRY_CANNOT_ASK')
    expect((await postForm(s.login, '/doi-tac/cau-hoi', { kind: 'question', topic: 'Mới', question: 'Câu hỏi mới?' })).statusCode).toBe(403)
    expect((await get(s.login, '/doi-tac/cau-hoi/moi')).statusCode).toBe(403)
    expect(await counts()).toEqual(before)
  })
})

describe('personal API tokens', () => {
  it('a token with scope "inquiries" asks and reads its own partner’s questions only; other scopes are refused', async () => {
    const newToken = async (p: MadePartner, scope: string) => {
      const body = new URLSearchParams({ name: 'Máy chủ toà soạn', days: '30', scopes: scope, _csrf: p.login.csrf })
      const res = await t.app.inject({
        method: 'POST',
        url: '/doi-tac/token',
        payload: body.toString(),
        headers: { cookie: p.login.cookie, 'content-type': 'application/x-www-form-urlencoded' },
      })
      const token = /(dhp_[A-Za-z0-9_-]+)/.exec(res.body)?.[1]
      if (!token) throw new Error(`no token made: ${res.statusCode}`)
      return { authorization: `Bearer ${token}` }
    }
    const bearerA = await newToken(a, 'inquiries')
    const asked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/inquiries',
      headers: { ...bearerA, 'content-type': 'application/json' },
      payload: JSON.stringify({ kind: 'incident', topic: 'Sạt lở đất ở huyện miền núi', question: 'Có thương vong không?' }),
    })
    expect(asked.statusCode, asked.body).toBe(201)
    const mine = asked.json() as { id: string; channel: string }
    expect(mine.channel).toBe('api')
    const theirs = await askApi(b, 'Câu hỏi riêng của B')
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/inquiries', headers: bearerA })
    expect(list.statusCode).toBe(200)
    const ids = (list.json() as { items: { id: string }[] }).items.map((i) => i.id)
    expect(ids).toContain(mine.id)
    expect(ids).not.toContain(theirs.id)
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/inquiries/${theirs.id}`, headers: bearerA })).statusCode).toBe(404)
    // A token without the scope cannot call the inquiries API.
    const embargoOnly = await newToken(a, 'embargo:read')
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/inquiries', headers: embargoOnly })).statusCode).toBe(403)
    // The OpenAPI document lists the operations.
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> }
    expect(Object.keys(doc.paths['/api/v1/inquiries'] ?? {})).toEqual(expect.arrayContaining(['get', 'post']))
    expect(doc.paths['/api/v1/inquiries/{id}']?.get).toBeTruthy()
  })
})

describe('answering and refusing', () => {
  it('the answer must name a spokesperson; it names spokesperson and agency, reaches the asker by mail and in the portal, and may be published without the asker’s name', async () => {
    const q = await askApi(a, 'Số liệu tai nạn giao thông quý III', {
      question: 'Tôi là Phạm Minh Châu, số 0912 345 678. Xin số liệu tai nạn giao thông quý III?',
    })
    const page = await get(approverLogin, `/console/hoi-dap/${q.id}`)
    expect(page.statusCode).toBe(200)
    // Without a spokesperson: refused, nothing changes.
    const noSp = await postForm(approverLogin, `/console/hoi-dap/${q.id}/tra-loi`, { answer: 'Có 120 vụ.' })
    expect(noSp.statusCode).toBe(400)
    expect(noSp.body).toContain('người phát ngôn')
    expect((await t.database.db.select().from(inquiries).where(eq(inquiries.id, q.id)))[0]?.status).toBe('received')

    const res = await postForm(approverLogin, `/console/hoi-dap/${q.id}/tra-loi`, {
      answer: 'Quý III có 120 vụ tai nạn giao thông, giảm 8% so với cùng kỳ.',
      spokespersonId,
      publish: '1',
    })
    expect(res.statusCode, res.body).toBe(303)
    const line = `Người phát ngôn: Đại tá Trịnh Văn Hải, Phó Giám đốc Công an tỉnh, người phát ngôn — ${t.tenant.name}`
    const mail = await waitFor('the answer mail', () =>
      inbox.find((m) => m.to === a.partner.email && m.subject.includes(`Trả lời câu hỏi ${q.code}`)),
    )
    expect(mail.text).toContain('Quý III có 120 vụ')
    expect(mail.text).toContain(line)
    const portal = await get(a.login, `/doi-tac/cau-hoi/${q.id}`)
    expect(portal.body).toContain('Quý III có 120 vụ')
    expect(portal.body).toContain(line)
    const api = (await get(a.login, `/api/v1/inquiries/${q.id}`)).json()
    expect(api.status).toBe('answered')
    expect(api.answer.attribution.vi).toBe(line)
    expect(api.answer.spokesperson.name).toBe('Đại tá Trịnh Văn Hải')
    // Public Q&A: the answer and attribution, not the asker's name or phone.
    const pub = await get(null, `/hoi-dap/${q.code.toLowerCase()}`)
    expect(pub.statusCode).toBe(200)
    expect(pub.body).toContain('Quý III có 120 vụ')
    expect(pub.body).toContain(line)
    expect(pub.body).not.toContain('Phạm Minh Châu')
    expect(pub.body).not.toContain('0912 345 678')
    expect((await get(null, '/hoi-dap')).body).toContain(q.code)
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, q.id))
    expect(audit.map((x) => x.action)).toEqual(expect.arrayContaining(['inquiry.received', 'inquiry.answered', 'inquiry.published']))
    // Closed: a second answer is refused.
    expect((await postForm(approverLogin, `/console/hoi-dap/${q.id}/tra-loi`, { answer: 'x', spokespersonId })).statusCode).toBe(409)
  })

  it('a refusal without a legal ground is refused; with one it reaches the asker', async () => {
    const q = await askApi(b, 'Danh tính nghi phạm')
    const before = await counts()
    const none = await postForm(approverLogin, `/console/hoi-dap/${q.id}/tu-choi`, { explanation: 'Không thể cung cấp thông tin này.' })
    expect(none.statusCode).toBe(400)
    expect(none.body).toContain('căn cứ pháp lý')
    const bogus = await postForm(approverLogin, `/console/hoi-dap/${q.id}/tu-choi`, {
      ground: 'because',
      explanation: 'Không thể cung cấp thông tin này.',
    })
    expect(bogus.statusCode).toBe(400)
    expect(await counts()).toEqual(before)
    const ok = await postForm(approverLogin, `/console/hoi-dap/${q.id}/tu-choi`, {
      ground: 'privacy',
      explanation: 'Thông tin cá nhân của người liên quan được pháp luật bảo vệ.',
    })
    expect(ok.statusCode).toBe(303)
    const portal = await get(b.login, `/doi-tac/cau-hoi/${q.id}`)
    expect(portal.body).toContain('Bí mật đời tư, thông tin cá nhân')
    await waitFor('the refusal mail', () =>
      inbox.find((m) => m.to === b.partner.email && m.subject.includes(q.code) && m.text.includes('Bí mật đời tư')),
    )
  })

  it('an officer answers only what is assigned to them', async () => {
    const q = await askApi(a, 'Lịch tiếp dân')
    const officer = await makeUser(t, { role: 'officer' })
    const officerLogin = await loginAs(t, officer)
    const answer = { answer: 'Thứ Năm hằng tuần.', spokespersonId }
    const notMine = await postForm(officerLogin, `/console/hoi-dap/${q.id}/tra-loi`, answer)
    expect(notMine.statusCode).toBe(403)
    expect(notMine.body).toContain('không được giao cho bạn')
    expect((await postForm(officerLogin, `/console/hoi-dap/${q.id}/phan-cong`, { userId: officer.id })).statusCode).toBe(403)
    expect((await postForm(approverLogin, `/console/hoi-dap/${q.id}/phan-cong`, { userId: officer.id, spokespersonId })).statusCode).toBe(
      303,
    )
    expect((await postForm(officerLogin, `/console/hoi-dap/${q.id}/tra-loi`, answer)).statusCode).toBe(303)
    const [row] = await t.database.db.select().from(inquiries).where(eq(inquiries.id, q.id))
    expect(row).toMatchObject({ status: 'answered', answeredByUserId: officer.id, answerSpokespersonName: 'Đại tá Trịnh Văn Hải' })
    await waitFor('the assignment mail', () => inbox.find((m) => m.to === officer.email && m.subject.includes(q.code)))
  })
})

describe('sealed cases', () => {
  it('an inquiry linked to a sealed case proposes "case under investigation" and hides the case from staff without clearance', async () => {
    const lead = await makeUser(t, { role: 'officer' })
    const leadLogin = await loginAs(t, lead)
    const code = `CA-KIN-${Date.now().toString(36)}`.toUpperCase()
    const caseId = await makeSealedCase(t, lead, code)
    // The lead (a member) logs a phone inquiry and links the case.
    const res = await postForm(leadLogin, '/console/hoi-dap', {
      channel: 'phone',
      kind: 'question',
      askerName: 'Hoàng Văn Nam',
      askerOutlet: 'Đài PT-TH tỉnh',
      askerContact: '0987 654 321',
      topic: 'Đường dây lừa đảo qua mạng',
      question: 'Công an đã bắt được bao nhiêu đối tượng?',
      caseId,
    })
    expect(res.statusCode, res.body).toBe(303)
    const id = (res.headers.location as string).match(/[0-9a-f-]{36}/)?.[0] as string
    const member = await get(leadLogin, `/console/hoi-dap/${id}`)
    expect(member.body).toContain(code)
    // An approver (and an admin) outside the circle: no code, no title; the ground is proposed.
    for (const role of ['approver', 'admin'] as const) {
      const outsider = await loginAs(t, await makeUser(t, { role }))
      const page = await get(outsider, `/console/hoi-dap/${id}`)
      expect(page.statusCode).toBe(200)
      expect(page.body).not.toContain(code)
      expect(page.body).not.toContain('Chuyên án đường dây lừa đảo qua mạng')
      expect(page.body).toContain('chi tiết không hiển thị với bạn')
      expect(page.body).toMatch(/<option value="under_investigation" selected/)
      // Nor can they unlink or relink it (need-to-know is not theirs to change).
      expect((await postForm(outsider, `/console/hoi-dap/${id}/chuyen-an`, { caseId: '' })).statusCode).toBe(404)
    }
    // Staff cannot link a case they cannot see.
    const other = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const q = await askApi(a, 'Một câu hỏi khác')
    expect((await postForm(other, `/console/hoi-dap/${q.id}/chuyen-an`, { caseId })).statusCode).toBe(404)
    // Answered and published, it still never shows publicly while the case is sealed.
    const published = await postForm(approverLogin, `/console/hoi-dap/${id}/tra-loi`, {
      answer: 'Đã bắt 12 đối tượng.',
      spokespersonId,
      publish: '1',
    })
    expect(published.statusCode).toBe(303)
    const [row] = await t.database.db.select().from(inquiries).where(eq(inquiries.id, id))
    expect(row?.publicSlug).toBeTruthy()
    expect((await get(null, `/hoi-dap/${row?.publicSlug}`)).statusCode).toBe(404)
    expect((await get(null, '/hoi-dap')).body).not.toContain(row?.code as string)
  })
})

describe('the dashboard', () => {
  it('shows counts and filters the list', async () => {
    const page = await get(approverLogin, '/console/hoi-dap')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('data-stat="overdue"')
    const answered = await get(approverLogin, '/console/hoi-dap?status=answered')
    const refusedOnly = await get(approverLogin, '/console/hoi-dap?status=refused')
    expect(answered.body).not.toEqual(refusedOnly.body)
    expect(refusedOnly.body).toContain('Danh tính nghi phạm'.slice(0, 10))
    expect(refusedOnly.body).not.toContain('Lịch tiếp dân')
  })
})

describe('demo data', () => {
  it('seedDemoInquiries makes one inquiry in every state through the commands', async () => {
    const { seedDemoInquiries } = await import('./inquiries.demo.ts')
    const { withTransaction } = await import('../../db/index.ts')
    const made = await withTransaction(t.database.pool, (tx) =>
      seedDemoInquiries({
        tx,
        tenantId: t.tenant.id,
        publicUrl: 'http://donghanh.test',
        agency: t.tenant.name,
        staff: { id: approver.id, tenantId: t.tenant.id, role: 'approver', email: approver.email },
        askers: [a, b].map((p) => ({ id: p.partner.id, userId: p.user.id, name: p.partner.name, email: p.partner.email })),
        spokespersonId,
      }),
    )
    expect(made.map((m) => m.state)).toEqual(['received', 'assigned', 'overdue', 'answered', 'refused', 'withdrawn'])
    const published = made.find((m) => m.state === 'answered')
    expect((await get(null, published?.url as string)).statusCode).toBe(200)
  })
})
