/**
 * The partner portal's content against a real database: the home page's lists, the embargo
 * label, logged downloads (and the staff log), the embargoed API, the profile and the
 * acknowledgement, and above all: a partner who is not accredited NOW sees no embargoed
 * material, through any door, in the same open session that saw it a moment ago.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, loginAs, type MadeUser, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { draft, load, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import type { PartnerStatus } from '../../partners/partners.tables.ts'
import { partnerAcknowledgements } from '../../partners/partners.tables.ts'
import { changePartnerStatus } from '../../partners/commands/change-partner-status.ts'
import { addAttachment } from '../../releases/commands/add-attachment.ts'
import { embargoLabel } from './content.pages.tsx'
import { partnerDownloads } from './content.tables.ts'
import { createPartnerToken } from '../tokens/commands/create-partner-token.ts'

/** A minimal PDF (the type is sniffed from `%PDF-`). */
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n')
const UA = 'Mozilla/5.0 (iPhone; portal-test)'

let t: TestApp
let dataDir: string
let editor: MadeUser
let approver: MadeUser
let spokespersonId: string
/** The lift of the embargoed release: 09:00 on 20/12 (local) of a coming year. */
const LIFT = new Date(`${new Date().getUTCFullYear() + 1}-12-20T09:00:00+07:00`)

interface Made {
  id: string
  slug: string
  fileId: string
}
let embargoed: Made
let published: Made
let scheduled: Made
let unsubmitted: Made

async function makeRelease(title: string, mode: 'now' | 'embargo' | 'schedule' | 'draft', fileName: string): Promise<Made> {
  const id = await draft(t, editor, { spokespersonId, content: { title, summary: `Tóm tắt ${title}.`, bodyMd: `Toàn văn **${title}**.` } })
  const file = await withTransaction(t.database.pool, async (tx) =>
    addAttachment({
      tx,
      release: await load(t, id),
      actor: { id: editor.id, label: editor.email },
      dataDir,
      filename: fileName,
      data: PDF,
    }),
  )
  if (mode !== 'draft') await submitAndApprove(t, id, editor, approver, mode, mode === 'now' ? undefined : LIFT)
  return { id, slug: (await load(t, id)).release.slug, fileId: file.id }
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { 'user-agent': UA, ...headers } })

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

const downloadsOf = (partnerId: string) => t.database.db.select().from(partnerDownloads).where(eq(partnerDownloads.partnerId, partnerId))

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'donghanh-portal-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  await makeUser(t, { role: 'admin' })
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  spokespersonId = await makeSpokesperson(t)
  embargoed = await makeRelease('Họp báo chuyên án zqembargo', 'embargo', 'ket-luan-zqembargo.pdf')
  published = await makeRelease('Cảnh báo lừa đảo zqpublished', 'now', 'canh-bao.pdf')
  scheduled = await makeRelease('Tin hẹn giờ zqscheduled', 'schedule', 'hen-gio.pdf')
  unsubmitted = await makeRelease('Bản nháp zqdraft', 'draft', 'nhap.pdf')
})

afterAll(async () => {
  await t?.close()
  await rm(dataDir, { recursive: true, force: true })
})

describe('the embargo label', () => {
  it('reads "CẤM ĐĂNG TRƯỚC 09:00 20/12" in Vietnamese and "EMBARGOED UNTIL 09:00 20/12" in English, local time', () => {
    expect(embargoLabel(LIFT, 'vi')).toBe('CẤM ĐĂNG TRƯỚC 09:00 20/12')
    expect(embargoLabel(LIFT, 'en')).toBe('EMBARGOED UNTIL 09:00 20/12')
    // 02:00 UTC is 09:00 in Hanoi; a UTC rendering would say 02:00.
    expect(embargoLabel(new Date('2027-12-20T02:00:00Z'), 'vi')).toBe('CẤM ĐĂNG TRƯỚC 09:00 20/12')
    // Just after midnight local is still the previous UTC day: the local day counts.
    expect(embargoLabel(new Date('2027-12-19T17:30:00Z'), 'en')).toBe('EMBARGOED UNTIL 00:30 20/12')
  })
})

describe('an accredited journalist', () => {
  it('sees the embargoed release with its label, countdown, text and file; recent releases; never a scheduled one', async () => {
    const { login } = await makePartner(t)
    const res = await get('/doi-tac', login.headers)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-cache']).toBeUndefined()
    expect(res.body).toContain('Họp báo chuyên án zqembargo')
    expect(res.body).toContain('CẤM ĐĂNG TRƯỚC 09:00 20/12')
    expect(res.body).toContain(`data-countdown="${LIFT.toISOString()}"`)
    expect(res.body).toContain('data-hours="còn {h} giờ {m} phút"')
    expect(res.body).toContain('<script src="/assets/countdown.js" defer>')
    expect(res.body).toContain('<strong>Họp báo chuyên án zqembargo</strong>')
    expect(res.body).toContain(`href="/doi-tac/tep/${embargoed.fileId}"`)
    expect(res.body).toContain(`href="/tin/${embargoed.slug}"`)
    expect(res.body).toContain('Cảnh báo lừa đảo zqpublished')
    expect(res.body).toContain('đến ngày')
    for (const other of ['zqscheduled', 'zqdraft']) expect(res.body).not.toContain(other)
    const en = await get('/doi-tac?lang=en', login.headers)
    expect(en.body).toContain('EMBARGOED UNTIL 09:00 20/12')
    expect(en.body).toContain('data-hours="{h} h {m} min left"')
  })

  it('downloads the embargoed attachment (attachment, no-store) and the download is logged: who, what, when, where', async () => {
    const { partner, user, login } = await makePartner(t, { name: 'Lê Thị Tải' })
    const res = await get(`/doi-tac/tep/${embargoed.fileId}`, login.headers)
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toBe('application/pdf')
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="ket-luan-zqembargo\.pdf"/)
    expect(res.headers['cache-control']).toBe('private, no-store')
    expect(res.rawPayload.equals(PDF)).toBe(true)
    const rows = await downloadsOf(partner.id)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      tenantId: t.tenant.id,
      userId: user.id,
      attachmentId: embargoed.fileId,
      releaseId: embargoed.id,
      embargoed: true,
      ip: '127.0.0.1',
      userAgent: UA,
    })
    expect(rows[0]?.at).toBeInstanceOf(Date)

    // Staff see it, filtered by partner and by release; a filter on another release hides it.
    const staff = await loginAs(t, editor)
    const log = await get(`/console/doi-tac/tai-xuong?partner=${partner.id}`, staff.headers)
    expect(log.statusCode).toBe(200)
    expect(log.headers['cache-control']).toBe('no-store')
    expect(log.body).toContain('Lê Thị Tải')
    expect(log.body).toContain(user.email)
    expect(log.body).toContain('ket-luan-zqembargo.pdf')
    expect(log.body).toContain('Họp báo chuyên án zqembargo')
    expect(log.body).toContain('127.0.0.1')
    expect(log.body).toContain('khi còn cấm đăng')
    expect((await get(`/console/doi-tac/tai-xuong?release=${embargoed.id}`, staff.headers)).body).toContain('Lê Thị Tải')
    expect((await get(`/console/doi-tac/tai-xuong?release=${published.id}`, staff.headers)).body).not.toContain('Lê Thị Tải')
    expect((await get('/console/doi-tac/tai-xuong?partner=not-a-uuid', staff.headers)).body).not.toContain('Lê Thị Tải')
    expect((await get('/console/doi-tac/tai-xuong?page=0', staff.headers)).statusCode).toBe(400)
  })

  it('cannot fetch another release’s file by guessing ids: scheduled, draft, unknown and malformed ids are 404 and not logged', async () => {
    const { partner, login } = await makePartner(t)
    for (const id of [scheduled.fileId, unsubmitted.fileId, '00000000-0000-4000-8000-000000000000', 'abc', embargoed.id]) {
      const res = await get(`/doi-tac/tep/${id}`, login.headers)
      expect(res.statusCode, id).toBe(404)
      expect(res.body).not.toContain('%PDF')
    }
    expect(await downloadsOf(partner.id)).toHaveLength(0)
  })

  it('gets the embargoed releases as JSON from the API', async () => {
    const { login } = await makePartner(t)
    const res = await get('/api/v1/portal/embargoed', login.headers)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('private, no-store')
    const body = res.json() as { items: { id: string; publishAt: string; label: { vi: string; en: string }; files: { url: string }[] }[] }
    expect(body.items.map((i) => i.id)).toEqual([embargoed.id])
    expect(body.items[0]?.publishAt).toBe(LIFT.toISOString())
    expect(body.items[0]?.label).toEqual({ vi: 'CẤM ĐĂNG TRƯỚC 09:00 20/12', en: 'EMBARGOED UNTIL 09:00 20/12' })
    expect(body.items[0]?.files[0]?.url).toBe(`${t.config.publicUrl}/doi-tac/tep/${embargoed.fileId}`)
    const docs = (await get('/docs/json')).json() as { paths: Record<string, { get?: { responses?: Record<string, unknown> } }> }
    expect(docs.paths['/api/v1/portal/embargoed']?.get?.responses?.['200']).toBeTruthy()
  })

  it('an API client with an embargo:read token downloads the file the API lists (logged), and nothing once suspended', async () => {
    const p = await makePartner(t)
    const actor = { id: p.user.id, tenantId: t.tenant.id, role: 'journalist', email: p.user.email }
    const { token } = await withTransaction(t.database.pool, (tx) =>
      createPartnerToken({ tx, actor, input: { name: 'Máy chủ toà soạn', scopes: ['embargo:read'], days: 30 } }),
    )
    const auth = { authorization: `Bearer ${token}` }
    const url = `/doi-tac/tep/${embargoed.fileId}`
    const file = await get(url, auth)
    expect(file.statusCode).toBe(200)
    expect(file.rawPayload.subarray(0, 5).toString()).toBe('%PDF-')
    expect(file.headers['set-cookie']).toBeUndefined()
    expect((await downloadsOf(p.partner.id)).map((d) => d.userId)).toEqual([p.user.id])
    await setStatus(p.partner.id, 'suspended')
    expect((await get(url, auth)).statusCode).toBe(403)
    expect(await downloadsOf(p.partner.id)).toHaveLength(1)
  })
})

describe('losing accreditation bites at once, in the same open session', () => {
  // A revocation also ends the session itself (end-revoked-partner-access.test.ts): below.
  it.each(['suspended', 'expired'] as const)('%s: the page, the file and the API refuse on the next request', async (to) => {
    const { partner, login } = await makePartner(t)
    // Before: everything is there (and nothing of it may be kept anywhere).
    const before = await get('/doi-tac', login.headers)
    expect(before.body).toContain('zqembargo')
    expect((await get(`/doi-tac/tep/${embargoed.fileId}`, login.headers)).statusCode).toBe(200)
    expect((await get('/api/v1/portal/embargoed', login.headers)).statusCode).toBe(200)

    await setStatus(partner.id, to)

    const page = await get('/doi-tac', login.headers)
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    expect(page.body).not.toContain('zqembargo')
    expect(page.body).not.toContain('data-countdown=')
    expect(page.body).toContain({ suspended: 'đang bị tạm đình chỉ', expired: 'đã hết hạn' }[to])
    // Published material stays available.
    expect(page.body).toContain('zqpublished')

    const file = await get(`/doi-tac/tep/${embargoed.fileId}`, login.headers)
    expect(file.statusCode).toBe(403)
    expect(file.body).not.toContain('%PDF')
    expect(file.headers['cache-control']).toBe('no-store')
    expect(file.body).toContain('Chỉ đối tác đang được công nhận')

    const api = await get('/api/v1/portal/embargoed', login.headers)
    expect(api.statusCode).toBe(403)
    expect(api.json()).toMatchObject({
      error: {
        code: 'PARTNER_NOT_ACCREDITED',
        message: { vi: expect.stringContaining('được công nhận'), en: expect.stringContaining('accredited') },
      },
    })
    // Only the one download from before the change was logged.
    expect((await downloadsOf(partner.id)).filter((d) => d.embargoed)).toHaveLength(1)
    // The reason is on the profile, in the history.
    expect((await get('/doi-tac/ho-so', login.headers)).body).toContain('Vi phạm quy định cấm đăng trước (kiểm thử).')
  })

  it('revoked: the open session itself ends, so the page, the file and the API give nothing', async () => {
    const { partner, login } = await makePartner(t)
    expect((await get(`/doi-tac/tep/${embargoed.fileId}`, login.headers)).statusCode).toBe(200)
    await setStatus(partner.id, 'revoked')
    const page = await get('/doi-tac', login.headers)
    expect(page.statusCode).not.toBe(200)
    expect(page.body).not.toContain('zqembargo')
    const file = await get(`/doi-tac/tep/${embargoed.fileId}`, login.headers)
    expect(file.statusCode).not.toBe(200)
    expect(file.body).not.toContain('%PDF')
    expect((await get('/api/v1/portal/embargoed', login.headers)).statusCode).toBe(401)
    expect((await downloadsOf(partner.id)).filter((d) => d.embargoed)).toHaveLength(1)
  })

  it('an applied partner sees no embargo anywhere and is told the application is awaiting review', async () => {
    const { partner, login } = await makePartner(t, { status: 'applied' })
    const page = await get('/doi-tac', login.headers)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Hồ sơ đang chờ xét duyệt')
    expect(page.body).not.toContain('zqembargo')
    expect((await get(`/doi-tac/tep/${embargoed.fileId}`, login.headers)).statusCode).toBe(403)
    expect((await get('/api/v1/portal/embargoed', login.headers)).statusCode).toBe(403)
    // A published file is anyone's: served and logged as not embargoed.
    const pub = await get(`/doi-tac/tep/${published.fileId}`, login.headers)
    expect(pub.statusCode).toBe(200)
    expect((await downloadsOf(partner.id)).map((d) => d.embargoed)).toEqual([false])
  })

  it('an accredited influencer sees embargoed releases too (accredited partners, not a role, decide)', async () => {
    const { login } = await makePartner(t, { kind: 'influencer' })
    expect((await get('/doi-tac', login.headers)).body).toContain('zqembargo')
  })
})

describe('who gets in', () => {
  it('staff, partner accounts without a record and anonymous visitors get no portal', async () => {
    const staff = await loginAs(t, editor)
    const denied = await get('/doi-tac', staff.headers)
    expect(denied.statusCode).toBe(403)
    expect(denied.body).not.toContain('zqembargo')
    expect((await get('/api/v1/portal/embargoed', staff.headers)).statusCode).toBe(403)
    expect((await get(`/doi-tac/tep/${embargoed.fileId}`, staff.headers)).statusCode).toBe(403)
    // A journalist account with no partner record behind it: fail closed.
    const orphan = await loginAs(t, await makeUser(t, { role: 'journalist' }))
    for (const url of ['/doi-tac', '/api/v1/portal/embargoed', `/doi-tac/tep/${embargoed.fileId}`, '/doi-tac/ho-so']) {
      const res = await get(url, orphan.headers)
      expect(res.statusCode, url).toBe(403)
      expect(res.body).not.toContain('zqembargo')
    }
    expect((await get('/doi-tac')).statusCode).toBe(302)
    expect((await get('/api/v1/portal/embargoed')).statusCode).toBe(401)
    // Partners do not read the staff download log.
    const { login } = await makePartner(t)
    expect((await get('/console/doi-tac/tai-xuong', login.headers)).statusCode).toBe(403)
  })

  it('old addresses /portal and /portal/embargo redirect to /doi-tac', async () => {
    const { login } = await makePartner(t)
    for (const url of ['/portal', '/portal/embargo']) {
      const res = await get(url, login.headers)
      expect(res.statusCode, url).toBe(301)
      expect(res.headers.location).toBe('/doi-tac')
      expect(res.body).not.toContain('zqembargo')
    }
    expect((await get('/console', login.headers)).headers.location).toBe('/doi-tac')
  })
})

describe('profile and press card', () => {
  it('shows a journalist their card, term, contact and status history; identity is changed only by staff', async () => {
    const { partner, login } = await makePartner(t, { name: 'Phạm Văn Thẻ' })
    const res = await get('/doi-tac/ho-so', login.headers)
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain('Phạm Văn Thẻ')
    expect(res.body).toContain(partner.pressCardNumber as string)
    expect(res.body).toContain('Thẻ nhà báo')
    expect(res.body).toContain('do phòng báo chí cập nhật')
    expect(res.body).not.toContain('/doi-tac/ho-so/xac-nhan')
  })

  it('an influencer signs the acknowledgement once, in the portal, audited; a second time is refused', async () => {
    const { partner, login } = await makePartner(t, { kind: 'influencer', status: 'verified' })
    const page = await get('/doi-tac/ho-so', login.headers)
    expect(page.body).toContain('người chuyển tải')
    expect(page.body).toContain('Tôi xác nhận / I acknowledge')
    const csrf = csrfFrom(page.body)
    const post = () =>
      t.app.inject({
        method: 'POST',
        url: '/doi-tac/ho-so/xac-nhan',
        ...form({ _csrf: csrf }),
        headers: { ...form({}).headers, cookie: login.cookie },
      })
    const ok = await post()
    expect(ok.statusCode).toBe(303)
    expect(ok.headers.location).toBe('/doi-tac/ho-so?done=1#acknowledgement')
    const rows = await t.database.db.select().from(partnerAcknowledgements).where(eq(partnerAcknowledgements.partnerId, partner.id))
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ method: 'portal', recordedBy: partner.userId })
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'partner.acknowledgement_recorded'), eq(auditEvents.subjectId, partner.id)))
    expect(audit).toBeTruthy()
    const after = await get('/doi-tac/ho-so?done=1', login.headers)
    expect(after.body).toContain('Đã ghi nhận xác nhận của bạn.')
    expect(after.body).not.toContain('/doi-tac/ho-so/xac-nhan')
    const again = await post()
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('Không cần xác nhận')
    expect(
      await t.database.db.select().from(partnerAcknowledgements).where(eq(partnerAcknowledgements.partnerId, partner.id)),
    ).toHaveLength(1)
    // Without the CSRF token nothing is recorded.
    const { login: other, partner: p2 } = await makePartner(t, { kind: 'influencer', status: 'verified' })
    const forged = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/ho-so/xac-nhan',
      ...form({}),
      headers: { ...form({}).headers, cookie: other.cookie },
    })
    expect(forged.statusCode).toBe(403)
    expect(await t.database.db.select().from(partnerAcknowledgements).where(eq(partnerAcknowledgements.partnerId, p2.id))).toHaveLength(0)
  })

  it('a journalist has nothing to acknowledge', async () => {
    const { login } = await makePartner(t)
    const res = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/ho-so/xac-nhan',
      ...form({}),
      headers: { ...form({}).headers, ...login.headers },
    })
    expect(res.statusCode).toBe(409)
  })
})
