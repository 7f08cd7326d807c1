/**
 * The partner's inbox pages (phone-first, one column): the list of messages with a clear label
 * per kind (embargo with its lift time and countdown, published, correction, KILL notices red
 * and first, correction requests, notices) and one message. What an embargo message shows is
 * decided by the route with the partner's live record (`EmbargoView`); these pages only obey.
 */
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import type { R } from '../../../platform/html/forms.tsx'
import { Alert, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { embargoLabel } from '../../portal/content/content.pages.tsx'
import { fileLink } from '../distribution.links.ts'
import type { PayloadFile } from '../distribution.types.ts'
import type { InboxMessage } from './inbox.queries.ts'

/** The address of one message. */
export function messagePath(id: string): string {
  return `/doi-tac/hop-thu/${id}`
}

/** Where a partner reports coverage of an item they received. */
export function coverageReportPath(itemType: string, itemId: string): string {
  return `/doi-tac/dua-tin?item=${encodeURIComponent(`${itemType}:${itemId}`)}`
}

/**
 * What the partner may see of an embargo message now (decided by the route):
 * - `open`: accredited now and still before the (live) lift: text, files, countdown;
 * - `lifted`: the lift passed, or the release is no longer under embargo: a link to the public
 *   page instead of the text;
 * - `denied`: not accredited now (suspended, expired …): neither text nor title.
 */
export type EmbargoView = { state: 'open'; liftAt: Date } | { state: 'lifted' } | { state: 'denied' }

/** The fixed bilingual words of a kill notice (the same in every language on purpose). */
export const KILL_LABEL = 'KHÔNG SỬ DỤNG / DO NOT USE'

/** The label of a message: its kind, in words a partner cannot misread. */
function KindLabel({ m, l, liftAt }: { m: InboxMessage; l: Locale; liftAt?: Date }): SafeHtml {
  if (m.kind === 'kill') return <span class="badge dist-kill-badge">{KILL_LABEL}</span>
  if (m.kind === 'embargo') {
    // The live lift when the route knows it (the time may have moved since the message was written).
    const lift = liftAt ?? (m.payload.liftAt ? new Date(m.payload.liftAt) : null)
    return (
      <span class="badge embargo-badge" data-embargo-label>
        {lift && !Number.isNaN(lift.getTime()) ? embargoLabel(lift, l) : t(l, 'dist.portal.kind.embargo')}
      </span>
    )
  }
  const cls = m.kind === 'correction' || m.kind === 'correction_request' ? 'badge warn' : m.kind === 'publish' ? 'badge ok' : 'badge'
  return <span class={cls}>{t(l, `dist.portal.kind.${m.kind}`)}</span>
}

/** The countdown to a lift, ticked by /assets/countdown.js (the portal's; it holds no words). */
function Countdown({ at, publicUrl, l }: { at: Date; publicUrl?: string; l: Locale }): SafeHtml {
  return (
    <p
      class="portal-countdown"
      data-countdown={at.toISOString()}
      data-days={t(l, 'portal.content.countdown.days')}
      data-hours={t(l, 'portal.content.countdown.hours')}
      data-minutes={t(l, 'portal.content.countdown.minutes')}
      data-seconds={t(l, 'portal.content.countdown.seconds')}
      data-done={t(l, 'portal.content.countdown.done')}
      aria-live="off"
      hidden
    >
      <span data-countdown-text></span>{' '}
      {publicUrl ? (
        <a href={publicUrl} data-countdown-link hidden>
          {t(l, 'portal.content.countdown.link')}
        </a>
      ) : null}
    </p>
  )
}

function sizeLabel(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`
}

/** The files of a message, each through the recipient's own link (marked per recipient). */
function Files({ files, token, publicUrl, l }: { files: PayloadFile[]; token: string; publicUrl: string; l: Locale }): SafeHtml {
  if (files.length === 0) return raw('')
  return (
    <div class="portal-files">
      <h2 class="dist-h3">{t(l, 'dist.portal.files')}</h2>
      <ul>
        {files.map((f) => (
          <li>
            <a href={fileLink(publicUrl, token, f.id)}>{f.name}</a>{' '}
            <span class="small muted">
              {f.mime} · {sizeLabel(f.bytes)}
            </span>
          </li>
        ))}
      </ul>
    </div>
  )
}

/** "Nguồn: …": the official source every partner must name. */
function Source({ m, l }: { m: InboxMessage; l: Locale }): SafeHtml {
  const s = m.payload.source
  if (!s?.name) return raw('')
  return (
    <p class="small dist-source">
      {t(l, 'dist.portal.source')}: <strong>{s.name}</strong>
      {s.url ? (
        <>
          {' '}
          — <a href={s.url}>{s.url}</a>
        </>
      ) : null}
    </p>
  )
}

/** The inbox: `/doi-tac/hop-thu`. */
export function inboxPage(
  { req, reply }: R,
  o: {
    messages: InboxMessage[]
    unread: number
    total: number
    page: number
    pages: number
    /** The partner may read embargoed material now (their live record). */
    embargoAccess: boolean
  },
) {
  const l = req.locale
  const pageHref = (n: number) => (n === 1 ? '/doi-tac/hop-thu' : `/doi-tac/hop-thu?trang=${n}`)
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'dist.portal.inbox.title'),
      shell: 'console',
      current: 'inbox',
      head: <script src="/assets/countdown.js" defer></script>,
    },
    <div class="portal">
      <h1>{t(l, 'dist.portal.inbox.title')}</h1>
      <p class="muted">{t(l, 'dist.portal.inbox.intro')}</p>
      {o.embargoAccess ? null : <Alert kind="warn">{t(l, 'dist.portal.embargo.noAccessList')}</Alert>}
      <p class="small" id="inbox-counts">
        {t(l, 'dist.portal.inbox.counts', { total: o.total, unread: o.unread })}
      </p>
      {o.messages.length === 0 ? <p class="card muted">{t(l, 'dist.portal.inbox.empty')}</p> : null}
      <ul class="dist-inbox" id="inbox">
        {o.messages.map((m) => {
          const unread = m.state === 'sent'
          // An embargo's title is embargoed text: none for a partner who may not read it now.
          const hidden = m.kind === 'embargo' && !o.embargoAccess
          const lift = m.kind === 'embargo' && m.payload.liftAt ? new Date(m.payload.liftAt) : null
          return (
            <li
              class={`card dist-msg${m.kind === 'kill' ? ' dist-kill' : ''}${unread ? ' unread' : ''}`}
              data-delivery={m.id}
              data-kind={m.kind}
            >
              <p class="dist-labels">
                {unread ? (
                  <span class="dist-unread" title={t(l, 'dist.portal.unread')}>
                    <span class="sr-only">{t(l, 'dist.portal.unread')}</span>
                  </span>
                ) : null}
                <KindLabel m={m} l={l} />
                {m.withdrawn ? <span class="badge dist-kill-badge">{t(l, 'dist.portal.withdrawnTag')}</span> : null}
                {m.correctedBy ? <span class="badge warn">{t(l, 'dist.portal.correctedTag')}</span> : null}
              </p>
              <a class="dist-open" href={messagePath(m.id)}>
                <span class="dist-title">{hidden ? t(l, 'dist.portal.embargo.hiddenTitle') : m.payload.title}</span>
              </a>
              {m.kind === 'kill' && m.payload.reason ? (
                <p class="small dist-reason">
                  {t(l, 'dist.portal.reason')}: {m.payload.reason}
                </p>
              ) : null}
              {m.kind === 'correction' && m.payload.changeNote ? (
                <p class="small">
                  {t(l, 'dist.portal.changeNote')}: {m.payload.changeNote}
                </p>
              ) : null}
              {!hidden && lift && !Number.isNaN(lift.getTime()) && !m.withdrawn ? <Countdown at={lift} l={l} /> : null}
              <p class="small muted dist-when">{formatTime(m.createdAt, l)}</p>
            </li>
          )
        })}
      </ul>
      {o.pages > 1 ? (
        <nav class="pager" aria-label={t(l, 'dist.portal.inbox.pages')}>
          {o.page > 1 ? <a href={pageHref(o.page - 1)}>← {t(l, 'dist.portal.inbox.newer')}</a> : null}
          <span class="small muted">{t(l, 'dist.portal.inbox.pageOf', { page: o.page, pages: o.pages })}</span>
          {o.page < o.pages ? <a href={pageHref(o.page + 1)}>{t(l, 'dist.portal.inbox.older')} →</a> : null}
        </nav>
      ) : null}
      <p class="small muted">
        <a href="/doi-tac/nhan-tin">{t(l, 'dist.portal.inbox.settingsLink')}</a>
      </p>
    </div>,
  )
}

/** One message: `/doi-tac/hop-thu/:deliveryId`. */
export function messagePage(
  { req, reply }: R,
  o: {
    m: InboxMessage
    /** For an embargo message: what may be shown now (the route asked the live record). */
    embargo: EmbargoView | null
    publicUrl: string
  },
) {
  const l = req.locale
  const { m } = o
  const p = m.payload
  const denied = o.embargo?.state === 'denied'
  const lifted = o.embargo?.state === 'lifted'
  // The text of a withdrawn item is not shown again: it must not be used.
  const showText = !denied && !lifted && !m.withdrawn && m.kind !== 'kill'
  const title = denied ? t(l, 'dist.portal.embargo.hiddenTitle') : p.title
  return sendPage(
    req,
    reply,
    { title, shell: 'console', current: 'inbox', head: <script src="/assets/countdown.js" defer></script> },
    <article class={`portal dist-message${m.kind === 'kill' ? ' dist-kill-page' : ''}`} data-delivery={m.id} data-kind={m.kind}>
      <p class="small">
        <a href="/doi-tac/hop-thu">← {t(l, 'dist.portal.inbox.back')}</a>
      </p>
      <p class="dist-labels portal-label">
        <KindLabel m={m} l={l} liftAt={o.embargo?.state === 'open' ? o.embargo.liftAt : undefined} />
        {p.label ? <span class="badge">{p.label}</span> : null}
        {o.embargo?.state === 'open' ? <span class="small muted">{t(l, 'portal.content.localTime')}</span> : null}
      </p>
      {m.kind === 'kill' ? (
        <div class="card dist-kill" role="alert">
          <p class="dist-kill-label">{KILL_LABEL}</p>
          <p>{t(l, 'dist.portal.kill.explain')}</p>
          {p.reason ? (
            <p>
              <strong>{t(l, 'dist.portal.reason')}:</strong> {p.reason}
            </p>
          ) : null}
        </div>
      ) : null}
      {m.withdrawn ? (
        <div class="card dist-kill" role="alert">
          <p class="dist-kill-label">{KILL_LABEL}</p>
          <p>{t(l, 'dist.portal.kill.laterWithdrawn')}</p>
        </div>
      ) : null}
      {m.correctedBy ? (
        <Alert kind="warn">
          {t(l, 'dist.portal.correctedLater')} <a href={messagePath(m.correctedBy)}>{t(l, 'dist.portal.seeCorrection')}</a>
        </Alert>
      ) : null}
      <h1 lang="vi">{title}</h1>
      <p class="small muted">
        {t(l, 'dist.portal.received')}: {formatTime(m.createdAt, l)}
      </p>

      {denied ? (
        <Alert kind="error">
          <strong>{t(l, 'dist.portal.embargo.noAccess')}</strong>
          <br />
          <span class="small" lang={l === 'vi' ? 'en' : 'vi'}>
            {t(l === 'vi' ? 'en' : 'vi', 'dist.portal.embargo.noAccess')}
          </span>
        </Alert>
      ) : null}
      {lifted ? (
        <Alert kind="ok">
          {t(l, 'dist.portal.embargo.lifted')} {p.publicUrl ? <a href={p.publicUrl}>{t(l, 'dist.portal.embargo.publicLink')}</a> : null}
        </Alert>
      ) : null}
      {o.embargo?.state === 'open' ? (
        <>
          <Countdown at={o.embargo.liftAt} publicUrl={p.publicUrl} l={l} />
          <Alert kind="warn">{t(l, 'dist.portal.embargo.rule')}</Alert>
        </>
      ) : null}

      {m.kind === 'correction' && p.changeNote ? (
        <div class="card">
          <h2 class="dist-h3">{t(l, 'dist.portal.changeNote')}</h2>
          <p class="dist-body">{p.changeNote}</p>
        </div>
      ) : null}

      {m.kind === 'correction_request' && p.quote ? (
        <div class="card dist-quote">
          <p>{t(l, 'dist.portal.request.explain')}</p>
          <h2 class="dist-h3">{t(l, 'dist.portal.request.published')}</h2>
          <blockquote class="dist-body">{p.quote.published}</blockquote>
          <p class="small">
            <a href={p.quote.url} rel="nofollow noopener">
              {p.quote.url}
            </a>
          </p>
          <h2 class="dist-h3">{t(l, 'dist.portal.request.official')}</h2>
          <blockquote class="dist-body">{p.quote.official}</blockquote>
          <p class="small">
            <a href="/doi-tac/dua-tin">{t(l, 'dist.portal.request.myCoverage')}</a>
          </p>
        </div>
      ) : null}

      {/* A correction request carries its whole message as summary and body alike: shown once. */}
      {showText && p.summary && p.summary !== p.body ? (
        <p class="lead dist-body" lang="vi">
          {p.summary}
        </p>
      ) : null}
      {showText && p.body ? (
        <div class="prose dist-body" lang="vi">
          {p.body}
        </div>
      ) : null}
      {showText ? <Files files={p.files ?? []} token={m.linkToken} publicUrl={o.publicUrl} l={l} /> : null}
      {m.kind === 'notice' && p.reason ? (
        <p>
          <strong>{t(l, 'dist.portal.reason')}:</strong> {p.reason}
        </p>
      ) : null}
      {m.kind === 'notice' && p.event.startsWith('webhook.') ? (
        <p>
          <a class="button secondary" href="/doi-tac/nhan-tin/webhook">
            {t(l, 'dist.portal.notice.webhooks')}
          </a>
        </p>
      ) : null}
      {(m.kind === 'publish' || m.kind === 'correction') && !m.withdrawn && p.publicUrl ? (
        <p>
          <a href={p.publicUrl}>{t(l, 'dist.portal.publicPage')}</a>
        </p>
      ) : null}
      {m.kind !== 'notice' && m.kind !== 'test' && !denied ? <Source m={m} l={l} /> : null}
      {(m.kind === 'publish' || m.kind === 'correction') && m.itemId && !m.withdrawn ? (
        <p>
          <a class="button" href={coverageReportPath(m.itemType, m.itemId)} id="report-coverage">
            {t(l, 'dist.portal.reportCoverage')}
          </a>
        </p>
      ) : null}
    </article>,
  )
}
