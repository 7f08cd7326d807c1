/**
 * Withdrawal (issue 13, item 7): the approver confirms and chooses a category; both are
 * required by the server (400 in Vietnamese and English, nothing written). The category is
 * stored, audited and in the `release.withdrawn` event. For privacy (legal, safety, other) only
 * the notice stays public: no title, text, keywords, history, verification code, share card,
 * file, API text or verify-page match. After a factual error the text stays under the notice.
 * The console no longer calls a withdrawn edition "đang công bố".
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, type Login, loginAs } from '../../../test/support/app.ts'
import { load } from '../../../test/support/releases.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { domainEvents } from '../../platform/domain-events/domain-events.tables.ts'
import { compareText } from '../newsroom/verify.ts'
import { findVerifiableEditionByCode } from '../newsroom/verify-lookups.ts'
import { type NewsroomWorld, newsroomWorld, publishRelease, withdraw } from '../newsroom/newsroom.test-support.ts'
import { findPublicAttachment } from './console/console.queries.ts'
import { releaseAttachments, releases } from './releases.tables.ts'

const TITLE = 'Thông báo kết quả xác minh vụ việc tại phường Zyxprivacy'
const SUMMARY = 'Tóm tắt nêu tên người trình báo zyxsummary.'
const BODY =
  'Ông Trần Văn Zyxname, trú tại số 12 ngõ 5 đường Lê Lợi, đã đến trụ sở Công an phường trình báo sự việc. ' +
  'Công an phường đã tiếp nhận, xác minh và trả lời ông theo quy định của pháp luật hiện hành.'
const REASON = 'Tin nêu thông tin nhận diện người trình báo.'

let w: NewsroomWorld
let approverIn: Login

const get = (url: string, cookie?: string) => w.t.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} })
/** Posts the console's withdraw form as the approver. */
function postWithdraw(id: string, fields: Record<string, string>) {
  const f = form({ ...fields, _csrf: approverIn.csrf })
  return w.t.app.inject({
    method: 'POST',
    url: `/console/releases/${id}/withdraw`,
    payload: f.payload,
    headers: { ...f.headers, cookie: approverIn.cookie },
  })
}
const statusOf = async (id: string) => (await load(w.t, id)).release.status
const withdrawAudits = (id: string) =>
  w.t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'release.withdrawn'), eq(auditEvents.subjectId, id)))

beforeAll(async () => {
  w = await newsroomWorld()
  approverIn = await loginAs(w.t, w.approver)
})
afterAll(async () => {
  await w.t.close()
})

describe('withdrawing from the console', () => {
  it('the form asks for a category, a reason and a confirmation', async () => {
    const r = await publishRelease(w, { title: 'Thông báo zyxform', bodyMd: 'Nội dung thông báo.' })
    const page = await get(`/console/releases/${r.id}`, approverIn.cookie)
    const formHtml = /<form[^>]*action="[^"]*\/withdraw"[\s\S]*?<\/form>/.exec(page.body)?.[0] ?? ''
    expect(formHtml).toMatch(/<select name="category" required/)
    for (const c of ['factual_error', 'privacy', 'legal', 'safety', 'other']) expect(formHtml).toContain(`value="${c}"`)
    expect(formHtml).toMatch(/<input type="checkbox" name="confirm" value="yes" required/)
    expect(formHtml).toContain('Tôi xác nhận gỡ bỏ tin này')
  })

  it('without the confirmation, or without a category: 400 in Vietnamese and English, nothing written', async () => {
    const r = await publishRelease(w, { title: 'Thông báo zyxnoconfirm', bodyMd: 'Nội dung thông báo.' })
    const noConfirm = await postWithdraw(r.id, { category: 'privacy', reason: REASON })
    expect(noConfirm.statusCode).toBe(400)
    expect(noConfirm.body).toContain('Tôi xác nhận gỡ bỏ tin này')
    expect(noConfirm.body).toContain('I confirm the withdrawal of this release')
    const noCategory = await postWithdraw(r.id, { reason: REASON, confirm: 'yes' })
    expect(noCategory.statusCode).toBe(400)
    expect(noCategory.body).toContain('Hãy chọn loại lý do gỡ')
    expect(noCategory.body).toContain('Choose the kind of reason for the withdrawal')
    const unknown = await postWithdraw(r.id, { category: 'whim', reason: REASON, confirm: 'yes' })
    expect(unknown.statusCode).toBe(400)
    expect(await statusOf(r.id)).toBe('published')
    expect(await withdrawAudits(r.id)).toHaveLength(0)
  })

  it('withdrawn for privacy: stored, audited and in the event with its category; the console label no longer says "đang công bố"', async () => {
    const r = await publishRelease(w, { title: 'Thông báo zyxlabel', bodyMd: 'Nội dung thông báo.' })
    const res = await postWithdraw(r.id, { category: 'privacy', reason: REASON, confirm: 'yes' })
    expect(res.statusCode).toBe(303)
    const [row] = await w.t.database.db.select().from(releases).where(eq(releases.id, r.id))
    expect(row).toMatchObject({ status: 'withdrawn', withdrawnCategory: 'privacy', withdrawnReason: REASON })
    const [audit] = await withdrawAudits(r.id)
    expect(audit?.summary).toMatchObject({ category: 'privacy', reason: REASON, textRemoved: true })
    const [event] = await w.t.database.db
      .select()
      .from(domainEvents)
      .where(and(eq(domainEvents.type, 'release.withdrawn'), eq(domainEvents.subjectId, r.id)))
    expect(event?.payload).toMatchObject({ releaseId: r.id, category: 'privacy', reason: REASON, textRemoved: true })
    const page = await get(`/console/releases/${r.id}`, approverIn.cookie)
    expect(page.body).not.toContain('(đang công bố)')
    expect(page.body).toContain('Phiên bản #1 (đã công bố, nay đã gỡ)')
    expect(page.body).toContain('Quyền riêng tư (rút nội dung)')
    expect(page.body).toContain('chỉ còn thông báo gỡ bỏ')
  })
})

describe('what stays public', () => {
  it('privacy: only the notice (reason, category, date); the text is reachable nowhere public', async () => {
    const r = await publishRelease(w, { title: TITLE, summary: SUMMARY, bodyMd: BODY, tags: ['zyxtag'] })
    // A file of the release, added before publication (fixture: a row; serving is tested elsewhere).
    const [file] = await w.t.database.db
      .insert(releaseAttachments)
      .values({
        tenantId: w.t.tenant.id,
        releaseId: r.id,
        fileName: 'anh.png',
        fileType: 'png',
        sizeBytes: 1,
        sha256: 'x',
        storagePath: 'x',
        createdBy: w.editor.id,
        createdAt: new Date(Date.now() - 3_600_000),
      })
      .returning({ id: releaseAttachments.id })
    expect(await findPublicAttachment(w.t.database.db, w.t.tenant.id, file?.id as string)).toBeDefined()
    expect(await findVerifiableEditionByCode(w.t.database.db, w.t.tenant.id, r.code)).toBeDefined()

    await withdraw(w, r.id, REASON, 'privacy')

    const page = await get(`/tin/${r.slug}`)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('ĐÃ GỠ BỎ')
    expect(page.body).toContain('Tin này đã bị gỡ bỏ.')
    expect(page.body).toContain(REASON)
    expect(page.body).toContain('Bảo vệ quyền riêng tư')
    expect(page.body).toContain('Nội dung tin đã được rút khỏi trang này')
    expect(page.body).toContain('<title>Tin đã gỡ bỏ')
    const secrets = ['Zyxprivacy', 'zyxsummary', 'Zyxname', 'Lê Lợi', 'zyxtag', r.code]
    for (const s of secrets) expect(page.body, s).not.toContain(s)
    const en = await get(`/tin/${r.slug}?lang=en`)
    expect(en.body).toContain('Privacy protection')
    for (const s of secrets) expect(en.body, s).not.toContain(s)

    const api = await get(`/api/v1/releases/${r.slug}`)
    expect(api.statusCode).toBe(200)
    expect(api.json()).toMatchObject({ status: 'withdrawn', withdrawnReason: REASON, title: '', bodyMarkdown: '', corrections: [] })
    for (const s of secrets) expect(api.body, s).not.toContain(s)

    expect((await get(`/tin/${r.slug}/anh-chia-se.png`)).statusCode).toBe(404)
    expect((await get(`/api/v1/editions/${r.code}`)).statusCode).toBe(404)
    expect(await findVerifiableEditionByCode(w.t.database.db, w.t.tenant.id, r.code)).toBeUndefined()
    const verifyByCode = await get(`/xac-minh?ma=${encodeURIComponent(r.code)}`)
    for (const s of secrets.slice(0, 5)) expect(verifyByCode.body, s).not.toContain(s)
    // A pasted copy of the text is no longer matched (a match would show the text again).
    const pasted = await compareText(w.t.database.db, w.t.tenant.id, `${TITLE}\n${SUMMARY}\n${BODY}`)
    expect(pasted).not.toHaveProperty('found')
    expect(await findPublicAttachment(w.t.database.db, w.t.tenant.id, file?.id as string)).toBeUndefined()
    for (const url of ['/tin', '/rss.xml', '/sitemap.xml', '/tim-kiem?q=zyxprivacy', '/api/v1/releases?q=zyxprivacy'])
      for (const s of secrets) expect((await get(url)).body, `${url}: ${s}`).not.toContain(s)
  })

  it('factual error: the text stays under the notice, and still verifies', async () => {
    const r = await publishRelease(w, { title: 'Lịch tiếp công dân zyxfactual', summary: 'Tóm tắt.', bodyMd: 'Nội dung lịch zyxbody.' })
    await withdraw(w, r.id, 'Lịch tiếp công dân đã thay đổi, sẽ đăng lại.', 'factual_error')
    const page = await get(`/tin/${r.slug}`)
    expect(page.body).toContain('ĐÃ GỠ BỎ')
    expect(page.body).toContain('Lỗi thông tin')
    expect(page.body).toContain('zyxfactual')
    expect(page.body).toContain('zyxbody')
    expect(page.body).toContain('class="release-content withdrawn"')
    expect(await findVerifiableEditionByCode(w.t.database.db, w.t.tenant.id, r.code)).toBeDefined()
  })

  it('a row withdrawn before categories existed (none recorded) shows only the notice (fail closed)', async () => {
    const r = await publishRelease(w, { title: 'Tin cũ zyxlegacy', bodyMd: 'Nội dung cũ zyxlegacybody.' })
    await withdraw(w, r.id, 'Gỡ trước khi có loại lý do.', 'factual_error')
    await w.t.database.db.update(releases).set({ withdrawnCategory: null }).where(eq(releases.id, r.id))
    const page = await get(`/tin/${r.slug}`)
    expect(page.body).toContain('Gỡ trước khi có loại lý do.')
    // (The slug, made from the title when it was published, stays the page's address.)
    expect(page.body).not.toContain('Tin cũ zyxlegacy')
    expect(page.body).not.toContain('zyxlegacybody')
  })
})
