/**
 * Automatic triage reads a rumour with its diacritics folded ("bat coc tre em o cho" is the
 * safety case "bắt cóc trẻ em ở chợ"), and staff set a severity by hand with a written reason:
 * audited, the SLA follows, and the automatic triage (recount, a change of harm, a merge) keeps it.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { mergeClaims } from '../commands/merge-claims.ts'
import { setClaimSeverity } from '../commands/set-claim-severity.ts'
import { submitClaim } from '../commands/submit-claim.ts'
import { triageClaim } from '../commands/triage-claim.ts'
import { unsafeLoadClaim } from '../factcheck.repository.ts'
import { refreshClaimCounts } from '../refresh.ts'
import { harmOf, slaHours } from '../triage.ts'
import { getPage, postForm } from './desk.test-support.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let editorIn: Login
let approverIn: Login
let officerIn: Login
let adminIn: Login

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  editorIn = await loginAs(t, editor)
  approverIn = await loginAs(t, approver)
  officerIn = await loginAs(t, await makeUser(t, { role: 'officer' }))
  adminIn = await loginAs(t, await makeUser(t, { role: 'admin' }))
})
afterAll(async () => {
  await t.close()
})

const HOUR = 3_600_000
const who = (u: MadeUser) => ({ id: u.id, label: u.email })
const submit = (text: string, links: string[] = []) =>
  withTransaction(t.database.pool, (tx) =>
    submitClaim({ tx, tenantId: t.tenant.id, channel: 'public', actor: { id: null, label: 'public' }, text, links }),
  )
const loadClaim = async (id: string) => (await unsafeLoadClaim(t.database.db, t.tenant.id, id))!
const auditOf = (claimId: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, claimId), eq(auditEvents.action, 'claim.severity_set')))

describe('automatic triage', () => {
  it('reads the harm with or without diacritics, in any case', () => {
    for (const text of ['bat coc tre em o cho', 'bắt cóc trẻ em ở chợ', 'BẮT CÓC TRẺ EM Ở CHỢ', 'Bắt cóc trẻ em ở chợ'.normalize('NFD')])
      expect(harmOf(text), text).toBe('safety')
    expect(harmOf('nha may nuoc Mat Son bi ke xau dau doc')).toBe('safety')
    expect(harmOf('Gia danh cong an goi dien bat chuyen tien')).toBe('impersonation')
    expect(harmOf('tin nhan trung thuong xe may, nap tien de nhan thuong')).toBe('scam')
    expect(harmOf('hàng trăm người tụ tập gây rối trước cổng UBND xã')).toBe('public_order')
    // Whole syllables only, and nothing without a harm word.
    expect(harmOf('batcoc')).toBe('other')
    expect(harmOf('Chợ Nông Cống họp phiên cuối năm vào sáng mai')).toBe('other')
  })

  it('opens an unaccented child-abduction rumour as a safety case with a 24-hour clock, not "other" at 3 days', async () => {
    const a = await submit('bat coc tre em o cho')
    const c = (await loadClaim(a.claimId)).claim
    expect(c).toMatchObject({ harm: 'safety', level: 'high' })
    expect(c.slaDueAt.getTime() - c.firstSeenAt.getTime()).toBe(slaHours().high * HOUR)
    const plain = (await loadClaim((await submit('Chợ Nông Cống họp phiên cuối năm vào sáng mai')).claimId)).claim
    expect(plain).toMatchObject({ harm: 'other', level: 'normal' })
  })
})

describe('severity set by hand', () => {
  it('sets harm and level with a reason, audited; the SLA follows; recount, triage and merge keep it', async () => {
    const a = await submit('Có người đồn chợ Đông Sơn sẽ đóng cửa cả tháng để xây mới', ['https://zalo.me/g/cho-dong-son'])
    const before = (await loadClaim(a.claimId)).claim
    expect(before).toMatchObject({ harm: 'other', level: 'normal', severitySetAt: null })
    await runAudited(t.database.pool, async (tx) =>
      setClaimSeverity({
        tx,
        claim: await loadClaim(a.claimId),
        actor: who(approver),
        harm: 'public_order',
        level: 'critical',
        reason: '  Tiểu thương đang kéo đến UBND phường, cần trả lời trong buổi sáng  ',
      }),
    )
    const set = (await loadClaim(a.claimId)).claim
    expect(set).toMatchObject({
      harm: 'public_order',
      level: 'critical',
      status: 'investigating',
      severitySetBy: approver.id,
      severityReason: 'Tiểu thương đang kéo đến UBND phường, cần trả lời trong buổi sáng',
    })
    expect(set.priority).toBeGreaterThanOrEqual(50)
    expect(set.slaDueAt.getTime() - set.firstSeenAt.getTime()).toBe(slaHours().critical * HOUR)
    const [audit] = await auditOf(a.claimId)
    expect(audit).toMatchObject({ actorId: approver.id })
    expect(audit?.summary).toMatchObject({
      harm: { before: 'other', after: 'public_order' },
      level: { before: 'normal', after: 'critical' },
      reason: 'Tiểu thương đang kéo đến UBND phường, cần trả lời trong buổi sáng',
    })

    // A manual level below what the harm computes stands too (a guess the desk knows is wrong).
    const abduction = await submit('bat coc tre em o cho Dong Son', ['https://zalo.me/g/bat-coc'])
    expect((await loadClaim(abduction.claimId)).claim.level).toBe('high')
    await runAudited(t.database.pool, async (tx) =>
      setClaimSeverity({
        tx,
        claim: await loadClaim(abduction.claimId),
        actor: who(editor),
        harm: 'safety',
        level: 'normal',
        reason: 'Ảnh cũ năm 2019, đã có kết luận; chỉ cần gộp và trả lời',
      }),
    )
    // More people ask (same link): the recount raises the spread but keeps the manual level.
    for (const text of ['ai biết vụ bắt cóc ở chợ Đông Sơn không', 'nghe nói có bắt cóc trẻ con ở chợ', 'thật không mọi người?'])
      await submit(text, ['https://zalo.me/g/bat-coc'])
    await refreshClaimCounts(t.database, { publicUrl: t.config.publicUrl, all: true })
    let kept = (await loadClaim(abduction.claimId)).claim
    expect(kept.requests).toBe(4)
    expect(kept).toMatchObject({ level: 'normal' })
    expect(kept.priority).toBeLessThan(30)
    expect(kept.slaDueAt.getTime() - kept.firstSeenAt.getTime()).toBe(slaHours().normal * HOUR)
    // A change of harm in the triage form keeps it.
    await runAudited(t.database.pool, async (tx) =>
      triageClaim({ tx, claim: await loadClaim(abduction.claimId), actor: who(editor), harm: 'public_order' }),
    )
    kept = (await loadClaim(abduction.claimId)).claim
    expect(kept).toMatchObject({ harm: 'public_order', level: 'normal' })
    // A merge into it keeps it.
    const other = await submit('bắt cóc trẻ em ở chợ Đông Sơn chiều nay, phụ huynh cẩn thận')
    expect(other.claimId).not.toBe(abduction.claimId)
    await runAudited(t.database.pool, async (tx) =>
      mergeClaims({ tx, source: await loadClaim(other.claimId), target: await loadClaim(abduction.claimId), actor: who(editor) }),
    )
    kept = (await loadClaim(abduction.claimId)).claim
    expect(kept).toMatchObject({ level: 'normal', severitySetBy: editor.id })
  })

  it('refuses a missing or short reason, an unknown level or harm, and a published or merged claim', async () => {
    const a = await submit('Đồn rằng cầu Hàm Rồng cấm xe tải từ tuần sau', [])
    const attempt = (o: { harm?: string; level?: string; reason?: string }) =>
      runAudited(t.database.pool, async (tx) =>
        setClaimSeverity({
          tx,
          claim: await loadClaim(a.claimId),
          actor: who(editor),
          harm: o.harm ?? 'other',
          level: o.level ?? 'high',
          reason: o.reason ?? 'Lý do đủ dài để được nhận',
        }),
      ).catch((e: unknown) => e)
    for (const [o, code] of [
      [{ reason: '' }, 'REASON_REQUIRED'],
      [{ reason: '   vội   ' }, 'REASON_REQUIRED'],
      [{ level: 'urgent' }, 'VALIDATION'],
      [{ harm: 'weather' }, 'VALIDATION'],
    ] as const) {
      const e = await attempt(o)
      expect(e, JSON.stringify(o)).toBeInstanceOf(AppError)
      expect((e as AppError).code).toBe(code)
    }
    expect((await loadClaim(a.claimId)).claim.severitySetAt).toBeNull()
    expect(await auditOf(a.claimId)).toHaveLength(0)
  })
})

describe('severity on the claim page', () => {
  it('an editor or approver sets it with a reason (shown, audited); an officer or admin cannot; no reason is a 400 in both languages', async () => {
    const a = await submit('Tin đồn mất điện toàn huyện Quảng Xương ba ngày để thay đường dây')
    const page = (await getPage(t, editorIn, `/console/kiem-chung/${a.claimId}`)).body
    expect(page).toContain(`action="/console/kiem-chung/${a.claimId}/severity"`)
    expect(page).toContain('Mức độ đặt tay')
    // Officers and admins neither see the form nor may post it (refused before anything runs).
    expect((await getPage(t, officerIn, `/console/kiem-chung/${a.claimId}`)).body).not.toContain('/severity"')
    for (const login of [officerIn, adminIn]) {
      const refused = await postForm(t, login, `/console/kiem-chung/${a.claimId}/severity`, {
        harm: 'safety',
        level: 'critical',
        reason: 'Tôi muốn đặt mức này',
      })
      expect(refused.statusCode).toBe(403)
    }
    // No reason: 400, both languages, what was chosen kept.
    const noReason = await postForm(t, editorIn, `/console/kiem-chung/${a.claimId}/severity`, {
      harm: 'safety',
      level: 'critical',
      reason: '',
    })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('Cần ghi rõ lý do (ít nhất 10 ký tự).')
    expect(noReason.body).toContain('A written reason is required (at least 10 characters).')
    expect(noReason.body).toMatch(/<option value="critical" selected/)
    expect((await loadClaim(a.claimId)).claim.level).toBe('normal')

    const ok = await postForm(t, approverIn, `/console/kiem-chung/${a.claimId}/severity`, {
      harm: 'public_order',
      level: 'high',
      reason: 'Điện lực xác nhận có cắt điện một phần, dân đang hỏi nhiều',
    })
    expect(ok.statusCode).toBe(303)
    expect(String(ok.headers.location)).toBe(`/console/kiem-chung/${a.claimId}?done=severitySet#severity-h`)
    const after = (await getPage(t, editorIn, String(ok.headers.location))).body
    expect(after).toContain('Đã đặt mức độ; hạn xử lý tính theo mức mới.')
    expect(after).toContain('id="severity-current"')
    expect(after).toContain('id="severity-manual"')
    expect(page).not.toContain('id="severity-manual"')
    expect(after).toContain('Điện lực xác nhận có cắt điện một phần, dân đang hỏi nhiều')
    expect((await loadClaim(a.claimId)).claim).toMatchObject({ level: 'high', harm: 'public_order', severitySetBy: approver.id })
    expect(await auditOf(a.claimId)).toHaveLength(1)
  })
})
