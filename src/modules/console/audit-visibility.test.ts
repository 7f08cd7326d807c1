/**
 * Need-to-know across the console's cross-module pages. An approver who is not on sealed
 * case CA-2026-017 (and an admin, who has no bypass) gets 404 on the case and its release;
 * the audit log keeps the rows (sequence, time, action, the actor's role) but masks their
 * details and says so, its search and actor filter cannot find them, and no other list or
 * counter (dashboard, calendar, release lists, approvals, cases, spokespersons, outbox)
 * shows the title, the case code, the ground or the lead officer. A member sees them all;
 * after clearance, everyone on staff does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../test/support/app.ts'
import { draft, makeSealedCase, makeSpokesperson } from '../../../test/support/releases.ts'
import { withTransaction } from '../../db/index.ts'
import { recordAudit } from '../../platform/audit/index.ts'
import { unsafeLoadCase } from '../cases/cases.repository.ts'
import { addCaseMember } from '../cases/commands/manage-case-members.ts'
import { delegateSpokesperson } from '../spokespersons/commands/save-spokesperson.ts'

const CODE = 'CA-2026-017'
const CASE_TITLE = 'Chuyên án đường dây lừa đảo qua mạng'
const GROUND = 'Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)'
const RELEASE_TITLE = 'Triệt phá đường dây lừa đảo chiếm đoạt 40 tỷ đồng'
const DELEGATE = 'Thượng tá Lê Văn Bảo Mật'
const MASKED = 'đã che: chỉ người được phân công'

let t: TestApp
let lead: MadeUser
let member: MadeUser
let memberIn: Login
let outsider: MadeUser
let outsiderIn: Login
let adminIn: Login
let caseId: string
let releaseId: string

const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })
const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
/**
 * The secrets of the case, any of which appearing on a page is a leak. (The delegate's name
 * belongs to the spokesperson register, which shows the delegation "for a case you may not
 * see"; the audit row of the delegation masks it with the rest of its payload.)
 */
const secrets = (o: { delegate?: boolean } = { delegate: true }) => [
  CODE,
  CASE_TITLE,
  GROUND,
  RELEASE_TITLE,
  ...(o.delegate ? [DELEGATE] : []),
  lead.email,
  lead.id,
  caseId,
  releaseId,
]
/** Rows of the audit table's body. */
const auditRows = (html: string) => (/<tbody>([\s\S]*?)<\/tbody>/.exec(html)?.[1] ?? '').split('<tr').length - 1

beforeAll(async () => {
  t = await createTestApp()
  lead = await makeUser(t, { role: 'officer' })
  member = await makeUser(t, { role: 'approver' })
  outsider = await makeUser(t, { role: 'approver' })
  const admin = await makeUser(t, { role: 'admin' })
  const writer = await makeUser(t, { role: 'editor' })
  memberIn = await loginAs(t, member)
  outsiderIn = await loginAs(t, outsider)
  adminIn = await loginAs(t, admin)
  caseId = await makeSealedCase(t, lead, CODE)
  await withTransaction(t.database.pool, async (tx) => {
    const loaded = await unsafeLoadCase(tx, t.tenant.id, caseId)
    if (!loaded) throw new Error('no case')
    for (const p of [member, writer]) await addCaseMember({ tx, case: loaded, actor: { id: lead.id, label: lead.email }, email: p.email })
  })
  const sp = await makeSpokesperson(t)
  releaseId = await draft(t, writer, { spokespersonId: sp, caseId, content: { title: RELEASE_TITLE } })
  await withTransaction(t.database.pool, (tx) =>
    delegateSpokesperson({
      tx,
      tenantId: t.tenant.id,
      actor: { id: lead.id, label: lead.email },
      spokespersonId: sp,
      delegateName: DELEGATE,
      delegateTitle: 'Trưởng phòng',
      caseId,
      validUntil: new Date(Date.now() + 86_400_000),
    }),
  )
  // The lift job's refusal names the case and its ground (lift-release.ts).
  await withTransaction(t.database.pool, (tx) =>
    recordAudit(tx, {
      tenantId: t.tenant.id,
      actor: { id: null, label: 'system' },
      action: 'release.refused',
      subjectType: 'release',
      subjectId: releaseId,
      summary: { attempted: 'publish', reason: 'case_sealed', caseCode: CODE, ground: GROUND, returnedTo: 'submitted' },
    }),
  )
})
afterAll(async () => {
  await t.close()
})

describe('audit log under need-to-know', () => {
  it('outsiders (an approver, an admin) get 404 on the case and the release', async () => {
    for (const who of [outsiderIn, adminIn]) {
      expect((await get(who, `/console/cases/${caseId}`)).statusCode).toBe(404)
      expect((await get(who, `/console/releases/${releaseId}`)).statusCode).toBe(404)
    }
  })

  it('an outsider sees the rows, masked and marked, with no title, code, ground or lead officer', async () => {
    for (const who of [outsiderIn, adminIn]) {
      const page = await get(who, '/console/audit')
      expect(page.statusCode).toBe(200)
      // The actor filter lists every account of the office, which says nothing about the
      // case; the lead officer must not appear in the rows.
      const table = /<table>[\s\S]*<\/table>/.exec(page.body)?.[0] ?? ''
      for (const s of secrets()) expect(table, s).not.toContain(s)
      for (const s of secrets().filter((x) => x !== lead.email && x !== lead.id)) expect(page.body, s).not.toContain(s)
      expect(page.body).toContain(MASKED)
      // The rows keep their place: the case's creation, members, the release, the refusal.
      for (const action of ['case.created', 'case.member_added', 'release.created', 'release.refused', 'spokesperson.delegated'])
        expect(page.body).toContain(action)
      // The actor's role instead of their identity.
      expect(page.body).toContain('Cán bộ nghiệp vụ')
      const en = await get(who, '/console/audit?lang=en')
      expect(en.body).toContain('masked: need-to-know')
    }
  })

  it('search and the actor filter cannot find masked rows', async () => {
    for (const q of [CODE, 'lừa đảo', 'lua dao', GROUND, DELEGATE, lead.email, caseId]) {
      const res = await get(outsiderIn, `/console/audit?q=${encodeURIComponent(q)}`)
      expect(res.statusCode).toBe(200)
      expect(auditRows(res.body), q).toBe(1)
      expect(res.body).toContain('Không có sự kiện nào.')
      expect(res.body).not.toContain(MASKED)
    }
    const byLead = await get(outsiderIn, `/console/audit?actor=${lead.id}`)
    expect(byLead.body).not.toContain(MASKED)
    expect(byLead.body).toContain('Không có sự kiện nào.')
    // A filter on what is visible (the action) still lists the masked rows.
    const created = await get(outsiderIn, '/console/audit?action=case.created')
    expect(created.body).toContain(MASKED)
  })

  it('a member sees every detail and finds the rows by search', async () => {
    const page = await get(memberIn, '/console/audit')
    for (const s of [CODE, GROUND, RELEASE_TITLE, DELEGATE, lead.email]) expect(page.body, s).toContain(s)
    expect(page.body).not.toContain(MASKED)
    const found = await get(memberIn, `/console/audit?q=${encodeURIComponent('lua dao')}`)
    expect(found.body).not.toContain('Không có sự kiện nào.')
    expect(found.body).toContain(RELEASE_TITLE)
  })
})

describe('other cross-module lists under need-to-know', () => {
  const LISTS = [
    '/console',
    '/console/calendar',
    '/console/releases?tab=scheduled',
    '/console/releases?tab=drafts',
    '/console/approvals',
    '/console/cases',
    '/console/spokespersons',
  ]

  /**
   * Runs `fn` while the release is a scheduled lift overdue by an hour (what the dashboard
   * warns of). The row stays locked meanwhile, so the lift scheduler of this process, which
   * locks it before acting, waits; it is back to a draft before the lock is released.
   */
  async function whileOverdue(fn: () => Promise<void>) {
    const client = await t.database.pool.connect()
    try {
      await client.query(`UPDATE releases SET status = 'scheduled', publish_at = now() - interval '1 hour' WHERE id = $1`, [releaseId])
      await client.query('BEGIN')
      await client.query('SELECT 1 FROM releases WHERE id = $1 FOR UPDATE', [releaseId])
      try {
        await fn()
      } finally {
        await client.query(`UPDATE releases SET status = 'draft', publish_at = NULL WHERE id = $1`, [releaseId])
        await client.query('COMMIT')
      }
    } finally {
      client.release()
    }
  }

  it('no list or counter shows the case to an outsider, an admin included', async () => {
    await whileOverdue(async () => {
      for (const who of [outsiderIn, adminIn])
        for (const url of LISTS) {
          const res = await get(who, url)
          // An admin approves nothing, so has no approvals inbox at all.
          expect(res.statusCode, url).toBe(who === adminIn && url === '/console/approvals' ? 403 : 200)
          // The one deliberate exception: an admin's case list names the sealed cases they are
          // not in (code, stage, lead officer's name), so that they know where break-glass
          // applies; the title, ground, releases, ids and e-mails stay out.
          const existence = who === adminIn && url === '/console/cases'
          for (const s of secrets({ delegate: url !== '/console/spokespersons' }).filter((x) => !(existence && x === CODE)))
            expect(res.body, `${url}: ${s}`).not.toContain(s)
          if (existence) expect(res.body).toContain(`/console/cases?code=${CODE}#break-glass`)
          // Not even the count of overdue releases hints at it.
          expect(res.body, url).not.toContain('đã quá giờ công bố')
        }
      // A member, in the same state, sees the release on the calendar and the warning.
      expect((await get(memberIn, '/console')).body).toContain('1 thông cáo đã quá giờ công bố')
      const calendar = await get(memberIn, '/console/calendar')
      expect(calendar.body).toContain(RELEASE_TITLE)
      expect(calendar.body).toContain(CODE)
    })
    const outbox = await get(adminIn, '/console/outbox')
    expect(outbox.statusCode).toBe(200)
    for (const s of secrets()) expect(outbox.body, s).not.toContain(s)
  })

  it('after clearance the audit rows are no longer masked for staff', async () => {
    const clear = await post(memberIn, `/console/cases/${caseId}/clear`, {
      scope: 'Được công bố kết quả triệt phá, không nêu tên bị can.',
      groundLifted: GROUND,
    })
    expect(clear.statusCode).toBe(303)
    const page = await get(outsiderIn, '/console/audit')
    expect(page.body).not.toContain(MASKED)
    expect(page.body).toContain(CODE)
    const found = await get(outsiderIn, `/console/audit?q=${CODE}`)
    expect(auditRows(found.body)).toBe(2) // the case's creation and the refused lift
    expect(found.body).not.toContain('Không có sự kiện nào.')
  })
})
