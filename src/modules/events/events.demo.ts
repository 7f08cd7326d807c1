/**
 * Demo events: a regular press conference held 40 days ago (done), an upcoming announced one
 * with the register's spokespersons and the accredited-press list invited, and a draft partner
 * meeting. Each step runs the real command with the clock at its moment (`demo-time.ts`), so
 * audit rows, SEQUENCE and the cadence widget look like a real office's.
 */
import { and, asc, eq } from 'drizzle-orm'
import { type Database, withTransaction } from '../../db/index.ts'
import { happenedAt, localDaysAgo } from '../../platform/demo-time.ts'
import { localInputValue } from '../../platform/time.ts'
import { allLists } from '../distribution/lists/lists.repository.ts'
import { spokespersons } from '../spokespersons/spokespersons.tables.ts'
import { announceEvent } from './commands/announce-event.ts'
import { completeEvent } from './commands/complete-event.ts'
import { createEvent } from './commands/create-event.ts'
import type { EventInput } from './commands/event-input.ts'
import type { EventState } from './events.tables.ts'
import { publicIcsPath } from './public/public.routes.tsx'

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
  const base = (startsAt: Date, hours: number): Pick<EventInput, 'startsAt' | 'endsAt' | 'rsvpDeadline'> => ({
    startsAt,
    endsAt: new Date(startsAt.getTime() + hours * 3_600_000),
    rsvpDeadline: new Date(startsAt.getTime() - 16 * 3_600_000),
  })
  const make = (at: Date, input: EventInput) =>
    happenedAt(at, () => withTransaction(pool, (tx) => createEvent({ tx, tenantId, actor: editor, input, uidDomain })))
  const announce = (at: Date, id: string) =>
    happenedAt(at, () => withTransaction(pool, (tx) => announceEvent({ tx, tenantId, actor: approver, id })))

  // 1. Held 40 days ago.
  const pastStart = localDaysAgo(40, 9, 0)
  const past = await make(localDaysAgo(50, 14, 10), {
    kind: 'regular_press_conference',
    title: 'Họp báo định kỳ: kết quả bảo đảm an ninh trật tự quý III',
    topic: 'Kết quả đấu tranh phòng, chống tội phạm và tai nạn giao thông quý III',
    agendaMd: '1. Thông báo kết quả quý III\n2. Trả lời câu hỏi của phóng viên',
    ...base(pastStart, 2),
    place: 'Hội trường Công an tỉnh',
    mapUrl: 'https://www.openstreetmap.org/search?query=C%C3%B4ng%20an%20t%E1%BB%89nh',
    capacity: '60',
    speakerIds: speakers.map((s) => s.id),
    listIds: press ? [press.id] : [],
  })
  await announce(localDaysAgo(48, 8, 40), past.id)
  await happenedAt(localDaysAgo(40, 11, 15), () =>
    withTransaction(pool, (tx) => completeEvent({ tx, tenantId, actor: approver, id: past.id })),
  )

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
