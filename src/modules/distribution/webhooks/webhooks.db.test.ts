/**
 * The endpoint's bookkeeping against real PostgreSQL, a real SMTP server and real HTTP
 * receivers: attempts recorded, failures counted, an endpoint disabled on 410 / a run of
 * failures / a delivery's last attempt, its owner and the admins told once (mail + portal
 * notice + audit); the test ping; the staff's webhook page and re-enabling.
 */
import http, { type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, asc, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { form, type Login, loginAs, makeUser, type MadeUser, type TestApp, createTestApp } from '../../../../test/support/app.ts'
import { makePartner, type MadePartner } from '../../../../test/support/partners.ts'
import { withTransaction } from '../../../db/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { AppError } from '../../../platform/errors.ts'
import { newLinkToken } from '../distribution.links.ts'
import { distributionAttempts, distributionDeliveries, distributionWebhooks } from '../distribution.tables.ts'
import { type SmtpReceiver, startSmtpReceiver } from '../delivery/testing.ts'
import type { ChannelOutcome } from '../distribution.types.ts'
import {
  closeOutboundAgents,
  DISABLE_AFTER_FAILURES,
  newWebhookSecret,
  recordWebhookOutcome,
  sendTestPing,
  sendWebhook,
} from './webhooks.ts'

let t: TestApp
let smtp: SmtpReceiver
const inbox: { to: string; subject: string; text: string }[] = []
let admin: MadeUser
let officer: Login
let approver: Login
let owner: MadePartner
let gone: Server
let goneUrl: string

beforeAll(async () => {
  smtp = await startSmtpReceiver({
    parse: true,
    onMail: (m) => inbox.push({ to: m.to.join(','), subject: m.parsed?.subject ?? '', text: m.parsed?.text ?? '' }),
  })
  t = await createTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE: 'true' })
  admin = await makeUser(t, { role: 'admin' })
  officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
  approver = await loginAs(t, await makeUser(t, { role: 'approver' }))
  owner = await makePartner(t, { kind: 'journalist' })
  gone = http.createServer((_req, res) => res.writeHead(410).end())
  await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', () => resolve()))
  goneUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}/hooks/secret-path-token`
})

afterAll(async () => {
  closeOutboundAgents()
  await t?.close()
  gone?.closeAllConnections()
  await new Promise<void>((resolve) => gone.close(() => resolve()))
  await smtp?.close()
})

async function makeWebhook(partnerId: string, url: string): Promise<string> {
  const [row] = await t.database.db
    .insert(distributionWebhooks)
    .values({ tenantId: t.tenant.id, partnerId, url, secret: newWebhookSecret() })
    .returning({ id: distributionWebhooks.id })
  return row?.id as string
}

async function makeDelivery(partnerId: string, webhookId: string): Promise<{ id: string; linkToken: string; createdAt: Date }> {
  const linkToken = newLinkToken()
  const [row] = await t.database.db
    .insert(distributionDeliveries)
    .values({
      tenantId: t.tenant.id,
      itemType: 'release',
      itemId: crypto.randomUUID(),
      kind: 'publish',
      recipientType: 'partner',
      partnerId,
      channel: 'webhook',
      webhookId,
      // Already handled: the sender service running in the test app must not pick it up (these
      // tests drive the bookkeeping by hand).
      state: 'sent',
      linkToken,
      payload: {
        event: 'release.published',
        itemType: 'release',
        itemId: null,
        title: 'T',
        summary: 'S',
        source: { name: 'Công an tỉnh', url: '' },
      },
    })
    .returning({ id: distributionDeliveries.id, createdAt: distributionDeliveries.createdAt })
  return { id: row?.id as string, linkToken, createdAt: row?.createdAt as Date }
}

async function record(webhookId: string, deliveryId: string, outcome: ChannelOutcome, final = false) {
  await withTransaction(t.database.pool, (tx) =>
    recordWebhookOutcome(tx, { tenantId: t.tenant.id, deliveryId, webhookId, outcome, final, publicUrl: t.config.publicUrl }),
  )
}

async function hook(id: string) {
  const [row] = await t.database.db.select().from(distributionWebhooks).where(eq(distributionWebhooks.id, id))
  return row
}

/** Waits for mail the `mail.send` job delivers to the SMTP server (a job, so not instantly). */
async function mailTo(address: string, subject: RegExp): Promise<{ to: string; subject: string; text: string }> {
  for (let i = 0; i < 200; i++) {
    const m = inbox.find((x) => x.to === address && subject.test(x.subject))
    if (m) return m
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`no mail to ${address} matching ${subject}`)
}

describe('after each attempt', () => {
  it('410 Gone: attempt recorded, endpoint disabled at once, owner and admins told once, audited', async () => {
    const webhookId = await makeWebhook(owner.partner.id, goneUrl)
    const d = await makeDelivery(owner.partner.id, webhookId)
    const [endpoint] = await t.database.db.select().from(distributionWebhooks).where(eq(distributionWebhooks.id, webhookId))
    if (!endpoint) throw new Error('no endpoint')
    const outcome = await sendWebhook(
      {
        id: d.id,
        kind: 'publish',
        linkToken: d.linkToken,
        createdAt: d.createdAt,
        payload: {
          event: 'release.published',
          itemType: 'release',
          itemId: null,
          title: 'T',
          summary: 'S',
          source: { name: 'x', url: '' },
        },
      },
      endpoint,
      { allowPrivate: true, publicUrl: t.config.publicUrl },
    )
    expect(outcome).toMatchObject({ gone: true, status: 410 })
    await record(webhookId, d.id, outcome, true)

    const after = await hook(webhookId)
    expect(after?.state).toBe('disabled')
    expect(after?.disabledReason).toContain('410')
    expect(after?.disabledAt).toBeInstanceOf(Date)
    const attempts = await t.database.db.select().from(distributionAttempts).where(eq(distributionAttempts.deliveryId, d.id))
    expect(attempts).toHaveLength(1)
    expect(attempts[0]).toMatchObject({ status: 410, webhookId })

    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.webhook_disabled'), eq(auditEvents.subjectId, webhookId)))
    expect(audits).toHaveLength(1)
    expect(audits[0]).toMatchObject({ actorId: null, actorLabel: 'system' })
    expect(audits[0]?.summary).toMatchObject({ cause: 'gone', partnerId: owner.partner.id })

    const notices = await t.database.db
      .select()
      .from(distributionDeliveries)
      .where(and(eq(distributionDeliveries.partnerId, owner.partner.id), eq(distributionDeliveries.kind, 'notice')))
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ channel: 'portal', state: 'sent', itemType: 'notice', itemId: webhookId })
    expect(notices[0]?.payload.event).toBe('webhook.disabled')
    expect(notices[0]?.payload.summary).toContain('/doi-tac/nhan-tin')

    const ownerMail = await mailTo(owner.partner.email as string, /Webhook 127\.0\.0\.1/)
    expect(ownerMail.text).toContain('410')
    expect(ownerMail.text).toContain(`${t.config.publicUrl}/doi-tac/nhan-tin`)
    // The URL's path may hold the partner's own token: only the host is ever shown.
    expect(ownerMail.text).not.toContain('secret-path-token')
    const staffMail = await mailTo(admin.email, /Webhook/)
    expect(staffMail.text).toContain(owner.partner.name)
    expect(staffMail.text).toContain('/console/phan-phoi/webhook')

    // Another failure of the same (now disabled) endpoint tells nobody again.
    const d2 = await makeDelivery(owner.partner.id, webhookId)
    await record(webhookId, d2.id, { state: 'failed', retryable: false, gone: true, status: 410 }, true)
    const notices2 = await t.database.db
      .select()
      .from(distributionDeliveries)
      .where(and(eq(distributionDeliveries.partnerId, owner.partner.id), eq(distributionDeliveries.kind, 'notice')))
    expect(notices2).toHaveLength(1)
    expect(
      await t.database.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.action, 'distribution.webhook_disabled'), eq(auditEvents.subjectId, webhookId))),
    ).toHaveLength(1)
  })

  it('counts failures in a row; a success resets them; the threshold disables', async () => {
    const p = await makePartner(t)
    const webhookId = await makeWebhook(p.partner.id, 'https://hooks.example.com/a')
    const d = await makeDelivery(p.partner.id, webhookId)
    const fail: ChannelOutcome = { state: 'failed', retryable: true, status: 500, error: 'HTTP 500', durationMs: 12 }
    for (let i = 0; i < DISABLE_AFTER_FAILURES - 1; i++) await record(webhookId, d.id, fail)
    expect(await hook(webhookId)).toMatchObject({ state: 'active', consecutiveFailures: DISABLE_AFTER_FAILURES - 1 })
    await record(webhookId, d.id, { state: 'sent', retryable: false, status: 200, durationMs: 5 })
    const reset = await hook(webhookId)
    expect(reset).toMatchObject({ state: 'active', consecutiveFailures: 0 })
    expect(reset?.lastSuccessAt).toBeInstanceOf(Date)
    for (let i = 0; i < DISABLE_AFTER_FAILURES - 1; i++) await record(webhookId, d.id, fail)
    expect((await hook(webhookId))?.state).toBe('active')
    await record(webhookId, d.id, fail)
    const off = await hook(webhookId)
    expect(off?.state).toBe('disabled')
    expect(off?.disabledReason).toContain(`${DISABLE_AFTER_FAILURES}`)
    expect(off?.disabledReason).toContain('HTTP 500')
    const attempts = await t.database.db
      .select()
      .from(distributionAttempts)
      .where(eq(distributionAttempts.webhookId, webhookId))
      .orderBy(asc(distributionAttempts.id))
    expect(attempts).toHaveLength(2 * DISABLE_AFTER_FAILURES)
    expect(attempts[0]).toMatchObject({ status: 500, error: 'HTTP 500', durationMs: 12 })
  })

  it('a delivery that failed for good disables its endpoint', async () => {
    const p = await makePartner(t)
    const webhookId = await makeWebhook(p.partner.id, 'https://hooks.example.com/b')
    const d = await makeDelivery(p.partner.id, webhookId)
    await record(webhookId, d.id, { state: 'failed', retryable: true, error: 'timeout' }, false)
    expect((await hook(webhookId))?.state).toBe('active')
    await record(webhookId, d.id, { state: 'failed', retryable: false, error: 'address not allowed' }, true)
    const off = await hook(webhookId)
    expect(off?.state).toBe('disabled')
    expect(off?.disabledReason).toContain('address not allowed')
  })
})

describe('send test', () => {
  it('queues a test delivery to the partner’s own active endpoint, audited', async () => {
    const p = await makePartner(t)
    const webhookId = await makeWebhook(p.partner.id, 'https://hooks.example.invalid/test')
    const id = await withTransaction(t.database.pool, (tx) =>
      sendTestPing(tx, { tenantId: t.tenant.id, partnerId: p.partner.id, webhookId, actorUserId: p.user.id }),
    )
    const [row] = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, id))
    expect(row).toMatchObject({
      itemType: 'test',
      kind: 'test',
      channel: 'webhook',
      webhookId,
      partnerId: p.partner.id,
      eventId: null,
      address: 'https://hooks.example.invalid/test',
    })
    expect(row?.payload.event).toBe('test')
    // Queued for the sender (which runs in the test app and may already have taken it).
    expect(['queued', 'sending', 'sent', 'failed']).toContain(row?.state)
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.webhook_tested'), eq(auditEvents.subjectId, webhookId)))
    expect(audit).toMatchObject({ actorId: p.user.id })

    // Someone else's endpoint answers as missing; a disabled one is refused.
    const other = await makePartner(t)
    await expect(
      withTransaction(t.database.pool, (tx) =>
        sendTestPing(tx, { tenantId: t.tenant.id, partnerId: other.partner.id, webhookId, actorUserId: other.user.id }),
      ),
    ).rejects.toMatchObject({ code: 'DISTRIBUTION_NOT_FOUND' })
    await t.database.db.update(distributionWebhooks).set({ state: 'disabled' }).where(eq(distributionWebhooks.id, webhookId))
    const refused = await withTransaction(t.database.pool, (tx) =>
      sendTestPing(tx, { tenantId: t.tenant.id, partnerId: p.partner.id, webhookId, actorUserId: p.user.id }),
    ).catch((e: unknown) => e)
    expect(refused).toBeInstanceOf(AppError)
    expect((refused as AppError).code).toBe('DISTRIBUTION_WEBHOOK_DISABLED')
  })
})

describe('/console/phan-phoi/webhook', () => {
  it('needs a signed-in staff member; partners are refused', async () => {
    const anon = await t.app.inject({ method: 'GET', url: '/console/phan-phoi/webhook' })
    expect([302, 303, 401]).toContain(anon.statusCode)
    const asPartner = await t.app.inject({ method: 'GET', url: '/console/phan-phoi/webhook', headers: owner.login.headers })
    expect(asPartner.statusCode).toBe(403)
  })

  it('lists every endpoint, disabled first, by host only; approvers re-enable with a reason, audited', async () => {
    const p = await makePartner(t, { name: 'Báo Thanh Hóa Mới' })
    const activeId = await makeWebhook(p.partner.id, 'https://active.example.com/hook?token=abc')
    const disabledId = await makeWebhook(p.partner.id, 'https://broken.example.com/private/path')
    const d = await makeDelivery(p.partner.id, disabledId)
    await record(disabledId, d.id, { state: 'failed', retryable: false, gone: true, status: 410, error: 'HTTP 410 Gone' }, true)

    const page = await t.app.inject({ method: 'GET', url: '/console/phan-phoi/webhook', headers: officer.headers })
    expect(page.statusCode).toBe(200)
    const html = page.body
    expect(html).toContain('Webhook của đối tác')
    expect(html).toContain('broken.example.com')
    expect(html).toContain('active.example.com')
    expect(html).not.toContain('/private/path')
    expect(html).not.toContain('token=abc')
    // Every disabled row comes before every active one.
    const states = [...html.matchAll(/data-state="(active|disabled)"/g)].map((m) => m[1])
    expect(states.indexOf('active')).toBeGreaterThan(states.lastIndexOf('disabled'))
    expect(html.indexOf(`data-webhook="${disabledId}"`)).toBeLessThan(html.indexOf(`data-webhook="${activeId}"`))
    // An officer reads but has no re-enable form, and the route refuses them.
    expect(html).not.toContain(`/console/phan-phoi/webhook/${disabledId}/bat-lai`)
    const byOfficer = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/webhook/${disabledId}/bat-lai`,
      payload: form({ reason: 'Đã sửa máy nhận', _csrf: officer.csrf }).payload,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...officer.headers },
    })
    expect(byOfficer.statusCode).toBe(403)

    const approverPage = await t.app.inject({ method: 'GET', url: '/console/phan-phoi/webhook?lang=en', headers: approver.headers })
    expect(approverPage.body).toContain(`/console/phan-phoi/webhook/${disabledId}/bat-lai`)

    // No reason: refused, nothing changed, bilingual message.
    const noReason = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/webhook/${disabledId}/bat-lai`,
      payload: new URLSearchParams({ reason: ' ', _csrf: approver.csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...approver.headers },
    })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.body).toContain('lý do')
    expect((await hook(disabledId))?.state).toBe('disabled')

    const ok = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/webhook/${disabledId}/bat-lai`,
      payload: new URLSearchParams({ reason: 'Đối tác đã sửa máy nhận, gọi điện xác nhận', _csrf: approver.csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...approver.headers },
    })
    expect(ok.statusCode).toBe(303)
    expect(ok.headers.location).toContain('broken.example.com')
    expect(await hook(disabledId)).toMatchObject({ state: 'active', consecutiveFailures: 0, disabledReason: null })
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'distribution.webhook_enabled'), eq(auditEvents.subjectId, disabledId)))
    expect(audit?.summary).toMatchObject({ reason: 'Đối tác đã sửa máy nhận, gọi điện xác nhận', by: 'staff' })

    // Already active: a clear 409.
    const again = await t.app.inject({
      method: 'POST',
      url: `/console/phan-phoi/webhook/${disabledId}/bat-lai`,
      payload: new URLSearchParams({ reason: 'Bật lại lần nữa', _csrf: approver.csrf }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...approver.headers },
    })
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('đang hoạt động')
  })
})
