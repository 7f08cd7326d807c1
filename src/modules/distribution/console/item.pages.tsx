/**
 * Pages of the distribution console: the overview (/console/phan-phoi) and one item's
 * distribution (/console/phan-phoi/muc/:type/:id) with its live progress. The counts are in the
 * HTML at load (enough without JavaScript); `/assets/distribution-progress.js` then follows the
 * item's event stream and updates the same elements in place.
 */
import { CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { Alert } from '../../../platform/html/layout.tsx'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { raw } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { AppError } from '../../../platform/errors.ts'
import { DELIVERY_CHANNELS, DELIVERY_STATES } from '../distribution.types.ts'
import {
  addressHost,
  type ConsoleItem,
  type DeliveryFilter,
  type DeliveryRow,
  type ItemProgress,
  type KindProgress,
  type OverviewItem,
} from './item.queries.ts'

/** Console base path of distribution. */
export const DIST = '/console/phan-phoi'

/** The console address of an item's distribution page. */
export function itemPath(type: string, id: string): string {
  return `${DIST}/muc/${type}/${id}`
}

/** Numbers as people of the page's language write them: 8.234 in Vietnamese, 8,234 in English. */
export function formatCount(n: number, l: Locale): string {
  return numberFormats[l].format(n)
}
const numberFormats: Record<Locale, Intl.NumberFormat> = { vi: new Intl.NumberFormat('vi-VN'), en: new Intl.NumberFormat('en-US') }

/** Styles of these pages (CSP allows inline styles, not inline scripts). */
const STYLE = `
.dist-kinds{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.dist-kind h3{margin:.1rem 0 .4rem;font-size:1.05rem}
.dist-big{font-size:1.35rem;font-weight:700;margin:.2rem 0;font-variant-numeric:tabular-nums}
.dist-bar{width:100%;height:.8rem;accent-color:var(--brand)}
.dist-kind table{font-size:.9rem}
.dist-kind td,.dist-kind th{padding:.2rem .4rem}
.dist-num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.dist-fail{color:var(--accent)}
.dist-states{display:flex;flex-wrap:wrap;gap:.3rem;margin:.3rem 0}
.dist-live[data-live=on]::before{content:"● ";color:#2f8f57}
.filters{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}
#targets-panel fieldset>label{display:block}
#targets-panel fieldset>label>input[type=checkbox]{margin-right:.4rem}
#targets-panel form.stack>button{justify-self:start}
`

function head(): SafeHtml {
  return raw(`<style>${STYLE}</style><script src="/assets/distribution-progress.js" defer></script>`)
}

/** The overview: recent items with their counts, endpoints needing attention, links to the other pages. */
export function overviewPage(
  { req, reply }: R,
  o: { items: OverviewItem[]; health: { disabled: number; failing: number }; mayTrace: boolean },
): ReturnType<typeof sendPage> {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.console.title'), shell: 'console', current: 'distribution.nav', head: head() },
    <>
      <h1>{t(l, 'dist.console.title')}</h1>
      <p class="subnav">
        <a href={`${DIST}/danh-sach`}>{t(l, 'dist.console.link.lists')}</a>
        {' · '}
        <a href={`${DIST}/webhook`}>{t(l, 'dist.console.link.webhooks')}</a>
        {' · '}
        <a href={`${DIST}/dua-tin`}>{t(l, 'dist.console.link.coverage')}</a>
        {o.mayTrace ? (
          <>
            {' · '}
            <a href={`${DIST}/truy-vet`}>{t(l, 'dist.console.link.trace')}</a>
          </>
        ) : null}
      </p>
      {o.health.disabled || o.health.failing ? (
        <Alert kind="warn">
          <a href={`${DIST}/webhook`} id="endpoint-health">
            {t(l, 'dist.console.endpoints', { disabled: formatCount(o.health.disabled, l), failing: formatCount(o.health.failing, l) })}
          </a>
        </Alert>
      ) : (
        <p class="muted small" id="endpoint-health">
          {t(l, 'dist.console.endpointsOk')}
        </p>
      )}
      <h2>{t(l, 'dist.console.recent')}</h2>
      {o.items.length === 0 ? (
        <p class="muted">{t(l, 'dist.console.noItems')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(l, 'dist.console.col.item')}</th>
                <th>{t(l, 'dist.console.col.decisions')}</th>
                <th>{t(l, 'dist.console.col.counts')}</th>
                <th>{t(l, 'dist.console.col.last')}</th>
              </tr>
            </thead>
            <tbody>
              {o.items.map((i) => (
                <tr>
                  <td>
                    <span class="badge kind">{t(l, `dist.console.type.${i.type}`)}</span> <a href={itemPath(i.type, i.id)}>{i.title}</a>
                  </td>
                  <td>{i.kinds.map((k) => t(l, `dist.console.kind.${k}`)).join(', ')}</td>
                  <td>
                    <StateCounts l={l} states={i.states} />
                  </td>
                  <td class="nowrap small">{formatTime(i.lastAt, l)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

function StateCounts({ l, states }: { l: Locale; states: Partial<Record<string, number>> }): SafeHtml {
  return (
    <span class="dist-states">
      {DELIVERY_STATES.filter((s) => (states[s] ?? 0) > 0).map((s) => (
        <span class={`badge${s === 'failed' || s === 'bounced' ? ' warn' : s === 'cancelled' ? '' : ' ok'}`}>
          {t(l, `dist.console.state.${s}`)}: {formatCount(states[s] ?? 0, l)}
        </span>
      ))}
    </span>
  )
}

/** One decision's progress: "đã gửi 8.234 / 10.000", the bar, the rest by state and channel. */
function KindPanel({ l, k }: { l: Locale; k: KindProgress }): SafeHtml {
  return (
    <section class="card dist-kind" data-kind={k.kind}>
      <h3>{t(l, `dist.console.kind.${k.kind}`)}</h3>
      <p class="dist-big">
        {t(l, 'dist.console.sentLabel')} <span data-f="done">{formatCount(k.done, l)}</span> /{' '}
        <span data-f="total">{formatCount(k.total, l)}</span>
      </p>
      <progress class="dist-bar" max={String(Math.max(k.total, 1))} value={String(k.done)} data-f="bar" />
      <p class="small">
        {t(l, 'dist.console.queued')}: <span data-f="queued">{formatCount(k.queued, l)}</span>
        {' · '}
        <span class="dist-fail">
          {t(l, 'dist.console.failed')}: <span data-f="failed">{formatCount(k.failed, l)}</span>
        </span>
        {' · '}
        {t(l, 'dist.console.bounced')}: <span data-f="bounced">{formatCount(k.bounced, l)}</span>
        {' · '}
        {t(l, 'dist.console.cancelled')}: <span data-f="cancelled">{formatCount(k.cancelled, l)}</span>
      </p>
      <table>
        <thead>
          <tr>
            <th>{t(l, 'dist.console.col.channel')}</th>
            <th class="dist-num">{t(l, 'dist.console.col.done')}</th>
            <th class="dist-num">{t(l, 'dist.console.col.failed')}</th>
          </tr>
        </thead>
        <tbody>
          {DELIVERY_CHANNELS.filter((c) => k.channels[c]).map((c) => {
            const ch = k.channels[c] as { done: number; total: number; failed: number }
            return (
              <tr data-channel={c}>
                <td>{t(l, `dist.console.channel.${c}`)}</td>
                <td class="dist-num">
                  <span data-f="done">{formatCount(ch.done, l)}</span> / <span data-f="total">{formatCount(ch.total, l)}</span>
                </td>
                <td class="dist-num">
                  <span data-f="failed">{formatCount(ch.failed, l)}</span>
                </td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </section>
  )
}

/** The live progress block: counts rendered now, updated by the stream when JavaScript runs. */
function ProgressBlock({ l, item, progress }: { l: Locale; item: ConsoleItem; progress: ItemProgress }): SafeHtml {
  return (
    <section aria-labelledby="progress-h" id="progress" data-stream={`${itemPath(item.type, item.id)}/tien-do`} data-locale={l}>
      <h2 id="progress-h">
        {t(l, 'dist.console.progress')}{' '}
        <span class="small muted dist-live" data-live="off">
          {t(l, 'dist.console.live')}
        </span>
      </h2>
      <p class="small muted">{t(l, 'dist.console.progressHint')}</p>
      {progress.kinds.length === 0 ? <p class="muted">{t(l, 'dist.console.nothingYet')}</p> : null}
      <div class="dist-kinds" aria-live="polite">
        {progress.kinds.map((k) => (
          <KindPanel l={l} k={k} />
        ))}
      </div>
      <p hidden data-f="reload">
        <a href={itemPath(item.type, item.id)}>{t(l, 'dist.console.reload')}</a>
      </p>
    </section>
  )
}

function pageLink(base: string, params: Record<string, string | number | undefined>): string {
  const q = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, String(v))
  const s = q.toString()
  return s ? `${base}?${s}` : base
}

/** Everything the item page shows. */
export interface ItemPageData {
  item: ConsoleItem
  progress: ItemProgress
  failures: { rows: DeliveryRow[]; more: boolean; page: number }
  deliveries: { rows: DeliveryRow[]; more: boolean }
  filter: DeliveryFilter
  mayManage: boolean
  /** The lists panel (lists part), or null while it is not there. */
  targets: SafeHtml | null
  notice?: { retried: number; skipped: number } | null
  error?: AppError | null
}

/** One item's distribution. */
export function itemPage({ req, reply }: R, d: ItemPageData): ReturnType<typeof sendPage> {
  const l = req.locale
  const { item } = d
  const base = itemPath(item.type, item.id)
  const failedNow = d.progress.kinds.reduce((n, k) => n + k.failed, 0)
  const state = d.filter.states?.[0] ?? ''
  return sendPage(
    req,
    reply,
    {
      title: `${t(l, 'dist.console.itemTitle')} · ${item.title}`,
      shell: 'console',
      current: 'distribution.nav',
      head: head(),
      status: d.error?.status,
    },
    <>
      <p class="small">
        <a href={DIST}>← {t(l, 'dist.console.title')}</a>
      </p>
      <h1>{item.title}</h1>
      <p>
        <span class="badge kind">{t(l, `dist.console.type.${item.type}`)}</span> <span id="item-status">{t(l, item.statusKey)}</span>
        {' · '}
        <a href={item.consoleHref}>{t(l, `dist.console.open.${item.type}`)}</a>
        {/* Coverage is compared with releases and verdicts; a warning's partners carry it as it is. */}
        {item.type === 'warning' ? null : (
          <>
            {' · '}
            <a href={`${DIST}/dua-tin/muc/${item.type}/${item.id}`} id="coverage-link">
              {t(l, 'dist.console.link.itemCoverage')}
            </a>
          </>
        )}
      </p>
      <FormError l={l} error={d.error} />
      {d.notice ? (
        <Alert kind="ok">
          <span id="retry-notice">
            {t(l, 'dist.console.retried', { n: formatCount(d.notice.retried, l) })}
            {d.notice.skipped ? ` ${t(l, 'dist.console.retrySkipped', { n: formatCount(d.notice.skipped, l) })}` : ''}
          </span>
        </Alert>
      ) : null}
      <section aria-labelledby="targets-h">
        <h2 id="targets-h">{t(l, 'dist.console.targets')}</h2>
        {d.targets ?? (
          <p class="muted" id="targets-placeholder">
            {t(l, 'dist.console.targetsDefault')} <a href={`${DIST}/danh-sach`}>{t(l, 'dist.console.link.lists')}</a>
          </p>
        )}
      </section>
      <ProgressBlock l={l} item={item} progress={d.progress} />
      <section aria-labelledby="failures-h">
        <h2 id="failures-h">{t(l, 'dist.console.failures')}</h2>
        {d.mayManage && failedNow > 0 ? (
          <form method="post" action={`${base}/gui-lai`} class="card">
            <CsrfField req={req} reply={reply} />
            <p class="small">{t(l, 'dist.console.retryHint')}</p>
            <button type="submit" id="retry-all">
              {t(l, 'dist.console.retryAll')} ({formatCount(failedNow, l)})
            </button>
          </form>
        ) : null}
        {d.failures.rows.length === 0 ? (
          <p class="muted">{t(l, 'dist.console.noFailures')}</p>
        ) : (
          <>
            <DeliveryTable l={l} rows={d.failures.rows} id="failures" />
            <Pager
              l={l}
              prev={d.failures.page > 1 ? pageLink(base, { fpage: d.failures.page - 1 }) : null}
              next={d.failures.more ? pageLink(base, { fpage: d.failures.page + 1 }) : null}
            />
          </>
        )}
      </section>
      <section aria-labelledby="deliveries-h">
        <h2 id="deliveries-h">{t(l, 'dist.console.deliveries')}</h2>
        {/* The table is what the page loaded; the live counts above say when it has gone stale. */}
        <p hidden class="small" id="deliveries-stale">
          <a href={pageLink(base, { state, channel: d.filter.channel, page: d.filter.page })}>{t(l, 'dist.console.stale')}</a>
        </p>
        <form method="get" action={base} class="filters">
          <label>
            {t(l, 'dist.console.col.state')}
            <select name="state">
              <option value="">{t(l, 'dist.console.any')}</option>
              {DELIVERY_STATES.map((s) => (
                <option value={s} selected={s === state}>
                  {t(l, `dist.console.state.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'dist.console.col.channel')}
            <select name="channel">
              <option value="">{t(l, 'dist.console.any')}</option>
              {DELIVERY_CHANNELS.map((c) => (
                <option value={c} selected={c === d.filter.channel}>
                  {t(l, `dist.console.channel.${c}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            {t(l, 'dist.console.filter')}
          </button>
        </form>
        {d.deliveries.rows.length === 0 ? (
          <p class="muted">{t(l, 'dist.console.noDeliveries')}</p>
        ) : (
          <DeliveryTable l={l} rows={d.deliveries.rows} id="deliveries" />
        )}
        <Pager
          l={l}
          prev={(d.filter.page ?? 1) > 1 ? pageLink(base, { state, channel: d.filter.channel, page: (d.filter.page ?? 1) - 1 }) : null}
          next={d.deliveries.more ? pageLink(base, { state, channel: d.filter.channel, page: (d.filter.page ?? 1) + 1 }) : null}
        />
      </section>
    </>,
  )
}

function Pager({ l, prev, next }: { l: Locale; prev: string | null; next: string | null }): SafeHtml | null {
  if (!prev && !next) return null
  return (
    <p class="pager">
      {prev ? <a href={prev}>← {t(l, 'dist.console.prev')}</a> : null} {next ? <a href={next}>{t(l, 'dist.console.next')} →</a> : null}
    </p>
  )
}

/** Deliveries with recipient, channel, state, times and the last error. */
function DeliveryTable({ l, rows, id }: { l: Locale; rows: DeliveryRow[]; id: string }): SafeHtml {
  return (
    <div class="table-wrap">
      <table id={id}>
        <thead>
          <tr>
            <th>{t(l, 'dist.console.col.recipient')}</th>
            <th>{t(l, 'dist.console.col.channel')}</th>
            <th>{t(l, 'dist.console.col.decision')}</th>
            <th>{t(l, 'dist.console.col.state')}</th>
            <th>{t(l, 'dist.console.col.times')}</th>
            <th>{t(l, 'dist.console.col.reason')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-delivery={r.id} data-state={r.state}>
              <td>
                {r.recipientType === 'partner' && r.partnerId ? (
                  <a href={`/console/doi-tac/${r.partnerId}`}>{r.partnerName ?? '—'}</a>
                ) : (
                  <span>{t(l, 'dist.console.subscriber')}</span>
                )}
                <br />
                <span class="small muted">{addressHost(r.address)}</span>
              </td>
              <td>{t(l, `dist.console.channel.${r.channel}`)}</td>
              <td>{t(l, `dist.console.kind.${r.kind}`)}</td>
              <td>
                <span class={`badge${r.state === 'failed' || r.state === 'bounced' ? ' warn' : ''}`}>
                  {t(l, `dist.console.state.${r.state}`)}
                </span>
                {r.attempts > 0 ? <span class="small muted"> ×{String(r.attempts)}</span> : null}
              </td>
              <td class="small">
                {r.sentAt ? (
                  <>
                    {t(l, 'dist.console.at.sent')} {formatTime(r.sentAt, l)}
                    <br />
                  </>
                ) : null}
                {r.openedAt ? (
                  <>
                    {t(l, 'dist.console.at.opened')} {formatTime(r.openedAt, l)}
                    <br />
                  </>
                ) : null}
                {r.downloadedAt ? (
                  <>
                    {t(l, 'dist.console.at.downloaded')} {formatTime(r.downloadedAt, l)}
                  </>
                ) : null}
                {!r.sentAt && !r.openedAt && !r.downloadedAt && r.state === 'queued' ? (
                  <>
                    {t(l, 'dist.console.at.next')} {formatTime(r.nextAttemptAt, l)}
                  </>
                ) : null}
              </td>
              <td class="small">
                {/* A reply code is a reason only when something went wrong (not SMTP 250 / HTTP 2xx). */}
                {r.lastStatus && (r.lastError || r.state === 'failed' || r.state === 'bounced') ? (
                  <code>{String(r.lastStatus)}</code>
                ) : null}{' '}
                {r.lastError ?? ''}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
