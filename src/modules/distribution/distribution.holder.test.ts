/**
 * Distribution as a partner data holder (distribution.holder.ts), through the registry's real
 * commands against real PostgreSQL: a revocation switches the partner's endpoints off and
 * cancels what still waits for them, in the revoking transaction (rolled back with it); an
 * erasure under Law 91/2025 empties addresses, endpoints, opt-outs, preferences and the personal
 * parts of coverage, keeping the verdicts the accuracy figure needs; the registry's detail page
 * shows the partner's deliveries and coverage accuracy, and nothing of another partner's.
 */
import { and, eq, inArray } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, type MadeUser, makeUser, type TestApp } from '../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../test/support/partners.ts'
import { withTransaction } from '../../db/index.ts'
import { auditEvents } from '../../platform/audit/audit.tables.ts'
import { erasePartnerData } from '../partners/application/commands/erase-partner-data.ts'
import { changePartnerStatus } from '../partners/commands/change-partner-status.ts'
import { partners } from '../partners/partners.tables.ts'
import { coverageCorrectionRequests, coverageReports } from './coverage/coverage.tables.ts'
import { newLinkToken } from './distribution.links.ts'
import {
  distributionAttempts,
  distributionDeliveries,
  distributionLists,
  distributionOptOuts,
  distributionPreferences,
  distributionWebhooks,
} from './distribution.tables.ts'
import type { DeliveryChannel, DeliveryKind, DeliveryState } from './distribution.types.ts'
import { ensureBuiltinLists } from './lists/recipients.ts'
import { newWebhookSecret } from './webhooks/webhooks.ts'

/** What an erased endpoint's URL becomes (distribution.holder.ts; not imported: the app must register the holder itself). */
const ERASED_WEBHOOK_URL = 'https://erased.invalid/'

let t: TestApp
let admin: MadeUser
let editorLogin: Login

beforeAll(async () => {
  t = await createTestApp()
  admin = await makeUser(t, { role: 'admin' })
  editorLogin = await loginAs(t, await makeUser(t, { role: 'editor' }))
})
afterAll(async () => {
  await t?.close()
})

const adminActor = () => ({ id: admin.id, tenantId: t.tenant.id, role: 'admin', email: admin.email })
const FAR = () => new Date(Date.now() + 86_400_000)

async function hookFor(partnerId: string, url: string): Promise<string> {
  const [row] = await t.database.db
    .insert(distributionWebhooks)
    .values({ tenantId: t.tenant.id, partnerId, url, secret: newWebhookSecret() })
    .returning({ id: distributionWebhooks.id })
  return row?.id as string
}

async function delivery(
  partnerId: string,
  o: { channel: DeliveryChannel; state: DeliveryState; kind?: DeliveryKind; webhookId?: string; address?: string; title?: string },
): Promise<string> {
  const [row] = await t.database.db
    .insert(distributionDeliveries)
    .values({
      tenantId: t.tenant.id,
      itemType: 'release',
      itemId: crypto.randomUUID(),
      kind: o.kind ?? 'publish',
      recipientType: 'partner',
      partnerId,
      channel: o.channel,
      webhookId: o.webhookId ?? null,
      address: o.address ?? null,
      state: o.state,
      lastError: o.state === 'failed' ? `550 ${o.address ?? 'x'} unknown` : null,
      // Far ahead: the sender service running in the app leaves these rows alone.
      nextAttemptAt: FAR(),
      linkToken: newLinkToken(),
      payload: {
        event: 'release.published',
        itemType: 'release',
        itemId: null,
        title: o.title ?? 'Thông cáo báo chí',
        summary: 'Tóm tắt',
        source: { name: 'Công an tỉnh', url: 'http://donghanh.test' },
        ...(o.kind === 'correction_request'
          ? { quote: { official: '12 người', published: '21 người', url: 'https://blog-ca-nhan.example/bai-viet' } }
          : {}),
      },
    })
    .returning({ id: distributionDeliveries.id })
  return row?.id as string
}

async function report(partnerId: string, verdict: 'faithful' | 'excerpt' | 'altered', url: string): Promise<string> {
  const [row] = await t.database.db
    .insert(coverageReports)
    .values({
      tenantId: t.tenant.id,
      itemType: 'release',
      itemId: crypto.randomUUID(),
      partnerId,
      url,
      reportedBy: 'partner',
      state: 'captured',
      finalUrl: url,
      headline: 'Tiêu đề bài viết của đối tác',
      text: 'Nội dung bài viết, có 21 người bị thương.',
      verdict,
      changes: verdict === 'altered' ? [{ kind: 'figure', official: '12', published: '21', before: 'có ', after: ' người bị thương' }] : [],
      capturedAt: new Date(),
    })
    .returning({ id: coverageReports.id })
  return row?.id as string
}

const hooksOf = (partnerId: string) =>
  t.database.db.select().from(distributionWebhooks).where(eq(distributionWebhooks.partnerId, partnerId))
const deliveriesOf = (partnerId: string) =>
  t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.partnerId, partnerId))

describe('revocation', () => {
  /** A partner with one live endpoint and a delivery in each state that matters. */
  async function scene(): Promise<{ p: MadePartner; hookId: string; ids: Record<string, string> }> {
    const p = await makePartner(t)
    const hookId = await hookFor(p.partner.id, 'https://hooks.example.com/in')
    const ids = {
      queuedMail: await delivery(p.partner.id, { channel: 'email', state: 'queued', address: p.partner.email as string }),
      queuedHook: await delivery(p.partner.id, { channel: 'webhook', state: 'queued', webhookId: hookId }),
      failed: await delivery(p.partner.id, { channel: 'email', state: 'failed', address: p.partner.email as string }),
      digest: await delivery(p.partner.id, { channel: 'digest', state: 'queued', address: p.partner.email as string }),
      sent: await delivery(p.partner.id, { channel: 'email', state: 'sent', address: p.partner.email as string }),
      portal: await delivery(p.partner.id, { channel: 'portal', state: 'opened' }),
    }
    return { p, hookId, ids }
  }
  const revoke = (partnerId: string) => (tx: Parameters<Parameters<typeof withTransaction>[1]>[0]) =>
    changePartnerStatus({ tx, actor: adminActor(), partnerId, to: 'revoked', reason: 'Vi phạm quy chế phát ngôn nhiều lần' })

  it('switches the endpoints off and cancels what still waits, in the revoking transaction', async () => {
    const { p, hookId, ids } = await scene()
    await withTransaction(t.database.pool, async (tx) => {
      await revoke(p.partner.id)(tx)
      // Seen inside the revoking transaction, before it commits.
      const [hook] = await tx.select().from(distributionWebhooks).where(eq(distributionWebhooks.id, hookId))
      expect(hook?.state).toBe('disabled')
    })
    const [hook] = await hooksOf(p.partner.id)
    expect(hook).toMatchObject({ id: hookId, state: 'disabled', deletedAt: null })
    expect(hook?.disabledReason).toContain('partner revoked')
    expect(hook?.disabledReason).toContain('thu hồi')
    const byId = new Map((await deliveriesOf(p.partner.id)).map((d) => [d.id, d]))
    for (const k of ['queuedMail', 'queuedHook', 'failed', 'digest'] as const) {
      expect(byId.get(ids[k])?.state, k).toBe('cancelled')
      expect(byId.get(ids[k])?.lastError, k).toBe('partner revoked')
    }
    // What already reached them stays as it was (the record of what they hold).
    expect(byId.get(ids.sent)?.state).toBe('sent')
    expect(byId.get(ids.portal)?.state).toBe('opened')
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'partner.status_changed'), eq(auditEvents.subjectId, p.partner.id)))
    expect(audit?.summary).toMatchObject({ to: 'revoked' })
    const [ended] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.partner_access_ended'), eq(auditEvents.subjectId, p.partner.id)))
    expect(ended?.summary).toEqual({ webhooksDisabled: 1, deliveriesCancelled: 4, webhookIds: [hookId] })
  })

  it('changes nothing when the revoking transaction rolls back', async () => {
    const { p, hookId, ids } = await scene()
    await expect(
      withTransaction(t.database.pool, async (tx) => {
        await revoke(p.partner.id)(tx)
        throw new Error('rolled back on purpose')
      }),
    ).rejects.toThrow('rolled back on purpose')
    const [hook] = await hooksOf(p.partner.id)
    expect(hook).toMatchObject({ id: hookId, state: 'active', disabledReason: null })
    const byId = new Map((await deliveriesOf(p.partner.id)).map((d) => [d.id, d]))
    expect(byId.get(ids.queuedMail)?.state).toBe('queued')
    expect(byId.get(ids.failed)?.state).toBe('failed')
  })

  it('leaves another partner alone', async () => {
    const { p } = await scene()
    const other = await scene()
    await withTransaction(t.database.pool, revoke(p.partner.id))
    expect((await hooksOf(other.p.partner.id))[0]?.state).toBe('active')
    expect((await deliveriesOf(other.p.partner.id)).filter((d) => d.state === 'cancelled')).toHaveLength(0)
  })
})

describe('erasure (Law 91/2025)', () => {
  it('empties addresses, endpoints, opt-outs, preferences and the personal parts of coverage; keeps the verdicts', async () => {
    const p = await makePartner(t)
    const other = await makePartner(t)
    const email = p.partner.email as string
    const hookId = await hookFor(p.partner.id, 'https://nguyen-thi-hoa.example/hooks/private')
    const otherHook = await hookFor(other.partner.id, 'https://other.example/hook')
    const sentHook = await delivery(p.partner.id, { channel: 'webhook', state: 'sent', webhookId: hookId })
    await t.database.db.insert(distributionAttempts).values({
      tenantId: t.tenant.id,
      deliveryId: sentHook,
      webhookId: hookId,
      status: 500,
      error: 'connect ECONNREFUSED nguyen-thi-hoa.example',
    })
    await delivery(p.partner.id, { channel: 'email', state: 'sent', address: email })
    await delivery(p.partner.id, { channel: 'email', state: 'failed', address: email })
    const queued = await delivery(p.partner.id, { channel: 'email', state: 'queued', address: email })
    const request = await delivery(p.partner.id, { channel: 'portal', state: 'sent', kind: 'correction_request' })
    const othersMail = await delivery(other.partner.id, { channel: 'email', state: 'sent', address: other.partner.email as string })
    await ensureBuiltinLists(t.database.db, t.tenant.id)
    const [list] = await t.database.db.select().from(distributionLists).where(eq(distributionLists.tenantId, t.tenant.id)).limit(1)
    await t.database.db.insert(distributionOptOuts).values({ tenantId: t.tenant.id, partnerId: p.partner.id, listId: list?.id as string })
    await t.database.db
      .insert(distributionPreferences)
      .values({ tenantId: t.tenant.id, partnerId: p.partner.id, emailMode: 'digest', digestHour: 18 })
    const faithful = await report(p.partner.id, 'faithful', 'https://nguyen-thi-hoa.example/bai-1')
    const altered = await report(p.partner.id, 'altered', 'https://nguyen-thi-hoa.example/bai-2')
    const othersReport = await report(other.partner.id, 'altered', 'https://other.example/bai')
    const [pending] = await t.database.db
      .insert(coverageReports)
      .values({
        tenantId: t.tenant.id,
        itemType: 'release',
        itemId: crypto.randomUUID(),
        partnerId: p.partner.id,
        url: 'https://nguyen-thi-hoa.example/bai-3',
        reportedBy: 'partner',
      })
      .returning({ id: coverageReports.id })
    await t.database.db.insert(coverageCorrectionRequests).values({
      tenantId: t.tenant.id,
      coverageId: altered,
      partnerId: p.partner.id,
      sentBy: admin.id,
      message: 'Đề nghị cải chính bài https://nguyen-thi-hoa.example/bai-2',
      quote: { official: '12', published: '21', url: 'https://nguyen-thi-hoa.example/bai-2' },
      deliveryId: request,
    })

    await withTransaction(t.database.pool, async (tx) => {
      const [row] = await tx.select().from(partners).where(eq(partners.id, p.partner.id)).for('update')
      if (!row) throw new Error('no partner')
      const r = await erasePartnerData({ tx, partner: row, cause: 'consent_withdrawn', actor: { id: admin.id, label: admin.email } })
      expect(r.held).toMatchObject({ webhooksErased: 1, optOuts: 1, preferences: 1, coverageErased: 3, correctionRequestsErased: 1 })
      // Inside the erasing transaction, before it commits.
      const [hook] = await tx.select().from(distributionWebhooks).where(eq(distributionWebhooks.id, hookId))
      expect(hook?.url).toBe(ERASED_WEBHOOK_URL)
    })

    const mine = await deliveriesOf(p.partner.id)
    expect(mine.length).toBe(5)
    expect(mine.every((d) => d.address === null && d.lastError === null)).toBe(true)
    expect(mine.find((d) => d.id === queued)?.state).toBe('cancelled')
    const req = mine.find((d) => d.id === request)
    expect(JSON.stringify(req?.payload)).not.toContain('nguyen-thi-hoa')
    expect(req?.payload.quote).toBeUndefined()
    expect(req?.payload.title).toBe('Thông cáo báo chí')

    const [hook] = await hooksOf(p.partner.id)
    expect(hook).toMatchObject({ url: ERASED_WEBHOOK_URL, state: 'disabled', previousSecret: null })
    expect(hook?.deletedAt).toBeInstanceOf(Date)
    expect(hook?.secret.startsWith('deleted:')).toBe(true)
    const [attempt] = await t.database.db.select().from(distributionAttempts).where(eq(distributionAttempts.deliveryId, sentHook))
    expect(attempt).toMatchObject({ status: 500, error: null })

    expect(await t.database.db.select().from(distributionOptOuts).where(eq(distributionOptOuts.partnerId, p.partner.id))).toHaveLength(0)
    expect(
      await t.database.db.select().from(distributionPreferences).where(eq(distributionPreferences.partnerId, p.partner.id)),
    ).toHaveLength(0)

    const reports = await t.database.db
      .select()
      .from(coverageReports)
      .where(inArray(coverageReports.id, [faithful, altered]))
    for (const r of reports) {
      expect(r.url).toBe(`erased:${r.id}`)
      expect(r).toMatchObject({ finalUrl: null, headline: null, text: null, diff: null, state: 'captured' })
    }
    // The judgement stays: the accuracy figure and the office's side of the change.
    expect(reports.map((r) => r.verdict).sort()).toEqual(['altered', 'faithful'])
    expect(reports.find((r) => r.id === altered)?.changes).toEqual([
      { kind: 'figure', official: '12', published: '', before: '', after: '' },
    ])
    // A capture still pending is ended, so a job in flight cannot write the page back.
    const [ended] = await t.database.db
      .select()
      .from(coverageReports)
      .where(eq(coverageReports.id, pending?.id as string))
    expect(ended).toMatchObject({ state: 'failed', failureReason: 'unreachable', url: `erased:${pending?.id}` })
    const [cr] = await t.database.db.select().from(coverageCorrectionRequests).where(eq(coverageCorrectionRequests.coverageId, altered))
    expect(cr?.quote).toEqual({ official: '12', published: '', url: '' })
    expect(cr?.message).not.toContain('nguyen-thi-hoa')

    // Another partner's rows are untouched.
    expect((await hooksOf(other.partner.id))[0]).toMatchObject({ id: otherHook, state: 'active', url: 'https://other.example/hook' })
    expect((await deliveriesOf(other.partner.id)).find((d) => d.id === othersMail)?.address).toBe(other.partner.email)
    const [theirs] = await t.database.db.select().from(coverageReports).where(eq(coverageReports.id, othersReport))
    expect(theirs?.url).toBe('https://other.example/bai')

    // The registry's audit row carries the counts, never the values.
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'partner.data_erased'), eq(auditEvents.subjectId, p.partner.id)))
    expect(audit?.summary).toMatchObject({ webhooksErased: 1, coverageErased: 3 })
    expect(JSON.stringify(audit?.summary)).not.toContain('nguyen-thi-hoa')
  })
})

describe('the registry detail page', () => {
  it("shows the partner's latest deliveries with their channels and states, and the coverage accuracy", async () => {
    const p = await makePartner(t)
    const other = await makePartner(t)
    await delivery(p.partner.id, { channel: 'portal', state: 'opened', title: 'Thông cáo zqmine một' })
    await delivery(p.partner.id, { channel: 'email', state: 'bounced', address: p.partner.email as string, title: 'Thông cáo zqmine hai' })
    await delivery(other.partner.id, { channel: 'portal', state: 'sent', title: 'Thông cáo zqother' })
    await report(p.partner.id, 'faithful', 'https://bao.example.vn/a')
    await report(p.partner.id, 'excerpt', 'https://bao.example.vn/b')
    await report(p.partner.id, 'faithful', 'https://bao.example.vn/c')
    await report(p.partner.id, 'altered', 'https://bao.example.vn/d')
    await report(other.partner.id, 'altered', 'https://other.example/x')

    const res = await t.app.inject({ method: 'GET', url: `/console/doi-tac/${p.partner.id}`, headers: editorLogin.headers })
    expect(res.statusCode).toBe(200)
    const html = res.body
    expect(html).toContain('data-count="distribution">2<')
    expect(html).toContain('data-list="distribution"')
    expect(html).toContain('Thông cáo zqmine một')
    expect(html).toContain('Hộp thư cổng đối tác: Đã mở')
    expect(html).toContain('E-mail: Bị trả về')
    expect(html).not.toContain('zqother')
    expect(html).toContain('data-count="coverage">4<')
    expect(html).toContain('chính xác 75% (3/4)')
    expect(html).toContain('Sai lệch')
    expect(html).toContain('bao.example.vn')
    expect(html).not.toContain('other.example')
    expect(html).toContain(`href="/console/phan-phoi/dua-tin/doi-tac/${p.partner.id}"`)

    const en = await t.app.inject({ method: 'GET', url: `/console/doi-tac/${p.partner.id}?lang=en`, headers: editorLogin.headers })
    expect(en.body).toContain('75% accurate (3/4)')
  })

  it('shows empty blocks for a partner with nothing yet', async () => {
    const p = await makePartner(t)
    const html = (await t.app.inject({ method: 'GET', url: `/console/doi-tac/${p.partner.id}`, headers: editorLogin.headers })).body
    expect(html).toContain('data-count="distribution">0<')
    expect(html).toContain('Chưa nhận tin nào.')
    expect(html).toContain('Chưa có bài đưa tin nào.')
  })
})
