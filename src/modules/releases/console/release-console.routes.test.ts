/**
 * The release console through HTTP: editor creates with a spokesperson, uploads (content-checked),
 * submits; the approver sees the queue and schedules in Vietnam time; calendar, unschedule,
 * four-eyes, the sealed-case gate (423 naming the ground, 404 to outsiders, clearance), diffs,
 * the preview partial, and attachment URLs that stay dark until publication.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deflateSync } from 'node:zlib'
import { and, eq } from 'drizzle-orm'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, form, type Login, loginAs, makeUser, type MadeUser, type TestApp } from '../../../../test/support/app.ts'
import { makeSpokesperson } from '../../../../test/support/releases.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { advanceClock, resetClock } from '../../../platform/clock.ts'
import { renderMetrics } from '../../../platform/http/metrics.ts'
import { countOverdueReleases } from '../releases.repository.ts'
import { releaseAttachments, releaseEditions, releases } from '../releases.tables.ts'

let t: TestApp
let dataDir: string
let editor: MadeUser
let editorIn: Login
let approver: MadeUser
let approverIn: Login
let sp: string

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'donghanh-console-'))
  t = await createTestApp({ DATA_DIR: dataDir })
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
  editorIn = await loginAs(t, editor)
  approverIn = await loginAs(t, approver)
  sp = await makeSpokesperson(t)
})
afterAll(async () => {
  await t.close()
  await rm(dataDir, { recursive: true, force: true })
})

/** A real 1×1 PNG (signature, IHDR, IDAT, IEND with their CRCs). */
function tinyPng(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    return c >>> 0
  })
  const crc = (buf: Buffer) => {
    let c = 0xffffffff
    for (const b of buf) c = (crcTable[(c ^ b) & 0xff] as number) ^ (c >>> 8)
    return (c ^ 0xffffffff) >>> 0
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const sum = Buffer.alloc(4)
    sum.writeUInt32BE(crc(body))
    return Buffer.concat([len, body, sum])
  }
  const ihdr = Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0])
  const idat = deflateSync(Buffer.from([0, 0xd7, 0x1f, 0x1f]))
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', idat),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

/** A multipart body with text fields and one file. */
function multipart(fields: Record<string, string>, file: { name: string; type: string; data: Buffer }) {
  const boundary = `----donghanh${Math.random().toString(16).slice(2)}`
  const parts: Buffer[] = []
  for (const [k, v] of Object.entries(fields))
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`,
    ),
  )
  parts.push(file.data, Buffer.from(`\r\n--${boundary}--\r\n`))
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

const post = (login: Login, url: string, fields: Record<string, string>) => {
  const f = form({ ...fields, _csrf: login.csrf })
  return t.app.inject({ method: 'POST', url, payload: f.payload, headers: { ...f.headers, cookie: login.cookie } })
}
const get = (login: Login, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: login.cookie } })

/** Creates a release through the form; returns its id. */
async function createViaForm(login: Login, fields: Record<string, string>): Promise<string> {
  const res = await post(login, '/console/releases/new', {
    kind: 'press_release',
    summary: 'Tóm tắt ngắn gọn về vụ việc.',
    bodyMd: '## Diễn biến\n\nLực lượng chức năng đã bắt giữ **5 đối tượng**.',
    category: 'An ninh trật tự',
    tags: 'đánh bạc, công nghệ cao',
    spokespersonId: sp,
    ...fields,
  })
  expect(res.statusCode, res.body.slice(0, 400)).toBe(303)
  const m = /^\/console\/releases\/([0-9a-f-]{36})\?done=created$/.exec(String(res.headers.location))
  expect(m).not.toBeNull()
  return (m as RegExpExecArray)[1] as string
}

async function releaseRow(id: string) {
  const [row] = await t.database.db.select().from(releases).where(eq(releases.id, id))
  return row as typeof releases.$inferSelect
}

describe('editor → upload → submit → approval queue → schedule → calendar → unschedule', () => {
  let id: string
  let fileId: string
  const title = 'Công an tỉnh triệt phá đường dây đánh bạc qua mạng'
  const png = tinyPng()

  it('the editor form lists spokespersons and communes; a new release is created as a draft', async () => {
    const page = await get(editorIn, '/console/releases/new')
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Đại tá Trịnh Văn Hải')
    expect(page.body).toContain('Phường Hạc Thành')
    expect(page.body).toContain('hx-post="/console/releases/preview"')
    expect(page.body).toContain('hx-trigger="input changed delay:400ms"')
    id = await createViaForm(editorIn, { title, communes: 'phuong-hac-thanh' })
    const row = await releaseRow(id)
    expect(row.status).toBe('draft')
    expect(row.spokespersonId).toBe(sp)
    const shown = await get(editorIn, `/console/releases/${id}?done=created`)
    expect(shown.statusCode).toBe(200)
    expect(shown.body).toContain('Đã tạo bản nháp.')
    expect(shown.headers['cache-control']).toBe('no-store')
  })

  it('refuses a release without a spokesperson, re-rendering the form with 400', async () => {
    const res = await post(editorIn, '/console/releases/new', { kind: 'warning', title: 'Cảnh báo lừa đảo', spokespersonId: '' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Mỗi thông cáo phải ghi người phát ngôn.')
    expect(res.body).toContain('value="Cảnh báo lừa đảo"')
  })

  it('refuses a summary over 300 characters with the bilingual message', async () => {
    const res = await post(editorIn, `/console/releases/${id}`, { title, summary: 'a'.repeat(301) })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('Tóm tắt tối đa 300 ký tự.')
    expect(res.body).toContain('The summary')
  })

  it('uploads a PNG (CSRF in the multipart field) and shows the snippet to paste', async () => {
    const body = multipart({ _csrf: editorIn.csrf, alt: 'Ảnh hiện trường' }, { name: 'hien-truong.png', type: 'image/png', data: png })
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/releases/${id}/files`,
      payload: body.payload,
      headers: { ...body.headers, cookie: editorIn.cookie },
    })
    expect(res.statusCode, res.body.slice(0, 500)).toBe(200)
    const [row] = await t.database.db.select().from(releaseAttachments).where(eq(releaseAttachments.releaseId, id))
    expect(row?.fileType).toBe('png')
    expect(row?.sizeBytes).toBe(png.length)
    expect(row?.alt).toBe('Ảnh hiện trường')
    fileId = row?.id as string
    expect(res.body).toContain(`![Ảnh hiện trường](/tep/${fileId}/hien-truong.png)`)
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'release.attachment_added'), eq(auditEvents.subjectId, id)))
    expect(audit).toHaveLength(1)
  })

  it('refuses a .pdf that is really a PNG with 415', async () => {
    const body = multipart({ _csrf: editorIn.csrf }, { name: 'quyet-dinh.pdf', type: 'application/pdf', data: png })
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/releases/${id}/files`,
      payload: body.payload,
      headers: { ...body.headers, cookie: editorIn.cookie },
    })
    expect(res.statusCode).toBe(415)
    expect(res.body).toContain('Nội dung tệp quyet-dinh.pdf không phải PDF')
    const rows = await t.database.db.select().from(releaseAttachments).where(eq(releaseAttachments.releaseId, id))
    expect(rows).toHaveLength(1)
  })

  it('refuses an upload without the CSRF token', async () => {
    const body = multipart({}, { name: 'a.png', type: 'image/png', data: png })
    const res = await t.app.inject({
      method: 'POST',
      url: `/console/releases/${id}/files`,
      payload: body.payload,
      headers: { ...body.headers, cookie: editorIn.cookie, accept: 'application/json' },
    })
    expect(res.statusCode).toBe(403)
    expect(res.json().error.code).toBe('CSRF_INVALID')
  })

  it('serves the file to staff (no-store) but not to the public before publication', async () => {
    const staff = await get(editorIn, `/console/releases/${id}/files/${fileId}`)
    expect(staff.statusCode).toBe(200)
    expect(staff.headers['content-type']).toBe('image/png')
    expect(staff.headers['cache-control']).toBe('no-store')
    expect(staff.rawPayload.equals(png)).toBe(true)
    const pub = await t.app.inject({ method: 'GET', url: `/tep/${fileId}/hien-truong.png` })
    expect(pub.statusCode).toBe(404)
    // The image snippet used in the body (/tep/…) previews for staff who may read the release.
    const preview = await get(editorIn, `/tep/${fileId}/hien-truong.png`)
    expect(preview.statusCode).toBe(200)
    expect(preview.headers['cache-control']).toBe('no-store')
  })

  it('submits; the approver sees it in the approval queue', async () => {
    const res = await post(editorIn, `/console/releases/${id}/submit`, {})
    expect(res.statusCode).toBe(303)
    expect((await releaseRow(id)).status).toBe('submitted')
    const queue = await get(approverIn, '/console/approvals')
    expect(queue.statusCode).toBe(200)
    expect(queue.body).toContain(title)
    expect(queue.body).toContain(editor.email)
    expect(queue.body).not.toContain('Bạn gửi — người khác phải duyệt')
  })

  it('approves with a schedule typed in Vietnam time: stored as the +07:00 instant', async () => {
    // Local wall time two hours ahead, built independently of the app's helpers.
    const target = new Date(Math.floor((Date.now() + 2 * 3_600_000) / 60_000) * 60_000)
    const local = new Date(target.getTime() + 7 * 3_600_000).toISOString().slice(0, 16)
    expect(local).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d$/)
    const res = await post(approverIn, `/console/releases/${id}/approve`, { mode: 'schedule', at: local })
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
    expect(res.headers.location).toBe(`/console/releases/${id}?done=scheduled`)
    const row = await releaseRow(id)
    expect(row.status).toBe('scheduled')
    expect(row.publishAt?.toISOString()).toBe(new Date(`${local}:00+07:00`).toISOString())
    expect(row.publishAt?.getTime()).toBe(target.getTime())
    // Not the UTC reading of the same string (which would publish seven hours late/early).
    expect(row.publishAt?.getTime()).not.toBe(new Date(`${local}:00Z`).getTime())
  })

  it('refuses a schedule in the past and one with an offset', async () => {
    // (The release is scheduled now, so use a fresh submitted one.)
    const other = await createViaForm(editorIn, { title: 'Thông báo tuyển sinh' })
    await post(editorIn, `/console/releases/${other}/submit`, {})
    const past = await post(approverIn, `/console/releases/${other}/approve`, { mode: 'schedule', at: '2020-01-01T08:00' })
    expect(past.statusCode).toBe(400)
    expect(past.body).toContain('Thời điểm công bố phải ở tương lai.')
    const offset = await post(approverIn, `/console/releases/${other}/approve`, { mode: 'embargo', at: '2099-01-01T08:00+07:00' })
    expect(offset.statusCode).toBe(400)
    expect((await releaseRow(other)).status).toBe('submitted')
  })

  it('the calendar shows it under its local day with the lift time; nothing is overdue', async () => {
    const cal = await get(editorIn, '/console/calendar')
    expect(cal.statusCode).toBe(200)
    expect(cal.body).toContain(title)
    expect(cal.body).toContain('Hẹn giờ công bố')
    expect(cal.body).not.toContain('Quá giờ')
    expect(await renderMetrics()).toMatch(/donghanh_releases_overdue 0/)
  })

  it('once the lift time passes unpublished, the calendar, the count and the gauge show it as overdue', async () => {
    expect(await countOverdueReleases(t.database.db, t.tenant.id)).toBe(0)
    // Hold the row so that the lift sweep (which locks it) cannot publish it while the clock is moved.
    const client = await t.database.pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('SELECT id FROM releases WHERE id = $1 FOR UPDATE', [id])
      advanceClock(3 * 3_600_000)
      expect(await countOverdueReleases(t.database.db, t.tenant.id)).toBe(1)
      // A session made at the moved time (the others would count as idle and end).
      const viewerIn = await loginAs(t, await makeUser(t, { role: 'officer' }))
      const cal = await get(viewerIn, '/console/calendar')
      expect(cal.body).toContain('Quá giờ')
      expect(cal.body).toContain('1 tin đã quá giờ công bố')
      expect(cal.body).toMatch(/<tr class="overdue">/)
      expect(await renderMetrics()).toMatch(/donghanh_releases_overdue 1/)
    } finally {
      resetClock()
      await client.query('ROLLBACK')
      client.release()
    }
  })

  it('the editor form is locked while scheduled; unschedule returns it to submitted', async () => {
    const page = await get(editorIn, `/console/releases/${id}`)
    expect(page.body).toContain('Không sửa được ở trạng thái này.')
    const res = await post(editorIn, `/console/releases/${id}/unschedule`, {})
    expect(res.statusCode).toBe(303)
    const row = await releaseRow(id)
    expect(row.status).toBe('submitted')
    expect(row.publishAt).toBeNull()
  })

  it('publishing makes the file public at /tep', async () => {
    const res = await post(approverIn, `/console/releases/${id}/approve`, { mode: 'now' })
    expect(res.statusCode).toBe(303)
    expect((await releaseRow(id)).status).toBe('published')
    const pub = await t.app.inject({ method: 'GET', url: `/tep/${fileId}/hien-truong.png` })
    expect(pub.statusCode).toBe(200)
    expect(pub.headers['content-type']).toBe('image/png')
    expect(pub.rawPayload.equals(png)).toBe(true)
    expect(pub.headers['cache-control']).toContain('public')
  })

  it('a correction: new edition with a change note; the diff shows inserted and removed words', async () => {
    const res = await post(editorIn, `/console/releases/${id}`, {
      title,
      summary: 'Tóm tắt ngắn gọn về vụ việc.',
      bodyMd: '## Diễn biến\n\nLực lượng chức năng đã bắt giữ **7 bị can**.',
      changeNote: 'Sửa số người bị bắt.',
    })
    expect(res.statusCode).toBe(303)
    const editions = await t.database.db.select().from(releaseEditions).where(eq(releaseEditions.releaseId, id))
    expect(editions.map((e) => e.number).sort()).toEqual([1, 2])
    const diff = await get(editorIn, `/console/releases/${id}/diff?from=1&to=2`)
    expect(diff.statusCode).toBe(200)
    expect(diff.body).toContain(
      'bắt giữ <del><span class="sr-only">bỏ: </span>**5 đối tượng**.</del><ins><span class="sr-only">thêm: </span>**7 bị can**.</ins>',
    )
    expect(diff.body).toContain('Sửa số người bị bắt.')
    // The title did not change.
    expect(diff.body).toContain('Không thay đổi.')
    // A file uploaded for the unpublished correction stays private.
    const body = multipart({ _csrf: editorIn.csrf }, { name: 'moi.png', type: 'image/png', data: png })
    const up = await t.app.inject({
      method: 'POST',
      url: `/console/releases/${id}/files`,
      payload: body.payload,
      headers: { ...body.headers, cookie: editorIn.cookie },
    })
    expect(up.statusCode).toBe(200)
    const rows = await t.database.db.select().from(releaseAttachments).where(eq(releaseAttachments.releaseId, id))
    const fresh = rows.find((r) => r.id !== fileId) as (typeof rows)[number]
    expect((await t.app.inject({ method: 'GET', url: `/tep/${fresh.id}/moi.png` })).statusCode).toBe(404)
  })

  it('lists the release under its status tab', async () => {
    const published = await get(editorIn, '/console/releases?tab=published')
    expect(published.body).toContain(title)
    const drafts = await get(editorIn, '/console/releases?tab=drafts')
    expect(drafts.body).not.toContain(title)
  })
})

describe('alt text of uploads', () => {
  const png = tinyPng()
  const upload = (login: Login, id: string, fields: Record<string, string>, name = 'anh.png') => {
    const body = multipart({ _csrf: login.csrf, ...fields }, { name, type: 'image/png', data: png })
    return t.app.inject({
      method: 'POST',
      url: `/console/releases/${id}/files`,
      payload: body.payload,
      headers: { ...body.headers, cookie: login.cookie },
    })
  }
  const rowsOf = (id: string) => t.database.db.select().from(releaseAttachments).where(eq(releaseAttachments.releaseId, id))

  it('keeps the alt text (NFC): the editor list repeats it later, and the public page shows it on the image', async () => {
    const title = 'Công an phường Hạc Thành tặng quà học sinh'
    const id = await createViaForm(editorIn, { title })
    // Typed decomposed (as some keyboards send it), with extra spaces.
    const typed = '  Cán bộ   trao quà [ảnh 1]  '.normalize('NFD')
    expect((await upload(editorIn, id, { alt: typed }, 'trao-qua.png')).statusCode).toBe(200)
    const [row] = await rowsOf(id)
    expect(row?.alt).toBe('Cán bộ trao quà [ảnh 1]')
    const snippet = `![Cán bộ trao quà (ảnh 1)](/tep/${row?.id}/trao-qua.png)`
    // A later visit to the editor (not the upload response) lists the file with its alt text.
    const page = await get(editorIn, `/console/releases/${id}`)
    expect(page.body).toContain(`<code class="small">${snippet}</code>`)
    expect(page.body).not.toContain(`![trao-qua.png]`)
    // Pasted into the body and published: the reader's image has the alt text as typed.
    const edited = await post(editorIn, `/console/releases/${id}`, { title, bodyMd: `Buổi trao quà.\n\n${snippet}` })
    expect(edited.statusCode).toBe(303)
    expect((await post(editorIn, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)
    expect((await post(approverIn, `/console/releases/${id}/approve`, { mode: 'now' })).statusCode).toBe(303)
    const pub = await t.app.inject({ method: 'GET', url: `/tin/${(await releaseRow(id)).slug}` })
    expect(pub.statusCode).toBe(200)
    expect(pub.body).toMatch(new RegExp(`<img src="/tep/${row?.id}/trao-qua\\.png" alt="Cán bộ trao quà \\(ảnh 1\\)"`))
  })

  it('without an alt text the file name stands in', async () => {
    const id = await createViaForm(editorIn, { title: 'Thông báo lịch tiếp công dân' })
    expect((await upload(editorIn, id, {}, 'lich-tiep.png')).statusCode).toBe(200)
    const [row] = await rowsOf(id)
    expect(row?.alt).toBe('')
    expect((await get(editorIn, `/console/releases/${id}`)).body).toContain(`![lich-tiep.png](/tep/${row?.id}/lich-tiep.png)`)
  })

  it('refuses an alt text over 200 characters or with control characters, in Vietnamese and English, storing nothing', async () => {
    const id = await createViaForm(editorIn, { title: 'Thông báo truy tìm người mất tích' })
    const long = await upload(editorIn, id, { alt: 'ả'.repeat(201) })
    expect(long.statusCode).toBe(400)
    expect(long.body).toContain('Mô tả ảnh tối đa 200 ký tự (đang có 201)')
    expect(long.body).toContain('The image description may have at most 200 characters')
    // 200 decomposed letters are 400 code units before NFC and 200 after: accepted.
    const tab = await upload(editorIn, id, { alt: 'Ảnh\thiện trường' })
    expect(tab.statusCode).toBe(400)
    expect(tab.body).toContain('Mô tả ảnh có ký tự điều khiển')
    expect(tab.body).toContain('The image description contains control characters')
    expect(await rowsOf(id)).toHaveLength(0)
    expect((await upload(editorIn, id, { alt: 'ả'.repeat(200).normalize('NFD') })).statusCode).toBe(200)
    expect((await rowsOf(id))[0]?.alt).toBe('ả'.repeat(200))
  })
})

describe('correction button', () => {
  it('reads "start a correction" on a published release, then "save the correction" for its draft and once it is submitted', async () => {
    const title = 'Thông báo phân luồng giao thông dịp lễ'
    const id = await createViaForm(editorIn, { title })
    expect((await post(editorIn, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)
    expect((await post(approverIn, `/console/releases/${id}/approve`, { mode: 'now' })).statusCode).toBe(303)
    const button = async (lang: 'vi' | 'en') => {
      const res = await t.app.inject({
        method: 'GET',
        url: `/console/releases/${id}`,
        headers: { cookie: `${editorIn.cookie}; lang=${lang}` },
      })
      return /<button type="submit">([^<]*)<\/button>/.exec(res.body)?.[1]
    }
    expect(await button('vi')).toBe('Tạo bản đính chính')
    expect(await button('en')).toBe('Start a correction')
    const corrected = await post(editorIn, `/console/releases/${id}`, {
      title,
      bodyMd: 'Phân luồng từ 6 giờ.',
      changeNote: 'Sửa giờ phân luồng.',
    })
    expect(corrected.statusCode).toBe(303)
    expect(await button('vi')).toBe('Lưu bản đính chính')
    expect(await button('en')).toBe('Save the correction')
    expect((await post(editorIn, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)
    const [working] = await t.database.db
      .select()
      .from(releaseEditions)
      .where(and(eq(releaseEditions.releaseId, id), eq(releaseEditions.number, 2)))
    expect(working?.status).toBe('submitted')
    expect(await button('vi')).toBe('Lưu bản đính chính')
    expect(await button('en')).toBe('Save the correction')
  })
})

describe('four-eyes', () => {
  it('an approver who submitted cannot approve: 403 FOUR_EYES page with the message, refusal audited', async () => {
    const id = await createViaForm(approverIn, { title: 'Thông báo của lãnh đạo' })
    expect((await post(approverIn, `/console/releases/${id}/submit`, {})).statusCode).toBe(303)
    const queue = await get(approverIn, '/console/approvals')
    expect(queue.body).toContain('Bạn gửi — người khác phải duyệt')
    const res = await post(approverIn, `/console/releases/${id}/approve`, { mode: 'now' })
    expect(res.statusCode).toBe(403)
    expect(res.body).toContain('Nguyên tắc bốn mắt: người gửi duyệt không được tự phê duyệt.')
    expect((await releaseRow(id)).status).toBe('submitted')
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'release.refused'), eq(auditEvents.subjectId, id)))
    expect(audit[0]?.summary).toMatchObject({ reason: 'four_eyes' })
  })

  it('an editor cannot approve at all (403)', async () => {
    const id = await createViaForm(editorIn, { title: 'Tin hoạt động tuần' })
    await post(editorIn, `/console/releases/${id}/submit`, {})
    const res = await post(editorIn, `/console/releases/${id}/approve`, { mode: 'now' })
    expect(res.statusCode).toBe(403)
    expect((await releaseRow(id)).status).toBe('submitted')
  })
})

describe('publish gate', () => {
  it('a high-risk finding refuses approval with 422 on the page; an override reason lets it through', async () => {
    const id = await createViaForm(editorIn, {
      title: 'Hung thủ sát hại cháu bé 15 tuổi đã bị bắt',
      summary: 'Công an đã bắt giữ đối tượng.',
      bodyMd: 'Nạn nhân là cháu Nguyễn Thị Lan, 15 tuổi, học sinh Trường THCS Lê Lợi. Hung thủ đã bị bắt.',
    })
    await post(editorIn, `/console/releases/${id}/submit`, {})
    const page = await get(approverIn, `/console/releases/${id}`)
    expect(page.body).toContain('name="gateOverride"')
    const refused = await post(approverIn, `/console/releases/${id}/approve`, { mode: 'now' })
    expect(refused.statusCode).toBe(422)
    expect(refused.body).toContain('Kiểm tra nội dung phát hiện')
    const ok = await post(approverIn, `/console/releases/${id}/approve`, {
      mode: 'now',
      gateOverride: 'Gia đình nạn nhân đồng ý công bố để tìm nhân chứng',
    })
    expect(ok.statusCode).toBe(303)
    expect((await releaseRow(id)).status).toBe('published')
  })
})

describe('sealed case', () => {
  let caseId: string
  let releaseId: string
  let member: MadeUser
  let memberIn: Login
  let outsiderIn: Login
  let caseApproverIn: Login
  const title = 'Triệt phá chuyên án ma túy xuyên tỉnh'
  const ground = 'Bí mật điều tra (Điều 13 Bộ luật Tố tụng hình sự)'

  beforeAll(async () => {
    const caseApprover = await makeUser(t, { role: 'approver' })
    member = await makeUser(t, { role: 'editor' })
    caseApproverIn = await loginAs(t, caseApprover)
    memberIn = await loginAs(t, member)
    outsiderIn = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const res = await post(caseApproverIn, '/console/cases/new', {
      code: 'CA-36-MT',
      title: 'Chuyên án MT36',
      department: 'Phòng Cảnh sát điều tra tội phạm về ma túy',
      leadOfficerId: caseApprover.id,
      secrecyGround: ground,
    })
    expect(res.statusCode, res.body.slice(0, 300)).toBe(303)
    caseId = /\/console\/cases\/([0-9a-f-]{36})/.exec(String(res.headers.location))?.[1] as string
    expect((await post(caseApproverIn, `/console/cases/${caseId}/members`, { email: member.email })).statusCode).toBe(303)
  })

  it('a member links a release; the page warns with the legal ground; submit is refused 423 naming it', async () => {
    releaseId = await createViaForm(memberIn, { title, caseId })
    const page = await get(memberIn, `/console/releases/${releaseId}`)
    expect(page.body).toContain('Tin gắn với chuyên án CA-36-MT đang được giữ bí mật.')
    expect(page.body).toContain(ground)
    const res = await post(memberIn, `/console/releases/${releaseId}/submit`, {})
    expect(res.statusCode).toBe(423)
    expect(res.body).toContain(`Nội dung gắn với chuyên án đang được giữ bí mật (${ground})`)
    expect((await releaseRow(releaseId)).status).toBe('draft')
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'release.refused'), eq(auditEvents.subjectId, releaseId)))
    expect(audit[0]?.summary).toMatchObject({ attempted: 'submit', reason: 'case_sealed', ground })
  })

  it('an outsider cannot link the case, gets 404 on the case and the release, and sees it in no list', async () => {
    const link = await post(outsiderIn, '/console/releases/new', {
      kind: 'press_release',
      title: 'Thử gắn chuyên án',
      spokespersonId: sp,
      caseId,
    })
    expect(link.statusCode).toBe(404)
    expect((await get(outsiderIn, `/console/cases/${caseId}`)).statusCode).toBe(404)
    expect((await get(outsiderIn, `/console/releases/${releaseId}`)).statusCode).toBe(404)
    expect((await get(outsiderIn, `/console/releases/${releaseId}/diff`)).statusCode).toBe(404)
    expect((await post(outsiderIn, `/console/releases/${releaseId}/submit`, {})).statusCode).toBe(404)
    // The outsider is an editor, who has no approvals inbox (403); the inbox's own tests cover sealed releases there.
    for (const url of ['/console/releases?tab=drafts', '/console/cases', '/console/calendar']) {
      const res = await get(outsiderIn, url)
      expect(res.statusCode).toBe(200)
      expect(res.body).not.toContain(title)
      expect(res.body).not.toContain('CA-36-MT')
    }
    expect((await get(memberIn, '/console/releases?tab=drafts')).body).toContain(title)
  })

  it('after clearance by an approver member, submit goes through', async () => {
    const clear = await post(caseApproverIn, `/console/cases/${caseId}/clear`, {
      scope: 'Được công bố kết quả triệt phá, không nêu tên bị can.',
      groundLifted: ground,
    })
    expect(clear.statusCode).toBe(303)
    const res = await post(memberIn, `/console/releases/${releaseId}/submit`, {})
    expect(res.statusCode).toBe(303)
    expect((await releaseRow(releaseId)).status).toBe('submitted')
    // Cleared cases are visible to staff again.
    expect((await get(outsiderIn, `/console/cases/${caseId}`)).statusCode).toBe(200)
  })
})

describe('preview', () => {
  it('renders Markdown safely, counts the summary, and is never cached or indexed', async () => {
    const f = form({
      _csrf: editorIn.csrf,
      title: '<script>alert(1)</script>',
      summary: 'Xin chào',
      bodyMd: '# Tiêu đề\n\n<script>alert(2)</script>\n\n[x](javascript:alert(3))',
    })
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/releases/preview',
      payload: f.payload,
      headers: { ...f.headers, cookie: editorIn.cookie },
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.headers['x-robots-tag']).toContain('noindex')
    expect(res.body).not.toContain('<script')
    expect(res.body).not.toContain('javascript:')
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(res.body).toContain('<h2>Tiêu đề</h2>')
    expect(res.body).toContain('id="summary-count"')
    expect(res.body).toContain('hx-swap-oob="true"')
    expect(res.body).toContain('8/300')
  })

  it('requires CSRF and a writer role', async () => {
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/console/releases/preview',
      payload: 'bodyMd=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: editorIn.cookie, accept: 'application/json' },
    })
    expect(noCsrf.statusCode).toBe(403)
    const officerIn = await loginAs(t, await makeUser(t, { role: 'officer' }))
    const f = form({ _csrf: officerIn.csrf, bodyMd: 'x' })
    const res = await t.app.inject({
      method: 'POST',
      url: '/console/releases/preview',
      payload: f.payload,
      headers: { ...f.headers, cookie: officerIn.cookie },
    })
    expect(res.statusCode).toBe(403)
  })
})
