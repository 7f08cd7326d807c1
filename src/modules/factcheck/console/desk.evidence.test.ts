/**
 * Evidence through HTTP: a page captured from a local server (text and HTML stored, SHA-256
 * right), the capture's refusals (private addresses outside tests, non-pages, oversize), a
 * pasted page, a real PNG and a fake one (415), a published release linked; no route edits
 * evidence and the database refuses changes.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { draft, makeSpokesperson, submitAndApprove } from '../../../../test/support/releases.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { stripHtml } from '../../../text/normalize.ts'
import { claimEvidence } from '../factcheck.tables.ts'
import { capturePage, isPrivateAddress } from './capture.ts'
import { getPage, postForm, postMultipart, staffEntry, tinyPng } from './desk.test-support.ts'

let t: TestApp
let dataDir: string
let server: Server
let base: string
let editor: MadeUser
let editorIn: Login
/** Requests the local site has received. */
let requests = 0

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Thông báo giả mạo Công an tỉnh</title>
<script>alert('x')</script><style>p{color:red}</style></head>
<body><h1>THÔNG BÁO KHẨN</h1><p>Từ ngày 1/12 cấm xe máy vào trung tâm thành phố &amp; các phường lân cận.</p></body></html>`

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'donghanh-desk-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  editor = await makeUser(t, { role: 'editor' })
  editorIn = await loginAs(t, editor)
  server = createServer((req, res) => {
    requests++
    if (req.url === '/bai-dang') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      res.end(PAGE)
    } else if (req.url === '/chuyen-huong') {
      res.writeHead(302, { location: '/bai-dang' })
      res.end()
    } else if (req.url === '/nen-gzip') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-encoding': 'gzip' })
      res.end(gzipSync(PAGE))
    } else if (req.url === '/bom-nen') {
      // 8 MB of zeros compressed to a few kB: refused by the decompressed size.
      res.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
      res.end(gzipSync(Buffer.alloc(8 * 1024 * 1024)))
    } else if (req.url === '/cham') {
      // Headers now, the body never: the overall timeout must end it.
      res.writeHead(200, { 'content-type': 'text/html' })
      res.write('<p>')
    } else if (req.url === '/tai-lieu.pdf') {
      res.writeHead(200, { 'content-type': 'application/pdf' })
      res.end('%PDF-1.4')
    } else if (req.url === '/rat-lon') {
      res.writeHead(200, { 'content-type': 'text/html' })
      const chunk = Buffer.alloc(1024 * 1024, 'a')
      let n = 0
      const more = () => {
        while (n < 7) {
          n++
          if (!res.write(chunk)) return void res.once('drain', more)
        }
        res.end()
      }
      more()
    } else {
      res.writeHead(404)
      res.end()
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterAll(async () => {
  await t.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  await rm(dataDir, { recursive: true, force: true })
})

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex')
const evidenceOf = (claimId: string) => t.database.db.select().from(claimEvidence).where(eq(claimEvidence.claimId, claimId))

describe('captured pages', () => {
  it('fetches a page server-side (following a redirect) and stores its text and HTML with the right SHA-256', async () => {
    const id = await staffEntry(t, editorIn, 'Ảnh chụp thông báo của Công an tỉnh về việc cấm xe máy vào trung tâm từ tháng sau')
    const res = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/capture`, { url: `${base}/chuyen-huong` })
    expect(res.statusCode, res.body.slice(0, 400)).toBe(303)
    const [e] = await evidenceOf(id)
    // The command stores the canonical form of the final URL (see add-evidence.ts / cleanLinks).
    expect(e).toMatchObject({ kind: 'page', title: 'Thông báo giả mạo Công an tỉnh', url: `${base}/bai-dang`, contentHtml: PAGE })
    expect(e?.contentText).toBe(stripHtml(PAGE))
    expect(e?.contentText).toContain('cấm xe máy vào trung tâm thành phố & các phường')
    expect(e?.contentText).not.toContain('alert')
    expect(e?.sha256).toBe(sha(`${e?.url}\n${e?.contentText}\n${PAGE}`))
    expect(e?.capturedAt).toBeInstanceOf(Date)
    const page = (await getPage(t, editorIn, `/console/kiem-chung/${id}`)).body
    expect(page).toContain(`title="${e?.sha256}"`)
    expect(page).toContain(`${e?.sha256.slice(0, 12)}…`)
    expect(page).toContain('không thể sửa hay xoá')
    // The stored page is shown as text, never rendered.
    const view = await getPage(t, editorIn, `/console/kiem-chung/${id}/evidence/${e?.id}`)
    expect(view.statusCode).toBe(200)
    expect(view.body).toContain('&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;')
    expect(view.body).not.toContain("<script>alert('x')</script>")
    const [audit] = await t.database.db.select().from(auditEvents).where(eq(auditEvents.action, 'claim.evidence_added'))
    expect(audit?.summary).toMatchObject({ kind: 'page', sha256: e?.sha256 })
  })

  it('refuses what is not a web page (415), oversized pages (413), and unreachable ones, with a way out', async () => {
    const id = await staffEntry(t, editorIn, 'Tài liệu PDF lan truyền về việc thu phí đăng ký tạm trú trực tuyến')
    const pdf = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/capture`, { url: `${base}/tai-lieu.pdf` })
    expect(pdf.statusCode).toBe(415)
    expect(pdf.body).toContain('Upload the file instead')
    const big = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/capture`, { url: `${base}/rat-lon` })
    expect(big.statusCode).toBe(413)
    const gone = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/capture`, { url: `${base}/khong-co` })
    expect(gone.statusCode).toBe(400)
    expect(gone.body).toContain('HTTP 404')
    const js = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/capture`, { url: 'javascript:alert(1)' })
    expect(js.statusCode).toBe(400)
    expect(await evidenceOf(id)).toHaveLength(0)
  })

  it('refuses private and loopback addresses outside tests', async () => {
    await expect(capturePage(`${base}/bai-dang`, { allowPrivate: false })).rejects.toMatchObject({ key: 'capturePrivate', status: 400 })
    await expect(capturePage('http://localhost:1/', { allowPrivate: false })).rejects.toMatchObject({ key: 'capturePrivate' })
    await expect(capturePage('file:///etc/passwd', { allowPrivate: false })).rejects.toMatchObject({ key: 'captureUrl' })
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fe80::1',
      'fd00::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
    ])
      expect(isPrivateAddress(a), a).toBe(true)
    for (const a of ['8.8.8.8', '203.162.4.190', '2001:4860:4860::8888']) expect(isPrivateAddress(a), a).toBe(false)
  })

  it('checks the address the socket connects to, so a DNS answer that changes (rebinding) is refused', async () => {
    const port = (server.address() as AddressInfo).port
    let asked = 0
    const before = requests
    // A hostile resolver: a public address for the first look-up, loopback for the connection.
    const rebinding = async () => [{ address: asked++ === 0 ? '93.184.216.34' : '127.0.0.1', family: 4 }]
    await expect(capturePage(`http://tin-gia.example:${port}/bai-dang`, { allowPrivate: false, resolve: rebinding })).rejects.toMatchObject(
      {
        key: 'capturePrivate',
        status: 400,
      },
    )
    expect(asked).toBe(2)
    expect(requests).toBe(before)
    // The same name resolving to loopback both times is used when private addresses are allowed (tests).
    const page = await capturePage(`http://tin-gia.example:${port}/bai-dang`, {
      allowPrivate: true,
      resolve: async () => [{ address: '127.0.0.1', family: 4 }],
    })
    expect(page.title).toBe('Thông báo giả mạo Công an tỉnh')
    expect(requests).toBe(before + 1)
  })

  it('decompresses pages, refuses compressed bombs by their decompressed size, and times out slow bodies', async () => {
    const page = await capturePage(`${base}/nen-gzip`, { allowPrivate: true })
    expect(page.text).toContain('cấm xe máy vào trung tâm')
    await expect(capturePage(`${base}/bom-nen`, { allowPrivate: true })).rejects.toMatchObject({ key: 'captureTooLarge', status: 413 })
    await expect(capturePage(`${base}/cham`, { allowPrivate: true, timeoutMs: 300 })).rejects.toMatchObject({
      key: 'captureFailed',
      params: { reason: 'timeout' },
    })
  })

  it('stores a pasted page (HTML kept, text extracted) when the site cannot be fetched', async () => {
    const id = await staffEntry(t, editorIn, 'Bài đăng bị xoá nói rằng công an tịch thu xe không chính chủ từ tháng tới')
    const html = '<article><p>Công an sẽ <b>tịch thu</b> xe không chính chủ!</p></article>'
    const res = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/paste`, {
      url: 'https://m.facebook.com/story.php?id=1&utm_source=x',
      title: 'Bài đăng gốc (đã bị xoá)',
      content: html,
    })
    expect(res.statusCode).toBe(303)
    const [e] = await evidenceOf(id)
    expect(e).toMatchObject({ kind: 'page', contentHtml: html, contentText: 'Công an sẽ tịch thu xe không chính chủ!' })
    expect(e?.sha256).toBe(sha(`${e?.url}\n${e?.contentText}\n${html}`))
  })
})

describe('files, links and releases', () => {
  it('stores an uploaded PNG by its hash and serves it back; a fake PNG is refused with 415', async () => {
    const id = await staffEntry(t, editorIn, 'Ảnh chụp màn hình tin nhắn mạo danh Công an phường yêu cầu chuyển khoản nộp phạt')
    const png = tinyPng()
    const ok = await postMultipart(
      t,
      editorIn,
      `/console/kiem-chung/${id}/evidence/file`,
      { _csrf: editorIn.csrf, title: 'Ảnh chụp tin nhắn' },
      { name: 'anh.png', type: 'image/png', data: png },
    )
    expect(ok.statusCode, ok.body.slice(0, 300)).toBe(303)
    const [e] = await evidenceOf(id)
    expect(e).toMatchObject({ kind: 'file', title: 'Ảnh chụp tin nhắn', fileType: 'png', sha256: sha(png) })
    const file = await t.app.inject({ method: 'GET', url: `/console/kiem-chung/${id}/evidence/${e?.id}/file`, headers: editorIn.headers })
    expect(file.statusCode).toBe(200)
    expect(file.headers['content-type']).toBe('image/png')
    expect(file.headers['x-content-type-options']).toBe('nosniff')
    expect(file.rawPayload.equals(png)).toBe(true)

    const fake = await postMultipart(
      t,
      editorIn,
      `/console/kiem-chung/${id}/evidence/file`,
      { _csrf: editorIn.csrf, title: 'giả' },
      { name: 'anh.png', type: 'image/png', data: Buffer.from('<html><script>alert(1)</script></html>') },
    )
    expect(fake.statusCode).toBe(415)
    expect(fake.body).toContain('class="alert error"')
    expect(fake.body).toContain('anh.png')
    expect(await evidenceOf(id)).toHaveLength(1)
  })

  it('links a published release and a plain link', async () => {
    const approver = await makeUser(t, { role: 'approver' })
    const releaseId = await draft(t, editor, {
      spokespersonId: await makeSpokesperson(t),
      content: { title: 'Công an tỉnh bác bỏ thông tin cấm xe máy vào trung tâm' },
    })
    await submitAndApprove(t, releaseId, editor, approver)
    const id = await staffEntry(t, editorIn, 'Thông tin cấm xe máy vào trung tâm thành phố từ đầu tháng sau lan truyền trên Zalo')
    const page = (await getPage(t, editorIn, `/console/kiem-chung/${id}`)).body
    expect(page).toContain(`value="${releaseId}"`)
    expect((await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/release`, { releaseId })).statusCode).toBe(303)
    expect(
      (
        await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/link`, {
          url: 'https://thanhhoa.gov.vn/van-ban?fbclid=1',
          title: 'Văn bản của UBND tỉnh',
        })
      ).statusCode,
    ).toBe(303)
    const rows = await evidenceOf(id)
    const release = rows.find((r) => r.kind === 'release')
    expect(release).toMatchObject({ releaseId, title: 'Công an tỉnh bác bỏ thông tin cấm xe máy vào trung tâm' })
    expect(release?.sha256).toBe(sha(release?.contentText as string))
    expect(rows.find((r) => r.kind === 'link')).toMatchObject({
      url: 'https://thanhhoa.gov.vn/van-ban?fbclid=1',
      sha256: sha('https://thanhhoa.gov.vn/van-ban?fbclid=1'),
    })
    const bad = await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/release`, {
      releaseId: '00000000-0000-4000-8000-000000000000',
    })
    expect(bad.statusCode).toBe(404)
  })

  it('cannot be edited or deleted: no route, and the database refuses', async () => {
    const id = await staffEntry(t, editorIn, 'Tin đồn trạm thu phí tăng giá vé gấp ba từ tuần sau, tài xế bức xúc')
    await postForm(t, editorIn, `/console/kiem-chung/${id}/evidence/link`, { url: 'https://vnexpress.net/tram-thu-phi', title: 'Bài báo' })
    const [e] = await evidenceOf(id)
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST'] as const) {
      const res = await t.app.inject({
        method,
        url: `/console/kiem-chung/${id}/evidence/${e?.id}`,
        headers: { ...editorIn.headers, 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'title=sua',
      })
      expect(res.statusCode, method).toBe(404)
    }
    await expect(t.database.pool.query('UPDATE claim_evidence SET title = $1 WHERE id = $2', ['sửa', e?.id])).rejects.toThrow(/immutable/)
    await expect(t.database.pool.query('DELETE FROM claim_evidence WHERE id = $1', [e?.id])).rejects.toThrow(/immutable/)
  })
})
