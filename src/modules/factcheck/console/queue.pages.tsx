/**
 * The desk's queue page: open claims by priority then SLA due time, with level, harm, spread,
 * the SLA clock (overdue in red, escalation marked) and the assignee; filters; and the staff
 * entry form. The queue shows statements only — never anything about who asked.
 */
import type { AppError } from '../../../platform/errors.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { hasMessage, type Locale, t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { CLAIM_STATUSES, LEVELS } from '../factcheck.tables.ts'
import { DESK, DESK_STYLE, FormError, formatDuration, type R } from './desk-kit.tsx'
import type { QueueFilter, QueueRow } from './desk.queries.ts'

/** Values of the staff entry form (kept after a refusal). */
export interface EntryValues {
  text: string
  links: string
  seenWhere: string
}

/** The SLA clock of an open claim: time left, or overdue (red), and escalation. */
export function SlaClock({
  l,
  due,
  now,
  escalatedAt,
  open,
}: {
  l: Locale
  due: Date
  now: Date
  escalatedAt: Date | null
  open: boolean
}): SafeHtml {
  if (!open) return <span class="muted small">{formatTime(due, l)}</span>
  const left = due.getTime() - now.getTime()
  return (
    <span>
      {left >= 0 ? (
        <span title={formatTime(due, l)}>{t(l, 'desk.sla.left', { d: formatDuration(left, l) })}</span>
      ) : (
        <strong class="overdue" title={formatTime(due, l)}>
          {t(l, 'desk.sla.overdue', { d: formatDuration(left, l) })}
        </strong>
      )}
      {escalatedAt ? (
        <>
          {' '}
          <span class="badge escalated" title={formatTime(escalatedAt, l)}>
            {t(l, 'desk.sla.escalated')}
          </span>
        </>
      ) : null}
    </span>
  )
}

/** A level badge. */
export function LevelBadge({ l, level }: { l: Locale; level: string }): SafeHtml {
  return <span class={`badge level-${level}`}>{t(l, `desk.level.${level}`)}</span>
}

/** The queue page. */
export function queuePage(
  { req, reply }: R,
  o: { rows: QueueRow[]; filter: QueueFilter & { mine: boolean }; now: Date; entry: EntryValues; error?: AppError | null },
) {
  const l = req.locale
  const f = o.filter
  const canEnter = can(req.actor, 'investigate', 'claim')
  const open = (s: string) => ['new', 'investigating', 'verdict_draft', 'verdict_submitted'].includes(s)
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'desk.queue.title'),
      shell: 'console',
      current: 'desk.nav',
      status: o.error?.status,
      head: raw(`<style>${DESK_STYLE}</style>`),
    },
    <>
      <h1>{t(l, 'desk.queue.title')}</h1>
      <p class="muted">{t(l, 'desk.queue.intro')}</p>
      {can(req.actor, 'read', 'factcheck-dashboard') ? (
        <p>
          <a href={`${DESK}/bang-dieu-khien`}>{t(l, 'desk.dashboard.title')} →</a>
        </p>
      ) : null}
      <form method="get" action={DESK} class="filters card" aria-label={t(l, 'desk.queue.filters')}>
        <label>
          {t(l, 'desk.queue.status')}
          <select name="status">
            <option value="open" selected={!f.status || f.status === 'open'}>
              {t(l, 'desk.queue.statusOpen')}
            </option>
            <option value="all" selected={f.status === 'all'}>
              {t(l, 'desk.queue.statusAll')}
            </option>
            {CLAIM_STATUSES.map((s) => (
              <option value={s} selected={f.status === s}>
                {t(l, `desk.status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'desk.queue.level')}
          <select name="level">
            <option value="">{t(l, 'desk.queue.levelAny')}</option>
            {LEVELS.map((v) => (
              <option value={v} selected={f.level === v}>
                {t(l, `desk.level.${v}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input type="checkbox" name="mine" value="1" checked={f.mine} /> {t(l, 'desk.queue.mine')}
        </label>
        <button type="submit" class="secondary">
          {t(l, 'desk.queue.apply')}
        </button>
      </form>
      {o.rows.length === 0 ? (
        <p class="muted">{t(l, 'desk.queue.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table id="queue" class="stack-phone">
            <caption class="sr-only">{t(l, 'desk.queue.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t(l, 'desk.col.claim')}</th>
                <th scope="col">{t(l, 'desk.col.level')}</th>
                <th scope="col">{t(l, 'desk.col.harm')}</th>
                <th scope="col">{t(l, 'desk.col.spread')}</th>
                <th scope="col">{t(l, 'desk.col.sla')}</th>
                <th scope="col">{t(l, 'desk.col.assignee')}</th>
                <th scope="col">{t(l, 'desk.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {o.rows.map((r) => {
                const overdue = open(r.status) && r.slaDueAt.getTime() < o.now.getTime()
                return (
                  <tr class={overdue ? 'overdue-row' : undefined} data-claim={r.code}>
                    <td>
                      <a href={`${DESK}/${r.id}`}>
                        <strong>{r.code}</strong>
                      </a>
                      <br />
                      <span class="small">{r.statement.length > 160 ? `${r.statement.slice(0, 160)}…` : r.statement}</span>
                    </td>
                    <td data-label={t(l, 'desk.col.level')}>
                      <LevelBadge l={l} level={r.level} />
                      <br />
                      <span class="small muted">{t(l, 'desk.priority', { p: r.priority })}</span>
                    </td>
                    <td data-label={t(l, 'desk.col.harm')}>{t(l, `desk.harm.${r.harm}`)}</td>
                    <td data-label={t(l, 'desk.col.spread')} class="small">
                      {t(l, 'desk.spread', { requests: r.requests, partners: r.partnerReports })}
                    </td>
                    <td data-label={t(l, 'desk.col.sla')}>
                      <SlaClock l={l} due={r.slaDueAt} now={o.now} escalatedAt={r.escalatedAt} open={open(r.status)} />
                    </td>
                    <td data-label={t(l, 'desk.col.assignee')}>
                      {r.assigneeName ?? (r.assignedTo ? '—' : <span class="muted">{t(l, 'desk.unassigned')}</span>)}
                    </td>
                    <td data-label={t(l, 'desk.col.status')} class="small">
                      {t(l, `desk.status.${r.status}`)}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
      {canEnter ? (
        <section class="card" aria-labelledby="entry-h">
          <h2 id="entry-h">{t(l, 'desk.entry.title')}</h2>
          <p class="muted small">{t(l, 'desk.entry.intro')}</p>
          <FormError l={l} error={o.error} />
          <form method="post" action={DESK} class="stack">
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'desk.entry.text')}
              <textarea name="text" rows="4" maxlength="20000">
                {o.entry.text}
              </textarea>
            </label>
            <label>
              {t(l, 'desk.entry.links')}
              <span class="hint">{t(l, 'desk.entry.linksHint')}</span>
              <textarea name="links" rows="2" maxlength="8000">
                {o.entry.links}
              </textarea>
            </label>
            <label>
              {t(l, 'desk.entry.seenWhere')}
              <input name="seenWhere" maxlength="300" value={o.entry.seenWhere} />
            </label>
            <button type="submit">{t(l, 'desk.entry.submit')}</button>
          </form>
        </section>
      ) : null}
    </>,
  )
}

/** The notice of a redirect after a step (`?done=`), if known. */
export function Notice({ l, done, params }: { l: Locale; done?: string; params?: Record<string, string> }): SafeHtml | null {
  if (!done || !/^[a-zA-Z]{1,30}$/.test(done) || !hasMessage(`desk.done.${done}`)) return null
  return <Alert kind="ok">{t(l, `desk.done.${done}`, params ?? {})}</Alert>
}
