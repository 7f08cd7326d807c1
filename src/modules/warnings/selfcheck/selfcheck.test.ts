/**
 * "Tin nhắn này có phải lừa đảo?" on a real database and over real HTTP: a paste in other words
 * and without diacritics finds the scam warning; a link with tracking parameters is known in
 * canonical form; cancelled, closed, expired and draft warnings never match; a published scam
 * verdict is shown; a check stores nothing anywhere; a report makes exactly one submission with
 * a ticket and an audit row without the text; empty, over-long and HTML input.
 */
import { and, count, eq, sql } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, csrfFrom, form, type MadeUser, makeUser, mergeCookies, type TestApp } from '../../../../test/support/app.ts'
import { withTransaction } from '../../../db/index.ts'
import { runAudited } from '../../../platform/audit/index.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { advanceClock, now, resetClock } from '../../../platform/clock.ts'
import { addEvidence } from '../../factcheck/commands/add-evidence.ts'
import { submitClaim } from '../../factcheck/commands/submit-claim.ts'
import { approveVerdict, draftVerdict, submitVerdict } from '../../factcheck/commands/verdict-workflow.ts'
import { unsafeLoadClaim } from '../../factcheck/factcheck.repository.ts'
import { claimSubmissions, claims } from '../../factcheck/factcheck.tables.ts'
import { publishVersion } from '../commands/publish-version.ts'
import { warnings } from '../warnings.tables.ts'
import { makeDraftWarning, makePublishedWarning } from '../warnings.test-support.ts'
import { SELFCHECK_SEEN_WHERE } from './report-selfcheck.ts'
import { SELFCHECK_MAX_CHARS, selfCheck } from './selfcheck.index.ts'
import { holdOcrGateForTests } from '../../../platform/uploads/image-text.tsx'
import {
  animatedWebp,
  blankPng,
  type FilePart,
  multipartForm,
  NOT_BACKGROUND_AUDIT,
  rowCounts,
  settledRowCounts,
} from '../../../platform/uploads/image-text.test-support.ts'
import { closeSharedOcrEngine } from '../../../text/ocr/engine.ts'
import { renderScreenshot } from '../../../text/ocr/render.ts'

let t: TestApp
let editor: MadeUser
let approver: MadeUser

beforeAll(async () => {
  t = await createTestApp()
  editor = await makeUser(t, { role: 'editor' })
  approver = await makeUser(t, { role: 'approver' })
})
afterAll(async () => {
  await t?.close()
  await closeSharedOcrEngine()
})
afterEach(() => {
  resetClock()
})

const PATH = '/canh-bao/kiem-tra-tin-nhan'
const API = '/api/v1/warnings/self-check'
/** The brief's case: other words than the warning's, and no diacritics. */
const UNMARKED = 'toi la can bo cong an, ban co bien ban phat nguoi, bam vao link de nop phat'

const slugsOf = async (text: string) => (await selfCheck(t.database.db, t.tenant.id, text)).warnings.map((w) => w.slug)

/**
 * Retries `fn` until it passes: the app's listener hears of a publication over NOTIFY, a moment
 * after the commit (the matcher then reads the stamp again).
 */
async function eventually<T>(fn: () => Promise<T>, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    try {
      return await fn()
    } catch (e) {
      if (Date.now() > end) throw e
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

/** Publishes the next version of a warning in another state (as the commands will). */
async function endWarning(id: string, state: 'cancelled' | 'closed') {
  await withTransaction(t.database.pool, async (tx) => {
    const [locked] = await tx.select().from(warnings).where(eq(warnings.id, id)).for('update')
    await publishVersion(tx, {
      warning: locked as typeof warnings.$inferSelect,
      state,
      publishedBy: null,
      approvedBy: null,
      urgent: false,
      set: state === 'closed' ? { closedAt: now(), closeReason: 'other' } : { cancelledAt: now(), cancelReason: 'Hết nguy cơ (test)' },
    })
  })
}

/** The self-check form: its CSRF token and cookie. */
async function openForm(ip = '10.77.0.1') {
  const page = await t.app.inject({ url: PATH, remoteAddress: ip })
  expect(page.statusCode).toBe(200)
  return { csrf: csrfFrom(page.body), cookie: mergeCookies('', page), body: page.body }
}

async function postForm(url: string, fields: Record<string, string>, ip = '10.77.0.1') {
  const f = await openForm(ip)
  const body = form({ _csrf: f.csrf, ...fields })
  return t.app.inject({ method: 'POST', url, payload: body.payload, headers: { ...body.headers, cookie: f.cookie }, remoteAddress: ip })
}

/** Drives the desk's commands to a published verdict on a new claim. */
async function publishVerdict(statement: string, o: { label: string; headline: string }) {
  const who = (u: MadeUser) => ({ id: u.id, label: u.email })
  const load = async (id: string) => (await unsafeLoadClaim(t.database.db, t.tenant.id, id))!
  const sub = await withTransaction(t.database.pool, (tx) =>
    submitClaim({ tx, tenantId: t.tenant.id, channel: 'staff', actor: who(editor), text: statement }),
  )
  const claimId = sub.claimId
  const ev = await runAudited(t.database.pool, async (tx) =>
    addEvidence({
      tx,
      claim: await load(claimId),
      actor: who(editor),
      input: { kind: 'link', url: 'https://thanhhoa.gov.vn/canh-bao-lua-dao', title: 'Thông báo chính thức' },
    }),
  )
  await runAudited(t.database.pool, async (tx) =>
    draftVerdict({
      tx,
      claim: await load(claimId),
      actor: who(editor),
      input: {
        label: o.label,
        headline: o.headline,
        explanationMd: 'Theo thông báo chính thức của Công an tỉnh, đây là thủ đoạn lừa đảo chiếm đoạt tài sản.',
        evidenceIds: [ev.id],
      },
    }),
  )
  await runAudited(t.database.pool, async (tx) => submitVerdict({ tx, claim: await load(claimId), actor: who(editor) }))
  return runAudited(t.database.pool, async (tx) =>
    approveVerdict({ tx, claim: await load(claimId), actor: who(approver), publicUrl: t.config.publicUrl, tenantName: t.tenant.name }),
  )
}

/** Rows in any table of the database (every schema but the system's) whose text holds `marker`. */
async function rowsHolding(marker: string): Promise<string[]> {
  const tables = await t.database.pool.query<{ s: string; n: string }>(
    `SELECT table_schema AS s, table_name AS n FROM information_schema.tables
     WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  )
  const found: string[] = []
  for (const { s, n } of tables.rows) {
    const r = await t.database.pool.query<{ c: number }>(`SELECT count(*)::int AS c FROM "${s}"."${n}" x WHERE x::text LIKE $1`, [
      `%${marker}%`,
    ])
    if ((r.rows[0]?.c ?? 0) > 0) found.push(`${s}.${n}`)
  }
  return found
}

const countOf = async () => {
  const [s] = await t.database.db.select({ n: count() }).from(claimSubmissions)
  const [c] = await t.database.db.select({ n: count() }).from(claims)
  const [a] = await t.database.db.select({ n: count() }).from(auditEvents).where(sql.raw(NOT_BACKGROUND_AUDIT))
  return { submissions: s?.n ?? 0, claims: c?.n ?? 0, audit: a?.n ?? 0 }
}

describe('self-check matching', () => {
  it('finds the warning from a paste in other words and without diacritics, on the page too', async () => {
    const w = await makePublishedWarning(t.database, t.tenant.id)
    const r = await eventually(async () => {
      const found = await selfCheck(t.database.db, t.tenant.id, UNMARKED)
      expect(found.warnings.map((x) => x.slug)).toContain(w.slug)
      return found
    })
    const hit = r.warnings.find((x) => x.slug === w.slug)
    expect(hit).toMatchObject({ title: w.titleVi, level: 'alert', instruction: w.instructionVi, matchedBy: 'text' })
    expect(hit?.score).toBeGreaterThanOrEqual(0.75)
    const res = await postForm(PATH, { text: UNMARKED })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain(`href="/canh-bao/${w.slug}"`)
    expect(res.body).toContain('Không bấm vào đường link lạ, không chuyển tiền.')
    expect(res.body).toContain('Cảnh báo khớp với nội dung bạn nhận được (')
    expect(res.body).toContain('Gửi cho bộ phận kiểm chứng')
    // Something unrelated finds nothing, and the page says so honestly.
    const none = await postForm(PATH, { text: 'Chiều nay con về muộn, mẹ nhớ cho mèo ăn và tưới cây ngoài ban công nhé.' })
    expect(none.statusCode).toBe(200)
    expect(none.body).toContain('Không tìm thấy cảnh báo nào khớp — như vậy KHÔNG có nghĩa là tin nhắn an toàn.')
    expect(none.body).not.toContain(`href="/canh-bao/${w.slug}"`)
  })

  it('knows a link named in a warning, with tracking parameters, other case and a trailing slash', async () => {
    const w = await makePublishedWarning(t.database, t.tenant.id, {
      titleVi: 'Trang web giả mạo tra cứu vi phạm giao thông',
      descriptionVi: 'Trang web giả mạo Cục Cảnh sát giao thông để lấy thông tin tài khoản ngân hàng.',
      patterns: ['trang tra cứu vi phạm giả mạo'],
      links: ['phatnguoi-vn.com/tra-cuu'],
    })
    const r = await eventually(async () => {
      const found = await selfCheck(t.database.db, t.tenant.id, 'Xem ngay: https://PhatNguoi-vn.com/tra-cuu/?utm_source=zalo&fbclid=x')
      expect(found.warnings.map((x) => x.slug)).toContain(w.slug)
      return found
    })
    expect(r.links).toEqual([
      { url: 'https://PhatNguoi-vn.com/tra-cuu/?utm_source=zalo&fbclid=x', canonical: 'https://phatnguoi-vn.com/tra-cuu', known: true },
    ])
    expect(r.warnings[0]).toMatchObject({ slug: w.slug, matchedBy: 'link', score: 1 })
    // Another page of another host is not known.
    const other = await selfCheck(t.database.db, t.tenant.id, 'https://phatnguoi-vn.net/tra-cuu')
    expect(other.links[0]?.known).toBe(false)
    expect(other.warnings.map((x) => x.slug)).not.toContain(w.slug)
  })

  it('never matches a cancelled, closed, expired or draft warning', async () => {
    const texts = {
      cancelled: {
        vi: 'Giả mạo nhân viên điện lực gọi điện đòi tiền điện, dọa cắt điện nếu không chuyển khoản ngay trong ngày',
        q: 'Em la nhan vien dien luc, nha anh dang no tien dien, neu khong chuyen khoan ngay trong ngay se bi cat dien',
      },
      closed: {
        vi: 'Mạo danh giáo viên nhắn tin báo học sinh bị tai nạn phải mổ cấp cứu, yêu cầu phụ huynh chuyển tiền viện phí',
        q: 'co giao bao con chi bi tai nan phai mo cap cuu, phu huynh chuyen tien vien phi gap',
      },
      expired: {
        vi: 'Lừa đảo tuyển người mẫu nhí qua mạng, yêu cầu phụ huynh đóng phí đào tạo và phí hồ sơ',
        q: 'tuyen nguoi mau nhi qua mang, phu huynh dong phi dao tao va phi ho so truoc',
      },
      draft: {
        vi: 'Mạo danh nhân viên bảo hiểm xã hội gọi điện hướng dẫn cài ứng dụng để nhận tiền hoàn trả',
        q: 'nhan vien bao hiem xa hoi huong dan cai ung dung de nhan tien hoan tra',
      },
    }
    const made = async (k: keyof typeof texts, over: Parameters<typeof makePublishedWarning>[2] = {}) =>
      makePublishedWarning(t.database, t.tenant.id, {
        titleVi: texts[k].vi,
        descriptionVi: texts[k].vi,
        patterns: [texts[k].vi],
        ...over,
      })
    const cancelled = await made('cancelled')
    const closed = await made('closed')
    const expiring = await made('expired', { validUntil: new Date(now().getTime() + 3_600_000) })
    const draft = await makeDraftWarning(t.database, t.tenant.id, {
      titleVi: texts.draft.vi,
      descriptionVi: texts.draft.vi,
      patterns: [texts.draft.vi],
    })
    // In force, each is found (so the checks below can fail).
    await eventually(async () => expect(await slugsOf(texts.expired.q)).toContain(expiring.slug))
    expect(await slugsOf(texts.cancelled.q)).toContain(cancelled.slug)
    expect(await slugsOf(texts.closed.q)).toContain(closed.slug)
    expect(await slugsOf(texts.draft.vi)).not.toContain(draft.slug)
    await endWarning(cancelled.id, 'cancelled')
    await endWarning(closed.id, 'closed')
    await eventually(async () => expect(await slugsOf(texts.cancelled.q)).not.toContain(cancelled.slug))
    await eventually(async () => expect(await slugsOf(texts.closed.q)).not.toContain(closed.slug))
    advanceClock(2 * 3_600_000)
    expect(await slugsOf(texts.expired.q)).not.toContain(expiring.slug)
    // Over HTTP as well: none of them is on the page.
    const res = await postForm(PATH, { text: `${texts.cancelled.q}. ${texts.closed.q}. ${texts.expired.q}. ${texts.draft.vi}` })
    for (const w of [cancelled, closed, expiring, draft]) expect(res.body).not.toContain(`/canh-bao/${w.slug}"`)
  })

  it('shows a published verdict about a scam, with its label, and not a true one about something else', async () => {
    const scam = await publishVerdict(
      'Tin nhắn thông báo trúng thưởng xe máy SH từ chương trình tri ân khách hàng, yêu cầu nộp phí nhận thưởng qua chuyển khoản',
      { label: 'scam', headline: 'Tin nhắn trúng thưởng xe SH, đòi nộp phí nhận thưởng là lừa đảo' },
    )
    const unrelated = await publishVerdict('Tỉnh tổ chức lễ hội pháo hoa tại bãi biển Sầm Sơn vào tối 30/4 năm nay', {
      label: 'true',
      headline: 'Lễ hội pháo hoa Sầm Sơn tối 30/4 là có thật',
    })
    const q =
      'Chuc mung quy khach trung thuong xe may SH trong chuong trinh tri an khach hang, vui long nop phi nhan thuong qua chuyen khoan'
    await eventually(async () =>
      expect((await selfCheck(t.database.db, t.tenant.id, q)).verdicts[0]).toMatchObject({
        slug: scam.slug,
        label: 'scam',
        matchedBy: 'text',
      }),
    )
    const fireworks = await selfCheck(t.database.db, t.tenant.id, 'le hoi phao hoa tai bai bien Sam Son vao toi 30/4 nam nay')
    expect(fireworks.verdicts.map((v) => v.slug)).not.toContain(unrelated.slug)
    const res = await t.app.inject({ method: 'POST', url: API, payload: { text: q }, remoteAddress: '10.77.1.1' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.json().verdicts[0]).toMatchObject({ slug: scam.slug, label: 'scam', url: `http://donghanh.test/kiem-chung/${scam.slug}` })
    const page = await postForm(PATH, { text: q })
    expect(page.body).toContain(`href="/kiem-chung/${scam.slug}"`)
    expect(page.body).toContain('Lừa đảo')
  })
})

describe('privacy and reporting', () => {
  it('a check stores nothing anywhere (page and API)', async () => {
    const marker = `DauVetKiemTra${Date.now()}`
    const before = await countOf()
    const text = `${UNMARKED} ${marker} https://nop-phat-${marker.toLowerCase()}.com/pay?utm_source=zalo`
    const page = await postForm(PATH, { text })
    expect(page.statusCode).toBe(200)
    expect(page.headers['cache-control']).toBe('no-store')
    const api = await t.app.inject({ method: 'POST', url: API, payload: { text }, remoteAddress: '10.77.2.1' })
    expect(api.statusCode).toBe(200)
    expect(api.json().links[0].canonical).toBe(`https://nop-phat-${marker.toLowerCase()}.com/pay`)
    expect(await countOf()).toEqual(before)
    expect(await rowsHolding(marker)).toEqual([])
    expect(await rowsHolding(marker.toLowerCase())).toEqual([])
  })

  it('a report makes exactly one submission with a ticket, and an audit row without the text', async () => {
    const marker = `DauVetBaoCao${Date.now()}`
    const text = `${UNMARKED} ${marker}`
    const before = await countOf()
    const res = await postForm(`${PATH}/bao-cao`, { text })
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toContain('Đã gửi cho bộ phận kiểm chứng')
    const ticket = /<strong class="verify-code">([^<]+)<\/strong>/.exec(res.body)?.[1] as string
    expect(ticket).toBeTruthy()
    expect(res.body).toMatch(new RegExp(`href="/kiem-chung/phieu/${ticket}\\?k=[\\w-]+&amp;moi=1"`))
    const after = await countOf()
    expect(after.submissions).toBe(before.submissions + 1)
    expect(after.audit).toBe(before.audit + 1)
    const [sub] = await t.database.db.select().from(claimSubmissions).where(eq(claimSubmissions.ticket, ticket))
    expect(sub).toMatchObject({ channel: 'public', seenWhere: SELFCHECK_SEEN_WHERE })
    expect(sub?.text).toContain(marker)
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, t.tenant.id), eq(auditEvents.action, 'warning.selfcheck_reported')))
    const mine = audits.filter((a) => (a.summary as { ticket?: string }).ticket === ticket)
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({ subjectType: 'claim', subjectId: sub?.claimId, actorId: null })
    // Only the desk holds the text (the submission, and the new claim it opened): not the audit
    // log, nor anything else.
    expect((await rowsHolding(marker)).sort()).toEqual(['public.claim_submissions', 'public.claims'])
    // The ticket page of the desk knows it.
    const link = /href="(\/kiem-chung\/phieu\/[^"]+)"/.exec(res.body)?.[1]?.replaceAll('&amp;', '&') as string
    const ticketPage = await t.app.inject({ url: link, remoteAddress: '10.77.3.1' })
    expect(ticketPage.statusCode).toBe(200)
    expect(ticketPage.body).toContain(ticket)
  })

  it('a filled honeypot gets a normal-looking page and nothing is stored; a form without its token is refused', async () => {
    const before = await countOf()
    const res = await postForm(`${PATH}/bao-cao`, { text: UNMARKED, website: 'http://spam.example' }, '10.77.4.1')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Đã gửi cho bộ phận kiểm chứng')
    expect(await countOf()).toEqual(before)
    const noToken = form({ text: UNMARKED })
    const refused = await t.app.inject({
      method: 'POST',
      url: PATH,
      payload: noToken.payload,
      headers: noToken.headers,
      remoteAddress: '10.77.4.2',
    })
    expect(refused.statusCode).toBe(403)
  })
})

describe('bad input', () => {
  it('empty: 400 SELFCHECK_EMPTY, on the page and in the API', async () => {
    const page = await postForm(PATH, { text: '  \n ' }, '10.77.5.1')
    expect(page.statusCode).toBe(400)
    expect(page.body).toContain('Bạn chưa dán nội dung nào.')
    expect(page.body).toContain('Nothing was pasted.')
    const api = await t.app.inject({ method: 'POST', url: API, payload: { text: '' }, remoteAddress: '10.77.5.2' })
    expect(api.statusCode).toBe(400)
    expect(api.json().error).toMatchObject({ code: 'SELFCHECK_EMPTY', message: { vi: expect.stringContaining('Bạn chưa dán') } })
    // HTML with no words in it is empty too.
    const tags = await t.app.inject({ method: 'POST', url: API, payload: { text: '<p> </p><br>' }, remoteAddress: '10.77.5.2' })
    expect(tags.json().error.code).toBe('SELFCHECK_EMPTY')
    const report = await postForm(`${PATH}/bao-cao`, { text: '' }, '10.77.5.3')
    expect(report.statusCode).toBe(400)
  })

  it('too long: 413 SELFCHECK_TOO_LONG with the text kept; a 1 MB paste gets the same clear error', async () => {
    const long = `${UNMARKED} `.repeat(Math.ceil((SELFCHECK_MAX_CHARS + 10) / (UNMARKED.length + 1)))
    const page = await postForm(PATH, { text: long }, '10.77.6.1')
    expect(page.statusCode).toBe(413)
    expect(page.body).toContain('Nội dung quá dài: tối đa 20.000 ký tự')
    expect(page.body).toContain('The text is too long: at most 20,000 characters')
    expect(page.body).toContain(UNMARKED.slice(0, 40))
    // 1 MB of Vietnamese: over the body limit once form-encoded; no text can be kept.
    const mb = 'Phạt nguội ạ '.repeat(Math.ceil(1_048_576 / 13))
    const big = await postForm(PATH, { text: mb }, '10.77.6.2')
    expect(big.statusCode).toBe(413)
    expect(big.body).toContain('Nội dung quá dài (hơn 2 MB) nên không đọc được')
    const apiBig = await t.app.inject({ method: 'POST', url: API, payload: { text: mb }, remoteAddress: '10.77.6.3' })
    expect(apiBig.statusCode).toBe(413)
    expect(apiBig.json().error).toMatchObject({
      code: 'SELFCHECK_TOO_LONG',
      message: { vi: 'Nội dung quá dài: tối đa 20000 ký tự. Hãy chỉ giữ lại phần tin nhắn đáng ngờ.' },
    })
    // 1 MB of plain ASCII is read, then refused by its length.
    const ascii = await t.app.inject({ method: 'POST', url: API, payload: { text: 'a'.repeat(1_048_576) }, remoteAddress: '10.77.6.3' })
    expect(ascii.statusCode).toBe(413)
    expect(ascii.json().error.code).toBe('SELFCHECK_TOO_LONG')
    const report = await postForm(`${PATH}/bao-cao`, { text: long }, '10.77.6.4')
    expect(report.statusCode).toBe(413)
  })

  it('pasted HTML is read as text with its links, and shown escaped, never executed', async () => {
    await makePublishedWarning(t.database, t.tenant.id, {
      titleVi: 'Trang giả mạo nộp phạt giao thông',
      descriptionVi: 'Trang web giả mạo để nộp phạt vi phạm giao thông.',
      patterns: ['trang nộp phạt giả mạo'],
      links: ['https://nop-phat-csgt.vn/'],
    })
    const html =
      '<p>Tôi là <b>cán bộ công an</b> &amp; bạn có biên bản phạt nguội</p><script>alert("xss")</script>' +
      '<a href="https://NOP-PHAT-CSGT.vn/thanh-toan?fbclid=abc&amp;utm_medium=sms">bấm vào đây để nộp phạt</a>'
    const r = await eventually(async () => {
      const found = await selfCheck(t.database.db, t.tenant.id, html)
      expect(found.links[0]?.known).toBe(true)
      return found
    })
    expect(r.links).toEqual([
      {
        url: 'https://NOP-PHAT-CSGT.vn/thanh-toan?fbclid=abc&utm_medium=sms',
        canonical: 'https://nop-phat-csgt.vn/thanh-toan',
        known: true,
      },
    ])
    const page = await postForm(PATH, { text: html }, '10.77.7.1')
    expect(page.statusCode).toBe(200)
    expect(page.body).not.toContain('<script>alert("xss")</script>')
    expect(page.body).toContain('&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt;')
    expect(page.body).toContain('Có trong cảnh báo lừa đảo')
    expect(page.body).toContain('Tin nhắn này có phải lừa đảo?')
    // The scam link is shown as text, never as a link to follow.
    expect(page.body).not.toContain('href="https://NOP-PHAT-CSGT.vn')
  })

  it('the API is documented in OpenAPI', async () => {
    const doc = await t.app.inject({ url: '/docs/json' })
    expect(doc.statusCode).toBe(200)
    const op = doc.json().paths['/api/v1/warnings/self-check']?.post
    expect(op?.summary).toBe('Tin nhắn này có phải lừa đảo? / is this message a scam?')
    expect(op?.requestBody?.content?.['application/json']?.schema?.required).toEqual(['text'])
  })

  it('the API is rate-limited per address', async () => {
    let last = 0
    for (let i = 0; i < 31; i++) {
      const res = await t.app.inject({ method: 'POST', url: API, payload: { text: 'xin chao' }, remoteAddress: '10.77.8.1' })
      last = res.statusCode
    }
    expect(last).toBe(429)
  })
})

/** The self-check form sent as a browser sends it with a screenshot (multipart). */
async function postImage(fields: Record<string, string>, files: FilePart[], ip: string) {
  const f = await openForm(ip)
  const body = multipartForm({ _csrf: f.csrf, ...fields }, files)
  return t.app.inject({
    method: 'POST',
    url: PATH,
    payload: body.payload,
    headers: { ...body.headers, cookie: f.cookie },
    remoteAddress: ip,
  })
}
const png = (data: Buffer, filename = 'anh-chup.png'): FilePart => ({ filename, type: 'image/png', data })

/** A scam message in other words than the warning's, as a post (author, time and buttons around it). */
const SCAM_POST = 'Tôi là cán bộ công an, chị có biên bản phạt nguội. Bấm vào đường link này để nộp phạt.'

describe('a screenshot instead of a text', () => {
  it('finds the scam warning from a screenshot, shows the text read with its confidence, and stores nothing', async () => {
    const w = await makePublishedWarning(t.database, t.tenant.id)
    await eventually(async () => expect(await slugsOf(SCAM_POST)).toContain(w.slug))
    // The screenshot's author, time and buttons are paragraphs of their own: the message is
    // matched on its own as well (a chat pasted whole is read the same way).
    expect(await slugsOf(`Nguyễn Thị Hương\n2 giờ\n\n${SCAM_POST}\n\nThích Bình luận Chia sẻ`)).toContain(w.slug)
    const shot = await renderScreenshot(SCAM_POST, { layout: 'post', theme: 'light', density: 2, format: 'png' })
    const before = await settledRowCounts(t.database.pool)
    const res = await postImage({ text: '' }, [png(shot.image)], '10.78.0.1')
    expect(res.statusCode).toBe(200)
    expect(res.headers['cache-control']).toBe('no-store')
    expect(res.body).toMatch(/Văn bản đọc được từ ảnh \(độ tin cậy \d{1,3} %\)/)
    expect(res.body).toContain(`href="/canh-bao/${w.slug}"`)
    // The text read is in the form, to correct and check again as a text.
    const box = (/<textarea name="text"[^>]*>([\s\S]*?)<\/textarea>/.exec(res.body)?.[1] ?? '').replace(/\s+/g, ' ')
    expect(box).toContain('biên bản phạt nguội')
    expect(box).toContain('Nguyễn Thị Hương')
    // Nothing was written anywhere by the check (the image is read in memory only).
    expect(await rowCounts(t.database.pool)).toEqual(before)
    // Typed text and image together: the text read follows what was typed.
    const both = await postImage({ text: 'Ai biết số này không: 0912 345 678' }, [png(shot.image)], '10.78.0.2')
    expect(both.statusCode).toBe(200)
    const together = (/<textarea name="text"[^>]*>([\s\S]*?)<\/textarea>/.exec(both.body)?.[1] ?? '').replace(/\s+/g, ' ')
    expect(together.indexOf('Ai biết số này không')).toBe(0)
    expect(together.indexOf('biên bản phạt nguội')).toBeGreaterThan(0)
    expect(both.body).toContain(`href="/canh-bao/${w.slug}"`)
    // The report form carries the whole text, should the citizen send it to the desk.
    expect(both.body).toMatch(/<input type="hidden" name="text" value="Ai biết số này không[^"]*Bấm vào đường link/)
  })

  it('an animated image: its first frame is read, and the page says so', async () => {
    const shot = await renderScreenshot(SCAM_POST, { layout: 'post', theme: 'light', density: 2, format: 'png' })
    const res = await postImage({}, [{ filename: 'dong.webp', type: 'image/webp', data: await animatedWebp(shot.image, 2) }], '10.78.1.1')
    expect(res.statusCode).toBe(200)
    expect(res.body).toContain('Ảnh động: chỉ đọc khung hình đầu tiên (2 khung hình).')
    expect(res.body).toContain('cán bộ công an')
  })

  it('bad images: a clear reason in both languages, the typed text kept, nothing stored', async () => {
    const shot = await renderScreenshot(SCAM_POST, { layout: 'chat', theme: 'dark', density: 1, format: 'png' })
    const typed = 'Tin nhắn lạ gửi tối qua'
    const before = await settledRowCounts(t.database.pool)
    const cases: Array<[string, FilePart, number, string, string]> = [
      [
        'not an image',
        png(Buffer.from('<html><body>không phải ảnh</body></html>')),
        400,
        'tệp không phải là ảnh',
        'the file is not an image',
      ],
      [
        'truncated',
        png(shot.image.subarray(0, Math.floor(shot.image.length / 2))),
        400,
        'ảnh bị hỏng hoặc không trọn vẹn',
        'the image is damaged or incomplete',
      ],
      [
        'over 16 MP',
        png(await blankPng(5000, 4000)),
        413,
        'ảnh quá lớn (tối đa 16 megapixel)',
        'the image is too large (16 megapixels at most)',
      ],
      ['tiny', png(await blankPng(12, 12)), 400, 'ảnh quá nhỏ để có chữ', 'the image is too small to hold text'],
      [
        'over 10 MB',
        png(Buffer.alloc(10 * 1024 * 1024 + 1, 7)),
        413,
        'tệp quá lớn (tối đa 10 MB)',
        'the file is too large (10 MB at most)',
      ],
    ]
    for (const [i, [name, file, status, vi, en]] of cases.entries()) {
      const res = await postImage({ text: typed }, [file], `10.78.2.${i + 1}`)
      expect(res.statusCode, name).toBe(status)
      expect(res.body, name).toContain(`Không đọc được ảnh: ${vi}.`)
      expect(res.body, name).toContain(`The image could not be read: ${en}.`)
      expect(res.body, name).toContain(`${typed}</textarea>`)
    }
    // Two images: one at a time.
    const two = await postImage({ text: typed }, [png(shot.image), png(shot.image)], '10.78.2.9')
    expect(two.statusCode).toBe(400)
    expect(two.body).toContain('mỗi lần chỉ gửi được một ảnh')
    expect(await rowCounts(t.database.pool)).toEqual(before)
  })

  it('busy: a 503 in both languages when the reader stays taken, the text kept', async () => {
    const release = await holdOcrGateForTests()
    try {
      const shot = await renderScreenshot('Một tin nhắn ngắn.', { layout: 'chat', theme: 'light', density: 1, format: 'png' })
      const res = await postImage({ text: 'giữ lại' }, [png(shot.image)], '10.78.3.1')
      expect(res.statusCode).toBe(503)
      expect(res.headers['retry-after']).toBeTruthy()
      expect(res.body).toContain('Bộ đọc chữ trong ảnh đang bận.')
      expect(res.body).toContain('The image reader is busy.')
      expect(res.body).toContain('giữ lại</textarea>')
    } finally {
      release()
    }
  })

  it('images are limited per address more tightly than texts: the 11th in 10 minutes gets a 429', async () => {
    const notImage = png(Buffer.from('not an image'))
    const statuses: number[] = []
    for (let i = 0; i < 11; i++) statuses.push((await postImage({ text: 'x' }, [notImage], '10.78.4.1')).statusCode)
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(400))
    expect(statuses[10]).toBe(429)
    const last = await postImage({ text: 'vẫn còn đây' }, [notImage], '10.78.4.1')
    expect(last.statusCode).toBe(429)
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0)
    expect(last.body).toContain('Bạn đã gửi quá nhiều ảnh trong thời gian ngắn.')
    expect(last.body).toContain('You have sent too many images in a short time.')
    expect(last.body).toContain('vẫn còn đây</textarea>')
    // A text alone from the same address is still checked.
    const text = await postImage({ text: UNMARKED }, [], '10.78.4.1')
    expect(text.statusCode).toBe(200)
  })
})
