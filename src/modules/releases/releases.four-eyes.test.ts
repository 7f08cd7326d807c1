/**
 * Four-eyes by contributors (issue "four-eyes can be bypassed"): no one who wrote or changed
 * the text of an edition may approve it, whoever submitted it, in every approval mode and for
 * a retrospective approval. Refusals are audited; a third approver may approve. The list of
 * contributors is kept per edition and only grows; the database refuses an approver from it.
 */
import { readFile } from 'node:fs/promises'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { withTransaction } from '../../db/index.ts'
import { createTestApp, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, load, makeSpokesperson } from '../../../test/support/releases.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { runAudited } from '../../platform/audit/index.ts'
import { now } from '../../platform/clock.ts'
import { draftVerdict, submitVerdict } from '../factcheck/commands/verdict-workflow.ts'
import { submitClaim } from '../factcheck/commands/submit-claim.ts'
import { unsafeLoadClaim } from '../factcheck/factcheck.repository.ts'
import { verdicts } from '../factcheck/factcheck.tables.ts'
import { approveRelease, type PublishMode } from './commands/approve-release.ts'
import { editRelease } from './commands/edit-release.ts'
import { forcePublishRelease } from './commands/force-publish-release.ts'
import { retroApproveRelease } from './commands/retro-approve-release.ts'
import { submitRelease } from './commands/submit-release.ts'
import type { LoadedRelease } from './releases.repository.ts'
import { releaseEditions } from './releases.tables.ts'

let t: TestApp
let approverA: MadeUser
let editorB: MadeUser
let approverC: MadeUser
let admin: MadeUser
let sp: string

beforeAll(async () => {
  t = await createTestApp()
  approverA = await makeUser(t, { role: 'approver' })
  editorB = await makeUser(t, { role: 'editor' })
  approverC = await makeUser(t, { role: 'approver' })
  admin = await makeUser(t, { role: 'admin' })
  sp = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
})

const who = (u: MadeUser) => ({ id: u.id, label: u.email })
const HOUR = 3_600_000
const content = (r: LoadedRelease, patch: { title?: string; bodyMd?: string }) => ({
  title: patch.title ?? r.working.title,
  summary: r.working.summary,
  bodyMd: patch.bodyMd ?? r.working.bodyMd,
  category: r.working.category,
  tags: r.working.tags,
  communes: r.working.communes,
})

const submit = (id: string, u: MadeUser) =>
  runAudited(t.database.pool, async (tx) => submitRelease({ tx, release: await load(t, id), actor: who(u) }))
const edit = (id: string, u: MadeUser, patch: { title?: string; bodyMd?: string }, extra: { changeNote?: string } = {}) =>
  runAudited(t.database.pool, async (tx) => {
    const r = await load(t, id)
    return editRelease({ tx, release: r, actor: who(u), content: content(r, patch), ...extra })
  })
const approve = (id: string, u: MadeUser, mode: PublishMode = 'now') =>
  runAudited(t.database.pool, async (tx) =>
    approveRelease({ tx, release: await load(t, id), actor: who(u), mode, at: mode === 'now' ? null : new Date(now().getTime() + HOUR) }),
  )

async function refusals(id: string) {
  return t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'release.refused'), eq(auditEvents.subjectId, id)))
}

describe('four-eyes by contributors', () => {
  for (const mode of ['now', 'schedule', 'embargo'] as const) {
    it(`approver A writes, editor B submits, A approves (${mode}): refused and audited; approver C approves`, async () => {
      const id = await draft(t, approverA, { spokespersonId: sp, content: { title: `Thông báo lãnh đạo tự viết (${mode})` } })
      await submit(id, editorB)
      await expect(approve(id, approverA, mode)).rejects.toMatchObject({ code: 'FOUR_EYES_CONTRIBUTOR', status: 403 })
      const r = await load(t, id)
      expect(r.release.status).toBe('submitted')
      expect(r.working).toMatchObject({ status: 'submitted', approvedBy: null })
      const audit = await refusals(id)
      expect(audit).toHaveLength(1)
      expect(audit[0]).toMatchObject({ actorId: approverA.id })
      expect(audit[0]?.summary).toMatchObject({
        attempted: 'approve',
        reason: 'four_eyes_contributor',
        edition: 1,
        contributed: ['created'],
      })
      const ok = await approve(id, approverC, mode)
      expect(ok.status).toBe(mode === 'now' ? 'published' : mode === 'schedule' ? 'scheduled' : 'embargoed')
      expect((await load(t, id)).working.approvedBy).toBe(approverC.id)
    })
  }

  it('approver A rewrites B’s submitted draft, B resubmits, A approves: refused; C approves', async () => {
    const id = await draft(t, editorB, { spokespersonId: sp, content: { title: 'Tin của biên tập viên B' } })
    await submit(id, editorB)
    // A "reviews" by rewriting: the edition goes back to draft, A becomes a contributor.
    await edit(id, approverA, { bodyMd: 'Nội dung do lãnh đạo A viết lại hoàn toàn, khác bản của biên tập viên.' })
    const rewritten = await load(t, id)
    expect(rewritten.working.status).toBe('draft')
    expect(rewritten.working.createdBy).toBe(editorB.id)
    expect(rewritten.working.contributors.map((c) => [c.userId, c.what])).toEqual([
      [editorB.id, 'created'],
      [approverA.id, 'edited'],
    ])
    expect(Number.isNaN(Date.parse(rewritten.working.contributors[1]?.at ?? ''))).toBe(false)
    await submit(id, editorB)
    await expect(approve(id, approverA)).rejects.toMatchObject({ code: 'FOUR_EYES_CONTRIBUTOR' })
    expect((await refusals(id))[0]?.summary).toMatchObject({ reason: 'four_eyes_contributor', contributed: ['edited'] })
    expect((await load(t, id)).release.status).toBe('submitted')
    expect((await approve(id, approverC)).status).toBe('published')
  })

  it('the submitter rule stays: B writes, A submits, A approves → FOUR_EYES', async () => {
    const id = await draft(t, editorB, { spokespersonId: sp, content: { title: 'Tin do A gửi duyệt' } })
    await submit(id, approverA)
    await expect(approve(id, approverA)).rejects.toMatchObject({ code: 'FOUR_EYES' })
    expect((await refusals(id))[0]?.summary).toMatchObject({ reason: 'four_eyes' })
  })

  it('a correction: its writer cannot approve it; the author of the earlier edition, who did not touch it, can', async () => {
    const id = await draft(t, editorB, { spokespersonId: sp, content: { title: 'Tin sẽ được đính chính' } })
    await submit(id, editorB)
    await approve(id, approverC)
    const { created } = await edit(
      id,
      approverA,
      { bodyMd: 'Đính chính số liệu: 6 đối tượng, không phải 5.' },
      { changeNote: 'Sửa số đối tượng bị bắt' },
    )
    expect(created).toBe(true)
    const r = await load(t, id)
    expect(r.working.number).toBe(2)
    expect(r.working.contributors.map((c) => [c.userId, c.what])).toEqual([[approverA.id, 'created']])
    await submit(id, editorB)
    await expect(approve(id, approverA)).rejects.toMatchObject({ code: 'FOUR_EYES_CONTRIBUTOR' })
    expect((await approve(id, approverC)).status).toBe('published')
  })

  it('retro-approval of a forced publication is refused to whoever wrote the published text', async () => {
    const id = await draft(t, approverA, { spokespersonId: sp, content: { title: 'Cảnh báo khẩn do A soạn' } })
    await runAudited(t.database.pool, async (tx) =>
      forcePublishRelease({ tx, release: await load(t, id), actor: who(admin), reason: 'Khẩn cấp, cần công bố ngay trong đêm' }),
    )
    await expect(
      runAudited(t.database.pool, async (tx) => retroApproveRelease({ tx, release: await load(t, id), actor: who(approverA) })),
    ).rejects.toMatchObject({
      code: 'FOUR_EYES_CONTRIBUTOR',
    })
    expect((await refusals(id))[0]?.summary).toMatchObject({ attempted: 'retro-approve', reason: 'four_eyes_contributor' })
    await runAudited(t.database.pool, async (tx) => retroApproveRelease({ tx, release: await load(t, id), actor: who(approverC) }))
    expect((await load(t, id)).release.retroApprovedBy).toBe(approverC.id)
  })

  it('the database is the backstop: approved_by cannot name a contributor, and the list only grows', async () => {
    const id = await draft(t, approverA, { spokespersonId: sp, content: { title: 'Tin thử ràng buộc cơ sở dữ liệu' } })
    const { working } = await load(t, id)
    await expect(
      t.database.pool.query('UPDATE release_editions SET approved_by = $1 WHERE id = $2', [approverA.id, working.id]),
    ).rejects.toThrow(/four-eyes/)
    await expect(
      t.database.pool.query(`UPDATE release_editions SET contributors = '[]'::jsonb WHERE id = $1`, [working.id]),
    ).rejects.toThrow(/append-only/)
    const [row] = await t.database.db.select().from(releaseEditions).where(eq(releaseEditions.id, working.id))
    expect(row?.approvedBy).toBeNull()
    expect(row?.contributors).toHaveLength(1)
  })

  it('the migration backfills contributors from the authors and the edits in the audit chain', async () => {
    // A release written by B and rewritten in place by A; a correction written by C.
    const id = await draft(t, editorB, { spokespersonId: sp, content: { title: 'Tin để thử điền lại người viết' } })
    await edit(id, approverA, { bodyMd: 'Bản do A sửa lại.' })
    await submit(id, editorB)
    await approve(id, approverC)
    await edit(id, approverC, { bodyMd: 'Đính chính của C.' }, { changeNote: 'Sửa một chi tiết' })
    // A verdict drafted by B, rewritten by A, then by B again.
    const { claimId } = await withTransaction(t.database.pool, (tx) =>
      submitClaim({
        tx,
        tenantId: t.tenant.id,
        channel: 'public',
        actor: { id: null, label: 'public' },
        text: 'Tin đồn Công an tỉnh sẽ cấm xe máy vào trung tâm thành phố Thanh Hóa từ đầu tháng sau',
      }),
    )
    const input = {
      label: 'false',
      headline: 'Không có lệnh cấm xe máy',
      explanationMd: 'Công an tỉnh không ban hành văn bản nào cấm xe máy vào trung tâm thành phố.',
    }
    for (const u of [editorB, approverA, editorB]) {
      await runAudited(t.database.pool, async (tx) =>
        draftVerdict({ tx, claim: (await unsafeLoadClaim(tx, t.tenant.id, claimId))!, actor: who(u), input }),
      )
    }
    await runAudited(t.database.pool, async (tx) =>
      submitVerdict({ tx, claim: (await unsafeLoadClaim(tx, t.tenant.id, claimId))!, actor: who(editorB) }),
    )

    const sql = await readFile(new URL('../../db/migrations/0008_edition_contributors.sql', import.meta.url), 'utf8')
    const backfill = /-- backfill:begin[^\n]*\n([\s\S]*?)-- backfill:end/.exec(sql)?.[1]
    expect(backfill).toBeTruthy()
    const client = await t.database.pool.connect()
    try {
      // As before the migration: no lists (the append-only trigger is off while they are emptied).
      await client.query('BEGIN')
      await client.query('ALTER TABLE release_editions DISABLE TRIGGER release_editions_four_eyes')
      await client.query('ALTER TABLE verdicts DISABLE TRIGGER verdicts_four_eyes')
      await client.query(`UPDATE release_editions SET contributors = '[]'::jsonb WHERE release_id = $1`, [id])
      await client.query(`UPDATE verdicts SET contributors = '[]'::jsonb WHERE claim_id = $1`, [claimId])
      await client.query(backfill as string)
      await client.query('ALTER TABLE release_editions ENABLE TRIGGER release_editions_four_eyes')
      await client.query('ALTER TABLE verdicts ENABLE TRIGGER verdicts_four_eyes')
      await client.query('COMMIT')
    } catch (e) {
      await client.query('ROLLBACK')
      throw e
    } finally {
      client.release()
    }
    const editions = await t.database.db
      .select()
      .from(releaseEditions)
      .where(eq(releaseEditions.releaseId, id))
      .orderBy(releaseEditions.number)
    expect(editions.map((e) => e.contributors.map((c) => [c.userId, c.what]))).toEqual([
      [
        [editorB.id, 'created'],
        [approverA.id, 'edited'],
      ],
      [[approverC.id, 'created']],
    ])
    const [v] = await t.database.db.select().from(verdicts).where(eq(verdicts.claimId, claimId))
    expect(v?.contributors.map((c) => [c.userId, c.what])).toEqual([
      [editorB.id, 'created'],
      [approverA.id, 'edited'],
      [editorB.id, 'edited'],
    ])
    expect(v?.contributors.every((c) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(c.at))).toBe(true)
    // And the backfilled list is enforced like a recorded one: C wrote the correction.
    await submit(id, editorB)
    await expect(approve(id, approverC)).rejects.toMatchObject({ code: 'FOUR_EYES_CONTRIBUTOR' })
    expect((await approve(id, approverA)).status).toBe('published')
  })
})
