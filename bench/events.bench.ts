/**
 * Check-in at the door while invitations go out (issue 16): check-ins per second sustained on
 * POST /console/su-kien/:id/diem-danh/quet while the invitations of the same press conference
 * go out to BENCH_EVENTS_PARTNERS (default 5,000) accredited journalists. Target ≥ 50 check-ins/s
 * with p99 ≤ 200 ms.
 *
 * Set-up (not measured): an embedded PostgreSQL in a temp folder, migrated; the default tenant;
 * 5,000 accredited journalists with an address (bulk SQL; the builtin "all accredited press"
 * list reaches them); one press conference created and announced through the real commands,
 * starting in a few minutes, inviting that list; and, for the door, accredited influencers
 * (outside the list) whose invitations to the same event are confirmed ('yes') with a badge
 * code, written in bulk, with their tokens signed by `signBadge` under the tenant's badge key.
 * The app is the real `donghanh serve` in a child process (its in-process worker sends the mail
 * to a local SMTP receiver, smtp-server), as the default deployment runs it.
 *
 * Measured, one after the other in the same run:
 * 1. reference: the check-in load alone for BENCH_EVENTS_SECONDS (default 20 s);
 * 2. loaded: an editor POSTs /console/su-kien/:id/moi (the real invitation round: 5,000 rows,
 *    5,000 mails with their calendar file, in one transaction) and, at the same moment, the same
 *    check-in load starts; it runs until every invitation has arrived at the SMTP receiver and
 *    for at least BENCH_EVENTS_SECONDS, but no longer than BENCH_EVENTS_MAX_SECONDS (default 90):
 *    the mail job's rate is then reported with the time all mails would take. The loaded figures
 *    are split in two phases: during the invitation round's transaction, then while mails go out.
 * During both runs the sessions waiting on locks in PostgreSQL are sampled (pg_stat_activity),
 * so a stall names its cause.
 * The load: BENCH_EVENTS_CONCURRENCY (default 8) clients in this process over keep-alive HTTP,
 * each request one scan (`{ scans: [{ scanId, token, door, deviceId, scannedAt, offline }] }`,
 * an officer's session cookie and its CSRF header); every scan a badge not scanned before, and
 * one request in ten a second scan of a badge already checked in, at another door (expected:
 * 'duplicate'). Latency is from request to the whole response, at the client.
 *
 * Checked afterwards, in the database: each badge scanned first is checked in exactly once, no
 * badge that was not scanned is, and each second scan is kept as a 'duplicate' conflict under
 * its own scan id. Any miss fails the bench.
 *
 *   npm run bench -- events   (BENCH_EVENTS_PARTNERS=5000 BENCH_EVENTS_CONCURRENCY=8 BENCH_EVENTS_SECONDS=20
 *                              BENCH_EVENTS_MAX_SECONDS=90 BENCH_EVENTS_BADGES=10000)
 */
import type { ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { chmod, mkdtemp, rm } from 'node:fs/promises'
import http from 'node:http'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fmt, ROOT, running, startProcess, stop, tail, waitReady } from './support.ts'

const PARTNERS = Number(process.env.BENCH_EVENTS_PARTNERS || 5_000)
const CONCURRENCY = Number(process.env.BENCH_EVENTS_CONCURRENCY || 8)
const SECONDS = Number(process.env.BENCH_EVENTS_SECONDS || 20)
/** Badges for the door: enough for both runs at a generous rate (a run that uses them all says so). */
const BADGES = Number(process.env.BENCH_EVENTS_BADGES || 10_000)
/** The loaded run stops here even if mails are still going out (their rate is then reported). */
const MAX_SECONDS = Number(process.env.BENCH_EVENTS_MAX_SECONDS || 90)
const DUPLICATE_SHARE = 0.1
const SCAN_PATH = (eventId: string) => `/console/su-kien/${eventId}/diem-danh/quet`

/** One badge at the door. */
interface Badge {
  invitationId: string
  token: string
}

/** What one scan request did. */
interface Scan {
  scanId: string
  invitationId: string
  duplicate: boolean
  /** When the request was sent (ms since the run's start) and how long it took. */
  at: number
  ms: number
  status: number
  result: string
}

/** Figures of one check-in run. */
interface RunFigures {
  scans: Scan[]
  seconds: number
  ran: { exhausted: boolean }
}

/**
 * Samples, every 250 ms, what the database's sessions wait on (heavyweight locks: rows, advisory
 * locks), by wait event and the start of the waiting statement.
 */
function sampleLockWaits(pool: import('pg').Pool) {
  const what = new Map<string, number>()
  let samples = 0
  let waiting = 0
  let maxWaiting = 0
  const timer = setInterval(() => {
    pool
      .query<{ what: string; n: number }>(
        `SELECT wait_event || ': ' || left(regexp_replace(query, '[[:space:]]+', ' ', 'g'), 60) AS what, count(*)::int AS n
           FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database() GROUP BY 1`,
      )
      .then((r) => {
        samples++
        const n = r.rows.reduce((sum, x) => sum + x.n, 0)
        waiting += n
        maxWaiting = Math.max(maxWaiting, n)
        for (const x of r.rows) what.set(x.what, (what.get(x.what) ?? 0) + x.n)
      })
      .catch(() => undefined)
  }, 250)
  return {
    stop: () => clearInterval(timer),
    report: () => {
      const top = [...what].sort((a, b) => b[1] - a[1]).slice(0, 2)
      return (
        `${fmt(waiting / Math.max(1, samples), 1)} sessions waiting on average, at most ${maxWaiting} (${samples} samples)` +
        (top.length > 0 ? `; most seen: ${top.map(([w, n]) => `${w}… ×${n}`).join(' | ')}` : '')
      )
    },
  }
}

/** A percentile of sorted numbers (nearest rank). */
function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

/** POSTs JSON over the keep-alive `agent`; resolves with the status and the parsed body. */
function postJson(
  agent: http.Agent,
  base: URL,
  pathName: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const payload = Buffer.from(JSON.stringify(body))
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        agent,
        host: base.hostname,
        port: base.port,
        path: pathName,
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          let json: unknown = null
          try {
            json = JSON.parse(text)
          } catch {
            json = text
          }
          resolve({ status: res.statusCode ?? 0, json })
        })
        res.on('error', reject)
      },
    )
    req.setTimeout(30_000, () => req.destroy(new Error('scan request timed out after 30 s')))
    req.on('error', reject)
    req.end(payload)
  })
}

/**
 * Drives the check-in endpoint with `CONCURRENCY` clients until `until()` says stop; every scan
 * takes the next unused badge, one in ten re-scans a badge already checked in (another door).
 */
async function checkinLoad(o: {
  base: URL
  eventId: string
  headers: Record<string, string>
  badges: Badge[]
  /** Index of the next unused badge (shared across runs). */
  cursor: { next: number }
  door: string
  until: (elapsedMs: number) => boolean
}): Promise<RunFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY })
  const scans: Scan[] = []
  const checkedIn: Badge[] = []
  const ran = { exhausted: false }
  const t0 = performance.now()
  let n = 0
  const client = async (c: number) => {
    while (!o.until(performance.now() - t0)) {
      n++
      const duplicate = checkedIn.length > 0 && n % Math.round(1 / DUPLICATE_SHARE) === 0
      let badge: Badge
      if (duplicate) {
        badge = checkedIn[Math.floor(Math.random() * checkedIn.length)] as Badge
      } else {
        if (o.cursor.next >= o.badges.length) {
          ran.exhausted = true
          return
        }
        badge = o.badges[o.cursor.next++] as Badge
      }
      const scanId = randomUUID()
      const at = performance.now() - t0
      const scan = {
        scanId,
        token: badge.token,
        door: duplicate ? `${o.door} (cửa phụ)` : o.door,
        deviceId: `bench-${c}`,
        scannedAt: new Date().toISOString(),
        offline: false,
      }
      let status = 0
      let result = ''
      try {
        const res = await postJson(agent, o.base, SCAN_PATH(o.eventId), o.headers, { scans: [scan] })
        status = res.status
        const r = (res.json as { results?: { scanId?: string; result?: string }[] } | null)?.results?.find((x) => x.scanId === scanId)
        result = r?.result ?? (status === 200 ? '(missing)' : JSON.stringify(res.json).slice(0, 200))
      } catch (e) {
        result = `error: ${(e as Error).message}`
      }
      const ms = performance.now() - t0 - at
      scans.push({ scanId, invitationId: badge.invitationId, duplicate, at, ms, status, result })
      if (!duplicate && status === 200 && result === 'checked_in') checkedIn.push(badge)
    }
  }
  await Promise.all(Array.from({ length: CONCURRENCY }, (_, c) => client(c)))
  const seconds = (performance.now() - t0) / 1000
  agent.destroy()
  return { scans, seconds, ran }
}

/** Rate, latency and errors of some scans over `seconds`. */
function summarise(scans: Scan[], seconds: number) {
  const ok = scans.filter((s) => s.status === 200 && (s.duplicate ? s.result === 'duplicate' : s.result === 'checked_in'))
  const sorted = scans.map((s) => s.ms).sort((a, b) => a - b)
  return {
    requests: scans.length,
    checkins: ok.filter((s) => !s.duplicate).length,
    duplicates: ok.filter((s) => s.duplicate).length,
    perSecond: ok.filter((s) => !s.duplicate).length / seconds,
    requestsPerSecond: scans.length / seconds,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    errors: scans.length - ok.length,
  }
}

function row(label: string, s: ReturnType<typeof summarise>, seconds: number): string {
  return (
    `  ${label.padEnd(34)} ${fmt(s.perSecond, 1).padStart(8)} check-ins/s (${fmt(s.requestsPerSecond, 1)} req/s, ${s.checkins} + ${s.duplicates} duplicates in ${fmt(seconds, 1)} s)` +
    `   p50 ${fmt(s.p50, 1)} ms   p95 ${fmt(s.p95, 1)} ms   p99 ${fmt(s.p99, 1)} ms   max ${fmt(s.max, 0)} ms   errors ${s.errors}`
  )
}

/** Runs the events bench and prints its figures. */
export async function run(): Promise<void> {
  const { eq } = await import('drizzle-orm')
  const { loadConfig } = await import('../src/config.ts')
  const { freePort, startEmbedded } = await import('../src/db/embedded.ts')
  const { connect, ensureDatabase, migrate, withTransaction } = await import('../src/db/index.ts')
  await import('../src/modules.ts')
  const { moduleMigrationDirs } = await import('../src/platform/modules.ts')
  const { ensureDefaultTenant } = await import('../src/platform/tenancy/index.ts')
  const { users, sessions } = await import('../src/modules/accounts/accounts.tables.ts')
  const { createSession } = await import('../src/modules/accounts/sessions.ts')
  const { newTotpSecret } = await import('../src/platform/auth/secrets.ts')
  const { sessionToken } = await import('../src/platform/http/csrf.ts')
  const { ensureBuiltinLists } = await import('../src/modules/distribution/lists/recipients.ts')
  const { createEvent } = await import('../src/modules/events/commands/create-event.ts')
  const { announceEvent } = await import('../src/modules/events/commands/announce-event.ts')
  const { badgeExpiry, badgeKey, newBadgeCode, signBadge } = await import('../src/modules/events/badges/badge-token.ts')
  const { startSmtpReceiver } = await import('../src/modules/distribution/delivery/testing.ts')

  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-events-'))
  // As root the embedded server runs as `postgres`, which must be able to enter the folder.
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

    // Staff: an editor who sends the invitations, an officer at the door; both with full sessions.
    const config = loadConfig()
    const staff = async (role: 'editor' | 'officer', email: string, name: string) => {
      const [u] = await db
        .insert(users)
        .values({ tenantId: tenant.id, email, name, role, status: 'active', totpSecret: newTotpSecret(), totpEnabledAt: new Date() })
        .returning({ id: users.id })
      const sid = await createSession(db, {
        userId: u?.id as string,
        tenantId: tenant.id,
        stage: 'full',
        limits: { idleMinutes: config.sessionIdleMinutes, absoluteHours: config.sessionAbsoluteHours },
      })
      const [s] = await db
        .select({ secret: sessions.csrfSecret })
        .from(sessions)
        .where(eq(sessions.userId, u?.id as string))
      return { id: u?.id as string, email, cookie: `dh_sid=${sid}`, csrf: sessionToken(s?.secret as string) }
    }
    const editor = await staff('editor', 'bientap@bench.vn', 'Nguyễn Thị Biên Tập')
    const officer = await staff('officer', 'diemdanh@bench.vn', 'Phạm Văn Điểm Danh')

    // The invitees: accredited journalists with an address (the builtin press list reaches them).
    const invitees = await pool.query<{ id: string }>(
      `INSERT INTO partners (tenant_id, kind, name, email, status)
       SELECT $1, 'journalist', 'Phóng viên ' || i, 'pv' || i || '@bao.example.vn', 'accredited' FROM generate_series(1, $2::int) AS i
       RETURNING id`,
      [tenant.id, PARTNERS],
    )
    const { accreditedPress } = await ensureBuiltinLists(db, tenant.id)
    const uidDomain = 'bench.donghanh.vn'
    const startsAt = new Date(Date.now() + 10 * 60_000)
    const endsAt = new Date(startsAt.getTime() + 2 * 3_600_000)
    const actor = { id: editor.id, label: editor.email }
    const event = await withTransaction(pool, (tx) =>
      createEvent({
        tx,
        tenantId: tenant.id,
        actor,
        uidDomain,
        input: {
          kind: 'adhoc_press_conference',
          title: 'Họp báo đột xuất: thông tin vụ án (bench)',
          topic: 'Đo tốc độ điểm danh khi thư mời đang gửi',
          startsAt,
          endsAt,
          place: 'Hội trường Công an tỉnh',
          listIds: [accreditedPress],
        },
      }),
    )
    await withTransaction(pool, (tx) => announceEvent({ tx, tenantId: tenant.id, actor, id: event.id }))

    // The door's side: confirmed invitations of partners outside the list, each with a badge.
    const codes = new Set<string>()
    while (codes.size < BADGES) codes.add(newBadgeCode())
    const holders = await pool.query<{ id: string }>(
      `INSERT INTO partners (tenant_id, kind, name, status)
       SELECT $1, 'influencer', 'Người mời sẵn ' || i, 'accredited' FROM generate_series(1, $2::int) AS i
       RETURNING id`,
      [tenant.id, BADGES],
    )
    const confirmed = await pool.query<{ id: string; badge_version: number }>(
      `INSERT INTO event_invitations (tenant_id, event_id, partner_id, state, responded_at, badge_code, badge_sent_at)
       SELECT $1, $2, x.p, 'yes', now(), x.code, now() FROM unnest($3::uuid[], $4::text[]) AS x(p, code)
       RETURNING id, badge_version`,
      [tenant.id, event.id, holders.rows.map((r) => r.id), [...codes]],
    )
    const key = await badgeKey(db, tenant.id)
    const exp = badgeExpiry(endsAt)
    const badges: Badge[] = confirmed.rows.map((r) => ({
      invitationId: r.id,
      token: signBadge(key, { invitationId: r.id, version: r.badge_version, exp }),
    }))

    // The app, as deployed by default: one process serving HTTP and running the jobs.
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
        OUTBOUND_ALLOW_PRIVATE: 'true',
        LOG_LEVEL: process.env.BENCH_LOG_LEVEL || 'warn',
        DATA_DIR: dir,
      },
      appLog,
    )
    await waitReady(`${baseUrl}/healthz`, app, appLog)
    const base = new URL(baseUrl)
    const scanHeaders = { cookie: officer.cookie, 'x-csrf-token': officer.csrf }
    console.log(
      `events: set-up ${fmt((performance.now() - s0) / 1000, 1)} s (${invitees.rowCount} invitees, ${badges.length} badges; not measured); ` +
        `${CONCURRENCY} clients, one scan per request, ${DUPLICATE_SHARE * 100} % second scans; ${cpus().length} cores shared by the clients, the SMTP receiver, the server and PostgreSQL; load average ${loadavg()[0]?.toFixed(2)}`,
    )

    // Probe: the contract holds (a first scan checks in, a second is a duplicate), then warm up.
    const cursor = { next: 0 }
    const probeBadge = badges[cursor.next++] as Badge
    const probe = async (door: string) => {
      const scanId = randomUUID()
      const agent = new http.Agent({ keepAlive: false })
      const res = await postJson(agent, base, SCAN_PATH(event.id), scanHeaders, {
        scans: [{ scanId, token: probeBadge.token, door, deviceId: 'bench-probe', scannedAt: new Date().toISOString(), offline: false }],
      })
      const r = (res.json as { results?: { scanId: string; result: string }[] })?.results?.find((x) => x.scanId === scanId)
      return { status: res.status, result: r?.result, body: res.json }
    }
    const first = await probe('Cửa chính')
    const second = await probe('Cửa phụ')
    if (first.status !== 200 || first.result !== 'checked_in' || second.status !== 200 || second.result !== 'duplicate') {
      throw new Error(
        `the check-in endpoint does not answer as agreed: first scan ${first.status} ${JSON.stringify(first.body)}, second ${second.status} ${JSON.stringify(second.body)}`,
      )
    }
    const warm = await checkinLoad({
      base,
      eventId: event.id,
      headers: scanHeaders,
      badges,
      cursor,
      door: 'Cửa chính',
      until: (ms) => ms > 2_000,
    })

    // 1. Reference: the check-in load alone.
    const aloneWaits = sampleLockWaits(pool)
    const unloaded = await checkinLoad({
      base,
      eventId: event.id,
      headers: scanHeaders,
      badges,
      cursor,
      door: 'Cửa chính',
      until: (ms) => ms > SECONDS * 1000,
    })

    aloneWaits.stop()

    // 2. Loaded: the invitation round and the same load, started together.
    const mailsBefore = smtp.mails.length
    const addresses = new Set(Array.from({ length: PARTNERS }, (_, i) => `pv${i + 1}@bao.example.vn`))
    const arrived = () => smtp.mails.slice(mailsBefore).filter((m) => m.to.some((a) => addresses.has(a))).length
    const t0 = performance.now()
    let postMs = Number.NaN
    let postStatus = 0
    let allArrivedMs = Number.NaN
    let stopped = false
    const invite = (async () => {
      const res = await fetch(`${baseUrl}/console/su-kien/${event.id}/moi`, {
        method: 'POST',
        headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ _csrf: editor.csrf }).toString(),
        redirect: 'manual',
      })
      await res.arrayBuffer()
      postStatus = res.status
      postMs = performance.now() - t0
      if (postStatus !== 303) throw new Error(`POST /moi answered ${postStatus}`)
      while (arrived() < PARTNERS && !stopped) await new Promise((r) => setTimeout(r, 20))
      if (arrived() >= PARTNERS) allArrivedMs = performance.now() - t0
    })()
    let inviteFailed: unknown
    invite.catch((e) => {
      inviteFailed = e
    })
    const waits = sampleLockWaits(pool)
    const loaded = await checkinLoad({
      base,
      eventId: event.id,
      headers: scanHeaders,
      badges,
      cursor,
      door: 'Cửa chính',
      // At least SECONDS; always until the invitation round has answered; then until the mails are
      // out, but no longer than MAX_SECONDS (and at least SECONDS after the round answered).
      until: (ms) =>
        inviteFailed !== undefined ||
        (ms > SECONDS * 1000 && Number.isFinite(allArrivedMs)) ||
        (Number.isFinite(postMs) && ms > Math.max(MAX_SECONDS * 1000, postMs + SECONDS * 1000)),
    })
    stopped = true
    waits.stop()
    await invite
    const arrivedInRun = arrived()
    // Two phases: the invitation round's transaction (until POST /moi answered), then the mails
    // going out (until the last arrived, or the run stopped).
    const endMs = Number.isFinite(allArrivedMs) ? Math.min(allArrivedMs, loaded.seconds * 1000) : loaded.seconds * 1000
    const inRound = loaded.scans.filter((s) => s.at < postMs)
    const inMail = loaded.scans.filter((s) => s.at >= postMs && s.at < endMs)
    await stop(app)

    // Correctness, in the database.
    const all = [...warm.scans, ...unloaded.scans, ...loaded.scans]
    const firstScans = all.filter((s) => !s.duplicate && s.status === 200 && s.result === 'checked_in')
    const secondScans = all.filter((s) => s.duplicate)
    const checkins = await pool.query<{ invitation_id: string; n: number }>(
      `SELECT invitation_id, count(*)::int AS n FROM event_checkins WHERE event_id = $1 AND invitation_id IS NOT NULL GROUP BY invitation_id`,
      [event.id],
    )
    const perInvitation = new Map(checkins.rows.map((r) => [r.invitation_id, r.n]))
    const expectedIds = new Set([probeBadge.invitationId, ...all.filter((s) => !s.duplicate).map((s) => s.invitationId)])
    const notOnce = [...expectedIds].filter((id) => perInvitation.get(id) !== 1).length
    const unexpected = [...perInvitation.keys()].filter((id) => !expectedIds.has(id)).length
    const conflicts = await pool.query<{ scan_id: string; reason: string; invitation_id: string | null }>(
      `SELECT scan_id, reason, invitation_id FROM event_checkin_conflicts WHERE event_id = $1`,
      [event.id],
    )
    const conflictOf = new Map(conflicts.rows.map((r) => [r.scan_id, r]))
    const duplicatesMissing = secondScans.filter((s) => {
      const c = conflictOf.get(s.scanId)
      return c?.reason !== 'duplicate' || c.invitation_id !== s.invitationId
    }).length
    const invitations = await pool.query<{ n: number; mailed: number }>(
      `SELECT count(*)::int AS n, count(*) FILTER (WHERE sequence_sent IS NOT NULL)::int AS mailed
         FROM event_invitations WHERE event_id = $1 AND partner_id = ANY($2::uuid[])`,
      [event.id, invitees.rows.map((r) => r.id)],
    )
    const outbox = await pool.query<{ status: string; n: number }>(`SELECT status, count(*)::int AS n FROM mail_outbox GROUP BY status`)

    const u = summarise(unloaded.scans, unloaded.seconds)
    const l = summarise(loaded.scans, loaded.seconds)
    const r = summarise(inRound, postMs / 1000)
    const d = summarise(inMail, (endMs - postMs) / 1000)
    console.log(row('reference: check-in alone', u, unloaded.seconds))
    console.log(row('check-in while inviting (whole run)', l, loaded.seconds))
    console.log(row('  during the invitation transaction', r, postMs / 1000))
    console.log(row('  then while the mails went out', d, (endMs - postMs) / 1000))
    console.log(`  lock waits in PostgreSQL, check-in alone: ${aloneWaits.report()}`)
    console.log(`  lock waits in PostgreSQL, while inviting: ${waits.report()}`)
    console.log(
      `  invitations: ${fmt(PARTNERS)} partners — POST /moi answered ${postStatus} after ${fmt(postMs / 1000, 2)} s (rows, mails and calendar files in one transaction); ` +
        (Number.isFinite(allArrivedMs)
          ? `all ${fmt(arrivedInRun)} mails at the SMTP receiver after ${fmt(allArrivedMs / 1000, 1)} s (${fmt(PARTNERS / (allArrivedMs / 1000), 1)} mails/s); `
          : `only ${fmt(arrivedInRun)} of ${fmt(PARTNERS)} mails at the SMTP receiver when the run stopped at ${fmt(loaded.seconds, 1)} s ` +
            `(${fmt(arrivedInRun / Math.max(0.001, loaded.seconds - postMs / 1000), 1)} mails/s after the POST: all ${fmt(PARTNERS)} would take ≈ ${fmt(PARTNERS / Math.max(0.001, arrivedInRun / Math.max(0.001, loaded.seconds - postMs / 1000)) / 60, 0)} min); `) +
        `${invitations.rows[0]?.n} invitations written, ${invitations.rows[0]?.mailed} marked mailed; outbox ${outbox.rows.map((r) => `${r.status} ${r.n}`).join(', ')}`,
    )
    console.log(
      `  ratios loaded/unloaded: check-ins/s ${fmt(l.perSecond / u.perSecond, 2)} (invitation transaction ${fmt(r.perSecond / u.perSecond, 2)}, mails ${fmt(d.perSecond / u.perSecond, 2)}); ` +
        `p99 ${fmt(l.p99 / u.p99, 1)}× (${fmt(r.p99 / u.p99, 1)}×, ${fmt(d.p99 / u.p99, 1)}×); target ≥ 50/s with p99 ≤ 200 ms while inviting: ` +
        `${l.perSecond >= 50 && l.p99 <= 200 ? 'met' : 'NOT met'}; alone: ${u.perSecond >= 50 && u.p99 <= 200 ? 'met' : 'NOT met'}`,
    )
    console.log(
      `  correctness: ${expectedIds.size} badges scanned first, ${perInvitation.size} checked in; not exactly once ${notOnce}; checked in without a scan ${unexpected}; ` +
        `second scans ${secondScans.length}, kept as 'duplicate' conflicts ${secondScans.length - duplicatesMissing}, missing ${duplicatesMissing}` +
        (unloaded.ran.exhausted || loaded.ran.exhausted ? `; BADGES RAN OUT (raise BENCH_EVENTS_BADGES)` : ''),
    )
    const errors = [...all.filter((s) => s.status !== 200 || (s.duplicate ? s.result !== 'duplicate' : s.result !== 'checked_in'))]
    if (errors.length > 0) {
      const kinds = new Map<string, number>()
      for (const e of errors) kinds.set(`${e.status} ${e.result}`, (kinds.get(`${e.status} ${e.result}`) ?? 0) + 1)
      console.log(`  errors by kind: ${[...kinds].map(([k, n]) => `${k} ×${n}`).join('; ')}`)
    }
    if (firstScans.length === 0) throw new Error('no scan checked anyone in')
    if (notOnce > 0 || unexpected > 0 || duplicatesMissing > 0) throw new Error('check-ins or conflicts do not match the scans (see above)')
    if (invitations.rows[0]?.n !== PARTNERS) throw new Error(`${invitations.rows[0]?.n} invitations written for ${PARTNERS} partners`)
  } catch (e) {
    if (app) process.stderr.write(`serve log (tail):\n${tail(appLog)}\n`)
    throw e
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    for (const child of [...running]) await stop(child)
    await smtp.close()
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
