/**
 * Warnings (issue 17): from an urgent approval to the public, measured against the real app.
 *
 * Set-up (not measured): an embedded PostgreSQL in a temp folder, migrated; the default tenant;
 * two approvers; BENCH_WARNINGS_SUBSCRIBERS (default 20,000) confirmed public subscribers of the
 * `warning` topic in three chosen communes, and BENCH_WARNINGS_OTHERS (default 5,000) in other
 * communes (they must get nothing), written in bulk. The app is the real `donghanh serve` in a
 * child process (its in-process worker runs the domain events, the fan-out and the sender,
 * mailing a local SMTP receiver, smtp-server), as the default deployment runs it. The decisions
 * are taken in this process through the real commands (createWarning, then publishUrgently by
 * one approver), exactly as the console route does, and commit here; everything after the commit
 * is the app's work and is measured.
 *
 * 1. Feed: BENCH_WARNINGS_FEED_ROUNDS (default 40) urgent Alerts, one after the other; for each,
 *    the time from the commit of the urgent approval to the first GET /canh-bao/cap.atom (polled
 *    every 5 ms over keep-alive) whose body names the warning. Reference in the same run: a GET of
 *    the unchanged feed (what one poll costs). Target p99 ≤ 1 s.
 * 2. Mail: one urgent Alert for the three communes; the time from its commit to the moment every
 *    subscriber of those communes has a mail at the SMTP receiver (counted by recipient), and
 *    none of the others. Target ≤ 60 s. The rate of the same sender on the same machine is in the
 *    distribution bench (10,000 recipients in 22 s with a crash).
 *
 *   npm run bench -- warnings   (BENCH_WARNINGS_SUBSCRIBERS=20000 BENCH_WARNINGS_OTHERS=5000 BENCH_WARNINGS_FEED_ROUNDS=40)
 */
import type { ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fmt, ROOT, running, startProcess, stop, tail, waitReady } from './support.ts'

const SUBSCRIBERS = Number(process.env.BENCH_WARNINGS_SUBSCRIBERS || 20_000)
const OTHERS = Number(process.env.BENCH_WARNINGS_OTHERS || 5_000)
const FEED_ROUNDS = Number(process.env.BENCH_WARNINGS_FEED_ROUNDS || 40)
const CHOSEN = ['phuong-hac-thanh', 'xa-dong-tien', 'phuong-ham-rong']
const ELSEWHERE = ['phuong-bim-son', 'xa-muong-lat']
/** The feed rounds' warnings name a commune nobody subscribed to: they measure the feed, not mail. */
const QUIET_COMMUNE = ['xa-trung-ly']

/** A percentile of sorted numbers (nearest rank). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

/** GET over the keep-alive agent; resolves with the body. */
function get(agent: http.Agent, url: URL): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ agent, host: url.hostname, port: url.port, path: url.pathname + url.search }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end()
  })
}

/** Runs the warnings bench and prints its figures. */
export async function run(): Promise<void> {
  const { loadConfig } = await import('../src/config.ts')
  const { freePort, startEmbedded } = await import('../src/db/embedded.ts')
  const { connect, ensureDatabase, migrate, withTransaction } = await import('../src/db/index.ts')
  await import('../src/modules.ts')
  const { moduleMigrationDirs } = await import('../src/platform/modules.ts')
  const { ensureDefaultTenant } = await import('../src/platform/tenancy/index.ts')
  const { users } = await import('../src/modules/accounts/accounts.tables.ts')
  const { startSmtpReceiver } = await import('../src/modules/distribution/delivery/testing.ts')
  const { createWarning } = await import('../src/modules/warnings/commands/create-warning.ts')
  const { publishUrgently } = await import('../src/modules/warnings/commands/publish-urgently.ts')
  const { parseWarningInput } = await import('../src/modules/warnings/commands/warning-input.ts')
  const { warningUrn } = await import('../src/modules/warnings/cap/cap.ts')
  const { warningPath, WARNINGS_FEED_PATH } = await import('../src/modules/warnings/warnings.paths.ts')

  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-warnings-'))
  await chmod(dir, 0o755)
  const appLog = path.join(dir, 'serve.log')
  let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined
  let database: Awaited<ReturnType<typeof connect>> | undefined
  let app: ChildProcess | undefined
  const smtp = await startSmtpReceiver()
  const onSignal = () => {
    for (const child of running) if (child.pid) process.kill(child.pid, 'SIGKILL')
    void Promise.resolve(embedded?.stop()).finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const s0 = performance.now()
    embedded = await startEmbedded(path.join(dir, 'postgres'))
    const databaseUrl = await ensureDatabase(embedded.url, 'donghanh')
    database = await connect(loadConfig({ DATABASE_URL: databaseUrl }))
    await migrate(database.pool, moduleMigrationDirs())
    const { pool, db } = database
    const tenant = await ensureDefaultTenant(db)
    const staff = async (email: string, name: string) => {
      const [u] = await db
        .insert(users)
        .values({ tenantId: tenant.id, email, name, role: 'approver', status: 'active' })
        .returning({ id: users.id })
      return { id: u?.id as string, label: email }
    }
    const approver = await staff('lanhdao@bench.vn', 'Đại tá Lãnh Đạo')
    await staff('phogiamdoc@bench.vn', 'Thượng tá Phó Giám Đốc')

    // Confirmed subscribers: the chosen communes (one each, round robin) and elsewhere.
    const subscribe = (n: number, communes: string[], prefix: string) =>
      pool.query(
        `INSERT INTO public_subscriptions (tenant_id, email, kinds, communes, state, confirmed_at)
         SELECT $1, $2 || i || '@dan.example.vn', ARRAY['warning'], ARRAY[($3::text[])[1 + i % cardinality($3::text[])]], 'active', now()
         FROM generate_series(1, $4::int) AS i`,
        [tenant.id, prefix, communes, n],
      )
    await subscribe(SUBSCRIBERS, CHOSEN, 'nguoidan')
    await subscribe(OTHERS, ELSEWHERE, 'noikhac')

    const port = await freePort()
    const baseUrl = `http://127.0.0.1:${port}`
    app = startProcess(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'serve'],
      {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        PUBLIC_URL: baseUrl,
        SMTP_URL: smtp.url,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
        DATA_DIR: dir,
      },
      appLog,
    )
    await waitReady(`${baseUrl}/healthz`, app, appLog)
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 })
    const feedUrl = new URL(WARNINGS_FEED_PATH, baseUrl)
    console.log(
      `warnings: set-up ${fmt((performance.now() - s0) / 1000, 1)} s (${SUBSCRIBERS} subscribers in ${CHOSEN.length} communes, ${OTHERS} elsewhere; not measured); ` +
        `${cpus().length} cores shared by this process, the SMTP receiver, the server and PostgreSQL; load average ${loadavg()[0]?.toFixed(2)}`,
    )

    let n = 0
    const draft = async (communes: string[], title: string) => {
      n++
      const input = parseWarningInput({
        kind: 'scam',
        level: 'alert',
        titleVi: `${title} (${n})`,
        descriptionVi:
          'Đối tượng gọi điện tự xưng là cán bộ Công an, thông báo người dân có biên bản phạt nguội và gửi đường link để nộp tiền.',
        instructionVi: 'Không bấm vào đường link lạ, không chuyển tiền; gọi 113 khi nghi ngờ.',
        communes,
      })
      return withTransaction(pool, (tx) => createWarning({ tx, tenantId: tenant.id, actor: approver, input }))
    }
    const urgent = (id: string) =>
      withTransaction(pool, (tx) =>
        publishUrgently({ tx, tenantId: tenant.id, actor: approver, id, reason: 'Thủ đoạn đang lan nhanh, cần cảnh báo ngay' }),
      )

    // 1. Feed freshness.
    const reference: number[] = []
    for (let i = 0; i < 50; i++) {
      const t = performance.now()
      const r = await get(agent, feedUrl)
      if (r.status !== 200) throw new Error(`feed answered ${r.status}: ${r.body.slice(0, 200)}`)
      reference.push(performance.now() - t)
    }
    const lags: number[] = []
    for (let i = 0; i < FEED_ROUNDS; i++) {
      const w = await draft(QUIET_COMMUNE, 'Cảnh báo thử nghiệm độ trễ của nguồn tin CAP')
      const urn = warningUrn(`${baseUrl}${warningPath(w.slug)}`, w.id)
      await urgent(w.id)
      const t = performance.now()
      for (;;) {
        const r = await get(agent, feedUrl)
        if (r.body.includes(urn)) break
        if (performance.now() - t > 10_000) throw new Error(`the feed did not show ${urn} within 10 s`)
        await new Promise((res) => setTimeout(res, 5))
      }
      lags.push(performance.now() - t)
    }
    lags.sort((a, b) => a - b)
    reference.sort((a, b) => a - b)
    const refP50 = percentile(reference, 50)
    console.log(
      `  feed after urgent approval (${FEED_ROUNDS} rounds): p50 ${fmt(percentile(lags, 50), 1)} ms   p99 ${fmt(percentile(lags, 99), 1)} ms   max ${fmt(lags[lags.length - 1] ?? 0, 1)} ms` +
        `   (reference, one GET of the unchanged feed: p50 ${fmt(refP50, 1)} ms; ratio p99/reference ${fmt(percentile(lags, 99) / refP50, 1)}×)   target p99 ≤ 1000 ms`,
    )

    // The sender is idle before the mail round (the feed rounds reached nobody; checked).
    const drained = Date.now() + 60_000
    for (;;) {
      const r = await pool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM distribution_deliveries WHERE state IN ('queued', 'sending')`,
      )
      if ((r.rows[0]?.n ?? 0) === 0) break
      if (Date.now() > drained) throw new Error('deliveries still pending after the feed rounds')
      await new Promise((res) => setTimeout(res, 500))
    }
    const before = smtp.mails.length
    if (before > 0) console.log(`  (${before} mails arrived during the feed rounds: expected none)`)

    // 2. Mail to every subscriber of the chosen communes.
    const w = await draft(CHOSEN, 'Cảnh báo thủ đoạn giả danh công an gọi điện đòi nộp phạt nguội qua đường link')
    await urgent(w.id)
    const t0 = performance.now()
    const reached = new Set<string>()
    const until = Date.now() + 300_000
    let seen = before
    while (reached.size < SUBSCRIBERS) {
      for (; seen < smtp.mails.length; seen++) {
        const m = smtp.mails[seen]
        for (const to of m?.to ?? []) reached.add(to)
      }
      if (Date.now() > until) break
      await new Promise((res) => setTimeout(res, 20))
    }
    const seconds = (performance.now() - t0) / 1000
    await new Promise((res) => setTimeout(res, 2_000))
    for (; seen < smtp.mails.length; seen++) for (const to of smtp.mails[seen]?.to ?? []) reached.add(to)
    const ours = [...reached].filter((a) => a.startsWith('nguoidan')).length
    const others = [...reached].filter((a) => a.startsWith('noikhac')).length
    const mails = smtp.mails.length - before
    console.log(
      `  mail after urgent approval: ${ours} of ${SUBSCRIBERS} subscribers of the chosen communes reached in ${fmt(seconds, 1)} s (${fmt(ours / seconds, 0)} mails/s); ` +
        `others reached: ${others} (expected 0); mails ${mails} for ${ours} recipients (doubles ${mails - ours - others})   target ≤ 60 s`,
    )
    agent.destroy()
  } catch (e) {
    console.log(tail(appLog))
    throw e
  } finally {
    await stop(app)
    await smtp.close()
    await database?.close()
    await embedded?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}
