/**
 * Partners import: a generated XLSX of BENCH_IMPORT_ROWS (default 50,000) rows with Vietnamese
 * names and some bad rows (invalid phones and dates, missing names, people repeated in the
 * file) imported end to end with the import job's own code (`runPartnerImport`: pre-pass for
 * merges, streaming read, checks, batches of 500 in transactions) on an embedded PostgreSQL in
 * a temp folder, then the per-row error report written to a file. Reports the time and the
 * PEAK RSS of this process (sampled every 20 ms), against the reference measured in the same
 * run: merely stream-reading the same XLSX with exceljs. Targets: ≤ 30 s and ≤ 300 MB.
 * A second run of the same file shows the idempotent path (everything "unchanged").
 *
 *   npm run bench -- partners-import     (BENCH_IMPORT_ROWS=50000)
 */
import { createReadStream } from 'node:fs'
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import path from 'node:path'
import { eq } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import ExcelJS from 'exceljs'
import { startEmbedded } from '../src/db/embedded.ts'
import { type Database, ensureDatabase, migrate, openPool } from '../src/db/index.ts'
import { users } from '../src/modules/accounts/accounts.tables.ts'
import { runPartnerImport } from '../src/modules/partners/import/commands/run-import.ts'
import { partnerImports } from '../src/modules/partners/import/import.tables.ts'
import { proposeMapping } from '../src/modules/partners/import/mapping.ts'
import { importReportCsv } from '../src/modules/partners/import/report.ts'
import { pressOutlets } from '../src/modules/partners/partners.tables.ts'
import { moduleMigrationDirs } from '../src/platform/modules.ts'
import { ensureDefaultTenant } from '../src/platform/tenancy/index.ts'
// Installs every module (their migrations, catalogues and job definitions).
import '../src/modules.ts'
import { storeUpload } from '../src/platform/uploads/index.ts'

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

/** Peak RSS of this process while `fn` runs (sampled every 20 ms). */
async function measured<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; peakMb: number }> {
  let peak = process.memoryUsage().rss
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 20)
  const t0 = performance.now()
  try {
    const value = await fn()
    peak = Math.max(peak, process.memoryUsage().rss)
    return { value, seconds: (performance.now() - t0) / 1000, peakMb: peak / 1024 / 1024 }
  } finally {
    clearInterval(timer)
  }
}

/** Runs the import bench. */
export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-bench-import-'))
  await chmod(dir, 0o755)
  const server = await startEmbedded(path.join(dir, 'pg'))
  try {
    const url = await ensureDatabase(server.url, 'bench')
    const pool = openPool(url, 8)
    const database: Database = { url, pool, db: drizzle(pool) as unknown as Database['db'], close: async () => undefined }
    await migrate(pool, moduleMigrationDirs())
    const tenant = await ensureDefaultTenant(database.db)
    const [admin] = await database.db.insert(users).values({ tenantId: tenant.id, email: 'bench@example.vn', role: 'admin' }).returning()
    for (const name of OUTLETS) await database.db.insert(pressOutlets).values({ tenantId: tenant.id, name, kind: 'newspaper' })

    const baseMb = process.memoryUsage().rss / 1024 / 1024
    console.log(`process RSS before the work (every module loaded, PostgreSQL client open): ${baseMb.toFixed(0)} MB`)
    const file = path.join(dir, 'doi-tac.xlsx')
    const g0 = performance.now()
    const { bad, duplicates } = await generate(file)
    const size = (await stat(file)).size
    console.log(
      `file: ${ROWS} rows, ${(size / 1024 / 1024).toFixed(1)} MB XLSX (${bad} bad rows, ${duplicates} repeated people), generated in ${((performance.now() - g0) / 1000).toFixed(1)} s`,
    )

    // Reference: stream-read the same file with exceljs and touch every cell, nothing else.
    const ref = await measured(async () => {
      let cells = 0
      const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), {
        sharedStrings: 'cache',
        styles: 'cache',
        worksheets: 'emit',
        hyperlinks: 'ignore',
        entries: 'ignore',
      })
      for await (const ws of reader as AsyncIterable<AsyncIterable<ExcelJS.Row>>)
        for await (const row of ws) cells += (row.values as unknown[]).length
      return cells
    })
    console.log(`reference: exceljs stream read only: ${ref.seconds.toFixed(2)} s, peak RSS ${ref.peakMb.toFixed(0)} MB`)

    const dataDir = path.join(dir, 'data')
    const stored = await storeUpload({ dataDir, tenantId: tenant.id, data: await readFile(file), ext: 'xlsx' })
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
    const newImport = async () => {
      const [imp] = await database.db
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

    const reportFile = path.join(dir, 'loi-nhap.csv')
    const first = await measured(async () => {
      const id = await newImport()
      await runPartnerImport(database, { importId: id, dataDir })
      await writeFile(reportFile, await importReportCsv(database.db, tenant.id, id, 'vi'))
      return id
    })
    const [a] = await database.db.select().from(partnerImports).where(eq(partnerImports.id, first.value))
    const report = await stat(reportFile)
    console.log(
      `import: ${a?.rowsDone} rows in ${first.seconds.toFixed(2)} s = ${((a?.rowsDone ?? 0) / first.seconds).toFixed(0)} rows/s; peak RSS ${first.peakMb.toFixed(0)} MB; ` +
        `created ${a?.createdCount}, errors ${a?.errorCount}, duplicates in file ${a?.duplicateCount}, conflicts ${a?.conflictCount}; status ${a?.status}`,
    )
    console.log(
      `error report written: ${reportFile} (${(report.size / 1024).toFixed(0)} KB, ${(a?.errorCount ?? 0) + (a?.duplicateCount ?? 0) + (a?.conflictCount ?? 0)} rows reported)`,
    )
    console.log(`ratio import / stream read: ${(first.seconds / ref.seconds).toFixed(2)}`)
    console.log(
      `targets: time ≤ 30 s ${first.seconds <= 30 ? 'met' : 'NOT met'}; peak RSS ≤ 300 MB ${first.peakMb <= 300 ? 'met' : 'NOT met'} (${(first.peakMb - baseMb).toFixed(0)} MB above the process's own start); load average ${loadavg()[0]?.toFixed(1)} on ${cpus().length} cores`,
    )

    const again = await measured(async () => {
      const id = await newImport()
      await runPartnerImport(database, { importId: id, dataDir })
      return id
    })
    const [b] = await database.db.select().from(partnerImports).where(eq(partnerImports.id, again.value))
    console.log(
      `same file again: ${again.seconds.toFixed(2)} s, peak RSS ${again.peakMb.toFixed(0)} MB; created ${b?.createdCount}, updated ${b?.updatedCount}, unchanged ${b?.unchangedCount} (idempotent: ${b?.createdCount === 0 && b?.updatedCount === 0 ? 'yes' : 'NO'})`,
    )
    await pool.end()
  } finally {
    await server.stop()
    await rm(dir, { recursive: true, force: true })
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run()
