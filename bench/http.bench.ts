/**
 * HTTP throughput of `donghanh serve`, measured with wrk on loopback (default -t2 -c50 -d10s):
 *
 * - `GET /healthz` — the framework floor (routing, hooks, security headers, JSON);
 * - `GET /console/users` with an admin's full session cookie — a server-rendered page that
 *   loads the session and the user list from PostgreSQL;
 * - `POST /console/sign-in` with correct credentials (argon2id bound) — sign-ins per second
 *   over HTTP, each one a new session row;
 *
 * and, as references measured in the same run, a bare `node:http` server answering the same
 * `/healthz` JSON under the same wrk settings, and argon2id `verifyPassword` called in-process
 * with 50 in flight. The app is the real `donghanh serve` in a child process (LOG_LEVEL=warn, so
 * no per-request log lines), on an embedded PostgreSQL in a temp folder that this bench starts
 * and passes as DATABASE_URL. Every server it starts is stopped by pid, also on error.
 *
 *   npm run bench -- http        (BENCH_DURATION=10s BENCH_CONNECTIONS=50 BENCH_THREADS=2)
 */
import type { ChildProcess } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { and, count, eq } from 'drizzle-orm'
import { loadConfig } from '../src/config.ts'
import { freePort, startEmbedded } from '../src/db/embedded.ts'
import { connect, ensureDatabase, migrate } from '../src/db/index.ts'
import { sessions, users } from '../src/modules/accounts/accounts.tables.ts'
import { createSession } from '../src/modules/accounts/sessions.ts'
import { hashPassword, newTotpSecret, randomToken, verifyPassword } from '../src/platform/auth/secrets.ts'
import { ensureDefaultTenant } from '../src/platform/tenancy/index.ts'
import {
  CONNECTIONS,
  DURATION,
  findExecutable,
  fmt,
  ROOT,
  running,
  startProcess,
  stop,
  tail,
  THREADS,
  type WrkResult,
  waitReady,
  wrk,
} from './support.ts'

const REFERENCE_SERVER = `
const http = require('node:http')
const body = JSON.stringify({ status: 'ok' })
http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'content-length': Buffer.byteLength(body) })
      res.end(body)
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  .listen(Number(process.env.PORT), '127.0.0.1')
`

/** Calls verifyPassword with `concurrency` in flight for `ms`; returns verifications per second. */
async function argonRate(hash: string, password: string, concurrency: number, ms: number): Promise<number> {
  const start = performance.now()
  let done = 0
  const workers = Array.from({ length: concurrency }, async () => {
    while (performance.now() - start < ms) {
      if (!(await verifyPassword(hash, password))) throw new Error('verifyPassword refused the right password')
      done++
    }
  })
  await Promise.all(workers)
  return done / ((performance.now() - start) / 1000)
}

function row(label: string, r: WrkResult): string {
  return `  ${label.padEnd(44)} ${fmt(r.rps).padStart(8)} req/s   p50 ${fmt(r.p50Ms, 2).padStart(7)} ms   p99 ${fmt(r.p99Ms, 2).padStart(7)} ms   errors ${r.errors}`
}

/** Runs the HTTP benchmark and prints its figures; without wrk it says how to install it. */
export async function run(): Promise<void> {
  if (!findExecutable('wrk')) {
    console.log('http: wrk is not installed — skipped. Install it with: apt-get install -y wrk')
    return
  }
  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-'))
  // As root the embedded server runs as `postgres`, which must be able to enter the folder.
  await chmod(dir, 0o755)
  const appLog = path.join(dir, 'serve.log')
  const refLog = path.join(dir, 'reference.log')
  let embedded: Awaited<ReturnType<typeof startEmbedded>> | undefined
  let database: Awaited<ReturnType<typeof connect>> | undefined
  let app: ChildProcess | undefined
  let reference: ChildProcess | undefined
  const onSignal = () => {
    for (const child of running) if (child.pid) process.kill(child.pid, 'SIGKILL')
    void Promise.resolve(embedded?.stop()).finally(() => process.exit(130))
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    // Database: embedded PostgreSQL in the temp folder, migrated, with the default tenant.
    const t0 = performance.now()
    embedded = await startEmbedded(path.join(dir, 'postgres'))
    const databaseUrl = await ensureDatabase(embedded.url, 'donghanh')
    database = await connect(loadConfig({ DATABASE_URL: databaseUrl }))
    await migrate(database.pool)
    const tenant = await ensureDefaultTenant(database.db)

    // An admin with TOTP and a full session (as test/support/app.ts does), and an editor
    // with TOTP whose password the sign-in run sends.
    const adminHash = await hashPassword(`Mat-khau-${randomToken(9)}`)
    const [admin] = await database.db
      .insert(users)
      .values({
        tenantId: tenant.id,
        email: 'bench-admin@example.vn',
        name: 'Quản trị (bench)',
        role: 'admin',
        status: 'active',
        passwordHash: adminHash,
        totpSecret: newTotpSecret(),
        totpEnabledAt: new Date(),
      })
      .returning({ id: users.id })
    const config = loadConfig()
    const sid = await createSession(database.db, {
      userId: admin?.id as string,
      tenantId: tenant.id,
      stage: 'full',
      limits: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
    })
    const editorPassword = `Mat-khau-${randomToken(9)}`
    const editorHash = await hashPassword(editorPassword)
    const [editor] = await database.db
      .insert(users)
      .values({
        tenantId: tenant.id,
        email: 'bench-editor@example.vn',
        name: 'Biên tập (bench)',
        role: 'editor',
        status: 'active',
        passwordHash: editorHash,
        totpSecret: newTotpSecret(),
        totpEnabledAt: new Date(),
      })
      .returning({ id: users.id })

    // The app: `donghanh serve` in its own process, on the database above.
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    app = startProcess(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'serve'],
      {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATABASE_URL: databaseUrl,
        PUBLIC_URL: base,
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
        DATA_DIR: dir,
      },
      appLog,
    )
    await waitReady(`${base}/healthz`, app, appLog)
    const refPort = await freePort()
    reference = startProcess(process.execPath, ['-e', REFERENCE_SERVER], { ...process.env, PORT: String(refPort) }, refLog)
    await waitReady(`http://127.0.0.1:${refPort}/healthz`, reference, refLog)
    console.log(
      `http: set-up ${fmt((performance.now() - t0) / 1000, 1)} s; wrk -t${THREADS} -c${CONNECTIONS} -d${DURATION} --latency on 127.0.0.1, ${cpus().length} cores shared by wrk and the server; load average ${loadavg()[0]?.toFixed(2)}`,
    )

    // Check every target answers as expected before loading it.
    const cookie = `dh_sid=${sid}`
    const page = await fetch(`${base}/console/users`, { headers: { cookie }, redirect: 'manual' })
    const html = await page.text()
    if (page.status !== 200 || !html.includes('bench-editor@example.vn')) {
      throw new Error(`GET /console/users with the admin session answered ${page.status}, not the user list`)
    }
    const csrf = randomToken(24)
    const body = new URLSearchParams({
      _csrf: csrf,
      email: 'bench-editor@example.vn',
      password: editorPassword,
      next: '/console',
    }).toString()
    const signInHeaders = { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${csrf}` }
    const probe = await fetch(`${base}/console/sign-in`, { method: 'POST', headers: signInHeaders, body, redirect: 'manual' })
    if (probe.status !== 303 || !probe.headers.get('location')?.startsWith('/console/totp/verify')) {
      throw new Error(`POST /console/sign-in answered ${probe.status} ${probe.headers.get('location') ?? ''}, not 303 to the TOTP step`)
    }
    const script = path.join(dir, 'sign-in.lua')
    await writeFile(
      script,
      [
        'wrk.method = "POST"',
        `wrk.body = ${JSON.stringify(body)}`,
        `wrk.headers["Content-Type"] = "${signInHeaders['content-type']}"`,
        `wrk.headers["Cookie"] = "${signInHeaders.cookie}"`,
        '',
      ].join('\n'),
    )

    // Warm-up (JIT, pools), then the measured runs one after another.
    await wrk(`http://127.0.0.1:${refPort}/healthz`, { duration: '2s' })
    await wrk(`${base}/healthz`, { duration: '2s' })
    await wrk(`${base}/console/users`, { duration: '2s', headers: [`Cookie: ${cookie}`] })
    const ref = await wrk(`http://127.0.0.1:${refPort}/healthz`)
    const health = await wrk(`${base}/healthz`)
    const consolePage = await wrk(`${base}/console/users`, { headers: [`Cookie: ${cookie}`] })
    const signIns = await wrk(`${base}/console/sign-in`, { script, timeout: '20s' })
    await stop(reference)
    await stop(app)
    // Every counted sign-in must have made a session (wrk counts 3xx as success).
    const [made] = await database.db
      .select({ n: count() })
      .from(sessions)
      .where(and(eq(sessions.userId, editor?.id as string), eq(sessions.stage, 'verify')))
    const sessionsMade = (made?.n ?? 0) - 1 // minus the probe
    const argonMs = 5000
    const argon = await argonRate(editorHash, editorPassword, CONNECTIONS, argonMs)

    console.log(row('reference: bare node:http GET /healthz', ref))
    console.log(row('GET /healthz', health))
    console.log(row('GET /console/users (admin session)', consolePage))
    console.log(`${row('POST /console/sign-in (argon2id, 303)', signIns)}   sessions made ${sessionsMade}`)
    console.log(
      `  ${'reference: verifyPassword in-process'.padEnd(44)} ${fmt(argon).padStart(8)} /s      (${CONNECTIONS} in flight, ${argonMs / 1000} s, libuv pool ${process.env.UV_THREADPOOL_SIZE || 4} threads)`,
    )
    console.log(
      `  ratios: /healthz ${fmt(health.rps / ref.rps, 2)}× bare node:http (p99 ${fmt(health.p99Ms / ref.p99Ms, 1)}×); ` +
        `console page ${fmt(consolePage.rps / ref.rps, 3)}× bare node:http, ${fmt(consolePage.rps / health.rps, 2)}× /healthz; ` +
        `sign-ins over HTTP ${fmt(signIns.rps / argon, 2)}× in-process argon2id verifications`,
    )
    const failed = [ref, health, consolePage, signIns].filter((r) => r.errors > 0 || r.requests === 0)
    if (failed.length > 0) throw new Error(`wrk saw errors:\n${failed.map((r) => r.raw).join('\n')}`)
    if (sessionsMade < signIns.requests)
      throw new Error(`wrk counted ${signIns.requests} sign-ins but only ${sessionsMade} sessions were made`)
  } catch (e) {
    if (app) process.stderr.write(`serve log (tail):\n${tail(appLog)}\n`)
    throw e
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const child of [...running]) await stop(child)
    await database?.close()
    await embedded?.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
