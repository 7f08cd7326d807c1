/**
 * Break-glass: an admin outside a sealed case's circle gets in only with a written reason,
 * audited, the lead officer mailed, for a limited time. Through HTTP (the form on the case
 * list, the case page) and through the command; the lists (cases, releases) and the policy
 * follow the membership, expiry included.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, makeSealedCase, makeSpokesperson } from '../../../test/support/releases.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { isAppError } from '../../platform/errors.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { type Actor, can } from '../../platform/policy/index.ts'
import { users } from '../accounts/accounts.tables.ts'
import { listReleasesFor, releaseSubject, unsafeLoadRelease } from '../releases/releases.repository.ts'
import { caseSubject, listCasesFor, unsafeLoadCase } from './cases.repository.ts'
import { caseMembers } from './cases.tables.ts'
import { BREAK_GLASS_HOURS, breakGlass } from './commands/break-glass.ts'
import { clearCase } from './commands/clear-case.ts'
import { addCaseMember } from './commands/manage-case-members.ts'

const HOUR = 3_600_000
const CODE = 'CA-BG-2026-001'
const REASON = 'Đường dây ma túy liên tỉnh: cần đối chiếu gấp lịch công bố trước buổi họp báo 15 giờ.'

let t: TestApp
let lead: MadeUser
let leadIn: Login
let admin: MadeUser
let adminIn: Login
let approverIn: Login
let caseId: string
let releaseId: string
let memberCaseCode: string
let clearedCode: string

const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })
const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
const asActor = (u: MadeUser): Actor => ({ id: u.id, tenantId: t.tenant.id, role: u.role, email: u.email })
const who = (u: MadeUser) => ({ id: u.id, label: u.email })
const memberRows = () =>
  t.database.db
    .select()
    .from(caseMembers)
    .where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.userId, admin.id)))
const breakGlassAudits = () => t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.break_glass'))
const mailsTo = (email: string) => t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))
/** True when a case list page shows CODE only in the "cases you are not in" section (existence), not as a case the viewer reads. */
function hiddenRow(html: string): boolean {
  const section = /<section[^>]*id="hidden-cases"[\s\S]*?<\/section>/.exec(html)?.[0] ?? ''
  return (
    section.includes(CODE) &&
    !html
      .replace(section, '')
      .replace(/<form[^>]*id="break-glass"[\s\S]*?<\/form>/, '')
      .includes(CODE)
  )
}
/** What `admin` sees right now, through the lists and the policy. */
async function adminSees() {
  const a = asActor(admin)
  const loadedCase = await unsafeLoadCase(t.database.db, t.tenant.id, caseId)
  const loadedRelease = await unsafeLoadRelease(t.database.db, t.tenant.id, releaseId)
  return {
    caseListed: (await listCasesFor(t.database.db, a)).some((c) => c.id === caseId),
    releaseListed: (await listReleasesFor(t.database.db, a, { limit: 1000 })).some((r) => r.id === releaseId),
    canReadCase: can(a, 'read', caseSubject(loadedCase as NonNullable<typeof loadedCase>)),
    canReadRelease: can(a, 'read', releaseSubject(loadedRelease as NonNullable<typeof loadedRelease>)),
  }
}

beforeAll(async () => {
  t = await createTestApp()
  lead = await makeUser(t, { role: 'officer' })
  admin = await makeUser(t, { role: 'admin' })
  const approver = await makeUser(t, { role: 'approver' })
  const editor = await makeUser(t, { role: 'editor' })
  leadIn = await loginAs(t, lead)
  adminIn = await loginAs(t, admin)
  approverIn = await loginAs(t, approver)
  caseId = await makeSealedCase(t, lead, CODE)
  releaseId = await draft(t, editor, { spokespersonId: await makeSpokesperson(t), caseId, content: { title: 'Tin của chuyên án ma túy' } })
  // A sealed case the admin is already a member of, and a cleared one (everyone on staff sees it).
  memberCaseCode = 'CA-BG-MEMBER'
  const memberCase = await makeSealedCase(t, lead, memberCaseCode)
  await withTransaction(t.database.pool, async (tx) =>
    addCaseMember({
      tx,
      case: (await unsafeLoadCase(tx, t.tenant.id, memberCase)) as NonNullable<Awaited<ReturnType<typeof unsafeLoadCase>>>,
      actor: who(lead),
      email: admin.email,
    }),
  )
  clearedCode = 'CA-BG-CLEARED'
  const clearedCase = await makeSealedCase(t, approver, clearedCode)
  await withTransaction(t.database.pool, async (tx) =>
    clearCase({
      tx,
      case: (await unsafeLoadCase(tx, t.tenant.id, clearedCase)) as NonNullable<Awaited<ReturnType<typeof unsafeLoadCase>>>,
      actor: who(approver),
      scope: 'Được công bố kết quả điều tra.',
      groundLifted: 'Bí mật điều tra',
    }),
  )
})
afterEach(() => {
  resetClock()
})
afterAll(async () => {
  resetClock()
  await t.close()
})

describe('break-glass through HTTP', () => {
  it('an admin outside the circle gets 404 on the sealed case, and it is in no list they get', async () => {
    expect((await get(adminIn, `/console/cases/${caseId}`)).statusCode).toBe(404)
    expect((await get(adminIn, `/console/releases/${releaseId}`)).statusCode).toBe(404)
    expect(hiddenRow((await get(adminIn, '/console/cases')).body)).toBe(true)
    expect(await adminSees()).toEqual({ caseListed: false, releaseListed: false, canReadCase: false, canReadRelease: false })
  })

  it("the admin's case list shows that the sealed case exists (code, stage, lead) and nothing else; its button pre-fills break-glass", async () => {
    const list = await get(adminIn, '/console/cases')
    expect(list.statusCode).toBe(200)
    const section = /<section[^>]*id="hidden-cases"[\s\S]*?<\/section>/.exec(list.body)?.[0] ?? ''
    expect(section).toContain(CODE)
    expect(section).toContain('Đang điều tra')
    expect(section).toContain('Người dùng officer')
    // No link to the case, no title, ground, release or id.
    for (const secret of [caseId, releaseId, 'Tin của chuyên án ma túy', `/console/cases/${caseId}`, lead.email])
      expect(list.body, secret).not.toContain(secret)
    // The row's button opens the form with the code filled in (and nothing written yet).
    const prefilled = await get(adminIn, `/console/cases?code=${CODE}`)
    expect(prefilled.body).toMatch(new RegExp(`<form[^>]*id="break-glass"[\\s\\S]*name="code"[^>]*value="${CODE}"`))
    expect(await breakGlassAudits()).toHaveLength(0)
    // Other roles see no such list (an approver outside the circle: nothing of the case).
    const approverList = await get(approverIn, '/console/cases')
    expect(approverList.body).not.toContain('id="hidden-cases"')
    expect(approverList.body).not.toContain(CODE)
  })

  it('the form is on the case list for admins only; an approver cannot use break-glass (403)', async () => {
    const adminList = await get(adminIn, '/console/cases')
    expect(adminList.body).toContain('action="/console/cases/break-glass"')
    expect(adminList.body).toContain('Truy cập khẩn cấp (break-glass)')
    const approverList = await get(approverIn, '/console/cases')
    expect(approverList.statusCode).toBe(200)
    expect(approverList.body).not.toContain('/console/cases/break-glass')
    expect((await post(approverIn, '/console/cases/break-glass', { code: CODE, reason: REASON })).statusCode).toBe(403)
    expect(await breakGlassAudits()).toHaveLength(0)
  })

  it('no reason or a short one: 400 in Vietnamese and English, the form kept, nothing written', async () => {
    for (const reason of ['', '   ', 'Cần xem gấp']) {
      const res = await post(adminIn, '/console/cases/break-glass', { code: CODE, reason })
      expect(res.statusCode, reason).toBe(400)
      expect(res.body).toContain('Cần ghi rõ lý do (ít nhất 20 ký tự).')
      expect(res.body).toContain('A written reason is required (at least 20 characters).')
      expect(res.body).toContain(`value="${CODE}"`)
    }
    expect(await memberRows()).toHaveLength(0)
    expect(await breakGlassAudits()).toHaveLength(0)
    expect(await mailsTo(lead.email)).toHaveLength(0)
  })

  it('an unknown code, a sealed case the admin is in and a cleared case answer the same error; nothing written', async () => {
    const bodies: string[] = []
    for (const code of ['CA-KHONG-CO', memberCaseCode, clearedCode, '']) {
      const res = await post(adminIn, '/console/cases/break-glass', { code, reason: REASON })
      expect(res.statusCode, code).toBe(404)
      expect(res.body).toContain('Không có chuyên án đang giữ bí mật nào mang mã này mà bạn chưa được xem.')
      expect(res.body).toContain('No sealed case with this code that you do not already see.')
      bodies.push(/<div class="alert[^"]*"[^>]*>[\s\S]*?<\/div>/.exec(res.body)?.[0] ?? '')
    }
    expect(new Set(bodies).size).toBe(1)
    expect(await breakGlassAudits()).toHaveLength(0)
    expect(await mailsTo(lead.email)).toHaveLength(0)
    // Each attempt is audited as refused, so probing shows; the typed code only as a hash.
    const refused = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'case.break_glass_refused'))
    expect(refused).toHaveLength(4)
    expect(refused.every((r) => r.actorId === admin.id && r.subjectId === null)).toBe(true)
    expect(JSON.stringify(refused)).not.toContain(memberCaseCode)
    expect(JSON.stringify(refused)).not.toContain(clearedCode)
    expect(refused[0]?.summary).toMatchObject({ reason: REASON })
  })

  it('with a reason: the case opens for the admin, audited with the reason, the lead mailed, the circle sees the badge', async () => {
    const res = await post(adminIn, '/console/cases/break-glass', { code: ` ${CODE.toLowerCase()} `, reason: REASON })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/console/cases/${caseId}?done=brokeGlass`)
    const page = await get(adminIn, `/console/cases/${caseId}?done=brokeGlass`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Đã mở truy cập khẩn cấp.')
    expect((await get(adminIn, `/console/releases/${releaseId}`)).statusCode).toBe(200)
    expect(await adminSees()).toEqual({ caseListed: true, releaseListed: true, canReadCase: true, canReadRelease: true })

    const [row] = await memberRows()
    expect(row).toMatchObject({ via: 'break_glass', reason: REASON, addedBy: admin.id })
    const span = (row?.expiresAt?.getTime() ?? 0) - (row?.addedAt.getTime() ?? 0)
    expect(span).toBe(BREAK_GLASS_HOURS * HOUR)

    const audits = await breakGlassAudits()
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ actorId: admin.id, subjectType: 'case', subjectId: caseId })
    expect(audits[0]?.summary).toMatchObject({
      code: CODE,
      reason: REASON,
      expiresAt: row?.expiresAt?.toISOString(),
      notified: [lead.email],
    })

    const mails = await mailsTo(lead.email)
    expect(mails).toHaveLength(1)
    const mail = mails[0] as (typeof mails)[number]
    expect(mail.subject).toContain('Truy cập khẩn cấp')
    expect(mail.subject).toContain('Emergency access')
    expect(mail.textBody).toContain(REASON)
    expect(mail.textBody).toContain(admin.email)
    expect(mail.textBody).toContain('hết hạn lúc')
    expect(mail.textBody).toContain('expires at')
    // Every admin reads the outbox: the mail does not name the case.
    for (const secret of [CODE, caseId, 'Chuyên án đường dây']) expect(`${mail.subject}\n${mail.textBody}`).not.toContain(secret)

    // The lead sees who broke the glass, why and until when; the list marks the case.
    const leadPage = await get(leadIn, `/console/cases/${caseId}`)
    expect(leadPage.body).toContain(admin.email)
    expect(leadPage.body).toContain('badge admin">Truy cập khẩn cấp')
    expect(leadPage.body).toContain(REASON)
    expect(leadPage.body).toContain('hết hạn')
    const leadList = await get(leadIn, '/console/cases')
    expect(leadList.body).toContain('badge admin">Truy cập khẩn cấp')
  })

  it('a break-glass admin manages the circle but cannot add themselves for good', async () => {
    const res = await post(adminIn, `/console/cases/${caseId}/members`, { email: admin.email })
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('Không thể tự thêm mình vào chuyên án')
    expect(res.body).toContain('You cannot add yourself to a case')
    expect((await memberRows())[0]?.via).toBe('break_glass')
    // Managing others is what break-glass is for when the lead cannot act (each change audited).
    const page = await get(adminIn, `/console/cases/${caseId}`)
    expect(page.body).toContain(`action="/console/cases/${caseId}/members"`)
    const other = await makeUser(t, { role: 'officer' })
    expect((await post(adminIn, `/console/cases/${caseId}/members`, { email: other.email })).statusCode).toBe(303)
    const [added] = await t.database.db
      .select()
      .from(caseMembers)
      .where(and(eq(caseMembers.caseId, caseId), eq(caseMembers.userId, other.id)))
    expect(added?.via).toBe('added')
  })

  it('breaking the glass again while it holds answers the same error as a case the admin sees', async () => {
    const res = await post(adminIn, '/console/cases/break-glass', { code: CODE, reason: REASON })
    expect(res.statusCode).toBe(404)
    expect(await breakGlassAudits()).toHaveLength(1)
  })

  it('after the expiry the case is hidden again (404, lists, policy); the circle still sees the lapsed access', async () => {
    advanceClock(BREAK_GLASS_HOURS * HOUR + 60_000)
    // Sessions end when idle: sign in again at the new time.
    const adminLater = await loginAs(t, admin)
    expect((await get(adminLater, `/console/cases/${caseId}`)).statusCode).toBe(404)
    expect((await get(adminLater, `/console/releases/${releaseId}`)).statusCode).toBe(404)
    expect(hiddenRow((await get(adminLater, '/console/cases')).body)).toBe(true)
    expect(await adminSees()).toEqual({ caseListed: false, releaseListed: false, canReadCase: false, canReadRelease: false })
    const leadPage = await get(await loginAs(t, lead), `/console/cases/${caseId}`)
    expect(leadPage.body).toContain('Truy cập khẩn cấp đã hết hạn')
    expect(leadPage.body).toContain('đã hết hạn')
    expect(leadPage.body).toContain(REASON)
    expect((await get(await loginAs(t, lead), '/console/cases')).body).not.toContain('badge admin">Truy cập khẩn cấp')

    // A new break-glass renews the membership: a new reason, a new audit row, a new mail.
    const again = await post(adminLater, '/console/cases/break-glass', { code: CODE, reason: `${REASON} Lần hai.` })
    expect(again.statusCode).toBe(303)
    expect((await get(adminLater, `/console/cases/${caseId}`)).statusCode).toBe(200)
    expect(await breakGlassAudits()).toHaveLength(2)
    expect(await mailsTo(lead.email)).toHaveLength(2)
    expect((await memberRows())[0]?.reason).toBe(`${REASON} Lần hai.`)
  })

  it('the lead adding the admin makes an ordinary member: no expiry any more', async () => {
    expect((await post(leadIn, `/console/cases/${caseId}/members`, { email: admin.email })).statusCode).toBe(303)
    expect((await memberRows())[0]).toMatchObject({ via: 'added', reason: null, expiresAt: null })
    advanceClock(BREAK_GLASS_HOURS * 3 * HOUR)
    expect(await adminSees()).toEqual({ caseListed: true, releaseListed: true, canReadCase: true, canReadRelease: true })
  })
})

describe('breakGlass (command)', () => {
  it('refuses a non-admin (403) and writes nothing', async () => {
    const officer = await makeUser(t, { role: 'officer' })
    const other = await makeSealedCase(t, lead, 'CA-BG-CMD-1')
    const refused = await withTransaction(t.database.pool, (tx) =>
      breakGlass({ tx, actor: { ...asActor(officer), label: officer.email }, code: 'CA-BG-CMD-1', reason: REASON }),
    ).catch((e: unknown) => e)
    expect(isAppError(refused) && refused.code).toBe('FORBIDDEN')
    expect(
      await t.database.db
        .select()
        .from(caseMembers)
        .where(and(eq(caseMembers.caseId, other), eq(caseMembers.userId, officer.id))),
    ).toHaveLength(0)
  })

  it('with no active lead, the ordinary members are told instead', async () => {
    const otherAdmin = await makeUser(t, { role: 'admin' })
    const formerLead = await makeUser(t, { role: 'officer' })
    const member = await makeUser(t, { role: 'approver' })
    const id = await makeSealedCase(t, formerLead, 'CA-BG-CMD-2')
    await withTransaction(t.database.pool, async (tx) =>
      addCaseMember({
        tx,
        case: (await unsafeLoadCase(tx, t.tenant.id, id)) as NonNullable<Awaited<ReturnType<typeof unsafeLoadCase>>>,
        actor: who(formerLead),
        email: member.email,
      }),
    )
    await t.database.db.update(users).set({ status: 'disabled' }).where(eq(users.id, formerLead.id))
    const { caseId: opened } = await withTransaction(t.database.pool, (tx) =>
      breakGlass({ tx, actor: { ...asActor(otherAdmin), label: otherAdmin.email }, code: 'ca-bg-cmd-2', reason: REASON }),
    )
    expect(opened).toBe(id)
    expect(await mailsTo(member.email)).toHaveLength(1)
    expect(await mailsTo(formerLead.email)).toHaveLength(0)
  })
})
