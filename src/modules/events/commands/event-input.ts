/**
 * The fields of an event as the form sends them, checked and cleaned once for create and
 * update. Every refusal is a typed AppError with a bilingual message (`errors.EVENT_*`).
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { distributionLists } from '../../distribution/distribution.tables.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { EVENT_KINDS, type EventKind } from '../events.tables.ts'

/** What the form gives (times already read as instants from Asia/Ho_Chi_Minh wall time). */
export interface EventInput {
  kind: string
  title: string
  topic?: string
  agendaMd?: string
  startsAt: Date | null
  endsAt: Date | null
  place?: string
  mapUrl?: string
  onlineUrl?: string
  capacity?: string | number | null
  rsvpDeadline?: Date | null
  speakerIds?: string[]
  listIds?: string[]
}

/** The cleaned values, ready for the `events` row. */
export interface CleanEvent {
  kind: EventKind
  title: string
  topic: string
  agendaMd: string
  startsAt: Date
  endsAt: Date
  place: string
  mapUrl: string | null
  onlineUrl: string | null
  capacity: number | null
  rsvpDeadline: Date | null
  speakerIds: string[]
  listIds: string[]
}

/** An http(s) link or null; anything else (javascript:, ftp:, garbage) is refused. */
function cleanUrl(value: string | undefined, field: string): string | null {
  const v = (value ?? '').trim()
  if (!v) return null
  let u: URL
  try {
    u = new URL(v)
  } catch {
    throw new AppError('EVENT_BAD_URL', { field })
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || v.length > 2048) throw new AppError('EVENT_BAD_URL', { field })
  return u.toString()
}

/** Multi-line text (topic, agenda): NFC, CRLF → LF, control characters other than tab/LF dropped, bounded. */
function cleanText(value: string | undefined, max: number): string {
  const v = Array.from((value ?? '').replace(/\r\n?/g, '\n').normalize('NFC'))
    .filter((c) => c === '\n' || c === '\t' || (c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f))
    .join('')
    .trim()
  if (v.length > max) throw new AppError('EVENT_INVALID', { reason: `> ${max}` })
  return v
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Checks and cleans an event's fields: end after start, links http(s), capacity a positive
 * whole number, the answer deadline before the start, speakers active in this tenant's
 * register, lists of this tenant. Throws the first problem found.
 */
export async function cleanEventInput(tx: Tx, tenantId: string, input: EventInput): Promise<CleanEvent> {
  if (!(EVENT_KINDS as readonly string[]).includes(input.kind)) throw new AppError('EVENT_INVALID', { reason: 'loại sự kiện / kind' })
  const title = cleanLine(input.title, 300)
  if (!title || title.length < 3) throw new AppError('EVENT_INVALID', { reason: 'tiêu đề / title' })
  if (!input.startsAt || !input.endsAt) throw new AppError('EVENT_INVALID', { reason: 'thời gian / time' })
  if (input.endsAt.getTime() <= input.startsAt.getTime()) throw new AppError('EVENT_END_BEFORE_START')
  const rsvpDeadline = input.rsvpDeadline ?? null
  if (rsvpDeadline && rsvpDeadline.getTime() > input.startsAt.getTime()) throw new AppError('EVENT_DEADLINE_AFTER_START')
  let capacity: number | null = null
  const rawCap = typeof input.capacity === 'number' ? String(input.capacity) : (input.capacity ?? '').trim()
  if (rawCap !== '') {
    if (!/^\d{1,6}$/.test(rawCap) || Number(rawCap) <= 0) throw new AppError('EVENT_BAD_CAPACITY')
    capacity = Number(rawCap)
  }
  const speakerIds = [...new Set(input.speakerIds ?? [])]
  const listIds = [...new Set(input.listIds ?? [])]
  if (speakerIds.some((id) => !UUID.test(id))) throw new AppError('EVENT_BAD_SPEAKER')
  if (listIds.some((id) => !UUID.test(id))) throw new AppError('EVENT_BAD_LIST')
  if (speakerIds.length) {
    const found = await tx
      .select({ id: spokespersons.id })
      .from(spokespersons)
      .where(and(eq(spokespersons.tenantId, tenantId), eq(spokespersons.active, true), inArray(spokespersons.id, speakerIds)))
    if (found.length !== speakerIds.length) throw new AppError('EVENT_BAD_SPEAKER')
  }
  if (listIds.length) {
    const found = await tx
      .select({ id: distributionLists.id })
      .from(distributionLists)
      .where(and(eq(distributionLists.tenantId, tenantId), inArray(distributionLists.id, listIds)))
    if (found.length !== listIds.length) throw new AppError('EVENT_BAD_LIST')
  }
  return {
    kind: input.kind as EventKind,
    title,
    topic: cleanText(input.topic, 1000),
    agendaMd: cleanText(input.agendaMd, 20000),
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    place: cleanLine(input.place ?? '', 500),
    mapUrl: cleanUrl(input.mapUrl, 'map'),
    onlineUrl: cleanUrl(input.onlineUrl, 'online'),
    capacity,
    rsvpDeadline,
    speakerIds,
    listIds,
  }
}
