/**
 * The "trace a leak" page: the form (a pasted link or text, or a file), and the recipient a
 * found mark names — partner, outlet, kind, channel, when it was sent, opened and downloaded,
 * and the item — or the reason nothing was found.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { TracedDelivery } from './commands/trace-leak.ts'
import { DIST, itemPath } from './item.pages.tsx'

/** What the trace page shows. */
export interface TracePageData {
  traced?: TracedDelivery
  via?: 'text' | 'file'
  /** The format the uploaded file was read as (null: not one that carries a mark). */
  format?: string | null
  fileName?: string
  pasted?: string
  error?: AppError | null
}

function Result({ l, r, via }: { l: Locale; r: TracedDelivery; via?: 'text' | 'file' }): SafeHtml {
  const item = r.itemId && (r.itemType === 'release' || r.itemType === 'verdict') ? itemPath(r.itemType, r.itemId) : null
  return (
    <section class="card" id="trace-result" aria-labelledby="result-h">
      <h2 id="result-h">{t(l, 'dist.trace.found')}</h2>
      <p class="small muted">{t(l, via === 'file' ? 'dist.trace.viaFile' : 'dist.trace.viaText')}</p>
      <dl class="kv">
        <dt>{t(l, 'dist.trace.recipient')}</dt>
        <dd>
          {r.recipientType === 'partner' && r.partnerId ? (
            <>
              <a href={`/console/doi-tac/${r.partnerId}`} id="trace-partner">
                {r.partnerName ?? '—'}
              </a>{' '}
              <span class="badge kind">{t(l, `dist.trace.partnerKind.${r.partnerKind ?? 'journalist'}`)}</span>
              {r.partnerStatus ? <span class="small muted"> · {t(l, `dist.trace.status.${r.partnerStatus}`)}</span> : null}
            </>
          ) : (
            <span id="trace-partner">{t(l, 'dist.trace.subscriber')}</span>
          )}
        </dd>
        <dt>{t(l, 'dist.trace.outlet')}</dt>
        <dd>{r.outletName ?? '—'}</dd>
        <dt>{t(l, 'dist.trace.channel')}</dt>
        <dd>
          {t(l, `dist.console.channel.${r.channel}`)}
          {r.address ? <span class="small muted"> · {r.address}</span> : null}
        </dd>
        <dt>{t(l, 'dist.trace.item')}</dt>
        <dd>
          {item ? <a href={item}>{r.title || '—'}</a> : <span>{r.title || '—'}</span>}{' '}
          <span class="small muted">({t(l, `dist.console.kind.${r.kind}`)})</span>
        </dd>
        <dt>{t(l, 'dist.trace.state')}</dt>
        <dd>{t(l, `dist.console.state.${r.state}`)}</dd>
        <dt>{t(l, 'dist.console.at.created')}</dt>
        <dd>{formatTime(r.createdAt, l)}</dd>
        <dt>{t(l, 'dist.console.at.sent')}</dt>
        <dd>{formatTime(r.sentAt, l)}</dd>
        <dt>{t(l, 'dist.console.at.opened')}</dt>
        <dd>{formatTime(r.openedAt, l)}</dd>
        <dt>{t(l, 'dist.console.at.downloaded')}</dt>
        <dd>{formatTime(r.downloadedAt, l)}</dd>
        <dt>{t(l, 'dist.trace.delivery')}</dt>
        <dd>
          <code>{r.deliveryId}</code>
        </dd>
      </dl>
      <p class="small muted">{t(l, 'dist.trace.audited')}</p>
    </section>
  )
}

/** Renders the trace page. */
export function tracePage({ req, reply }: R, d: TracePageData): ReturnType<typeof sendPage> {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.trace.title'), shell: 'console', current: 'distribution.nav', status: d.error?.status },
    <>
      <p class="small">
        <a href={DIST}>← {t(l, 'dist.console.title')}</a>
      </p>
      <h1>{t(l, 'dist.trace.title')}</h1>
      <p>{t(l, 'dist.trace.intro')}</p>
      <FormError l={l} error={d.error} />
      {d.error?.code === 'TRACE_NOT_FOUND' && d.fileName ? (
        <p class="small" id="trace-format">
          {d.format ? t(l, 'dist.trace.formatNoMark', { format: d.format.toUpperCase() }) : t(l, 'dist.trace.formatUnmarked')}
        </p>
      ) : null}
      {d.traced ? <Result l={l} r={d.traced} via={d.via} /> : null}
      <form method="post" action={`${DIST}/truy-vet`} enctype="multipart/form-data" class="card stack">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'dist.trace.pasteLabel')}
          <span class="hint">{t(l, 'dist.trace.pasteHint')}</span>
          <textarea name="q" rows="3" maxlength="20000">
            {d.pasted ?? ''}
          </textarea>
        </label>
        <label>
          {t(l, 'dist.trace.fileLabel')}
          <span class="hint">{t(l, 'dist.trace.fileHint')}</span>
          <input type="file" name="file" />
        </label>
        <button type="submit">{t(l, 'dist.trace.submit')}</button>
      </form>
      <p class="small muted">{t(l, 'dist.trace.formats')}</p>
    </>,
  )
}
