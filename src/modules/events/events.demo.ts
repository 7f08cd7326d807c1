/**
 * Demo events: a regular press conference held 40 days ago (done), an upcoming announced one
 * with the register's spokespersons and the accredited-press list invited, and a draft partner
 * meeting. Each step runs the real command with the clock at its moment (`demo-time.ts`), so
 * audit rows, SEQUENCE and the cadence widget look like a real office's.
 *
 * The held one went from invitation to follow-up through the real commands: invitations to the
 * press list, answers (yes with a camera operator, yes, no, maybe, and a yes put on the waiting
 * list when the small press room was full), badges issued with each yes, check-ins at the door
 * (a badge read by camera, a code typed by hand, a walk-in, and the same badge shown again at
 * the side door: a duplicate), questions (answered, merged, one never taken up) and the press
 * release as a material. The upcoming one has its invitations out and two answers; the demo
 * journalist's is left open for the tester.
 */
import { and, asc, desc, eq, inArray } from 'drizzle-orm'
import { type Database, withTransaction } from '../../db/index.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { localDay, localInputValue } from '../../platform/time.ts'
import { allLists } from '../distribution/lists/lists.repository.ts'
import { changePartnerStatus } from '../partners/commands/change-partner-status.ts'
import { createPartner } from '../partners/commands/create-partner.ts'
import { partners, pressOutlets } from '../partners/partners.tables.ts'
import { releases } from '../releases/releases.tables.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { addMaterial } from './afterwards/commands/add-material.ts'
import { badgeExpiry, badgeKey, signBadge } from './badges/badge-token.ts'
import { recordScans } from './checkin/record-scans.ts'
import { announceEvent } from './commands/announce-event.ts'
import { completeEvent } from './commands/complete-event.ts'
import { createEvent } from './commands/create-event.ts'
import type { EventInput } from './commands/event-input.ts'
import { type EventState, eventInvitations } from './events.tables.ts'
import { answerInvitation } from './invitations/commands/answer-invitation.ts'
import { sendInvitations } from './invitations/commands/send-invitations.ts'
import { publicIcsPath } from './public/public.routes.tsx'
import { askQuestion } from './questions/commands/ask-question.ts'
import { moderateQuestion } from './questions/commands/moderate-question.ts'

/** Accredited journalists who answer the demo invitations (the registry demo has only two in the press list). */
const DEMO_INVITEES = [
  { key: 'an', card: 'TH-05871', name: 'Nguyễn Hoài An', outlet: 'Báo Thanh Hóa', email: 'hoai.an@baothanhhoa.example.vn' },
  {
    key: 'binh',
    card: 'TH-05902',
    name: 'Trần Quốc Bình',
    outlet: 'Đài Phát thanh và Truyền hình Thanh Hóa',
    email: 'quoc.binh@ttv.example.vn',
  },
  { key: 'chi', card: 'HN-11347', name: 'Lê Thị Kim Chi', outlet: 'Báo điện tử VnExpress', email: 'kimchi@vnexpress.example.vn' },
  { key: 'dung', card: 'TH-06015', name: 'Phạm Tiến Dũng', outlet: 'Tạp chí Người Xứ Thanh', email: 'tien.dung@nguoixuthanh.example.vn' },
] as const

/** A manifest item for an event (`start` in ISO 8601 with its +07:00 offset). */
export interface DemoEventItem {
  kind: 'event'
  id: string
  title: string
  state: EventState
  /** The public schedule for press conferences on it, else the staff page. */
  url: string
  /** The public "add to calendar" file, or null when the event is not on the public schedule. */
  ics: string | null
  start: string
}

/** An instant as ISO 8601 local time with its offset (`2026-11-20T09:00:00+07:00`). */
export function localIso(at: Date): string {
  return `${localInputValue(at)}:00+07:00`
}

/** Seeds the demo events; returns their manifest items. */
export async function seedDemoEvents(o: {
  database: Database
  tenantId: string
  publicUrl: string
  editor: { id: string; email: string }
  approver: { id: string; email: string }
}): Promise<DemoEventItem[]> {
  const { database, tenantId } = o
  const pool = database.pool
  const uidDomain = new URL(o.publicUrl).hostname || 'donghanh.local'
  const editor = { id: o.editor.id, label: o.editor.email }
  const approver = { id: o.approver.id, label: o.approver.email }
  const speakers = await database.db
    .select({ id: spokespersons.id })
    .from(spokespersons)
    .where(and(eq(spokespersons.tenantId, tenantId), eq(spokespersons.active, true)))
    .orderBy(asc(spokespersons.createdAt))
    .limit(2)
  const lists = await allLists(database.db, tenantId)
  const press = lists.find((l) => l.builtinKey !== null) ?? lists[0]
  const invitees = await seedInvitees(database, tenantId, { editor: o.editor, approver: o.approver })
  const base = (startsAt: Date, hours: number): Pick<EventInput, 'startsAt' | 'endsAt' | 'rsvpDeadline'> => ({
    startsAt,
    endsAt: new Date(startsAt.getTime() + hours * 3_600_000),
    rsvpDeadline: new Date(startsAt.getTime() - 16 * 3_600_000),
  })
  const make = (at: Date, input: EventInput) =>
    happenedAt(at, () => withTransaction(pool, (tx) => createEvent({ tx, tenantId, actor: editor, input, uidDomain })))
  const announce = (at: Date, id: string) =>
    happenedAt(at, () => withTransaction(pool, (tx) => announceEvent({ tx, tenantId, actor: approver, id })))
  const invite = (at: Date, eventId: string, actor: { id: string; label: string }) =>
    happenedAt(at, () => withTransaction(pool, (tx) => sendInvitations({ tx, tenantId, eventId, actor })))
  const answer = (at: Date, eventId: string, partner: Invitee, reply: 'yes' | 'no' | 'maybe', companion?: { name: string; role: string }) =>
    happenedAt(at, () =>
      withTransaction(pool, (tx) =>
        answerInvitation({
          tx,
          tenantId,
          eventId,
          partnerId: partner.id,
          answer: reply,
          companionName: companion?.name ?? null,
          companionRole: companion?.role ?? null,
          actor: { id: partner.userId, label: partner.label },
        }),
      ),
    )

  // 1. Held 40 days ago.
  const pastStart = localDaysAgo(40, 9, 0)
  const past = await make(localDaysAgo(50, 14, 10), {
    kind: 'regular_press_conference',
    title: 'Họp báo định kỳ: kết quả bảo đảm an ninh trật tự quý III',
    topic: 'Kết quả đấu tranh phòng, chống tội phạm và tai nạn giao thông quý III',
    agendaMd: '1. Thông báo kết quả quý III\n2. Trả lời câu hỏi của phóng viên',
    ...base(pastStart, 2),
    mapUrl: 'https://www.openstreetmap.org/search?query=C%C3%B4ng%20an%20t%E1%BB%89nh',
    // The small press room: the fifth 'yes' waits for a seat.
    place: 'Phòng họp báo (tầng 2), trụ sở Công an tỉnh',
    capacity: '4',
    speakerIds: speakers.map((s) => s.id),
    listIds: press ? [press.id] : [],
  })
  await announce(localDaysAgo(48, 8, 40), past.id)
  await invite(localDaysAgo(48, 9, 0), past.id, editor)
  await answer(localDaysAgo(47, 8, 15), past.id, invitees.trang, 'yes', { name: 'Ngô Văn Hùng', role: 'quay phim' })
  await answer(localDaysAgo(47, 9, 40), past.id, invitees.thuy, 'yes')
  await answer(localDaysAgo(47, 14, 5), past.id, invitees.an, 'yes')
  await answer(localDaysAgo(46, 10, 30), past.id, invitees.binh, 'no')
  await answer(localDaysAgo(46, 16, 0), past.id, invitees.chi, 'maybe')
  await answer(localDaysAgo(45, 9, 20), past.id, invitees.dung, 'yes') // the room is full: waiting list
  await seedDoor(database, tenantId, past.id, editor, pastStart, invitees)
  await seedQuestions(database, tenantId, past.id, editor, pastStart, invitees)
  await happenedAt(localDaysAgo(40, 11, 15), () =>
    withTransaction(pool, (tx) => completeEvent({ tx, tenantId, actor: approver, id: past.id })),
  )
  await seedMaterial(database, tenantId, past.id, editor, localDaysAgo(40, 15, 30))

  // 2. Upcoming, announced, with speakers.
  const nextStart = localDaysAgo(-12, 9, 0)
  const next = await make(localDaysAgo(3, 10, 20), {
    kind: 'regular_press_conference',
    title: 'Họp báo định kỳ: tình hình an ninh trật tự dịp cuối năm',
    topic: 'Bảo đảm an ninh trật tự, an toàn giao thông dịp Tết; phòng chống lừa đảo qua mạng',
    agendaMd: '1. Khai mạc\n2. Thông tin tình hình\n3. Hỏi đáp',
    ...base(nextStart, 2),
    place: 'Hội trường Công an tỉnh',
    mapUrl: 'https://www.openstreetmap.org/search?query=C%C3%B4ng%20an%20t%E1%BB%89nh',
    onlineUrl: 'https://truc-tuyen.example.vn/hop-bao',
    capacity: '50',
    speakerIds: speakers.map((s) => s.id),
    listIds: press ? [press.id] : [],
  })
  await announce(localDaysAgo(2, 15, 0), next.id)
  await invite(localDaysAgo(2, 15, 20), next.id, editor)
  await answer(localDaysAgo(1, 9, 10), next.id, invitees.thuy, 'yes', { name: 'Đặng Minh Khoa', role: 'quay phim' })
  await answer(localDaysAgo(1, 10, 45), next.id, invitees.chi, 'maybe')

  // 3. A draft partner meeting.
  const meetingStart = localDaysAgo(-30, 14, 0)
  const meeting = await make(localDaysAgo(1, 16, 30), {
    kind: 'partner_meeting',
    title: 'Hội nghị gặp mặt phóng viên, cộng tác viên cuối năm',
    topic: 'Gặp mặt, trao đổi về phối hợp thông tin năm tới',
    ...base(meetingStart, 3),
    place: 'Nhà khách Công an tỉnh',
    capacity: '80',
    speakerIds: speakers.slice(0, 1).map((s) => s.id),
    listIds: press ? [press.id] : [],
  })

  const pub = (id: string) => `/lich-hop-bao#su-kien-${id}`
  return [
    {
      kind: 'event',
      id: past.id,
      title: 'Họp báo định kỳ: kết quả bảo đảm an ninh trật tự quý III',
      state: 'done',
      url: pub(past.id),
      ics: publicIcsPath(past.id),
      start: localIso(pastStart),
    },
    {
      kind: 'event',
      id: next.id,
      title: 'Họp báo định kỳ: tình hình an ninh trật tự dịp cuối năm',
      state: 'announced',
      url: pub(next.id),
      ics: publicIcsPath(next.id),
      start: localIso(nextStart),
    },
    {
      kind: 'event',
      id: meeting.id,
      title: 'Hội nghị gặp mặt phóng viên, cộng tác viên cuối năm',
      state: 'draft',
      url: `/console/su-kien/${meeting.id}`,
      ics: null,
      start: localIso(meetingStart),
    },
  ]
}

/** A demo partner who answers invitations. */
interface Invitee {
  id: string
  /** Their portal account, when they have one (audit actor). */
  userId: string | null
  label: string
}

/**
 * The partners of the events demo: the two accredited journalists of the registry demo (the
 * demo journalist and Lê Văn Thuỷ) and four more journalists of the demo outlets, registered and
 * accredited here through the registry's commands (the registry demo keeps one record per status).
 */
async function seedInvitees(
  database: Database,
  tenantId: string,
  staff: { editor: { id: string; email: string }; approver: { id: string; email: string } },
): Promise<Record<'trang' | 'thuy' | (typeof DEMO_INVITEES)[number]['key'], Invitee>> {
  const db = database.db
  const editor: Actor = { id: staff.editor.id, tenantId, role: 'editor', email: staff.editor.email }
  const approver: Actor = { id: staff.approver.id, tenantId, role: 'approver', email: staff.approver.email }
  const outlets = await db
    .select({ id: pressOutlets.id, name: pressOutlets.name })
    .from(pressOutlets)
    .where(eq(pressOutlets.tenantId, tenantId))
  const termEnds = localDay(new Date(localDaysAgo(0, 9, 0).getTime() + 300 * 86_400_000))
  const created: Invitee[] = []
  for (const [i, p] of DEMO_INVITEES.entries()) {
    const id = await happenedAt(localDaysAgo(80 - i, 10, 0), async (step) => {
      const { id } = await withTransaction(database.pool, (tx) =>
        createPartner({
          tx,
          actor: editor,
          input: {
            kind: 'journalist',
            name: p.name,
            outletId: outlets.find((o) => o.name === p.outlet)?.id ?? null,
            pressCardNumber: p.card,
            pressCardExpiresOn: termEnds,
            email: p.email,
            beats: ['an ninh trật tự'],
          },
        }),
      )
      step(24 * 60)
      await withTransaction(database.pool, (tx) =>
        changePartnerStatus({ tx, actor: editor, partnerId: id, to: 'verified', reason: 'Đã đối chiếu thẻ nhà báo với cơ quan báo chí.' }),
      )
      step(24 * 60)
      await withTransaction(database.pool, (tx) =>
        changePartnerStatus({
          tx,
          actor: approver,
          partnerId: id,
          to: 'accredited',
          reason: 'Được công nhận đối tác theo đề nghị của cơ quan báo chí.',
          accreditationEndsOn: termEnds,
        }),
      )
      return id
    })
    created.push({ id, userId: null, label: p.name })
  }
  const known = await db
    .select({ id: partners.id, email: partners.email, name: partners.name, userId: partners.userId })
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), inArray(partners.email, ['phongvien@demo.donghanh.vn', 'le.thuy@ttv.example.vn'])))
  const of = (email: string): Invitee => {
    const r = known.find((x) => x.email === email)
    if (!r) throw new Error(`events demo: no partner ${email}`)
    return { id: r.id, userId: r.userId, label: r.name }
  }
  return {
    trang: of('phongvien@demo.donghanh.vn'),
    thuy: of('le.thuy@ttv.example.vn'),
    ...(Object.fromEntries(DEMO_INVITEES.map((p, i) => [p.key, created[i]])) as Record<(typeof DEMO_INVITEES)[number]['key'], Invitee>),
  }
}

/** The invitation of `partner` to `eventId`. */
async function invitationOf(database: Database, eventId: string, partner: Invitee) {
  const [inv] = await database.db
    .select()
    .from(eventInvitations)
    .where(and(eq(eventInvitations.eventId, eventId), eq(eventInvitations.partnerId, partner.id)))
  if (!inv) throw new Error(`events demo: ${partner.label} was not invited`)
  return inv
}

/**
 * The door of the held press conference, through `recordScans`: the demo journalist's badge read
 * by the camera at the main door, Thuỷ's code typed by hand, a walk-in, and the demo journalist's
 * badge shown again at the side door a few minutes later (a duplicate, kept as a conflict).
 */
async function seedDoor(
  database: Database,
  tenantId: string,
  eventId: string,
  actor: { id: string; label: string },
  startsAt: Date,
  invitees: Record<'trang' | 'thuy', Invitee>,
): Promise<void> {
  const trang = await invitationOf(database, eventId, invitees.trang)
  const thuy = await invitationOf(database, eventId, invitees.thuy)
  const key = await badgeKey(database.db, tenantId)
  const token = signBadge(key, {
    invitationId: trang.id,
    version: trang.badgeVersion,
    exp: badgeExpiry(new Date(startsAt.getTime() + 2 * 3_600_000)),
  })
  const at = (minutesBefore: number) => new Date(startsAt.getTime() - minutesBefore * 60_000)
  const scan = (when: Date, s: Omit<Parameters<typeof recordScans>[1]['scans'][number], 'scannedAt'>) =>
    happenedAt(when, () =>
      withTransaction(database.pool, (tx) =>
        recordScans(tx, { tenantId, eventId, actor, scans: [{ ...s, scannedAt: when.toISOString(), offline: false }] }),
      ),
    )
  const main = 'Cửa chính'
  const expect = (results: { result: string }[], want: string) => {
    if (results[0]?.result !== want) throw new Error(`events demo: a scan at the door gave ${results[0]?.result}, not ${want}`)
  }
  expect(await scan(at(25), { scanId: 'demo-scan-0001', token, door: main, deviceId: 'demo-phone-1' }), 'checked_in')
  if (!thuy.badgeCode) throw new Error('events demo: a confirmed invitation has no badge code')
  expect(await scan(at(18), { scanId: 'demo-scan-0002', code: thuy.badgeCode, door: main, deviceId: 'demo-phone-1' }), 'checked_in')
  expect(
    await scan(at(12), {
      scanId: 'demo-scan-0003',
      walkIn: {
        name: 'Nguyễn Văn Tùng',
        outlet: 'Báo Nhân Dân (thường trú tại Thanh Hóa)',
        note: 'Không có thư mời; đã đối chiếu thẻ nhà báo.',
      },
      door: main,
      deviceId: 'demo-phone-1',
    }),
    'walk_in',
  )
  expect(await scan(at(9), { scanId: 'demo-scan-0004', token, door: 'Cửa phụ', deviceId: 'demo-phone-2' }), 'duplicate')
}

/**
 * Questions during the held press conference, asked from the portal and moderated: one answered
 * (with what the spokesperson said), one merged into it, one never taken up (still pending).
 */
async function seedQuestions(
  database: Database,
  tenantId: string,
  eventId: string,
  moderator: { id: string; label: string },
  startsAt: Date,
  invitees: Record<'trang' | 'thuy' | 'chi', Invitee>,
): Promise<void> {
  const pool = database.pool
  const minute = (m: number) => new Date(startsAt.getTime() + m * 60_000)
  const ask = (m: number, who: Invitee, body: string) =>
    happenedAt(minute(m), () =>
      withTransaction(pool, (tx) =>
        askQuestion({ tx, tenantId, eventId, partnerId: who.id, body, actor: { id: who.userId, label: who.label } }),
      ),
    )
  const first = await ask(
    32,
    invitees.trang,
    'Xin cho biết số vụ lừa đảo qua mạng trong quý III so với cùng kỳ năm trước, và số tiền đã thu hồi cho người bị hại?',
  )
  const repeat = await ask(
    36,
    invitees.thuy,
    'Lừa đảo qua mạng quý III tăng hay giảm so với năm ngoái? Đã trả lại cho người dân được bao nhiêu tiền?',
  )
  await ask(
    48,
    invitees.chi,
    'Lực lượng Cảnh sát giao thông có kế hoạch tăng cường kiểm tra nồng độ cồn trên Quốc lộ 1A vào cuối tuần không?',
  )
  await happenedAt(minute(40), () =>
    withTransaction(pool, (tx) =>
      moderateQuestion({ tx, tenantId, eventId, questionId: repeat.id, action: 'merge', targetId: first.id, actor: moderator }),
    ),
  )
  await happenedAt(minute(55), () =>
    withTransaction(pool, (tx) =>
      moderateQuestion({
        tx,
        tenantId,
        eventId,
        questionId: first.id,
        action: 'answered',
        note: 'Quý III ghi nhận 41 vụ, giảm 12 vụ so với cùng kỳ; đã thu hồi và trả lại người bị hại hơn 3,2 tỷ đồng.',
        actor: moderator,
      }),
    ),
  )
}

/** The latest published demo release, sent afterwards as the event's material. */
async function seedMaterial(
  database: Database,
  tenantId: string,
  eventId: string,
  actor: { id: string; label: string },
  at: Date,
): Promise<void> {
  const [release] = await database.db
    .select({ id: releases.id })
    .from(releases)
    .where(and(eq(releases.tenantId, tenantId), eq(releases.status, 'published')))
    .orderBy(desc(releases.createdAt))
    .limit(1)
  if (!release) throw new Error('events demo: the releases demo published nothing')
  await happenedAt(at, () =>
    withTransaction(database.pool, (tx) =>
      addMaterial({ tx, tenantId, eventId, input: { kind: 'release', releaseId: release.id }, actor }),
    ),
  )
}
