/**
 * Coverage pages: the partner's own (/doi-tac/dua-tin, phone-first) and the staff's
 * (/console/phan-phoi/dua-tin…). The judgement is shown the same way to both: verdict, the
 * changed figures, dates and names (official → published), the word diff with <del>/<ins>, the
 * headline's clickbait score, or why the page could not be captured.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { FormError } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import type { AppError } from '../../../platform/errors.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { CoverageItem } from './coverage.items.ts'
import type { Accuracy, ListedReport, MonthAccuracy, OutcomeCounts } from './coverage.queries.ts'
import type { CorrectionRequestRow, CoverageRow, StoredDiff } from './coverage.tables.ts'
import { MAX_COVERAGE_URL } from './commands/report-coverage.ts'

type R = { req: FastifyRequest; reply: FastifyReply }

const pct = (share: number | null) => (share === null ? '—' : `${Math.round(share * 100)}%`)

/** Altered coverage is what staff act on: it stands out in red; faithful is green (a failed capture amber). */
const OUTCOME_TONE: Record<string, string> = { altered: ' risk-high', faithful: ' ok' }

/** The outcome of a report: its verdict, or pending / failed. */
export function Outcome({ l, r }: { l: Locale; r: CoverageRow }): SafeHtml {
  const key = r.state === 'captured' ? `dist.coverage.verdict.${r.verdict}` : `dist.coverage.state.${r.state}`
  const tone = r.state === 'captured' ? (OUTCOME_TONE[r.verdict ?? ''] ?? '') : r.state === 'failed' ? ' warn' : ''
  return (
    <span class={`badge${tone}`} data-outcome={r.state === 'captured' ? r.verdict : r.state}>
      {t(l, key)}
    </span>
  )
}

/** Why a capture failed, in the page's language and the other. */
function Failure({ l, r }: { l: Locale; r: CoverageRow }): SafeHtml | null {
  if (r.state !== 'failed' || !r.failureReason) return null
  const other: Locale = l === 'vi' ? 'en' : 'vi'
  const key = `dist.coverage.failure.${r.failureReason}`
  const p = { detail: r.failureDetail ?? '' }
  return (
    <p class="small" data-failure={r.failureReason}>
      <strong>{t(l, key, p)}</strong>
      <br />
      <span lang={other} class="muted">
        {t(other, key, p)}
      </span>
    </p>
  )
}

/** The changed passages, official → published, figures, dates and names marked. */
function Changes({ l, r }: { l: Locale; r: CoverageRow }): SafeHtml | null {
  if (r.changes.length === 0) return null
  return (
    <ul class="small" data-changes style="padding-left:1.2em">
      {r.changes.map((c) => (
        <li data-change={c.kind}>
          <strong>{t(l, `dist.coverage.change.${c.kind}`)}:</strong> {c.before ? `${c.before} ` : ''}
          <del data-official>{c.official || '∅'}</del> → <ins data-published>{c.published || '∅'}</ins>
          {c.after ? ` ${c.after}` : ''}
        </li>
      ))}
    </ul>
  )
}

/** The word diff: removed official words struck, added words underlined. */
function Diff({ l, diff }: { l: Locale; diff: StoredDiff | null }): SafeHtml | null {
  if (!diff) return null
  return (
    <details class="small">
      <summary>{t(l, 'dist.coverage.diff')}</summary>
      <p class="prose" data-diff style="line-height:1.7">
        {diff.cutStart ? '… ' : ''}
        {diff.parts.map((p) =>
          p.kind === 'same' ? <span>{`${p.text} `}</span> : p.kind === 'removed' ? <del>{p.text}</del> : <ins>{p.text}</ins>,
        )}
        {diff.cutEnd ? ' …' : ''}
      </p>
    </details>
  )
}

/** Headline and clickbait score. */
function Headline({ l, r }: { l: Locale; r: CoverageRow }): SafeHtml | null {
  if (r.state !== 'captured') return null
  const score = r.clickbaitScore ?? 0
  return (
    <p class="small" data-headline>
      {r.headline ? <q>{r.headline}</q> : null}{' '}
      <span data-clickbait={score.toFixed(2)} class={score >= 0.5 ? 'badge warn' : 'muted'}>
        {t(l, 'dist.coverage.clickbait', { score: Math.round(score * 100) })}
      </span>
    </p>
  )
}

/** One report as a card (the partner's list, the staff's item page). */
function ReportCard({ l, row, staff, actions }: { l: Locale; row: ListedReport; staff: boolean; actions?: SafeHtml | null }): SafeHtml {
  const r = row.report
  return (
    <li class="card" data-report={r.id} style="overflow-wrap:anywhere">
      <p style="margin:0">
        <Outcome l={l} r={r} /> {staff ? <strong>{row.partnerName}</strong> : <strong>{row.itemTitle ?? '—'}</strong>}
      </p>
      <p class="small" style="margin:.3em 0">
        <a href={r.url} rel="noopener noreferrer nofollow" target="_blank">
          {r.url}
        </a>
        <br />
        <span class="muted">
          {t(l, 'dist.coverage.reportedAt', { at: formatTime(r.createdAt, l) })}
          {r.reportedBy === 'staff' ? ` · ${t(l, 'dist.coverage.byStaff')}` : ''}
          {r.editionNumber ? ` · ${t(l, 'dist.coverage.edition', { n: r.editionNumber })}` : ''}
        </span>
      </p>
      <Headline l={l} r={r} />
      <Failure l={l} r={r} />
      <Changes l={l} r={r} />
      <Diff l={l} diff={r.diff} />
      {row.requestedAt ? (
        <p class="small" data-requested>
          {t(l, 'dist.coverage.requestedAt', { at: formatTime(row.requestedAt, l) })}
        </p>
      ) : null}
      {actions ?? null}
    </li>
  )
}

/** The partner's page: report a URL, my reports, correction requests to me. */
export function partnerCoveragePage(
  { req, reply }: R,
  o: {
    items: CoverageItem[]
    reports: ListedReport[]
    requests: CorrectionRequestRow[]
    error?: AppError
    values?: Record<string, string>
    done?: boolean
  },
) {
  const l = req.locale
  const v = o.values ?? {}
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.coverage.mine.title'), shell: 'console', current: 'coverage', status: o.error?.status },
    <>
      <h1>{t(l, 'dist.coverage.mine.title')}</h1>
      <p class="muted">{t(l, 'dist.coverage.mine.intro')}</p>
      {o.done ? <Alert kind="ok">{t(l, 'dist.coverage.mine.done')}</Alert> : null}
      <FormError l={l} error={o.error} />
      {o.items.length === 0 ? (
        <p class="muted">{t(l, 'dist.coverage.mine.noItems')}</p>
      ) : (
        <form method="post" action="/doi-tac/dua-tin" class="stack" data-report-form>
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'dist.coverage.field.item')}
            <select name="item" required style="max-width:100%">
              {o.items.map((i) => (
                <option value={`${i.type}:${i.id}`} selected={v.item === `${i.type}:${i.id}`}>
                  {`${t(l, `dist.coverage.itemType.${i.type}`)}: ${i.title}`}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'dist.coverage.field.url')}
            <input
              name="url"
              type="url"
              required
              inputmode="url"
              maxlength={String(MAX_COVERAGE_URL)}
              value={v.url ?? ''}
              placeholder="https://"
            />
          </label>
          <button type="submit">{t(l, 'dist.coverage.report')}</button>
        </form>
      )}
      {o.requests.length > 0 ? (
        <section aria-labelledby="req-h">
          <h2 id="req-h">{t(l, 'dist.coverage.requests')}</h2>
          <ul style="list-style:none;padding:0">
            {o.requests.map((q) => (
              <li class="card" data-correction-request={q.id} style="overflow-wrap:anywhere">
                <p class="small muted">{formatTime(q.createdAt, l)}</p>
                <p class="small">
                  <strong>{t(l, 'dist.coverage.quote.official')}:</strong> <q>{q.quote.official}</q>
                  <br />
                  <strong>{t(l, 'dist.coverage.quote.published')}:</strong> <q>{q.quote.published}</q>
                </p>
                <details>
                  <summary>{t(l, 'dist.coverage.request.full')}</summary>
                  <p class="small" style="white-space:pre-wrap">
                    {q.message}
                  </p>
                </details>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t(l, 'dist.coverage.mine.list')}</h2>
      {o.reports.length === 0 ? <p class="muted">{t(l, 'dist.coverage.mine.empty')}</p> : null}
      <ul style="list-style:none;padding:0">
        {o.reports.map((row) => (
          <ReportCard
            l={l}
            row={row}
            staff={false}
            actions={
              <p class="small">
                <a href={`/doi-tac/dua-tin/${row.report.id}`}>{t(l, 'dist.coverage.open')}</a>
              </p>
            }
          />
        ))}
      </ul>
    </>,
  )
}

/** One of the partner's reports. */
export function partnerReportPage({ req, reply }: R, row: ListedReport) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.coverage.one.title'), shell: 'console', current: 'coverage' },
    <>
      <p class="small">
        <a href="/doi-tac/dua-tin">← {t(l, 'dist.coverage.mine.title')}</a>
      </p>
      <h1>{row.itemTitle ?? t(l, 'dist.coverage.one.title')}</h1>
      <ul style="list-style:none;padding:0">
        <ReportCard l={l} row={row} staff={false} />
      </ul>
    </>,
  )
}

/** Counts by outcome as a row of figures. */
function Counts({ l, counts }: { l: Locale; counts: OutcomeCounts }): SafeHtml {
  const keys = ['faithful', 'excerpt', 'altered', 'unrelated', 'pending', 'failed'] as const
  return (
    <ul class="stats" style="display:flex;flex-wrap:wrap;gap:1em;list-style:none;padding:0" data-counts>
      {keys.map((k) => (
        <li data-count={k}>
          <strong>{String(counts[k])}</strong>{' '}
          {t(l, ['pending', 'failed'].includes(k) ? `dist.coverage.state.${k}` : `dist.coverage.verdict.${k}`)}
        </li>
      ))}
    </ul>
  )
}

function AccuracyTable({ l, rows }: { l: Locale; rows: Accuracy[] }): SafeHtml {
  return (
    <table data-accuracy>
      <thead>
        <tr>
          <th>{t(l, 'dist.coverage.partner')}</th>
          <th>{t(l, 'dist.coverage.accuracy')}</th>
          <th>{t(l, 'dist.coverage.judged')}</th>
          <th>{t(l, 'dist.coverage.verdict.altered')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((a) => (
          <tr data-partner={a.partnerId}>
            <td>
              <a href={`/console/phan-phoi/dua-tin/doi-tac/${a.partnerId}`}>{a.partnerName}</a>
            </td>
            <td>{pct(a.share)}</td>
            <td>{String(a.judged)}</td>
            <td>{String(a.altered)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

/** Staff overview. */
export function overviewPage({ req, reply }: R, o: { latest: ListedReport[]; counts: OutcomeCounts; partners: Accuracy[] }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.coverage.overview.title'), shell: 'console', current: 'distribution.nav' },
    <>
      <h1>{t(l, 'dist.coverage.overview.title')}</h1>
      <Counts l={l} counts={o.counts} />
      <h2>{t(l, 'dist.coverage.overview.partners')}</h2>
      {o.partners.length ? <AccuracyTable l={l} rows={o.partners} /> : <p class="muted">{t(l, 'dist.coverage.none')}</p>}
      <h2>{t(l, 'dist.coverage.overview.latest')}</h2>
      <table>
        <thead>
          <tr>
            <th>{t(l, 'dist.coverage.item')}</th>
            <th>{t(l, 'dist.coverage.partner')}</th>
            <th>{t(l, 'dist.coverage.outcome')}</th>
            <th>{t(l, 'dist.coverage.when')}</th>
          </tr>
        </thead>
        <tbody>
          {o.latest.map((row) => (
            <tr data-report={row.report.id}>
              <td>
                <a href={`/console/phan-phoi/dua-tin/muc/${row.report.itemType}/${row.report.itemId}`}>{row.itemTitle ?? '—'}</a>
              </td>
              <td>{row.partnerName}</td>
              <td>
                <Outcome l={l} r={row.report} />
              </td>
              <td>{formatTime(row.report.createdAt, l)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>,
  )
}

/** Staff: one item's coverage, with the add form and the correction buttons. */
export function itemCoveragePage(
  { req, reply }: R,
  o: {
    item: CoverageItem
    reports: ListedReport[]
    partners: { id: string; name: string; kind: string; received: boolean }[]
    mayAdd: boolean
    mayRequest: boolean
    error?: AppError
    notice?: string
  },
) {
  const l = req.locale
  const base = `/console/phan-phoi/dua-tin/muc/${o.item.type}/${o.item.id}`
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'dist.coverage.item.title', { title: o.item.title }),
      shell: 'console',
      current: 'distribution.nav',
      status: o.error?.status,
    },
    <>
      <p class="small">
        <a href="/console/phan-phoi/dua-tin">← {t(l, 'dist.coverage.overview.title')}</a>
      </p>
      <h1>{t(l, 'dist.coverage.item.title', { title: o.item.title })}</h1>
      {o.notice ? <Alert kind="ok">{t(l, `dist.coverage.notice.${o.notice}`)}</Alert> : null}
      <FormError l={l} error={o.error} />
      {o.reports.length === 0 ? <p class="muted">{t(l, 'dist.coverage.none')}</p> : null}
      <ul style="list-style:none;padding:0">
        {o.reports.map((row) => (
          <ReportCard
            l={l}
            row={row}
            staff
            actions={
              <p class="small">
                <a href={`/console/phan-phoi/dua-tin/doi-tac/${row.report.partnerId}`}>{t(l, 'dist.coverage.partnerPage')}</a>
                {o.mayRequest && row.report.verdict === 'altered' && !row.requestedAt ? (
                  <form
                    method="post"
                    action={`/console/phan-phoi/dua-tin/bao-cao/${row.report.id}/yeu-cau-dinh-chinh`}
                    style="margin-top:.5em"
                  >
                    <CsrfField req={req} reply={reply} />
                    <button type="submit" data-request-correction>
                      {t(l, 'dist.coverage.request.button')}
                    </button>
                  </form>
                ) : null}
              </p>
            }
          />
        ))}
      </ul>
      {o.mayAdd && o.item.standing === 'published' ? (
        <section aria-labelledby="add-h">
          <h2 id="add-h">{t(l, 'dist.coverage.add.title')}</h2>
          <form method="post" action={base} class="stack" data-add-form>
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'dist.coverage.partner')}
              <select name="partnerId" required>
                {o.partners.map((p) => (
                  <option value={p.id}>{`${p.name}${p.received ? ` (${t(l, 'dist.coverage.received')})` : ''}`}</option>
                ))}
              </select>
            </label>
            <label>
              {t(l, 'dist.coverage.field.url')}
              <input name="url" type="url" required maxlength={String(MAX_COVERAGE_URL)} placeholder="https://" />
            </label>
            <button type="submit">{t(l, 'dist.coverage.add.submit')}</button>
          </form>
        </section>
      ) : null}
    </>,
  )
}

/** Staff: one partner's accuracy over time and their reports. */
export function partnerCoverageStaffPage(
  { req, reply }: R,
  o: {
    partner: { id: string; name: string; kind: string; status: string }
    overall: Accuracy
    months: MonthAccuracy[]
    reports: ListedReport[]
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.coverage.partner.title', { name: o.partner.name }), shell: 'console', current: 'distribution.nav' },
    <>
      <p class="small">
        <a href="/console/phan-phoi/dua-tin">← {t(l, 'dist.coverage.overview.title')}</a>
      </p>
      <h1>{t(l, 'dist.coverage.partner.title', { name: o.partner.name })}</h1>
      <p data-overall={pct(o.overall.share)}>
        {t(l, 'dist.coverage.partner.overall', { share: pct(o.overall.share), judged: o.overall.judged, altered: o.overall.altered })}
      </p>
      <table data-months>
        <thead>
          <tr>
            <th>{t(l, 'dist.coverage.month')}</th>
            <th>{t(l, 'dist.coverage.accuracy')}</th>
            <th>{t(l, 'dist.coverage.judged')}</th>
          </tr>
        </thead>
        <tbody>
          {o.months.map((m) => (
            <tr data-month={m.month}>
              <td>{m.month}</td>
              <td>
                <meter min="0" max="1" value={String(m.share ?? 0)} /> {pct(m.share)}
              </td>
              <td>{String(m.judged)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t(l, 'dist.coverage.partner.reports')}</h2>
      <ul style="list-style:none;padding:0">
        {o.reports.map((row) => (
          <ReportCard
            l={l}
            row={row}
            staff={false}
            actions={
              <p class="small">
                <a href={`/console/phan-phoi/dua-tin/muc/${row.report.itemType}/${row.report.itemId}`}>{t(l, 'dist.coverage.itemPage')}</a>
              </p>
            }
          />
        ))}
      </ul>
    </>,
  )
}
