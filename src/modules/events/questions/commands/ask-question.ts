import { and, eq, ne, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { prepareText } from '../../../../text/normalize.ts'
import { eventInvitations, eventQuestions, events } from '../../events.tables.ts'
import {
  attends,
  QUESTION_BURST,
  QUESTION_BURST_WINDOW_MS,
  QUESTION_MAX_CHARS,
  QUESTION_MIN_CHARS,
  QUESTION_PER_EVENT,
  questionPhase,
  questionWindow,
  shortTime,
} from '../questions.queries.ts'

/** Control characters other than tab and line feed (C0, DEL, C1). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
const CONTROL_RE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g
/** Zero-width characters and soft hyphens, invisible and meaningless in a question. */
const INVISIBLE_RE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g

/**
 * A question as stored: NFC (legacy Vietnamese encodings repaired), line ends as `\n`, control
 * and invisible characters removed, trailing spaces and more than one blank line dropped, trimmed.
 * Never cut: the length is checked on this form by the caller.
 */
export function cleanQuestion(value: unknown): string {
  const s = typeof value === 'string' ? value : ''
  return prepareText(s.replace(/\r\n?/g, '\n'))
    .text.replace(CONTROL_RE, '')
    .replace(INVISIBLE_RE, '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}

/** Length in characters (code points), as PostgreSQL's char_length counts. */
export function charLength(s: string): number {
  let n = 0
  for (const _ of s) n++
  return n
}

/** Input of a question asked from the portal. */
export interface AskQuestionOptions {
  tx: Tx
  tenantId: string
  eventId: string
  /** The asking partner (the caller resolved it from the session: never from the form). */
  partnerId: string
  /** The text as typed. */
  body: unknown
  actor: AuditActor
  ip?: string
}

/**
 * Records a partner's question to an event they attend, while the event takes questions.
 * The partner's invitation row is locked first, so the flood limits (5 in 10 minutes, 30 per
 * event) are counted with no parallel post of the same partner in between.
 */
export async function askQuestion(o: AskQuestionOptions): Promise<{ id: string }> {
  if (!/^[0-9a-f-]{36}$/i.test(o.eventId)) throw new AppError('EVENT_NOT_FOUND')
  const [row] = await o.tx
    .select({ invitation: eventInvitations, event: events })
    .from(eventInvitations)
    .innerJoin(events, eq(events.id, eventInvitations.eventId))
    .where(
      and(
        eq(eventInvitations.tenantId, o.tenantId),
        eq(eventInvitations.eventId, o.eventId),
        eq(eventInvitations.partnerId, o.partnerId),
        ne(eventInvitations.state, 'withdrawn'),
        ne(events.state, 'draft'),
      ),
    )
    .for('update', { of: eventInvitations })
  // Not theirs, missing, a draft, withdrawn: all alike.
  if (!row) throw new AppError('EVENT_NOT_FOUND')
  const { invitation, event } = row
  const at = now()
  const phase = questionPhase(event, at)
  if (phase !== 'open') {
    const w = questionWindow(event)
    throw new AppError('EVENT_QUESTION_CLOSED', { opens: shortTime(w.opensAt), closes: shortTime(w.closesAt) })
  }
  if (!(await attends(o.tx, invitation))) throw new AppError('EVENT_QUESTION_NOT_ATTENDING')

  const body = cleanQuestion(o.body)
  const chars = charLength(body)
  if (chars > QUESTION_MAX_CHARS) throw new AppError('EVENT_QUESTION_TOO_LONG', { max: QUESTION_MAX_CHARS, chars })
  if (chars < QUESTION_MIN_CHARS) throw new AppError('EVENT_QUESTION_INVALID', { min: QUESTION_MIN_CHARS, max: QUESTION_MAX_CHARS })

  const since = new Date(at.getTime() - QUESTION_BURST_WINDOW_MS)
  const [c] = await o.tx
    .select({
      total: sql<number>`count(*)::int`,
      recent: sql<number>`(count(*) FILTER (WHERE ${eventQuestions.createdAt} > ${since}))::int`,
    })
    .from(eventQuestions)
    .where(and(eq(eventQuestions.eventId, event.id), eq(eventQuestions.partnerId, o.partnerId)))
  if ((c?.total ?? 0) >= QUESTION_PER_EVENT) throw new AppError('EVENT_QUESTION_FLOOD_EVENT', { max: QUESTION_PER_EVENT })
  if ((c?.recent ?? 0) >= QUESTION_BURST) {
    // Of the last QUESTION_BURST, the oldest decides when a slot frees up.
    const [oldest] = await o.tx
      .select({ at: eventQuestions.createdAt })
      .from(eventQuestions)
      .where(and(eq(eventQuestions.eventId, event.id), eq(eventQuestions.partnerId, o.partnerId)))
      .orderBy(sql`${eventQuestions.createdAt} DESC`)
      .limit(1)
      .offset(QUESTION_BURST - 1)
    const freeAt = new Date((oldest?.at ?? at).getTime() + QUESTION_BURST_WINDOW_MS)
    const seconds = Math.max(1, Math.ceil((freeAt.getTime() - at.getTime()) / 1000))
    throw new AppError(
      'EVENT_QUESTION_FLOOD',
      { max: QUESTION_BURST, minutes: QUESTION_BURST_WINDOW_MS / 60_000, at: shortTime(freeAt) },
      { 'retry-after': String(seconds) },
    )
  }

  const [q] = await o.tx
    .insert(eventQuestions)
    .values({ tenantId: o.tenantId, eventId: event.id, partnerId: o.partnerId, body, createdAt: at })
    .returning({ id: eventQuestions.id })
  if (!q) throw new Error('question insert returned nothing')
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.question_asked',
    subjectType: 'event_question',
    subjectId: q.id,
    summary: { eventId: event.id, partnerId: o.partnerId, chars },
    ip: o.ip,
  })
  return { id: q.id }
}
