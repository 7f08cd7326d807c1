/**
 * The live questions' sections: on the partner's event page (`/doi-tac/su-kien/:id`), the form
 * to ask (during the event, for an attendee) and their own questions with their state; on the
 * staff event page, the counts per state and the link to the moderators' queue.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { now } from '../../../platform/clock.ts'
import type { AppError } from '../../../platform/errors.ts'
import { type TooLong, TooLongNote } from '../../../platform/html/too-long.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { CsrfField, formatTime } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { QUESTION_STATES } from '../events.tables.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import type { OwnInvitation } from '../invitations/invitations.queries.ts'
import {
  attends,
  ownQuestions,
  QUESTION_MAX_CHARS,
  QUESTION_MIN_CHARS,
  questionCounts,
  questionPhase,
  questionWindow,
} from './questions.queries.ts'

/** What the question form shows again after a refusal: the text as sent, and how a too-long one fared. */
export interface QuestionFormState {
  error: AppError
  body: string
  tooLong?: TooLong
}

const formStates = new WeakMap<FastifyRequest, QuestionFormState>()

/** Keeps a refused question for this request's page, so the form shows it again (the portal page renders the panels). */
export function keepQuestionForm(req: FastifyRequest, state: QuestionFormState): void {
  formStates.set(req, state)
}

/** The partner's section: the form while questions are open, when they open otherwise, and their questions. */
export async function questionsPortalPanel(req: FastifyRequest, reply: FastifyReply, item: OwnInvitation): Promise<SafeHtml | null> {
  const { event, invitation } = item
  const phase = questionPhase(event, now())
  if (phase === 'closed') return null
  const db = req.server.ctx.database.db
  const [mine, attending] = await Promise.all([ownQuestions(db, event.tenantId, event.id, invitation.partnerId), attends(db, invitation)])
  if (!attending && mine.length === 0) return null
  const l = req.locale
  const w = questionWindow(event)
  const kept = formStates.get(req)
  const chars = kept ? [...kept.body].length : 0
  return (
    <section id="questions" class="evq-portal">
      <h2>{t(l, 'evquestions.portal.title')}</h2>
      {phase === 'before' ? (
        <p data-phase="before">
          {t(l, 'evquestions.portal.opensAt', { opens: formatTime(w.opensAt, l), closes: formatTime(w.closesAt, l) })}
        </p>
      ) : phase === 'after' ? (
        <p data-phase="after" class="muted">
          {t(l, 'evquestions.portal.closed')}
        </p>
      ) : !attending ? null : (
        <form method="post" action={`/doi-tac/su-kien/${event.id}/cau-hoi`} id="question-form" class="stack">
          <CsrfField req={req} reply={reply} />
          {kept?.tooLong ? (
            <TooLongNote l={l} messages="evquestions.tooLong" how={kept.tooLong} chars={chars} max={QUESTION_MAX_CHARS} />
          ) : null}
          <label for="question-body">{t(l, 'evquestions.portal.label')}</label>
          <textarea
            id="question-body"
            name="body"
            rows="4"
            required
            minlength={String(QUESTION_MIN_CHARS)}
            aria-describedby="question-help"
            aria-invalid={kept ? 'true' : undefined}
          >
            {kept?.body ?? ''}
          </textarea>
          <p id="question-help" class="small muted">
            {t(l, 'evquestions.portal.help', { min: QUESTION_MIN_CHARS, max: QUESTION_MAX_CHARS })}{' '}
            <span class="evq-counter" data-counter data-max={String(QUESTION_MAX_CHARS)} aria-live="polite">
              {`${chars}/${QUESTION_MAX_CHARS}`}
            </span>
          </p>
          <button type="submit">{t(l, 'evquestions.portal.send')}</button>
        </form>
      )}
      {mine.length ? (
        <>
          <h3>{t(l, 'evquestions.portal.mine')}</h3>
          <ul class="evq-mine">
            {mine.map((q) => (
              <li data-question-id={q.id} data-state={q.state}>
                <span class={`badge evq-state evq-${q.state}`}>{t(l, `evquestions.state.${q.state}`)}</span>{' '}
                <span class="small muted">{formatTime(q.createdAt, l)}</span>
                <p class="evq-body">{q.body}</p>
                {q.state === 'answered' && q.answerNote ? (
                  <p class="small">
                    {t(l, 'evquestions.answerNote')}: {q.answerNote}
                  </p>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {phase === 'open' && attending ? <script src="/assets/questions-live.js" defer></script> : null}
    </section>
  )
}

/** The staff section: counts per state, the link to the queue and to the Q&A summary once made. */
export async function questionsPanel(req: FastifyRequest, _reply: FastifyReply, event: EventRow): Promise<SafeHtml | null> {
  const actor = req.actor
  if (!actor || actor.tenantId !== event.tenantId || !can(actor, 'read', 'event')) return null
  if (event.state === 'draft') return null
  const l = req.locale
  const counts = await questionCounts(req.server.ctx.database.db, event.tenantId, event.id)
  const total = QUESTION_STATES.reduce((n, s) => n + counts[s], 0)
  const w = questionWindow(event)
  return (
    <section id="questions" class="evq-panel">
      <h2>{t(l, 'evquestions.panel.title')}</h2>
      {total === 0 ? (
        <p class="muted">{t(l, 'evquestions.panel.none', { opens: formatTime(w.opensAt, l), closes: formatTime(w.closesAt, l) })}</p>
      ) : (
        <p data-counts>
          {QUESTION_STATES.map((s, i) => (
            <>
              {i ? ' · ' : ''}
              <span data-count={s}>{t(l, `evquestions.state.${s}`)}: </span>
              <strong>{String(counts[s])}</strong>
            </>
          ))}
        </p>
      )}
      <p>
        <a href={`/console/su-kien/${event.id}/cau-hoi`}>{t(l, 'evquestions.panel.open')}</a>
        {event.qaReleaseId ? (
          <>
            {' · '}
            <a href={`/console/releases/${event.qaReleaseId}`}>{t(l, 'evquestions.summary.link')}</a>
          </>
        ) : null}
      </p>
    </section>
  )
}
