/**
 * Reads of live questions: when an event takes questions, who may ask, the moderators' queue
 * (also what the live stream sends), the counts per state and a partner's own questions.
 */
import { and, asc, desc, eq, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { pressOutlets, partners } from '../../partners/partners.tables.ts'
import { eventCheckins, eventQuestions, type QuestionState, QUESTION_STATES } from '../events.tables.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import { localFormat } from '../../../platform/time.ts'

/** Questions open this long before the start and stay open this long after the end (ms). */
export const QUESTION_WINDOW_MARGIN_MS = 30 * 60_000
/** Length of a question, in characters. */
export const QUESTION_MIN_CHARS = 3
export const QUESTION_MAX_CHARS = 2000
/** The flood limits: per partner, at most this many in the sliding window, and per event. */
export const QUESTION_BURST = 5
export const QUESTION_BURST_WINDOW_MS = 10 * 60_000
export const QUESTION_PER_EVENT = 30

/** When the event takes questions (from 30 min before its start to 30 min after its end). */
export function questionWindow(event: Pick<EventRow, 'startsAt' | 'endsAt'>): { opensAt: Date; closesAt: Date } {
  return {
    opensAt: new Date(event.startsAt.getTime() - QUESTION_WINDOW_MARGIN_MS),
    closesAt: new Date(event.endsAt.getTime() + QUESTION_WINDOW_MARGIN_MS),
  }
}

/** An instant as local wall time (Asia/Ho_Chi_Minh), for messages: "14:30 20/05/2025". */
export function shortTime(at: Date): string {
  return localFormat('vi', { timeStyle: 'short', dateStyle: 'short' }).format(at)
}

/** Where `at` stands against the window: 'before', 'open' or 'after'; 'closed' for an event that takes none (draft, cancelled). */
export function questionPhase(event: Pick<EventRow, 'startsAt' | 'endsAt' | 'state'>, at: Date): 'before' | 'open' | 'after' | 'closed' {
  if (event.state !== 'announced' && event.state !== 'done') return 'closed'
  const w = questionWindow(event)
  if (at.getTime() < w.opensAt.getTime()) return 'before'
  if (at.getTime() > w.closesAt.getTime()) return 'after'
  return 'open'
}

/** True when the partner's invitation lets them ask: they said yes or maybe, or they were checked in. */
export async function attends(db: Db | Tx, invitation: { id: string; state: string; eventId: string }): Promise<boolean> {
  if (invitation.state === 'yes' || invitation.state === 'maybe') return true
  const [row] = await db
    .select({ id: eventCheckins.id })
    .from(eventCheckins)
    .where(and(eq(eventCheckins.eventId, invitation.eventId), eq(eventCheckins.invitationId, invitation.id)))
    .limit(1)
  return !!row
}

/** One question as the moderators' queue shows it (and the live stream sends it). */
export interface QueueItem {
  id: string
  state: QuestionState
  body: string
  partnerName: string
  outlet: string | null
  createdAt: string
  mergedInto: string | null
  /** Questions merged into this one. */
  similar: number
  answerNote: string | null
}

/** Counts per state. */
export type QuestionCounts = Record<QuestionState, number>

const STATE_RANK = sql`CASE ${eventQuestions.state} WHEN 'pending' THEN 0 WHEN 'approved' THEN 1 WHEN 'answered' THEN 2 WHEN 'merged' THEN 3 ELSE 4 END`

/** The event's questions, pending first then approved, answered, merged, rejected; newest first within each. */
export async function questionQueue(db: Db | Tx, tenantId: string, eventId: string): Promise<QueueItem[]> {
  const rows = await db
    .select({
      id: eventQuestions.id,
      state: eventQuestions.state,
      body: eventQuestions.body,
      partnerName: partners.name,
      outlet: pressOutlets.name,
      createdAt: eventQuestions.createdAt,
      mergedInto: eventQuestions.mergedInto,
      answerNote: eventQuestions.answerNote,
      similar: sql<number>`(SELECT count(*)::int FROM event_questions m WHERE m.merged_into = ${eventQuestions.id})`,
    })
    .from(eventQuestions)
    .innerJoin(partners, eq(partners.id, eventQuestions.partnerId))
    .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
    .where(and(eq(eventQuestions.tenantId, tenantId), eq(eventQuestions.eventId, eventId)))
    .orderBy(STATE_RANK, desc(eventQuestions.createdAt), asc(eventQuestions.id))
    .limit(1000)
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }))
}

/** Counts per state from a queue. */
export function countsOf(items: readonly Pick<QueueItem, 'state'>[]): QuestionCounts {
  const counts = Object.fromEntries(QUESTION_STATES.map((s) => [s, 0])) as QuestionCounts
  for (const q of items) counts[q.state]++
  return counts
}

/** The event's counts per state (one grouped query). */
export async function questionCounts(db: Db | Tx, tenantId: string, eventId: string): Promise<QuestionCounts> {
  const rows = await db
    .select({ state: eventQuestions.state, n: sql<number>`count(*)::int` })
    .from(eventQuestions)
    .where(and(eq(eventQuestions.tenantId, tenantId), eq(eventQuestions.eventId, eventId)))
    .groupBy(eventQuestions.state)
  const counts = countsOf([])
  for (const r of rows) counts[r.state] = r.n
  return counts
}

/** A partner's own questions to an event, newest first. */
export async function ownQuestions(db: Db | Tx, tenantId: string, eventId: string, partnerId: string) {
  return db
    .select({
      id: eventQuestions.id,
      state: eventQuestions.state,
      body: eventQuestions.body,
      createdAt: eventQuestions.createdAt,
      answerNote: eventQuestions.answerNote,
    })
    .from(eventQuestions)
    .where(and(eq(eventQuestions.tenantId, tenantId), eq(eventQuestions.eventId, eventId), eq(eventQuestions.partnerId, partnerId)))
    .orderBy(desc(eventQuestions.createdAt), asc(eventQuestions.id))
    .limit(QUESTION_PER_EVENT + 10)
}
