/**
 * The crash test: one decision fanned out to 2,000 recipients (1,000 webhook endpoints on a
 * local HTTP receiver, 1,000 mailboxes on a real SMTP server), sent by `donghanh worker` in a
 * CHILD process that is SIGKILLed when about half are delivered, then started again. Every
 * recipient gets its effect — counted at the receivers by idempotency key (`webhook-id`,
 * `Message-ID`) — none is missing, and no key belongs to anything but a delivery. Keys
 * transmitted twice (the window between a receiver's acceptance and the commit that records
 * it) are counted and printed; they are bounded by what one sender holds in flight.
 */
import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase } from '../../../../test/support/db.ts'
import type { Database } from '../../../db/index.ts'
import { ensureDefaultTenant } from '../../../platform/tenancy/index.ts'
import {
  killChild,
  seedDecision,
  type SmtpReceiver,
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
  it('SIGKILL in the middle: every recipient has exactly one effect (by key), none missing', { timeout: 240_000 }, async () => {
    const tenant = await ensureDefaultTenant(database.db)
    const { deliveryIds } = await seedDecision(database, {
      tenantId: tenant.id,
      emails: EMAILS,
      webhooks: WEBHOOKS,
      webhookBase: hooks.url,
      publicUrl: PUBLIC_URL,
    })
    expect(deliveryIds).toHaveLength(EMAILS + WEBHOOKS)
    const env = { DATABASE_URL: database.url, SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE: 'true', PUBLIC_URL }
    const log: string[] = []
    const effects = () => smtp.byId.size + hooks.byId.size

    const first = spawnWorker(env, (l) => log.push(`1: ${l}`))
    children.push(first)
    await waitFor(() => effects() >= (EMAILS + WEBHOOKS) / 2, 120_000, `half delivered\n${log.join('\n')}`)
    await killChild(first, 'SIGKILL')
    const atKill = effects()
    const stuck = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM distribution_deliveries WHERE state = 'sending'`)

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

    const keysOf = new Map<string, string>()
    for (const id of deliveryIds) {
      keysOf.set(`<${id}@donghanh.test>`, id)
      keysOf.set(`msg_${id}`, id)
    }
    const counts = new Map<string, number>()
    for (const [key, n] of [...smtp.byId, ...hooks.byId]) {
      const id = keysOf.get(key)
      expect(id, `unknown key ${key}`).toBeDefined()
      counts.set(id as string, (counts.get(id as string) ?? 0) + n)
    }
    const missing = deliveryIds.filter((id) => !counts.has(id))
    const twice = [...counts.values()].filter((n) => n > 1).length
    const transmissions = [...counts.values()].reduce((a, b) => a + b, 0)
    console.log(
      `crash test: ${deliveryIds.length} recipients; killed at ${atKill} effects with ${stuck.rows[0]?.n} rows 'sending'; ` +
        `effects ${counts.size}, missing ${missing.length}, transmitted twice ${twice} (transmissions ${transmissions})`,
    )
    expect(missing).toEqual([])
    // One effect per recipient when the receiver deduplicates by key: every key maps to exactly one delivery.
    expect(counts.size).toBe(deliveryIds.length)
    // Re-sends only where the sender held a claim when it died (at most what it holds at once).
    expect(twice).toBeLessThanOrEqual(Number(stuck.rows[0]?.n ?? 0))
    const rows = await database.pool.query<{ attempts: number; n: number }>(
      `SELECT attempts, count(*)::int AS n FROM distribution_deliveries WHERE channel IN ('email', 'webhook') GROUP BY attempts`,
    )
    expect(rows.rows.every((r) => r.attempts >= 1 && r.attempts <= 2)).toBe(true)
  })
})
