import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { eventQuestions, type QuestionState } from '../../events.tables.ts'
import { lockEvent } from '../../commands/load-event.ts'
import { charLength, cleanQuestion } from './ask-question.ts'

/** What a moderator does to a question. */
export const MODERATION_ACTIONS = ['approve', 'answered', 'merge', 'reject'] as const
export type ModerationAction = (typeof MODERATION_ACTIONS)[number]

/** The states each action may start from, and where it leads. */
const TRANSITIONS: Record<ModerationAction, { from: readonly QuestionState[]; to: QuestionState }> = {
  approve: { from: ['pending'], to: 'approved' },
  answered: { from: ['pending', 'approved'], to: 'answered' },
  merge: { from: ['pending', 'approved'], to: 'merged' },
  reject: { from: ['pending', 'approved'], to: 'rejected' },
}

/** Longest answer note, in characters. */
export const ANSWER_NOTE_MAX = 5000

/** Input of a moderation decision. */
export interface ModerateQuestionOptions {
  tx: Tx
  tenantId: string
  eventId: string
  questionId: string
  action: ModerationAction
  /** `answered`: what was answered (optional). */
  note?: string
  /** `merge`: the question this one repeats. */
  targetId?: string
  actor: AuditActor & { id: string }
  ip?: string
}

const UUID = /^[0-9a-f-]{36}$/i

/**
 * Moves a question of the event from one state to the next: approve (pending → approved),
 * answered (pending/approved → answered, with an optional note), merge (pending/approved →
 * merged into another question of the same event that is neither merged nor rejected; questions
 * already merged into this one follow it to the target), reject (pending/approved → rejected).
 * The event row is locked first, so two moderators cannot merge two questions into each other.
 */
export async function moderateQuestion(o: ModerateQuestionOptions): Promise<{ id: string; from: QuestionState; to: QuestionState }> {
  await lockEvent(o.tx, o.tenantId, o.eventId)
  if (!UUID.test(o.questionId)) throw new AppError('EVENT_QUESTION_NOT_FOUND')
  const [q] = await o.tx
    .select()
    .from(eventQuestions)
    .where(and(eq(eventQuestions.id, o.questionId), eq(eventQuestions.eventId, o.eventId), eq(eventQuestions.tenantId, o.tenantId)))
    .for('update')
  if (!q) throw new AppError('EVENT_QUESTION_NOT_FOUND')
  const rule = TRANSITIONS[o.action]
  if (!rule.from.includes(q.state)) throw new AppError('EVENT_QUESTION_TRANSITION', { from: q.state, action: o.action })
  const at = now()
  const set: Partial<typeof eventQuestions.$inferInsert> = { state: rule.to, moderatedBy: o.actor.id, moderatedAt: at }
  let targetId: string | null = null
  if (o.action === 'answered') {
    const note = cleanQuestion(o.note ?? '')
    if (charLength(note) > ANSWER_NOTE_MAX) throw new AppError('EVENT_QUESTION_NOTE_TOO_LONG', { max: ANSWER_NOTE_MAX })
    set.answerNote = note || null
    set.answeredAt = at
  }
  if (o.action === 'merge') {
    const id = o.targetId ?? ''
    if (!UUID.test(id) || id === q.id) throw new AppError('EVENT_QUESTION_MERGE_TARGET')
    const [target] = await o.tx
      .select()
      .from(eventQuestions)
      .where(and(eq(eventQuestions.id, id), eq(eventQuestions.eventId, q.eventId), eq(eventQuestions.tenantId, o.tenantId)))
      .for('update')
    if (!target || target.state === 'merged' || target.state === 'rejected') throw new AppError('EVENT_QUESTION_MERGE_TARGET')
    targetId = target.id
    set.mergedInto = target.id
    // Those merged into this one now repeat the target: no chain of merges.
    await o.tx.update(eventQuestions).set({ mergedInto: target.id }).where(eq(eventQuestions.mergedInto, q.id))
  }
  await o.tx.update(eventQuestions).set(set).where(eq(eventQuestions.id, q.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.question_moderated',
    subjectType: 'event_question',
    subjectId: q.id,
    summary: {
      eventId: q.eventId,
      action: o.action,
      from: q.state,
      to: rule.to,
      ...(targetId ? { mergedInto: targetId } : {}),
      ...(o.action === 'answered' ? { note: !!set.answerNote } : {}),
    },
    ip: o.ip,
  })
  return { id: q.id, from: q.state, to: rule.to }
}
