/**
 * Verification-desk intake: submissions per second sustained for BENCH_INTAKE_SECONDS
 * (default 60) with none lost — every accepted ticket must be in the database afterwards.
 * Calls what the public form calls once the request is parsed, `takePublicSubmission` (dedupe,
 * matching against the claims stored so far, link look-up, ticket, claim, triage) from 32
 * concurrent workers in-process, on an embedded PostgreSQL in a temp folder; HTTP parsing,
 * the rate limit and the page are not included (see the http bench for the server's own cost). The reference in the same run: plain single-row
 * INSERTs into a table of the same database with the same concurrency (the floor any intake
 * must stand on), and the ratio.
 *
 *   npm run bench -- intake     (BENCH_INTAKE_SECONDS=60 BENCH_INTAKE_WORKERS=32)
 */
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import path from 'node:path'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { startEmbedded } from '../src/db/embedded.ts'
import { type Database, ensureDatabase, migrate, openPool } from '../src/db/index.ts'
import { configureMatcher } from '../src/modules/factcheck/matcher.ts'
import { takePublicSubmission } from '../src/modules/factcheck/public/intake.ts'
import { verifyAuditChain } from '../src/platform/audit/index.ts'
import { ensureDefaultTenant } from '../src/platform/tenancy/index.ts'

const SECONDS = Number(process.env.BENCH_INTAKE_SECONDS || 60)
const WORKERS = Number(process.env.BENCH_INTAKE_WORKERS || 32)

const PLACES = [
  'chợ Nông Cống',
  'cầu Hàm Rồng',
  'phường Hạc Thành',
  'xã Quảng Phú',
  'thị trấn Bến Sung',
  'bến xe phía Bắc',
  'đường Lê Lợi',
  'sông Mã',
]
const EVENTS = [
  'có người bị bắt cóc',
  'xảy ra tai nạn liên hoàn làm nhiều người chết',
  'công an phong tỏa toàn bộ khu vực',
  'có đối tượng giả danh công an thu tiền phạt',
  'nước lũ dâng cao phải sơ tán',
  'cháy lớn thiêu rụi nhiều ki ốt',
]

function text(i: number): string {
  const place = PLACES[i % PLACES.length]
  const event = EVENTS[Math.floor(i / PLACES.length) % EVENTS.length]
  return `Nghe nói tối nay ở ${place} ${event}, mọi người chia sẻ gấp (tin số ${i})`
}

async function sustained(
  label: string,
  seconds: number,
  op: (i: number) => Promise<void>,
): Promise<{ ok: number; failed: number; rate: number }> {
  let next = 0
  let ok = 0
  let failed = 0
  const until = performance.now() + seconds * 1000
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: WORKERS }, async () => {
      while (performance.now() < until) {
        const i = next++
        try {
          await op(i)
          ok++
        } catch (e) {
          failed++
          if (failed < 3) process.stderr.write(`${label}: ${(e as Error).message}\n`)
        }
      }
    }),
  )
  const rate = ok / ((performance.now() - t0) / 1000)
  return { ok, failed, rate }
}

/** CPU seconds used so far by the PostgreSQL started in `dir`: its postmaster (whose command line names `dir`) and its children. */
async function cpuSecondsOf(dir: string): Promise<number> {
  const procs: { pid: string; ppid: string; ticks: number; mine: boolean }[] = []
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const stat = await readFile(`/proc/${entry}/stat`, 'utf8')
      // After "pid (name) ": state, ppid, … utime and stime are the 12th and 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const mine = (await readFile(`/proc/${entry}/cmdline`, 'utf8')).includes(dir)
      procs.push({ pid: entry, ppid: fields[1] as string, ticks: Number(fields[11]) + Number(fields[12]), mine })
    } catch {
      // gone meanwhile
    }
  }
  const roots = new Set(procs.filter((p) => p.mine).map((p) => p.pid))
  return procs.filter((p) => roots.has(p.pid) || roots.has(p.ppid)).reduce((sum, p) => sum + p.ticks, 0) / 100
}

/** Runs the intake bench. */
export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-intake-'))
  await chmod(dir, 0o755)
  const server = await startEmbedded(path.join(dir, 'pg'))
  try {
    const url = await ensureDatabase(server.url, 'bench')
    const pool = openPool(url, WORKERS + 4)
    const database: Database = { url, pool, db: drizzle(pool) as unknown as Database['db'], close: async () => undefined }
    await migrate(pool)
    const tenant = await ensureDefaultTenant(database.db)
    configureMatcher(database)
    await pool.query('CREATE TABLE bench_plain (id bigserial PRIMARY KEY, tenant_id uuid, text text, created_at timestamptz DEFAULT now())')

    const ref = await sustained('reference', Math.min(10, SECONDS), async (i) => {
      await pool.query('INSERT INTO bench_plain (tenant_id, text) VALUES ($1, $2)', [tenant.id, text(i)])
    })
    console.log(`reference: plain INSERT, ${WORKERS} in flight: ${ref.rate.toFixed(0)} rows/s`)

    const tickets = new Set<string>()
    const cpu0 = process.cpuUsage()
    const pg0 = await cpuSecondsOf(dir)
    const res = await sustained('intake', SECONDS, async (i) => {
      const r = await takePublicSubmission(database, {
        tenantId: tenant.id,
        dataDir: dir,
        submission: {
          text: text(i),
          links: [`https://facebook.com/groups/x/posts/${i}`],
          seenWhere: 'Facebook',
          email: i % 4 === 0 ? `nguoi${i}@example.vn` : null,
          files: [],
        },
      })
      tickets.add(r.ticket)
    })
    const cpu = process.cpuUsage(cpu0)
    const pgCpu = (await cpuSecondsOf(dir)) - pg0
    const [{ n } = { n: 0 }] = (await database.db.execute(sql`SELECT count(*)::int AS n FROM claim_submissions`)).rows as { n: number }[]
    const claimsCount = (await database.db.execute(sql`SELECT count(*)::int AS n FROM claims`)).rows[0] as { n: number }
    const chain = await verifyAuditChain(database.db, tenant.id)
    console.log(
      `intake: ${res.ok} submissions in ${SECONDS} s = ${res.rate.toFixed(0)} submissions/s sustained (${WORKERS} in flight); errors ${res.failed}`,
    )
    console.log(
      `stored: ${n} submissions (${tickets.size} distinct tickets returned) in ${claimsCount.n} claims; lost: ${res.ok - n}; audit chain ${chain.ok ? 'intact' : 'BROKEN'} (${chain.checked} rows)`,
    )
    console.log(
      `CPU per submission: node ${((cpu.user + cpu.system) / 1000 / res.ok).toFixed(2)} ms (of which system ${(cpu.system / 1000 / res.ok).toFixed(2)}), PostgreSQL ${((pgCpu * 1000) / res.ok).toFixed(2)} ms (all its processes; the machine has ${cpus().length} cores)`,
    )
    console.log(`ratio intake / plain INSERT: ${(res.rate / ref.rate).toFixed(3)}; target ≥ 500/s: ${res.rate >= 500 ? 'met' : 'NOT met'}`)
    await pool.end()
  } finally {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
