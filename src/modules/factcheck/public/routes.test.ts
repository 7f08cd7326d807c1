import { mkdtempSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { count, eq, sql } from 'drizzle-orm'
import type { LightMyRequestResponse } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, type MadeUser, makeUser, mergeCookies, type TestApp } from '../../../../test/support/app.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { TCVN3_TABLE } from '../../../text/normalize.ts'
import { addEvidence } from '../commands/add-evidence.ts'
import { mergeClaims } from '../commands/merge-claims.ts'
import { approveVerdict, draftVerdict, submitVerdict } from '../commands/verdict-workflow.ts'
import { unsafeLoadClaim } from '../factcheck.repository.ts'
import { claimSubmissionFiles, claimSubmissions, claims } from '../factcheck.tables.ts'
import { LABELS } from '../labels.ts'
import { shareText } from './outputs.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser
let dataDir: string
let ipSeq = 0

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'kc-public-'))
  // Requests come as if through a proxy on loopback (inject's peer), which sets X-Forwarded-For.
  t = await createTestApp({ DATA_DIR: dataDir, TRUST_PROXY: '127.0.0.1' })
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
})
afterAll(async () => {
  await t.close()
})

/** A fresh client address (each test has its own rate-limit bucket). */
const newIp = () => `203.0.113.${++ipSeq}`

interface Browser {
  ip: string
  cookie: string
  csrf: string
}

async function openDesk(ip = newIp()): Promise<Browser & { res: LightMyRequestResponse }> {
  const res = await t.app.inject({ method: 'GET', url: '/kiem-chung', headers: { 'x-forwarded-for': ip } })
  expect(res.statusCode).toBe(200)
  return { ip, cookie: mergeCookies('', res), csrf: csrfFrom(res.body), res }
}

interface FilePart {
  filename: string
  type: string
  data: Buffer
}

function multipart(fields: Record<string, string>, files: FilePart[] = []): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----kc${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const [k, v] of Object.entries(fields))
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

async function send(b: Browser, fields: Record<string, string>, o: { files?: FilePart[]; urlencoded?: boolean } = {}) {
  const body = o.urlencoded ? form({ _csrf: b.csrf, ...fields }) : multipart({ _csrf: b.csrf, ...fields }, o.files)
  return t.app.inject({
    method: 'POST',
    url: '/kiem-chung',
    payload: body.payload,
    headers: { ...body.headers, cookie: b.cookie, 'x-forwarded-for': b.ip },
  })
}

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: { 'x-forwarded-for': newIp(), ...headers } })

/** A minimal PNG: the signature and an IHDR chunk (what the upload check reads). */
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0, 0x90, 0x77, 0x53, 0xde]),
])

const countRows = async () => {
  const [s] = await t.database.db.select({ n: count() }).from(claimSubmissions)
  const [c] = await t.database.db.select({ n: count() }).from(claims)
  const [f] = await t.database.db.select({ n: count() }).from(claimSubmissionFiles)
  return { submissions: s?.n ?? 0, claims: c?.n ?? 0, files: f?.n ?? 0 }
}
const storedFiles = (): string[] => {
  try {
    return readdirSync(join(dataDir, 'uploads'), { recursive: true }).map(String)
  } catch {
    return []
  }
}
const submissionOf = async (ticket: string) =>
  (await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.ticket, ticket)))[0]
const loadClaim = async (id: string) => (await unsafeLoadClaim(t.database.db, t.tenant.id, id))!
const who = (u: MadeUser) => ({ id: u.id, label: u.email })

/** Drives the desk's commands to a published verdict (as factcheck.commands.test.ts does). */
async function publish(claimId: string, o: { label?: string; headline: string; explanation?: string }) {
  const ev = await runAudited(t.database.pool, async (tx) =>
    addEvidence({
      tx,
      claim: await loadClaim(claimId),
      actor: who(editor),
      input: { kind: 'link', url: 'https://thanhhoa.gov.vn/thong-bao-chinh-thuc?utm_source=x', title: 'Thông báo chính thức <b>số 1</b>' },
    }),
  )
  await runAudited(t.database.pool, async (tx) =>
    draftVerdict({
      tx,
      claim: await loadClaim(claimId),
      actor: who(editor),
      input: {
        label: o.label ?? 'false',
        headline: o.headline,
        explanationMd: o.explanation ?? 'Theo **thông báo chính thức**, thông tin này không đúng sự thật. <script>alert(1)</script>',
        evidenceIds: [ev.id],
      },
    }),
  )
  await runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await loadClaim(claimId), actor: who(editor) }))
  const r = await runAudited(t.database.pool, async (tx) =>
    approveVerdict({ tx, claim: await loadClaim(claimId), actor: who(approver), publicUrl: t.config.publicUrl, tenantName: t.tenant.name }),
  )
  return { ...r, evidenceId: ev.id }
}

/** Retries `fn` until it passes (the page cache is invalidated by a NOTIFY, asynchronously). */
async function eventually<T>(fn: () => Promise<T>, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await fn()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((r) => setTimeout(r, 100))
    }
  }
}

const ldScripts = (html: string) =>
  [...html.matchAll(/<script type="application\/ld\+json">([\s\S]*?)<\/script>/g)].map((m) => m[1] as string)

describe('the desk form', () => {
  it('takes a submission: 303 to the ticket page, "Đang tiếp nhận", the text only with the key, files stored with their hash', async () => {
    const b = await openDesk()
    const page = b.res.body
    expect(page).toContain('action="/kiem-chung"')
    expect(page).toContain('enctype="multipart/form-data"')
    expect(page).toMatch(/<div class="kc-hp" aria-hidden="true">[\s\S]*?name="website" tabindex="-1" autocomplete="off"/)
    expect(page).toContain('hx-post="/kiem-chung/goi-y"')
    expect(page).toContain('delay:500ms')
    expect(page).toContain('sau 30 ngày')
    expect(page).toContain('href="/kiem-chung" aria-current="page"')
    const text =
      'Nghe nói từ tuần sau xe máy không chính chủ sẽ bị tịch thu ngay tại chỗ khi đi qua cầu Hàm Rồng, ai cũng phải mang giấy tờ'
    const res = await send(
      b,
      {
        text,
        links: 'https://www.facebook.com/groups/99/posts/1?fbclid=abc\nhttps://zalo.me/g/abc',
        seen: 'zalo',
        seenDetail: 'nhóm phụ huynh',
        email: 'Nguoi.Dan@Example.vn',
      },
      { files: [{ filename: 'anh chup.png', type: 'image/png', data: PNG }] },
    )
    expect(res.statusCode).toBe(303)
    const location = String(res.headers.location)
    expect(location).toMatch(/^\/kiem-chung\/phieu\/KC-\d{4}-\d{5}-\d{5}\?k=[\w-]+&moi=1$/)
    const ticket = location.split('/')[3]?.split('?')[0] as string
    const mine = await get(location)
    expect(mine.statusCode).toBe(200)
    expect(mine.headers['cache-control']).toBe('no-store')
    expect(mine.body).toContain(ticket)
    expect(mine.body).toContain('Đang tiếp nhận')
    expect(mine.body).toContain('Đã tiếp nhận tin bạn gửi.')
    expect(mine.body).toContain('Hãy ghi lại mã phiếu')
    expect(mine.body).toContain('cầu Hàm Rồng')
    expect(mine.body).toContain('https://facebook.com/groups/99/posts/1')
    // Without the key (or with a wrong one): the status, never the text.
    for (const url of [`/kiem-chung/phieu/${ticket}`, `/kiem-chung/phieu/${ticket}?k=sai-khoa`]) {
      const other = await get(url)
      expect(other.statusCode).toBe(200)
      expect(other.body).toContain('Đang tiếp nhận')
      expect(other.body).not.toContain('cầu Hàm Rồng')
      expect(other.body).toContain('chỉ hiện khi mở bằng đường dẫn riêng')
    }
    // The look-up form leads to the same page; an unknown ticket is a 404.
    const lookup = await get(`/kiem-chung/phieu?ma=${ticket.toLowerCase()}`)
    expect(lookup.headers.location).toBe(`/kiem-chung/phieu/${ticket}`)
    expect((await get('/kiem-chung/phieu/KC-1999-000001')).statusCode).toBe(404)
    // Stored: the submission (no IP, e-mail normalised), the file with its SHA-256.
    const row = await submissionOf(ticket)
    expect(row).toMatchObject({ seenWhere: 'Zalo: nhóm phụ huynh', contactEmail: 'nguoi.dan@example.vn', channel: 'public' })
    const files = await t.database.db
      .select()
      .from(claimSubmissionFiles)
      .where(eq(claimSubmissionFiles.submissionId, row?.id as string))
    expect(files).toHaveLength(1)
    expect(files[0]).toMatchObject({ fileName: 'anh chup.png', fileType: 'png', sizeBytes: PNG.length })
    expect(files[0]?.sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(storedFiles().some((f) => f.includes(files[0]?.sha256 as string))).toBe(true)
    // The JSON status: the same, with the text only with the key.
    const api = await get(`/api/v1/claims/tickets/${ticket}`)
    expect(api.json()).toMatchObject({
      ticket,
      status: 'received',
      statusText: { vi: 'Đang tiếp nhận', en: 'Received' },
      verdict: null,
      text: null,
    })
    const key = new URL(location, 'http://x').searchParams.get('k')
    expect((await get(`/api/v1/claims/tickets/${ticket}?k=${key}`)).json().text).toContain('cầu Hàm Rồng')
    // The same text again within minutes lands on the same ticket, with a note.
    const again = await send(b, {
      text,
      links: 'https://zalo.me/g/abc\nhttps://facebook.com/groups/99/posts/1',
      seen: 'zalo',
      seenDetail: 'nhóm phụ huynh',
      email: 'nguoi.dan@example.vn',
    })
    expect(again.statusCode).toBe(303)
    expect(String(again.headers.location)).toContain(`/kiem-chung/phieu/${ticket}?k=${key}&trung=1`)
    expect((await get(String(again.headers.location))).body).toContain('Bạn vừa gửi nội dung này cách đây ít phút')
  })

  it('looks a ticket up however it is typed; the form asks for no pattern; a non-code is a clear 400 in both languages', async () => {
    const b = await openDesk()
    // The form's field accepts what the server accepts: no `pattern` (it refused every real code).
    const field = /<input[^>]*name="ma"[^>]*>/.exec(b.res.body)?.[0] ?? ''
    expect(field).not.toBe('')
    expect(field).not.toContain('pattern')
    expect(Number(/maxlength="(\d+)"/.exec(field)?.[1])).toBeGreaterThanOrEqual(' kc - 2026 - 04817 - 93512 '.length)
    const res = await send(b, { text: 'Tin đồn cấm xe máy qua cầu Hàm Rồng từ tuần sau, ai đi sẽ bị phạt nặng' }, { urlencoded: true })
    const ticket = String(res.headers.location).split('/')[3]?.split('?')[0] as string
    expect(ticket).toMatch(/^KC-\d{4}-\d{5}-\d{5}$/)
    const digits = ticket.replaceAll('-', '').slice(2)
    for (const typed of [
      ticket,
      ticket.toLowerCase(),
      `KC${digits}`,
      `kc ${digits.slice(0, 4)} ${digits.slice(4, 9)} ${digits.slice(9)}`,
      ` kc - ${digits.slice(0, 4)} - ${digits.slice(4, 9)} - ${digits.slice(9)} `,
      ticket.replaceAll('-', '–'),
    ]) {
      const lookup = await get(`/kiem-chung/phieu?ma=${encodeURIComponent(typed)}`)
      expect(lookup.statusCode, typed).toBe(303)
      expect(lookup.headers.location, typed).toBe(`/kiem-chung/phieu/${ticket}`)
    }
    // Not a code: the desk again, 400, why in Vietnamese and English, what was typed kept.
    const bad = await get(`/kiem-chung/phieu?ma=${encodeURIComponent('KC-2026-123')}`)
    expect(bad.statusCode).toBe(400)
    expect(bad.body).toContain('Không đọc được mã phiếu “KC-2026-123”')
    expect(bad.body).toContain('“KC-2026-123” is not a ticket code')
    expect(/<input[^>]*name="ma"[^>]*>/.exec(bad.body)?.[0]).toContain('value="KC-2026-123"')
    // Nothing typed: just the desk.
    expect((await get('/kiem-chung/phieu?ma=')).headers.location).toBe('/kiem-chung')
  })

  it('also takes a plain urlencoded form and refuses a missing or foreign CSRF token', async () => {
    const b = await openDesk()
    const ok = await send(b, { text: 'Tin đồn mất điện toàn tỉnh ba ngày liền để sửa đường dây' }, { urlencoded: true })
    expect(ok.statusCode).toBe(303)
    const before = await countRows()
    const forged = await t.app.inject({
      method: 'POST',
      url: '/kiem-chung',
      ...form({ text: 'Tin giả mạo gửi từ trang khác', _csrf: 'x'.repeat(32) }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: b.cookie, 'x-forwarded-for': b.ip },
    })
    expect(forged.statusCode).toBe(403)
    expect(forged.body).toContain('Tin giả mạo gửi từ trang khác')
    expect(await countRows()).toEqual(before)
  })

  it('stores nothing when the honeypot is filled, yet answers like a success', async () => {
    const b = await openDesk()
    const before = await countRows()
    const res = await send(
      b,
      { text: 'Mua thuốc giảm cân giá rẻ tại đây, liên hệ ngay', website: 'http://spam.example' },
      { files: [{ filename: 'a.png', type: 'image/png', data: PNG }] },
    )
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Đã tiếp nhận tin bạn gửi.')
    expect(res.body).toMatch(/KC-\d{4}-\d{5}-\d{5}/)
    expect(await countRows()).toEqual(before)
  })

  it('answers a flood from one address with 429 in both languages, and writes nothing half-way', async () => {
    const b = await openDesk()
    const before = await countRows()
    const codes: number[] = []
    let refused: LightMyRequestResponse | undefined
    for (let i = 0; i < 14; i++) {
      const res = await send(b, { text: `Tin đồn số ${i} về việc phong tỏa quốc lộ 1A đoạn qua Bỉm Sơn vì tai nạn hàng loạt` })
      codes.push(res.statusCode)
      if (res.statusCode === 429) refused = res
    }
    expect(codes.filter((c) => c === 303)).toHaveLength(10)
    expect(codes.slice(10)).toEqual([429, 429, 429, 429])
    expect(refused?.headers['retry-after']).toMatch(/^\d+$/)
    expect(refused?.body).toContain('Quá nhiều yêu cầu')
    expect(refused?.body).toContain('Too many requests')
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      payload: { text: 'Tin đồn khác gửi qua API cùng địa chỉ' },
      headers: { 'x-forwarded-for': b.ip },
    })
    expect(api.statusCode).toBe(429)
    expect(api.json().error.message.vi).toContain('Quá nhiều yêu cầu')
    expect(api.json().error.message.en).toBeTruthy()
    const after = await countRows()
    expect(after.submissions - before.submissions).toBe(10)
    // Every claim has its submission: nothing half-written.
    const orphans = await t.database.pool.query(
      'SELECT c.id FROM claims c WHERE NOT EXISTS (SELECT 1 FROM claim_submissions s WHERE s.claim_id = c.id) AND c.status <> $1',
      ['merged'],
    )
    expect(orphans.rows).toEqual([])
  })

  it('refuses javascript: and data: links with 400 and the message, keeping what was typed', async () => {
    const b = await openDesk()
    const before = await countRows()
    for (const link of ['javascript:alert(document.cookie)', 'data:text/html,<script>alert(1)</script>']) {
      const res = await send(b, { text: 'Bài đăng kèm đường dẫn lạ về trúng thưởng xe máy', links: link, email: 'a@b.vn' })
      expect(res.statusCode).toBe(400)
      expect(res.body).toContain('Đường dẫn không hợp lệ (chỉ chấp nhận http hoặc https)')
      expect(res.body).toContain('Invalid link')
      expect(res.body).toMatch(/<textarea name="text"[^>]*>Bài đăng kèm đường dẫn lạ về trúng thưởng xe máy<\/textarea>/)
      expect(res.body).toContain('value="a@b.vn"')
      expect(res.body).not.toContain('<script>alert(1)</script>')
    }
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      payload: { text: 'Tin kèm đường dẫn javascript', links: ['javascript:alert(1)'] },
      headers: { 'x-forwarded-for': newIp() },
    })
    expect(api.statusCode).toBe(400)
    expect(api.json().error.code).toBe('INVALID_LINK')
    expect(await countRows()).toEqual(before)
  })

  it('refuses a file whose content is not what its extension says (415), too many files (413), and stores nothing', async () => {
    const b = await openDesk()
    const before = await countRows()
    const filesBefore = storedFiles().length
    const cases: [FilePart, number][] = [
      [{ filename: 'anh.png', type: 'image/png', data: Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n') }, 415],
      [{ filename: 'anh.png', type: 'image/png', data: Buffer.from('<html><script>alert(1)</script></html>') }, 415],
      [{ filename: 'tai-lieu.html', type: 'text/html', data: Buffer.from('<html></html>') }, 415],
    ]
    for (const [file, status] of cases) {
      const res = await send(
        b,
        { text: 'Ảnh chụp thông báo giả của công an về việc phạt nguội qua tin nhắn' },
        { files: [{ filename: 'ok.png', type: 'image/png', data: PNG }, file] },
      )
      expect(res.statusCode).toBe(status)
      expect(res.body).toContain('Ảnh chụp thông báo giả của công an')
    }
    const four = await send(
      b,
      { text: 'Bốn ảnh chụp tin nhắn lừa đảo' },
      { files: [1, 2, 3, 4].map((i) => ({ filename: `${i}.png`, type: 'image/png', data: PNG })) },
    )
    expect(four.statusCode).toBe(413)
    expect(four.body).toContain('tối đa 3 tệp')
    const big = Buffer.concat([PNG, Buffer.alloc(10 * 1024 * 1024)])
    const tooBig = await send(
      b,
      { text: 'Ảnh chụp quá lớn về tin đồn phạt nguội' },
      { files: [{ filename: 'lon.png', type: 'image/png', data: big }] },
    )
    expect(tooBig.statusCode).toBe(413)
    expect(tooBig.body).toContain('Tệp lon.png quá lớn: tối đa 10 MB.')
    expect(await countRows()).toEqual(before)
    expect(storedFiles().length).toBe(filesBefore)
    // Multipart is accepted in the desk's scope only: the app's other forms still refuse it.
    const other = multipart({ text: 'Một đoạn văn bản bất kỳ' })
    const elsewhere = await t.app.inject({
      method: 'POST',
      url: '/kiem-tra',
      payload: other.payload,
      headers: { ...other.headers, 'x-forwarded-for': newIp() },
    })
    expect(elsewhere.statusCode).toBe(415)
  })

  it('answers a 1 MB text with a clear 413, by form, multipart and API', async () => {
    const b = await openDesk()
    const before = await countRows()
    const huge = 'tin đồn '.repeat(131_072)
    // Percent-encoded, this Vietnamese megabyte is 2.75 MB: over the form's own limit.
    const byForm = await send(b, { text: huge }, { urlencoded: true })
    expect(byForm.statusCode).toBe(413)
    expect(byForm.body).toContain('Nội dung quá dài (tối đa 20000 ký tự)')
    expect(byForm.body).toContain('The text is too long')
    const byMultipart = await send(b, { text: huge })
    expect(byMultipart.statusCode).toBe(413)
    expect(byMultipart.body).toContain('Nội dung quá dài')
    expect(byMultipart.body.includes(huge)).toBe(true)
    const byApi = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      payload: { text: 'x'.repeat(1_000_000) },
      headers: { 'x-forwarded-for': newIp() },
    })
    expect(byApi.statusCode).toBe(413)
    expect(byApi.json().error.code).toBe('TEXT_TOO_LONG')
    const longButParsed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      payload: { text: 'y'.repeat(50_000) },
      headers: { 'x-forwarded-for': newIp() },
    })
    expect(longButParsed.statusCode).toBe(413)
    expect(longButParsed.json().error.message.en).toBeTruthy()
    expect(await countRows()).toEqual(before)
  })

  describe('an over-long paste (issue 18): the text comes back, nothing is stored', () => {
    /** A pasted article of about 1.1 MB (UTF-8), Vietnamese, with characters HTML must escape. */
    const paste = 'Tin đồn: "phạt nguội" 5 triệu đồng <qua Zalo> & tin nhắn lạ ở Sầm Sơn. '.repeat(14_500)
    const textareaOf = (html: string) => {
      const m = html.match(/<textarea[^>]*name="text"[^>]*>([\s\S]*?)<\/textarea>/)
      return (m?.[1] ?? '')
        .replaceAll('&lt;', '<')
        .replaceAll('&gt;', '>')
        .replaceAll('&quot;', '"')
        .replaceAll('&#39;', "'")
        .replaceAll('&amp;', '&')
    }

    it('re-renders the form with the whole text, the other fields and the limit in both languages', async () => {
      expect(Buffer.byteLength(paste)).toBeGreaterThan(1_100_000)
      const b = await openDesk()
      const before = await countRows()
      const filesBefore = storedFiles().length
      const fields = {
        text: paste,
        links: 'https://example.vn/bai-viet',
        seen: 'zalo',
        seenDetail: 'nhóm phụ huynh',
        email: 'dan@example.vn',
      }
      const res = await send(b, fields, { files: [{ filename: 'anh.png', type: 'image/png', data: PNG }] })
      expect(res.statusCode).toBe(413)
      expect(res.headers['content-type']).toContain('text/html')
      expect(textareaOf(res.body) === paste).toBe(true)
      expect(res.body).toContain('https://example.vn/bai-viet')
      expect(res.body).toContain('value="nhóm phụ huynh"')
      expect(res.body).toContain('value="dan@example.vn"')
      expect(res.body).toMatch(/<option value="zalo" selected/)
      const chars = paste.length.toLocaleString('vi-VN')
      expect(res.body).toContain(`Văn bản bạn gửi dài ${chars} ký tự, quá giới hạn 20.000 ký tự`)
      expect(res.body).toContain('Văn bản vẫn còn nguyên trong ô bên dưới')
      expect(res.body).toContain('hoặc chỉ gửi đường liên kết hay ảnh chụp màn hình')
      expect(res.body).toContain(
        `Your text is ${paste.length.toLocaleString('en-GB')} characters long, over the limit of 20,000 characters`,
      )
      expect(res.body).toContain('or send only the link or a screenshot')
      // The same by the urlencoded body a script would send (ASCII-heavy, so under 2 MB encoded).
      const plain = 'Tin don phat nguoi 5 trieu dong qua Zalo o Sam Son. '.repeat(21_500)
      const byForm = await send(b, { text: plain }, { urlencoded: true })
      expect(byForm.statusCode).toBe(413)
      expect(textareaOf(byForm.body) === plain).toBe(true)
      expect(byForm.body).toContain('over the limit of 20,000 characters')
      // English reader: English first, Vietnamese beside it.
      const enBody = multipart({ _csrf: b.csrf, text: paste })
      const en = await t.app.inject({
        method: 'POST',
        url: '/kiem-chung?lang=en',
        payload: enBody.payload,
        headers: { ...enBody.headers, cookie: b.cookie, 'x-forwarded-for': b.ip },
      })
      expect(en.statusCode).toBe(413)
      expect(en.body.indexOf('Your text is')).toBeLessThan(en.body.indexOf('Văn bản bạn gửi dài'))
      expect(await countRows()).toEqual(before)
      expect(storedFiles().length).toBe(filesBefore)
    })

    it('beyond the form limit: says what happened and the way back (Back keeps the text), in both languages', async () => {
      const b = await openDesk()
      const before = await countRows()
      const res = await send(b, { text: 'đ'.repeat(400_000) }, { urlencoded: true })
      expect(res.statusCode).toBe(413)
      expect(textareaOf(res.body)).toBe('')
      expect(res.body).toContain('lớn hơn 2 MB nên máy chủ không đọc được, và chưa có gì được lưu')
      expect(res.body).toContain('bấm nút Quay lại (Back) của trình duyệt: hầu hết trình duyệt vẫn giữ nguyên văn bản bạn đã nhập')
      expect(res.body).toContain('larger than 2 MB')
      expect(res.body).toContain('Back button: most browsers keep the text you typed')
      // A multipart text over the limit: its start is shown, and the page says only that arrived.
      const cut = await send(b, { text: 'x'.repeat(2 * 1024 * 1024 + 10) })
      expect(cut.statusCode).toBe(413)
      const shown = textareaOf(cut.body)
      // All that fits in the form's 2 MB besides the CSRF field: nearly every byte sent.
      expect(shown.length).toBeGreaterThan(2 * 1024 * 1024 - 200)
      expect(/^x+$/.test(shown)).toBe(true)
      expect(cut.body).toContain(`chỉ nhận được ${shown.length.toLocaleString('vi-VN')} ký tự đầu`)
      expect(cut.body).toContain(`only its first ${shown.length.toLocaleString('en-GB')} characters arrived`)
      expect(await countRows()).toEqual(before)
    })

    it('a normal submission on the same form still goes through', async () => {
      const b = await openDesk()
      const text = 'Có tin nhắn báo phạt nguội 5 triệu đồng qua Zalo ở phường Sầm Sơn, yêu cầu chuyển khoản'
      const byMultipart = await send(b, { text })
      expect(byMultipart.statusCode).toBe(303)
      const ticket = String(byMultipart.headers.location).split('/')[3]?.split('?')[0] as string
      expect((await submissionOf(ticket))?.text).toBe(text)
      // Exactly the limit is accepted, by the urlencoded body too.
      const atLimit = await send(b, { text: `Tin đồn ${'a'.repeat(20_000 - 8)}`, email: 'gioihan@example.vn' }, { urlencoded: true })
      expect(atLimit.statusCode).toBe(303)
    })
  })

  it('recognises the same text in NFD and in TCVN3 as the same claim', async () => {
    const b = await openDesk()
    const text = 'Công an tỉnh Thanh Hóa phát hiện đường dây làm giả giấy phép lái xe bán qua mạng xã hội với giá rẻ'
    const first = await send(b, { text })
    const ticket = String(first.headers.location).split('/')[3]?.split('?')[0] as string
    const nfd = await send(b, { text: text.normalize('NFD') })
    expect(String(nfd.headers.location)).toContain(`/kiem-chung/phieu/${ticket}?`)
    expect(String(nfd.headers.location)).toContain('trung=1')
    const encode = new Map([...TCVN3_TABLE].map(([byte, letter]) => [letter, String.fromCharCode(byte)]))
    const tcvn3 = [...text].map((c) => encode.get(c) ?? c).join('')
    expect(tcvn3).toContain('C«ng')
    const legacy = await send(b, { text: tcvn3 })
    expect(String(legacy.headers.location)).toContain(`/kiem-chung/phieu/${ticket}?`)
    // Another person (with a contact, so not the same submission) joins the same claim.
    const other = await send(await openDesk(), { text: tcvn3, email: 'khac@example.vn' })
    const otherTicket = String(other.headers.location).split('/')[3]?.split('?')[0] as string
    expect(otherTicket).not.toBe(ticket)
    const [a, c] = [await submissionOf(ticket), await submissionOf(otherTicket)]
    expect(c?.claimId).toBe(a?.claimId)
    expect(c?.text).toBe(text)
  })
})

describe('verdicts in public', () => {
  it('shows a published verdict on the ticket page, its page (one ClaimReview), kit, card, list, search and feeds; and suggests it to the next asker', async () => {
    const statement =
      'Thông tin lan truyền trên mạng nói Công an tỉnh Thanh Hóa sẽ thu hồi toàn bộ giấy phép lái xe cũ bằng giấy từ ngày 1 tháng 1 năm sau'
    const first = await openDesk()
    const s1 = await send(first, {
      text: statement,
      links: 'https://www.facebook.com/groups/111/posts/222?fbclid=1',
      email: 'first@example.vn',
    })
    const loc1 = String(s1.headers.location)
    const ticket1 = loc1.split('/')[3]?.split('?')[0] as string
    // A variant by someone else, with its own link, merged by staff.
    const s2 = await send(await openDesk(), {
      text: 'Nghe bảo bằng lái giấy sắp bị thu hồi hết, phải đổi sang thẻ nhựa mất phí',
      links: 'https://www.tiktok.com/@abc/video/333',
    })
    const ticket2 = String(s2.headers.location).split('/')[3]?.split('?')[0] as string
    const [sub1, sub2] = [await submissionOf(ticket1), await submissionOf(ticket2)]
    expect(sub2?.claimId).not.toBe(sub1?.claimId)
    await runAudited(t.database.pool, async (tx) =>
      mergeClaims({
        tx,
        source: await loadClaim(sub2?.claimId as string),
        target: await loadClaim(sub1?.claimId as string),
        actor: who(editor),
      }),
    )
    const inProgress = await get(loc1)
    expect(inProgress.body).toContain('Đang tiếp nhận')
    const { slug } = await publish(sub1?.claimId as string, { headline: 'Giấy phép lái xe bằng giấy vẫn có giá trị sử dụng' })

    // The ticket pages now show the verdict.
    const ticketPage = await get(loc1)
    expect(ticketPage.body).toContain('Đã có kết luận')
    expect(ticketPage.body).toContain('Sai sự thật')
    expect(ticketPage.body).toContain(`href="/kiem-chung/${slug}"`)
    expect(ticketPage.body).not.toContain('Đang xác minh')
    const ticket2Page = await get(`/kiem-chung/phieu/${ticket2}?lang=en`)
    expect(ticket2Page.body).toContain('Verdict published')
    expect(ticket2Page.body).toContain('False')
    expect((await get(`/api/v1/claims/tickets/${ticket2}`)).json()).toMatchObject({
      status: 'published',
      verdict: { label: 'false', labelVi: 'Sai sự thật', rating: 1, url: `${t.config.publicUrl}/kiem-chung/${slug}` },
    })

    // The verdict page: exactly one ClaimReview with every required field.
    const page = await get(`/kiem-chung/${slug}`)
    expect(page.statusCode).toBe(200)
    const scripts = ldScripts(page.body)
    expect(scripts).toHaveLength(1)
    expect(page.body.match(/application\/ld\+json/g)).toHaveLength(1)
    const ld = JSON.parse(scripts[0] as string)
    const url = `${t.config.publicUrl}/kiem-chung/${slug}`
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'ClaimReview',
      url,
      claimReviewed: statement,
      inLanguage: 'vi',
      author: { '@type': 'Organization', name: t.tenant.name },
      reviewRating: { '@type': 'Rating', ratingValue: 1, bestRating: 5, worstRating: 1, alternateName: 'Sai sự thật' },
      itemReviewed: { '@type': 'Claim' },
    })
    for (const field of ['datePublished', 'dateModified']) expect(Number.isNaN(Date.parse(ld[field]))).toBe(false)
    expect(ld.itemReviewed.appearance.map((a: { url: string }) => a.url).sort()).toEqual([
      'https://facebook.com/groups/111/posts/222',
      'https://tiktok.com/@abc/video/333',
    ])
    expect(page.body).toContain(`<link rel="canonical" href="${url}">`)
    expect(page.body).toContain(`<meta property="og:url" content="${url}">`)
    expect(page.body).toContain('property="og:title" content="Sai sự thật: Giấy phép lái xe bằng giấy vẫn có giá trị sử dụng"')
    expect(page.body).toContain('class="kc-chip r1"')
    expect(page.body).toContain('Mức 1 trên thang 1–5')
    expect(page.body).toContain('<strong>thông báo chính thức</strong>')
    expect(page.body).not.toContain('<script>alert(1)</script>')
    expect(page.body).toContain('Thông báo chính thức &lt;b&gt;số 1&lt;/b&gt;')
    expect(page.body).toMatch(/SHA-256: <code title="[0-9a-f]{64}">[0-9a-f]{12}<\/code>/)
    expect(page.body).toContain('đã được ghi nhận ở 2 địa chỉ')
    expect(page.body).toContain('Phiên bản 1')
    expect(page.body).toContain(`href="/kiem-chung/${slug}/bo-cong-cu"`)

    // The partners' kit and its image card.
    const kit = await get(`/kiem-chung/${slug}/bo-cong-cu`)
    expect(kit.statusCode).toBe(200)
    expect(kit.body).toContain(`Nguồn: ${t.tenant.name}`)
    const share = kit.body.match(/<textarea readonly[^>]*>([\s\S]*?)<\/textarea>/)?.[1] ?? ''
    expect(share.length).toBeGreaterThan(0)
    expect(share).toContain(url)
    expect(share).toContain(`Nguồn: ${t.tenant.name}`)
    expect(shareText({ label: 'false', headline: 'x'.repeat(400), unit: t.tenant.name, link: url }).length).toBeLessThanOrEqual(280)
    const svg = await get(`/kiem-chung/${slug}/the.svg`)
    expect(svg.statusCode).toBe(200)
    expect(svg.headers['content-type']).toBe('image/svg+xml; charset=utf-8')
    expect(svg.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'")
    expect(svg.body).toContain('width="1200" height="630"')
    expect(svg.body).toContain('SAI SỰ THẬT')
    expect(svg.body).toContain(t.tenant.name)
    expect(svg.body).toContain(`${t.config.publicUrl}/kiem-chung/`)
    // The same card as PNG for social networks: a real PNG of 1200×630, named by the page's Open
    // Graph tags and offered in the kit.
    const png = await get(`/kiem-chung/${slug}/the.png`)
    expect(png.statusCode).toBe(200)
    expect(png.headers['content-type']).toBe('image/png')
    const bytes = png.rawPayload
    expect(bytes.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a')
    expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR')
    expect([bytes.readUInt32BE(16), bytes.readUInt32BE(20)]).toEqual([1200, 630])
    expect(bytes.length).toBeGreaterThan(20_000)
    expect(page.body).toContain(`<meta property="og:image" content="${url}/the.png">`)
    expect(page.body).toContain('<meta property="og:image:width" content="1200">')
    expect(page.body).toContain('<meta name="twitter:card" content="summary_large_image">')
    expect(kit.body).toContain(`href="/kiem-chung/${slug}/the.png" download="kiem-chung-${slug}.png"`)

    // List, search without diacritics, label filter, feeds.
    await eventually(async () => {
      const list = await get('/kiem-chung/ket-luan')
      expect(list.body).toContain(`href="/kiem-chung/${slug}"`)
    })
    expect((await get('/kiem-chung/ket-luan?q=thu+hoi+giay+phep+lai+xe')).body).toContain(`href="/kiem-chung/${slug}"`)
    expect((await get('/kiem-chung/ket-luan?q=thu+hồi+giấy+phép')).body).toContain(`href="/kiem-chung/${slug}"`)
    expect((await get('/kiem-chung/ket-luan?q=khong+lien+quan+gi+ca')).body).not.toContain(`href="/kiem-chung/${slug}"`)
    expect((await get('/kiem-chung/ket-luan?nhan=false')).body).toContain(`href="/kiem-chung/${slug}"`)
    expect((await get('/kiem-chung/ket-luan?nhan=true')).body).not.toContain(`href="/kiem-chung/${slug}"`)
    await eventually(async () => {
      const rss = await get('/kiem-chung/rss.xml')
      expect(rss.headers['content-type']).toContain('application/rss+xml')
      expect(rss.body).toContain(`<link>${url}</link>`)
      expect(rss.body).toContain('[Sai sự thật] Giấy phép lái xe bằng giấy vẫn có giá trị sử dụng')
      const feed = await get('/kiem-chung/feed.json')
      expect(feed.headers['content-type']).toContain('application/feed+json')
      expect(feed.json().items.map((i: { url: string }) => i.url)).toContain(url)
    })

    // A second citizen asking in other words, without diacritics, sees the verdict at once.
    const second = await openDesk()
    const reworded = 'nghe noi cong an thanh hoa se thu hoi het giay phep lai xe bang giay tu ngay 1 thang 1 nam sau that khong'
    const hint = await t.app.inject({
      method: 'POST',
      url: '/kiem-chung/goi-y',
      ...form({ text: reworded }),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-forwarded-for': second.ip },
    })
    expect(hint.statusCode).toBe(200)
    expect(hint.body).toContain('Có phải bạn muốn hỏi…')
    expect(hint.body).toContain(`href="/kiem-chung/${slug}"`)
    const s3 = await send(second, { text: reworded })
    expect(s3.statusCode).toBe(303)
    const ticket3 = await get(String(s3.headers.location))
    expect(ticket3.body).toContain(`href="/kiem-chung/${slug}"`)
    expect(ticket3.body).toContain('Sai sự thật')
    expect(ticket3.body).toContain('Có phải bạn muốn hỏi…')
    expect(ticket3.body).toContain('Đang tiếp nhận')
    // And through the API.
    const api = await t.app.inject({
      method: 'POST',
      url: '/api/v1/claims',
      payload: { text: `${reworded} vay` },
      headers: { 'x-forwarded-for': newIp() },
    })
    expect(api.statusCode).toBe(201)
    expect(api.json()).toMatchObject({
      duplicate: false,
      key: expect.any(String),
      statusUrl: expect.stringContaining('/kiem-chung/phieu/KC-'),
    })
    expect(api.json().suggestions.map((s: { slug: string }) => s.slug)).toContain(slug)
    expect(api.json().suggestions[0]).toMatchObject({ label: 'false', labelVi: 'Sai sự thật', labelEn: 'False', rating: 1 })
  })

  it('escapes HTML injected in a claim on every page: ticket, verdict, card, list and feeds', async () => {
    const evil =
      '<script>alert("kc")</script><img src=x onerror=alert(1)> Tin đồn cúp nước toàn thành phố Thanh Hóa suốt một tuần để sửa đường ống'
    const b = await openDesk()
    const res = await send(b, { text: evil, seenDetail: '<b>nhóm</b>' })
    const loc = String(res.headers.location)
    const ticket = loc.split('/')[3]?.split('?')[0] as string
    const mine = await get(loc)
    expect(mine.body).not.toContain('<script>alert("kc")')
    expect(mine.body).not.toContain('<img src=x')
    expect(mine.body).toContain('&lt;script&gt;alert(&quot;kc&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;')
    const sub = await submissionOf(ticket)
    const { slug } = await publish(sub?.claimId as string, {
      label: 'fabricated',
      headline: 'Không có kế hoạch cúp nước <i>toàn thành phố</i> "một tuần"',
    })
    const pages = [
      await get(loc),
      await get(`/kiem-chung/${slug}`),
      await get(`/kiem-chung/${slug}/bo-cong-cu`),
      await get(`/kiem-chung/${slug}/the.svg`),
    ]
    await eventually(async () => {
      const list = await get('/kiem-chung/ket-luan')
      expect(list.body).toContain(slug)
      pages.push(list)
      const rss = await get('/kiem-chung/rss.xml')
      expect(rss.body).toContain(slug)
      pages.push(rss)
    })
    for (const p of pages) {
      expect(p.statusCode).toBe(200)
      expect(p.body).not.toContain('<script>alert("kc")')
      expect(p.body).not.toContain('<img src=x')
      expect(p.body).not.toContain('<i>toàn thành phố</i>')
    }
    // The JSON-LD keeps the text but cannot close its script element.
    const page = pages[1]?.body as string
    expect(ldScripts(page)).toHaveLength(1)
    expect(JSON.parse(ldScripts(page)[0] as string).claimReviewed).toBe(evil)
    const feed = await get('/kiem-chung/feed.json')
    const item = feed.json().items.find((i: { url: string }) => i.url.endsWith(slug))
    expect(item.content_text).toContain('<script>alert("kc")</script>')
    expect(feed.headers['content-type']).toContain('application/feed+json')
  })

  it('publishes the rating scale with every label, and keeps unknown verdicts at 404', async () => {
    const scale = await get('/kiem-chung/thang-danh-gia')
    expect(scale.statusCode).toBe(200)
    for (const info of Object.values(LABELS)) {
      expect(scale.body).toContain(`>${info.vi}<`)
      expect(scale.body).toContain(`>${info.en}<`)
    }
    expect(scale.body).toContain('không bao giờ là một nhãn kết luận')
    expect((await get('/kiem-chung/khong-co-ket-luan-nay')).statusCode).toBe(404)
    expect((await get('/kiem-chung/khong-co-ket-luan-nay/the.svg')).statusCode).toBe(404)
    expect((await get('/kiem-chung/khong-co-ket-luan-nay/the.png')).statusCode).toBe(404)
    const en = await get('/kiem-chung/thang-danh-gia?lang=en')
    expect(en.body).toContain('Fact-check rating scale')
  })
})

describe('the JSON API', () => {
  it('is documented and returns the ticket, key, status URL and duplicate flag', async () => {
    const docs = await get('/docs/json')
    const spec = docs.json()
    expect(spec.paths['/api/v1/claims']?.post).toBeTruthy()
    expect(spec.paths['/api/v1/claims/tickets/{ticket}']?.get).toBeTruthy()
    const ip = newIp()
    const body = {
      text: 'Tin đồn trường học toàn tỉnh cho học sinh nghỉ một tuần vì dịch cúm',
      links: ['https://zalo.me/abc?utm_source=x'],
      seenWhere: 'Zalo',
    }
    const a = await t.app.inject({ method: 'POST', url: '/api/v1/claims', payload: body, headers: { 'x-forwarded-for': ip } })
    expect(a.statusCode).toBe(201)
    const r = a.json()
    expect(r).toMatchObject({ ticket: expect.stringMatching(/^KC-\d{4}-\d{5}-\d{5}$/), duplicate: false, suggestions: [] })
    expect(r.statusUrl).toBe(`${t.config.publicUrl}/kiem-chung/phieu/${r.ticket}?k=${r.key}`)
    const b = await t.app.inject({ method: 'POST', url: '/api/v1/claims', payload: body, headers: { 'x-forwarded-for': ip } })
    expect(b.statusCode).toBe(200)
    expect(b.json()).toMatchObject({ ticket: r.ticket, key: r.key, duplicate: true })
    const status = await get(`/api/v1/claims/tickets/${r.ticket}?k=${r.key}`)
    expect(status.json()).toMatchObject({ status: 'received', text: body.text, links: ['https://zalo.me/abc'] })
    expect((await get('/api/v1/claims/tickets/KC-2000-000000')).statusCode).toBe(404)
    const [row] = await t.database.db
      .select({ n: sql<number>`count(*)::int` })
      .from(claimSubmissions)
      .where(eq(claimSubmissions.ticket, r.ticket))
    expect(row?.n).toBe(1)
  })
})
