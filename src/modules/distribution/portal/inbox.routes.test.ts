/**
 * The partner's inbox against a real database: only the partner's own portal deliveries (B
 * gets 404 on A's message and never sees A's titles), kill notices first, opening marks
 * `opened` once and never downgrades `downloaded`, and embargoed text shown only while the
 * LIVE record is accredited and only until the lift (a suspension in the same open session
 * hides it at once).
 */
import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, loginAs, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { freezeClock, resetClock } from '../../../platform/clock.ts'
import { changePartnerStatus } from '../../partners/commands/change-partner-status.ts'
import type { PartnerStatus } from '../../partners/partners.tables.ts'
import { newLinkToken } from '../distribution.links.ts'
import { distributionDeliveries } from '../distribution.tables.ts'
import type { DeliveryKind, DeliveryPayload, DeliveryState } from '../distribution.types.ts'

let t: TestApp
let approver: MadeUser
let editor: MadeUser
let spokespersonId: string

beforeAll(async () => {
  t = await createTestApp()
  approver = await makeUser(t, { role: 'approver' })
  editor = await makeUser(t, { role: 'editor' })
  spokespersonId = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
})
afterEach(() => {
  resetClock()
})

const SOURCE = { name: 'Công an tỉnh Thanh Hóa', url: 'https://congan.thanhhoa.example.vn' }

/** Writes one portal delivery for `partnerId` as the fan-out would (state `sent`). */
async function deliver(
  partnerId: string,
  o: {
    kind?: DeliveryKind
    state?: DeliveryState
    itemId?: string | null
    itemType?: 'release' | 'verdict' | 'notice'
    createdAt?: Date
    channel?: 'portal' | 'email'
    payload?: Partial<DeliveryPayload>
  } = {},
) {
  const kind = o.kind ?? 'publish'
  const payload: DeliveryPayload = {
    event: `release.${kind}`,
    itemType: o.itemType ?? 'release',
    itemId: o.itemId ?? null,
    title: `Tin ${kind} ${newLinkToken().slice(0, 6)}`,
    summary: 'Tóm tắt chính thức.',
    body: 'Toàn văn chính thức: 5 đối tượng bị bắt.',
    source: SOURCE,
    ...o.payload,
  }
  const [row] = await t.database.db
    .insert(distributionDeliveries)
    .values({
      tenantId: t.tenant.id,
      itemType: o.itemType ?? 'release',
      itemId: o.itemId ?? null,
      kind,
      recipientType: 'partner',
      partnerId,
      channel: o.channel ?? 'portal',
      address: o.channel === 'email' ? 'x@bao.example.vn' : null,
      state: o.state ?? 'sent',
      linkToken: newLinkToken(),
      payload,
      createdAt: o.createdAt ?? new Date(),
      sentAt: new Date(),
    })
    .returning()
  if (!row) throw new Error('no delivery')
  return row
}

const get = (p: MadePartner, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: p.login.cookie } })
const rowOf = async (id: string) => (await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, id)))[0]

async function setStatus(partnerId: string, to: PartnerStatus) {
  await withTransaction(t.database.pool, (tx) =>
    changePartnerStatus({
      tx,
      actor: { id: approver.id, tenantId: t.tenant.id, role: 'approver', email: approver.email },
      partnerId,
      to,
      reason: 'Vi phạm quy định cấm đăng trước (kiểm thử).',
    }),
  )
}

describe('the inbox lists only the partner’s own messages', () => {
  it('shows A’s messages to A, none of them to B, and B gets 404 on A’s message', async () => {
    const a = await makePartner(t)
    const b = await makePartner(t, { kind: 'influencer' })
    const mine = await deliver(a.partner.id, { payload: { title: 'Bí mật của A: tin riêng gửi A' } })
    const email = await deliver(a.partner.id, { channel: 'email', payload: { title: 'Bản e-mail không thuộc hộp thư' } })
    const theirs = await deliver(b.partner.id, { payload: { title: 'Tin gửi B' } })

    const inboxA = await get(a, '/doi-tac/hop-thu')
    expect(inboxA.statusCode).toBe(200)
    expect(inboxA.headers['cache-control']).toContain('no-store')
    expect(inboxA.body).toContain('Bí mật của A: tin riêng gửi A')
    expect(inboxA.body).not.toContain('Tin gửi B')
    // Only portal rows are the inbox.
    expect(inboxA.body).not.toContain('Bản e-mail không thuộc hộp thư')
    expect(inboxA.body).not.toContain(email.id)

    const inboxB = await get(b, '/doi-tac/hop-thu')
    expect(inboxB.body).toContain('Tin gửi B')
    expect(inboxB.body).not.toContain('Bí mật của A')
    expect(inboxB.body).not.toContain(mine.id)

    const foreign = await get(b, `/doi-tac/hop-thu/${mine.id}`)
    expect(foreign.statusCode).toBe(404)
    expect(foreign.body).not.toContain('Bí mật của A')
    expect((await rowOf(mine.id))?.state).toBe('sent')
    expect((await get(a, `/doi-tac/hop-thu/${email.id}`)).statusCode).toBe(404)
    expect((await get(a, '/doi-tac/hop-thu/not-a-uuid')).statusCode).toBe(404)
    expect((await get(a, `/doi-tac/hop-thu/${theirs.id}`)).statusCode).toBe(404)
  })

  it('refuses anonymous visitors, staff and accounts without a partner record', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/doi-tac/hop-thu' })).statusCode).toBe(302)
    const staff = await makeUser(t, { role: 'editor' })
    const staffLogin = await loginAs(t, staff)
    expect((await t.app.inject({ method: 'GET', url: '/doi-tac/hop-thu', headers: { cookie: staffLogin.cookie } })).statusCode).toBe(403)
    const orphan = await makeUser(t, { role: 'journalist' })
    const orphanLogin = await loginAs(t, orphan)
    const res = await t.app.inject({ method: 'GET', url: '/doi-tac/nhan-tin', headers: { cookie: orphanLogin.cookie } })
    expect(res.statusCode).toBe(403)
  })

  it('puts recent kill notices first, red, with the reason; older ones by date', async () => {
    const a = await makePartner(t)
    const itemId = crypto.randomUUID()
    const old = new Date(Date.now() - 30 * 86_400_000)
    await deliver(a.partner.id, { kind: 'kill', itemId, createdAt: old, payload: { title: 'Rút tin cũ', reason: 'Lý do cũ' } })
    const pub = await deliver(a.partner.id, {
      itemId,
      createdAt: new Date(Date.now() - 2 * 3_600_000),
      payload: { title: 'Tin đã công bố X' },
    })
    await deliver(a.partner.id, { createdAt: new Date(Date.now() - 60_000), payload: { title: 'Tin mới nhất Y' } })
    await deliver(a.partner.id, {
      kind: 'kill',
      itemId,
      createdAt: new Date(Date.now() - 3_600_000),
      payload: { title: 'Tin đã công bố X', reason: 'Số liệu sai, đã rút' },
    })
    const html = (await get(a, '/doi-tac/hop-thu')).body
    const order = [...html.matchAll(/data-kind="(\w+)"/g)].map((m) => m[1])
    expect(order[0]).toBe('kill')
    expect(order.slice(1)).toEqual(['publish', 'publish', 'kill'])
    expect(html).toContain('KHÔNG SỬ DỤNG / DO NOT USE')
    expect(html).toContain('Số liệu sai, đã rút')
    expect(html).toContain('dist-kill')
    // The publication of the withdrawn item says so, and its text is no longer shown.
    expect(html).toContain('ĐÃ RÚT')
    const page = await get(a, `/doi-tac/hop-thu/${pub.id}`)
    expect(page.body).toContain('KHÔNG SỬ DỤNG / DO NOT USE')
    expect(page.body).not.toContain('Toàn văn chính thức')
    expect(page.body).not.toContain('id="report-coverage"')
  })

  it('paginates 20 a page, newest first', async () => {
    const a = await makePartner(t)
    for (let i = 0; i < 23; i++)
      await deliver(a.partner.id, {
        createdAt: new Date(Date.now() - (100 - i) * 60_000),
        payload: { title: `Tin số ${String(i).padStart(2, '0')}` },
      })
    const first = (await get(a, '/doi-tac/hop-thu')).body
    expect(first).toContain('Tin số 22')
    expect(first).not.toContain('Tin số 02')
    expect(first).toContain('23 tin, 23 chưa đọc')
    const second = (await get(a, '/doi-tac/hop-thu?trang=2')).body
    expect(second).toContain('Tin số 02')
    expect(second).not.toContain('Tin số 22')
    expect((await get(a, '/doi-tac/hop-thu?trang=0')).statusCode).toBe(400)
  })
})

describe('opening a message', () => {
  it('marks it opened once, shows the source, the recipient’s file links and the coverage button', async () => {
    const a = await makePartner(t)
    const itemId = crypto.randomUUID()
    const d = await deliver(a.partner.id, {
      itemId,
      payload: {
        title: 'Công an tỉnh triệt phá đường dây',
        files: [{ id: crypto.randomUUID(), name: 'anh-hien-truong.jpg', mime: 'image/jpeg', bytes: 120_000 }],
        publicUrl: 'http://donghanh.test/tin/duong-day',
      },
    })
    const list = (await get(a, '/doi-tac/hop-thu')).body
    expect(list).toMatch(new RegExp(`class="card dist-msg unread"[^>]*data-delivery="${d.id}"`))

    const res = await get(a, `/doi-tac/hop-thu/${d.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Toàn văn chính thức: 5 đối tượng bị bắt.')
    expect(res.body).toContain('Nguồn')
    expect(res.body).toContain('Công an tỉnh Thanh Hóa')
    expect(res.body).toContain(`http://donghanh.test/l/${d.linkToken}/tep/${d.payload.files?.[0]?.id}`)
    expect(res.body).toContain(`/doi-tac/dua-tin?item=${encodeURIComponent(`release:${itemId}`)}`)
    const opened = await rowOf(d.id)
    expect(opened?.state).toBe('opened')
    expect(opened?.openedAt).not.toBeNull()

    // A second view keeps the first opening time.
    await get(a, `/doi-tac/hop-thu/${d.id}`)
    expect((await rowOf(d.id))?.openedAt?.getTime()).toBe(opened?.openedAt?.getTime())
    const after = (await get(a, '/doi-tac/hop-thu')).body
    expect(after).not.toMatch(new RegExp(`class="card dist-msg unread"[^>]*data-delivery="${d.id}"`))
  })

  it('never downgrades a downloaded message, and never opens a cancelled one', async () => {
    const a = await makePartner(t)
    const d = await deliver(a.partner.id, { state: 'downloaded' })
    expect((await get(a, `/doi-tac/hop-thu/${d.id}`)).statusCode).toBe(200)
    const row = await rowOf(d.id)
    expect(row?.state).toBe('downloaded')
    expect(row?.openedAt).not.toBeNull()
    const c = await deliver(a.partner.id, { state: 'cancelled' })
    expect((await get(a, `/doi-tac/hop-thu/${c.id}`)).statusCode).toBe(404)
    expect((await rowOf(c.id))?.state).toBe('cancelled')
  })

  it('shows a correction with its change note and a correction request with both texts', async () => {
    const a = await makePartner(t)
    const itemId = crypto.randomUUID()
    const first = await deliver(a.partner.id, { itemId, createdAt: new Date(Date.now() - 3_600_000) })
    const corr = await deliver(a.partner.id, { kind: 'correction', itemId, payload: { changeNote: 'Sửa số đối tượng từ 5 thành 6.' } })
    const page = (await get(a, `/doi-tac/hop-thu/${corr.id}`)).body
    expect(page).toContain('Sửa số đối tượng từ 5 thành 6.')
    expect(page).toContain('id="report-coverage"')
    const older = (await get(a, `/doi-tac/hop-thu/${first.id}`)).body
    expect(older).toContain(`/doi-tac/hop-thu/${corr.id}`)

    const req = await deliver(a.partner.id, {
      kind: 'correction_request',
      itemId,
      payload: { quote: { official: 'bắt giữ 5 đối tượng', published: 'bắt giữ 50 đối tượng', url: 'https://bao.example.vn/bai-1' } },
    })
    const rq = (await get(a, `/doi-tac/hop-thu/${req.id}`)).body
    expect(rq).toContain('bắt giữ 50 đối tượng')
    expect(rq).toContain('bắt giữ 5 đối tượng')
    expect(rq).toContain('Nghị định 09/2017')
  })
})

describe('embargoed messages', () => {
  it('shows the text only while the partner is accredited NOW and only until the lift', async () => {
    // Close enough that moving the clock past it keeps the session alive (idle limit 30 min).
    const lift = new Date(Date.now() + 10 * 60_000)
    const releaseId = await draft(t, editor, { spokespersonId, content: { title: 'Tin cấm đăng: triệt phá đường dây' } })
    await submitAndApprove(t, releaseId, editor, approver, 'embargo', lift)
    expect((await load(t, releaseId)).release.status).toBe('embargoed')

    const a = await makePartner(t)
    const d = await deliver(a.partner.id, {
      kind: 'embargo',
      itemId: releaseId,
      payload: {
        event: 'release.embargoed',
        title: 'Tiêu đề cấm đăng ABC',
        body: 'Nội dung cấm đăng: không được lộ.',
        liftAt: lift.toISOString(),
        publicUrl: 'http://donghanh.test/tin/abc',
        files: [{ id: crypto.randomUUID(), name: 'tep-cam-dang.pdf', mime: 'application/pdf', bytes: 2000 }],
      },
    })

    const open = await get(a, `/doi-tac/hop-thu/${d.id}`)
    expect(open.statusCode).toBe(200)
    expect(open.body).toContain('CẤM ĐĂNG TRƯỚC')
    expect(open.body).toContain('Nội dung cấm đăng: không được lộ.')
    expect(open.body).toContain('tep-cam-dang.pdf')
    expect(open.body).toContain(`data-countdown="${lift.toISOString()}"`)
    expect(open.body).toContain('/assets/countdown.js')

    // Suspended in the same open session: no title, no text, no files, and the reason.
    await setStatus(a.partner.id, 'suspended')
    const denied = await get(a, `/doi-tac/hop-thu/${d.id}`)
    expect(denied.statusCode).toBe(200)
    expect(denied.body).toContain('Bạn không còn quyền xem tin cấm đăng trước')
    expect(denied.body).toContain('You no longer have access to embargoed material')
    expect(denied.body).not.toContain('Nội dung cấm đăng')
    expect(denied.body).not.toContain('Tiêu đề cấm đăng ABC')
    expect(denied.body).not.toContain('tep-cam-dang.pdf')
    const list = (await get(a, '/doi-tac/hop-thu')).body
    expect(list).not.toContain('Tiêu đề cấm đăng ABC')
    expect(list).toContain('Tin cấm đăng trước')

    // Accredited again, but after the lift: the public page instead of the text.
    await setStatus(a.partner.id, 'accredited')
    expect((await get(a, `/doi-tac/hop-thu/${d.id}`)).body).toContain('Nội dung cấm đăng')
    freezeClock(new Date(lift.getTime() + 60_000))
    const lifted = await get(a, `/doi-tac/hop-thu/${d.id}`)
    expect(lifted.body).not.toContain('Nội dung cấm đăng')
    expect(lifted.body).toContain('http://donghanh.test/tin/abc')
  })

  it('hides the text of an embargo whose release is no longer under embargo', async () => {
    const a = await makePartner(t)
    const d = await deliver(a.partner.id, {
      kind: 'embargo',
      itemId: crypto.randomUUID(),
      payload: { title: 'Tin đã dời', body: 'Văn bản không còn cấm đăng.', liftAt: new Date(Date.now() + 86_400_000).toISOString() },
    })
    const res = await get(a, `/doi-tac/hop-thu/${d.id}`)
    expect(res.body).not.toContain('Văn bản không còn cấm đăng.')
    expect(res.body).toContain('Đã hết giờ cấm đăng')
  })

  it('keeps the inbox open to suspended partners (kill notices matter to them)', async () => {
    const a = await makePartner(t, { status: 'suspended' })
    const k = await deliver(a.partner.id, { kind: 'kill', payload: { title: 'Tin bị rút', reason: 'Sai sự thật' } })
    const res = await get(a, `/doi-tac/hop-thu/${k.id}`)
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('KHÔNG SỬ DỤNG / DO NOT USE')
    expect(res.body).toContain('Sai sự thật')
    expect((await rowOf(k.id))?.state).toBe('opened')
    const [row] = await t.database.db
      .select()
      .from(distributionDeliveries)
      .where(and(eq(distributionDeliveries.id, k.id), eq(distributionDeliveries.partnerId, a.partner.id)))
    expect(row?.openedAt).not.toBeNull()
  })
})
