/**
 * The crash test: one release fanned out to 2,000 recipients (1,000 accredited journalists
 * reached by e-mail on a real SMTP server, 1,000 by a webhook endpoint on a local HTTP
 * receiver). The release is written, submitted and approved through the real commands in this
 * process; its `release.published` event waits for `donghanh worker`, started in a CHILD
 * process, whose dispatcher runs the real fan-out (the `distribution.fanout` subscriber:
 * lists resolved, one delivery per recipient and channel) and whose sender sends. The child is
 * SIGKILLed when about half the effects have arrived, then started again. Every recipient gets
 * exactly one effect — counted at the receivers by idempotency key (`webhook-id`,
 * `Message-ID`) — none is missing, and no key belongs to anything but a delivery of the
 * release. Keys transmitted twice (the window between a receiver's acceptance and the commit
 * that records it) are counted and printed; they are bounded by what one sender holds in flight.
 *
 * Not killed during the fan-out itself: the fan-out is one pg-boss job in one transaction, and
 * a job active in a killed worker stays active until pg-boss expires it (120 s for event
 * deliveries, plus the 30-s maintenance pass; `platform/jobs/jobs.test.ts` checks the expiry),
 * so a kill there tests pg-boss's expiry, not distribution, and would not fit here.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeUser, type TestApp } from '../../../../test/support/app.ts'
import { createTestDatabase } from '../../../../test/support/db.ts'
import { draft, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import type { Database } from '../../../db/index.ts'
import { ensureDefaultTenant } from '../../../platform/tenancy/index.ts'
import {
  killChild,
  type SmtpReceiver,
  seedRecipients,
  spawnWorker,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from './testing.ts'

const EMAILS = 1_000
const WEBHOOKS = 1_000
const PUBLIC_URL = 'http://donghanh.test'

let database: Database
let smtp: SmtpReceiver
let hooks: WebhookReceiver
const children: ChildProcess[] = []

beforeAll(async () => {
  database = await createTestDatabase()
  smtp = await startSmtpReceiver()
  hooks = await startWebhookReceiver()
})
afterAll(async () => {
  // Even when the test failed half-way: no worker outlives it.
  for (const c of children) await killChild(c)
  await smtp?.close()
  await hooks?.close()
  await database?.close()
})

async function waitFor(fn: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const until = Date.now() + ms
  while (!(await fn())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('crash test', () => {
  it('fan-out and sending in a worker SIGKILLed in the middle: every recipient has exactly one effect (by key), none missing', {
    timeout: 240_000,
  }, async () => {
    const tenant = await ensureDefaultTenant(database.db)
    const recipients = await seedRecipients(database, { tenantId: tenant.id, emails: EMAILS, webhooks: WEBHOOKS, webhookBase: hooks.url })
    expect(recipients).toHaveLength(EMAILS + WEBHOOKS)
    // The decision, through the real commands (the release helpers only use the database and
    // the tenant): its event is left for the child worker, which fans out and sends.
    const t = { database, tenant } as unknown as TestApp
    const editor = await makeUser(t, { role: 'editor' })
    const approver = await makeUser(t, { role: 'approver' })
    const releaseId = await draft(t, editor, { spokespersonId: await makeSpokesperson(t) })
    await submitAndApprove(t, releaseId, editor, approver, 'now')
    const deliveriesOfRelease = async () =>
      (
        await database.pool.query<{ id: string; partner_id: string }>(
          `SELECT id, partner_id FROM distribution_deliveries WHERE item_id = $1 AND channel IN ('email', 'webhook')`,
          [releaseId],
        )
      ).rows
    // Nothing is written before the worker runs the fan-out.
    expect(await deliveriesOfRelease()).toEqual([])

    const env = { DATABASE_URL: database.url, SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE: 'true', PUBLIC_URL }
    const log: string[] = []
    const effects = () => smtp.byId.size + hooks.byId.size

    const first = spawnWorker(env, (l) => log.push(`1: ${l}`))
    children.push(first)
    await waitFor(() => effects() > 0, 120_000, `the first effect\n${log.join('\n')}`)
    await waitFor(() => effects() >= (EMAILS + WEBHOOKS) / 2, 120_000, `half delivered\n${log.join('\n')}`)
    await killChild(first, 'SIGKILL')
    const atKill = effects()
    const stuck = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM distribution_deliveries WHERE state = 'sending'`)
    // The fan-out ran (and committed) in the killed worker: every recipient has its row.
    expect(await deliveriesOfRelease()).toHaveLength(EMAILS + WEBHOOKS)

    const second = spawnWorker(env, (l) => log.push(`2: ${l}`))
    children.push(second)
    await waitFor(
      async () => {
        const r = await database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM distribution_deliveries WHERE channel IN ('email', 'webhook') AND state <> 'sent'`,
        )
        return r.rows[0]?.n === 0
      },
      180_000,
      `all sent\n${log.join('\n')}`,
    )
    await killChild(second, 'SIGTERM')

    const deliveries = await deliveriesOfRelease()
    expect(deliveries).toHaveLength(EMAILS + WEBHOOKS)
    const keysOf = new Map<string, string>()
    const recipientOf = new Map<string, string>()
    for (const d of deliveries) {
      keysOf.set(`<${d.id}@donghanh.test>`, d.id)
      keysOf.set(`msg_${d.id}`, d.id)
      recipientOf.set(d.id, d.partner_id)
    }
    const counts = new Map<string, number>()
    for (const [key, n] of [...smtp.byId, ...hooks.byId]) {
      const id = keysOf.get(key)
      expect(id, `unknown key ${key}`).toBeDefined()
      counts.set(id as string, (counts.get(id as string) ?? 0) + n)
    }
    // Effects per recipient: a receiver that honours the key keeps one per key, so a recipient
    // has two effects only if two different deliveries (keys) reached them.
    const effectsOf = new Map<string, number>()
    for (const id of counts.keys()) {
      const p = recipientOf.get(id) as string
      effectsOf.set(p, (effectsOf.get(p) ?? 0) + 1)
    }
    const missing = recipients.filter((p) => !effectsOf.has(p))
    const doubled = [...effectsOf.values()].filter((n) => n !== 1).length
    const twice = [...counts.values()].filter((n) => n > 1).length
    const transmissions = [...counts.values()].reduce((a, b) => a + b, 0)
    console.log(
      `crash test: ${recipients.length} recipients; killed at ${atKill} effects with ${stuck.rows[0]?.n} rows 'sending'; ` +
        `effects ${counts.size}, missing ${missing.length}, transmitted twice ${twice} (transmissions ${transmissions})`,
    )
    expect(missing).toEqual([])
    // Exactly one effect per recipient: one key each, and every key maps to exactly one delivery.
    expect(doubled).toBe(0)
    expect(effectsOf.size).toBe(recipients.length)
    expect(counts.size).toBe(deliveries.length)
    // Re-sends only where the sender held a claim when it died (at most what it holds at once).
    expect(twice).toBeLessThanOrEqual(Number(stuck.rows[0]?.n ?? 0))
    const rows = await database.pool.query<{ attempts: number; n: number }>(
      `SELECT attempts, count(*)::int AS n FROM distribution_deliveries WHERE channel IN ('email', 'webhook') GROUP BY attempts`,
    )
    expect(rows.rows.every((r) => r.attempts >= 1 && r.attempts <= 2)).toBe(true)
  })
})
