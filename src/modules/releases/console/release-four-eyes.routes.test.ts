/**
 * Four-eyes by contributors through HTTP: an approver who wrote a release (or rewrote someone's
 * submitted draft) sees that they cannot approve it, with the contributors named on the approval
 * form, in the approval queue and on the diff page; their approval is refused with 403 and a
 * bilingual message, and audited; a third approver approves.
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { makeSpokesperson } from '../../../../test/support/releases.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { releaseEditions, releases } from '../releases.tables.ts'

let t: TestApp
let approverA: MadeUser
let editorB: MadeUser
let approverC: MadeUser
let inA: Login
let inB: Login
let inC: Login
let sp: string

beforeAll(async () => {
  t = await createTestApp()
  approverA = await makeUser(t, { role: 'approver' })
  editorB = await makeUser(t, { role: 'editor' })
  approverC = await makeUser(t, { role: 'approver' })
  // Distinct names, so the pages can be checked for who is named where.
  await t.database.db.update(users).set({ name: 'Lãnh đạo An' }).where(eq(users.id, approverA.id))
  await t.database.db.update(users).set({ name: 'Biên tập Bình' }).where(eq(users.id, editorB.id))
  await t.database.db.update(users).set({ name: 'Lãnh đạo Cường' }).where(eq(users.id, approverC.id))
  inA = await loginAs(t, approverA)
  inB = await loginAs(t, editorB)
  inC = await loginAs(t, approverC)
  sp = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
})

const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
const get = (login: Login, url: string, lang = 'vi') =>
  t.app.inject({ method: 'GET', url: `${url}${url.includes('?') ? '&' : '?'}lang=${lang}`, headers: { cookie: login.cookie } })

const FIELDS = {
  kind: 'press_release',
  summary: 'Tóm tắt ngắn gọn về vụ việc.',
  bodyMd: '## Diễn biến\n\nLực lượng chức năng đã bắt giữ **5 đối tượng**.',
  category: 'An ninh trật tự',
  tags: 'đánh bạc',
}

async function create(login: Login, title: string): Promise<string> {
  const res = await post(login, '/console/releases/new', { ...FIELDS, title, spokespersonId: sp })
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303)
  return (/^\/console\/releases\/([0-9a-f-]{36})/.exec(String(res.headers.location)) as RegExpExecArray)[1] as string
}

async function status(id: string) {
  return (await t.database.db.select().from(releases).where(eq(releases.id, id)))[0]?.status
}

const refusals = (id: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, 'release.refused'), eq(auditEvents.subjectId, id)))

describe('four-eyes by contributors (HTTP)', () => {
  it('A writes, B submits: A sees the contributors and the note, A’s approval is refused (403, audited), C approves', async () => {
    const id = await create(inA, 'Thông báo do lãnh đạo An tự soạn')
    expect((await post(inB, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)

    const queue = await get(inA, '/console/approvals')
    expect(queue.body).toContain('Bạn viết hoặc sửa — người khác phải duyệt')
    expect(queue.body).toContain('Lãnh đạo An')

    const page = await get(inA, `/console/releases/${id}`)
    expect(page.body).toContain('id="four-eyes-contributor-note"')
    expect(page.body).toContain('Người viết và sửa phiên bản #1')
    const list = /<ul[^>]*id="approval-contributors"[^>]*>([\s\S]*?)<\/ul>/.exec(page.body)?.[1] ?? ''
    expect(list).toContain('Lãnh đạo An')
    expect(list).toContain('Lãnh đạo / người phát ngôn')
    expect(list).toContain('soạn bản này')
    expect(list).not.toContain('Biên tập Bình')
    const en = await get(inA, `/console/releases/${id}`, 'en')
    expect(en.body).toContain('Who wrote and changed edition #1')
    expect(en.body).toContain('wrote it')

    const refused = await post(inA, `/console/releases/${id}/approve`, { mode: 'now' })
    expect(refused.statusCode).toBe(403)
    expect(refused.body).toContain('bạn đã viết hoặc sửa nội dung của bản này nên không được phê duyệt nó')
    expect(await status(id)).toBe('submitted')
    const audit = await refusals(id)
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actorId: approverA.id })
    expect(audit[0]?.summary).toMatchObject({ attempted: 'approve', reason: 'four_eyes_contributor', contributed: ['created'] })

    const theirs = await get(inC, `/console/releases/${id}`)
    expect(theirs.body).not.toContain('id="four-eyes-contributor-note"')
    expect((await post(inC, `/console/releases/${id}/approve`, { mode: 'now' })).statusCode).toBe(303)
    expect(await status(id)).toBe('published')
  })

  it('A rewrites B’s submitted draft, B resubmits: A is refused; the diff names both; C approves', async () => {
    const id = await create(inB, 'Tin của biên tập viên Bình')
    expect((await post(inB, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)
    const rewrite = await post(inA, `/console/releases/${id}`, {
      ...FIELDS,
      title: 'Tin của biên tập viên Bình',
      bodyMd: 'Nội dung do lãnh đạo An viết lại, khác hẳn bản gửi duyệt.',
      spokespersonId: sp,
    })
    expect(rewrite.statusCode, rewrite.body.slice(0, 400)).toBe(303)
    expect(await status(id)).toBe('draft')
    const [edition] = await t.database.db.select().from(releaseEditions).where(eq(releaseEditions.releaseId, id))
    expect(edition?.contributors.map((c) => [c.userId, c.what])).toEqual([
      [editorB.id, 'created'],
      [approverA.id, 'edited'],
    ])
    expect((await post(inB, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)

    const page = await get(inA, `/console/releases/${id}`)
    expect(page.body).toContain('id="four-eyes-contributor-note"')
    const refused = await post(inA, `/console/releases/${id}/approve`, { mode: 'now' })
    expect(refused.statusCode).toBe(403)
    expect((await refusals(id))[0]?.summary).toMatchObject({ reason: 'four_eyes_contributor', contributed: ['edited'] })

    const diff = await get(inC, `/console/releases/${id}/diff?from=1&to=1`)
    expect(diff.statusCode).toBe(200)
    const names = /<ul[^>]*id="contributors-1"[^>]*>([\s\S]*?)<\/ul>/.exec(diff.body)?.[1] ?? ''
    expect(names).toContain('Biên tập Bình')
    expect(names).toContain('Biên tập viên')
    expect(names).toContain('soạn bản này')
    expect(names).toContain('Lãnh đạo An')
    expect(names).toContain('sửa nội dung (1 lần)')

    expect((await post(inC, `/console/releases/${id}/approve`, { mode: 'now' })).statusCode).toBe(303)
    expect(await status(id)).toBe('published')
  })
})
