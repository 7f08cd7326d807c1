/**
 * The core commands of warnings on a real database: the whole life of a warning (draft →
 * four-eyes approval → Alert; update → Update; cancel → Cancel, each CAP message validated
 * against the OASIS schema and referencing the earlier ones), the urgent path with its
 * retrospective approval and overdue flag, closing a warning about a person, the audit row of
 * every decision and the domain event of every version.
 */
import { and, asc, eq, like } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import type { Tx } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { advanceClock, now, resetClock } from '../../../platform/clock.ts'
import { domainEvents } from '../../../platform/domain-events/domain-events.tables.ts'
import { AppError } from '../../../platform/errors.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { localInputValue } from '../../../platform/time.ts'
import { parseXml, text, validateCap } from '../cap/cap.test-support.ts'
import { capXmlOfVersion } from '../cap/cap-of.ts'
import { warningApprovals } from '../warnings.approvals.ts'
import { flagOverdueRetroApprovals } from '../warnings.jobs.ts'
import { publicWarningBySlug, publicWarnings } from '../warnings.public.ts'
import { loadWarning, publicStateOf, warningVersionsOf } from '../warnings.repository.ts'
import {
  approveWarning,
  cancelWarning,
  closeWarning,
  createWarning,
  parseWarningInput,
  publishUrgently,
  rejectWarning,
  retroApproveWarning,
  submitWarning,
  updateWarning,
  type WarningActor,
} from './index.ts'

let t: TestApp
let officer: MadeUser
let editor: MadeUser
let approverA: MadeUser
let approverB: MadeUser

beforeAll(async () => {
  t = await createTestApp()
  officer = await makeUser(t, { role: 'officer' })
  editor = await makeUser(t, { role: 'editor' })
  approverA = await makeUser(t, { role: 'approver' })
  approverB = await makeUser(t, { role: 'approver' })
})
afterEach(() => resetClock())
afterAll(async () => {
  await t?.close()
})

const as = (u: MadeUser): WarningActor => ({ id: u.id, label: u.email })
const policyActor = (u: MadeUser): Actor => ({ id: u.id, tenantId: t.tenant.id, role: u.role, email: u.email })
const run = <T>(fn: (tx: Tx) => Promise<T>) => runAudited(t.database.pool, fn)

/** The error code a command throws (fails the test when it does not throw an AppError). */
async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    if (e instanceof AppError) return e.code
    throw e
  }
  throw new Error('expected an AppError')
}

const SCAM = {
  kind: 'scam',
  level: 'alert',
  titleVi: 'Giả danh công an gọi điện yêu cầu nộp phạt nguội qua đường link',
  descriptionVi: 'Đối tượng tự xưng cán bộ Công an, báo có biên bản phạt nguội và gửi đường link để nộp tiền.',
  instructionVi: 'Không bấm đường link lạ, không chuyển tiền. Gọi 113 khi nghi ngờ.',
  titleEn: 'Callers posing as police ask for traffic fines through a link',
  descriptionEn: 'Callers claiming to be police officers send a link to pay a traffic fine.',
  communes: ['phuong-hac-thanh', 'xa-dong-tien', 'phuong-sam-son'],
  patterns: 'nộp phạt nguội qua đường link\ncán bộ công an gọi điện yêu cầu chuyển tiền',
  links: 'https://phatnguoi-csgt.example/tra-cuu?utm_source=zalo',
}

async function auditsOf(id: string): Promise<{ action: string; actorId: string | null; summary: Record<string, unknown> }[]> {
  return t.database.db
    .select({ action: auditEvents.action, actorId: auditEvents.actorId, summary: auditEvents.summary })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.tenantId, t.tenant.id),
        eq(auditEvents.subjectType, 'warning'),
        eq(auditEvents.subjectId, id),
        like(auditEvents.action, 'warning.%'),
      ),
    )
    .orderBy(asc(auditEvents.seq))
}

async function eventsOf(id: string) {
  return t.database.db
    .select({ type: domainEvents.type, payload: domainEvents.payload, actorId: domainEvents.actorId })
    .from(domainEvents)
    .where(and(eq(domainEvents.subjectType, 'warning'), eq(domainEvents.subjectId, id)))
    .orderBy(asc(domainEvents.id))
}

async function capOf(id: string, version: number): Promise<string> {
  const xml = await capXmlOfVersion(t.database.db, t.tenant.id, id, version, t.config.publicUrl)
  expect(xml, `CAP of version ${version}`).toBeTruthy()
  expect(await validateCap(xml as string)).toEqual({ valid: true, errors: [] })
  return xml as string
}

describe('the life of a warning', () => {
  it('draft → four-eyes approval → Alert; update → Update; cancel → Cancel, all audited and announced', async () => {
    const tenantId = t.tenant.id
    // An officer drafts; an approver changes the text (a contributor); the officer submits.
    const w = await run((tx) => createWarning({ tx, tenantId, actor: as(officer), input: parseWarningInput(SCAM) }))
    expect(w.code).toMatch(/^CB-\d{4}-\d{4,}$/)
    expect(w.slug).toMatch(/^gia-danh-cong-an-goi-dien-yeu-cau-nop-phat-nguoi-qua-duong-link-\d{4,}$/)
    expect(w).toMatchObject({ state: 'draft', review: 'none', dirty: true, version: 0, createdBy: officer.id, contributors: [officer.id] })
    expect(publicStateOf(w)).toBe('draft')

    await run((tx) =>
      updateWarning({ tx, tenantId, actor: as(approverA), id: w.id, input: parseWarningInput({ ...SCAM, level: 'advisory' }) }),
    )
    const submitted = await run((tx) => submitWarning({ tx, tenantId, actor: as(officer), id: w.id }))
    expect(submitted).toMatchObject({ review: 'submitted', submittedBy: officer.id })
    expect(submitted.contributors).toEqual([officer.id, approverA.id])

    // The approvals inbox lists it; four-eyes bars the approver who changed it.
    const forA = (await warningApprovals.list(policyActor(approverA), t.database.db)).filter((i) => i.id === w.id)
    expect(forA).toHaveLength(1)
    expect(forA[0]).toMatchObject({ kind: 'warning', href: `/console/canh-bao/${w.id}`, notYours: 'contributed' })
    const forB = (await warningApprovals.list(policyActor(approverB), t.database.db)).filter((i) => i.id === w.id)
    expect(forB[0]?.notYours).toBeUndefined()
    expect(warningApprovals.visible(policyActor(officer))).toBe(false)
    expect(warningApprovals.visible(policyActor(approverA))).toBe(true)

    // Refused for the contributor (audited, nothing published), then approved by another.
    expect(await codeOf(run((tx) => approveWarning({ tx, tenantId, actor: as(approverA), id: w.id })))).toBe('FOUR_EYES_CONTRIBUTOR')
    expect((await loadWarning(t.database.db, tenantId, w.id)).state).toBe('draft')
    expect(await warningVersionsOf(t.database.db, tenantId, w.id)).toEqual([])
    const v1 = await run((tx) => approveWarning({ tx, tenantId, actor: as(approverB), id: w.id }))
    expect(v1).toEqual({ version: 1 })
    const active = await loadWarning(t.database.db, tenantId, w.id)
    expect(active).toMatchObject({ state: 'active', version: 1, review: 'none', dirty: false, contributors: [] })
    expect(publicStateOf(active)).toBe('active')
    const alert = await capOf(w.id, 1)
    expect(text(parseXml(alert), 'msgType')).toBe('Alert')
    expect(alert).toContain('<severity>Moderate</severity>')

    // Nothing new to submit once published.
    expect(await codeOf(run((tx) => submitWarning({ tx, tenantId, actor: as(officer), id: w.id })))).toBe('WARNING_NOTHING_TO_PUBLISH')
    // The kind is fixed once published.
    expect(
      await codeOf(
        run((tx) => updateWarning({ tx, tenantId, actor: as(officer), id: w.id, input: parseWarningInput({ ...SCAM, kind: 'traffic' }) })),
      ),
    ).toBe('WARNING_INVALID')

    // An update: rejected once (reason required), then approved as an Update.
    const changed = { ...SCAM, level: 'alert', descriptionVi: `${SCAM.descriptionVi} Đã có 12 người dân bị lừa.` }
    await run((tx) => updateWarning({ tx, tenantId, actor: as(officer), id: w.id, input: parseWarningInput(changed) }))
    expect((await loadWarning(t.database.db, tenantId, w.id)).dirty).toBe(true)
    expect((await publicWarnings(t.database.db, tenantId)).find((x) => x.id === w.id)?.snapshot.level).toBe('advisory')
    await run((tx) => submitWarning({ tx, tenantId, actor: as(officer), id: w.id }))
    expect(await codeOf(run((tx) => rejectWarning({ tx, tenantId, actor: as(approverA), id: w.id, reason: '  ' })))).toBe('REASON_REQUIRED')
    const rejected = await run((tx) => rejectWarning({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'Ghi rõ số người bị hại' }))
    expect(rejected).toMatchObject({ review: 'none', dirty: true, submittedBy: null })
    expect(await codeOf(run((tx) => approveWarning({ tx, tenantId, actor: as(approverA), id: w.id })))).toBe('WARNING_NOT_SUBMITTED')
    await run((tx) => submitWarning({ tx, tenantId, actor: as(officer), id: w.id }))
    const v2 = await run((tx) => approveWarning({ tx, tenantId, actor: as(approverA), id: w.id, changeNote: 'Bổ sung số người bị hại' }))
    expect(v2).toEqual({ version: 2 })
    expect(publicStateOf(await loadWarning(t.database.db, tenantId, w.id))).toBe('updated')
    const seen = (await publicWarnings(t.database.db, tenantId)).find((x) => x.id === w.id)
    expect(seen?.snapshot.descriptionVi).toContain('12 người dân')
    expect(seen?.msgType).toBe('Update')

    const versions = await warningVersionsOf(t.database.db, tenantId, w.id)
    expect(versions.map((v) => [v.version, v.msgType, v.approvedBy, v.urgent])).toEqual([
      [1, 'Alert', approverB.id, false],
      [2, 'Update', approverA.id, false],
    ])
    const update = await capOf(w.id, 2)
    const refs2 = text(parseXml(update), 'references') ?? ''
    expect(text(parseXml(update), 'msgType')).toBe('Update')
    expect(refs2.split(' ')).toHaveLength(1)
    expect(refs2).toContain(`${versions[0]?.identifier},`)
    expect(refs2.startsWith(`${versions[0]?.sender},`)).toBe(true)

    // Cancel: a reason is required; the Cancel references both earlier messages.
    expect(await codeOf(run((tx) => cancelWarning({ tx, tenantId, actor: as(approverB), id: w.id, reason: 'sai' })))).toBe(
      'WARNING_CANCEL_REASON',
    )
    const v3 = await run((tx) =>
      cancelWarning({ tx, tenantId, actor: as(approverB), id: w.id, reason: 'Đường link đã bị gỡ, thủ đoạn không còn.' }),
    )
    expect(v3).toEqual({ version: 3 })
    const cancelled = await loadWarning(t.database.db, tenantId, w.id)
    expect(cancelled).toMatchObject({ state: 'cancelled', cancelReason: 'Đường link đã bị gỡ, thủ đoạn không còn.' })
    expect(publicStateOf(cancelled)).toBe('cancelled')
    const cancel = await capOf(w.id, 3)
    const all3 = await warningVersionsOf(t.database.db, tenantId, w.id)
    const refs3 = (text(parseXml(cancel), 'references') ?? '').split(' ')
    expect(text(parseXml(cancel), 'msgType')).toBe('Cancel')
    expect(refs3).toHaveLength(2)
    expect(refs3[0]).toContain(all3[0]?.identifier as string)
    expect(refs3[1]).toContain(all3[1]?.identifier as string)
    expect((await publicWarnings(t.database.db, tenantId)).map((x) => x.id)).not.toContain(w.id)
    expect((await publicWarnings(t.database.db, tenantId, { ended: true })).find((x) => x.id === w.id)?.state).toBe('cancelled')

    // A cancelled warning is done: no more changes, no second cancel.
    expect(
      await codeOf(run((tx) => updateWarning({ tx, tenantId, actor: as(officer), id: w.id, input: parseWarningInput(changed) }))),
    ).toBe('WARNING_STATE')
    expect(await codeOf(run((tx) => cancelWarning({ tx, tenantId, actor: as(approverB), id: w.id, reason: 'Lần hai thì sao' })))).toBe(
      'WARNING_STATE',
    )

    // Every decision audited, the refusal in its own transaction.
    const audits = await auditsOf(w.id)
    expect(audits.map((a) => a.action)).toEqual([
      'warning.created',
      'warning.updated',
      'warning.submitted',
      'warning.refused',
      'warning.approved',
      'warning.updated',
      'warning.submitted',
      'warning.rejected',
      'warning.submitted',
      'warning.approved',
      'warning.cancelled',
    ])
    expect(audits[1]?.summary.changed).toEqual(['level'])
    expect(audits[3]).toMatchObject({ actorId: approverA.id, summary: { attempted: 'approve', why: 'contributed' } })
    expect(audits[7]?.summary.reason).toBe('Ghi rõ số người bị hại')

    // One domain event per version, in order.
    const events = await eventsOf(w.id)
    expect(events.map((e) => [e.type, e.payload.version, e.payload.msgType, e.payload.state])).toEqual([
      ['warning.published', 1, 'Alert', 'active'],
      ['warning.published', 2, 'Update', 'active'],
      ['warning.published', 3, 'Cancel', 'cancelled'],
    ])
    expect(events[0]?.payload.communes).toEqual(SCAM.communes)
  })

  it('refuses the submitter and a malformed or foreign id', async () => {
    const tenantId = t.tenant.id
    const w = await run((tx) => createWarning({ tx, tenantId, actor: as(approverA), input: parseWarningInput(SCAM) }))
    await run((tx) => submitWarning({ tx, tenantId, actor: as(approverA), id: w.id }))
    expect(await codeOf(run((tx) => approveWarning({ tx, tenantId, actor: as(approverA), id: w.id })))).toBe('FOUR_EYES')
    const refused = (await auditsOf(w.id)).filter((a) => a.action === 'warning.refused')
    expect(refused).toHaveLength(1)
    expect(refused[0]?.summary).toMatchObject({ attempted: 'approve', why: 'submitted' })
    expect(await codeOf(run((tx) => approveWarning({ tx, tenantId, actor: as(approverA), id: 'không-phải-uuid' })))).toBe(
      'WARNING_NOT_FOUND',
    )
    expect(await codeOf(loadWarning(t.database.db, '00000000-0000-4000-8000-000000000000', w.id))).toBe('WARNING_NOT_FOUND')
  })
})

describe('the urgent path', () => {
  it('an approver publishes alone at once; only another confirms; overdue flagged and audited once', async () => {
    const tenantId = t.tenant.id
    const w = await run((tx) => createWarning({ tx, tenantId, actor: as(approverA), input: parseWarningInput(SCAM) }))
    expect(await codeOf(run((tx) => publishUrgently({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'gấp' })))).toBe(
      'WARNING_URGENT_REASON',
    )
    const before = now().getTime()
    const r = await run((tx) =>
      publishUrgently({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'Hàng chục cuộc gọi trong sáng nay' }),
    )
    expect(r.version).toBe(1)
    expect(r.retroDueAt.getTime() - before).toBeGreaterThanOrEqual(24 * 3_600_000)
    expect(r.retroDueAt.getTime() - before).toBeLessThan(24 * 3_600_000 + 60_000)
    expect((await publicWarnings(t.database.db, tenantId)).map((x) => x.id)).toContain(w.id)
    const [v1] = await warningVersionsOf(t.database.db, tenantId, w.id)
    expect(v1).toMatchObject({ msgType: 'Alert', urgent: true, publishedBy: approverA.id, approvedBy: null })
    await capOf(w.id, 1)
    expect(await loadWarning(t.database.db, tenantId, w.id)).toMatchObject({
      urgentBy: approverA.id,
      urgentReason: 'Hàng chục cuộc gọi trong sáng nay',
      retroApprovedBy: null,
    })
    // Nothing left to publish urgently again.
    expect(await codeOf(run((tx) => publishUrgently({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'Lần nữa cho chắc' })))).toBe(
      'WARNING_NOTHING_TO_PUBLISH',
    )

    // The publisher cannot confirm it (audited); the inbox says so.
    expect(await codeOf(run((tx) => retroApproveWarning({ tx, tenantId, actor: as(approverA), id: w.id })))).toBe('FOUR_EYES')
    const itemA = (await warningApprovals.list(policyActor(approverA), t.database.db)).find((i) => i.id === w.id)
    expect(itemA).toMatchObject({ notYours: 'submitted', submittedBy: approverA.id })
    const itemB = (await warningApprovals.list(policyActor(approverB), t.database.db)).find((i) => i.id === w.id)
    expect(itemB?.notYours).toBeUndefined()
    expect(itemB?.tags?.map((x) => x.key)).toEqual(['warnings.approvals.urgent'])

    // Not yet due: the job leaves it; 24 h later it flags it, once.
    expect(await flagOverdueRetroApprovals(t.database)).toBe(0)
    advanceClock(24 * 3_600_000 + 60_000)
    expect(await flagOverdueRetroApprovals(t.database)).toBeGreaterThanOrEqual(1)
    expect(await flagOverdueRetroApprovals(t.database)).toBe(0)
    const flagged = await loadWarning(t.database.db, tenantId, w.id)
    expect(flagged.retroOverdueAt).not.toBeNull()
    const overdueAudits = (await auditsOf(w.id)).filter((a) => a.action === 'warning.retro_overdue')
    expect(overdueAudits).toHaveLength(1)
    expect(overdueAudits[0]).toMatchObject({ actorId: null, summary: { urgentBy: approverA.id } })
    const lateItem = (await warningApprovals.list(policyActor(approverB), t.database.db)).find((i) => i.id === w.id)
    expect(lateItem?.tags?.map((x) => x.key)).toEqual(['warnings.approvals.urgent', 'warnings.approvals.overdue'])

    // Another approver confirms it, late (said in the audit); the version gets its approver.
    const confirmed = await run((tx) => retroApproveWarning({ tx, tenantId, actor: as(approverB), id: w.id }))
    expect(confirmed).toMatchObject({ retroApprovedBy: approverB.id })
    expect((await warningVersionsOf(t.database.db, tenantId, w.id))[0]?.approvedBy).toBe(approverB.id)
    expect(await codeOf(run((tx) => retroApproveWarning({ tx, tenantId, actor: as(approverB), id: w.id })))).toBe('WARNING_NOT_URGENT')
    expect((await warningApprovals.list(policyActor(approverB), t.database.db)).find((i) => i.id === w.id)).toBeUndefined()

    const audits = await auditsOf(w.id)
    expect(audits.map((a) => a.action)).toEqual([
      'warning.created',
      'warning.published_urgently',
      'warning.refused',
      'warning.retro_overdue',
      'warning.retro_approved',
    ])
    expect(audits[1]?.summary).toMatchObject({ reason: 'Hàng chục cuộc gọi trong sáng nay', version: 1, msgType: 'Alert' })
    expect(audits[2]?.summary).toMatchObject({ attempted: 'retro-approve', why: 'urgent_publisher' })
    expect(audits[4]?.summary).toMatchObject({ late: true, urgentBy: approverA.id, version: 1 })
    expect((await eventsOf(w.id)).map((e) => [e.payload.msgType, e.payload.urgent])).toEqual([['Alert', true]])
  })

  it('an urgent update of an active warning is an Update; a timely confirmation is not late', async () => {
    const tenantId = t.tenant.id
    const w = await run((tx) => createWarning({ tx, tenantId, actor: as(officer), input: parseWarningInput(SCAM) }))
    await run((tx) => submitWarning({ tx, tenantId, actor: as(officer), id: w.id }))
    await run((tx) => approveWarning({ tx, tenantId, actor: as(approverA), id: w.id }))
    const validFrom = localInputValue(w.validFrom)
    await run((tx) =>
      updateWarning({ tx, tenantId, actor: as(approverA), id: w.id, input: parseWarningInput({ ...SCAM, validFrom, validUntil: '' }) }),
    )
    // The level was already alert: nothing changed, nothing written.
    expect((await loadWarning(t.database.db, tenantId, w.id)).dirty).toBe(false)
    await run((tx) =>
      updateWarning({
        tx,
        tenantId,
        actor: as(approverA),
        id: w.id,
        input: parseWarningInput({ ...SCAM, validFrom, communes: [...SCAM.communes, 'xa-dong-thanh'] }),
      }),
    )
    const r = await run((tx) => publishUrgently({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'Lan sang xã Đông Thành' }))
    expect(r.version).toBe(2)
    const xml = await capOf(w.id, 2)
    expect(text(parseXml(xml), 'msgType')).toBe('Update')
    await run((tx) => retroApproveWarning({ tx, tenantId, actor: as(approverB), id: w.id }))
    const last = (await auditsOf(w.id)).at(-1)
    expect(last).toMatchObject({ action: 'warning.retro_approved', summary: { late: false, version: 2 } })
    expect((await warningVersionsOf(t.database.db, tenantId, w.id)).map((v) => v.approvedBy)).toEqual([approverA.id, approverB.id])
  })
})

describe('closing a warning about a person', () => {
  it('a found missing person comes down from every public list; the page says only "closed"', async () => {
    const tenantId = t.tenant.id
    const input = parseWarningInput({
      kind: 'missing_person',
      level: 'advisory',
      titleVi: 'Tìm người mất tích: cháu Trần Thị Mai, 9 tuổi',
      descriptionVi: 'Cháu Trần Thị Mai rời nhà ở phường Hạc Thành chiều 5/12.',
      communes: 'phuong-hac-thanh',
      consentGiven: 'on',
      consentNote: 'Mẹ của cháu đồng ý, ký biên bản tại Công an phường',
    })
    const w = await run((tx) => createWarning({ tx, tenantId, actor: as(officer), input }))
    expect(w).toMatchObject({ consentRecordedBy: officer.id, consentNote: 'Mẹ của cháu đồng ý, ký biên bản tại Công an phường' })
    expect(w.consentAt).not.toBeNull()
    // Only an active warning is closed.
    expect(await codeOf(run((tx) => closeWarning({ tx, tenantId, actor: as(editor), id: w.id, reason: 'found' })))).toBe('WARNING_STATE')
    await run((tx) => publishUrgently({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'Trẻ em mất tích, cần tìm ngay' }))
    expect((await publicWarnings(t.database.db, tenantId)).map((x) => x.id)).toContain(w.id)

    expect(await codeOf(run((tx) => closeWarning({ tx, tenantId, actor: as(editor), id: w.id, reason: 'escaped' as 'found' })))).toBe(
      'WARNING_CLOSE_REASON',
    )
    const r = await run((tx) =>
      closeWarning({ tx, tenantId, actor: as(editor), id: w.id, reason: 'found', note: 'Cháu đã về nhà an toàn' }),
    )
    expect(r).toEqual({ version: 2 })
    const closed = await loadWarning(t.database.db, tenantId, w.id)
    expect(closed).toMatchObject({ state: 'closed', closeReason: 'found' })
    expect(publicStateOf(closed)).toBe('closed')
    expect((await publicWarnings(t.database.db, tenantId, { ended: true })).map((x) => x.id)).not.toContain(w.id)
    const bySlug = await publicWarningBySlug(t.database.db, tenantId, w.slug)
    expect(bySlug.kind).toBe('closed')
    expect(JSON.stringify(bySlug)).not.toContain('Mai')
    expect(await capXmlOfVersion(t.database.db, tenantId, w.id, 1, t.config.publicUrl)).toBeNull()
    const cancel = await capOf(w.id, 2)
    expect(cancel).not.toContain('Mai')
    expect(text(parseXml(cancel), 'msgType')).toBe('Cancel')
    // A closed warning stays closed.
    expect(await codeOf(run((tx) => closeWarning({ tx, tenantId, actor: as(editor), id: w.id, reason: 'found' })))).toBe('WARNING_STATE')
    expect((await auditsOf(w.id)).at(-1)).toMatchObject({
      action: 'warning.closed',
      actorId: editor.id,
      summary: { reason: 'found', version: 2, note: 'Cháu đã về nhà an toàn' },
    })
    expect((await eventsOf(w.id)).map((e) => [e.payload.msgType, e.payload.state])).toEqual([
      ['Alert', 'active'],
      ['Cancel', 'closed'],
    ])
  })

  it('refuses to close a scam warning (cancel it instead)', async () => {
    const tenantId = t.tenant.id
    const w = await run((tx) => createWarning({ tx, tenantId, actor: as(officer), input: parseWarningInput(SCAM) }))
    await run((tx) => publishUrgently({ tx, tenantId, actor: as(approverA), id: w.id, reason: 'Đang có nhiều nạn nhân' }))
    expect(await codeOf(run((tx) => closeWarning({ tx, tenantId, actor: as(editor), id: w.id, reason: 'other' })))).toBe(
      'WARNING_NOT_PERSON',
    )
    expect((await loadWarning(t.database.db, tenantId, w.id)).state).toBe('active')
    expect((await auditsOf(w.id)).map((a) => a.action)).toEqual(['warning.created', 'warning.published_urgently'])
  })
})
