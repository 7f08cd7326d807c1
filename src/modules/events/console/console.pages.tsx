/**
 * Staff pages of events: the list (upcoming, then past), the form (new and edit), the detail
 * page with its actions, and the cadence settings. Times are shown and typed in local time
 * (Asia/Ho_Chi_Minh).
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { renderMarkdown } from '../../../platform/markdown/index.ts'
import { localFormat, localInputValue } from '../../../platform/time.ts'
import type { CadenceRule } from '../events.cadence.ts'
import { EVENT_KINDS } from '../events.tables.ts'
import type { EventListRow, EventRow } from './console.queries.ts'

/** An event's time in local words: "20/11/2026, 09:00 – 11:00". */
export function eventTime(e: Pick<EventRow, 'startsAt' | 'endsAt'>, l: Locale): string {
  const start = localFormat(l, { dateStyle: 'short', timeStyle: 'short' }).format(e.startsAt)
  const sameDay = localFormat(l, { dateStyle: 'short' }).format(e.startsAt) === localFormat(l, { dateStyle: 'short' }).format(e.endsAt)
  const end = sameDay
    ? localFormat(l, { timeStyle: 'short' }).format(e.endsAt)
    : localFormat(l, { dateStyle: 'short', timeStyle: 'short' }).format(e.endsAt)
  return `${start} – ${end}`
}

function Counts({ l, r }: { l: Locale; r: EventListRow }): SafeHtml | null {
  if (r.yes + r.maybe + r.no === 0) return null
  return <span class="small">{t(l, 'events-core.counts', { yes: r.yes, maybe: r.maybe, no: r.no })}</span>
}

function Rows({ l, rows }: { l: Locale; rows: EventListRow[] }): SafeHtml {
  return (
    <table>
      <thead>
        <tr>
          <th>{t(l, 'events-core.field.title')}</th>
          <th>{t(l, 'events-core.field.kind')}</th>
          <th>{t(l, 'events-core.field.time')}</th>
          <th>{t(l, 'events-core.field.state')}</th>
          <th>{t(l, 'events-core.answers')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr>
            <td>
              <a href={`/console/su-kien/${r.event.id}`}>{r.event.title}</a>
            </td>
            <td>{t(l, `events-core.kind.${r.event.kind}`)}</td>
            <td class="nowrap">{eventTime(r.event, l)}</td>
            <td>
              <span class={`badge state-${r.event.state}`}>{t(l, `events-core.state.${r.event.state}`)}</span>
            </td>
            <td>
              <Counts l={l} r={r} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** The list of events. */
export function eventListPage(
  { req, reply }: R,
  o: { upcoming: EventListRow[]; past: EventListRow[]; canEdit: boolean; canConfigure: boolean; notice?: string },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'events-core.title'), shell: 'console', current: 'events.nav' },
    <>
      <h1>{t(l, 'events-core.title')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <p class="row">
        {o.canEdit ? (
          <a class="button" href="/console/su-kien/moi">
            {t(l, 'events-core.new')}
          </a>
        ) : null}
        <a href="/console/su-kien/nhip">{t(l, 'events-core.cadence.title')}</a>
        <a href="/console/su-kien/tham-du">{t(l, 'evafterwards.report.title')}</a>
        <a href="/console/doi-tac/ghi-nhan">{t(l, 'evrec.nav')}</a>
        <a href="/lich-hop-bao">{t(l, 'events-core.public.title')}</a>
      </p>
      <h2>{t(l, 'events-core.upcoming')}</h2>
      {o.upcoming.length ? <Rows l={l} rows={o.upcoming} /> : <p class="muted">{t(l, 'events-core.none')}</p>}
      <h2>{t(l, 'events-core.past')}</h2>
      {o.past.length ? <Rows l={l} rows={o.past} /> : <p class="muted">{t(l, 'events-core.none')}</p>}
    </>,
  )
}

/** What the form shows (typed values on a refusal, the event's values on edit). */
export interface EventFormValues {
  kind: string
  title: string
  topic: string
  agendaMd: string
  startsAt: string
  endsAt: string
  place: string
  mapUrl: string
  onlineUrl: string
  capacity: string
  rsvpDeadline: string
  speakerIds: string[]
  listIds: string[]
}

/** The form values of a stored event (times as local `datetime-local` values). */
export function formValuesOf(e: EventRow, speakerIds: string[], listIds: string[]): EventFormValues {
  return {
    kind: e.kind,
    title: e.title,
    topic: e.topic,
    agendaMd: e.agendaMd,
    startsAt: localInputValue(e.startsAt),
    endsAt: localInputValue(e.endsAt),
    place: e.place,
    mapUrl: e.mapUrl ?? '',
    onlineUrl: e.onlineUrl ?? '',
    capacity: e.capacity === null ? '' : String(e.capacity),
    rsvpDeadline: e.rsvpDeadline ? localInputValue(e.rsvpDeadline) : '',
    speakerIds,
    listIds,
  }
}

/** New or edit form. */
export function eventFormPage(
  { req, reply }: R,
  o: {
    id?: string
    values?: Partial<EventFormValues>
    speakers: { id: string; name: string; title: string; active: boolean }[]
    lists: { id: string; name: string }[]
    announced?: boolean
    error?: AppError
  },
) {
  const l = req.locale
  const v = o.values ?? {}
  const title = t(l, o.id ? 'events-core.edit' : 'events-core.new')
  return sendPage(
    req,
    reply,
    { title, shell: 'console', current: 'events.nav', status: o.error?.status },
    <>
      <h1>{title}</h1>
      <FormError l={l} error={o.error} />
      {o.announced ? <Alert kind="warn">{t(l, 'events-core.form.announcedHint')}</Alert> : null}
      <form method="post" action={o.id ? `/console/su-kien/${o.id}/sua` : '/console/su-kien/moi'} class="stack">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'events-core.field.kind')}
          <select name="kind" required>
            {EVENT_KINDS.map((k) => (
              <option value={k} selected={v.kind === k}>
                {t(l, `events-core.kind.${k}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'events-core.field.title')}
          <input name="title" required minlength="3" maxlength="300" value={v.title ?? ''} />
        </label>
        <label>
          {t(l, 'events-core.field.topic')}
          <textarea name="topic" maxlength="1000" rows="2">
            {v.topic ?? ''}
          </textarea>
        </label>
        <label>
          {t(l, 'events-core.field.agenda')}
          <textarea name="agendaMd" maxlength="20000" rows="6">
            {v.agendaMd ?? ''}
          </textarea>
        </label>
        <div class="row">
          <label>
            {t(l, 'events-core.field.startsAt')}
            <input type="datetime-local" name="startsAt" required value={v.startsAt ?? ''} />
          </label>
          <label>
            {t(l, 'events-core.field.endsAt')}
            <input type="datetime-local" name="endsAt" required value={v.endsAt ?? ''} />
          </label>
        </div>
        <p class="hint">{t(l, 'events-core.form.zoneHint')}</p>
        <label>
          {t(l, 'events-core.field.place')}
          <input name="place" maxlength="500" value={v.place ?? ''} />
        </label>
        <div class="row">
          <label>
            {t(l, 'events-core.field.mapUrl')}
            <input type="url" name="mapUrl" maxlength="2048" value={v.mapUrl ?? ''} />
          </label>
          <label>
            {t(l, 'events-core.field.onlineUrl')}
            <input type="url" name="onlineUrl" maxlength="2048" value={v.onlineUrl ?? ''} />
          </label>
        </div>
        <div class="row">
          <label>
            {t(l, 'events-core.field.capacity')}
            <input type="number" name="capacity" min="1" step="1" value={v.capacity ?? ''} />
          </label>
          <label>
            {t(l, 'events-core.field.rsvpDeadline')}
            <input type="datetime-local" name="rsvpDeadline" value={v.rsvpDeadline ?? ''} />
          </label>
        </div>
        <fieldset>
          <legend>{t(l, 'events-core.field.speakers')}</legend>
          {o.speakers.length === 0 ? <p class="muted">{t(l, 'events-core.form.noSpeakers')}</p> : null}
          {o.speakers
            .filter((s) => s.active || v.speakerIds?.includes(s.id))
            .map((s) => (
              <label style="display:flex;gap:.5rem;align-items:center">
                <input type="checkbox" name="speakerIds" value={s.id} checked={v.speakerIds?.includes(s.id) ?? false} />
                {s.name} — {s.title}
              </label>
            ))}
        </fieldset>
        <fieldset>
          <legend>{t(l, 'events-core.field.lists')}</legend>
          {o.lists.map((x) => (
            <label style="display:flex;gap:.5rem;align-items:center">
              <input type="checkbox" name="listIds" value={x.id} checked={v.listIds?.includes(x.id) ?? false} />
              {x.name}
            </label>
          ))}
        </fieldset>
        <div class="row">
          <button type="submit">{t(l, 'events-core.save')}</button>
          <a href={o.id ? `/console/su-kien/${o.id}` : '/console/su-kien'}>{t(l, 'events-core.back')}</a>
        </div>
      </form>
    </>,
  )
}

/** One event: everything about it, its actions, and the invitations panel. */
export function eventDetailPage(
  { req, reply }: R,
  o: {
    event: EventRow
    speakers: { id: string; name: string; title: string }[]
    lists: { id: string; name: string }[]
    can: { edit: boolean; announce: boolean; cancel: boolean }
    invitations: SafeHtml | null
    /** The sections of the module's other parts (badges, check-in, questions, materials). */
    panels?: SafeHtml[]
    notice?: string
    error?: AppError
  },
) {
  const l = req.locale
  const e = o.event
  const open = e.state === 'draft' || e.state === 'announced'
  return sendPage(
    req,
    reply,
    { title: e.title, shell: 'console', current: 'events.nav', status: o.error?.status },
    <>
      <p>
        <a href="/console/su-kien">{t(l, 'events-core.back')}</a>
      </p>
      <h1>{e.title}</h1>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <p>
        <span class={`badge state-${e.state}`}>{t(l, `events-core.state.${e.state}`)}</span> {t(l, `events-core.kind.${e.kind}`)} ·{' '}
        {t(l, 'events-core.sequence', { n: e.sequence })}
      </p>
      {e.state === 'cancelled' ? <Alert kind="warn">{t(l, 'events-core.cancelledBecause', { reason: e.cancelReason ?? '' })}</Alert> : null}
      <dl>
        <dt>{t(l, 'events-core.field.time')}</dt>
        <dd>{eventTime(e, l)} (GMT+7)</dd>
        <dt>{t(l, 'events-core.field.place')}</dt>
        <dd>
          {e.place || '—'}
          {e.mapUrl ? (
            <>
              {' '}
              · <a href={e.mapUrl}>{t(l, 'events-core.map')}</a>
            </>
          ) : null}
        </dd>
        {e.onlineUrl ? (
          <>
            <dt>{t(l, 'events-core.field.onlineUrl')}</dt>
            <dd>
              <a href={e.onlineUrl}>{e.onlineUrl}</a>
            </dd>
          </>
        ) : null}
        <dt>{t(l, 'events-core.field.topic')}</dt>
        <dd>{e.topic || '—'}</dd>
        <dt>{t(l, 'events-core.field.capacity')}</dt>
        <dd>{e.capacity ?? t(l, 'events-core.noLimit')}</dd>
        <dt>{t(l, 'events-core.field.rsvpDeadline')}</dt>
        <dd>
          {e.rsvpDeadline
            ? localFormat(l, { dateStyle: 'short', timeStyle: 'short' }).format(e.rsvpDeadline)
            : t(l, 'events-core.untilStart')}
        </dd>
        <dt>{t(l, 'events-core.field.speakers')}</dt>
        <dd>{o.speakers.length ? o.speakers.map((s) => `${s.name} (${s.title})`).join('; ') : '—'}</dd>
        <dt>{t(l, 'events-core.field.lists')}</dt>
        <dd>{o.lists.length ? o.lists.map((x) => x.name).join('; ') : '—'}</dd>
      </dl>
      {e.agendaMd ? (
        <section>
          <h2>{t(l, 'events-core.field.agenda')}</h2>
          {raw(renderMarkdown(e.agendaMd).html)}
        </section>
      ) : null}
      {open ? (
        <section class="row" id="event-actions">
          {o.can.edit ? (
            <a class="button secondary" href={`/console/su-kien/${e.id}/sua`}>
              {t(l, 'events-core.edit')}
            </a>
          ) : null}
          {o.can.announce && e.state === 'draft' ? (
            <form method="post" action={`/console/su-kien/${e.id}/cong-bo`}>
              <CsrfField req={req} reply={reply} />
              <button type="submit">{t(l, 'events-core.announce')}</button>
            </form>
          ) : null}
          {e.state === 'announced' && (e.kind === 'regular_press_conference' || e.kind === 'adhoc_press_conference') ? (
            <a href={`/lich-hop-bao#su-kien-${e.id}`}>{t(l, 'events-core.public.see')}</a>
          ) : null}
        </section>
      ) : null}
      {open && o.can.cancel ? (
        <details>
          <summary>{t(l, 'events-core.cancel')}</summary>
          <form method="post" action={`/console/su-kien/${e.id}/huy`} class="stack">
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'events-core.field.cancelReason')}
              <textarea name="reason" required minlength="3" maxlength="1000" rows="2" />
            </label>
            <button type="submit" class="danger">
              {t(l, 'events-core.cancelConfirm')}
            </button>
          </form>
        </details>
      ) : null}
      <section id="event-invitations">{o.invitations}</section>
      {o.panels ?? null}
    </>,
  )
}

/** One cadence rule as a sentence ("12 days left until …"). */
export function cadenceSentence(r: CadenceRule, l: Locale): string {
  const rule = t(l, `events-core.cadence.rule.${r.rule}`, { n: r.everyDays })
  if (r.daysLeft === null) return t(l, 'events-core.cadence.never', { rule })
  const due = localFormat(l, { dateStyle: 'short' }).format(new Date(`${r.dueDay}T12:00:00+07:00`))
  if (r.daysLeft < 0) return t(l, 'events-core.cadence.overdue', { rule, n: -r.daysLeft, due })
  return t(l, 'events-core.cadence.left', { rule, n: r.daysLeft, due })
}

/** The dashboard's cadence block: a warning when a rule is soon due or overdue, else nothing. */
export function CadenceWarning({ l, rules }: { l: Locale; rules: CadenceRule[] }): SafeHtml | null {
  const due = rules.filter((r) => r.level !== 'ok')
  if (due.length === 0) return null
  return (
    <div id="cadence-warning">
      <Alert kind={due.some((r) => r.level === 'overdue') ? 'error' : 'warn'}>
        <strong>{t(l, 'events-core.cadence.warning')}</strong>
        <ul>
          {due.map((r) => (
            <li>{cadenceSentence(r, l)}</li>
          ))}
        </ul>
        <a href="/console/su-kien">{t(l, 'events-core.cadence.plan')}</a>
      </Alert>
    </div>
  )
}

/** The cadence page: the rules' state and, for approvers and admins, the settings form. */
export function cadencePage(
  { req, reply }: R,
  o: {
    rules: CadenceRule[]
    settings: { conferenceDays: number | string; updateDays: number | string }
    canConfigure: boolean
    notice?: string
    error?: AppError
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'events-core.cadence.title'), shell: 'console', current: 'events.nav', status: o.error?.status },
    <>
      <p>
        <a href="/console/su-kien">{t(l, 'events-core.back')}</a>
      </p>
      <h1>{t(l, 'events-core.cadence.title')}</h1>
      <p class="muted">{t(l, 'events-core.cadence.intro')}</p>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <ul>
        {o.rules.map((r) => (
          <li class={`cadence-${r.level}`}>
            <span class="badge">{t(l, `events-core.cadence.level.${r.level}`)}</span> {cadenceSentence(r, l)}
          </li>
        ))}
      </ul>
      {o.canConfigure ? (
        <form method="post" action="/console/su-kien/nhip" class="stack">
          <CsrfField req={req} reply={reply} />
          <div class="row">
            <label>
              {t(l, 'events-core.cadence.conferenceDays')}
              <input type="number" name="conferenceDays" min="7" max="366" required value={String(o.settings.conferenceDays)} />
            </label>
            <label>
              {t(l, 'events-core.cadence.updateDays')}
              <input type="number" name="updateDays" min="1" max="366" required value={String(o.settings.updateDays)} />
            </label>
          </div>
          <div class="row">
            <button type="submit">{t(l, 'events-core.save')}</button>
          </div>
        </form>
      ) : null}
    </>,
  )
}
