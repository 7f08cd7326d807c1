/**
 * The public partner application end to end over HTTP, with a real SMTP server started here:
 * apply → mail → confirm → partner `applied` with consent and proof stored → staff ask for more
 * information → the applicant answers on the status page → back to `applied` → verify →
 * accredit. Then the refusals: replayed and expired tokens, oversized and mislabelled uploads
 * (form re-shown with what was typed), an IDN e-mail address, missing consent, a duplicate
 * (same answer, flagged for staff), a 1 MB field, anonymous access to the queue and proofs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { and, eq } from 'drizzle-orm'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { makePartner } from '../../../../test/support/partners.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { advanceClock, resetClock } from '../../../platform/clock.ts'
import { partnerAcknowledgements, partnerStatusHistory, partners, pressOutlets } from '../partners.tables.ts'
import { partnerApplicationAnswers, partnerApplicationFiles, partnerApplications } from './application.tables.ts'

let t: TestApp
let smtp: SMTPServer
let dataDir: string
const inbox: { to: string; subject: string; text: string }[] = []
let approver: Login
let ip = 1

beforeAll(async () => {
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, session, done) {
      simpleParser(stream).then(
        (m) => {
          inbox.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject: m.subject ?? '', text: m.text ?? '' })
          done()
        },
        (e: Error) => done(e),
      )
    },
  })
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', () => resolve()))
  dataDir = await mkdtemp(path.join(tmpdir(), 'donghanh-apply-'))
  t = await createTestApp({ SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, DATA_DIR: dataDir })
  approver = await loginAs(t, await makeUser(t, { role: 'approver' }))
})
afterAll(async () => {
  resetClock()
  await t.close()
  await new Promise<void>((resolve) => smtp.close(() => resolve()))
  await rm(dataDir, { recursive: true, force: true })
})

// --- helpers -----------------------------------------------------------------------------------

const CSRF = 'c'.repeat(32)
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]),
  Buffer.from('IHDR'),
  Buffer.alloc(64, 1),
])

interface FilePart {
  field?: string
  filename: string
  type: string
  data: Buffer
}

function multipart(fields: Record<string, string | string[]>, files: FilePart[] = []) {
  const boundary = `----dh${Math.random().toString(16).slice(2)}`
  const chunks: Buffer[] = []
  for (const [name, value] of Object.entries({ _csrf: CSRF, ...fields })) {
    for (const v of Array.isArray(value) ? value : [value]) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${v}\r\n`))
    }
  }
  for (const f of files) {
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'proof'}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`,
      ),
      f.data,
      Buffer.from('\r\n'),
    )
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, cookie: `dh_csrf=${CSRF}` },
  }
}

/** A fresh client address per request, so the per-IP limit only bites where a test wants it. */
const nextIp = () => `10.0.${Math.floor(ip / 250)}.${(ip++ % 250) + 1}`

function journalist(over: Record<string, string> = {}) {
  return {
    kind: 'journalist',
    name: 'Lê Thị Thu Hà',
    email: `ha-${Math.random().toString(36).slice(2, 8)}@baothanhhoa.vn`,
    // A phone of its own: a shared one would make every later application a duplicate.
    phone: `091${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`,
    outletName: 'Báo Thanh Hóa',
    pressCardNumber: `TH-${Math.floor(Math.random() * 1e6)}`,
    pressCardExpiresOn: new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10),
    beats: 'an ninh trật tự, giao thông',
    consent: 'yes',
    ...over,
  }
}

async function apply(
  fields: Record<string, string | string[]>,
  files: FilePart[] = [{ filename: 'the.png', type: 'image/png', data: PNG }],
  remoteAddress = nextIp(),
) {
  const { payload, headers } = multipart(fields, files)
  return t.app.inject({ method: 'POST', url: '/doi-tac/dang-ky', payload, headers, remoteAddress })
}

async function mailTo(address: string, subjectPart: string, after = 0) {
  const until = Date.now() + 15_000
  for (;;) {
    const m = inbox.slice(after).find((x) => x.to === address && x.subject.includes(subjectPart))
    if (m) return m
    if (Date.now() > until) throw new Error(`no mail "${subjectPart}" to ${address} (have: ${inbox.map((x) => x.to).join(' ')})`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

const linkIn = (text: string, pathPrefix: string) => {
  const m = new RegExp(`http://donghanh\\.test(${pathPrefix.replace(/\?/g, '\\?')}[^\\s]+)`).exec(text)
  if (!m) throw new Error(`no link ${pathPrefix} in ${text}`)
  return m[1] as string
}

async function confirm(verifyPathWithToken: string) {
  const token = new URL(verifyPathWithToken, 'http://x').searchParams.get('token') as string
  return t.app.inject({
    method: 'POST',
    url: '/doi-tac/dang-ky/xac-nhan',
    payload: new URLSearchParams({ token, _csrf: CSRF }).toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
    remoteAddress: nextIp(),
  })
}

async function applyAndConfirm(fields: Record<string, string>) {
  const res = await apply(fields)
  expect(res.statusCode).toBe(303)
  const mail = await mailTo(fields.email.toLowerCase(), 'Xác nhận')
  const done = await confirm(linkIn(mail.text, '/doi-tac/dang-ky/xac-nhan?token='))
  expect(done.statusCode).toBe(303)
  return { statusUrl: done.headers.location as string }
}

async function applicationOf(email: string) {
  const [row] = await t.database.db.select().from(partnerApplications).where(eq(partnerApplications.email, email))
  return row
}

const staffPost = (url: string, body: Record<string, string>) =>
  t.app.inject({
    method: 'POST',
    url,
    payload: new URLSearchParams({ ...body, _csrf: approver.csrf }).toString(),
    headers: { cookie: approver.cookie, 'content-type': 'application/x-www-form-urlencoded' },
  })

// --- the flow --------------------------------------------------------------------------------

describe('partner application', () => {
  it('runs from the public form to accreditation', async () => {
    const fields = journalist()
    const res = await apply(fields)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe('/doi-tac/dang-ky/da-gui')
    const pending = await applicationOf(fields.email)
    expect(pending?.state).toBe('pending')
    expect(pending?.consentVersion).toBe('2026-01')
    expect(pending?.consentAt).toBeInstanceOf(Date)

    const mail = await mailTo(fields.email, 'Xác nhận')
    expect(mail.text).toContain('— English —')
    const verifyUrl = linkIn(mail.text, '/doi-tac/dang-ky/xac-nhan?token=')
    // GET (a mail scanner's prefetch) shows a button and uses nothing up.
    const page = await t.app.inject({ method: 'GET', url: verifyUrl })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('Xác nhận và gửi đơn')
    expect((await applicationOf(fields.email))?.state).toBe('pending')

    const done = await confirm(verifyUrl)
    expect(done.statusCode).toBe(303)
    const statusUrl = done.headers.location as string
    expect(statusUrl).toMatch(/^\/doi-tac\/dang-ky\/trang-thai\/[A-Za-z0-9_-]+\?ok=verified$/)
    const app = await applicationOf(fields.email)
    expect(app?.state).toBe('verified')
    const [partner] = await t.database.db
      .select()
      .from(partners)
      .where(eq(partners.id, app?.partnerId as string))
    expect(partner?.status).toBe('applied')
    expect(partner?.email).toBe(fields.email)
    const [history] = await t.database.db
      .select()
      .from(partnerStatusHistory)
      .where(eq(partnerStatusHistory.partnerId, partner?.id as string))
    expect(history?.actorLabel).toBe('người đăng ký / applicant')
    const [file] = await t.database.db
      .select()
      .from(partnerApplicationFiles)
      .where(eq(partnerApplicationFiles.applicationId, app?.id as string))
    expect(file?.fileType).toBe('png')
    expect(await readFile(file?.storagePath as string)).toEqual(PNG)
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, app?.id as string))
    expect(audits.map((a) => a.action).sort()).toEqual(['partner.application_submitted', 'partner.application_verified'])

    // The status mail carries the private link; the page says where the application stands.
    const statusMail = await mailTo(fields.email, 'Đã nhận đơn')
    const privateUrl = linkIn(statusMail.text, '/doi-tac/dang-ky/trang-thai/')
    const status = await t.app.inject({ method: 'GET', url: privateUrl })
    expect(status.statusCode).toBe(200)
    expect(status.headers['cache-control']).toBe('no-store')
    expect(status.body).toContain('Đang chờ xem xét')

    // Staff see it in the queue, with the proof; the proof is served privately.
    const queue = await t.app.inject({ method: 'GET', url: '/console/doi-tac/ho-so', headers: { cookie: approver.cookie } })
    expect(queue.statusCode).toBe(200)
    expect(queue.body).toContain('Lê Thị Thu Hà')
    // The partners menu entry carries the number waiting.
    expect(queue.body).toMatch(/data-menu="partners">[^<]*<span class="nav-count" data-count="1">/)
    expect(queue.body).toContain(`/console/doi-tac/ho-so/tep/${file?.id}`)
    const proof = await t.app.inject({ method: 'GET', url: `/console/doi-tac/ho-so/tep/${file?.id}`, headers: { cookie: approver.cookie } })
    expect(proof.statusCode).toBe(200)
    expect(proof.headers['cache-control']).toBe('no-store')
    expect(proof.headers['content-type']).toBe('image/png')
    expect(String(proof.headers['content-disposition'])).toMatch(/^inline; filename="the.png"/)
    expect(proof.rawPayload).toEqual(PNG)

    // Staff ask for more information: the question is mailed with a link to answer.
    const before = inbox.length
    const ask = await staffPost(`/console/doi-tac/ho-so/${partner?.id}`, {
      decision: 'ask',
      reason: 'Xin gửi ảnh mặt sau của thẻ nhà báo.',
    })
    expect(ask.statusCode).toBe(303)
    const question = await mailTo(fields.email, 'Cần bổ sung thông tin cho đơn', before)
    expect(question.text).toContain('Xin gửi ảnh mặt sau của thẻ nhà báo.')
    const answerUrl = linkIn(question.text, '/doi-tac/dang-ky/trang-thai/')
    const asked = await t.app.inject({ method: 'GET', url: answerUrl })
    expect(asked.body).toContain('Cần bổ sung thông tin')
    expect(asked.body).toContain('Xin gửi ảnh mặt sau của thẻ nhà báo.')
    // The first link still works too.
    expect((await t.app.inject({ method: 'GET', url: privateUrl })).body).toContain('Xin gửi ảnh mặt sau')

    // The applicant answers with a new photo: back to applied, through the registry.
    const { payload, headers } = multipart({ answer: 'Tôi gửi kèm ảnh mặt sau của thẻ.' }, [
      { filename: 'mat-sau.png', type: 'image/png', data: PNG },
    ])
    const answered = await t.app.inject({ method: 'POST', url: `${answerUrl}/tra-loi`, payload, headers, remoteAddress: nextIp() })
    expect(answered.statusCode).toBe(303)
    const [back] = await t.database.db
      .select()
      .from(partners)
      .where(eq(partners.id, partner?.id as string))
    expect(back?.status).toBe('applied')
    const answers = await t.database.db
      .select()
      .from(partnerApplicationAnswers)
      .where(eq(partnerApplicationAnswers.applicationId, app?.id as string))
    expect(answers.map((a) => a.answer)).toEqual(['Tôi gửi kèm ảnh mặt sau của thẻ.'])
    const files = await t.database.db
      .select()
      .from(partnerApplicationFiles)
      .where(eq(partnerApplicationFiles.applicationId, app?.id as string))
    expect(files.map((f) => f.round).sort()).toEqual([0, 1])
    // Answering again while nothing is asked is refused.
    const again = multipart({ answer: 'Một câu trả lời nữa cho chắc.' })
    const refused = await t.app.inject({
      method: 'POST',
      url: `${answerUrl}/tra-loi`,
      payload: again.payload,
      headers: again.headers,
      remoteAddress: nextIp(),
    })
    expect(refused.statusCode).toBe(409)

    // Verify, then accredit (term end required).
    expect(
      (await staffPost(`/console/doi-tac/ho-so/${partner?.id}`, { decision: 'verify', reason: 'Đã đối chiếu thẻ với cơ quan báo.' }))
        .statusCode,
    ).toBe(303)
    const noTerm = await staffPost(`/console/doi-tac/ho-so/${partner?.id}`, {
      decision: 'accredit',
      reason: 'Đủ điều kiện công nhận đối tác.',
    })
    expect(noTerm.statusCode).toBe(409)
    expect(noTerm.body).toContain('ngày kết thúc thời hạn công nhận')
    const term = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10)
    const accredit = await staffPost(`/console/doi-tac/ho-so/${partner?.id}`, {
      decision: 'accredit',
      reason: 'Đủ điều kiện công nhận đối tác.',
      accreditationEndsOn: term,
    })
    expect(accredit.statusCode).toBe(303)
    const [final] = await t.database.db
      .select()
      .from(partners)
      .where(eq(partners.id, partner?.id as string))
    expect(final?.status).toBe('accredited')
    expect((await t.app.inject({ method: 'GET', url: privateUrl })).body).toContain('Đã được công nhận là đối tác')
  })

  it('records the influencer acknowledgement (method portal) on verification', async () => {
    const email = `kol-${Date.now()}@kenh.vn`
    const fields = {
      kind: 'influencer',
      name: 'Trần Khoẻ',
      email,
      phone: '0987 654 321',
      channel0Platform: 'tiktok',
      channel0Url: 'https://www.tiktok.com/@khoe',
      channel0Followers: '120.000',
      acknowledged: 'yes',
      consent: 'yes',
    }
    await applyAndConfirm(fields)
    const app = await applicationOf(email)
    const [ack] = await t.database.db
      .select()
      .from(partnerAcknowledgements)
      .where(eq(partnerAcknowledgements.partnerId, app?.partnerId as string))
    expect(ack?.method).toBe('portal')
    expect(ack?.textVersion).toBe('2026-01')
    // Without the acknowledgement, an influencer is refused with the reason.
    const res = await apply({ ...fields, email: `kol2-${Date.now()}@kenh.vn`, acknowledged: '' })
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('cam kết người chuyển tải')
  })

  it('refuses a replayed and an expired verification link, each with its own message', async () => {
    const fields = journalist()
    await apply(fields)
    const url = linkIn((await mailTo(fields.email, 'Xác nhận')).text, '/doi-tac/dang-ky/xac-nhan?token=')
    expect((await confirm(url)).statusCode).toBe(303)
    const replay = await confirm(url)
    expect(replay.statusCode).toBe(410)
    expect(replay.body).toContain('đã được dùng')
    expect(replay.body).toContain('already used')

    const late = journalist()
    await apply(late)
    const lateUrl = linkIn((await mailTo(late.email, 'Xác nhận')).text, '/doi-tac/dang-ky/xac-nhan?token=')
    advanceClock(24 * 60 * 60 * 1000 + 60_000)
    try {
      const expired = await confirm(lateUrl)
      expect(expired.statusCode).toBe(410)
      expect(expired.body).toContain('hết hạn')
      expect(expired.body).toContain('expired')
    } finally {
      resetClock()
    }
    expect((await applicationOf(late.email))?.state).toBe('pending')
    const unknown = await confirm('/doi-tac/dang-ky/xac-nhan?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
    expect(unknown.statusCode).toBe(404)
  })

  it('refuses an oversized and a mislabelled upload, keeping what was typed', async () => {
    const big = journalist({ name: 'Phạm Văn Lớn' })
    const oversized = await apply(big, [{ filename: 'the.jpg', type: 'image/jpeg', data: Buffer.alloc(10 * 1024 * 1024 + 1, 0xff) }])
    expect(oversized.statusCode).toBe(413)
    expect(oversized.body).toContain('Phạm Văn Lớn')
    expect(oversized.body).toContain(big.email)
    expect(oversized.body).toContain('chọn lại')
    expect(await applicationOf(big.email)).toBeUndefined()

    const fake = journalist({ name: 'Đỗ Thị Nhãn' })
    const mislabelled = await apply(fake, [
      { filename: 'the.png', type: 'image/png', data: Buffer.from('<html><script>alert(1)</script></html>') },
    ])
    expect(mislabelled.statusCode).toBe(415)
    expect(mislabelled.body).toContain('Đỗ Thị Nhãn')
    expect(mislabelled.body).toContain(fake.pressCardNumber)
    const word = await apply(journalist(), [{ filename: 'the.docx', type: 'application/octet-stream', data: PNG }])
    expect(word.statusCode).toBe(415)
    expect(await applicationOf(fake.email)).toBeUndefined()
  })

  it('accepts an e-mail address with a Unicode domain (stored and mailed as punycode)', async () => {
    const fields = journalist({ email: 'phongvien@báochí.vn' })
    const res = await apply(fields)
    expect(res.statusCode).toBe(303)
    const app = await applicationOf('phongvien@xn--boch-5na9e.vn')
    expect(app?.email).toBe('phongvien@xn--boch-5na9e.vn')
    // nodemailer writes the domain back in Unicode for the SMTP envelope (SMTPUTF8); either
    // spelling is the same mailbox.
    const mail = await mailTo('phongvien@báochí.vn', 'Xác nhận')
    expect(mail.text).toContain('/doi-tac/dang-ky/xac-nhan?token=')
  })

  it('links a typed outlet name to the register’s outlet when the names fold alike', async () => {
    const [outlet] = await t.database.db
      .insert(pressOutlets)
      .values({ tenantId: t.tenant.id, name: 'Báo Văn hoá và Đời sống', kind: 'newspaper' })
      .returning({ id: pressOutlets.id })
    const fields = journalist({ outletName: 'bao van hoa va doi song' })
    await applyAndConfirm(fields)
    const app = await applicationOf(fields.email)
    expect(app?.outletId).toBe(outlet?.id)
    expect(app?.outletName).toBeNull()
    const [partner] = await t.database.db.select().from(partners).where(eq(partners.email, fields.email))
    expect(partner?.outletId).toBe(outlet?.id)
    // A name the register does not know stays typed, for staff to check.
    const other = journalist({ outletName: 'Báo Người Lao Động' })
    await apply(other)
    expect((await applicationOf(other.email))?.outletName).toBe('Báo Người Lao Động')
  })

  it('refuses an application without consent, storing nothing', async () => {
    const fields = journalist({ consent: '' })
    const res = await apply(fields)
    expect(res.statusCode).toBe(400)
    expect(res.body).toContain('đồng ý xử lý dữ liệu cá nhân')
    expect(res.body).toContain('Tick the consent')
    expect(res.body).toContain(fields.email)
    expect(await applicationOf(fields.email)).toBeUndefined()
  })

  it('answers a duplicate exactly like anyone else and flags it for staff', async () => {
    const existing = await makePartner(t, { status: 'accredited' })
    const fresh = journalist()
    const dupe = journalist({ email: existing.partner.email as string })
    const a = await apply(fresh)
    const b = await apply(dupe)
    expect(b.statusCode).toBe(a.statusCode)
    expect(b.headers.location).toBe(a.headers.location)
    const sentA = await t.app.inject({ method: 'GET', url: a.headers.location as string })
    const sentB = await t.app.inject({ method: 'GET', url: b.headers.location as string })
    expect(sentB.body).toBe(sentA.body)

    const { statusUrl } = await applyAndConfirm({ ...journalist(), email: existing.partner.email as string, pressCardNumber: 'ZZ-991' })
    const rows = await t.database.db
      .select()
      .from(partnerApplications)
      .where(eq(partnerApplications.email, existing.partner.email as string))
    const flagged = rows.find((r) => r.state === 'verified')
    expect(flagged?.duplicateOf).toBe(existing.partner.id)
    expect(flagged?.partnerId).toBeNull()
    // No second partner row for the same person.
    const same = await t.database.db
      .select()
      .from(partners)
      .where(eq(partners.email, existing.partner.email as string))
    expect(same).toHaveLength(1)
    // The applicant's page reads as any other waiting application.
    const page = await t.app.inject({ method: 'GET', url: statusUrl })
    expect(page.body).toContain('Đang chờ xem xét')
    expect(page.body).not.toContain(existing.partner.name)
    // Staff see the flag and the link to the existing record, and may close it.
    const queue = await t.app.inject({ method: 'GET', url: '/console/doi-tac/ho-so', headers: { cookie: approver.cookie } })
    expect(queue.body).toContain('Có thể trùng')
    expect(queue.body).toContain(`/console/doi-tac/${existing.partner.id}`)
    const close = await staffPost(`/console/doi-tac/ho-so/trung/${flagged?.id}`, {
      reason: 'Đã có hồ sơ được công nhận, không cần đăng ký lại.',
    })
    expect(close.statusCode).toBe(303)
    const [closed] = await t.database.db
      .select()
      .from(partnerApplications)
      .where(eq(partnerApplications.id, flagged?.id as string))
    expect(closed?.state).toBe('closed')
  })

  it('refuses a 1 MB field with a clear message and keeps the other values', async () => {
    const fields = journalist({ beats: 'x'.repeat(1024 * 1024) })
    const res = await apply(fields)
    expect(res.statusCode).toBe(413)
    expect(res.body).toContain('quá dài')
    expect(res.body).toContain('too long')
    expect(res.body).toContain(fields.name)
    expect(await applicationOf(fields.email)).toBeUndefined()
  })

  it('lets no one without a staff sign-in open the queue or a proof file', async () => {
    const [file] = await t.database.db.select().from(partnerApplicationFiles).limit(1)
    expect(file).toBeDefined()
    for (const url of ['/console/doi-tac/ho-so', `/console/doi-tac/ho-so/tep/${file?.id}`]) {
      const anon = await t.app.inject({ method: 'GET', url })
      // A page request is sent to the sign-in page; nothing of the queue or the file is served.
      expect(anon.statusCode).toBe(302)
      expect(String(anon.headers.location)).toMatch(/sign-in|dang-nhap/)
      expect(anon.body).not.toContain('Lê Thị')
    }
    const partner = await makePartner(t)
    const asPartner = await t.app.inject({
      method: 'GET',
      url: `/console/doi-tac/ho-so/tep/${file?.id}`,
      headers: { cookie: partner.login.cookie },
    })
    expect(asPartner.statusCode).toBe(403)
    const decide = await t.app.inject({
      method: 'POST',
      url: `/console/doi-tac/ho-so/${partner.partner.id}`,
      payload: new URLSearchParams({ decision: 'accredit', reason: 'Tự công nhận mình cho vui.', _csrf: CSRF }).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
    })
    expect([302, 401]).toContain(decide.statusCode)
    // An editor may ask and verify but not accredit (approvers and admins decide).
    const editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
    const [waiting] = await t.database.db
      .select()
      .from(partners)
      .where(and(eq(partners.status, 'applied')))
    const refused = await t.app.inject({
      method: 'POST',
      url: `/console/doi-tac/ho-so/${waiting?.id}`,
      payload: new URLSearchParams({ decision: 'reject', reason: 'Không đủ điều kiện theo quy chế.', _csrf: editor.csrf }).toString(),
      headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(refused.statusCode).toBe(403)
  })

  it('records a withdrawal of consent: the record is revoked and it is audited', async () => {
    const fields = journalist()
    const { statusUrl } = await applyAndConfirm(fields)
    const url = `${statusUrl.split('?')[0]}/rut-dong-y`
    const post = (body: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url,
        payload: new URLSearchParams({ ...body, _csrf: CSRF }).toString(),
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `dh_csrf=${CSRF}` },
        remoteAddress: nextIp(),
      })
    // Not without the deliberate tick.
    const unticked = await post({})
    expect(unticked.statusCode).toBe(400)
    expect((await applicationOf(fields.email))?.state).toBe('verified')
    expect((await post({ confirm: 'yes' })).statusCode).toBe(303)
    const app = await applicationOf(fields.email)
    expect(app?.state).toBe('withdrawn')
    expect(app?.consentWithdrawnAt).toBeInstanceOf(Date)
    const [p] = await t.database.db
      .select()
      .from(partners)
      .where(eq(partners.id, app?.partnerId as string))
    expect(p?.status).toBe('revoked')
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, app?.id as string))
    expect(audits.map((a) => a.action)).toContain('partner.application_consent_withdrawn')
    const page = await t.app.inject({ method: 'GET', url: statusUrl.split('?')[0] as string })
    expect(page.body).toContain('Đã rút lại sự đồng ý')
    expect((await post({ confirm: 'yes' })).statusCode).toBe(409)
  })

  it('limits applications per address', async () => {
    const address = '10.9.9.9'
    const codes: number[] = []
    for (let i = 0; i < 6; i++) codes.push((await apply(journalist({ consent: '' }), undefined, address)).statusCode)
    expect(codes.slice(0, 5)).toEqual([400, 400, 400, 400, 400])
    expect(codes[5]).toBe(429)
  })
})
