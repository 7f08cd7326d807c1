import { eq, sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { withSingleStatement, withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { mailOutbox } from '../../platform/mail/mail.tables.ts'
import { claimReview } from './claimreview.ts'
import { addEvidence } from './commands/add-evidence.ts'
import { mergeClaims, splitSubmission } from './commands/merge-claims.ts'
import { submitClaim } from './commands/submit-claim.ts'
import { triageClaim } from './commands/triage-claim.ts'
import { approveVerdict, draftVerdict, submitVerdict } from './commands/verdict-workflow.ts'
import { escalateOverdueClaims, purgeContacts } from './factcheck.jobs.ts'
import { findPublishedVerdict, suggestPublishedVerdicts, ticketStatus } from './factcheck.public.ts'
import { unsafeLoadClaim } from './factcheck.repository.ts'
import { refreshClaimCounts } from './refresh.ts'
import { claimSubmissions, claims } from './factcheck.tables.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let approver2: MadeUser
beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  approver2 = await makeUser(t, { role: 'approver' })
})
afterAll(async () => {
  await t.close()
})
afterEach(() => resetClock())

const PUBLIC = { id: null, label: 'public' }
const who = (u: MadeUser) => ({ id: u.id, label: u.email })
const submit = (text: string, extra: Partial<Parameters<typeof submitClaim>[0]> = {}) =>
  withTransaction(t.database.pool, (tx) => submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: PUBLIC, text, ...extra }))
const loadClaim = async (id: string) => (await unsafeLoadClaim(t.database.db, t.tenant.id, id))!

const RUMOUR = 'Có nhóm người đi xe bảy chỗ màu trắng bắt cóc trẻ em ở chợ Nông Cống chiều nay, phụ huynh cẩn thận đón con'

describe('intake', () => {
  it('is one statement for a public submission (no BEGIN/COMMIT needed); a second statement there is refused', async () => {
    const text = 'Có kẻ gian giả làm nhân viên điện lực đến từng nhà ở phường Hạc Thành thu tiền điện tháng này'
    const a = await withSingleStatement(t.database.pool, (tx) =>
      submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: PUBLIC, text, links: ['https://zalo.me/g/abc?utm_source=x'] }),
    )
    expect(a.duplicate).toBe(false)
    const [row] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.id, a.submissionId))
    expect(row).toMatchObject({ ticket: a.ticket, claimId: a.claimId, links: ['https://zalo.me/g/abc'] })
    // The same link joins the same claim, in one statement too.
    const b = await withSingleStatement(t.database.pool, (tx) =>
      submitClaim({
        tx,
        tenantId: t.tenant.id,
        channel: 'public',
        actor: PUBLIC,
        text: 'Ai biết vụ này không?',
        links: ['https://zalo.me/g/abc'],
      }),
    )
    expect(b).toMatchObject({ claimId: a.claimId, merged: true, duplicate: false })
    const refused = await withSingleStatement(t.database.pool, async (tx) => {
      await tx.execute(sql`SELECT 1`)
      await tx.execute(sql`SELECT 2`)
    }).catch((e: Error) => e)
    // Drizzle wraps the driver's error ("Failed query: …"); ours is its cause.
    expect(String((refused as Error & { cause?: Error }).cause?.message ?? refused)).toMatch(/second statement/)
  })

  it('gives a ticket code, recognises the same submission within minutes, and takes it again later', async () => {
    const a = await submit(RUMOUR, {
      contactEmail: 'me.nguoi.dan@gmail.com',
      links: ['https://www.facebook.com/groups/123/posts/456?utm_source=zalo&fbclid=x'],
    })
    expect(a.ticket).toMatch(/^KC-20\d\d-\d{5}-\d{5}$/)
    expect(a.duplicate).toBe(false)
    const again = await submit(RUMOUR, {
      contactEmail: 'me.nguoi.dan@gmail.com',
      links: ['https://www.facebook.com/groups/123/posts/456?utm_source=zalo&fbclid=x'],
    })
    expect(again).toMatchObject({ ticket: a.ticket, duplicate: true })
    const c = await loadClaim(a.claimId)
    expect(c.claim.requests).toBe(1)
    expect(c.claim.appearances).toEqual(['https://facebook.com/groups/123/posts/456'])
    // Nothing in the audit log names the person who asked.
    const audit = await t.database.db.select().from(auditEvents)
    expect(JSON.stringify(audit)).not.toContain('me.nguoi.dan')
    advanceClock(11 * 60_000)
    const later = await submit(RUMOUR, { contactEmail: 'me.nguoi.dan@gmail.com' })
    expect(later.duplicate).toBe(false)
    expect(later.ticket).not.toBe(a.ticket)
  })

  it('gives random ticket codes: neighbours share nothing, a code already held is skipped, typed forms and old codes look up', async () => {
    const a = await submit('Nghe nói cầu Hàm Rồng sắp bị đóng cửa hoàn toàn ba tháng để sửa chữa từ tuần sau')
    const b = await submit('Có tin đồn trường học ở huyện Quảng Xương cho học sinh nghỉ hết tuần vì dịch cúm')
    const digits = (code: string) => Number(code.slice(8).replace('-', ''))
    // Two tickets in a row are not numbers in a row (10^10 codes; a neighbour by chance: 2 in 10^10).
    expect(Math.abs(digits(a.ticket) - digits(b.ticket))).toBeGreaterThan(1)
    // A candidate an earlier ticket holds is passed over for the next one.
    const year = a.ticket.slice(3, 7)
    const c = await submit('Tin đồn chợ Vườn Hoa sẽ bị giải tỏa trong tháng tới để xây trung tâm thương mại', {
      ticketCodes: [a.ticket, `KC-${year}-00000-00001`, `KC-${year}-00000-00002`],
    })
    expect(c.ticket).toBe(`KC-${year}-00000-00001`)
    // The status finds a ticket however the code was typed, and codes from the old sequence still work.
    expect((await ticketStatus(t.database.db, t.tenant.id, ` kc ${year} 00000 00001 `))?.ticket).toBe(c.ticket)
    expect((await ticketStatus(t.database.db, t.tenant.id, `KC${year}0000000001`))?.ticket).toBe(c.ticket)
    await t.database.db
      .update(claimSubmissions)
      .set({ ticket: `KC-${year}-000042` })
      .where(eq(claimSubmissions.id, c.submissionId))
    expect((await ticketStatus(t.database.db, t.tenant.id, `kc-${year}-000042`))?.ticket).toBe(`KC-${year}-000042`)
    expect(await ticketStatus(t.database.db, t.tenant.id, `KC-${year}-00000-0001`)).toBeUndefined()
  })

  it('merges a reworded long text without diacritics, and the same link, into the claim; never a short text', async () => {
    const first = await submit(
      'Cảnh báo: đối tượng giả danh công an xã gọi điện yêu cầu người dân cài ứng dụng VNeID giả để cập nhật định danh mức 2',
    )
    const reworded = await submit(
      'canh bao doi tuong gia danh cong an xa goi dien yeu cau nguoi dan cai ung dung vneid gia de cap nhat dinh danh muc 2',
      { contactEmail: 'b@x.vn' },
    )
    expect(reworded.claimId).toBe(first.claimId)
    expect(reworded.merged).toBe(true)
    const short = await submit('công an gọi điện cài app')
    expect(short.claimId).not.toBe(first.claimId)
    const linked = await withTransaction(t.database.pool, (tx) =>
      submitClaim({
        tx,
        tenantId: t.tenant.id,
        channel: 'partner',
        actor: who(editor),
        text: 'Bài đăng lạ',
        links: ['https://facebook.com/groups/123/posts/456/'],
      }),
    )
    const rumour = (
      await t.database.db
        .select()
        .from(claims)
        .where(eq(claims.statement, RUMOUR.normalize('NFC')))
    )[0]
    expect(linked.claimId).toBe(rumour?.id)
    // Spread counts follow within seconds (the intake never locks a claim row).
    await refreshClaimCounts(t.database, { publicUrl: 'http://h' })
    expect((await loadClaim(linked.claimId)).claim.partnerReports).toBe(1)
    expect((await loadClaim(first.claimId)).claim.requests).toBe(2)
  })

  it('refuses javascript: and data: links, huge texts and empty submissions with clear errors; stores NFC', async () => {
    await expect(submit('Tin có đường dẫn lạ', { links: ['javascript:alert(1)'] })).rejects.toMatchObject({
      code: 'INVALID_LINK',
      status: 400,
    })
    await expect(submit('Tin có đường dẫn lạ', { links: ['data:text/html,<script>alert(1)</script>'] })).rejects.toMatchObject({
      code: 'INVALID_LINK',
    })
    await expect(submit('x'.repeat(1_048_576))).rejects.toMatchObject({ code: 'TEXT_TOO_LONG', status: 413 })
    await expect(submit('  ')).rejects.toMatchObject({ code: 'TEXT_TOO_SHORT' })
    const nfd = await submit('Tin đồn về việc phong tỏa cầu Hàm Rồng tối nay để diễn tập'.normalize('NFD'))
    const [row] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.id, nfd.submissionId))
    expect(row?.text).toBe('Tin đồn về việc phong tỏa cầu Hàm Rồng tối nay để diễn tập')
    // HTML is kept as text, never interpreted.
    const html = await submit('<img src=x onerror=alert(1)> tin đồn cúp điện toàn tỉnh')
    expect((await loadClaim(html.claimId)).claim.statement).toContain('<img src=x onerror=alert(1)>')
  })
})

describe('triage, merge and split', () => {
  it('raises priority and tightens the SLA with harm and spread', async () => {
    const a = await submit('Tin nhắn giả mạo Công an tỉnh yêu cầu chuyển tiền để được xóa lệnh truy nã, đang lan truyền trên Zalo')
    const before = await loadClaim(a.claimId)
    // The intake read the harm from the words ("giả mạo Công an"); the desk weighs it heavier.
    expect(before.claim.harm).toBe('impersonation')
    await runAudited(t.database.pool, async (tx) =>
      triageClaim({ tx, claim: await loadClaim(a.claimId), actor: who(editor), harm: 'public_order', assigneeId: approver.id }),
    )
    const after = await loadClaim(a.claimId)
    expect(after.claim.priority).toBeGreaterThan(before.claim.priority)
    expect(after.claim.status).toBe('investigating')
    expect(after.claim.slaDueAt.getTime()).toBeLessThanOrEqual(before.claim.slaDueAt.getTime())
    expect(after.claim.assignedTo).toBe(approver.id)
  })

  it('merges claims with history (tickets follow) and splits one back', async () => {
    const a = await submit('Sắp có bão lớn đổ bộ Thanh Hóa đêm nay, công an yêu cầu sơ tán toàn bộ huyện ven biển')
    const b = await submit('Nghe nói phải sơ tán hết dân ven biển vì bão, ai chưa đi sẽ bị phạt')
    expect(b.claimId).not.toBe(a.claimId)
    await runAudited(t.database.pool, async (tx) =>
      mergeClaims({ tx, source: await loadClaim(b.claimId), target: await loadClaim(a.claimId), actor: who(editor) }),
    )
    const target = await loadClaim(a.claimId)
    expect(target.submissions.map((s) => s.ticket)).toContain(b.ticket)
    expect(target.claim.requests).toBe(2)
    expect(target.history.map((h) => h.kind)).toContain('merged_from')
    expect((await loadClaim(b.claimId)).claim).toMatchObject({ status: 'merged', mergedInto: a.claimId })
    const status = await ticketStatus(t.database.db, t.tenant.id, b.ticket)
    expect(status?.status).toBe('new')
    const { claimId } = await runAudited(t.database.pool, async (tx) =>
      splitSubmission({ tx, claim: await loadClaim(a.claimId), submissionId: b.submissionId, actor: who(editor) }),
    )
    expect((await loadClaim(claimId)).submissions.map((s) => s.ticket)).toEqual([b.ticket])
    expect((await loadClaim(a.claimId)).claim.requests).toBe(1)
  })
})

describe('evidence', () => {
  it('stores hashes and capture times and is immutable', async () => {
    const a = await submit('Ảnh chụp thông báo giả của Công an tỉnh về việc cấm xe máy vào trung tâm từ tháng sau')
    const e = await runAudited(t.database.pool, async (tx) =>
      addEvidence({
        tx,
        claim: await loadClaim(a.claimId),
        actor: who(editor),
        input: {
          kind: 'page',
          url: 'https://example.vn/bai-viet?utm_source=fb',
          title: 'Bài đăng gốc',
          text: 'Thông báo cấm xe máy',
          html: '<p>Thông báo cấm xe máy</p>',
        },
      }),
    )
    expect(e.sha256).toMatch(/^[0-9a-f]{64}$/)
    await expect(t.database.pool.query('UPDATE claim_evidence SET title = $1 WHERE id = $2', ['sửa', e.id])).rejects.toThrow(/immutable/)
    await expect(t.database.pool.query('DELETE FROM claim_evidence WHERE id = $1', [e.id])).rejects.toThrow(/immutable/)
    await expect(
      runAudited(t.database.pool, async (tx) =>
        addEvidence({
          tx,
          claim: await loadClaim(a.claimId),
          actor: who(editor),
          input: {
            kind: 'file',
            title: 'ảnh',
            fileName: 'anh.png',
            data: Buffer.from('<html>not a png</html>'),
            dataDir: '/tmp/donghanh-test-uploads',
          },
        }),
      ),
    ).rejects.toMatchObject({ code: 'UPLOAD_TYPE_MISMATCH' })
  })
})

describe('verdicts', () => {
  it('publishes only after four-eyes approval, tells every submitter (merged ones too), and re-sends a correction', async () => {
    const a = await submit('Thông tin trên mạng nói Công an tỉnh Thanh Hóa sẽ thu hồi toàn bộ căn cước công dân cũ từ ngày 1/1 năm sau', {
      contactEmail: 'first@gmail.com',
    })
    const b = await submit('Nghe bảo căn cước cũ bị thu hồi hết, phải làm lại mất phí', { contactEmail: 'second@gmail.com' })
    await runAudited(t.database.pool, async (tx) =>
      mergeClaims({ tx, source: await loadClaim(b.claimId), target: await loadClaim(a.claimId), actor: who(editor) }),
    )
    const ev = await runAudited(t.database.pool, async (tx) =>
      addEvidence({
        tx,
        claim: await loadClaim(a.claimId),
        actor: who(editor),
        input: { kind: 'link', url: 'https://thanhhoa.gov.vn/thong-bao-can-cuoc', title: 'Thông báo chính thức' },
      }),
    )
    await runAudited(t.database.pool, async (tx) =>
      draftVerdict({
        tx,
        claim: await loadClaim(a.claimId),
        actor: who(editor),
        input: {
          label: 'false',
          headline: 'Căn cước công dân cũ vẫn còn giá trị sử dụng',
          explanationMd: 'Theo Luật Căn cước 2023, thẻ căn cước công dân đã cấp vẫn có giá trị đến hết thời hạn ghi trên thẻ.',
          evidenceIds: [ev.id],
        },
      }),
    )
    await runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await loadClaim(a.claimId), actor: who(approver) }))
    await expect(
      runAudited(t.database.pool, async (tx) =>
        approveVerdict({ tx, claim: await loadClaim(a.claimId), actor: who(approver), publicUrl: 'http://h', tenantName: 'CA' }),
      ),
    ).rejects.toMatchObject({ code: 'FOUR_EYES' })
    expect((await loadClaim(a.claimId)).claim.status).toBe('verdict_submitted')
    const r = await runAudited(t.database.pool, async (tx) =>
      approveVerdict({ tx, claim: await loadClaim(a.claimId), actor: who(approver2), publicUrl: 'http://h', tenantName: 'CA' }),
    )
    expect(r.notified).toBe(2)
    const mails = await t.database.db.select().from(mailOutbox)
    expect(
      mails
        .filter((m) => m.subject.includes('Sai sự thật'))
        .map((m) => m.toAddress)
        .sort(),
    ).toEqual(['first@gmail.com', 'second@gmail.com'])
    const status = await ticketStatus(t.database.db, t.tenant.id, b.ticket)
    expect(status).toMatchObject({ status: 'published', slug: r.slug, verdict: { label: 'false' }, text: null })
    const owner = await ticketStatus(
      t.database.db,
      t.tenant.id,
      b.ticket,
      (await loadClaim(a.claimId)).submissions.find((s) => s.ticket === b.ticket)?.ticketKey,
    )
    expect(owner?.text).toContain('căn cước cũ')
    // The page data and its ClaimReview.
    const page = await findPublishedVerdict(t.database.db, t.tenant.id, r.slug)
    expect(page?.evidence.map((e) => e.id)).toEqual([ev.id])
    const ld = claimReview({
      url: `http://h/kiem-chung/${r.slug}`,
      statement: page!.claim.statement,
      label: page!.verdict.label,
      headline: page!.verdict.headline,
      firstPublishedAt: page!.firstPublishedAt as Date,
      modifiedAt: page!.verdict.publishedAt as Date,
      appearances: page!.claim.appearances,
      firstSeenAt: page!.claim.firstSeenAt,
      author: { name: 'Công an tỉnh Thanh Hóa', url: 'http://h' },
    })
    for (const field of ['claimReviewed', 'reviewRating', 'url', 'author', 'datePublished', 'dateModified', 'itemReviewed', 'inLanguage'])
      expect(ld).toHaveProperty(field)
    expect(ld.reviewRating).toMatchObject({ ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'Sai sự thật' })
    // A second citizen asking in other words is shown the verdict at once.
    const suggestions = await suggestPublishedVerdicts(
      t.database.db,
      t.tenant.id,
      'co phai cong an thanh hoa thu hoi toan bo can cuoc cong dan cu tu ngay 1/1 nam sau khong',
    )
    expect(suggestions[0]?.slug).toBe(r.slug)
    // A correction goes to everyone who got the first.
    await runAudited(t.database.pool, async (tx) =>
      draftVerdict({
        tx,
        claim: await loadClaim(a.claimId),
        actor: who(editor),
        input: {
          label: 'false',
          headline: 'Căn cước công dân cũ vẫn còn giá trị sử dụng đến hết hạn',
          explanationMd: 'Bổ sung: thẻ hết hạn thì làm thủ tục cấp đổi miễn phí lần đầu theo quy định.',
          correctionNote: 'Bổ sung thông tin về cấp đổi',
        },
      }),
    )
    await runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await loadClaim(a.claimId), actor: who(editor) }))
    await runAudited(t.database.pool, async (tx) =>
      approveVerdict({ tx, claim: await loadClaim(a.claimId), actor: who(approver2), publicUrl: 'http://h', tenantName: 'CA' }),
    )
    const corrected = (await t.database.db.select().from(mailOutbox)).filter((m) => m.subject.includes('đã được đính chính'))
    expect(corrected.map((m) => m.toAddress).sort()).toEqual(['first@gmail.com', 'second@gmail.com'])
    // Someone who asks after publication (auto-merged into the claim) is told too.
    const late = await submit(
      'thong tin tren mang noi cong an tinh thanh hoa se thu hoi toan bo can cuoc cong dan cu tu ngay 1/1 nam sau',
      { contactEmail: 'late@gmail.com' },
    )
    expect(late.claimId).toBe(a.claimId)
    await refreshClaimCounts(t.database, { publicUrl: 'http://h' })
    const lateMail = (await t.database.db.select().from(mailOutbox)).filter((m) => m.toAddress === 'late@gmail.com')
    expect(lateMail).toHaveLength(1)
    expect(lateMail[0]?.textBody).toContain(`http://h/kiem-chung/${r.slug}`)
    await refreshClaimCounts(t.database, { publicUrl: 'http://h' })
    expect((await t.database.db.select().from(mailOutbox)).filter((m) => m.toAddress === 'late@gmail.com')).toHaveLength(1)
  })
})

describe('retention and escalation', () => {
  it('deletes contacts after the retention period and escalates overdue claims once', async () => {
    const a = await submit('Tin đồn nhà máy xả thải gây cá chết hàng loạt trên sông Mã, dân không nên ăn cá', {
      contactEmail: 'keep@gmail.com',
    })
    advanceClock(31 * 86_400_000)
    expect(await purgeContacts(t.database, 30)).toBeGreaterThanOrEqual(1)
    const [row] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.id, a.submissionId))
    expect(row).toMatchObject({ contactEmail: null })
    expect(row?.contactPurgedAt).toBeInstanceOf(Date)
    const n = await escalateOverdueClaims(t.database)
    expect(n).toBeGreaterThanOrEqual(1)
    expect(await escalateOverdueClaims(t.database)).toBe(0)
    const mails = (await t.database.db.select().from(mailOutbox)).filter((m) => m.subject.startsWith('Quá hạn kiểm chứng'))
    expect(mails.some((m) => m.toAddress === approver.email)).toBe(true)
  })
})
