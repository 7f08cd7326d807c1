/**
 * Partners import: a generated XLSX of BENCH_IMPORT_ROWS (default 50,000) rows with Vietnamese
 * names and some bad rows (invalid phones and dates, missing names, people repeated in the
 * file) imported end to end with the import job's own code (`runPartnerImport`: pre-pass for
 * merges, streaming read, checks, batches of 500 in transactions) on an embedded PostgreSQL in
 * a temp folder, then the per-row error report written to a file.
 *
 * Measured as a worker would run it: this process (the parent) starts PostgreSQL, generates the
 * file and stores it as an upload; the import then runs in a FRESH child process
 * (`node --import tsx`, loading `src/runtime.ts` and so every module, as `donghanh worker`
 * does) whose true peak is the kernel's high-water mark (VmHWM of /proc/self/status, read by
 * the child at its end), with its RSS sampled by the parent every 25 ms for the profile over
 * time. The reference is a fresh child that merely stream-reads the same XLSX with exceljs
 * (loading exceljs only), measured the same way. Targets: ≤ 30 s and ≤ 300 MB.
 * A second run of the same file shows the idempotent path (everything "unchanged").
 *
 *   npm run bench -- partners-import     (BENCH_IMPORT_ROWS=50000; BENCH_IMPORT_HEAP_MB=128 adds
 *                                         a run with --max-old-space-size=128 for comparison)
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
// Only node: modules at the top: the reference child must load exceljs and nothing else.
import type ExcelJSType from 'exceljs'

const HERE = fileURLToPath(import.meta.url)
const ROOT = path.resolve(path.dirname(HERE), '..')

const ROWS = Number(process.env.BENCH_IMPORT_ROWS || 50_000)
const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Huỳnh', 'Phan', 'Vũ', 'Võ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý']
const MIDDLE = ['Thị', 'Văn', 'Đức', 'Minh', 'Ngọc', 'Thanh', 'Hữu', 'Quốc', 'Thu', 'Xuân']
const GIVEN = [
  'Hoà',
  'Khoẻ',
  'Tuyết',
  'Bình',
  'Dũng',
  'Hương',
  'Lan',
  'Nguyệt',
  'Quý',
  'Thuỷ',
  'Trường',
  'Yến',
  'Đạt',
  'Ánh',
  'Hải',
  'Phương',
]
const OUTLETS = ['Báo Thanh Hóa', 'Đài Phát thanh và Truyền hình Thanh Hóa', 'Báo Văn hóa và Đời sống']
const BEATS = ['Pháp luật', 'Giao thông', 'Xã hội', 'Kinh tế']
const COMMUNES = ['Hạc Thành', 'Phường Sầm Sơn', 'Quảng Phú']

/** Writes the benchmark file (streaming, so generating it costs little memory too). */
async function generate(file: string): Promise<{ bad: number; duplicates: number }> {
  const { default: ExcelJS } = await import('exceljs')
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true, useStyles: true })
  const ws = wb.addWorksheet('Danh sách')
  ws.addRow([
    'Họ và tên',
    'Loại',
    'Cơ quan báo chí',
    'Số thẻ nhà báo',
    'Hạn thẻ',
    'Điện thoại',
    'Email',
    'Chuyên mục',
    'Xã/Phường',
    'Facebook',
  ]).commit()
  let bad = 0
  let duplicates = 0
  for (let i = 0; i < ROWS; i++) {
    const name = `${FAMILY[i % 16]} ${MIDDLE[(i >> 4) % 10]} ${GIVEN[(i >> 2) % 16]}`
    const journalist = i % 5 !== 0
    // Every 50th row repeats the person of the row before (same e-mail): a duplicate in the file.
    const n = i % 50 === 49 ? i - 1 : i
    if (n !== i) duplicates++
    let phone = `09${String(10_000_000 + n).slice(-8)}`
    let expiry: Date | string = new Date(Date.UTC(2027, n % 12, 1 + (n % 28)))
    let fullName = name
    if (i % 97 === 0) {
      phone = `12${n}` // not a Vietnamese number
      bad++
    } else if (i % 101 === 0) {
      expiry = '31/02/2027' // no such day
      bad++
    } else if (i % 103 === 0) {
      fullName = ''
      bad++
    }
    ws.addRow([
      fullName,
      journalist ? 'Nhà báo' : 'KOL',
      journalist ? OUTLETS[i % 3] : null,
      journalist ? `TB${String(100_000 + n)}` : null,
      journalist ? expiry : null,
      phone,
      `nguoi${n}@bao${n % 7}.vn`,
      BEATS[i % 4],
      COMMUNES[i % 3],
      journalist ? null : `https://facebook.com/kol.${n}`,
    ]).commit()
  }
  ws.getColumn(5).numFmt = 'dd/mm/yyyy'
  ws.commit()
  await wb.commit()
  return { bad, duplicates }
}

/** A kB figure of /proc/<pid>/status (VmRSS, VmHWM), or NaN when the process is gone. */
function procStatusKb(pid: number | 'self', field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : Number.NaN
  } catch {
    return Number.NaN
  }
}

const mb = (kb: number) => (kb / 1024).toFixed(0)

/** What a child prints on its last stdout line (JSON). */
interface ChildReport {
  /** RSS once everything is loaded (and the pool open), before the work starts. */
  rssBeforeKb: number
  /** The kernel's high-water mark of RSS over the child's whole life. */
  hwmKb: number
  seconds: number
  reportSeconds?: number
  cells?: number
}

/** The child's measured run: its report, and the RSS samples (ms since start, kB) the parent took. */
interface ChildRun extends ChildReport {
  samples: [number, number][]
}

/** Runs this file as a fresh child (`node --import tsx`, so the pid is the one doing the work). */
async function child(mode: 'reference' | 'import', args: string[], nodeFlags: string[] = []): Promise<ChildRun> {
  const extra = (process.env.BENCH_IMPORT_NODE_FLAGS ?? '').split(' ').filter(Boolean)
  const proc: ChildProcess = spawn(process.execPath, [...nodeFlags, ...extra, '--import', 'tsx', HERE, '--child', mode, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
    // The child's figures must not depend on options inherited from the parent's environment.
    env: { ...process.env, NODE_OPTIONS: '' },
  })
  const samples: [number, number][] = []
  const t0 = performance.now()
  const timer = setInterval(() => {
    const kb = procStatusKb(proc.pid as number, 'VmRSS')
    if (Number.isFinite(kb)) samples.push([performance.now() - t0, kb])
  }, 25)
  let out = ''
  proc.stdout?.on('data', (d) => {
    out += d
  })
  const code = await new Promise<number | null>((resolve, reject) => {
    proc.on('error', reject)
    proc.on('close', resolve)
  })
  clearInterval(timer)
  if (code !== 0) throw new Error(`${mode} child exited with ${code}:\n${out}`)
  // --trace-gc (BENCH_IMPORT_NODE_FLAGS) writes to stdout too: the report is the last JSON line.
  const last = out
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .pop() as string
  if (process.env.BENCH_IMPORT_KEEP_OUTPUT) await writeFile(path.join(tmpdir(), `donghanh-bench-import-${mode}-${proc.pid}.log`), out)
  return { ...(JSON.parse(last) as ChildReport), samples }
}

/** "RSS over time": the largest sample of each tenth of the run, in MB. */
function profile(samples: [number, number][]): string {
  if (samples.length === 0) return '(no samples)'
  const end = samples[samples.length - 1]?.[0] ?? 0
  const slots = new Array<number>(10).fill(0)
  for (const [t, kb] of samples) {
    const i = Math.min(9, Math.floor((t / Math.max(end, 1)) * 10))
    slots[i] = Math.max(slots[i] as number, kb)
  }
  return `${slots.map((kb) => mb(kb)).join(' ')} MB (max per tenth of ${(end / 1000).toFixed(1)} s)`
}

/** Child: stream-read the file with exceljs, touching every cell, nothing else loaded. */
async function referenceChild(file: string): Promise<void> {
  const { createReadStream } = await import('node:fs')
  const { default: ExcelJS } = await import('exceljs')
  const rssBeforeKb = procStatusKb('self', 'VmRSS')
  const t0 = performance.now()
  let cells = 0
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), {
    sharedStrings: 'cache',
    styles: 'cache',
    worksheets: 'emit',
    hyperlinks: 'ignore',
    entries: 'ignore',
  })
  for await (const ws of reader as AsyncIterable<AsyncIterable<ExcelJSType.Row>>)
    for await (const row of ws) cells += (row.values as unknown[]).length
  const seconds = (performance.now() - t0) / 1000
  const report: ChildReport = { rssBeforeKb, hwmKb: procStatusKb('self', 'VmHWM'), seconds, cells }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

/** Child: what the worker does for a `partners.import` job, then the error report to a file. */
async function importChild(url: string, importId: string, dataDir: string, reportFile: string, tenantId: string): Promise<void> {
  // What `donghanh worker` loads: the runtime, hence every module, its jobs and catalogues.
  await import('../src/runtime.ts')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const { openPool } = await import('../src/db/index.ts')
  const { runPartnerImport } = await import('../src/modules/partners/import/commands/run-import.ts')
  const { writeImportReport } = await import('../src/modules/partners/import/report.ts')
  const pool = openPool(url, 8)
  const database = { url, pool, db: drizzle(pool), close: async () => undefined } as unknown as import('../src/db/index.ts').Database
  await pool.query('SELECT 1')
  const rssBeforeKb = procStatusKb('self', 'VmRSS')
  const t0 = performance.now()
  await runPartnerImport(database, { importId, dataDir })
  const seconds = (performance.now() - t0) / 1000
  const t1 = performance.now()
  if (reportFile !== '-') await writeImportReport(database.db, tenantId, importId, 'vi', reportFile)
  const reportSeconds = (performance.now() - t1) / 1000
  await pool.end()
  const report: ChildReport = { rssBeforeKb, hwmKb: procStatusKb('self', 'VmHWM'), seconds, reportSeconds }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

/** Runs the import bench. */
export async function run(): Promise<void> {
  const { eq } = await import('drizzle-orm')
  const { drizzle } = await import('drizzle-orm/node-postgres')
  const { startEmbedded } = await import('../src/db/embedded.ts')
  const { ensureDatabase, migrate, openPool } = await import('../src/db/index.ts')
  const { users } = await import('../src/modules/accounts/accounts.tables.ts')
  const { partnerImports } = await import('../src/modules/partners/import/import.tables.ts')
  const { proposeMapping } = await import('../src/modules/partners/import/mapping.ts')
  const { pressOutlets } = await import('../src/modules/partners/partners.tables.ts')
  const { moduleMigrationDirs } = await import('../src/platform/modules.ts')
  const { ensureDefaultTenant } = await import('../src/platform/tenancy/index.ts')
  // Installs every module (their migrations, catalogues and job definitions).
  await import('../src/modules.ts')
  const { storeUpload } = await import('../src/platform/uploads/index.ts')

  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-import-'))
  await chmod(dir, 0o755)
  const server = await startEmbedded(path.join(dir, 'pg'))
  const pools: { end(): Promise<void> }[] = []
  try {
    const file = path.join(dir, 'doi-tac.xlsx')
    const g0 = performance.now()
    const { bad, duplicates } = await generate(file)
    const size = (await stat(file)).size
    console.log(
      `file: ${ROWS} rows, ${(size / 1024 / 1024).toFixed(1)} MB XLSX (${bad} bad rows, ${duplicates} repeated people), generated in ${((performance.now() - g0) / 1000).toFixed(1)} s (in the parent, not measured)`,
    )
    const header = [
      'Họ và tên',
      'Loại',
      'Cơ quan báo chí',
      'Số thẻ nhà báo',
      'Hạn thẻ',
      'Điện thoại',
      'Email',
      'Chuyên mục',
      'Xã/Phường',
      'Facebook',
    ]
    const dataDir = path.join(dir, 'data')
    /** A migrated database with the outlets and an admin, the file stored as its upload. */
    const prepare = async (name: string) => {
      const url = await ensureDatabase(server.url, name)
      const pool = openPool(url, 4)
      pools.push(pool)
      const db = drizzle(pool)
      await migrate(pool, moduleMigrationDirs())
      const tenant = await ensureDefaultTenant(db as never)
      const [admin] = await db.insert(users).values({ tenantId: tenant.id, email: 'bench@example.vn', role: 'admin' }).returning()
      for (const o of OUTLETS) await db.insert(pressOutlets).values({ tenantId: tenant.id, name: o, kind: 'newspaper' })
      const stored = await storeUpload({ dataDir, tenantId: tenant.id, data: await readFile(file), ext: 'xlsx' })
      const newImport = async () => {
        const [imp] = await db
          .insert(partnerImports)
          .values({
            tenantId: tenant.id,
            status: 'queued',
            fileSha256: stored.sha256,
            fileName: 'doi-tac.xlsx',
            fileSize: size,
            kind: 'xlsx',
            header,
            mapping: proposeMapping(header),
            createdBy: admin?.id as string,
          })
          .returning()
        return imp?.id as string
      }
      return { url, db, tenant, newImport }
    }
    const { url, db, tenant, newImport } = await prepare('bench')

    // Reference: a fresh child that stream-reads the same file with exceljs and touches every cell.
    const ref = await child('reference', [file])
    console.log(
      `reference: fresh child, exceljs stream read only: ${ref.seconds.toFixed(2)} s, peak RSS (VmHWM) ${mb(ref.hwmKb)} MB, ${mb(ref.rssBeforeKb)} MB before reading`,
    )
    console.log(`  RSS over time: ${profile(ref.samples)}`)

    const reportFile = path.join(dir, 'loi-nhap.csv')
    const firstId = await newImport()
    const first = await child('import', [url, firstId, dataDir, reportFile, tenant.id])
    const [a] = await db.select().from(partnerImports).where(eq(partnerImports.id, firstId))
    const report = await stat(reportFile)
    const reportLines = (await readFile(reportFile, 'utf8')).split('\n').filter(Boolean).length - 1
    console.log(
      `import: fresh child (worker's modules loaded): ${a?.rowsDone} rows in ${first.seconds.toFixed(2)} s = ${((a?.rowsDone ?? 0) / first.seconds).toFixed(0)} rows/s; ` +
        `peak RSS (VmHWM) ${mb(first.hwmKb)} MB, ${mb(first.rssBeforeKb)} MB before the import (+${mb(first.hwmKb - first.rssBeforeKb)} MB); ` +
        `created ${a?.createdCount}, errors ${a?.errorCount}, duplicates in file ${a?.duplicateCount}, conflicts ${a?.conflictCount}; status ${a?.status}`,
    )
    console.log(`  RSS over time: ${profile(first.samples)}`)
    console.log(
      `error report written: ${(report.size / 1024).toFixed(0)} KB, ${reportLines} lines (${(a?.errorCount ?? 0) + (a?.duplicateCount ?? 0) + (a?.conflictCount ?? 0)} rows reported) in ${first.reportSeconds?.toFixed(2)} s`,
    )
    console.log(
      `ratio import / stream read: time ${(first.seconds / ref.seconds).toFixed(2)}, peak RSS ${(first.hwmKb / ref.hwmKb).toFixed(2)} (above own start: ${((first.hwmKb - first.rssBeforeKb) / Math.max(1, ref.hwmKb - ref.rssBeforeKb)).toFixed(2)})`,
    )
    console.log(
      `targets: time ≤ 30 s ${first.seconds <= 30 ? 'met' : 'NOT met'}; peak RSS ≤ 300 MB ${first.hwmKb / 1024 <= 300 ? 'met' : 'NOT met'}; load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')} on ${cpus().length} cores`,
    )

    const againId = await newImport()
    const again = await child('import', [url, againId, dataDir, '-', tenant.id])
    const [b] = await db.select().from(partnerImports).where(eq(partnerImports.id, againId))
    console.log(
      `same file again: ${again.seconds.toFixed(2)} s, peak RSS (VmHWM) ${mb(again.hwmKb)} MB; created ${b?.createdCount}, updated ${b?.updatedCount}, unchanged ${b?.unchangedCount} (idempotent: ${b?.createdCount === 0 && b?.updatedCount === 0 ? 'yes' : 'NO'})`,
    )

    const heapMb = Number(process.env.BENCH_IMPORT_HEAP_MB || 0)
    if (heapMb > 0) {
      // A second database, so the capped run does the same work as the first (creates everything).
      const fresh = await prepare('bench_capped')
      const cappedId = await fresh.newImport()
      const capped = await child('import', [fresh.url, cappedId, dataDir, '-', fresh.tenant.id], [`--max-old-space-size=${heapMb}`])
      console.log(
        `with --max-old-space-size=${heapMb} (fresh database, same work as the first run): ${capped.seconds.toFixed(2)} s, peak RSS (VmHWM) ${mb(capped.hwmKb)} MB, ${mb(capped.rssBeforeKb)} MB before`,
      )
    }
  } finally {
    for (const p of pools) await p.end()
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const i = process.argv.indexOf('--child')
  if (i < 0) await run()
  else {
    const [mode, ...args] = process.argv.slice(i + 1)
    if (mode === 'reference') await referenceChild(args[0] as string)
    else await importChild(...(args as [string, string, string, string, string]))
  }
}
