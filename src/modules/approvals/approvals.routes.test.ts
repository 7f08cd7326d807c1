/**
 * The approvals inbox (issue 13, item 11): one list of everything waiting on an approver.
 * An approver sees a release and a verdict waiting, and their count in the menu and on the
 * dashboard; what four-eyes bars them from is marked and not counted; an editor has no inbox;
 * a release of a sealed case shows only to the case's members.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, load, makeSealedCase, makeSpokesperson } from '../../../test/support/releases.ts'
import { withTransaction } from '../../db/index.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { unsafeLoadCase } from '../cases/cases.repository.ts'
import { addCaseMember } from '../cases/commands/manage-case-members.ts'
import { submitClaim } from '../factcheck/commands/submit-claim.ts'
import { draftVerdict, submitVerdict } from '../factcheck/commands/verdict-workflow.ts'
import { unsafeLoadClaim } from '../factcheck/factcheck.repository.ts'
import { submitRelease } from '../releases/commands/submit-release.ts'
import { releaseEditions, releases } from '../releases/releases.tables.ts'

const RELEASE_TITLE = 'Khuyến cáo người dân cảnh giác với cuộc gọi giả danh công an'
const VERDICT_HEADLINE = 'Tin bắt cóc trẻ em ở chợ trung tâm là sai sự thật'
const OWN_VERDICT = 'Kết luận do chính lãnh đạo An soạn'
const SEALED_TITLE = 'Triệt phá đường dây lừa đảo chiếm đoạt 40 tỷ đồng'
const SEALED_CODE = 'CA-2026-099'

let t: TestApp
let editor: MadeUser
let officer: MadeUser
let approverIn: Login
let outsiderIn: Login
let editorIn: Login
let adminIn: Login
let approver: MadeUser

const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })
const who = (u: MadeUser) => ({ id: u.id, label: u.email })

/** The approvals entry of the console menu (its badge number, if any). */
function menuEntry(html: string): { present: boolean; count?: string } {
  const m = /<a href="\/console\/approvals"[^>]*data-menu="approvals"[^>]*>([\s\S]*?)<\/a>/.exec(html)
  if (!m) return { present: false }
  return { present: true, count: /class="nav-count"[^>]*>(\d+)</.exec(m[1] as string)?.[1] }
}

async function verdictWaiting(author: MadeUser, submitter: MadeUser, text: string, headline: string) {
  const { claimId } = await withTransaction(t.database.pool, (tx) =>
    submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: { id: null, label: 'public' }, text }),
  )
  const claim = async () => (await unsafeLoadClaim(t.database.db, t.tenant.id, claimId))!
  await runAudited(t.database.pool, async (tx) =>
    draftVerdict({
      tx,
      claim: await claim(),
      actor: who(author),
      input: {
        label: 'false',
        headline,
        explanationMd: 'Công an tỉnh khẳng định không có sự việc như tin đồn; đề nghị người dân không chia sẻ.',
      },
    }),
  )
  await runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await claim(), actor: who(submitter) }))
  return claimId
}

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  officer = await makeUser(t, { role: 'officer' })
  approver = await makeUser(t, { role: 'approver' })
  const outsider = await makeUser(t, { role: 'approver' })
  approverIn = await loginAs(t, approver)
  outsiderIn = await loginAs(t, outsider)
  editorIn = await loginAs(t, editor)
  adminIn = await loginAs(t, await makeUser(t, { role: 'admin' }))
  const sp = await makeSpokesperson(t)

  // A release sent for approval by the editor.
  const releaseId = await draft(t, editor, { spokespersonId: sp, content: { title: RELEASE_TITLE } })
  await runAudited(t.database.pool, async (tx) => submitRelease({ tx, release: await load(t, releaseId), actor: who(editor) }))

  // A verdict written and sent by an officer, and one the approver wrote and sent themselves.
  await verdictWaiting(officer, officer, 'Có kẻ bắt cóc trẻ em ở chợ trung tâm, phụ huynh cẩn thận', VERDICT_HEADLINE)
  await verdictWaiting(approver, approver, 'Ngân hàng sắp phong tỏa mọi tài khoản chưa cập nhật căn cước', OWN_VERDICT)

  // A release of a sealed case the approver is a member of and the outsider is not. A sealed
  // case's release cannot be submitted; it waits because it was sent before the case was sealed.
  const caseId = await makeSealedCase(t, officer, SEALED_CODE)
  await withTransaction(t.database.pool, async (tx) => {
    const c = await unsafeLoadCase(tx, t.tenant.id, caseId)
    if (!c) throw new Error('no case')
    for (const p of [approver, editor]) await addCaseMember({ tx, case: c, actor: who(officer), email: p.email })
  })
  const sealedId = await draft(t, editor, { spokespersonId: sp, caseId, content: { title: SEALED_TITLE } })
  const [row] = await t.database.db.select().from(releases).where(eq(releases.id, sealedId))
  await t.database.db
    .update(releaseEditions)
    .set({ status: 'submitted', submittedBy: editor.id, submittedAt: new Date() })
    .where(eq(releaseEditions.id, row?.workingEditionId as string))
  await t.database.db.update(releases).set({ status: 'submitted' }).where(eq(releases.id, sealedId))
})
afterAll(async () => {
  await t.close()
})

describe('the approvals inbox', () => {
  it('lists the release and the verdict waiting, with the count the approver can approve in the menu', async () => {
    const res = await get(approverIn, '/console/approvals')
    expect(res.statusCode).toBe(200)
    for (const s of [
      RELEASE_TITLE,
      VERDICT_HEADLINE,
      OWN_VERDICT,
      SEALED_TITLE,
      SEALED_CODE,
      'Kết luận kiểm chứng',
      'Kết luận: Sai sự thật',
    ])
      expect(res.body, s).toContain(s)
    // Their own verdict is listed, marked, and not counted: 4 waiting, 3 they can approve.
    expect(res.body).toMatch(/Tin đồn [A-Z]{2}-\d+/)
    expect(res.body).toContain('Bạn gửi — người khác phải duyệt')
    expect(res.body).toContain('Bạn có thể duyệt 3 trong 4 việc đang chờ.')
    expect(menuEntry(res.body)).toEqual({ present: true, count: '3' })
    // The verdict links to the claim's verdict section, where the approver decides.
    expect(res.body).toMatch(/href="\/console\/kiem-chung\/[0-9a-f-]{36}#verdict"/)
    const en = await t.app.inject({ method: 'GET', url: '/console/approvals?lang=en', headers: { cookie: approverIn.cookie } })
    expect(en.body).toContain('Fact-check verdict')
    expect(en.body).toContain('You can approve 3 of the 4 items waiting.')
  })

  it('shows the count on every console page and the first items on the dashboard', async () => {
    const dash = await get(approverIn, '/console')
    expect(menuEntry(dash.body)).toEqual({ present: true, count: '3' })
    const section = /<section[^>]*id="dashboard-approvals"[\s\S]*?<\/section>/.exec(dash.body)?.[0] ?? ''
    expect(section).toContain('Chờ bạn duyệt')
    expect(section).toContain('<span class="hotline">3</span>')
    expect(section).toContain(VERDICT_HEADLINE)
    expect(section).toContain(RELEASE_TITLE)
    expect(section).toContain('Xem cả 4 việc chờ duyệt')
    expect(menuEntry((await get(approverIn, '/console/releases')).body).count).toBe('3')
  })

  it('does not show a sealed case’s release to an approver outside the case, not even in a count', async () => {
    const res = await get(outsiderIn, '/console/approvals')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain(RELEASE_TITLE)
    expect(res.body).toContain(VERDICT_HEADLINE)
    expect(res.body).not.toContain(SEALED_TITLE)
    expect(res.body).not.toContain(SEALED_CODE)
    expect(menuEntry(res.body)).toEqual({ present: true, count: '3' })
    const dash = await get(outsiderIn, '/console')
    expect(dash.body).not.toContain(SEALED_TITLE)
    expect(dash.body).toContain('Xem cả 3 việc chờ duyệt')
  })

  it('an editor, an officer and an admin have no inbox: no menu entry, no dashboard section, 403', async () => {
    for (const login of [editorIn, adminIn, await loginAs(t, officer)]) {
      const dash = await get(login, '/console')
      expect(dash.statusCode).toBe(200)
      expect(menuEntry(dash.body).present).toBe(false)
      expect(dash.body).not.toContain('id="dashboard-approvals"')
      const res = await get(login, '/console/approvals')
      expect(res.statusCode).toBe(403)
      expect(res.body).not.toContain(RELEASE_TITLE)
    }
  })

  it('asks for a sign-in without a session', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/console/approvals' })
    expect([302, 303, 401]).toContain(res.statusCode)
  })
})
