/**
 * Release lists of the console: by status (tabs) and the calendar of scheduled and embargoed
 * items by day in Asia/Ho_Chi_Minh, overdue ones first and highlighted. The approval queue is
 * the approvals inbox's (modules/approvals), fed by `console/approvals-source.ts`.
 */
import { Alert, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { ReleaseListRow } from '../releases.repository.ts'
import type { R } from '../../../platform/html/forms.tsx'
import { formatDay, localDay } from '../../../platform/time.ts'
import { CONSOLE_STYLE } from './console-kit.tsx'

/** The tabs of the release list and the statuses each shows. */
export const RELEASE_TABS = {
  drafts: ['draft'],
  submitted: ['submitted', 'approved'],
  scheduled: ['scheduled', 'embargoed'],
  published: ['published'],
  withdrawn: ['withdrawn', 'gone'],
} as const

/** A tab name. */
export type ReleaseTab = keyof typeof RELEASE_TABS

const STYLE = raw(`<style>${CONSOLE_STYLE}</style>`)

function CaseBadge({ l, code, state }: { l: Locale; code: string | null; state: string | null }): SafeHtml | null {
  if (!code) return null
  return (
    <span class={state === 'sealed' ? 'badge admin' : 'badge'} title={state ? t(l, `cases.state.${state}`) : undefined}>
      {state === 'sealed' ? `🔒 ${code}` : code}
    </span>
  )
}

/** Releases by status. */
export function releaseListPage({ req, reply }: R, o: { tab: ReleaseTab; rows: ReleaseListRow[]; canCreate: boolean }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'releases.title'), shell: 'console', current: 'releases', head: STYLE },
    <>
      <h1>{t(l, 'releases.title')}</h1>
      {o.canCreate ? (
        <p>
          <a class="button" href="/console/releases/new">
            {t(l, 'releases.new')}
          </a>
        </p>
      ) : null}
      <nav aria-label={t(l, 'releases.tabs')}>
        <ul class="tabs">
          {(Object.keys(RELEASE_TABS) as ReleaseTab[]).map((tab) => (
            <li>
              <a href={`/console/releases?tab=${tab}`} aria-current={o.tab === tab ? 'page' : undefined}>
                {t(l, `releases.tab.${tab}`)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {o.rows.length === 0 ? (
        <p class="muted">{t(l, 'releases.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(l, 'releases.col.title')}</th>
                <th>{t(l, 'releases.col.kind')}</th>
                <th>{t(l, 'releases.col.status')}</th>
                <th>{t(l, 'releases.col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {o.rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/console/releases/${r.id}`}>{r.title}</a> <CaseBadge l={l} code={r.caseCode} state={r.caseState} />
                  </td>
                  <td>{t(l, `releases.kind.${r.kind}`)}</td>
                  <td>
                    {t(l, `releases.status.${r.status}`)}
                    {r.editionStatus !== 'published' && r.status === 'published' ? (
                      <span class="small muted">
                        {' '}
                        ·{' '}
                        {t(l, 'releases.correctionPending', {
                          n: r.editionNumber,
                          status: t(l, `releases.editionStatus.${r.editionStatus}`),
                        })}
                      </span>
                    ) : null}
                    {r.publishAt ? <span class="small muted"> · {formatTime(r.publishAt, l)}</span> : null}
                  </td>
                  <td class="small">{formatTime(r.updatedAt, l)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

function CalendarRow({ l, r, overdue }: { l: Locale; r: ReleaseListRow; overdue: boolean }): SafeHtml {
  return (
    <tr class={overdue ? 'overdue' : undefined}>
      <td class="small">
        <time datetime={(r.publishAt as Date).toISOString()}>{formatTime(r.publishAt, l)}</time>
      </td>
      <td>
        <a href={`/console/releases/${r.id}`}>{r.title}</a> <CaseBadge l={l} code={r.caseCode} state={r.caseState} />
        {overdue ? <span class="badge admin">{t(l, 'calendar.overdue')}</span> : null}
      </td>
      <td>
        <span class={r.status === 'embargoed' ? 'badge warn' : 'badge'}>{t(l, `releases.status.${r.status}`)}</span>
      </td>
    </tr>
  )
}

function CalendarTable({ l, rows, overdue }: { l: Locale; rows: ReleaseListRow[]; overdue: boolean }): SafeHtml {
  // On a phone each row becomes two lines (time and status, then the title), so a status badge
  // keeps to one line instead of wrapping inside its pill in a squeezed third column.
  return (
    <div class="table-wrap">
      <table class="calendar">
        <thead>
          <tr>
            <th>{t(l, 'calendar.liftAt')}</th>
            <th>{t(l, 'releases.col.title')}</th>
            <th>{t(l, 'releases.col.status')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <CalendarRow l={l} r={r} overdue={overdue} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

/** The calendar: overdue items, then upcoming ones grouped by local day. */
export function calendarPage({ req, reply }: R, o: { rows: ReleaseListRow[]; at: Date }) {
  const l = req.locale
  const overdue = o.rows.filter((r) => (r.publishAt as Date).getTime() <= o.at.getTime())
  const upcoming = o.rows.filter((r) => (r.publishAt as Date).getTime() > o.at.getTime())
  const days = new Map<string, ReleaseListRow[]>()
  for (const r of upcoming) {
    const day = localDay(r.publishAt as Date)
    days.set(day, [...(days.get(day) ?? []), r])
  }
  return sendPage(
    req,
    reply,
    { title: t(l, 'calendar.title'), shell: 'console', current: 'calendar', head: STYLE },
    <>
      <h1>{t(l, 'calendar.title')}</h1>
      <p class="muted">{t(l, 'calendar.intro')}</p>
      {overdue.length ? (
        <section>
          <Alert kind="error">{t(l, 'calendar.overdueCount', { n: overdue.length })}</Alert>
          <CalendarTable l={l} rows={overdue} overdue />
        </section>
      ) : null}
      {days.size === 0 ? <p class="muted">{t(l, 'calendar.empty')}</p> : null}
      {[...days.entries()].map(([day, rows]) => (
        <section>
          <h2>{formatDay(day, l)}</h2>
          <CalendarTable l={l} rows={rows} overdue={false} />
        </section>
      ))}
    </>,
  )
}
