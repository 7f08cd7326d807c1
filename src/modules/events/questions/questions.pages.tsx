/**
 * The moderators' queue (`/console/su-kien/:id/cau-hoi`): every question with its asker, time,
 * state and text, and the actions as plain forms (work without JavaScript). The page follows
 * the live stream (`/assets/questions-live.js`): new questions are added and states change in
 * place; the forms are the page's own, so they keep working (and keep their CSRF token).
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { QUESTION_STATES } from '../events.tables.ts'
import { type EventRow, eventWhen } from '../invitations/invitations.mail.ts'
import { countsOf, type QueueItem } from './questions.queries.ts'

/** The queue item's markup, shared by the page and (as a template) by the live script. */
function QuestionItem({
  l,
  base,
  q,
  items,
  mayModerate,
  csrf,
}: {
  l: Locale
  base: string
  q: QueueItem
  items: readonly QueueItem[]
  mayModerate: boolean
  csrf: SafeHtml
}): SafeHtml {
  const action = (path: string) => `${base}/${q.id}/${path}`
  const targets = items.filter((x) => x.id !== q.id && x.state !== 'merged' && x.state !== 'rejected')
  return (
    <li class="evq-item card" id={`q-${q.id}`} data-question-id={q.id} data-state={q.state}>
      <div class="evq-head">
        <span class={`badge evq-state evq-${q.state}`} data-f="state">
          {t(l, `evquestions.state.${q.state}`)}
        </span>{' '}
        <strong data-f="asker">{q.partnerName}</strong>
        <span class="muted" data-f="outlet">
          {q.outlet ? ` · ${q.outlet}` : ''}
        </span>{' '}
        <time class="small muted" datetime={q.createdAt} data-f="at">
          {formatTime(new Date(q.createdAt), l)}
        </time>{' '}
        <span class="badge evq-similar" data-f="similar" hidden={q.similar === 0}>
          {t(l, 'evquestions.similar', { n: q.similar })}
        </span>
      </div>
      <p class="evq-body" data-f="body">
        {q.body}
      </p>
      <p class="small evq-merged" data-f="merged" hidden={!q.mergedInto}>
        {t(l, 'evquestions.mergedInto')} <a href={q.mergedInto ? `#q-${q.mergedInto}` : '#'}>↑</a>
      </p>
      <p class="small evq-note" data-f="note" hidden={!q.answerNote}>
        {t(l, 'evquestions.answerNote')}: <span data-f="noteText">{q.answerNote ?? ''}</span>
      </p>
      {mayModerate ? (
        <div class="evq-actions">
          <form method="post" action={action('duyet')} class="evq-approve">
            {csrf}
            <button type="submit" data-action="approve">
              {t(l, 'evquestions.action.approve')}
            </button>
          </form>
          <form method="post" action={action('da-tra-loi')} class="evq-answered">
            {csrf}
            <label class="small">
              {t(l, 'evquestions.action.note')}
              <textarea name="note" rows="1" maxlength="5000"></textarea>
            </label>
            <button type="submit" data-action="answered">
              {t(l, 'evquestions.action.answered')}
            </button>
          </form>
          <form method="post" action={action('gop')} class="evq-merge">
            {csrf}
            <label class="small">
              {t(l, 'evquestions.action.mergeInto')}
              <select name="target" required data-f="targets">
                <option value="">—</option>
                {targets.map((x) => (
                  <option value={x.id}>{excerpt(x)}</option>
                ))}
              </select>
            </label>
            <button type="submit" data-action="merge">
              {t(l, 'evquestions.action.merge')}
            </button>
          </form>
          <form method="post" action={action('tu-choi')} class="evq-reject">
            {csrf}
            <button type="submit" class="secondary" data-action="reject">
              {t(l, 'evquestions.action.reject')}
            </button>
          </form>
        </div>
      ) : null}
    </li>
  )
}

/** A question's first words and its asker, for the merge choice. */
export function excerpt(q: Pick<QueueItem, 'body' | 'partnerName'>): string {
  const chars = [...q.body]
  return `${chars.slice(0, 80).join('')}${chars.length > 80 ? '…' : ''} (${q.partnerName})`
}

/** The queue page. */
export function questionQueuePage(
  { req, reply }: R,
  o: {
    event: EventRow
    items: QueueItem[]
    mayModerate: boolean
    notice?: string
    error?: AppError | null
  },
) {
  const l = req.locale
  const { event, items } = o
  const base = `/console/su-kien/${event.id}/cau-hoi`
  const counts = countsOf(items)
  const csrf = <CsrfField req={req} reply={reply} />
  const labels = Object.fromEntries(QUESTION_STATES.map((s) => [s, t(l, `evquestions.state.${s}`)]))
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'evquestions.queue.title', { title: event.title }),
      shell: 'console',
      current: 'events',
      status: o.error?.status,
      head: raw('<script src="/assets/questions-live.js" defer></script>'),
    },
    <article class="evq-queue">
      <p>
        <a href={`/console/su-kien/${event.id}`}>← {event.title}</a>
      </p>
      <h1>{t(l, 'evquestions.queue.title', { title: event.title })}</h1>
      <p class="muted">{eventWhen(event, l)}</p>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      <p data-counts>
        {QUESTION_STATES.map((s, i) => (
          <>
            {i ? ' · ' : ''}
            {labels[s]}: <strong data-count={s}>{String(counts[s])}</strong>
          </>
        ))}{' '}
        <span class="evq-live" data-live="off" hidden title={t(l, 'evquestions.queue.liveHelp')}>
          {t(l, 'evquestions.queue.live')}
        </span>
      </p>
      {o.mayModerate ? (
        <section class="evq-summary card">
          {event.qaReleaseId ? (
            <p>
              {t(l, 'evquestions.summary.made')}{' '}
              <a href={`/console/releases/${event.qaReleaseId}`} data-qa-release>
                {t(l, 'evquestions.summary.link')}
              </a>
            </p>
          ) : (
            <form method="post" action={`${base}/tong-hop`}>
              {csrf}
              <p class="small muted">{t(l, 'evquestions.summary.help')}</p>
              <button type="submit" data-action="summary">
                {t(l, 'evquestions.summary.make')}
              </button>
            </form>
          )}
        </section>
      ) : null}
      <p class="muted" data-f="empty" hidden={items.length > 0}>
        {t(l, 'evquestions.queue.none')}
      </p>
      <ol
        class="evq-list"
        data-questions-stream={`${base}/luong`}
        data-base={base}
        data-labels={JSON.stringify(labels)}
        data-similar={t(l, 'evquestions.similar', { n: '{n}' })}
        data-locale={l}
      >
        {items.map((q) => (
          <QuestionItem l={l} base={base} q={q} items={items} mayModerate={o.mayModerate} csrf={csrf} />
        ))}
      </ol>
      <template id="evq-template">
        <QuestionItem
          l={l}
          base={base}
          q={{
            id: '__ID__',
            state: 'pending',
            body: '',
            partnerName: '',
            outlet: null,
            createdAt: new Date(0).toISOString(),
            mergedInto: null,
            similar: 0,
            answerNote: null,
          }}
          items={[]}
          mayModerate={o.mayModerate}
          csrf={csrf}
        />
      </template>
    </article>,
  )
}
