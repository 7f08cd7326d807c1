/**
 * The workflow buttons say only what will happen (issue 13, items 6 and 8): a draft linked to a
 * sealed case shows no "Gửi duyệt" button (submitRelease would refuse it) but a note saying
 * why, and the button comes back once the case is cleared; the embargo option and its notice
 * say that accredited journalists can read the release in their portal, not that it is sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { draft, load, makeSealedCase, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { unsafeLoadCase } from '../../cases/cases.repository.ts'
import { clearCase } from '../../cases/commands/clear-case.ts'
import { addCaseMember } from '../../cases/commands/manage-case-members.ts'
import { submitRelease } from '../commands/submit-release.ts'

let t: TestApp
let editor: MadeUser
let editorIn: Login
let approver: MadeUser
let approverIn: Login
let sp: string

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  editorIn = await loginAs(t, editor)
  approverIn = await loginAs(t, approver)
  sp = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
})

const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })
const loadCase = async (id: string, tx: Parameters<typeof unsafeLoadCase>[0]) => {
  const c = await unsafeLoadCase(tx, t.tenant.id, id)
  if (!c) throw new Error('case not found')
  return c
}

describe('the submit button and a sealed case', () => {
  it('is hidden, with a note why, while the linked case is sealed; back once it is cleared', async () => {
    const caseId = await makeSealedCase(t, approver, 'CA-SUBMIT-1')
    await withTransaction(t.database.pool, async (tx) =>
      addCaseMember({ tx, case: await loadCase(caseId, tx), actor: { id: approver.id, label: approver.email }, email: editor.email }),
    )
    const id = await draft(t, editor, { spokespersonId: sp, caseId, content: { title: 'Tin của chuyên án chờ giải mật' } })
    const sealed = await get(editorIn, `/console/releases/${id}`)
    expect(sealed.statusCode).toBe(200)
    expect(sealed.body).not.toContain(`action="/console/releases/${id}/submit"`)
    expect(sealed.body).toContain('id="submit-sealed-note"')
    expect(sealed.body).toContain('Chưa gửi duyệt được: tin gắn với chuyên án đang giữ bí mật.')
    const en = await get(editorIn, `/console/releases/${id}?lang=en`)
    expect(en.body).toContain('Cannot be submitted yet: the release is linked to a sealed case.')

    await withTransaction(t.database.pool, async (tx) =>
      clearCase({
        tx,
        case: await loadCase(caseId, tx),
        actor: { id: approver.id, label: approver.email },
        scope: 'Được công bố kết quả điều tra.',
        groundLifted: 'Bí mật điều tra',
      }),
    )
    const cleared = await get(editorIn, `/console/releases/${id}?lang=vi`)
    expect(cleared.body).toContain(`action="/console/releases/${id}/submit"`)
    expect(cleared.body).not.toContain('id="submit-sealed-note"')
  })

  it('a draft linked to no case keeps its button', async () => {
    const id = await draft(t, editor, { spokespersonId: sp, content: { title: 'Tin không gắn chuyên án' } })
    const page = await get(editorIn, `/console/releases/${id}`)
    expect(page.body).toContain(`action="/console/releases/${id}/submit"`)
    expect(page.body).not.toContain('id="submit-sealed-note"')
  })
})

describe('embargo wording', () => {
  it('says who receives an embargoed release and how: accredited partners only, with the lift time', async () => {
    const id = await draft(t, editor, { spokespersonId: sp, content: { title: 'Tin cấm đăng trước' } })
    await submitAndApprove(t, id, editor, approver, 'embargo', new Date(Date.now() + 86_400_000))
    const done = await get(approverIn, `/console/releases/${id}?done=embargoed`)
    expect(done.body).toContain('nhà báo đã xác minh xem được tin trong cổng nhà báo')
    expect(done.body).toContain('theo dõi ở trang Phân phối')
    const en = await get(approverIn, `/console/releases/${id}?done=embargoed&lang=en`)
    expect(en.body).toContain('can read it in the journalists&#39; portal')
    expect(en.body).toContain('follow it on the Distribution page')

    const pending = await draft(t, editor, { spokespersonId: sp, content: { title: 'Tin chờ duyệt' } })
    await withTransaction(t.database.pool, async (tx) =>
      submitRelease({ tx, release: await load(t, pending), actor: { id: editor.id, label: editor.email } }),
    )
    const approve = await get(approverIn, `/console/releases/${pending}?lang=vi`)
    expect(approve.body).toContain('chỉ đối tác được công nhận nhận ngay')
    expect(approve.body).not.toContain('hệ thống không gửi thư')
  })
})
