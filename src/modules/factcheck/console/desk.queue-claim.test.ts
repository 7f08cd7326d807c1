/**
 * The desk's queue and claim page through HTTP: staff entry, match suggestions and merging
 * (tickets follow, history shown), split, triage reordering the queue, notes and tasks, the
 * metrics gauges; contacts never shown; wrong roles refused.
 */
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { renderMetrics } from '../../../platform/http/metrics.ts'
import { submitClaim } from '../commands/submit-claim.ts'
import { claimHistory, claimNotes, claimSubmissions, claims, claimTasks } from '../factcheck.tables.ts'
import { getPage, postForm, staffEntry } from './desk.test-support.ts'

let t: TestApp
let editor: MadeUser
let officer: MadeUser
let editorIn: Login
let officerIn: Login
let journalistIn: Login

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  officer = await makeUser(t, { role: 'officer' })
  editorIn = await loginAs(t, editor)
  officerIn = await loginAs(t, officer)
  journalistIn = await loginAs(t, await makeUser(t, { role: 'journalist' }))
})
afterAll(async () => {
  await t.close()
})

const CONTACT = 'nguoi.hoi.kin@gmail.com'

/** A public submission through the command (as the public form does). */
async function publicSubmission(text: string, contactEmail?: string) {
  const r = await withTransaction(t.database.pool, (tx) =>
    submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: { id: null, label: 'public' }, text, contactEmail }),
  )
  return r
}

const codeOf = async (id: string) =>
  (await t.database.db.select({ code: claims.code }).from(claims).where(eq(claims.id, id)))[0]?.code as string

describe('staff entry', () => {
  it('creates a claim on channel staff with a ticket, shown on its page', async () => {
    const res = await postForm(t, editorIn, '/console/kiem-chung', {
      text: 'Tin đồn trên mạng: xăng sẽ tăng giá gấp đôi từ ngày mai, người dân đổ xô đi mua tích trữ',
      links: 'https://facebook.com/groups/999/posts/1?fbclid=abc\nhttps://zalo.me/g/xyz',
      seenWhere: 'Nhóm Facebook chợ huyện',
    })
    expect(res.statusCode).toBe(303)
    const id = /\/console\/kiem-chung\/([0-9a-f-]{36})\?done=created&ticket=(KC-\d{4}-\d{5}-\d{5})/.exec(String(res.headers.location))
    expect(id).not.toBeNull()
    const [sub] = await t.database.db
      .select()
      .from(claimSubmissions)
      .where(eq(claimSubmissions.claimId, id?.[1] as string))
    expect(sub).toMatchObject({ channel: 'staff', ticket: id?.[2], seenWhere: 'Nhóm Facebook chợ huyện' })
    expect(sub?.links).toEqual(['https://facebook.com/groups/999/posts/1', 'https://zalo.me/g/xyz'])
    const page = await getPage(t, editorIn, String(res.headers.location))
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(id?.[2])
    expect(page.body).toContain('Cán bộ nhập')
    expect(page.body).toContain('xăng sẽ tăng giá gấp đôi')
  })

  it('re-renders the form with a bilingual error and status 400 for an empty or bad entry', async () => {
    const empty = await postForm(t, editorIn, '/console/kiem-chung', { text: '  ', links: '' })
    expect(empty.statusCode).toBe(400)
    expect(empty.body).toContain('Enter the text to verify or a link to it.')
    const bad = await postForm(t, editorIn, '/console/kiem-chung', { text: 'Tin có đường dẫn lạ lùng', links: 'javascript:alert(1)' })
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Tin có đường dẫn lạ lùng')
    expect(bad.body).toContain('only http and https')
  })
})

describe('matching, merge and split', () => {
  it('lists a similar claim as a suggestion; merging moves its tickets and shows the history; split moves one back', async () => {
    const a = await staffEntry(
      t,
      editorIn,
      'Công an tỉnh Thanh Hóa thông báo phong tỏa cầu Hàm Rồng từ tối nay để truy bắt tội phạm nguy hiểm',
    )
    const b = await publicSubmission('Nghe nói cầu Hàm Rồng bị phong tỏa tối nay vì công an truy bắt tội phạm', CONTACT)
    expect(b.claimId).not.toBe(a)
    const bCode = await codeOf(b.claimId)

    const page = await getPage(t, editorIn, `/console/kiem-chung/${a}`)
    expect(page.statusCode).toBe(200)
    const suggestions = page.body.slice(page.body.indexOf('id="suggestions"'))
    expect(suggestions).toContain(`data-claim="${bCode}"`)
    expect(suggestions).toMatch(/độ giống 0,\d+/)
    expect(page.body).not.toContain(`href="/console/kiem-chung/${a}">`) // never suggests itself

    const merged = await postForm(t, editorIn, `/console/kiem-chung/${a}/merge`, { otherId: b.claimId, direction: 'into-this' })
    expect(merged.statusCode).toBe(303)
    expect(String(merged.headers.location)).toContain(`/console/kiem-chung/${a}?done=merged`)
    const after = await getPage(t, editorIn, String(merged.headers.location))
    expect(after.body).toContain(`data-ticket="${b.ticket}"`)
    expect(after.body).toContain('data-kind="merged_from"')
    expect(after.body).toContain(bCode)
    expect(after.body).toContain('Đã gộp tin')
    const [source] = await t.database.db.select().from(claims).where(eq(claims.id, b.claimId))
    expect(source).toMatchObject({ status: 'merged', mergedInto: a })
    const bPage = await getPage(t, editorIn, `/console/kiem-chung/${b.claimId}`)
    expect(bPage.body).toContain('Tin này đã được gộp vào')

    const split = await postForm(t, editorIn, `/console/kiem-chung/${a}/split`, { submissionId: b.submissionId })
    expect(split.statusCode).toBe(303)
    const [moved] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.id, b.submissionId))
    expect(moved?.claimId).not.toBe(a)
    expect(String(split.headers.location)).toContain(`other=${moved?.claimId}`)
    const kinds = (await t.database.db.select().from(claimHistory).where(eq(claimHistory.claimId, a))).map((h) => h.kind)
    expect(kinds).toEqual(expect.arrayContaining(['merged_from', 'split_to']))
    const afterSplit = await getPage(t, editorIn, `/console/kiem-chung/${a}`)
    expect(afterSplit.body).toContain('data-kind="split_to"')
    expect(afterSplit.body).not.toContain(`data-ticket="${b.ticket}"`)
  })

  it('refuses splitting the only submission with a clear message (409)', async () => {
    const a = await staffEntry(t, editorIn, 'Tin đồn cúp nước toàn thành phố ba ngày liền từ thứ hai tuần sau')
    const [sub] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.claimId, a))
    const res = await postForm(t, editorIn, `/console/kiem-chung/${a}/split`, { submissionId: sub?.id as string })
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('class="alert error"')
  })
})

describe('triage, notes and tasks', () => {
  it('reorders the queue by the new priority, shows the level and assigns', async () => {
    const first = await staffEntry(t, editorIn, 'Đồn rằng trường tiểu học thị trấn cho học sinh nghỉ học cả tuần để sửa mái')
    const second = await staffEntry(
      t,
      editorIn,
      'Có tin ngân hàng sẽ phong tỏa tài khoản của người chưa cập nhật sinh trắc học trước cuối tháng',
    )
    const [c1, c2] = [await codeOf(first), await codeOf(second)]
    const before = (await getPage(t, editorIn, '/console/kiem-chung')).body
    expect(before.indexOf(`data-claim="${c1}"`)).toBeLessThan(before.indexOf(`data-claim="${c2}"`))

    const res = await postForm(t, editorIn, `/console/kiem-chung/${second}/triage`, {
      harm: 'public_order',
      statement: 'Ngân hàng sẽ phong tỏa tài khoản chưa cập nhật sinh trắc học trước cuối tháng',
      assigneeId: officer.id,
    })
    expect(res.statusCode).toBe(303)
    const after = (await getPage(t, editorIn, '/console/kiem-chung')).body
    expect(after.indexOf(`data-claim="${c2}"`)).toBeLessThan(after.indexOf(`data-claim="${c1}"`))
    const row = after.slice(after.indexOf(`data-claim="${c2}"`), after.indexOf('</tr>', after.indexOf(`data-claim="${c2}"`)))
    expect(row).toContain('badge level-high')
    expect(row).toContain('Trật tự công cộng')
    expect(row).toContain('Người dùng officer')

    const mine = (await getPage(t, officerIn, '/console/kiem-chung?mine=1')).body
    expect(mine).toContain(`data-claim="${c2}"`)
    expect(mine).not.toContain(`data-claim="${c1}"`)
    const high = (await getPage(t, editorIn, '/console/kiem-chung?level=high')).body
    expect(high).toContain(`data-claim="${c2}"`)
    expect(high).not.toContain(`data-claim="${c1}"`)

    // An officer may investigate but not triage: refused before anything runs.
    const refused = await postForm(t, officerIn, `/console/kiem-chung/${first}/triage`, { harm: 'scam' })
    expect(refused.statusCode).toBe(403)
  })

  it('adds notes and tasks and marks a task done', async () => {
    const id = await staffEntry(t, officerIn, 'Tin đồn sạt lở đất chặn quốc lộ 217 đoạn qua huyện miền núi, xe không qua được')
    expect(
      (await postForm(t, officerIn, `/console/kiem-chung/${id}/notes`, { body: 'Đã gọi Công an xã: không có sạt lở.' })).statusCode,
    ).toBe(303)
    expect(
      (
        await postForm(t, officerIn, `/console/kiem-chung/${id}/tasks`, {
          title: 'Xin ảnh hiện trường từ Đội CSGT',
          assigneeId: officer.id,
        })
      ).statusCode,
    ).toBe(303)
    const [task] = await t.database.db.select().from(claimTasks).where(eq(claimTasks.claimId, id))
    expect(task).toMatchObject({ title: 'Xin ảnh hiện trường từ Đội CSGT', assigneeId: officer.id, doneAt: null })
    expect((await postForm(t, officerIn, `/console/kiem-chung/${id}/tasks/${task?.id}/done`)).statusCode).toBe(303)
    const [done] = await t.database.db
      .select()
      .from(claimTasks)
      .where(eq(claimTasks.id, task?.id as string))
    expect(done?.doneAt).toBeInstanceOf(Date)
    expect(await t.database.db.select().from(claimNotes).where(eq(claimNotes.claimId, id))).toHaveLength(1)
    const page = (await getPage(t, officerIn, `/console/kiem-chung/${id}`)).body
    expect(page).toContain('Đã gọi Công an xã: không có sạt lở.')
    expect(page).toContain('class="done"')
    const empty = await postForm(t, officerIn, `/console/kiem-chung/${id}/notes`, { body: '   ' })
    expect(empty.statusCode).toBe(400)
  })
})

describe('privacy and access', () => {
  it('never shows a submitter’s contact e-mail in the queue or on the claim page', async () => {
    const r = await publicSubmission('Tin nhắn lạ mời nhận quà tri ân của Công an tỉnh, yêu cầu bấm đường link để đăng ký nhận', CONTACT)
    const queue = await getPage(t, editorIn, '/console/kiem-chung?status=all')
    expect(queue.statusCode).toBe(200)
    expect(queue.body).not.toContain(CONTACT)
    expect(queue.body).not.toContain('@gmail.com')
    const page = await getPage(t, editorIn, `/console/kiem-chung/${r.claimId}`)
    expect(page.body).not.toContain(CONTACT)
    expect(page.body).toContain('có liên hệ')
  })

  it('refuses journalists and roles without the right (403), and unknown claims (404)', async () => {
    const id = await staffEntry(t, editorIn, 'Tin đồn có cướp giật dây chuyền hàng loạt ở phường Đông Hương tối qua')
    for (const url of ['/console/kiem-chung', `/console/kiem-chung/${id}`, '/console/kiem-chung/bang-dieu-khien']) {
      expect((await getPage(t, journalistIn, url)).statusCode, url).toBe(403)
    }
    expect((await postForm(t, journalistIn, '/console/kiem-chung', { text: 'Một tin đồn do nhà báo nhập' })).statusCode).toBe(403)
    expect((await getPage(t, officerIn, '/console/kiem-chung/bang-dieu-khien')).statusCode).toBe(403)
    expect((await postForm(t, officerIn, `/console/kiem-chung/${id}/merge`, { otherId: id, direction: 'into-this' })).statusCode).toBe(403)
    expect((await postForm(t, editorIn, `/console/kiem-chung/${id}/verdict/approve`)).statusCode).toBe(403)
    expect((await getPage(t, editorIn, '/console/kiem-chung/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404)
    const anonymous = await t.app.inject({ method: 'GET', url: '/console/kiem-chung' })
    expect(anonymous.statusCode).toBe(302)
  })

  it('shows the desk in the console navigation to staff, and exports the gauges', async () => {
    const page = await getPage(t, officerIn, '/console')
    expect(page.body).toContain('href="/console/kiem-chung"')
    expect((await getPage(t, journalistIn, '/console/account')).body).not.toContain('href="/console/kiem-chung"')
    const metrics = await renderMetrics()
    expect(metrics).toMatch(/donghanh_claims_open\{level="normal"\} [1-9]\d*/)
    expect(metrics).toMatch(/donghanh_claims_sla_breached\{level="critical"\} 0/)
  })
})
