/**
 * The distribution console, the recipients' links and trace-a-leak, through the real app:
 * overview and item pages, need-to-know on a sealed case's release, retry all failed, the live
 * progress stream over a real HTTP connection, /l/ links (opened, redirects, marked files,
 * embargo checked live), and tracing by link and by file.
 */
import { rmSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq, sql } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { createTestApp, type Login, loginAs, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { draft, makeSealedCase, makeSpokesperson } from '../../../../test/support/releases.ts'
import { partners } from '../../partners/partners.tables.ts'
import { distributionDeliveries, distributionWebhooks } from '../distribution.tables.ts'
import { insertDelivery, postMultipart, releaseWithFile, tempDataDir } from './console.test-support.ts'
import { addMark, extractMark } from './marks.ts'
import { sampleImages, samplePdf } from './marks.fixtures.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let officer: MadeUser
let editorLogin: Login
let approverLogin: Login
let officerLogin: Login
let alice: MadePartner
let bob: MadePartner
let published: { releaseId: string; fileId: string }
let embargoed: { releaseId: string; fileId: string }

const html = { accept: 'text/html' }

beforeAll(async () => {
  t = await createTestApp({ DATA_DIR: tempDataDir() })
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  officer = await makeUser(t, { role: 'officer' })
  ;[editorLogin, approverLogin, officerLogin] = await Promise.all([loginAs(t, editor), loginAs(t, approver), loginAs(t, officer)])
  alice = await makePartner(t, { name: 'Lê Thị Ánh' })
  bob = await makePartner(t, { name: 'Phạm Văn Bình' })
  published = await releaseWithFile(t, editor, approver, 'now')
  embargoed = await releaseWithFile(t, editor, approver, 'embargo')
})
afterAll(async () => {
  await t?.close()
  if (t) rmSync(t.config.dataDir, { recursive: true, force: true })
})

async function stateOf(id: string) {
  const [row] = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, id))
  return row
}

describe('console pages', () => {
  it('the item page shows progress in Vietnamese number format and the failures with reasons', async () => {
    // A draft: no decision, so no fan-out adds rows behind the test's back.
    const releaseId = await draft(t, editor, { spokespersonId: await makeSpokesperson(t) })
    for (let i = 0; i < 3; i++) await insertDelivery(t, { itemId: releaseId, partnerId: alice.partner.id, state: 'sent' })
    await insertDelivery(t, {
      itemId: releaseId,
      partnerId: bob.partner.id,
      state: 'failed',
      lastError: 'connection refused',
      lastStatus: 421,
    })
    const res = await t.app.inject({ url: `/console/phan-phoi/muc/release/${releaseId}`, headers: { ...officerLogin.headers, ...html } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toMatch(/đã gửi <span data-f="done">3<\/span> \/\s*<span data-f="total">4<\/span>/)
    expect(res.body).toContain('connection refused')
    expect(res.body).toContain('Phạm Văn Bình')
    expect(res.body).toContain('bao.example.vn')
    expect(res.body).toContain(`data-stream="/console/phan-phoi/muc/release/${releaseId}/tien-do"`)
    expect(res.body).toContain('/assets/distribution-progress.js')
    // An officer reads but does not manage: no retry button.
    expect(res.body).not.toContain('id="retry-all"')
    const en = await t.app.inject({
      url: `/console/phan-phoi/muc/release/${releaseId}?lang=en`,
      headers: { ...officerLogin.headers, ...html },
    })
    expect(en.body).toMatch(/sent <span data-f="done">3<\/span>/)
    // The deliveries table filters by state and channel.
    const failedOnly = await t.app.inject({
      url: `/console/phan-phoi/muc/release/${releaseId}?state=failed&channel=email`,
      headers: { ...officerLogin.headers, ...html },
    })
    const table = failedOnly.body.slice(failedOnly.body.indexOf('id="deliveries"'))
    expect(table.match(/data-state="failed"/g)?.length).toBe(1)
    expect(table).not.toContain('data-state="sent"')
    // The release's own console page links here.
    const releasePage = await t.app.inject({ url: `/console/releases/${releaseId}`, headers: { ...editorLogin.headers, ...html } })
    expect(releasePage.body).toContain(`href="/console/phan-phoi/muc/release/${releaseId}"`)
  })

  it('formats large counts as people write them: 8.234 / 10.000 and 8,234 / 10,000', async () => {
    const { formatCount } = await import('./item.pages.tsx')
    expect(`${formatCount(8234, 'vi')} / ${formatCount(10000, 'vi')}`).toBe('8.234 / 10.000')
    expect(`${formatCount(8234, 'en')} / ${formatCount(10000, 'en')}`).toBe('8,234 / 10,000')
  })

  it('the overview lists the item; unknown type or id answers 404; partners and the signed-out are refused', async () => {
    const releaseId = await draft(t, editor, { spokespersonId: await makeSpokesperson(t) })
    await insertDelivery(t, { itemId: releaseId, partnerId: alice.partner.id, state: 'bounced' })
    const res = await t.app.inject({ url: '/console/phan-phoi', headers: { ...officerLogin.headers, ...html } })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain(`/console/phan-phoi/muc/release/${releaseId}`)
    expect(res.body).toContain('Bị trả về: 1')
    expect(res.body).toContain('/console/phan-phoi/webhook')
    // Officers do not trace: no link.
    expect(res.body).not.toContain('/console/phan-phoi/truy-vet')
    expect((await t.app.inject({ url: '/console/phan-phoi', headers: { ...approverLogin.headers, ...html } })).body).toContain(
      '/console/phan-phoi/truy-vet',
    )
    for (const url of [
      `/console/phan-phoi/muc/warning/${published.releaseId}`,
      '/console/phan-phoi/muc/release/nope',
      `/console/phan-phoi/muc/release/${crypto.randomUUID()}`,
    ]) {
      expect((await t.app.inject({ url, headers: { ...officerLogin.headers, ...html } })).statusCode).toBe(404)
    }
    expect((await t.app.inject({ url: '/console/phan-phoi', headers: { ...alice.login.headers, ...html } })).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/console/phan-phoi', headers: html })).statusCode).toBe(302)
  })

  it("a sealed case's release answers 404 to a non-member, on the page, the stream and retry", async () => {
    const lead = await makeUser(t, { role: 'officer' })
    const caseId = await makeSealedCase(t, lead)
    const releaseId = await draft(t, editor, { spokespersonId: await makeSpokesperson(t), caseId })
    await insertDelivery(t, { itemId: releaseId, partnerId: alice.partner.id, state: 'failed' })
    const base = `/console/phan-phoi/muc/release/${releaseId}`
    expect((await t.app.inject({ url: base, headers: { ...editorLogin.headers, ...html } })).statusCode).toBe(404)
    expect((await t.app.inject({ url: `${base}/tien-do`, headers: { ...editorLogin.headers } })).statusCode).toBe(404)
    const retry = await t.app.inject({ method: 'POST', url: `${base}/gui-lai`, headers: { ...editorLogin.headers, ...html }, payload: {} })
    expect(retry.statusCode).toBe(404)
    // The overview leaves it out too.
    expect((await t.app.inject({ url: '/console/phan-phoi', headers: { ...editorLogin.headers, ...html } })).body).not.toContain(releaseId)
    // The case's member sees it.
    const member = await loginAs(t, lead)
    expect((await t.app.inject({ url: base, headers: { ...member.headers, ...html } })).statusCode).toBe(200)
  })
})

describe('retry all failed', () => {
  it('requeues only failed rows (not bounced, sent, nor those of a disabled endpoint), audited, and only for managers', async () => {
    const spokespersonId = await makeSpokesperson(t)
    const releaseId = await draft(t, editor, { spokespersonId })
    const [hook] = await t.database.db
      .insert(distributionWebhooks)
      .values({ tenantId: t.tenant.id, partnerId: bob.partner.id, url: 'https://hook.example.vn/x', secret: 'whsec_x', state: 'disabled' })
      .returning()
    const failed1 = await insertDelivery(t, { itemId: releaseId, partnerId: alice.partner.id, state: 'failed', attempts: 10 })
    const failed2 = await insertDelivery(t, { itemId: releaseId, partnerId: bob.partner.id, state: 'failed', attempts: 3 })
    const bounced = await insertDelivery(t, { itemId: releaseId, partnerId: bob.partner.id, state: 'bounced', channel: 'email' })
    const sent = await insertDelivery(t, { itemId: releaseId, partnerId: alice.partner.id, state: 'sent', channel: 'portal' })
    const offHook = await insertDelivery(t, {
      itemId: releaseId,
      partnerId: bob.partner.id,
      state: 'failed',
      channel: 'webhook',
      webhookId: hook?.id,
    })
    const other = await insertDelivery(t, { itemId: published.releaseId, partnerId: alice.partner.id, state: 'failed' })
    const url = `/console/phan-phoi/muc/release/${releaseId}/gui-lai`

    expect((await t.app.inject({ method: 'POST', url, headers: { ...officerLogin.headers, ...html }, payload: {} })).statusCode).toBe(403)
    expect((await stateOf(failed1.id))?.state).toBe('failed')

    const res = await t.app.inject({ method: 'POST', url, headers: { ...editorLogin.headers, ...html }, payload: {} })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toContain('retried=2&skipped=1')
    for (const d of [failed1, failed2]) {
      const row = await stateOf(d.id)
      // The running sender may take them at once: queued, or already claimed (attempt 1 of a
      // fresh schedule) — never still failed, never counting on from 10 or 3.
      expect(['queued', 'sending', 'sent']).toContain(row?.state)
      expect(row?.attempts).toBeLessThanOrEqual(1)
    }
    expect((await stateOf(bounced.id))?.state).toBe('bounced')
    expect((await stateOf(sent.id))?.state).toBe('sent')
    expect((await stateOf(offHook.id))?.state).toBe('failed')
    expect((await stateOf(other.id))?.state).toBe('failed')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.retried'), eq(auditEvents.subjectId, releaseId)))
    expect(audits).toHaveLength(1)
    expect(audits[0]?.summary).toMatchObject({ retried: 2, skipped: 1 })
    const page = await t.app.inject({ url: res.headers.location as string, headers: { ...editorLogin.headers, ...html } })
    expect(page.body).toContain('Đã đưa 2 bản gửi lỗi trở lại hàng đợi.')
  })
})

describe('live progress (server-sent events over a real connection)', () => {
  it('sends the counts on connect and again when deliveries change', async () => {
    const releaseId = await draft(t, editor, { spokespersonId: await makeSpokesperson(t) })
    // Portal rows: the running sender only takes e-mail and webhook rows, so the counts change
    // only when the test changes them.
    const queued = await Promise.all(
      [0, 1, 2].map(() => insertDelivery(t, { itemId: releaseId, partnerId: alice.partner.id, channel: 'portal', state: 'queued' })),
    )
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as AddressInfo
    const events: { kinds: { kind: string; done: number; total: number }[] }[] = []
    let waiter: (() => void) | null = null
    let contentType = ''
    let cacheControl = ''
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/console/phan-phoi/muc/release/${releaseId}/tien-do`,
        headers: { cookie: officerLogin.cookie, accept: 'text/event-stream' },
      },
      (res) => {
        contentType = String(res.headers['content-type'])
        cacheControl = String(res.headers['cache-control'])
        let buf = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          buf += chunk
          let i = buf.indexOf('\n\n')
          while (i >= 0) {
            const block = buf.slice(0, i)
            buf = buf.slice(i + 2)
            const data = block
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n')
            if (data) {
              events.push(JSON.parse(data))
              waiter?.()
            }
            i = buf.indexOf('\n\n')
          }
        })
      },
    )
    const nextEvent = (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (events.length >= n) return resolve()
        const timer = setTimeout(() => reject(new Error(`no event ${n} within 10 s`)), 10_000)
        waiter = () => {
          if (events.length >= n) {
            clearTimeout(timer)
            resolve()
          }
        }
      })
    try {
      await nextEvent(1)
      expect(contentType).toContain('text/event-stream')
      expect(cacheControl).toBe('no-store')
      expect(events[0]?.kinds[0]).toMatchObject({ kind: 'publish', done: 0, total: 3 })
      await t.database.db.execute(
        sql`UPDATE distribution_deliveries SET state = 'sent', sent_at = now() WHERE id IN (${queued[0]?.id}, ${queued[1]?.id})`,
      )
      await nextEvent(2)
      expect(events[1]?.kinds[0]).toMatchObject({ kind: 'publish', done: 2, total: 3 })
      await insertDelivery(t, { itemId: releaseId, partnerId: bob.partner.id, kind: 'kill', state: 'sent', channel: 'portal' })
      await nextEvent(3)
      expect(events[2]?.kinds.map((k) => k.kind)).toEqual(['publish', 'kill'])
    } finally {
      req.destroy()
    }
  })
})

describe('tokenised links', () => {
  it('an unknown token answers 404 in both languages', async () => {
    const res = await t.app.inject({ url: '/l/AAAAAAAAAAAAAAAAAAAAAA', headers: html })
    expect(res.statusCode).toBe(404)
    expect(res.body).toContain('Đường dẫn này không tồn tại')
    expect(res.body).toContain('This link does not exist')
  })

  it('a link to a published release marks the delivery opened and redirects to its public page', async () => {
    const d = await insertDelivery(t, { itemId: published.releaseId, partnerId: alice.partner.id, state: 'sent' })
    const res = await t.app.inject({ url: `/l/${d.token}` })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toMatch(/^\/tin\//)
    expect(res.headers['cache-control']).toContain('no-store')
    expect(res.headers['referrer-policy']).toBe('no-referrer')
    const row = await stateOf(d.id)
    expect(row?.state).toBe('opened')
    expect(row?.openedAt).not.toBeNull()
    // Never downgraded: a downloaded delivery stays downloaded.
    const dl = await insertDelivery(t, { itemId: published.releaseId, partnerId: alice.partner.id, state: 'downloaded' })
    await t.app.inject({ url: `/l/${dl.token}` })
    expect((await stateOf(dl.id))?.state).toBe('downloaded')
  })

  it("an embargoed release's link goes to the recipient's portal message", async () => {
    const portal = await insertDelivery(t, {
      itemId: embargoed.releaseId,
      partnerId: alice.partner.id,
      kind: 'embargo',
      channel: 'portal',
      state: 'sent',
    })
    const mail = await insertDelivery(t, {
      itemId: embargoed.releaseId,
      partnerId: alice.partner.id,
      kind: 'embargo',
      channel: 'email',
      state: 'sent',
    })
    const res = await t.app.inject({ url: `/l/${mail.token}` })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/doi-tac/hop-thu/${portal.id}`)
    expect((await stateOf(mail.id))?.state).toBe('opened')
  })

  it('a public file is served with the recipient mark; two recipients get different marks', async () => {
    const a = await insertDelivery(t, { itemId: published.releaseId, partnerId: alice.partner.id, state: 'sent' })
    const b = await insertDelivery(t, { itemId: published.releaseId, partnerId: bob.partner.id, state: 'sent' })
    const ra = await t.app.inject({ url: `/l/${a.token}/tep/${published.fileId}` })
    const rb = await t.app.inject({ url: `/l/${b.token}/tep/${published.fileId}` })
    expect(ra.statusCode).toBe(200)
    expect(ra.headers['content-type']).toBe('application/pdf')
    expect(ra.headers['content-disposition']).toContain("filename*=UTF-8''Th%C3%B4ng%20c%C3%A1o%20s%E1%BB%91%2012.pdf")
    expect(extractMark(ra.rawPayload).token).toBe(a.token)
    expect(extractMark(rb.rawPayload).token).toBe(b.token)
    expect(ra.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    expect((await stateOf(a.id))?.state).toBe('downloaded')
    // A file of another release through this token: not found.
    expect((await t.app.inject({ url: `/l/${a.token}/tep/${embargoed.fileId}` })).statusCode).toBe(404)
  })

  it('an embargoed file goes only to the signed-in, accredited-now partner of that delivery', async () => {
    const d = await insertDelivery(t, {
      itemId: embargoed.releaseId,
      partnerId: alice.partner.id,
      kind: 'embargo',
      channel: 'email',
      state: 'sent',
    })
    const url = `/l/${d.token}/tep/${embargoed.fileId}`
    // Signed out.
    const anon = await t.app.inject({ url, headers: html })
    expect(anon.statusCode).toBe(403)
    expect(anon.body).toContain('cấm đăng trước')
    expect(anon.body).not.toContain('%PDF')
    // Another accredited partner holding the leaked link.
    expect((await t.app.inject({ url, headers: bob.login.headers })).statusCode).toBe(403)
    expect((await stateOf(d.id))?.state).toBe('sent')
    // The recipient.
    const own = await t.app.inject({ url, headers: alice.login.headers })
    expect(own.statusCode).toBe(200)
    expect(own.headers['cache-control']).toContain('no-store')
    expect(extractMark(own.rawPayload).token).toBe(d.token)
    expect((await stateOf(d.id))?.state).toBe('downloaded')
    // Suspended since: refused at once (the record is read live).
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, alice.partner.id))
    try {
      const suspended = await t.app.inject({ url, headers: { ...alice.login.headers, ...html } })
      expect(suspended.statusCode).toBe(403)
      expect(suspended.body).not.toContain('%PDF')
    } finally {
      await t.database.db.update(partners).set({ status: 'accredited' }).where(eq(partners.id, alice.partner.id))
    }
  })
})

describe('trace a leak', () => {
  it('names the recipient from a pasted link, audited; editors are refused', async () => {
    const d = await insertDelivery(t, { itemId: published.releaseId, partnerId: bob.partner.id, state: 'sent', title: 'Thông cáo bị lộ' })
    const paste = `Anh xem cái này: http://donghanh.test/l/${d.token} nhé`
    const res = await postMultipart(t, '/console/phan-phoi/truy-vet', approverLogin, { _csrf: approverLogin.csrf, q: paste })
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('id="trace-result"')
    expect(res.body).toContain('Phạm Văn Bình')
    expect(res.body).toContain('Thông cáo bị lộ')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.leak_traced'), eq(auditEvents.subjectId, d.id)))
    expect(audits).toHaveLength(1)
    expect(audits[0]?.actorId).toBe(approver.id)

    const refused = await postMultipart(t, '/console/phan-phoi/truy-vet', editorLogin, { _csrf: editorLogin.csrf, q: paste })
    expect(refused.statusCode).toBe(403)
    expect((await t.app.inject({ url: '/console/phan-phoi/truy-vet', headers: { ...editorLogin.headers, ...html } })).statusCode).toBe(403)
    expect((await t.app.inject({ url: '/console/phan-phoi/truy-vet', headers: { ...approverLogin.headers, ...html } })).statusCode).toBe(
      200,
    )
  })

  it('names the recipient from a downloaded file, and says so when a file has no mark', async () => {
    const d = await insertDelivery(t, { itemId: published.releaseId, partnerId: alice.partner.id, state: 'sent' })
    const served = await t.app.inject({ url: `/l/${d.token}/tep/${published.fileId}` })
    const res = await postMultipart(
      t,
      '/console/phan-phoi/truy-vet',
      approverLogin,
      { _csrf: approverLogin.csrf },
      {
        name: 'ban-sao.pdf',
        type: 'application/pdf',
        data: served.rawPayload,
      },
    )
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Lê Thị Ánh')
    expect(res.body).toContain('Tìm theo dấu riêng trong tệp.')

    const { png } = await sampleImages()
    const marked = addMark(png, 'png', d.token)
    expect(
      (
        await postMultipart(
          t,
          '/console/phan-phoi/truy-vet',
          approverLogin,
          { _csrf: approverLogin.csrf },
          { name: 'a.png', type: 'image/png', data: marked },
        )
      ).body,
    ).toContain('Lê Thị Ánh')

    const none = await postMultipart(
      t,
      '/console/phan-phoi/truy-vet',
      approverLogin,
      { _csrf: approverLogin.csrf },
      {
        name: 'sach.pdf',
        type: 'application/pdf',
        data: samplePdf(),
      },
    )
    expect(none.statusCode).toBe(404)
    expect(none.body).toContain('Không tìm thấy dấu')
    expect(none.body).toContain('No mark found')
    expect(none.body).not.toContain('id="trace-result"')

    const empty = await postMultipart(t, '/console/phan-phoi/truy-vet', approverLogin, { _csrf: approverLogin.csrf, q: '' })
    expect(empty.statusCode).toBe(400)
  })
})
