/**
 * The partner's event pages (phone-first, one column): the list of their invitations and one
 * event with its details in local time, the calendar download and the answer form.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { now } from '../../../platform/clock.ts'
import { rsvpClosesAt } from './commands/answer-invitation.ts'
import { eventWhen, portalEventPath } from './invitations.mail.ts'
import type { OwnInvitation } from './invitations.queries.ts'

function StateBadge({ state, l }: { state: string; l: Locale }): SafeHtml {
  const cls = state === 'yes' ? 'badge ok' : state === 'waitlisted' || state === 'maybe' ? 'badge warn' : 'badge'
  return <span class={cls}>{t(l, `evinv.state.${state}`)}</span>
}

/** `/doi-tac/su-kien`: the partner's invitations. */
export function portalEventsPage({ req, reply }: R, o: { items: OwnInvitation[] }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'evinv.portal.title'), shell: 'console', current: 'events' },
    <section class="evinv-list">
      {o.items.length === 0 ? (
        <p class="muted">{t(l, 'evinv.portal.none')}</p>
      ) : (
        <ul class="plain-list">
          {o.items.map(({ event, invitation }) => (
            <li class="card" data-event={event.id}>
              <a href={portalEventPath(event.id)}>
                <strong>{event.title}</strong>
              </a>
              <br />
              <span class="small">{eventWhen(event, l)}</span>
              <br />
              {event.state === 'cancelled' ? (
                <span class="badge warn">{t(l, 'evinv.portal.cancelled')}</span>
              ) : (
                <StateBadge state={invitation.state} l={l} />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>,
  )
}

/** `/doi-tac/su-kien/:id`: one event, the .ics link and the answer form. */
export function portalEventPage(
  { req, reply }: R,
  o: {
    item: OwnInvitation
    /** A notice after a saved answer: 'saved' or 'waitlisted'. */
    notice?: string
    error?: AppError | null
    values?: { answer?: string; companionName?: string; companionRole?: string }
    /** The sections of the module's other parts (badge, live questions). */
    panels?: SafeHtml[]
  },
) {
  const l = req.locale
  const { event, invitation } = o.item
  const closesAt = rsvpClosesAt(event)
  const open = event.state === 'announced' && now().getTime() < closesAt.getTime()
  const v = o.values ?? {
    answer: invitation.state === 'waitlisted' ? 'yes' : invitation.state,
    companionName: invitation.companionName ?? '',
    companionRole: invitation.companionRole ?? '',
  }
  return sendPage(
    req,
    reply,
    { title: event.title, shell: 'console', current: 'events', status: o.error?.status },
    <article class="evinv-event">
      <p>
        <a href="/doi-tac/su-kien">← {t(l, 'evinv.portal.back')}</a>
      </p>
      <h1>{event.title}</h1>
      {o.notice === 'waitlisted' ? <Alert kind="warn">{t(l, 'evinv.portal.waitlisted')}</Alert> : null}
      {o.notice === 'saved' ? <Alert kind="ok">{t(l, 'evinv.portal.saved')}</Alert> : null}
      <FormError l={l} error={o.error} />
      {event.state === 'cancelled' ? (
        <Alert kind="warn">
          {t(l, 'evinv.portal.cancelled')}
          {event.cancelReason ? ` ${event.cancelReason}` : ''}
        </Alert>
      ) : null}
      <dl>
        <dt>{t(l, 'evinv.portal.when')}</dt>
        <dd data-when>{eventWhen(event, l)}</dd>
        <dt>{t(l, 'evinv.portal.place')}</dt>
        <dd>
          {event.place || '—'}
          {event.mapUrl ? (
            <>
              {' '}
              · <a href={event.mapUrl}>{t(l, 'evinv.portal.map')}</a>
            </>
          ) : null}
        </dd>
        {event.onlineUrl ? (
          <>
            <dt>{t(l, 'evinv.portal.online')}</dt>
            <dd>
              <a href={event.onlineUrl}>{event.onlineUrl}</a>
            </dd>
          </>
        ) : null}
        <dt>{t(l, 'evinv.portal.yourAnswer')}</dt>
        <dd data-state={invitation.state}>
          <StateBadge state={invitation.state} l={l} />
          {invitation.companionName
            ? ` + ${invitation.companionName}${invitation.companionRole ? ` (${invitation.companionRole})` : ''}`
            : ''}
        </dd>
      </dl>
      {event.topic ? <p>{event.topic}</p> : null}
      {event.agendaMd ? (
        <>
          <h2>{t(l, 'evinv.portal.agenda')}</h2>
          <pre class="evinv-agenda">{event.agendaMd}</pre>
        </>
      ) : null}
      <p>
        <a class="button" href={`${portalEventPath(event.id)}.ics`} download>
          {t(l, 'evinv.portal.ics')}
        </a>
      </p>
      {open ? (
        <form method="post" action={`${portalEventPath(event.id)}/tra-loi`} class="stack">
          <CsrfField req={req} reply={reply} />
          <fieldset>
            <legend>{t(l, 'evinv.portal.answer')}</legend>
            {(['yes', 'no', 'maybe'] as const).map((a) => (
              <label class="radio">
                <input type="radio" name="answer" value={a} checked={v.answer === a} required /> {t(l, `evinv.state.${a}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t(l, 'evinv.portal.companionName')}
            <input name="companionName" maxlength="200" value={v.companionName ?? ''} autocomplete="off" />
          </label>
          <label>
            {t(l, 'evinv.portal.companionRole')}
            <input name="companionRole" maxlength="100" value={v.companionRole ?? ''} />
          </label>
          <p class="small muted">{t(l, 'evinv.portal.closesAt', { at: formatTime(closesAt, l) })}</p>
          <button type="submit">{t(l, 'evinv.portal.send')}</button>
        </form>
      ) : event.state === 'announced' ? (
        <p class="muted">{t(l, 'evinv.portal.closed')}</p>
      ) : null}
      {o.panels ?? null}
    </article>,
  )
}
