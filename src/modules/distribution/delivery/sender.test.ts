/**
 * The sender against a real SMTP server and a real HTTP receiver, through the worker's own
 * service (started by the test app): headers and the stable Message-ID, a forced re-send,
 * bounces, transient failures retried when the clock says so, the live embargo re-check and
 * disabled endpoints.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { eq, sql } from 'drizzle-orm'
import { simpleParser } from 'mailparser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { advanceClock, resetClock } from '../../../platform/clock.ts'
import { partners } from '../../partners/partners.tables.ts'
import { newLinkToken } from '../distribution.links.ts'
import { distributionAttempts, distributionDeliveries, distributionPreferences, distributionWebhooks } from '../distribution.tables.ts'
import type { DeliveryKind, DeliveryPayload } from '../distribution.types.ts'
import { type SmtpReceiver, samplePayload, startSmtpReceiver, startWebhookReceiver, type WebhookReceiver } from './testing.ts'

let t: TestApp
let smtp: SmtpReceiver
let hooks: WebhookReceiver
const greylisted = new Set<string>()

beforeAll(async () => {
  smtp = await startSmtpReceiver({
    keepRaw: true,
    rcpt(address) {
      if (address.startsWith('bounce')) return { code: 550, message: '5.1.1 Mailbox does not exist' }
      // Greylisting: the first try is refused for now, the next one accepted.
      if (address.startsWith('greylist') && !greylisted.has(address)) {
        greylisted.add(address)
        return { code: 451, message: '4.7.1 Greylisted, try again later' }
      }
      return null
    },
  })
  hooks = await startWebhookReceiver()
  t = await createTestApp({ SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE: 'true' })
})
afterAll(async () => {
  await t?.close()
  await smtp?.close()
  await hooks?.close()
})
afterEach(() => resetClock())

async function waitFor<T>(fn: () => Promise<T | undefined | null | false>, ms = 20_000): Promise<T> {
  const until = Date.now() + ms
  for (;;) {
    const v = await fn()
    if (v) return v
    if (Date.now() > until) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 50))
  }
}

async function insertDelivery(o: {
  partnerId: string | null
  channel: 'email' | 'webhook'
  kind?: DeliveryKind
  address?: string | null
  webhookId?: string
  payload?: Partial<DeliveryPayload>
}): Promise<{ id: string; linkToken: string }> {
  const linkToken = newLinkToken()
  const [row] = await t.database.db
    .insert(distributionDeliveries)
    .values({
      tenantId: t.tenant.id,
      itemType: 'release',
      itemId: null,
      kind: o.kind ?? 'publish',
      recipientType: o.partnerId ? 'partner' : 'subscriber',
      partnerId: o.partnerId,
      channel: o.channel,
      webhookId: o.webhookId ?? null,
      address: o.address ?? null,
      linkToken,
      payload: { ...samplePayload(t.config.publicUrl), ...o.payload },
    })
    .returning({ id: distributionDeliveries.id })
  await t.database.pool.query('NOTIFY donghanh_distribution')
  return { id: row?.id as string, linkToken }
}

async function delivery(id: string) {
  const [d] = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, id))
  return d
}

const settled = (id: string, state: string) => waitFor(async () => ((await delivery(id))?.state === state ? delivery(id) : undefined))

describe('e-mail', () => {
  it('sends with the stable Message-ID and the delivery header, and the same Message-ID again on a forced re-send', async () => {
    const p = await makePartner(t)
    const { id, linkToken } = await insertDelivery({ partnerId: p.partner.id, channel: 'email', address: p.partner.email })
    const d = await settled(id, 'sent')
    expect(d?.attempts).toBe(1)
    expect(d?.lastStatus).toBe(250)
    expect(d?.sentAt).toBeInstanceOf(Date)
    const mail = smtp.mails.find((m) => m.messageId === `<${id}@donghanh.test>`)
    expect(mail?.to).toEqual([p.partner.email])
    const parsed = await simpleParser(mail?.raw as Buffer)
    expect(parsed.headers.get('x-donghanh-delivery')).toBe(id)
    expect(parsed.headers.get('list-unsubscribe')).toBeUndefined()
    expect(parsed.subject).toBe('Thông cáo: phân luồng giao thông Quốc lộ 1A qua Hạc Thành')
    expect(parsed.text).toContain(`http://donghanh.test/l/${linkToken}`)
    expect(parsed.text).toContain('Nguồn: Công an tỉnh Thanh Hoá — http://donghanh.test')
    expect(parsed.text).toContain('Source: Công an tỉnh Thanh Hoá')
    expect(parsed.html || '').not.toMatch(/<img/i)

    // A sender that died after the SMTP server accepted the message but before recording it:
    // the row is `sending` under a session that no longer exists. It is sent again at once,
    // with the same Message-ID (what a receiving system deduplicates on).
    await t.database.pool.query(
      `UPDATE distribution_deliveries SET state = 'sending', claimed_by = 2147483000, lease_until = now() + interval '1 hour' WHERE id = $1`,
      [id],
    )
    await t.database.pool.query('NOTIFY donghanh_distribution')
    await waitFor(async () => (smtp.byId.get(`<${id}@donghanh.test>`) ?? 0) >= 2)
    const again = await settled(id, 'sent')
    expect(again?.attempts).toBe(2)
    expect(smtp.byId.get(`<${id}@donghanh.test>`)).toBe(2)
  })

  it('carries RFC 8058 one-click unsubscribe headers for a public subscriber', async () => {
    const { id } = await insertDelivery({
      partnerId: null,
      channel: 'email',
      address: 'nguoidan@example.vn',
      payload: { unsubscribeUrl: 'http://donghanh.test/nhan-tin/huy/abc', preferencesUrl: 'http://donghanh.test/nhan-tin/tuy-chon/abc' },
    })
    await settled(id, 'sent')
    const mail = smtp.mails.find((m) => m.messageId === `<${id}@donghanh.test>`)
    const parsed = await simpleParser(mail?.raw as Buffer)
    expect(mail?.headers).toMatch(/^List-Unsubscribe: <http:\/\/donghanh\.test\/nhan-tin\/huy\/abc>$/m)
    expect(mail?.headers).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m)
    expect(parsed.text).toContain('Huỷ nhận tin: http://donghanh.test/nhan-tin/huy/abc')
  })

  it('marks a 550 bounce, flags the partner and audits it; nothing is retried', async () => {
    const p = await makePartner(t, { email: `bounce-${Date.now()}@bao.example.vn` })
    const { id } = await insertDelivery({ partnerId: p.partner.id, channel: 'email', address: p.partner.email })
    const d = await settled(id, 'bounced')
    expect(d?.lastStatus).toBe(550)
    expect(d?.lastError).toContain('Mailbox does not exist')
    expect(d?.attempts).toBe(1)
    const [pref] = await t.database.db.select().from(distributionPreferences).where(eq(distributionPreferences.partnerId, p.partner.id))
    expect(pref?.emailBouncedAt).toBeInstanceOf(Date)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(sql`${auditEvents.action} = 'distribution.delivery_bounced' AND ${auditEvents.subjectId} = ${id}`)
    expect(audit).toHaveLength(1)
    expect(smtp.byId.get(`<${id}@donghanh.test>`)).toBeUndefined()
  })

  it('retries a 4xx refusal when its time comes (the clock moved), then sends it', async () => {
    const p = await makePartner(t, { email: `greylist-${Date.now()}@bao.example.vn` })
    const { id } = await insertDelivery({ partnerId: p.partner.id, channel: 'email', address: p.partner.email })
    const first = await waitFor(async () => {
      const d = await delivery(id)
      return d?.state === 'queued' && d.attempts === 1 ? d : undefined
    })
    expect(first.lastStatus).toBe(451)
    // Backoff: at least half of the first step (1 min) away.
    expect(first.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 25_000)
    advanceClock(2 * 60_000)
    await t.database.pool.query('NOTIFY donghanh_distribution')
    const d = await settled(id, 'sent')
    expect(d?.attempts).toBe(2)
    expect(smtp.byId.get(`<${id}@donghanh.test>`)).toBe(1)
  })
})

describe('embargo re-check and endpoints', () => {
  it('cancels embargoed deliveries of a partner suspended after the fan-out, never sends them, and audits it', async () => {
    const ok = await makePartner(t)
    const gone = await makePartner(t)
    const [hook] = await t.database.db
      .insert(distributionWebhooks)
      .values({
        tenantId: t.tenant.id,
        partnerId: gone.partner.id,
        url: `${hooks.url}/hook/suspended`,
        secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q=',
      })
      .returning()
    // The fan-out saw both accredited; the suspension comes before the sender's turn.
    await t.database.db.update(partners).set({ status: 'suspended' }).where(eq(partners.id, gone.partner.id))
    const embargo = { liftAt: '2026-11-20T07:30:00.000Z', event: 'release.embargoed' }
    const a = await insertDelivery({
      partnerId: gone.partner.id,
      channel: 'email',
      kind: 'embargo',
      address: gone.partner.email,
      payload: embargo,
    })
    const b = await insertDelivery({
      partnerId: gone.partner.id,
      channel: 'webhook',
      kind: 'embargo',
      webhookId: hook?.id as string,
      address: hook?.url,
      payload: embargo,
    })
    const c = await insertDelivery({
      partnerId: ok.partner.id,
      channel: 'email',
      kind: 'embargo',
      address: ok.partner.email,
      payload: embargo,
    })
    for (const id of [a.id, b.id]) {
      const d = await settled(id, 'cancelled')
      expect(d?.lastError).toContain('suspended')
      expect(d?.lastError).toContain('không còn được công nhận')
      expect(d?.sentAt).toBeNull()
    }
    await settled(c.id, 'sent')
    expect(smtp.byId.get(`<${a.id}@donghanh.test>`)).toBeUndefined()
    expect(hooks.byId.get(`msg_${b.id}`)).toBeUndefined()
    const okMail = smtp.mails.find((m) => m.messageId === `<${c.id}@donghanh.test>`)
    const parsed = await simpleParser(okMail?.raw as Buffer)
    expect(parsed.subject).toContain('CẤM ĐĂNG TRƯỚC 14:30 20/11/2026')
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'distribution.delivery_cancelled'))
    const ids = audit.flatMap((r) => ((r.summary as { deliveries?: { id: string }[] }).deliveries ?? []).map((x) => x.id))
    expect(ids).toEqual(expect.arrayContaining([a.id, b.id]))
  })

  it('sends webhooks signed with their id and records the attempt; a disabled endpoint gets nothing', async () => {
    const p = await makePartner(t)
    const [on, off] = await t.database.db
      .insert(distributionWebhooks)
      .values([
        {
          tenantId: t.tenant.id,
          partnerId: p.partner.id,
          url: `${hooks.url}/hook/on`,
          secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q=',
        },
        {
          tenantId: t.tenant.id,
          partnerId: p.partner.id,
          url: `${hooks.url}/hook/off`,
          secret: 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q=',
          state: 'disabled',
          disabledReason: 'HTTP 410 Gone',
        },
      ])
      .returning()
    const x = await insertDelivery({ partnerId: p.partner.id, channel: 'webhook', webhookId: on?.id as string, address: on?.url })
    const y = await insertDelivery({ partnerId: p.partner.id, channel: 'webhook', webhookId: off?.id as string, address: off?.url })
    const sent = await settled(x.id, 'sent')
    expect(sent?.lastStatus).toBe(204)
    expect(hooks.byId.get(`msg_${x.id}`)).toBe(1)
    const attempts = await t.database.db.select().from(distributionAttempts).where(eq(distributionAttempts.deliveryId, x.id))
    expect(attempts.map((r) => r.status)).toEqual([204])
    const cancelled = await settled(y.id, 'cancelled')
    expect(cancelled?.lastError).toContain('webhook endpoint disabled')
    expect(hooks.byId.get(`msg_${y.id}`)).toBeUndefined()
  })

  it('an endpoint that hangs holds only its share of the send slots: another endpoint is served meanwhile', async () => {
    // A receiver that reads the request and never answers (the sender's total timeout ends it).
    const held: http.ServerResponse[] = []
    const hanging = http.createServer((req, res) => {
      req.resume()
      held.push(res)
    })
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', () => resolve()))
    try {
      const p = await makePartner(t)
      const secret = 'whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q='
      const [slow, quick] = await t.database.db
        .insert(distributionWebhooks)
        .values([
          { tenantId: t.tenant.id, partnerId: p.partner.id, url: `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/h`, secret },
          { tenantId: t.tenant.id, partnerId: p.partner.id, url: `${hooks.url}/hook/quick`, secret },
        ])
        .returning()
      // More hanging deliveries than the sender has slots in all (64): without a per-endpoint
      // share they would take every slot until their timeout.
      const stuck = []
      for (let i = 0; i < 80; i++) {
        stuck.push(await insertDelivery({ partnerId: p.partner.id, channel: 'webhook', webhookId: slow?.id as string, address: slow?.url }))
      }
      const good = await insertDelivery({
        partnerId: p.partner.id,
        channel: 'webhook',
        webhookId: quick?.id as string,
        address: quick?.url,
      })
      await settled(good.id, 'sent')
      expect(hooks.byId.get(`msg_${good.id}`)).toBe(1)
      // Sent while every hanging delivery is still waiting for its answer (none has timed out).
      const states = await t.database.db
        .select({ state: distributionDeliveries.state, n: sql<number>`count(*)::int` })
        .from(distributionDeliveries)
        .where(eq(distributionDeliveries.webhookId, slow?.id as string))
        .groupBy(distributionDeliveries.state)
      expect(states).toEqual([{ state: 'sending', n: stuck.length }])
      expect(held.length).toBeLessThanOrEqual(16)
    } finally {
      hanging.closeAllConnections()
      await new Promise<void>((resolve) => hanging.close(() => resolve()))
    }
  })
})
