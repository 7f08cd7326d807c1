/**
 * Four-eyes by contributors on the verification desk (issue "four-eyes can be bypassed"): no
 * one who wrote or changed the text of a verdict version may approve it, whoever submitted it.
 * Commands against real PostgreSQL (refusals audited, a third approver approves, the database
 * backstop), then the same attack through HTTP with the contributors shown on the claim page.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { approveVerdict, draftVerdict, submitVerdict, type VerdictInput } from '../commands/verdict-workflow.ts'
import { submitClaim } from '../commands/submit-claim.ts'
import { unsafeLoadClaim } from '../factcheck.repository.ts'
import { claims, verdicts } from '../factcheck.tables.ts'
import { getPage, postForm } from './desk.test-support.ts'

let t: TestApp
let approverA: MadeUser
let officerB: MadeUser
let approverC: MadeUser

beforeAll(async () => {
  t = await createTestApp()
  approverA = await makeUser(t, { role: 'approver' })
  officerB = await makeUser(t, { role: 'officer' })
  approverC = await makeUser(t, { role: 'approver' })
  await t.database.db.update(users).set({ name: 'Lãnh đạo An' }).where(eq(users.id, approverA.id))
  await t.database.db.update(users).set({ name: 'Cán bộ Bình' }).where(eq(users.id, officerB.id))
  await t.database.db.update(users).set({ name: 'Lãnh đạo Cường' }).where(eq(users.id, approverC.id))
})
afterAll(async () => {
  await t.close()
})

const who = (u: MadeUser) => ({ id: u.id, label: u.email })
const loadClaim = async (id: string) => (await unsafeLoadClaim(t.database.db, t.tenant.id, id))!
const newClaim = async (text: string) =>
  (
    await withTransaction(t.database.pool, (tx) =>
      submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: { id: null, label: 'public' }, text }),
    )
  ).claimId

const INPUT: VerdictInput = {
  label: 'false',
  headline: 'Thông tin sai sự thật',
  explanationMd: 'Công an tỉnh khẳng định không có sự việc như tin đồn; đề nghị người dân không chia sẻ.',
}
const draft = (claimId: string, u: MadeUser, input: Partial<VerdictInput> = {}) =>
  runAudited(t.database.pool, async (tx) =>
    draftVerdict({ tx, claim: await loadClaim(claimId), actor: who(u), input: { ...INPUT, ...input } }),
  )
const submit = (claimId: string, u: MadeUser) =>
  runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await loadClaim(claimId), actor: who(u) }))
const approve = (claimId: string, u: MadeUser) =>
  runAudited(t.database.pool, async (tx) =>
    approveVerdict({ tx, claim: await loadClaim(claimId), actor: who(u), publicUrl: 'http://h', tenantName: 'CA' }),
  )
const refusals = (claimId: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'verdict.refused'), eq(auditEvents.subjectId, claimId)))

describe('verdict four-eyes by contributors (commands)', () => {
  it('approver A drafts, B submits, A approves: refused and audited; approver C approves', async () => {
    const claimId = await newClaim('Tin đồn trên mạng nói cầu Hàm Rồng bị nứt và sắp đóng cửa vĩnh viễn từ tuần sau')
    await draft(claimId, approverA)
    await submit(claimId, officerB)
    await expect(approve(claimId, approverA)).rejects.toMatchObject({ code: 'FOUR_EYES_CONTRIBUTOR', status: 403 })
    const audit = await refusals(claimId)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: approverA.id })
    expect(audit[0]?.summary).toMatchObject({ version: 1, reason: 'four_eyes_contributor', contributed: ['created'] })
    expect((await loadClaim(claimId)).claim.status).toBe('verdict_submitted')
    await approve(claimId, approverC)
    expect((await loadClaim(claimId)).claim.status).toBe('published')
  })

  it('approver A rewrites B’s submitted verdict, B resubmits, A approves: refused; C approves', async () => {
    const claimId = await newClaim('Có tin nhắn báo Công an tỉnh phạt nguội qua Zalo, yêu cầu chuyển khoản nộp phạt ngay')
    await draft(claimId, officerB, { label: 'scam', headline: 'Tin nhắn phạt nguội qua Zalo là lừa đảo' })
    await submit(claimId, officerB)
    // A "reviews" by rewriting: the version goes back to draft and A becomes a contributor.
    await draft(claimId, approverA, {
      label: 'scam',
      headline: 'Lừa đảo phạt nguội',
      explanationMd: 'Nội dung do lãnh đạo An viết lại: Công an không thu tiền phạt qua Zalo.',
    })
    const [v] = (await loadClaim(claimId)).verdicts
    expect(v).toMatchObject({ status: 'draft', createdBy: officerB.id, version: 1 })
    expect(v?.contributors.map((c) => [c.userId, c.what])).toEqual([
      [officerB.id, 'created'],
      [approverA.id, 'edited'],
    ])
    await submit(claimId, officerB)
    await expect(approve(claimId, approverA)).rejects.toMatchObject({ code: 'FOUR_EYES_CONTRIBUTOR' })
    expect((await refusals(claimId))[0]?.summary).toMatchObject({ reason: 'four_eyes_contributor', contributed: ['edited'] })
    expect((await loadClaim(claimId)).claim.status).toBe('verdict_submitted')
    await approve(claimId, approverC)
    expect((await loadClaim(claimId)).claim.status).toBe('published')
  })

  it('the submitter rule stays: B drafts, A submits, A approves → FOUR_EYES', async () => {
    const claimId = await newClaim('Tin đồn xe khách giường nằm bị cấm chạy qua quốc lộ 1A đoạn Thanh Hóa từ ngày mai')
    await draft(claimId, officerB)
    await submit(claimId, approverA)
    await expect(approve(claimId, approverA)).rejects.toMatchObject({ code: 'FOUR_EYES' })
    expect((await refusals(claimId))[0]?.summary).toMatchObject({ reason: 'four_eyes' })
  })

  it('the database is the backstop: approved_by cannot name a contributor, and the list only grows', async () => {
    const claimId = await newClaim('Người dân truyền nhau tin Công an tỉnh tuyển cộng tác viên online trả lương theo giờ')
    const { verdictId } = await draft(claimId, approverA)
    await expect(t.database.pool.query('UPDATE verdicts SET approved_by = $1 WHERE id = $2', [approverA.id, verdictId])).rejects.toThrow(
      /four-eyes/,
    )
    await expect(t.database.pool.query(`UPDATE verdicts SET contributors = '[]'::jsonb WHERE id = $1`, [verdictId])).rejects.toThrow(
      /append-only/,
    )
    const [row] = await t.database.db.select().from(verdicts).where(eq(verdicts.id, verdictId))
    expect(row).toMatchObject({ approvedBy: null })
    expect(row?.contributors).toHaveLength(1)
  })
})

describe('verdict four-eyes by contributors (HTTP)', () => {
  let inA: Login
  let inB: Login
  let inC: Login

  it('A rewrites B’s submitted verdict: the page names both and hides A’s approve button; A’s approval is refused (403, audited); C approves', async () => {
    inA = await loginAs(t, approverA)
    inB = await loginAs(t, officerB)
    inC = await loginAs(t, approverC)
    const claimId = await newClaim('Tin đồn trường học ở phường Hạc Thành cho học sinh nghỉ vì dịch bệnh lạ lây lan nhanh')
    const base = `/console/kiem-chung/${claimId}/verdict`
    const fields = {
      label: 'false',
      title: 'Không có dịch bệnh lạ tại trường học',
      bodyMd: 'Sở Y tế xác nhận không có ca bệnh lạ; các trường vẫn học bình thường.',
    }
    expect((await postForm(t, inB, base, fields)).statusCode).toBe(303)
    expect((await postForm(t, inB, `${base}/submit`)).statusCode).toBe(303)
    const rewrite = await postForm(t, inA, base, {
      ...fields,
      bodyMd: 'Lãnh đạo An viết lại: Sở Y tế khẳng định không có dịch bệnh lạ, học sinh vẫn đi học.',
    })
    expect(rewrite.statusCode).toBe(303)
    expect((await postForm(t, inB, `${base}/submit`)).statusCode).toBe(303)

    const page = (await getPage(t, inA, `/console/kiem-chung/${claimId}`)).body
    expect(page).toContain('id="four-eyes-note"')
    expect(page).not.toContain(`action="${base}/approve"`)
    const list = /<ul[^>]*id="verdict-contributors"[^>]*>([\s\S]*?)<\/ul>/.exec(page)?.[1] ?? ''
    expect(list).toContain('Cán bộ Bình')
    expect(list).toContain('cán bộ nghiệp vụ')
    expect(list).toContain('soạn bản này')
    expect(list).toContain('Lãnh đạo An')
    expect(list).toContain('lãnh đạo duyệt')
    expect(list).toContain('sửa nội dung (1 lần)')
    expect(page).toContain('Người viết và sửa bản 1')

    const refused = await postForm(t, inA, `${base}/approve`)
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('bạn đã soạn hoặc sửa nội dung bản kết luận này')
    const audit = await refusals(claimId)
    expect(audit).toHaveLength(1)
    expect(audit[0]?.summary).toMatchObject({ reason: 'four_eyes_contributor', contributed: ['edited'] })
    expect((await t.database.db.select().from(claims).where(eq(claims.id, claimId)))[0]?.status).toBe('verdict_submitted')

    const theirs = (await getPage(t, inC, `/console/kiem-chung/${claimId}`)).body
    expect(theirs).toContain(`action="${base}/approve"`)
    expect(theirs).not.toContain('id="four-eyes-note"')
    expect((await postForm(t, inC, `${base}/approve`)).statusCode).toBe(303)
    expect((await t.database.db.select().from(claims).where(eq(claims.id, claimId)))[0]?.status).toBe('published')
  })
})
