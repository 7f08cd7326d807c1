/**
 * Issue #16's browser flow, against a real `donghanh serve` on the demo data and a real SMTP
 * server; calendar files are read back with ical.js (a parser independent of ical-generator,
 * which writes them). Browsers: the approver (staff, 1280 px), the demo's accredited journalist
 * and influencer (390 px), and at the door a fourth Chromium whose camera is a fake device
 * playing a video of the journalist's badge QR, as the portal serves it (`fake-camera.ts`).
 *
 * 0. The camera path alone: a QR code in a Y4M file, played by Chromium's fake camera, is read
 *    back by jsQR from `getUserMedia` frames.
 * 1. Staff create a press conference starting a few minutes from now (Asia/Ho_Chi_Minh wall
 *    time), announce it and send the invitations to the accredited press and influencers.
 * 2. The journalist and the influencer sign in by the mailed link and answer yes.
 * 3. The invitation mail's .ics parses with ical.js: METHOD:REQUEST, DTSTART/DTEND with
 *    TZID=Asia/Ho_Chi_Minh at the instants typed, the event's UID; a calendar takes it in.
 * 4. Staff move the conference to now (it begins); the update mail reaches the journalist with
 *    a higher SEQUENCE and the new times, and replaces the calendar's copy.
 * 5. The journalist opens the badge in the portal (QR image and short code).
 * 6. At the door, the officer's phone reads the badge from the camera: ✓ with her name.
 * 7. The same badge a second time is refused (duplicate).
 * 8. The network drops: the influencer's code typed by hand is queued on the device, the page
 *    says it is offline; the network returns and the queue syncs (checked in).
 * 9. The journalist asks a question in the portal; the moderator marks it answered; her page
 *    shows it answered.
 * And, separately: a cancelled event's CANCEL file (same UID, higher SEQUENCE, STATUS:CANCELLED)
 * removes the event from a calendar that had imported the invitation.
 *
 * Screenshots under test-output/e2e/events-flow/ (looked at).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import ICAL from 'ical.js'
import type { ParsedMail } from 'mailparser'
import type { BrowserContext, Page } from 'playwright-core'
import QRCode from 'qrcode'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localInputValue } from '../../src/platform/time.ts'
import { blankFakeCameraVideo, launchBrowserWithCamera, readQrFromCamera, showOnFakeCamera, writeFakeCameraVideo } from './fake-camera.ts'
import {
  type DemoRun,
  DESKTOP,
  demoUser,
  expectNoHorizontalOverflow,
  expectVietnameseFont,
  flowSteps,
  heading,
  navigate,
  PHONE,
  queryRun,
  ROOT,
  screenshots,
  seen,
  signIn,
  startDemoRun,
  startSmtp,
  stopDemoRun,
  submitButton,
  type TestSmtp,
  waitFor,
} from './support.ts'

const SHOTS = path.join(ROOT, 'test-output/e2e/events-flow')
const JSQR = path.join(ROOT, 'node_modules/jsqr/dist/jsQR.js')
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const EVENT = {
  title: 'Họp báo thông tin vụ án lừa đảo chiếm đoạt tài sản qua mạng tại Sầm Sơn',
  topic: 'Kết quả điều tra ban đầu và khuyến cáo người dân cảnh giác với thủ đoạn giả danh cơ quan công an',
  agenda: '1. Thông báo kết quả điều tra\n2. Khuyến cáo phòng ngừa\n3. Trả lời câu hỏi của phóng viên',
  place: 'Hội trường tầng 3, Công an tỉnh Thanh Hóa',
}
const CANCELLED_EVENT = {
  title: 'Giao ban báo chí tháng: tình hình trật tự an toàn giao thông dịp cuối năm',
  place: 'Phòng họp số 2, Công an tỉnh Thanh Hóa',
  reason: 'Lãnh đạo Công an tỉnh có lịch công tác đột xuất; Văn phòng sẽ thông báo lịch mới.',
}
const ANSWER_NOTE = 'Đồng chí Phó Giám đốc Công an tỉnh đã trả lời trực tiếp tại họp báo.'
const QUESTION = 'Xin cho biết số tiền các bị can đã chiếm đoạt và đến nay đã thu hồi được bao nhiêu cho người bị hại?'

/** The next whole minute at least `ms` from now (the form takes minutes). */
function minuteFromNow(ms: number): Date {
  return new Date(Math.ceil((Date.now() + ms) / MINUTE) * MINUTE)
}

/** A calendar file read by ical.js, its VTIMEZONE registered first (times as the file defines them). */
function parseCalendar(text: string) {
  const comp = new ICAL.Component(ICAL.parse(text))
  for (const vtz of comp.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(vtz)
  const vevent = comp.getFirstSubcomponent('vevent')
  if (!vevent) throw new Error(`no VEVENT in:\n${text}`)
  const event = new ICAL.Event(vevent)
  return {
    method: String(comp.getFirstPropertyValue('method')),
    uid: event.uid,
    sequence: event.sequence,
    status: vevent.getFirstPropertyValue('status') === null ? null : String(vevent.getFirstPropertyValue('status')),
    start: event.startDate.toJSDate(),
    end: event.endDate.toJSDate(),
    startTzid: vevent.getFirstProperty('dtstart')?.getParameter('tzid'),
    endTzid: vevent.getFirstProperty('dtend')?.getParameter('tzid'),
    summary: event.summary,
    location: event.location,
    organizer: String(vevent.getFirstPropertyValue('organizer') ?? '').toLowerCase(),
    attendees: vevent.getAllProperties('attendee').map((p) => String(p.getFirstValue()).toLowerCase()),
  }
}
type Parsed = ReturnType<typeof parseCalendar>

/** The calendar attachment of a mail, parsed. */
function calendarOf(mail: ParsedMail): Parsed {
  const att = mail.attachments.find((a) => a.contentType === 'text/calendar')
  if (!att) throw new Error(`no text/calendar attachment in "${mail.subject}"`)
  return parseCalendar(att.content.toString('utf8'))
}

/**
 * A calendar as a client keeps one (RFC 5546 §3.2): a REQUEST adds or replaces the event of its
 * UID unless it holds an older SEQUENCE than the copy kept; a CANCEL of the same UID and a
 * SEQUENCE at least the kept one's removes it.
 */
class Calendar {
  readonly events = new Map<string, Parsed>()
  /** The SEQUENCE of every event cancelled, so a late, older copy does not bring it back. */
  private readonly cancelled = new Map<string, number>()
  import(c: Parsed): void {
    const seen = Math.max(this.events.get(c.uid)?.sequence ?? -1, this.cancelled.get(c.uid) ?? -1)
    if (c.sequence < seen) return
    if (c.method === 'CANCEL' || c.status === 'CANCELLED') {
      this.events.delete(c.uid)
      this.cancelled.set(c.uid, c.sequence)
    } else if ((c.method === 'REQUEST' || c.method === 'PUBLISH') && !this.cancelled.has(c.uid)) this.events.set(c.uid, c)
  }
}

describe('the fake camera', () => {
  it('the fake camera shows the badge and jsQR reads it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'donghanh-e2e-camera-'))
    try {
      // A token of the badges' shape (its MAC is not checked here: only the camera path is).
      const token = 'DHB1.AAAAAAAAAAAAAAAAAAAAAA.1.t5b2q0.BBBBBBBBBBBBBBBBBBBBBB'
      const png = await QRCode.toBuffer(token, { type: 'png', margin: 1, width: 300 })
      const video = path.join(dir, 'badge.y4m')
      await writeFakeCameraVideo(png, video)
      const context = await launchBrowserWithCamera(path.join(dir, 'chromium'), video)
      try {
        const page = context.pages()[0] ?? (await context.newPage())
        // A page of a secure context (loopback): the camera is offered only there.
        await page.route('http://127.0.0.1:9/camera', (route) =>
          route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>camera</title><p>camera</p>' }),
        )
        await page.goto('http://127.0.0.1:9/camera')
        expect(await readQrFromCamera(page, JSQR)).toBe(token)
        // What the camera shows is the file: blanked in place, nothing is read any more.
        await blankFakeCameraVideo(video)
        await new Promise((r) => setTimeout(r, 1500))
        await expect(readQrFromCamera(page, JSQR, 2000)).rejects.toThrow(/no QR code read/)
      } finally {
        await context.close()
      }
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  }, 60_000)
})

describe('press conference, end to end: invitation → RSVP → .ics → moved → badge → camera check-in → offline → question', () => {
  let run: DemoRun | undefined
  let smtp: TestSmtp | undefined
  const mails: { to: string[]; mail: ParsedMail }[] = []
  const shot = screenshots(SHOTS)
  let base = ''
  let sp: Page // staff: the approver (1280 px)
  let jp: Page // the journalist (390 px)
  let ip: Page // the influencer (390 px)
  let door: BrowserContext | undefined // the officer's phone at the door, with the fake camera
  let dp: Page
  let journalist = { email: '', name: '', partnerId: '' }
  let influencer = { email: '', name: '', partnerId: '' }
  let eventId = ''
  let uid = ''
  let startsAt = new Date(0)
  let endsAt = new Date(0)
  let firstSequence = -1
  let badgePng: Buffer | undefined
  let journalistCode = ''
  let influencerCode = ''
  const journalistCalendar = new Calendar()

  const step = flowSteps()

  const phoneShot = async (page: Page, name: string) => {
    await shot(page, name)
    await expectNoHorizontalOverflow(page, name)
  }

  /** Mails to `email` carrying a calendar file of the event with `icalUid`, oldest first. */
  const calendarMails = (email: string, icalUid: string) =>
    mails
      .filter((m) => m.to.includes(email))
      .map((m) => ({ mail: m.mail, cal: m.mail.attachments.some((a) => a.contentType === 'text/calendar') ? calendarOf(m.mail) : null }))
      .filter((m): m is { mail: ParsedMail; cal: Parsed } => m.cal?.uid === icalUid)

  /** Signs a partner in by the link mailed to `email`, on `page`. */
  const partnerSignIn = async (page: Page, email: string) => {
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/dang-nhap`))).status()).toBe(200)
    const before = mails.length
    await page.getByLabel('Thư điện tử').fill(email)
    expect((await navigate(page, () => page.getByRole('button', { name: 'Gửi liên kết đăng nhập' }).click())).status()).toBe(200)
    const mail = await waitFor(
      `the sign-in mail to ${email}`,
      () => mails.slice(before).find((m) => m.to.includes(email) && (m.mail.subject ?? '').includes('Liên kết đăng nhập')),
      30_000,
    )
    const link = /(https?:\/\/\S+\/doi-tac\/dang-nhap\/lien-ket\?token=[\w-]+)/.exec(mail.mail.text ?? '')?.[1]
    if (!link) throw new Error(`no sign-in link in:\n${mail.mail.text}`)
    expect((await navigate(page, () => page.goto(link))).status()).toBe(200)
    await navigate(page, () => page.getByRole('button', { name: 'Đăng nhập', exact: true }).click())
    expect(new URL(page.url()).pathname).toBe('/doi-tac')
  }

  /** A partner of the demo (accredited, with an account): address and name from the registry. */
  const demoPartner = async (role: 'journalist' | 'influencer') => {
    if (!run) throw new Error('not started')
    const u = run.manifest.users.find((x) => x.role === role && x.partnerStatus === 'accredited')
    if (!u?.partnerId) throw new Error(`the demo data has no accredited ${role}`)
    const [record] = await queryRun<{ email: string | null; name: string }>(
      run,
      `SELECT email, name FROM partners WHERE id = '${u.partnerId}'`,
    )
    return { email: (record?.email ?? u.email).toLowerCase(), name: record?.name ?? u.name, partnerId: u.partnerId }
  }

  /** Fills the event form (create or edit) on the staff page. */
  const fillEvent = async (o: { title: string; topic?: string; agenda?: string; place: string; start: Date; end: Date }) => {
    await sp.locator('select[name="kind"]').selectOption('adhoc_press_conference')
    await sp.locator('input[name="title"]').fill(o.title)
    if (o.topic) await sp.locator('textarea[name="topic"]').fill(o.topic)
    if (o.agenda) await sp.locator('textarea[name="agendaMd"]').fill(o.agenda)
    await sp.locator('input[name="startsAt"]').fill(localInputValue(o.start))
    await sp.locator('input[name="endsAt"]').fill(localInputValue(o.end))
    await sp.locator('input[name="place"]').fill(o.place)
  }

  /** Creates, announces and invites (accredited press and influencers) an event; returns its id and UID. */
  const createAnnounceInvite = async (
    o: { title: string; topic?: string; agenda?: string; place: string; start: Date; end: Date },
    name: string,
  ) => {
    expect((await navigate(sp, () => sp.goto(`${base}/console/su-kien/moi`))).status()).toBe(200)
    await fillEvent(o)
    const speaker = sp.locator('input[name="speakerIds"]').first()
    if ((await speaker.count()) > 0) await speaker.check()
    for (const list of ['Tất cả báo chí đã công nhận', 'Tất cả KOL đã công nhận']) {
      await sp.locator('label', { hasText: list }).locator('input[name="listIds"]').check()
    }
    await shot(sp, `${name}-form`)
    const created = await submitButton(sp, '/console/su-kien/moi')
    expect(created.status(), await seen(sp.locator('main')).catch(() => '')).toBe(200)
    const id = /^\/console\/su-kien\/([0-9a-f-]{36})$/.exec(new URL(sp.url()).pathname)?.[1] ?? ''
    expect(id).not.toBe('')
    expect(await heading(sp)).toBe(o.title)
    expect((await submitButton(sp, `/console/su-kien/${id}/cong-bo`)).status()).toBe(200)
    expect(await seen(sp.locator('main'))).toContain('Đã công bố sự kiện.')
    expect((await submitButton(sp, `/console/su-kien/${id}/moi`)).status()).toBe(200)
    const invited = await sp.locator('#invitations tbody tr').count()
    expect(invited).toBeGreaterThanOrEqual(2)
    await shot(sp, `${name}-invited`)
    if (!run) throw new Error('not started')
    const [row] = await queryRun<{ ical_uid: string; sequence: number }>(run, `SELECT ical_uid, sequence FROM events WHERE id = '${id}'`)
    if (!row) throw new Error('the event is not stored')
    return { id, uid: row.ical_uid, sequence: row.sequence }
  }

  /** The partner answers yes on the event's portal page. */
  const answerYes = async (page: Page, name: string) => {
    expect((await navigate(page, () => page.goto(`${base}/doi-tac/su-kien/${eventId}`))).status()).toBe(200)
    // The portal's event page has no <h1> of its own (reported): the title is the document's.
    expect(await page.title()).toContain(EVENT.title)
    await page.locator('input[name="answer"][value="yes"]').check()
    await phoneShot(page, `${name}-answer`)
    expect((await submitButton(page, `/doi-tac/su-kien/${eventId}/tra-loi`)).status()).toBe(200)
    expect(await seen(page.locator('main'))).toContain('Đã ghi nhận trả lời của bạn.')
    expect(await page.locator('dd[data-state]').getAttribute('data-state')).toBe('yes')
  }

  beforeAll(async () => {
    smtp = await startSmtp((mail, to) => {
      mails.push({ to, mail })
    })
    run = await startDemoRun(SHOTS, 'donghanh-e2e-events-flow-', {
      browsers: 3,
      env: { SMTP_URL: `smtp://127.0.0.1:${smtp.port}` },
    })
    base = run.server.baseUrl
    const [s, j, k] = run.browsers as [BrowserContext, BrowserContext, BrowserContext]
    sp = s.pages()[0] ?? (await s.newPage())
    jp = j.pages()[0] ?? (await j.newPage())
    ip = k.pages()[0] ?? (await k.newPage())
    await sp.setViewportSize(DESKTOP)
    await jp.setViewportSize(PHONE)
    await ip.setViewportSize(PHONE)
    journalist = await demoPartner('journalist')
    influencer = await demoPartner('influencer')
  }, 240_000)

  afterAll(async () => {
    await door?.close().catch(() => undefined)
    await stopDemoRun(run)
    await smtp?.close()
  }, 60_000)

  step(
    '1. staff create an ad-hoc press conference a few minutes from now, announce it and send the invitations',
    async () => {
      if (!run) throw new Error('not started')
      const approver = demoUser(run.manifest, 'approver')
      await navigate(sp, () => sp.goto(`${base}/console/sign-in`))
      await signIn(sp, shot, 'approver', approver, approver.secret)
      // Long enough ahead for both answers (the answer closes at the start), moved to now in step 4.
      startsAt = minuteFromNow(6 * MINUTE)
      endsAt = new Date(startsAt.getTime() + 2 * HOUR)
      const made = await createAnnounceInvite({ ...EVENT, start: startsAt, end: endsAt }, 'event')
      eventId = made.id
      uid = made.uid
      firstSequence = made.sequence
      const rows = await sp.locator('#invitations tbody tr').allInnerTexts()
      expect(rows.some((r) => r.includes(journalist.name))).toBe(true)
      expect(rows.some((r) => r.includes(influencer.name))).toBe(true)
      await expectVietnameseFont(sp)
    },
    180_000,
  )

  step(
    '2. the journalist and the influencer sign in by the mailed link and answer yes in the portal',
    async () => {
      await partnerSignIn(jp, journalist.email)
      await answerYes(jp, 'journalist')
      await partnerSignIn(ip, influencer.email)
      await answerYes(ip, 'influencer')
      // Staff see both answers.
      await navigate(sp, () => sp.reload())
      for (const p of [journalist, influencer]) {
        const row = sp.locator('#invitations tbody tr', { hasText: p.name })
        expect(await row.locator('td[data-state]').getAttribute('data-state')).toBe('yes')
      }
      await shot(sp, 'event-answers')
    },
    120_000,
  )

  step(
    '3. the invitation mail’s .ics parses with ical.js: REQUEST, the times typed with TZID=Asia/Ho_Chi_Minh',
    async () => {
      const [invite] = await waitFor(
        'the invitation mail with its calendar file',
        () => {
          const got = calendarMails(journalist.email, uid)
          return got.length > 0 ? got : undefined
        },
        30_000,
      )
      if (!invite) throw new Error('no invitation')
      expect(invite.mail.subject).toContain(`Giấy mời: ${EVENT.title}`)
      const cal = invite.cal
      expect(cal.method).toBe('REQUEST')
      expect(cal.uid).toBe(uid)
      expect(cal.sequence).toBe(firstSequence)
      expect(cal.summary).toBe(EVENT.title)
      expect(cal.location).toContain(EVENT.place)
      expect(cal.organizer).toMatch(/^mailto:\S+@\S+$/)
      expect(cal.attendees).toEqual([`mailto:${journalist.email}`])
      expect(cal.startTzid).toBe('Asia/Ho_Chi_Minh')
      expect(cal.endTzid).toBe('Asia/Ho_Chi_Minh')
      expect(cal.start.getTime()).toBe(startsAt.getTime())
      expect(cal.end.getTime()).toBe(endsAt.getTime())
      // The wall time in the file is the one typed in the form (GMT+7), not UTC.
      const att = invite.mail.attachments.find((a) => a.contentType === 'text/calendar')
      const wall = localInputValue(startsAt).replace(/[-:]/g, '')
      expect(att?.content.toString('utf8')).toContain(`DTSTART;TZID=Asia/Ho_Chi_Minh:${wall}00`)
      journalistCalendar.import(cal)
      expect(journalistCalendar.events.get(uid)?.start.getTime()).toBe(startsAt.getTime())
    },
    60_000,
  )

  step(
    '4. staff move the conference to now; the update reaches the journalist with a higher SEQUENCE and the new times',
    async () => {
      const before = startsAt
      // Moved up: it begins this minute (check-in and questions are open during the event).
      startsAt = new Date(Math.floor(Date.now() / MINUTE) * MINUTE)
      endsAt = new Date(startsAt.getTime() + 2 * HOUR)
      expect(startsAt.getTime()).toBeLessThan(before.getTime())
      expect((await navigate(sp, () => sp.goto(`${base}/console/su-kien/${eventId}/sua`))).status()).toBe(200)
      await fillEvent({ ...EVENT, start: startsAt, end: endsAt })
      await shot(sp, 'event-move')
      const saved = await submitButton(sp, `/console/su-kien/${eventId}/sua`)
      expect(saved.status(), await seen(sp.locator('main')).catch(() => '')).toBe(200)
      expect(await seen(sp.locator('main'))).toContain('Đã lưu thay đổi.')
      await shot(sp, 'event-moved')

      const update = await waitFor(
        'the update mail with its calendar file',
        () => calendarMails(journalist.email, uid).find((m) => m.cal.sequence > firstSequence),
        30_000,
      )
      expect(update.mail.subject).toContain(`Cập nhật: ${EVENT.title}`)
      expect(update.cal.method).toBe('REQUEST')
      expect(update.cal.uid).toBe(uid)
      expect(update.cal.sequence).toBeGreaterThan(firstSequence)
      expect(update.cal.startTzid).toBe('Asia/Ho_Chi_Minh')
      expect(update.cal.start.getTime()).toBe(startsAt.getTime())
      expect(update.cal.end.getTime()).toBe(endsAt.getTime())
      // The calendar keeps one copy of the event: the new times replace the old.
      journalistCalendar.import(update.cal)
      expect(journalistCalendar.events.size).toBe(1)
      expect(journalistCalendar.events.get(uid)?.start.getTime()).toBe(startsAt.getTime())
      // An older copy arriving late does not bring the old time back.
      const first = calendarMails(journalist.email, uid).find((m) => m.cal.sequence === firstSequence)
      if (first) journalistCalendar.import(first.cal)
      expect(journalistCalendar.events.get(uid)?.start.getTime()).toBe(startsAt.getTime())
      // The portal shows the new time too.
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/su-kien/${eventId}`))).status()).toBe(200)
      const wallTime = localInputValue(startsAt).slice(11)
      expect(await seen(jp.locator('dd[data-when]'))).toContain(wallTime)
    },
    90_000,
  )

  step(
    '5. the journalist opens her badge in the portal: the QR image and the short code',
    async () => {
      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/su-kien/${eventId}`))).status()).toBe(200)
      const img = jp.locator('#badge-qr')
      await img.scrollIntoViewIfNeeded()
      expect(await img.getAttribute('src')).toContain(`/doi-tac/su-kien/${eventId}/the.png`)
      // The image is loaded and rendered (not a broken image).
      await waitFor('the badge image to load', async () =>
        (await img.evaluate((el) => (el as unknown as { complete: boolean; naturalWidth: number }).naturalWidth > 0)) ? true : undefined,
      )
      journalistCode = (await seen(jp.locator('[data-badge-code]').first())).trim()
      expect(journalistCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-?[2-9A-HJKMNP-TV-Z]{4}$/)
      await expectVietnameseFont(jp)
      await phoneShot(jp, 'journalist-badge')
      // The image as the portal serves it, with her session: what the door's camera will film.
      const res = await jp.request.get(`${base}/doi-tac/su-kien/${eventId}/the.png`)
      expect(res.status()).toBe(200)
      expect(res.headers()['content-type']).toContain('image/png')
      badgePng = Buffer.from(await res.body())
      // The influencer's code, for the manual entry at the door.
      expect((await navigate(ip, () => ip.goto(`${base}/doi-tac/su-kien/${eventId}`))).status()).toBe(200)
      influencerCode = (await seen(ip.locator('[data-badge-code]').first())).trim()
      expect(influencerCode).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-?[2-9A-HJKMNP-TV-Z]{4}$/)
      expect(influencerCode).not.toBe(journalistCode)
    },
    60_000,
  )

  step(
    '6. at the door, the officer’s phone reads the badge from the camera and shows ✓ with her name',
    async () => {
      if (!run || !badgePng) throw new Error('no badge')
      const video = path.join(run.work, 'badge.y4m')
      await writeFakeCameraVideo(badgePng, video)
      door = await launchBrowserWithCamera(path.join(run.work, 'chromium-door'), video, base)
      dp = door.pages()[0] ?? (await door.newPage())
      await dp.setViewportSize(PHONE)
      // The camera shows the portal's badge: jsQR reads a badge token from it.
      await dp.route('http://127.0.0.1:9/camera', (route) =>
        route.fulfill({ contentType: 'text/html; charset=utf-8', body: '<!doctype html><title>camera</title>' }),
      )
      await dp.goto('http://127.0.0.1:9/camera')
      expect(await readQrFromCamera(dp, JSQR)).toMatch(/^DHB1\./)
      await dp.unroute('http://127.0.0.1:9/camera')

      const officer = demoUser(run.manifest, 'officer')
      await navigate(dp, () => dp.goto(`${base}/console/sign-in`))
      await signIn(dp, shot, 'officer', officer, officer.secret)
      expect((await navigate(dp, () => dp.goto(`${base}/console/su-kien/${eventId}/diem-danh`))).status()).toBe(200)
      expect(await dp.locator('video#checkin-video').count()).toBe(1)
      // The last scan's card: ✓ and her name once the server has answered (the badge stays in
      // view: it is read once while it stays there).
      const card = dp.locator('#checkin-last')
      const shown = await waitFor(
        'the badge read from the camera and checked in',
        async () => {
          const c = await card.evaluate((el) => {
            const q = (sel: string) =>
              (el as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector(sel)?.textContent ?? ''
            return {
              result: (el as unknown as { getAttribute(n: string): string | null }).getAttribute('data-result'),
              mark: q('.checkin-mark'),
              name: q('.checkin-name'),
            }
          })
          return c.result === 'checked_in' ? c : undefined
        },
        30_000,
        50,
      ).catch(async (e: Error) => {
        throw new Error(`${e.message}\nresults shown:\n${await seen(dp.locator('#checkin-results'))}`)
      })
      await phoneShot(dp, 'door-checked-in')
      expect(shown.mark).toBe('✓')
      expect(shown.name).toBe(journalist.name)
      const first = dp.locator('#checkin-results [data-result="checked_in"]', { hasText: journalist.name })
      expect(await first.count()).toBe(1)
      await expectVietnameseFont(dp)
      const [row] = await queryRun<{ n: string }>(
        run,
        `SELECT count(*) AS n FROM event_checkins c JOIN event_invitations i ON i.id = c.invitation_id
         WHERE i.event_id = '${eventId}' AND i.partner_id = '${journalist.partnerId}'`,
      )
      expect(Number(row?.n)).toBe(1)
    },
    120_000,
  )

  step(
    '7. the same badge shown again is refused as already checked in',
    async () => {
      if (!run || !badgePng) throw new Error('not started')
      // A badge held in view is read once. She lowers it and shows it again (a friend trying the
      // same badge): that second reading is answered "duplicate".
      expect(await dp.locator('#checkin-results [data-result]').count()).toBe(1)
      await blankFakeCameraVideo(path.join(run.work, 'badge.y4m'))
      await new Promise((r) => setTimeout(r, 4000))
      expect(await dp.locator('#checkin-results [data-result]').count()).toBe(1)
      await showOnFakeCamera(badgePng, path.join(run.work, 'badge.y4m'))
      const duplicate = dp.locator('#checkin-results [data-result="duplicate"]').first()
      await waitFor('the second scan refused', async () => ((await duplicate.count()) > 0 ? true : undefined), 30_000).catch(
        async (e: Error) => {
          throw new Error(`${e.message}\nresults shown:\n${await seen(dp.locator('#checkin-results'))}`)
        },
      )
      expect(await seen(duplicate)).toContain(journalist.name)
      // The card says no (✗), with her name and when she came in.
      const card = await waitFor('the refusal on the card', async () => {
        const c = await dp.locator('#checkin-last').evaluate((el) => {
          const e = el as unknown as { getAttribute(n: string): string | null; querySelector(s: string): { textContent: string } | null }
          return {
            result: e.getAttribute('data-result'),
            mark: e.querySelector('.checkin-mark')?.textContent ?? '',
            name: e.querySelector('.checkin-name')?.textContent ?? '',
          }
        })
        return c.result === 'duplicate' ? c : undefined
      })
      expect(card.mark).toBe('✗')
      expect(card.name).toBe(journalist.name)
      await phoneShot(dp, 'door-duplicate')
      const [row] = await queryRun<{ n: string }>(
        run,
        `SELECT count(*) AS n FROM event_checkins c JOIN event_invitations i ON i.id = c.invitation_id
         WHERE i.event_id = '${eventId}' AND i.partner_id = '${journalist.partnerId}'`,
      )
      expect(Number(row?.n)).toBe(1)
    },
    60_000,
  )

  step(
    '8. with the network cut, a code typed by hand is queued on the phone; back online, it syncs',
    async () => {
      if (!run || !door) throw new Error('no door')
      // She has gone in: the camera no longer sees her badge, and what it read is synced.
      await blankFakeCameraVideo(path.join(run.work, 'badge.y4m'))
      await new Promise((r) => setTimeout(r, 4000))
      await waitFor('nothing left to sync', async () =>
        (await dp.locator('#checkin-queue').getAttribute('data-pending')) === '0' ? true : undefined,
      )
      const before = await dp.locator('#checkin-results [data-result]').count()
      await door.setOffline(true)
      await waitFor('the page to say it is offline', async () =>
        (await dp.locator('#checkin-online').getAttribute('data-online')) === 'false' ? true : undefined,
      )
      const manual = dp.locator('#checkin-manual')
      await manual.locator('input[name="code"]').fill(influencerCode)
      await manual.locator('input[name="code"]').press('Enter')
      await waitFor('the scan queued on the phone', async () =>
        (await dp.locator('#checkin-queue').getAttribute('data-pending')) === '1' ? true : undefined,
      ).catch(async (e: Error) => {
        throw new Error(
          `${e.message}\nqueue: ${await dp.locator('#checkin-queue').getAttribute('data-pending')}\n${await seen(dp.locator('main'))}`,
        )
      })
      expect((await seen(dp.locator('#checkin-queue'))).trim()).toBe('1')
      expect(await seen(dp.locator('#checkin-online'))).toMatch(/\S/)
      // The typed code is shown at once, waiting to sync; nothing else was scanned meanwhile.
      expect(await dp.locator('#checkin-results [data-result]').count()).toBe(before + 1)
      expect(await dp.locator('#checkin-results [data-result]').first().getAttribute('data-sync')).toBe('pending')
      await phoneShot(dp, 'door-offline-queued')
      // Nothing reached the server while offline.
      const count = async () =>
        Number(
          (
            await queryRun<{ n: string }>(
              run as DemoRun,
              `SELECT count(*) AS n FROM event_checkins c JOIN event_invitations i ON i.id = c.invitation_id
               WHERE i.event_id = '${eventId}' AND i.partner_id = '${influencer.partnerId}'`,
            )
          )[0]?.n,
        )
      expect(await count()).toBe(0)

      await door.setOffline(false)
      await waitFor(
        'the queue to sync',
        async () => ((await dp.locator('#checkin-queue').getAttribute('data-pending')) === '0' ? true : undefined),
        30_000,
      )
      expect(await dp.locator('#checkin-online').getAttribute('data-online')).toBe('true')
      const synced = dp.locator('#checkin-results [data-result="checked_in"]', { hasText: influencer.name })
      await waitFor('the synced check-in shown', async () => ((await synced.count()) > 0 ? true : undefined), 15_000)
      await phoneShot(dp, 'door-synced')
      expect(await count()).toBe(1)
      const [stored] = await queryRun<{ offline: boolean; method: string }>(
        run,
        `SELECT c.offline, c.method FROM event_checkins c JOIN event_invitations i ON i.id = c.invitation_id
         WHERE i.event_id = '${eventId}' AND i.partner_id = '${influencer.partnerId}'`,
      )
      expect(stored?.offline).toBe(true)
    },
    90_000,
  )

  step(
    '9. the journalist asks a question in the portal; the moderator marks it answered; her page shows it',
    async () => {
      // The moderator's queue is open first: the question arrives in it live (server-sent events).
      expect((await navigate(sp, () => sp.goto(`${base}/console/su-kien/${eventId}/cau-hoi`))).status()).toBe(200)
      const item = sp.locator('[data-question-id]', { has: sp.locator('.evq-body', { hasText: QUESTION }) })
      expect(await item.count()).toBe(0)
      await shot(sp, 'moderator-queue-empty')

      expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/su-kien/${eventId}`))).status()).toBe(200)
      const form = jp.locator('form#question-form')
      await form.locator('textarea[name="body"]').fill(QUESTION)
      await phoneShot(jp, 'journalist-question')
      expect((await navigate(jp, () => form.locator('button[type="submit"]').click())).status()).toBe(200)
      const mine = jp.locator('[data-question-id]', { hasText: QUESTION })
      expect(await mine.count()).toBe(1)
      expect(await mine.getAttribute('data-state')).not.toBe('answered')
      await phoneShot(jp, 'journalist-question-sent')

      await waitFor('the question in the moderator’s queue, live', async () => ((await item.count()) > 0 ? true : undefined), 20_000)
      expect(await seen(item.locator('[data-f="asker"]'))).toBe(journalist.name)
      await shot(sp, 'moderator-queue')
      await item.locator('textarea[name="note"]').fill(ANSWER_NOTE)
      expect((await navigate(sp, () => item.locator('button[data-action="answered"]').click())).status()).toBe(200)
      const answered = sp.locator('[data-question-id][data-state="answered"]', { has: sp.locator('.evq-body', { hasText: QUESTION }) })
      await waitFor('the question marked answered', async () => ((await answered.count()) > 0 ? true : undefined))
      await shot(sp, 'moderator-answered')

      // Her page (reloaded: the portal's list is not live) shows it answered, with the note.
      expect((await navigate(jp, () => jp.reload())).status()).toBe(200)
      expect(await mine.getAttribute('data-state')).toBe('answered')
      expect(await seen(mine)).toContain(ANSWER_NOTE)
      await phoneShot(jp, 'journalist-question-answered')
      if (!run) throw new Error('not started')
      const [q] = await queryRun<{ state: string }>(run, `SELECT state FROM event_questions WHERE event_id = '${eventId}'`)
      expect(q?.state).toBe('answered')
    },
    90_000,
  )

  it('cancelling an event mails METHOD:CANCEL (same UID, higher SEQUENCE): the calendar drops it', async () => {
    if (!run) throw new Error('not started')
    const start = minuteFromNow(3 * HOUR)
    const made = await createAnnounceInvite(
      { title: CANCELLED_EVENT.title, place: CANCELLED_EVENT.place, start, end: new Date(start.getTime() + HOUR) },
      'second-event',
    )
    const invite = await waitFor('the invitation of the event to be cancelled', () => calendarMails(journalist.email, made.uid)[0], 30_000)
    const calendar = new Calendar()
    calendar.import(invite.cal)
    expect(calendar.events.get(made.uid)?.start.getTime()).toBe(start.getTime())

    expect((await navigate(sp, () => sp.goto(`${base}/console/su-kien/${made.id}`))).status()).toBe(200)
    const form = sp.locator(`form[action="/console/su-kien/${made.id}/huy"]`)
    await sp.locator('main details', { has: form }).locator('summary').click()
    await form.locator('textarea[name="reason"]').fill(CANCELLED_EVENT.reason)
    await shot(sp, 'cancel-reason')
    expect((await submitButton(sp, `/console/su-kien/${made.id}/huy`)).status()).toBe(200)
    expect(await seen(sp.locator('main'))).toContain('Đã huỷ sự kiện.')
    await shot(sp, 'cancelled')

    const cancel = await waitFor(
      'the cancellation mail',
      () => calendarMails(journalist.email, made.uid).find((m) => m.cal.method === 'CANCEL'),
      30_000,
    )
    expect(cancel.mail.subject).toContain(CANCELLED_EVENT.title)
    expect(cancel.cal.uid).toBe(made.uid)
    expect(cancel.cal.sequence).toBeGreaterThan(invite.cal.sequence)
    expect(cancel.cal.status).toBe('CANCELLED')
    calendar.import(cancel.cal)
    expect(calendar.events.has(made.uid)).toBe(false)
    // The invitation arriving again later (an older SEQUENCE) does not bring it back.
    calendar.import(invite.cal)
    expect(calendar.events.has(made.uid)).toBe(false)
    // The portal says it is cancelled, with the reason.
    expect((await navigate(jp, () => jp.goto(`${base}/doi-tac/su-kien/${made.id}`))).status()).toBe(200)
    expect(await seen(jp.locator('main'))).toContain(CANCELLED_EVENT.reason)
    await phoneShot(jp, 'journalist-cancelled')
  }, 120_000)
})
