import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq, sql } from 'drizzle-orm'
import ExcelJS from 'exceljs'
import iconv from 'iconv-lite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Login, loginAs, makeUser, type TestApp, createTestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { TCVN3_TABLE, VNI_TABLE } from '../../../text/normalize.ts'
import { partners, pressOutlets } from '../partners.tables.ts'
import { runPartnerImport } from './commands/run-import.ts'
import { partnerImportIssues, partnerImports } from './import.tables.ts'
import { KeyMemory } from './key-memory.ts'
import { csvRows, detectCsv, scanXlsx, xlsxRows } from './read.ts'

let t: TestApp
let dataDir: string
let editor: Login
let officer: Login

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'donghanh-import-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
  officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
  await t.database.db.insert(pressOutlets).values({ tenantId: t.tenant.id, name: 'Báo Thanh Hóa', kind: 'newspaper' })
})
afterAll(async () => {
  await t?.close()
  await rm(dataDir, { recursive: true, force: true })
})

function multipart(login: Login, file: { name: string; data: Buffer }) {
  const boundary = `----dh${Math.random().toString(16).slice(2)}`
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${login.csrf}\r\n`),
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    file.data,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: login.cookie } }
}

async function upload(name: string, data: Buffer, login = editor) {
  return t.app.inject({ method: 'POST', url: '/console/doi-tac/nhap', ...multipart(login, { name, data }) })
}

/** Uploads, accepts the proposed mapping, starts, and waits for the job (polling the row's status). */
async function importFile(name: string, data: Buffer, extra: Record<string, string> = {}) {
  const res = await upload(name, data)
  expect(res.statusCode, res.body).toBe(303)
  const id = String(res.headers.location).split('/').pop() as string
  const [imp] = await t.database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
  const fields: Record<string, string> = { _csrf: editor.csrf, action: 'start', ...extra }
  for (const [f, col] of Object.entries(imp?.mapping ?? {})) if (!(`map_${f}` in fields)) fields[`map_${f}`] = String(col)
  const start = await t.app.inject({
    method: 'POST',
    url: `/console/doi-tac/nhap/${id}`,
    payload: new URLSearchParams(fields).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: editor.cookie },
  })
  expect(start.statusCode, start.body).toBe(303)
  for (let i = 0; i < 400; i++) {
    const [row] = await t.database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
    if (row?.status === 'done' || row?.status === 'failed') return row
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('import did not finish')
}

const count = async () =>
  (await t.database.db.select({ n: sql<number>`count(*)::int` }).from(partners).where(eq(partners.tenantId, t.tenant.id)))[0]?.n ?? 0
const byEmail = async (email: string) => (await t.database.db.select().from(partners).where(eq(partners.email, email)))[0]

// Encoders for the legacy Vietnamese font encodings: the decoding tables reversed.
const TCVN3_REVERSE = new Map([...TCVN3_TABLE].map(([byte, ch]) => [ch, String.fromCharCode(byte)]))
const VNI_REVERSE = new Map([...VNI_TABLE].map(([seq, ch]) => [ch, seq]))
function legacy(s: string, table: Map<string, string>): Buffer {
  return Buffer.from([...s.normalize('NFC')].map((c) => table.get(c) ?? c).join(''), 'latin1')
}

const HEADER = 'Họ và tên,Email,Điện thoại,Số thẻ nhà báo,Cơ quan báo chí,Hạn thẻ,Xã/Phường\n'

describe('encodings', () => {
  const names = ['Nguyễn Thị Hoà', 'Đắk Lắk', 'Thanh Hóa', 'Trần Văn Khoẻ', 'Lê Thị Ánh Tuyết']
  const decode = async (bytes: Buffer) => {
    const file = path.join(dataDir, `enc-${Math.random()}.csv`)
    await writeFile(file, bytes)
    const format = detectCsv(bytes.subarray(0, 65536))
    const rows: string[] = []
    for await (const r of csvRows(file, format)) rows.push(String(r.cells[0]))
    return { format, rows }
  }
  const text = `Họ và tên;Ghi chú\n${names.map((n) => `${n};x`).join('\n')}\n`

  it('reads UTF-8 with a BOM and NFD text as NFC', async () => {
    const r = await decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text.normalize('NFD'))]))
    expect(r.format).toMatchObject({ encoding: 'utf-8', delimiter: ';' })
    expect(r.rows.slice(1)).toEqual(names)
  })
  it('reads UTF-16 LE with a BOM and TAB delimiters (Excel "Unicode text")', async () => {
    const r = await decode(Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text.replace(/;/g, '\t'), 'utf-16le')]))
    expect(r.format).toMatchObject({ encoding: 'utf-16le', delimiter: '\t' })
    expect(r.rows.slice(1)).toEqual(names)
  })
  it('detects Windows-1258', async () => {
    // Windows-1258 writes the vowel (with its circumflex, breve or horn) as one byte and the
    // tone as a following combining byte.
    const cp1258Form = [...text.normalize('NFC')]
      .map((c) => {
        const d = c.normalize('NFD')
        const tone = d.match(/[\u0300\u0301\u0303\u0309\u0323]/)?.[0] ?? ''
        return d.replace(/[\u0300\u0301\u0303\u0309\u0323]/, '').normalize('NFC') + tone
      })
      .join('')
    const r = await decode(iconv.encode(cp1258Form, 'cp1258'))
    expect(r.format.encoding).toBe('cp1258')
    expect(r.rows.slice(1)).toEqual(names)
  })
  it('detects TCVN3 (ABC)', async () => {
    const r = await decode(legacy(text.toLowerCase(), TCVN3_REVERSE))
    expect(r.format.encoding).toBe('tcvn3')
    expect(r.rows.slice(1)).toEqual(names.map((n) => n.toLowerCase()))
  })
  it('detects VNI-Windows', async () => {
    const r = await decode(legacy(text, VNI_REVERSE))
    expect(r.format.encoding).toBe('vni')
    expect(r.rows.slice(1)).toEqual(names)
  })
})

describe('import', () => {
  it('imports a UTF-8 CSV, stores NFC, audits, and the same file twice changes nothing', async () => {
    const csv = Buffer.from(
      `\ufeff${HEADER}` +
        `${'Nguyễn Thị Hoà'.normalize('NFD')},hoa@bao.vn,+84 912 345 601,TB-0001,Báo Thanh Hóa,31/12/2027,Hạc Thành\n` +
        `Lê Văn Bình,binh@bao.vn,0912345602,,,,\n` +
        `Lê Văn Bình (lặp),binh@bao.vn,,,,,\n` +
        `Không Khóa,,,,,,\n` +
        `Sai Điện Thoại,sai@bao.vn,12345,,,32/13/2027,Nơi Nào Đó\n`,
    )
    const before = await count()
    const first = await importFile('danh-sach.csv', csv)
    expect(first).toMatchObject({ status: 'done', createdCount: 2, duplicateCount: 1, errorCount: 2, rowsDone: 5 })
    expect(await count()).toBe(before + 2)
    const hoa = await byEmail('hoa@bao.vn')
    expect(hoa).toMatchObject({
      name: 'Nguyễn Thị Hoà'.normalize('NFC'),
      phone: '0912345601',
      status: 'applied',
      pressCardExpiresOn: '2027-12-31',
      communeCodes: ['phuong-hac-thanh'],
    })
    const issues = await t.database.db.select().from(partnerImportIssues).where(eq(partnerImportIssues.importId, first.id))
    expect(issues.map((i) => [i.rowNumber, i.outcome])).toEqual(
      expect.arrayContaining([
        [4, 'duplicate'],
        [5, 'error'],
        [6, 'error'],
      ]),
    )
    const report = await t.app.inject({
      method: 'GET',
      url: `/console/doi-tac/nhap/${first.id}/loi.csv`,
      headers: { cookie: editor.cookie },
    })
    expect(report.body.startsWith('\ufeff')).toBe(true)
    expect(report.body).toContain('Số điện thoại không phải số Việt Nam hợp lệ')
    expect(report.body).toContain('Not a valid Vietnamese phone number')
    expect(report.body).toContain('Điện thoại')

    const auditsBefore = (
      await t.database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(eq(auditEvents.action, 'partner.imported'))
    )[0]?.n
    const second = await importFile('danh-sach.csv', csv)
    expect(second).toMatchObject({ status: 'done', createdCount: 0, updatedCount: 0, unchangedCount: 2, duplicateCount: 1, errorCount: 2 })
    expect(await count()).toBe(before + 2)
    const auditsAfter = (
      await t.database.db.select({ n: sql<number>`count(*)::int` }).from(auditEvents).where(eq(auditEvents.action, 'partner.imported'))
    )[0]?.n
    expect(auditsAfter).toBe(auditsBefore)
    const page = await t.app.inject({ method: 'GET', url: `/console/doi-tac/nhap/${second.id}`, headers: { cookie: editor.cookie } })
    expect(page.body).toContain('Không đổi 2')
  })

  it('shows the detected legacy encoding in the preview, lets staff override it, and imports in Unicode', async () => {
    const csv = legacy(`Họ và tên,Email\nnguyễn thị hoà,tcvn@bao.vn\n`, TCVN3_REVERSE)
    const res = await upload('tcvn3.csv', csv)
    const id = String(res.headers.location).split('/').pop() as string
    const page = await t.app.inject({ method: 'GET', url: `/console/doi-tac/nhap/${id}`, headers: { cookie: editor.cookie } })
    expect(page.body).toContain('Bảng mã phát hiện: TCVN3 (ABC)')
    expect(page.body).toContain('nguyễn thị hoà')
    // Staff pick another encoding: the header is read again in it and the choice is kept.
    const apply = await t.app.inject({
      method: 'POST',
      url: `/console/doi-tac/nhap/${id}`,
      payload: new URLSearchParams({ _csrf: editor.csrf, action: 'apply', encoding: 'cp1258', map_name: '0', map_email: '1' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: editor.cookie },
    })
    expect(apply.statusCode).toBe(303)
    const [changed] = await t.database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
    expect(changed?.encoding).toBe('cp1258')
    expect(changed?.header[0]).not.toBe('Họ và tên')
    const r = await importFile('tcvn3.csv', csv)
    expect(r).toMatchObject({ status: 'done', createdCount: 1, encoding: 'tcvn3' })
    expect((await byEmail('tcvn@bao.vn'))?.name).toBe('nguyễn thị hoà')
  })

  it('fills empty fields of an existing partner and reports a conflict instead of overwriting', async () => {
    const existing = await makePartner(t, { kind: 'journalist', status: 'accredited', email: 'co.san@bao.vn', name: 'Phạm Thị Có Sẵn' })
    const csv = Buffer.from(`${HEADER}Phạm Thị Có Sẵn,co.san@bao.vn,0987654321,,,,\n` + `Tên Khác Hẳn,co.san@bao.vn,,,,,\n`)
    const r = await importFile('trung.csv', csv)
    // Row 2 fills the empty phone; row 3 is the same person in the file (duplicate), reported.
    expect(r).toMatchObject({ updatedCount: 1, duplicateCount: 1 })
    const after = await byEmail('co.san@bao.vn')
    expect(after?.phone).toBe('0987654321')
    expect(after?.status).toBe('accredited')
    const conflict = await importFile('xung-dot.csv', Buffer.from(`${HEADER}Tên Khác Hẳn,co.san@bao.vn,0987654321,,,,\n`))
    expect(conflict).toMatchObject({ conflictCount: 1, updatedCount: 0 })
    expect((await byEmail('co.san@bao.vn'))?.name).toBe(existing.partner.name)
  })

  it('refuses missing required columns, naming them', async () => {
    const res = await upload('thieu.csv', Buffer.from('Ghi chú,Địa chỉ\nabc,def\n'))
    expect(res.statusCode).toBe(303)
    const id = String(res.headers.location).split('/').pop() as string
    const start = await t.app.inject({
      method: 'POST',
      url: `/console/doi-tac/nhap/${id}`,
      payload: new URLSearchParams({ _csrf: editor.csrf, action: 'start' }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: editor.cookie },
    })
    expect(start.statusCode).toBe(400)
    expect(start.body).toContain('Thiếu cột bắt buộc: name, email/phone/pressCard')
    expect(start.body).toContain('Required columns missing')
    const [imp] = await t.database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
    expect(imp?.status).toBe('preview')
  })

  it('refuses mislabelled and oversized uploads', async () => {
    const csvAsXlsx = await upload('danh-sach.xlsx', Buffer.from(HEADER))
    expect(csvAsXlsx.statusCode).toBe(415)
    expect(csvAsXlsx.body).toContain('không phải XLSX')
    const zipAsCsv = await upload('danh-sach.csv', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))
    expect(zipAsCsv.statusCode).toBe(415)
    const pdf = await upload('danh-sach.pdf', Buffer.from('%PDF-1.4'))
    expect(pdf.statusCode).toBe(415)
    const big = await upload('lon.csv', Buffer.alloc(20 * 1024 * 1024 + 10, 0x61))
    expect(big.statusCode).toBe(413)
  })

  it('reads merged cells of an XLSX with the master cell value', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('DS')
    ws.addRow(['Danh sách phóng viên'])
    ws.mergeCells('A1:D1')
    ws.addRow(['Họ và tên', 'Email', 'Cơ quan báo chí', 'Hạn thẻ'])
    ws.addRow(['Vũ Văn Gộp', 'gop1@bao.vn', 'Báo Thanh Hóa', new Date(Date.UTC(2027, 5, 30))])
    ws.addRow(['Vũ Thị Gộp', 'gop2@bao.vn', null, null])
    ws.mergeCells('C3:C4')
    ws.getColumn(4).numFmt = 'dd/mm/yyyy'
    const buf = Buffer.from(await wb.xlsx.writeBuffer())
    const preview = await upload('gop.xlsx', buf)
    const id = String(preview.headers.location).split('/').pop() as string
    const page = await t.app.inject({ method: 'GET', url: `/console/doi-tac/nhap/${id}`, headers: { cookie: editor.cookie } })
    expect(page.body).toContain('ô gộp')
    expect(page.body).toContain('C3:C4')
    const r = await importFile('gop.xlsx', buf)
    expect(r).toMatchObject({ status: 'done', createdCount: 2, errorCount: 0 })
    const [outlet] = await t.database.db.select().from(pressOutlets).where(eq(pressOutlets.name, 'Báo Thanh Hóa'))
    expect((await byEmail('gop2@bao.vn'))?.outletId).toBe(outlet?.id)
    expect((await byEmail('gop1@bao.vn'))?.pressCardExpiresOn).toBe('2027-06-30')
  })

  it('resumes after a failure mid-file without losing or doubling rows', async () => {
    const lines = Array.from({ length: 12 }, (_, i) => `Người Thứ ${i},resume${i}@bao.vn,,,,,`)
    const data = Buffer.from(`${HEADER}${lines.join('\n')}\n`)
    const res = await upload('tiep.csv', data)
    const id = String(res.headers.location).split('/').pop() as string
    // Queued by hand (no job), so this test drives the runs itself.
    await t.database.db
      .update(partnerImports)
      .set({ status: 'queued', mapping: { name: 0, email: 1 } })
      .where(eq(partnerImports.id, id))
    await expect(
      runPartnerImport(t.database, {
        importId: id,
        dataDir,
        batchSize: 5,
        afterBatch: (n) => {
          if (n === 5) throw new Error('worker killed')
        },
      }),
    ).rejects.toThrow('worker killed')
    const [mid] = await t.database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
    expect(mid).toMatchObject({ rowsDone: 5, createdCount: 5, status: 'running' })
    await runPartnerImport(t.database, { importId: id, dataDir, batchSize: 5 })
    const [fin] = await t.database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
    expect(fin).toMatchObject({ status: 'done', rowsDone: 12, createdCount: 12 })
    const n = await t.database.db.select({ n: sql<number>`count(*)::int` }).from(partners).where(sql`${partners.email} LIKE 'resume%'`)
    expect(n[0]?.n).toBe(12)
  })
})

describe('export', () => {
  it('neutralises formula-like cells in CSV and XLSX and audits the export', async () => {
    await t.database.db.insert(partners).values({
      tenantId: t.tenant.id,
      kind: 'influencer',
      name: '=HYPERLINK("http://evil","bấm")',
      email: 'xuat@bao.vn',
      phone: '0912000111',
      beats: ['@chủ đề', '-giá'],
    })
    const csv = await t.app.inject({ method: 'GET', url: '/console/doi-tac/xuat?format=csv&q=xuat%40', headers: { cookie: editor.cookie } })
    expect(csv.statusCode).toBe(200)
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
    expect(csv.body).toContain(`"'=HYPERLINK(""http://evil"",""bấm"")"`)
    expect(csv.body).toContain("'@chủ đề; -giá")
    expect(csv.body).toContain(',0912000111,')
    expect(csv.body).not.toMatch(/(^|,)=/m)

    const xlsx = await t.app.inject({
      method: 'GET',
      url: '/console/doi-tac/xuat?format=xlsx&q=xuat%40',
      headers: { cookie: editor.cookie },
    })
    expect(xlsx.statusCode).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const ws = wb.worksheets[0]
    expect(ws?.getRow(1).getCell(1).value).toBe('Họ và tên')
    expect(ws?.getRow(2).getCell(1).value).toBe(`'=HYPERLINK("http://evil","bấm")`)
    expect(ws?.getRow(2).getCell(7).value).toBe('0912000111')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'partner.exported'), eq(auditEvents.tenantId, t.tenant.id)))
    expect(audits.length).toBe(2)
    expect(audits[0]?.summary).toMatchObject({ format: 'csv', rows: 1 })
  })

  it('refuses an unknown format', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/console/doi-tac/xuat?format=xls', headers: { cookie: editor.cookie } })
    expect(res.statusCode).toBe(400)
  })
})

describe('access', () => {
  it('officers may not import or export; partners and anonymous visitors are refused', async () => {
    const journalist = await makePartner(t, { kind: 'journalist' })
    for (const login of [officer, journalist.login]) {
      expect((await t.app.inject({ method: 'GET', url: '/console/doi-tac/nhap', headers: { cookie: login.cookie } })).statusCode).toBe(403)
      expect(
        (await t.app.inject({ method: 'GET', url: '/console/doi-tac/xuat?format=csv', headers: { cookie: login.cookie } })).statusCode,
      ).toBe(403)
      expect((await upload('a.csv', Buffer.from(HEADER), login)).statusCode).toBe(403)
    }
    const anonymous = await t.app.inject({ method: 'GET', url: '/console/doi-tac/xuat' })
    expect(anonymous.statusCode).toBe(302)
    expect(anonymous.headers.location).toMatch(/sign-in|dang-nhap/)
  })
})

describe('XLSX reader and key memory', () => {
  async function rowsOf(file: string) {
    const out: { rowNumber: number; cells: unknown[] }[] = []
    for await (const r of xlsxRows(file, (await scanXlsx(file)).merges)) out.push(r)
    return out
  }

  it('reads each kind of cell as exceljs wrote it', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('DS')
    ws.addRow(['Họ và tên', 'Hạn thẻ', 'Số', 'Đúng', 'Công thức', 'Rich', 'Lỗi', 'Chữ công thức'])
    ws.addRow([
      '  Hoa\u0300 Khoe\u0309 ',
      new Date(Date.UTC(2027, 5, 30)),
      912345678,
      true,
      { formula: '1+1', result: 2 },
      { richText: [{ text: 'Nguyễn ' }, { font: { bold: true }, text: 'Văn <A> & B' }] },
      { error: '#N/A' },
      { formula: 'A2', result: 'chuỗi' },
    ])
    ws.getColumn(2).numFmt = 'dd/mm/yyyy'
    wb.addWorksheet('Khác').addRow(['không đọc'])
    const file = path.join(dataDir, 'kieu-o.xlsx')
    await wb.xlsx.writeFile(file)
    const rows = await rowsOf(file)
    expect(rows).toHaveLength(2)
    expect(rows[1]?.rowNumber).toBe(2)
    expect(rows[1]?.cells).toEqual([
      'Hoà Khoẻ',
      new Date(Date.UTC(2027, 5, 30)),
      '912345678',
      'TRUE',
      '2',
      'Nguyễn Văn <A> & B',
      null,
      'chuỗi',
    ])
  })

  it('keeps Vietnamese text whole where the shared strings cross a chunk boundary', async () => {
    // exceljs's own streaming reader decodes each chunk alone and turned a character cut in two
    // into U+FFFD (about one row in 5,000 of a generated list): our reader keeps the bytes.
    const file = path.join(dataDir, 'nhieu-dong.xlsx')
    const w = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true })
    const ws = w.addWorksheet('A')
    for (let i = 0; i < 20_000; i++) ws.addRow([`Người ${i} Đặng Thị Ngọc Ánh ộ`]).commit()
    ws.commit()
    await w.commit()
    const rows = await rowsOf(file)
    expect(rows).toHaveLength(20_000)
    const wrong = rows.filter((r, i) => r.cells[0] !== `Người ${i} Đặng Thị Ngọc Ánh ộ`)
    expect(wrong.map((r) => r.rowNumber)).toEqual([])
  })

  it('remembers the first row of each key, compactly, without false hits', () => {
    const m = new KeyMemory()
    for (let i = 1; i <= 200_000; i++) m.remember('email', `nguoi${i}@bao.vn`, i)
    m.remember('email', 'nguoi7@bao.vn', 999_999)
    expect(m.size).toBe(200_000)
    expect(m.get('email', 'nguoi7@bao.vn')).toBe(7)
    expect(m.get('email', 'nguoi200000@bao.vn')).toBe(200_000)
    expect(m.get('phone', 'nguoi7@bao.vn')).toBeUndefined()
    let hits = 0
    for (let i = 200_001; i <= 400_000; i++) if (m.get('email', `nguoi${i}@bao.vn`) !== undefined) hits++
    expect(hits).toBe(0)
  })
})
