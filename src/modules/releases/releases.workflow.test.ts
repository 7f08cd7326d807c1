/**
 * The release state machine as a table: every action tried in every state; legal ones
 * succeed, illegal ones are refused with a clear error. Plus four-eyes, the sealed-case
 * gate (refusals audited), schedule times, slugs and corrections.
 */
import { eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, load, makeSealedCase, makeSpokesperson, submitAndApprove } from '../../../test/support/releases.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { advanceClock, resetClock } from '../../platform/clock.ts'
import { both } from '../../platform/i18n/index.ts'
import { unsafeLoadCase } from '../cases/cases.repository.ts'
import { clearCase } from '../cases/commands/clear-case.ts'
import { approveRelease } from './commands/approve-release.ts'
import { editRelease } from './commands/edit-release.ts'
import { forcePublishRelease } from './commands/force-publish-release.ts'
import { rejectRelease } from './commands/reject-release.ts'
import { retroApproveRelease } from './commands/retro-approve-release.ts'
import { submitRelease } from './commands/submit-release.ts'
import { unscheduleRelease } from './commands/unschedule-release.ts'
import { markReleaseGone, withdrawRelease } from './commands/withdraw-release.ts'
import { sweepDueLifts } from './lift-scheduler.ts'
import { findPublicRelease } from './releases.public.ts'
import { releaseEditions } from './releases.tables.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let approver2: MadeUser
let admin: MadeUser
let officer: MadeUser
let sp: string

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  approver2 = await makeUser(t, { role: 'approver' })
  admin = await makeUser(t, { role: 'admin' })
  officer = await makeUser(t, { role: 'officer' })
  sp = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
})
afterEach(() => resetClock())

const who = (u: MadeUser) => ({ id: u.id, label: u.email })
const HOUR = 3_600_000

type State = 'draft' | 'submitted' | 'scheduled' | 'embargoed' | 'published' | 'withdrawn' | 'gone'
type Action = 'submit' | 'reject' | 'approve' | 'schedule' | 'unschedule' | 'withdraw' | 'gone' | 'force' | 'edit'

async function reach(state: State, title: string): Promise<string> {
  const id = await draft(t, editor, { spokespersonId: sp, content: { title } })
  if (state === 'draft') return id
  if (state === 'submitted') {
    await runAudited(t.database.pool, async (tx) => submitRelease({ tx, release: await load(t, id), actor: who(editor) }))
    return id
  }
  if (state === 'scheduled' || state === 'embargoed') {
    await submitAndApprove(t, id, editor, approver, state === 'scheduled' ? 'schedule' : 'embargo', new Date(Date.now() + 2 * HOUR))
    return id
  }
  await submitAndApprove(t, id, editor, approver, 'now')
  if (state === 'withdrawn')
    await runAudited(t.database.pool, async (tx) =>
      withdrawRelease({
        tx,
        release: await load(t, id),
        actor: who(approver),
        category: 'factual_error',
        reason: 'Thông tin cần được cập nhật lại',
        confirmed: true,
      }),
    )
  if (state === 'gone')
    await runAudited(t.database.pool, async (tx) =>
      markReleaseGone({ tx, release: await load(t, id), actor: who(admin), reason: 'Đăng nhầm, không phải thông cáo chính thức' }),
    )
  return id
}

async function act(action: Action, id: string): Promise<void> {
  await runAudited(t.database.pool, async (tx) => {
    const release = await load(t, id)
    switch (action) {
      case 'submit':
        return submitRelease({ tx, release, actor: who(editor) })
      case 'reject':
        return rejectRelease({ tx, release, actor: who(approver2), comment: 'Cần bổ sung nguồn' })
      case 'approve':
        return void (await approveRelease({ tx, release, actor: who(approver2), mode: 'now' }))
      case 'schedule':
        return void (await approveRelease({ tx, release, actor: who(approver2), mode: 'schedule', at: new Date(Date.now() + HOUR) }))
      case 'unschedule':
        return unscheduleRelease({ tx, release, actor: who(editor) })
      case 'withdraw':
        return withdrawRelease({
          tx,
          release,
          actor: who(approver),
          category: 'factual_error',
          reason: 'Thông tin đã thay đổi',
          confirmed: true,
        })
      case 'gone':
        return markReleaseGone({ tx, release, actor: who(admin), reason: 'Đăng nhầm thông tin' })
      case 'force':
        return void (await forcePublishRelease({ tx, release, actor: who(admin), reason: 'Khẩn cấp: cảnh báo lừa đảo đang lan rộng' }))
      case 'edit':
        return void (await editRelease({
          tx,
          release,
          actor: who(editor),
          content: { title: release.working.title, summary: 'Tóm tắt đã sửa', bodyMd: 'Nội dung đã sửa' },
        }))
    }
  })
}

const OK = 'ok'
// state → action → expected ('ok' or the error code)
const TABLE: Record<State, Record<Action, string>> = {
  draft: {
    submit: OK,
    reject: 'ILLEGAL_TRANSITION',
    approve: 'ILLEGAL_TRANSITION',
    schedule: 'ILLEGAL_TRANSITION',
    unschedule: 'ILLEGAL_TRANSITION',
    withdraw: 'ILLEGAL_TRANSITION',
    gone: 'ILLEGAL_TRANSITION',
    force: OK,
    edit: OK,
  },
  submitted: {
    submit: 'ILLEGAL_TRANSITION',
    reject: OK,
    approve: OK,
    schedule: OK,
    unschedule: 'ILLEGAL_TRANSITION',
    withdraw: 'ILLEGAL_TRANSITION',
    gone: 'ILLEGAL_TRANSITION',
    force: OK,
    edit: OK,
  },
  scheduled: {
    submit: 'ILLEGAL_TRANSITION',
    reject: 'ILLEGAL_TRANSITION',
    approve: 'ILLEGAL_TRANSITION',
    schedule: 'ILLEGAL_TRANSITION',
    unschedule: OK,
    withdraw: 'ILLEGAL_TRANSITION',
    gone: 'ILLEGAL_TRANSITION',
    force: OK,
    edit: 'ILLEGAL_TRANSITION',
  },
  embargoed: {
    submit: 'ILLEGAL_TRANSITION',
    reject: 'ILLEGAL_TRANSITION',
    approve: 'ILLEGAL_TRANSITION',
    schedule: 'ILLEGAL_TRANSITION',
    unschedule: OK,
    withdraw: 'ILLEGAL_TRANSITION',
    gone: 'ILLEGAL_TRANSITION',
    force: OK,
    edit: 'ILLEGAL_TRANSITION',
  },
  published: {
    submit: 'ILLEGAL_TRANSITION',
    reject: 'ILLEGAL_TRANSITION',
    approve: 'ILLEGAL_TRANSITION',
    schedule: 'ILLEGAL_TRANSITION',
    unschedule: 'ILLEGAL_TRANSITION',
    withdraw: OK,
    gone: OK,
    force: 'ILLEGAL_TRANSITION',
    edit: OK,
  },
  withdrawn: {
    submit: 'ILLEGAL_TRANSITION',
    reject: 'ILLEGAL_TRANSITION',
    approve: 'ILLEGAL_TRANSITION',
    schedule: 'ILLEGAL_TRANSITION',
    unschedule: 'ILLEGAL_TRANSITION',
    withdraw: 'ILLEGAL_TRANSITION',
    gone: OK,
    force: 'ILLEGAL_TRANSITION',
    edit: 'ILLEGAL_TRANSITION',
  },
  gone: {
    submit: 'ILLEGAL_TRANSITION',
    reject: 'ILLEGAL_TRANSITION',
    approve: 'ILLEGAL_TRANSITION',
    schedule: 'ILLEGAL_TRANSITION',
    unschedule: 'ILLEGAL_TRANSITION',
    withdraw: 'ILLEGAL_TRANSITION',
    gone: 'ILLEGAL_TRANSITION',
    force: 'ILLEGAL_TRANSITION',
    edit: 'ILLEGAL_TRANSITION',
  },
}

const cases = Object.entries(TABLE).flatMap(([state, row]) =>
  Object.entries(row).map(([action, expected]) => [state as State, action as Action, expected] as const),
)

describe('release state machine', () => {
  it.each(cases)('%s + %s → %s', async (state, action, expected) => {
    const id = await reach(state, `Tin ${state} ${action} ${Math.random().toString(36).slice(2, 7)}`)
    const result = await act(action, id).then(
      () => OK,
      (e: { code?: string; params?: Record<string, string> }) => {
        if (e.code === 'ILLEGAL_TRANSITION') {
          // The message names the action and the current status, in both languages.
          const msg = both('errors.ILLEGAL_TRANSITION', e.params ?? {})
          expect(msg.vi).toContain(e.params?.status)
          expect(msg.en).toContain(e.params?.action)
        }
        return e.code ?? String(e)
      },
    )
    expect(result).toBe(expected)
  })
})

describe('four-eyes', () => {
  it('refuses approval by the submitter, audits the refusal, and accepts another approver', async () => {
    const id = await draft(t, approver, { spokespersonId: sp, content: { title: 'Thông báo tuyển sinh hệ trung cấp' } })
    await runAudited(t.database.pool, async (tx) => submitRelease({ tx, release: await load(t, id), actor: who(approver) }))
    await expect(
      runAudited(t.database.pool, async (tx) => approveRelease({ tx, release: await load(t, id), actor: who(approver), mode: 'now' })),
    ).rejects.toMatchObject({ code: 'FOUR_EYES', status: 403 })
    const refusals = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))
    expect(refusals.find((a) => a.action === 'release.refused')?.summary).toMatchObject({ attempted: 'approve', reason: 'four_eyes' })
    expect((await load(t, id)).release.status).toBe('submitted')
    const r = await runAudited(t.database.pool, async (tx) =>
      approveRelease({ tx, release: await load(t, id), actor: who(approver2), mode: 'now' }),
    )
    expect(r.status).toBe('published')
  })

  it('retro-approval of a forced publication cannot be done by the admin who forced it', async () => {
    const id = await reach('draft', 'Cảnh báo khẩn về cuộc gọi giả danh công an')
    await act('force', id)
    const forced = await load(t, id)
    expect(forced.release).toMatchObject({ status: 'published', forcedBy: admin.id, retroApprovedBy: null })
    await expect(
      runAudited(t.database.pool, async (tx) => retroApproveRelease({ tx, release: await load(t, id), actor: who(admin) })),
    ).rejects.toMatchObject({ code: 'FOUR_EYES' })
    await runAudited(t.database.pool, async (tx) => retroApproveRelease({ tx, release: await load(t, id), actor: who(approver) }))
    expect((await load(t, id)).release.retroApprovedBy).toBe(approver.id)
  })

  it('force-publish needs a written reason', async () => {
    const id = await reach('draft', 'Tin cần lý do')
    await expect(
      runAudited(t.database.pool, async (tx) => forcePublishRelease({ tx, release: await load(t, id), actor: who(admin), reason: 'gấp' })),
    ).rejects.toMatchObject({ code: 'REASON_REQUIRED' })
  })
})

describe('sealed cases', () => {
  it('blocks submit, approve and publish naming the legal ground, audits each refusal, and opens after clearance', async () => {
    const caseId = await makeSealedCase(t, officer)
    const id = await draft(t, editor, { spokespersonId: sp, caseId, content: { title: 'Phá chuyên án lừa đảo xuyên quốc gia' } })
    const err = await runAudited(t.database.pool, async (tx) =>
      submitRelease({ tx, release: await load(t, id), actor: who(editor) }),
    ).catch((e) => e)
    expect(err).toMatchObject({ code: 'CASE_SEALED', status: 423 })
    expect(both('errors.CASE_SEALED', err.params).vi).toContain('Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)')
    await expect(
      runAudited(t.database.pool, async (tx) =>
        forcePublishRelease({ tx, release: await load(t, id), actor: who(admin), reason: 'Thử công bố trước khi giải mật' }),
      ),
    ).rejects.toMatchObject({ code: 'CASE_SEALED' })
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))
    const refused = audit.filter((a) => a.action === 'release.refused')
    expect(refused.map((a) => (a.summary as { attempted: string }).attempted).sort()).toEqual(['force-publish', 'submit'])
    expect(refused[0]?.summary).toMatchObject({ reason: 'case_sealed', ground: 'Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)' })
    // An approver who is a member clears the case; then the release goes through.
    const { addCaseMember } = await import('../cases/commands/manage-case-members.ts')
    await runAudited(t.database.pool, async (tx) =>
      addCaseMember({ tx, case: (await unsafeLoadCase(tx, t.tenant.id, caseId))!, actor: who(officer), email: approver.email }),
    )
    await runAudited(t.database.pool, async (tx) =>
      clearCase({
        tx,
        case: (await unsafeLoadCase(tx, t.tenant.id, caseId))!,
        actor: who(approver),
        scope: 'Được công bố kết quả phá án, không nêu tên đối tượng',
        groundLifted: 'Bí mật điều tra',
      }),
    )
    const r = await submitAndApprove(t, id, editor, approver, 'now')
    expect(r.status).toBe('published')
  })

  it('a lift refuses to publish when the case was sealed meanwhile (and audits it)', async () => {
    const id = await reach('scheduled', 'Tin hẹn giờ gắn chuyên án')
    const caseId = await makeSealedCase(t, officer)
    // Simulates a link made by SQL (the console refuses to link a scheduled release): the lift must still refuse.
    await t.database.pool.query('UPDATE releases SET case_id = $1 WHERE id = $2', [caseId, id])
    advanceClock(3 * HOUR)
    await sweepDueLifts(t.database)
    // Back in the approval queue, not retried in a loop.
    expect((await load(t, id)).release.status).toBe('submitted')
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.subjectId, id))
    expect(audit.some((a) => a.action === 'release.refused' && (a.summary as { attempted: string }).attempted === 'publish')).toBe(true)
  })
})

describe('publish gate (content checks)', () => {
  const risky = {
    title: 'Hung thủ sát hại cháu bé 15 tuổi đã bị bắt',
    summary: 'Công an đã bắt giữ đối tượng.',
    bodyMd: 'Nạn nhân là cháu Nguyễn Thị Lan, 15 tuổi, học sinh Trường THCS Lê Lợi. Hung thủ đã bị bắt.',
  }

  it('blocks approval on high-risk findings unless an override reason is recorded, without logging the personal data', async () => {
    const id = await draft(t, editor, { spokespersonId: sp, content: risky })
    await runAudited(t.database.pool, async (tx) => submitRelease({ tx, release: await load(t, id), actor: who(editor) }))
    const err = await runAudited(t.database.pool, async (tx) =>
      approveRelease({ tx, release: await load(t, id), actor: who(approver), mode: 'now' }),
    ).catch((e) => e)
    expect(err).toMatchObject({ code: 'PUBLISH_GATE', status: 422 })
    expect(Number(err.params.count)).toBeGreaterThanOrEqual(2)
    expect((await load(t, id)).release.status).toBe('submitted')
    await expect(
      runAudited(t.database.pool, async (tx) =>
        approveRelease({ tx, release: await load(t, id), actor: who(approver), mode: 'now', gateOverride: 'ngắn' }),
      ),
    ).rejects.toMatchObject({ code: 'PUBLISH_GATE' })
    const r = await runAudited(t.database.pool, async (tx) =>
      approveRelease({
        tx,
        release: await load(t, id),
        actor: who(approver),
        mode: 'now',
        gateOverride: 'Gia đình nạn nhân đồng ý công bố để tìm nhân chứng',
      }),
    )
    expect(r.status).toBe('published')
    const [row] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'release.gate_overridden'))
    expect(row?.summary).toMatchObject({ reason: 'Gia đình nạn nhân đồng ý công bố để tìm nhân chứng' })
    expect(JSON.stringify(row?.summary)).not.toContain('Nguyễn Thị Lan')
  })

  it('lets clean text through and accepts the right wording for the stage', async () => {
    const id = await draft(t, editor, {
      spokespersonId: sp,
      content: {
        title: 'Khởi tố bị can về tội lừa đảo',
        summary: 'Cơ quan điều tra đã khởi tố bị can.',
        bodyMd: 'Bị can N.V.A. (SN 1985) bị khởi tố về tội lừa đảo chiếm đoạt tài sản.',
      },
    })
    const r = await submitAndApprove(t, id, editor, approver, 'now')
    expect(r.status).toBe('published')
  })
})

describe('schedule and embargo times', () => {
  it('refuses times in the past and stores instants: +07:00 never publishes early', async () => {
    const id = await reach('submitted', 'Thông báo lịch tiếp công dân tháng 12')
    await expect(
      runAudited(t.database.pool, async (tx) =>
        approveRelease({ tx, release: await load(t, id), actor: who(approver), mode: 'schedule', at: new Date(Date.now() - 1000) }),
      ),
    ).rejects.toMatchObject({ code: 'SCHEDULE_IN_PAST' })
    // 10:00 in Hanoi is 03:00 UTC: the lift must not happen at 03:00 local server time nor at 10:00 UTC.
    const lift = new Date(Date.now() + 5 * HOUR)
    const hanoi = new Date(`${new Date(lift.getTime() + 7 * HOUR).toISOString().slice(0, 19)}+07:00`)
    expect(hanoi.getTime()).toBe(Math.floor(lift.getTime() / 1000) * 1000)
    await runAudited(t.database.pool, async (tx) =>
      approveRelease({ tx, release: await load(t, id), actor: who(approver), mode: 'schedule', at: hanoi }),
    )
    expect((await load(t, id)).release.publishAt?.toISOString()).toBe(hanoi.toISOString())
    advanceClock(hanoi.getTime() - Date.now() - 1000)
    expect(await sweepDueLifts(t.database)).toBe(0)
    expect((await load(t, id)).release.status).toBe('scheduled')
    advanceClock(1000)
    await sweepDueLifts(t.database)
    expect((await load(t, id)).release.status).toBe('published')
  })
})

describe('editions, slugs and corrections', () => {
  it('stores NFD and legacy-encoded titles as NFC; duplicate titles get distinct slugs', async () => {
    const nfd = 'Cảnh báo thủ đoạn lừa đảo mới'.normalize('NFD')
    const a = await draft(t, editor, { spokespersonId: sp, content: { title: nfd } })
    const b = await draft(t, editor, { spokespersonId: sp, content: { title: 'Cảnh báo thủ đoạn lừa đảo mới' } })
    const ra = await load(t, a)
    const rb = await load(t, b)
    expect(ra.working.title).toBe('Cảnh báo thủ đoạn lừa đảo mới')
    expect(ra.working.title).toBe(ra.working.title.normalize('NFC'))
    expect(ra.release.slug).toBe('canh-bao-thu-doan-lua-dao-moi')
    expect(rb.release.slug).toBe('canh-bao-thu-doan-lua-dao-moi-2')
    // TCVN3 (ABC) text pasted as Latin-1: "Thanh Hóa" typed in a .VnTime font.
    const legacy = await draft(t, editor, { spokespersonId: sp, content: { title: 'C«ng an tØnh Thanh Hãa th«ng b¸o' } })
    expect((await load(t, legacy)).working.title).toBe('Công an tỉnh Thanh Hóa thông báo')
  })

  it('keeps approved editions immutable: a correction is a new edition with a public note; old slugs redirect', async () => {
    const id = await reach('published', 'Thông báo phân luồng giao thông dịp lễ')
    const first = await load(t, id)
    expect(first.working.status).toBe('published')
    expect(first.working.verificationCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/)
    await runAudited(t.database.pool, async (tx) =>
      editRelease({
        tx,
        release: await load(t, id),
        actor: who(editor),
        content: { title: 'Thông báo phân luồng giao thông dịp Tết', summary: first.working.summary, bodyMd: first.working.bodyMd },
        changeNote: 'Sửa thời gian áp dụng',
      }),
    )
    const editing = await load(t, id)
    expect(editing.working.number).toBe(2)
    expect(editing.published?.number).toBe(1)
    expect(editing.release.status).toBe('published')
    // The first edition did not change.
    const [e1] = await t.database.db.select().from(releaseEditions).where(eq(releaseEditions.id, first.working.id))
    expect(e1?.title).toBe('Thông báo phân luồng giao thông dịp lễ')
    await submitAndApprove(t, id, editor, approver, 'now')
    const corrected = await load(t, id)
    expect(corrected.published?.number).toBe(2)
    expect(corrected.published?.changeNote).toBe('Sửa thời gian áp dụng')
    expect(corrected.release.slug).toBe('thong-bao-phan-luong-giao-thong-dip-tet')
    expect(await findPublicRelease(t.database.db, t.tenant.id, 'thong-bao-phan-luong-giao-thong-dip-le')).toEqual({
      redirectTo: 'thong-bao-phan-luong-giao-thong-dip-tet',
    })
    const [old] = await t.database.db.select().from(releaseEditions).where(eq(releaseEditions.id, first.working.id))
    expect(old?.status).toBe('superseded')
  })

  it('rejection returns the edition to draft with the comment', async () => {
    const id = await reach('submitted', 'Tin bị trả lại')
    await act('reject', id)
    const r = await load(t, id)
    expect(r.release.status).toBe('draft')
    expect(r.working).toMatchObject({ status: 'draft', rejectionComment: 'Cần bổ sung nguồn' })
  })

  it('unscheduling returns the item to submitted and clears the approval', async () => {
    const id = await reach('embargoed', 'Tin cấm đăng trước bị rút lại')
    await act('unschedule', id)
    const r = await load(t, id)
    expect(r.release).toMatchObject({ status: 'submitted', publishAt: null })
    expect(r.working).toMatchObject({ status: 'submitted', approvedBy: null })
  })
})
