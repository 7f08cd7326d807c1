/**
 * Distribution: one release published to BENCH_DIST_RECIPIENTS (default 10,000) accredited
 * journalists — half reached by a webhook endpoint on a local node:http receiver, half by
 * e-mail on a local SMTP server (smtp-server). The release is written and approved through the
 * real commands; its `release.published` event waits for `donghanh worker`, started in a CHILD
 * process (`node --import tsx src/main.ts worker`, as in production), whose dispatcher runs the
 * real fan-out (lists resolved, one delivery per recipient and channel, portal rows included)
 * and whose sender sends. The worker is SIGKILLed once, when half the effects have arrived, and
 * started again.
 *
 * Measured: from the first worker's start to the moment every recipient's effect has arrived,
 * counted AT THE RECEIVERS by idempotency key (`webhook-id` / `Message-ID`). Lost = recipients
 * with no effect; duplicated = recipients with effects under two different keys (a receiver
 * that honours the key keeps one per key: 0 is the goal). Transport re-sends (the same key
 * transmitted again after the kill: the window) are printed on the line before. The embedded
 * PostgreSQL lives in a temp folder.
 *
 *   npm run bench -- distribution
 */
import type { ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'

const RECIPIENTS = Number(process.env.BENCH_DIST_RECIPIENTS || 10_000)
const PUBLIC_URL = 'http://donghanh.bench'

/** Runs the distribution bench. */
export async function run(): Promise<void> {
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const { startEmbedded } = await import('../src/db/embedded.ts')
  const { ensureDatabase, migrate, openPool } = await import('../src/db/index.ts')
  await import('../src/modules.ts')
  const { moduleMigrationDirs } = await import('../src/platform/modules.ts')
  const { ensureDefaultTenant } = await import('../src/platform/tenancy/index.ts')
  const { killChild, seedRecipients, spawnWorker, startSmtpReceiver, startWebhookReceiver } = await import(
    '../src/modules/distribution/delivery/testing.ts'
  )
  const { draft, makeSpokesperson, submitAndApprove } = await import('../test/support/releases.ts')

  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-dist-'))
  await chmod(dir, 0o755)
  const server = await startEmbedded(path.join(dir, 'pg'))
  const children: ChildProcess[] = []
  const smtp = await startSmtpReceiver()
  const hooks = await startWebhookReceiver()
  let pool: ReturnType<typeof openPool> | undefined
  try {
    const url = await ensureDatabase(server.url, 'bench_distribution')
    pool = openPool(url, 4)
    const db = drizzle(pool)
    await migrate(pool, moduleMigrationDirs())
    const tenant = await ensureDefaultTenant(db as never)
    const emails = Math.floor(RECIPIENTS / 2)
    const s0 = performance.now()
    const recipients = await seedRecipients({ url, pool, db: db as never } as never, {
      tenantId: tenant.id,
      emails,
      webhooks: RECIPIENTS - emails,
      webhookBase: hooks.url,
    })
    console.log(
      `recipients: ${recipients.length} accredited partners written in ${((performance.now() - s0) / 1000).toFixed(1)} s (not measured)`,
    )
    // The decision, through the real commands: a release written, submitted and approved to
    // publish now. Its `release.published` event waits undispatched for the worker, whose
    // dispatcher runs the fan-out (resolving the lists, writing every delivery) and whose
    // sender sends: all of it is inside the measured time.
    const fake = { database: { pool, db, url }, tenant } as never
    const staff = await pool.query<{ id: string; email: string; role: string }>(
      `INSERT INTO users (tenant_id, email, name, role, status)
       VALUES ($1, 'bientap@bench.vn', 'Biên tập', 'editor', 'active'), ($1, 'lanhdao@bench.vn', 'Lãnh đạo', 'approver', 'active')
       RETURNING id, email, role`,
      [tenant.id],
    )
    const editor = staff.rows.find((u) => u.role === 'editor') as never
    const approver = staff.rows.find((u) => u.role === 'approver') as never
    const spokespersonId = await makeSpokesperson(fake)
    const releaseId = await draft(fake, editor, { spokespersonId })
    await submitAndApprove(fake, releaseId, editor, approver, 'now')
    console.log(`machine: ${cpus().length} cores, load average ${loadavg()[0]?.toFixed(1)}`)

    const env = { DATABASE_URL: url, SMTP_URL: smtp.url, OUTBOUND_ALLOW_PRIVATE: 'true', PUBLIC_URL, NODE_ENV: 'production' }
    const log: string[] = []
    const effects = () => smtp.byId.size + hooks.byId.size
    const waitFor = async (fn: () => boolean, ms: number, what: string) => {
      const until = Date.now() + ms
      while (!fn()) {
        if (Date.now() > until) throw new Error(`timed out waiting for ${what}\n${log.slice(-20).join('\n')}`)
        await new Promise((r) => setTimeout(r, 5))
      }
    }

    const t0 = performance.now()
    const first = spawnWorker(env, (l) => log.push(`1: ${l}`))
    children.push(first)
    await waitFor(() => effects() > 0, 60_000, 'the first effect')
    const firstEffect = (performance.now() - t0) / 1000
    await waitFor(() => effects() >= RECIPIENTS / 2, 120_000, 'half the effects')
    await killChild(first, 'SIGKILL')
    const atKill = effects()
    const killedAt = (performance.now() - t0) / 1000
    const stuck = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM distribution_deliveries WHERE state = 'sending'`)
    const second = spawnWorker(env, (l) => log.push(`2: ${l}`))
    children.push(second)
    const t2 = performance.now()
    await waitFor(() => effects() > atKill, 60_000, 'the restarted worker')
    const restartGap = (performance.now() - t2) / 1000
    await waitFor(() => effects() >= RECIPIENTS, 120_000, 'every effect')
    const seconds = (performance.now() - t0) / 1000
    // The rows' own record catches up a moment later (the last batch's commit).
    const until = Date.now() + 30_000
    let notSent = -1
    while (Date.now() < until) {
      const r = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM distribution_deliveries WHERE channel IN ('email', 'webhook') AND state <> 'sent'`,
      )
      notSent = r.rows[0]?.n ?? -1
      if (notSent === 0) break
      await new Promise((r) => setTimeout(r, 50))
    }
    await killChild(second, 'SIGTERM')

    // Every e-mail and webhook delivery of the release, with its recipient.
    const sent = await pool.query<{ id: string; partner_id: string }>(
      `SELECT id, partner_id FROM distribution_deliveries WHERE item_id = $1 AND channel IN ('email', 'webhook')`,
      [releaseId],
    )
    const known = new Map<string, string>()
    const recipientOf = new Map<string, string>()
    for (const r of sent.rows) {
      known.set(`<${r.id}@donghanh.bench>`, r.id)
      known.set(`msg_${r.id}`, r.id)
      recipientOf.set(r.id, r.partner_id)
    }
    const perDelivery = new Map<string, number>()
    let unknown = 0
    let transmissions = 0
    for (const [key, n] of [...smtp.byId, ...hooks.byId]) {
      transmissions += n
      const id = known.get(key)
      if (!id) {
        unknown++
        continue
      }
      perDelivery.set(id, (perDelivery.get(id) ?? 0) + n)
    }
    // Effects per recipient: a receiver that honours the key keeps one per key, so a recipient
    // has two effects only if two different deliveries (keys) reached them.
    const keysPerRecipient = new Map<string, number>()
    for (const id of perDelivery.keys()) {
      const p = recipientOf.get(id) as string
      keysPerRecipient.set(p, (keysPerRecipient.get(p) ?? 0) + 1)
    }
    const lost = recipients.filter((p) => !keysPerRecipient.has(p)).length
    const duplicated = [...keysPerRecipient.values()].filter((n) => n > 1).length + unknown
    const resent = [...perDelivery.values()].filter((n) => n > 1).length
    console.log(
      `first effect after ${firstEffect.toFixed(1)} s (worker start-up); SIGKILL at ${killedAt.toFixed(1)} s with ${atKill} effects and ${stuck.rows[0]?.n} rows 'sending'; restarted worker's first effect after ${restartGap.toFixed(1)} s`,
    )
    console.log(
      `transport re-sends: ${resent} deliveries transmitted twice (${transmissions} transmissions for ${sent.rows.length} deliveries); rows not recorded sent: ${notSent}`,
    )
    console.log(`fanout: ${recipients.length} recipients in ${seconds.toFixed(1)} s; lost ${lost}; duplicated ${duplicated}`)
  } finally {
    for (const c of children) await killChild(c)
    await smtp.close()
    await hooks.close()
    await pool?.end()
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
