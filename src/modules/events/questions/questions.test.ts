/**
 * Live questions on a real database over real HTTP: partners ask from the portal inside the
 * window (and only then, only for their own event), over-long and huge posts, the flood limits
 * (also under parallel posts), moderation with its audit rows and merge rules, the live stream
 * read over a real connection, the Q&A summary as a draft release, and the officer's limits.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { randomUUID } from 'node:crypto'
import { and, eq } from 'drizzle-orm'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type MadePartner, makePartner } from '../../../../test/support/partners.ts'
import { createTestApp, form, type Login, loginAs, makeUser, type TestApp } from '../../../../test/support/app.ts'
import { auditEvents } from '../../../platform/audit/audit.tables.ts'
import { freezeClock, now, resetClock } from '../../../platform/clock.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { releaseEditions, releases } from '../../releases/releases.tables.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { eventInvitations, eventQuestions, events, eventSpeakers } from '../events.tables.ts'

let t: TestApp
let editor: Login
let officer: Login
const MIN = 60_000
const HTML = { accept: 'text/html' }

beforeAll(async () => {
  t = await createTestApp()
  editor = await loginAs(t, await makeUser(t, { role: 'editor' }))
  officer = await loginAs(t, await makeUser(t, { role: 'officer' }))
})
afterAll(async () => {
  await t?.close()
})
afterEach(() => resetClock())

/** A partner of a named outlet. */
async function partnerOf(outlet: string, name: string): Promise<MadePartner> {
  const p = await makePartner(t, { name })
  const [o] = await t.database.db.insert(pressOutlets).values({ tenantId: t.tenant.id, name: outlet, kind: 'newspaper' }).returning()
  await t.database.db.update(partners).set({ outletId: o?.id }).where(eq(partners.id, p.partner.id))
  return p
}

/** An announced event starting `startsInMin` minutes from now (1 h long), each partner invited with `state`. */
async function makeEvent(guests: { p: MadePartner; state?: 'yes' | 'maybe' | 'no' | 'invited' }[], startsInMin = -10) {
  const startsAt = new Date(now().getTime() + startsInMin * MIN)
  const [ev] = await t.database.db
    .insert(events)
    .values({
      tenantId: t.tenant.id,
      kind: 'regular_press_conference',
      title: 'Họp báo thông tin kết quả chuyên án ma tuý',
      startsAt,
      endsAt: new Date(startsAt.getTime() + 60 * MIN),
      place: 'Hội trường Công an tỉnh, 15 Hạc Thành',
      state: 'announced',
      announcedAt: now(),
      icalUid: `${randomUUID()}@donghanh.test`,
    })
    .returning()
  if (!ev) throw new Error('no event')
  for (const g of guests) {
    await t.database.db
      .insert(eventInvitations)
      .values({ tenantId: t.tenant.id, eventId: ev.id, partnerId: g.p.partner.id, state: g.state ?? 'yes' })
  }
  return ev
}

async function ask(p: MadePartner, eventId: string, body: string, headers: Record<string, string> = HTML) {
  const f = form({ body })
  return t.app.inject({
    method: 'POST',
    url: `/doi-tac/su-kien/${eventId}/cau-hoi`,
    headers: { ...p.login.headers, ...f.headers, ...headers },
    payload: f.payload,
  })
}

async function moderate(who: Login, eventId: string, qid: string, step: string, fields: Record<string, string> = {}) {
  const f = form(fields)
  return t.app.inject({
    method: 'POST',
    url: `/console/su-kien/${eventId}/cau-hoi/${qid}/${step}`,
    headers: { ...who.headers, ...f.headers, ...HTML },
    payload: f.payload,
  })
}

async function questionsOf(eventId: string) {
  return t.database.db.select().from(eventQuestions).where(eq(eventQuestions.eventId, eventId)).orderBy(eventQuestions.createdAt)
}

/** Inserts a question directly (moderation tests need several, without the flood limit). */
async function seedQuestion(eventId: string, p: MadePartner, body: string, at = now()) {
  const [q] = await t.database.db
    .insert(eventQuestions)
    .values({ tenantId: t.tenant.id, eventId, partnerId: p.partner.id, body, createdAt: at })
    .returning()
  if (!q) throw new Error('no question')
  return q
}

async function auditsOf(subjectId: string, action: string) {
  return t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.subjectId, subjectId), eq(auditEvents.action, action)))
}

describe('asking from the portal', () => {
  it('an attendee asks inside the window; the text is normalised, audited and shown with its state', async () => {
    const a = await partnerOf('Báo Thanh Hoá', 'Lê Thị Thu Hà')
    const ev = await makeEvent([{ p: a }])
    const page = await t.app.inject({ url: `/doi-tac/su-kien/${ev.id}`, headers: { ...a.login.headers, ...HTML } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('id="question-form"')
    expect(page.body).toContain('name="body"')

    // Decomposed "ố" (o + U+0302 + U+0301), a control character and surrounding spaces.
    const typed = '  Xin cho biê\u0301t so\u0302\u0301 đối tượng\u0007 bị bắt?  '
    const res = await ask(a, ev.id, typed)
    expect(res.statusCode).toBe(303)
    expect(res.headers.location).toBe(`/doi-tac/su-kien/${ev.id}#questions`)
    const [q] = await questionsOf(ev.id)
    expect(q?.body).toBe('Xin cho biết số đối tượng bị bắt?')
    expect(q?.state).toBe('pending')
    expect(q?.partnerId).toBe(a.partner.id)
    expect(await auditsOf(q?.id as string, 'event.question_asked')).toHaveLength(1)

    const after = await t.app.inject({ url: `/doi-tac/su-kien/${ev.id}`, headers: { ...a.login.headers, ...HTML } })
    expect(after.body).toContain('Xin cho biết số đối tượng bị bắt?')
    expect(after.body).toMatch(/data-state="pending"[^>]*>\s*<span[^>]*>Chờ duyệt/)
  })

  it('outside the window the page says when questions open and a post is refused', async () => {
    const a = await partnerOf('Báo Nhân Dân', 'Phạm Văn Nam')
    const ev = await makeEvent([{ p: a }], 120)
    const page = await t.app.inject({ url: `/doi-tac/su-kien/${ev.id}`, headers: { ...a.login.headers, ...HTML } })
    expect(page.body).not.toContain('id="question-form"')
    expect(page.body).toContain('data-phase="before"')
    expect(page.body).toContain('Bạn có thể gửi câu hỏi từ')
    const res = await ask(a, ev.id, 'Câu hỏi gửi quá sớm')
    expect(res.statusCode).toBe(409)
    expect(res.body).toContain('Hiện chưa nhận câu hỏi')
    expect(res.body).toContain('Questions are not being taken now')
    expect(await questionsOf(ev.id)).toHaveLength(0)
    // More than 30 minutes after the end it is closed again (the clock is not moved: sessions would expire).
    const past = await makeEvent([{ p: a }], -120)
    expect((await ask(a, past.id, 'Câu hỏi gửi quá muộn')).statusCode).toBe(409)
    const pastPage = await t.app.inject({ url: `/doi-tac/su-kien/${past.id}`, headers: { ...a.login.headers, ...HTML } })
    expect(pastPage.body).toContain('data-phase="after"')
    // 29 minutes before the start, questions are open.
    const soon = await makeEvent([{ p: a }], 29)
    expect((await ask(a, soon.id, 'Câu hỏi vừa kịp lúc')).statusCode).toBe(303)
    expect((await questionsOf(soon.id)).map((q) => q.body)).toEqual(['Câu hỏi vừa kịp lúc'])
  })

  it("another partner's event answers 404, and a partner who declined may not ask", async () => {
    const a = await partnerOf('Báo Tuổi Trẻ', 'Ngô Thị Lan')
    const b = await partnerOf('Báo Lao Động', 'Đỗ Văn Hùng')
    const c = await partnerOf('Báo Dân Trí', 'Vũ Thị Mai')
    const ev = await makeEvent([{ p: a }, { p: c, state: 'no' }])
    expect((await ask(b, ev.id, 'Tôi không được mời')).statusCode).toBe(404)
    expect((await ask(b, randomUUID(), 'Sự kiện không tồn tại')).statusCode).toBe(404)
    const declined = await ask(c, ev.id, 'Tôi đã từ chối tham dự')
    expect(declined.statusCode).toBe(403)
    expect(declined.body).toContain('Chỉ người đã xác nhận tham dự')
    expect(await questionsOf(ev.id)).toHaveLength(0)
  })

  it('too short → 400 and too long (2,001 characters) → 413, the text kept in the form, nothing stored', async () => {
    const a = await partnerOf('Báo Công an nhân dân', 'Trịnh Văn Tú')
    const ev = await makeEvent([{ p: a }])
    const short = await ask(a, ev.id, ' ạ ')
    expect(short.statusCode).toBe(400)
    expect(short.body).toContain('Câu hỏi cần từ 3 đến 2000 ký tự.')
    expect(short.body).toContain('A question needs 3 to 2000 characters.')

    const long = `Đề nghị cơ quan công an cho biết ${'ư'.repeat(2001 - 33)}`
    expect([...long].length).toBe(2001)
    const res = await ask(a, ev.id, long)
    expect(res.statusCode).toBe(413)
    expect(res.body).toContain('Câu hỏi quá dài: tối đa 2000 ký tự')
    expect(res.body).toContain('The question is too long: at most 2000 characters')
    // The whole text is back in the textarea, not cut.
    expect(res.body).toMatch(new RegExp(`<textarea[^>]*name="body"[^>]*>${long}</textarea>`))
    expect(res.body).toContain('2.001 ký tự')
    expect(await questionsOf(ev.id)).toHaveLength(0)
  })

  it('a 1 MB post gets a quick bilingual 413 page (and JSON clients the JSON error)', async () => {
    const a = await partnerOf('Báo Văn hoá', 'Lý Thị Hằng')
    const ev = await makeEvent([{ p: a }])
    const started = Date.now()
    const res = await ask(a, ev.id, 'x'.repeat(1024 * 1024))
    expect(Date.now() - started).toBeLessThan(3000)
    expect(res.statusCode).toBe(413)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.body).toContain('Câu hỏi quá dài: tối đa 2000 ký tự')
    expect(res.body).toContain('The question is too long: at most 2000 characters')
    expect(res.body).toContain('Quay lại trên trình duyệt')
    const json = await ask(a, ev.id, 'x'.repeat(1024 * 1024), { accept: 'application/json' })
    expect(json.statusCode).toBe(413)
    expect(json.json().error.code).toBe('PAYLOAD_TOO_LARGE')
    expect(await questionsOf(ev.id)).toHaveLength(0)
  })

  it('the sixth question in 10 minutes → 429 with when to ask again; later it is taken', async () => {
    const a = await partnerOf('Báo Pháp luật', 'Hoàng Văn Minh')
    const ev = await makeEvent([{ p: a }])
    const start = now()
    freezeClock(start)
    for (let i = 1; i <= 5; i++) expect((await ask(a, ev.id, `Câu hỏi số ${i} về chuyên án`)).statusCode).toBe(303)
    freezeClock(new Date(start.getTime() + 2 * MIN))
    const sixth = await ask(a, ev.id, 'Câu hỏi số 6 về chuyên án')
    expect(sixth.statusCode).toBe(429)
    expect(sixth.headers['retry-after']).toBe(String(8 * 60))
    expect(sixth.body).toContain('Bạn đã gửi 5 câu hỏi trong vòng 10 phút')
    expect(sixth.body).toContain('You have sent 5 questions within 10 minutes')
    // The refused text stays in the form.
    expect(sixth.body).toContain('Câu hỏi số 6 về chuyên án</textarea>')
    freezeClock(new Date(start.getTime() + 10 * MIN + 1000))
    expect((await ask(a, ev.id, 'Câu hỏi số 6 về chuyên án')).statusCode).toBe(303)
    expect(await questionsOf(ev.id)).toHaveLength(6)
  })

  it('parallel posts cannot pass the limit, nor the 30 per event', async () => {
    const a = await partnerOf('Báo Giao thông', 'Cao Thị Yến')
    const ev = await makeEvent([{ p: a }])
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => ask(a, ev.id, `Câu hỏi song song số ${i}`)))
    const codes = results.map((r) => r.statusCode).sort()
    expect(codes.filter((c) => c === 303)).toHaveLength(5)
    expect(codes.filter((c) => c === 429)).toHaveLength(7)
    expect(await questionsOf(ev.id)).toHaveLength(5)

    // 30 per event: the older ones fall outside the 10 minutes, the event's count still holds.
    const b = await partnerOf('Báo Đời sống', 'Mai Văn Phúc')
    const ev2 = await makeEvent([{ p: b }])
    for (let i = 0; i < 30; i++) await seedQuestion(ev2.id, b, `Câu hỏi cũ số ${i}`, new Date(now().getTime() - 60 * MIN))
    const res = await ask(b, ev2.id, 'Câu hỏi thứ 31')
    expect(res.statusCode).toBe(429)
    expect(res.body).toContain('tối đa 30 câu hỏi cho một sự kiện')
  })
})

describe('moderation', () => {
  it('approve, mark answered with a note, reject: each audited with from/to; illegal moves refused', async () => {
    const a = await partnerOf('Báo Thanh Niên', 'Đinh Văn Khang')
    const ev = await makeEvent([{ p: a }])
    const q1 = await seedQuestion(ev.id, a, 'Số tang vật thu giữ là bao nhiêu?')
    const q2 = await seedQuestion(ev.id, a, 'Đối tượng cầm đầu là ai?')
    const q3 = await seedQuestion(ev.id, a, 'Câu hỏi không liên quan')

    const queue = await t.app.inject({ url: `/console/su-kien/${ev.id}/cau-hoi`, headers: { ...editor.headers, ...HTML } })
    expect(queue.statusCode).toBe(200)
    expect(queue.body).toContain(`data-question-id="${q1.id}"`)
    expect(queue.body).toContain('Đinh Văn Khang')
    expect(queue.body).toContain('Báo Thanh Niên')
    expect(queue.body).toContain('data-action="approve"')

    const ok = await moderate(editor, ev.id, q1.id, 'duyet')
    expect(ok.statusCode).toBe(303)
    expect(ok.headers.location).toBe(`/console/su-kien/${ev.id}/cau-hoi?done=approve#q-${q1.id}`)
    const again = await moderate(editor, ev.id, q1.id, 'duyet')
    expect(again.statusCode).toBe(409)
    expect(again.body).toContain('Trạng thái hiện tại của câu hỏi không cho phép thao tác này')
    expect((await moderate(editor, ev.id, q1.id, 'da-tra-loi', { note: 'Thu giữ 12 bánh heroin.' })).statusCode).toBe(303)
    // Answered straight from pending.
    expect((await moderate(editor, ev.id, q2.id, 'da-tra-loi')).statusCode).toBe(303)
    expect((await moderate(editor, ev.id, q3.id, 'tu-choi')).statusCode).toBe(303)
    expect((await moderate(editor, ev.id, q3.id, 'da-tra-loi')).statusCode).toBe(409)
    expect((await moderate(editor, ev.id, randomUUID(), 'duyet')).statusCode).toBe(404)

    const rows = await questionsOf(ev.id)
    const byId = new Map(rows.map((r) => [r.id, r]))
    expect(byId.get(q1.id)).toMatchObject({ state: 'answered', answerNote: 'Thu giữ 12 bánh heroin.' })
    expect(byId.get(q1.id)?.answeredAt).toBeInstanceOf(Date)
    expect(byId.get(q2.id)).toMatchObject({ state: 'answered', answerNote: null })
    expect(byId.get(q3.id)?.state).toBe('rejected')
    const audits = (await auditsOf(q1.id, 'event.question_moderated')).map((r) => r.summary as { from: string; to: string })
    expect(audits.map((s) => `${s.from}>${s.to}`)).toEqual(['pending>approved', 'approved>answered'])
    expect((await auditsOf(q3.id, 'event.question_moderated')).map((r) => (r.summary as { to: string }).to)).toEqual(['rejected'])
  })

  it('merge only into a non-merged question of the same event; the target shows "+N câu tương tự"', async () => {
    const a = await partnerOf('Báo Nông nghiệp', 'Tạ Văn Lực')
    const b = await partnerOf('Báo Sức khoẻ', 'Kiều Thị Nga')
    const ev = await makeEvent([{ p: a }, { p: b }])
    const other = await makeEvent([{ p: a }])
    const target = await seedQuestion(ev.id, a, 'Có bao nhiêu đối tượng bị bắt?')
    const dup = await seedQuestion(ev.id, b, 'Bao nhiêu người đã bị bắt giữ?')
    const dup2 = await seedQuestion(ev.id, b, 'Số người bị bắt là bao nhiêu?')
    const elsewhere = await seedQuestion(other.id, a, 'Câu hỏi của sự kiện khác')

    expect((await moderate(editor, ev.id, dup.id, 'gop', { target: dup.id })).statusCode).toBe(409)
    const cross = await moderate(editor, ev.id, dup.id, 'gop', { target: elsewhere.id })
    expect(cross.statusCode).toBe(409)
    expect(cross.body).toContain('Chỉ gộp được vào một câu hỏi khác của cùng sự kiện')
    expect((await moderate(editor, ev.id, dup.id, 'gop', {})).statusCode).toBe(409)

    expect((await moderate(editor, ev.id, dup.id, 'gop', { target: target.id })).statusCode).toBe(303)
    // Into a merged one: refused.
    expect((await moderate(editor, ev.id, dup2.id, 'gop', { target: dup.id })).statusCode).toBe(409)
    // The target merged in turn into dup2: its merged question follows (no chain).
    expect((await moderate(editor, ev.id, target.id, 'gop', { target: dup2.id })).statusCode).toBe(303)
    const rows = new Map((await questionsOf(ev.id)).map((r) => [r.id, r]))
    expect(rows.get(dup.id)).toMatchObject({ state: 'merged', mergedInto: dup2.id })
    expect(rows.get(target.id)).toMatchObject({ state: 'merged', mergedInto: dup2.id })
    const audit = (await auditsOf(dup.id, 'event.question_moderated'))[0]?.summary
    expect(audit).toMatchObject({ from: 'pending', to: 'merged', mergedInto: target.id })

    const queue = await t.app.inject({ url: `/console/su-kien/${ev.id}/cau-hoi`, headers: { ...editor.headers, ...HTML } })
    expect(queue.body).toContain('+2 câu tương tự')
  })

  it('an officer sees the queue without actions and cannot act or summarise', async () => {
    const a = await partnerOf('Báo Biên phòng', 'Hà Văn Sơn')
    const ev = await makeEvent([{ p: a }])
    const q = await seedQuestion(ev.id, a, 'Câu hỏi cho người phát ngôn')
    const page = await t.app.inject({ url: `/console/su-kien/${ev.id}/cau-hoi`, headers: { ...officer.headers, ...HTML } })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain(`data-question-id="${q.id}"`)
    expect(page.body).not.toContain('data-action="approve"')
    expect((await moderate(officer, ev.id, q.id, 'duyet')).statusCode).toBe(403)
    const sum = await t.app.inject({
      method: 'POST',
      url: `/console/su-kien/${ev.id}/cau-hoi/tong-hop`,
      headers: { ...officer.headers, ...form({}).headers, ...HTML },
      payload: '',
    })
    expect(sum.statusCode).toBe(403)
    expect((await questionsOf(ev.id))[0]?.state).toBe('pending')
    // Signed out: no queue, no stream.
    expect((await t.app.inject({ url: `/console/su-kien/${ev.id}/cau-hoi/luong`, headers: HTML })).statusCode).not.toBe(200)
    // A partner is not staff.
    expect((await t.app.inject({ url: `/console/su-kien/${ev.id}/cau-hoi`, headers: { ...a.login.headers, ...HTML } })).statusCode).toBe(
      403,
    )
  })
})

describe('live queue (server-sent events over a real connection)', () => {
  it('sends the queue on connect and again after a new question and a moderation', async () => {
    const a = await partnerOf('Báo Tiền Phong', 'Lương Văn Tài')
    const ev = await makeEvent([{ p: a }])
    const first = await seedQuestion(ev.id, a, 'Câu hỏi đầu tiên', new Date(now().getTime() - MIN))
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as AddressInfo
    type Msg = { counts: Record<string, number>; items: { id: string; state: string; body: string; partnerName: string; outlet: string }[] }
    const got: Msg[] = []
    let waiter: (() => void) | null = null
    let contentType = ''
    const req = http.get(
      {
        host: '127.0.0.1',
        port,
        path: `/console/su-kien/${ev.id}/cau-hoi/luong`,
        headers: { cookie: officer.cookie, accept: 'text/event-stream' },
      },
      (res) => {
        contentType = String(res.headers['content-type'])
        let buf = ''
        res.setEncoding('utf8')
        res.on('data', (chunk: string) => {
          buf += chunk
          let i = buf.indexOf('\n\n')
          while (i >= 0) {
            const data = buf
              .slice(0, i)
              .split('\n')
              .filter((l) => l.startsWith('data: '))
              .map((l) => l.slice(6))
              .join('\n')
            buf = buf.slice(i + 2)
            if (data) {
              got.push(JSON.parse(data))
              waiter?.()
            }
            i = buf.indexOf('\n\n')
          }
        })
      },
    )
    const next = (n: number) =>
      new Promise<void>((resolve, reject) => {
        if (got.length >= n) return resolve()
        const timer = setTimeout(() => reject(new Error(`no event ${n} within 10 s`)), 10_000)
        waiter = () => {
          if (got.length >= n) {
            clearTimeout(timer)
            resolve()
          }
        }
      })
    try {
      await next(1)
      expect(contentType).toContain('text/event-stream')
      expect(got[0]?.items.map((q) => q.id)).toEqual([first.id])
      expect(got[0]?.items[0]).toMatchObject({ state: 'pending', partnerName: 'Lương Văn Tài', outlet: 'Báo Tiền Phong' })
      expect((await ask(a, ev.id, 'Câu hỏi mới trong lúc họp')).statusCode).toBe(303)
      await next(2)
      // Newest pending first.
      expect(got[1]?.items.map((q) => q.body)).toEqual(['Câu hỏi mới trong lúc họp', 'Câu hỏi đầu tiên'])
      expect(got[1]?.counts.pending).toBe(2)
      expect((await moderate(editor, ev.id, first.id, 'duyet')).statusCode).toBe(303)
      await next(3)
      expect(got[2]?.counts).toMatchObject({ pending: 1, approved: 1 })
      expect(got[2]?.items.find((q) => q.id === first.id)?.state).toBe('approved')
    } finally {
      req.destroy()
    }
  })
})

describe('Q&A summary', () => {
  it('makes a draft release of the answered questions (outlet, not name), once', async () => {
    const a = await partnerOf('Báo Thanh Hoá', 'Nguyễn Thị Bích Ngọc')
    const b = await partnerOf('Đài Phát thanh và Truyền hình Thanh Hoá', 'Trần Quốc Bảo')
    const ev = await makeEvent([{ p: a }, { p: b }])
    const [sp] = await t.database.db
      .insert(spokespersons)
      .values({
        tenantId: t.tenant.id,
        name: 'Đại tá Lê Văn Thành',
        title: 'Phó Giám đốc',
        phone: '0237000000',
        email: 'pgd@congan.example.vn',
      })
      .returning()
    await t.database.db.insert(eventSpeakers).values({ tenantId: t.tenant.id, eventId: ev.id, spokespersonId: sp?.id as string })

    const sum = () =>
      t.app.inject({
        method: 'POST',
        url: `/console/su-kien/${ev.id}/cau-hoi/tong-hop`,
        headers: { ...editor.headers, ...form({}).headers, ...HTML },
        payload: '',
      })
    const q1 = await seedQuestion(ev.id, a, 'Chuyên án được phá vào thời điểm nào?')
    const q2 = await seedQuestion(ev.id, b, 'Bao giờ chuyên án kết thúc?')
    const q3 = await seedQuestion(ev.id, b, 'Câu hỏi chưa được trả lời')
    const none = await sum()
    expect(none.statusCode).toBe(409)
    expect(none.body).toContain('Chưa có câu hỏi nào được đánh dấu đã trả lời')

    expect((await moderate(editor, ev.id, q1.id, 'da-tra-loi', { note: 'Ngày 12 tháng 3, tại xã Quảng Phú.' })).statusCode).toBe(303)
    expect((await moderate(editor, ev.id, q2.id, 'gop', { target: q1.id })).statusCode).toBe(303)
    const res = await sum()
    expect(res.statusCode).toBe(303)
    const releaseId = /\/console\/releases\/([0-9a-f-]{36})$/.exec(res.headers.location as string)?.[1] as string
    expect(releaseId).toBeTruthy()
    const [rel] = await t.database.db.select().from(releases).where(eq(releases.id, releaseId))
    expect(rel?.status).toBe('draft')
    expect(rel?.spokespersonId).toBe(sp?.id)
    const [ed] = await t.database.db.select().from(releaseEditions).where(eq(releaseEditions.releaseId, releaseId))
    expect(ed?.title).toBe('Hỏi – đáp tại Họp báo thông tin kết quả chuyên án ma tuý')
    expect(ed?.bodyMd).toContain('Hội trường Công an tỉnh, 15 Hạc Thành')
    expect(ed?.bodyMd).toContain('Đại tá Lê Văn Thành')
    expect(ed?.bodyMd).toContain('Chuyên án được phá vào thời điểm nào?')
    expect(ed?.bodyMd).toContain('Ngày 12 tháng 3, tại xã Quảng Phú.')
    expect(ed?.bodyMd).toContain('Báo Thanh Hoá')
    expect(ed?.bodyMd).toContain('cùng 1 câu hỏi tương tự')
    expect(ed?.bodyMd).not.toContain('Nguyễn Thị Bích Ngọc')
    expect(ed?.bodyMd).not.toContain('Trần Quốc Bảo')
    expect(ed?.bodyMd).not.toContain(q3.body)
    const [evRow] = await t.database.db.select().from(events).where(eq(events.id, ev.id))
    expect(evRow?.qaReleaseId).toBe(releaseId)
    expect((await auditsOf(ev.id, 'event.qa_published'))[0]?.summary).toMatchObject({ releaseId, answered: 1, merged: 1 })
    expect(await auditsOf(releaseId, 'release.created')).toHaveLength(1)

    // A second summary is refused; the page links the first.
    const second = await sum()
    expect(second.statusCode).toBe(409)
    expect(second.body).toContain('Bản tổng hợp hỏi – đáp của sự kiện này đã được tạo')
    expect(second.body).toContain(`/console/releases/${releaseId}`)
    expect(await t.database.db.select().from(releases).where(eq(releases.id, releaseId))).toHaveLength(1)

    // The event page's section counts and links.
    const page = await t.app.inject({ url: `/console/su-kien/${ev.id}`, headers: { ...officer.headers, ...HTML } })
    expect(page.body).toContain(`href="/console/su-kien/${ev.id}/cau-hoi"`)
    expect(page.body).toContain(`/console/releases/${releaseId}`)
  })
})
