/**
 * The partner's delivery settings against a real database: the e-mail mode (upsert, audit,
 * refusals with nothing written), the bounce warning, leaving and rejoining a list (reflected in
 * `listsOfPartner` and in `resolveRecipients`' exclusions as `opted_out`), and webhooks: add
 * (secret shown once, never again), the limit, bad and private URLs refused with the bilingual
 * message and nothing written, rotate (old secret valid 24 h), send test, re-enable, delete —
 * each audited, none reachable by another partner — and the endpoint's recent deliveries with
 * the status codes a real local receiver answered.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type TestApp } from '../../../../test/support/app.ts'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { distributionDeliveries, distributionOptOuts, distributionPreferences, distributionWebhooks } from '../distribution.tables.ts'
import { ensureBuiltinLists, listsOfPartner, resolveRecipients } from '../lists/recipients.ts'
import { WEBHOOK_DELETED_REASON } from './settings.queries.ts'

let t: TestApp
/** An app whose outgoing requests may not reach private addresses (the default). */
let strict: TestApp

beforeAll(async () => {
  t = await createTestApp({ OUTBOUND_ALLOW_PRIVATE: 'true' })
  strict = await createTestApp()
})
afterAll(async () => {
  await t.close()
  await strict.close()
})

const post = (app: TestApp, p: MadePartner, url: string, fields: Record<string, string> = {}) => {
  const f = form({ _csrf: p.login.csrf, ...fields })
  return app.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: p.login.cookie } })
}
const get = (app: TestApp, p: MadePartner, url: string) => app.app.inject({ method: 'GET', url, headers: { cookie: p.login.cookie } })
const auditsOf = (app: TestApp, action: string, subjectId: string) =>
  app.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.subjectId, subjectId)))
const prefOf = async (partnerId: string) =>
  (await t.database.db.select().from(distributionPreferences).where(eq(distributionPreferences.partnerId, partnerId)))[0]
const hooksOf = (app: TestApp, partnerId: string) =>
  app.database.db.select().from(distributionWebhooks).where(eq(distributionWebhooks.partnerId, partnerId))
const secretIn = (html: string) => /id="new-secret-value"[^>]*>\s*(whsec_[A-Za-z0-9+/=]+)\s*</.exec(html)?.[1]

describe('e-mail preference', () => {
  it('shows the address and the modes, saves a digest hour, and audits the change', async () => {
    const p = await makePartner(t)
    const page = await get(t, p, '/doi-tac/nhan-tin')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(p.partner.email as string)
    expect(page.body).toContain('Ngay lập tức')
    expect(page.body).toContain('Tóm tắt hằng ngày')
    expect(page.body).toContain('Hộp thư trên cổng')
    expect(await prefOf(p.partner.id)).toBeUndefined()

    const res = await post(t, p, '/doi-tac/nhan-tin/email', { mode: 'digest', digestHour: '18' })
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/doi-tac/nhan-tin?ok=email#email')
    expect(await prefOf(p.partner.id)).toMatchObject({ emailMode: 'digest', digestHour: 18 })
    const [audit] = await auditsOf(t, 'distribution.preferences_changed', p.partner.id)
    expect(audit?.summary).toMatchObject({ emailMode: { before: 'immediate', after: 'digest' }, digestHour: { before: 7, after: 18 } })

    // Off keeps the hour; the same values again write nothing.
    await post(t, p, '/doi-tac/nhan-tin/email', { mode: 'off', digestHour: '3' })
    expect(await prefOf(p.partner.id)).toMatchObject({ emailMode: 'off', digestHour: 18 })
    await post(t, p, '/doi-tac/nhan-tin/email', { mode: 'off' })
    expect(await auditsOf(t, 'distribution.preferences_changed', p.partner.id)).toHaveLength(2)
  })

  it('refuses an unknown mode or an hour out of range with 400 and both languages, writing nothing', async () => {
    const p = await makePartner(t)
    const cases: Record<string, string>[] = [
      { mode: 'weekly' },
      { mode: 'digest', digestHour: '24' },
      { mode: 'digest', digestHour: '-1' },
      { mode: 'digest', digestHour: '7.5' },
      {},
    ]
    for (const fields of cases) {
      const res = await post(t, p, '/doi-tac/nhan-tin/email', fields)
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Cách nhận e-mail không hợp lệ')
      expect(res.body).toContain('Invalid e-mail preference')
    }
    expect(await prefOf(p.partner.id)).toBeUndefined()
    expect(await auditsOf(t, 'distribution.preferences_changed', p.partner.id)).toHaveLength(0)
  })

  it('warns when mail to the partner bounced', async () => {
    const p = await makePartner(t)
    await t.database.db
      .insert(distributionPreferences)
      .values({ partnerId: p.partner.id, tenantId: t.tenant.id, emailBouncedAt: new Date('2026-03-01T02:00:00Z') })
    const page = await get(t, p, '/doi-tac/nhan-tin')
    expect(page.body).toContain('bị trả lại')
    // Changing the mode keeps the bounce mark (it is about the address).
    await post(t, p, '/doi-tac/nhan-tin/email', { mode: 'digest', digestHour: '6' })
    expect((await prefOf(p.partner.id))?.emailBouncedAt).not.toBeNull()
  })

  it('lets a suspended partner change settings', async () => {
    const p = await makePartner(t, { status: 'suspended' })
    expect((await get(t, p, '/doi-tac/nhan-tin')).statusCode).toBe(200)
    expect((await post(t, p, '/doi-tac/nhan-tin/email', { mode: 'off' })).statusCode).toBe(303)
  })

  it('refuses a POST without the CSRF token', async () => {
    const p = await makePartner(t)
    const f = form({ mode: 'off' })
    const res = await t.app.inject({
      method: 'POST',
      url: '/doi-tac/nhan-tin/email',
      payload: f.payload,
      headers: { ...f.headers, cookie: p.login.cookie },
    })
    expect(res.statusCode).toBe(403)
    expect(await prefOf(p.partner.id)).toBeUndefined()
  })
})

describe('lists', () => {
  it('leaves and rejoins a list: opt-out row, listsOfPartner, resolveRecipients, audit', async () => {
    const p = await makePartner(t)
    const { accreditedPress } = await ensureBuiltinLists(t.database.db, t.tenant.id)
    const page = await get(t, p, '/doi-tac/nhan-tin')
    expect(page.body).toContain(`/doi-tac/nhan-tin/danh-sach/${accreditedPress}/roi`)
    expect(page.body).toContain('thông báo rút tin')

    const left = await post(t, p, `/doi-tac/nhan-tin/danh-sach/${accreditedPress}/roi`)
    expect(left.statusCode).toBe(303)
    expect((await listsOfPartner(t.database.db, t.tenant.id, p.partner.id)).find((l) => l.id === accreditedPress)?.optedOut).toBe(true)
    const resolved = await resolveRecipients(t.database.db, t.tenant.id, [accreditedPress])
    expect(resolved.included.map((r) => r.partnerId)).not.toContain(p.partner.id)
    expect(resolved.excluded.find((e) => e.partnerId === p.partner.id)?.reason).toBe('opted_out')
    expect(await auditsOf(t, 'distribution.list_left', accreditedPress)).toHaveLength(1)
    expect((await get(t, p, '/doi-tac/nhan-tin')).body).toContain(`/doi-tac/nhan-tin/danh-sach/${accreditedPress}/tham-gia`)

    // Leaving twice changes nothing more.
    await post(t, p, `/doi-tac/nhan-tin/danh-sach/${accreditedPress}/roi`)
    expect(await auditsOf(t, 'distribution.list_left', accreditedPress)).toHaveLength(1)

    const back = await post(t, p, `/doi-tac/nhan-tin/danh-sach/${accreditedPress}/tham-gia`)
    expect(back.statusCode).toBe(303)
    expect(await t.database.db.select().from(distributionOptOuts).where(eq(distributionOptOuts.partnerId, p.partner.id))).toHaveLength(0)
    const again = await resolveRecipients(t.database.db, t.tenant.id, [accreditedPress])
    expect(again.included.map((r) => r.partnerId)).toContain(p.partner.id)
    expect(await auditsOf(t, 'distribution.list_rejoined', accreditedPress)).toHaveLength(1)
  })

  it('answers 404 for a list the partner is not in, or no list at all', async () => {
    const influencer = await makePartner(t, { kind: 'influencer' })
    const { accreditedPress } = await ensureBuiltinLists(t.database.db, t.tenant.id)
    expect((await post(t, influencer, `/doi-tac/nhan-tin/danh-sach/${accreditedPress}/roi`)).statusCode).toBe(404)
    expect((await post(t, influencer, `/doi-tac/nhan-tin/danh-sach/${crypto.randomUUID()}/roi`)).statusCode).toBe(404)
    expect((await post(t, influencer, '/doi-tac/nhan-tin/danh-sach/x/roi')).statusCode).toBe(404)
    expect(
      await t.database.db.select().from(distributionOptOuts).where(eq(distributionOptOuts.partnerId, influencer.partner.id)),
    ).toHaveLength(0)
  })
})

describe('webhooks', () => {
  it('adds an endpoint and shows its secret once, never again; audited without the secret', async () => {
    const p = await makePartner(t)
    const res = await post(t, p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/hook' })
    expect(res.statusCode).toBe(200)
    const secret = secretIn(res.body)
    expect(secret).toMatch(/^whsec_/)
    expect(res.body).toContain('standardwebhooks.com')
    const [row] = await hooksOf(t, p.partner.id)
    expect(row?.secret).toBe(secret)
    expect(row?.state).toBe('active')
    const [audit] = await auditsOf(t, 'distribution.webhook_created', row?.id as string)
    expect(JSON.stringify(audit?.summary)).not.toContain(secret as string)

    const list = await get(t, p, '/doi-tac/nhan-tin/webhook')
    expect(list.body).toContain('http://127.0.0.1:9/hook')
    expect(list.body).not.toContain(secret as string)
    expect((await get(t, p, `/doi-tac/nhan-tin/webhook/${row?.id}`)).body).not.toContain(secret as string)
    expect((await get(t, p, '/doi-tac/nhan-tin')).body).toContain('http://127.0.0.1:9/hook')
  })

  it('refuses bad URLs with the bilingual message and writes nothing', async () => {
    const p = await makePartner(t)
    const bad = [
      'ftp://bao.example.vn/hook',
      'javascript:alert(1)',
      `https://bao.example.vn/${'a'.repeat(10_240)}`,
      'https://user:pass@bao.example.vn/hook',
      'không phải url',
    ]
    for (const url of bad) {
      const res = await post(t, p, '/doi-tac/nhan-tin/webhook', { url })
      expect(res.statusCode, url.slice(0, 40)).toBe(400)
      expect(res.body).toContain('class="alert error"')
      expect(res.body).toContain('lang="en"')
      expect(secretIn(res.body)).toBeUndefined()
    }
    expect(await hooksOf(t, p.partner.id)).toHaveLength(0)
  })

  it('refuses a private address unless the configuration allows it', async () => {
    const p = await makePartner(strict)
    for (const url of ['http://127.0.0.1:8080/hook', 'http://10.0.0.1/hook', 'http://169.254.169.254/latest', 'http://[::1]/hook']) {
      const res = await post(strict, p, '/doi-tac/nhan-tin/webhook', { url })
      expect(res.statusCode, url).toBe(400)
      expect(res.body).toContain('class="alert error"')
    }
    expect(await hooksOf(strict, p.partner.id)).toHaveLength(0)
  })

  it('allows at most 3 endpoints per partner', async () => {
    const p = await makePartner(t)
    for (let i = 0; i < 3; i++)
      expect((await post(t, p, '/doi-tac/nhan-tin/webhook', { url: `http://127.0.0.1:9/h${i}` })).statusCode).toBe(200)
    const fourth = await post(t, p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/h4' })
    expect(fourth.statusCode).toBe(409)
    expect(fourth.body).toContain('tối đa 3 webhook')
    expect(fourth.body).toContain('at most 3 webhooks')
    expect(await hooksOf(t, p.partner.id)).toHaveLength(3)
  })

  it('rotates the secret: new one shown once, old one valid 24 h, audited', async () => {
    const p = await makePartner(t)
    const first = secretIn((await post(t, p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/rot' })).body)
    const [row] = await hooksOf(t, p.partner.id)
    const res = await post(t, p, `/doi-tac/nhan-tin/webhook/${row?.id}/xoay-khoa`)
    expect(res.statusCode).toBe(200)
    const second = secretIn(res.body)
    expect(second).toMatch(/^whsec_/)
    expect(second).not.toBe(first)
    const [after] = await hooksOf(t, p.partner.id)
    expect(after?.secret).toBe(second)
    expect(after?.previousSecret).toBe(first)
    const grace = (after?.previousSecretUntil?.getTime() ?? 0) - Date.now()
    expect(grace).toBeGreaterThan(23.9 * 3_600_000)
    expect(grace).toBeLessThanOrEqual(24 * 3_600_000)
    expect(await auditsOf(t, 'distribution.webhook_secret_rotated', row?.id as string)).toHaveLength(1)
  })

  it('re-enables a disabled endpoint, resetting its failures; audited', async () => {
    const p = await makePartner(t)
    await post(t, p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/dis' })
    const [row] = await hooksOf(t, p.partner.id)
    await t.database.db
      .update(distributionWebhooks)
      .set({ state: 'disabled', consecutiveFailures: 15, disabledReason: 'HTTP 410', disabledAt: new Date() })
      .where(eq(distributionWebhooks.id, row?.id as string))
    const page = await get(t, p, `/doi-tac/nhan-tin/webhook/${row?.id}`)
    expect(page.body).toContain('HTTP 410')
    expect(page.body).toContain(`/doi-tac/nhan-tin/webhook/${row?.id}/bat-lai`)
    // A disabled endpoint cannot be tested.
    const test = await post(t, p, `/doi-tac/nhan-tin/webhook/${row?.id}/gui-thu`)
    expect(test.statusCode).toBe(409)
    const res = await post(t, p, `/doi-tac/nhan-tin/webhook/${row?.id}/bat-lai`)
    expect(res.statusCode).toBe(303)
    const [after] = await hooksOf(t, p.partner.id)
    expect(after).toMatchObject({ state: 'active', consecutiveFailures: 0, disabledReason: null })
    expect(await auditsOf(t, 'distribution.webhook_enabled', row?.id as string)).toHaveLength(1)
  })

  it('sends a test ping and shows it on the endpoint’s page', async () => {
    const p = await makePartner(t)
    await post(t, p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/test' })
    const [row] = await hooksOf(t, p.partner.id)
    const res = await post(t, p, `/doi-tac/nhan-tin/webhook/${row?.id}/gui-thu`)
    expect(res.statusCode).toBe(303)
    const testId = /test=([0-9a-f-]{36})/.exec(res.headers.location as string)?.[1] as string
    const [d] = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.id, testId))
    expect(d).toMatchObject({ kind: 'test', channel: 'webhook', webhookId: row?.id, partnerId: p.partner.id })
    const page = await get(t, p, res.headers.location as string)
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="test-result"')
    expect(page.body).toContain(`msg_${testId}`)
  })

  it('lists recent deliveries with the status codes a real receiver answered', { timeout: 30_000 }, async () => {
    // A real receiver: the first request gets 500, every later one 202.
    const seen: string[] = []
    const receiver = http.createServer((req, res) => {
      req.resume()
      req.on('end', () => {
        seen.push(String(req.headers['webhook-id'] ?? ''))
        res.writeHead(seen.length === 1 ? 500 : 202).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', () => resolve()))
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
      const p = await makePartner(t)
      await post(t, p, '/doi-tac/nhan-tin/webhook', { url })
      const [row] = await hooksOf(t, p.partner.id)
      const page = `/doi-tac/nhan-tin/webhook/${row?.id}`
      // The card of one delivery in the page's recent deliveries.
      const cardOf = (html: string, id: string) => {
        const start = html.indexOf(`data-delivery="${id}"`)
        if (start < 0) return ''
        const next = html.indexOf('data-delivery=', start + 1)
        return html.slice(start, next < 0 ? html.indexOf('</ul>', start) : next)
      }
      const sendTest = async (): Promise<string> => {
        const res = await post(t, p, `${page}/gui-thu`)
        expect(res.statusCode).toBe(303)
        return /test=([0-9a-f-]{36})/.exec(res.headers.location as string)?.[1] as string
      }
      const waitForCard = async (id: string, text: string): Promise<string> => {
        const until = Date.now() + 20_000
        for (;;) {
          const card = cardOf((await get(t, p, page)).body, id)
          if (card.includes(text)) return card
          if (Date.now() > until) throw new Error(`timed out waiting for ${text} in delivery ${id}: ${card}`)
          await new Promise((r) => setTimeout(r, 50))
        }
      }

      const failed = await sendTest()
      const failedCard = await waitForCard(failed, 'HTTP 500')
      const ok = await sendTest()
      const okCard = await waitForCard(ok, 'HTTP 202')
      // The receiver got both, under their idempotency keys, once each.
      expect(seen).toEqual([`msg_${failed}`, `msg_${ok}`])

      const html = (await get(t, p, page)).body
      expect(html).toContain('id="recent-deliveries"')
      // Newest first; each with its own key and its own status code.
      expect(html.indexOf(`data-delivery="${ok}"`)).toBeLessThan(html.indexOf(`data-delivery="${failed}"`))
      expect(okCard).toContain(`msg_${ok}`)
      expect(okCard).not.toContain('HTTP 500')
      expect(failedCard).toContain(`msg_${failed}`)
      expect(failedCard).not.toContain('HTTP 202')
      const states = await t.database.db
        .select({ id: distributionDeliveries.id, state: distributionDeliveries.state, attempts: distributionDeliveries.attempts })
        .from(distributionDeliveries)
        .where(eq(distributionDeliveries.webhookId, row?.id as string))
      // The 500 waits for its retry (a minute away at least); the 202 is sent.
      expect(states.find((d) => d.id === ok)).toMatchObject({ state: 'sent', attempts: 1 })
      expect(states.find((d) => d.id === failed)).toMatchObject({ state: 'queued', attempts: 1 })
    } finally {
      receiver.closeAllConnections()
      await new Promise<void>((resolve) => receiver.close(() => resolve()))
    }
  })

  it('deletes an endpoint: hidden, disabled for good, queued deliveries cancelled, audited', async () => {
    const p = await makePartner(t)
    await post(t, p, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/del' })
    const [row] = await hooksOf(t, p.partner.id)
    const id = row?.id as string
    await t.database.db.insert(distributionDeliveries).values({
      tenantId: t.tenant.id,
      itemType: 'release',
      kind: 'publish',
      recipientType: 'partner',
      partnerId: p.partner.id,
      channel: 'webhook',
      webhookId: id,
      state: 'queued',
      linkToken: crypto.randomUUID().replace(/-/g, '').slice(0, 22),
      payload: { event: 'release.published', itemType: 'release', itemId: null, title: 'x', summary: '', source: { name: 'x', url: 'x' } },
      // Far in the future, so the sender leaves it alone during the test.
      nextAttemptAt: new Date(Date.now() + 86_400_000),
    })
    const res = await post(t, p, `/doi-tac/nhan-tin/webhook/${id}/xoa`)
    expect(res.statusCode).toBe(303)
    const [after] = await hooksOf(t, p.partner.id)
    expect(after).toMatchObject({ state: 'disabled', disabledReason: WEBHOOK_DELETED_REASON, previousSecret: null })
    expect(after?.deletedAt).toBeInstanceOf(Date)
    expect(after?.secret).not.toBe(row?.secret)
    const ds = await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.webhookId, id))
    expect(ds.every((d) => d.state === 'cancelled')).toBe(true)
    expect((await get(t, p, '/doi-tac/nhan-tin/webhook')).body).not.toContain('http://127.0.0.1:9/del')
    expect((await get(t, p, `/doi-tac/nhan-tin/webhook/${id}`)).statusCode).toBe(404)
    expect((await post(t, p, `/doi-tac/nhan-tin/webhook/${id}/bat-lai`)).statusCode).toBe(404)
    expect(await auditsOf(t, 'distribution.webhook_deleted', id)).toHaveLength(1)
    // A deleted endpoint no longer counts toward the limit.
    for (let i = 0; i < 3; i++)
      expect((await post(t, p, '/doi-tac/nhan-tin/webhook', { url: `http://127.0.0.1:9/n${i}` })).statusCode).toBe(200)
  })

  it('never lets another partner see or change an endpoint', async () => {
    const a = await makePartner(t)
    const b = await makePartner(t)
    await post(t, a, '/doi-tac/nhan-tin/webhook', { url: 'http://127.0.0.1:9/owned-by-a' })
    const [row] = await hooksOf(t, a.partner.id)
    const id = row?.id as string
    expect((await get(t, b, `/doi-tac/nhan-tin/webhook/${id}`)).statusCode).toBe(404)
    expect((await get(t, b, '/doi-tac/nhan-tin/webhook')).body).not.toContain('owned-by-a')
    for (const action of ['xoay-khoa', 'bat-lai', 'gui-thu', 'xoa'])
      expect((await post(t, b, `/doi-tac/nhan-tin/webhook/${id}/${action}`)).statusCode, action).toBe(404)
    const [after] = await hooksOf(t, a.partner.id)
    expect(after).toMatchObject({ state: 'active', secret: row?.secret, previousSecret: null })
    expect(await t.database.db.select().from(distributionDeliveries).where(eq(distributionDeliveries.webhookId, id))).toHaveLength(0)
  })
})
