/**
 * Verdicts and the dashboard through HTTP, on a frozen clock: drafting with a live preview,
 * submitting, the four-eyes refusal (403 page, audited), rejection, approval by another
 * approver (published, mail queued for submitters with a contact), and dashboard figures that
 * match known timestamps (median time to verdict, open overdue, claims per label per week).
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { advanceClock, freezeClock, resetClock } from '../../../platform/clock.ts'
import { mailOutbox } from '../../../platform/mail/mail.tables.ts'
import { submitClaim } from '../commands/submit-claim.ts'
import { claims, verdicts } from '../factcheck.tables.ts'
import { getPage, postForm } from './desk.test-support.ts'

let t: TestApp
let approverA: MadeUser
let approverB: MadeUser
let editor: MadeUser
let officer: MadeUser
const HOUR = 3_600_000
const T0 = new Date()

beforeAll(async () => {
  t = await createTestApp()
  approverA = await makeUser(t, { role: 'approver' })
  approverB = await makeUser(t, { role: 'approver' })
  editor = await makeUser(t, { role: 'editor' })
  officer = await makeUser(t, { role: 'officer' })
})
afterAll(async () => {
  resetClock()
  await t.close()
})

async function publicSubmission(text: string, contactEmail?: string) {
  const r = await withTransaction(t.database.pool, (tx) =>
    submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: { id: null, label: 'public' }, text, contactEmail }),
  )
  return r
}

const statusOf = async (id: string) => (await t.database.db.select().from(claims).where(eq(claims.id, id)))[0]

let w: Awaited<ReturnType<typeof publicSubmission>>
let x: Awaited<ReturnType<typeof publicSubmission>>
let y: Awaited<ReturnType<typeof publicSubmission>>
let inA: Login
let inB: Login
let inEditor: Login

describe('verdicts', () => {
  it('sets up claims at known times', async () => {
    freezeClock(T0)
    w = await publicSubmission('Tin đồn nhà máy xi măng xả khói độc ban đêm khiến cả xã phải đi cấp cứu')
    advanceClock(73 * HOUR)
    x = await publicSubmission(
      'Thông tin trên mạng nói Công an tỉnh sẽ thu hồi toàn bộ căn cước công dân cũ từ ngày 1/1 năm sau',
      'first@gmail.com',
    )
    advanceClock(HOUR)
    y = await publicSubmission('Tin đồn Công an tỉnh tặng xe máy cho người dân trong chương trình tri ân cuối năm', 'second@gmail.com')
    advanceClock(4 * HOUR)
    // Sessions start now, on the frozen clock.
    inA = await loginAs(t, approverA)
    inB = await loginAs(t, approverB)
    inEditor = await loginAs(t, editor)
    expect(new Set([w.claimId, x.claimId, y.claimId]).size).toBe(3)
  })

  it('drafts with a live preview and the findings panel, keeps the values after a refusal', async () => {
    const page = (await getPage(t, inA, `/console/kiem-chung/${x.claimId}`)).body
    expect(page).toContain('hx-post="/console/checks/panel"')
    expect(page).toContain('hx-include="#verdict-form"')
    expect(page).toContain('name="title"')
    expect(page).toContain('name="bodyMd"')
    expect(page).toContain('Sai sự thật / False (1/5)')
    const preview = await postForm(t, inA, `/console/kiem-chung/${x.claimId}/verdict/preview`, {
      label: 'false',
      title: 'Tiêu đề',
      bodyMd: 'Căn cước **vẫn còn giá trị**.\n\n<script>alert(1)</script>',
    })
    expect(preview.statusCode).toBe(200)
    expect(preview.body).toContain('<strong>vẫn còn giá trị</strong>')
    expect(preview.body).not.toContain('<script>')
    const panel = await postForm(t, inA, '/console/checks/panel', {
      title: 'Sốc: căn cước bị thu hồi',
      bodyMd: 'Anh Nguyễn Văn An, 0912345678, nói vậy.',
    })
    expect(panel.statusCode).toBe(200)

    const short = await postForm(t, inA, `/console/kiem-chung/${x.claimId}/verdict`, {
      label: 'false',
      title: 'Căn cước công dân cũ vẫn còn giá trị',
      bodyMd: 'Quá ngắn',
    })
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('value="Căn cước công dân cũ vẫn còn giá trị"')
    expect(short.body).toContain('class="alert error"')

    const ok = await postForm(t, inA, `/console/kiem-chung/${x.claimId}/verdict`, {
      label: 'false',
      title: 'Căn cước công dân cũ vẫn còn giá trị sử dụng',
      bodyMd: 'Theo **Luật Căn cước 2023**, thẻ căn cước công dân đã cấp vẫn có giá trị đến hết thời hạn ghi trên thẻ.',
    })
    expect(ok.statusCode).toBe(303)
    expect((await statusOf(x.claimId))?.status).toBe('verdict_draft')
  })

  it('refuses the drafter’s own approval (403 page, audited) and publishes on another approver’s', async () => {
    expect((await postForm(t, inA, `/console/kiem-chung/${x.claimId}/verdict/submit`)).statusCode).toBe(303)
    const mine = (await getPage(t, inA, `/console/kiem-chung/${x.claimId}`)).body
    expect(mine).toContain('id="four-eyes-note"')
    expect(mine).not.toContain(`action="/console/kiem-chung/${x.claimId}/verdict/approve"`)

    const refused = await postForm(t, inA, `/console/kiem-chung/${x.claimId}/verdict/approve`)
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('Nguyên tắc bốn mắt')
    expect(refused.body).toContain('Four-eyes rule')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'verdict.refused'), eq(auditEvents.subjectId, x.claimId)))
    expect(audits).toHaveLength(1)
    expect(audits[0]?.actorId).toBe(approverA.id)
    expect((await statusOf(x.claimId))?.status).toBe('verdict_submitted')

    const theirs = (await getPage(t, inB, `/console/kiem-chung/${x.claimId}`)).body
    expect(theirs).toContain(`action="/console/kiem-chung/${x.claimId}/verdict/approve"`)
    const approved = await postForm(t, inB, `/console/kiem-chung/${x.claimId}/verdict/approve`)
    expect(approved.statusCode).toBe(303)
    const claim = await statusOf(x.claimId)
    expect(claim).toMatchObject({ status: 'published' })
    expect(claim?.slug).toBeTruthy()
    const page = (await getPage(t, inB, String(approved.headers.location))).body
    expect(page).toContain(`href="/kiem-chung/${claim?.slug}"`)
    expect(page).toContain('Đã duyệt và công bố')
    const mails = (await t.database.db.select().from(mailOutbox)).filter((m) => m.toAddress === 'first@gmail.com')
    expect(mails).toHaveLength(1)
    expect(mails[0]?.subject).toContain('Sai sự thật')
    const [v] = await t.database.db.select().from(verdicts).where(eq(verdicts.claimId, x.claimId))
    expect(v).toMatchObject({ status: 'published', createdBy: approverA.id, submittedBy: approverA.id, approvedBy: approverB.id })
  })

  it('lets an approver send a verdict back with a comment, then approves the resubmission', async () => {
    const base = `/console/kiem-chung/${y.claimId}/verdict`
    expect(
      (
        await postForm(t, inEditor, base, {
          label: 'scam',
          title: 'Tin nhắn trúng thưởng là lừa đảo',
          bodyMd: 'Công an tỉnh không tổ chức chương trình tri ân nào trao xe máy qua tin nhắn.',
        })
      ).statusCode,
    ).toBe(303)
    expect((await postForm(t, inEditor, `${base}/submit`)).statusCode).toBe(303)
    expect((await postForm(t, inB, `${base}/reject`, { comment: 'Bổ sung khuyến cáo cho người dân' })).statusCode).toBe(303)
    expect((await statusOf(y.claimId))?.status).toBe('verdict_draft')
    // The drafter sees why on the claim page.
    expect((await getPage(t, inEditor, `/console/kiem-chung/${y.claimId}`)).body).toContain(
      'bị trả lại / verdict returned: Bổ sung khuyến cáo cho người dân',
    )
    expect((await postForm(t, inB, `${base}/reject`, { comment: 'lần nữa' })).statusCode).toBe(409)
    expect((await postForm(t, inEditor, `${base}/submit`)).statusCode).toBe(303)
    expect((await postForm(t, inB, `${base}/approve`)).statusCode).toBe(303)
    expect((await statusOf(y.claimId))?.status).toBe('published')
    expect((await t.database.db.select().from(mailOutbox)).some((m) => m.toAddress === 'second@gmail.com')).toBe(true)
  })
})

describe('dashboard', () => {
  it('shows figures that match the claims created: median, overdue, labels per week — as accessible charts with tables', async () => {
    const res = await getPage(t, inB, '/console/kiem-chung/bang-dieu-khien?lang=en')
    expect(res.statusCode).toBe(200)
    const body = res.body
    const section = (id: string) =>
      body.slice(body.indexOf(`<section id="${id}"`), body.indexOf('</section>', body.indexOf(`<section id="${id}"`)))
    // X: 5 h (seen at T0+73 h, published at T0+78 h); Y: 4 h → median 4.5 h, both "normal".
    const median = section('median')
    expect(median).toContain('role="img"')
    expect(median).toContain('<title id="chart-median-title">')
    expect(median).toContain('<desc id="chart-median-desc">')
    expect(median).toMatch(/<th scope="row">Normal<\/th><td data-series="Median \(hours\)">4\.5<\/td>/)
    expect(median).toMatch(/<th scope="row">Critical<\/th><td data-series="Median \(hours\)">no data<\/td>/)
    // W is open and past its 72 h SLA; nothing was published late.
    const breaches = section('breaches')
    expect(breaches).toMatch(
      /<th scope="row">Normal<\/th><td data-series="Open and overdue">1<\/td><td data-series="Published late">0<\/td>/,
    )
    expect(breaches).toMatch(/<th scope="row">Critical<\/th><td data-series="Open and overdue">0<\/td>/)
    // One claim per label, both in the current week (the last row of 12).
    const labels = section('labels')
    expect(labels).toContain('2 claims got a published verdict in 12 weeks')
    const rows = labels.slice(labels.indexOf('<tbody>')).split('<tr>').slice(1)
    expect(rows).toHaveLength(12)
    expect(rows[11]).toContain('data-series="False">1<')
    expect(rows[11]).toContain('data-series="Scam">1<')
    expect(rows.slice(0, 11).join('')).not.toMatch(/data-series="(False|Scam)">[1-9]/)
    expect((body.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(4)
  })

  it('is refused to officers and journalists', async () => {
    const journalist = await loginAs(t, await makeUser(t, { role: 'journalist' }))
    expect((await getPage(t, await loginAs(t, officer), '/console/kiem-chung/bang-dieu-khien')).statusCode).toBe(403)
    expect((await getPage(t, journalist, '/console/kiem-chung/bang-dieu-khien')).statusCode).toBe(403)
  })
})
