/**
 * The door's page (/console/su-kien/:id/diem-danh), phone first: the camera (assets/checkin.js
 * with jsQR), the door's name, manual code entry, walk-ins, the last result in big, this
 * device's scans, the sync state (online, scans waiting) and the event's conflicts. Every text
 * the script shows comes from the page (a JSON block in the page's language), none from the script.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { localFormat } from '../../../platform/time.ts'
import { eventTime } from '../console/console.pages.tsx'
import type { EventRow } from '../invitations/invitations.mail.ts'
import type { CheckinCounts, ConflictItem } from './checkin.queries.ts'

const RESULTS = ['checked_in', 'duplicate', 'other_event', 'forged', 'expired', 'withdrawn', 'unknown_code', 'walk_in'] as const

/** The texts the script needs, in the page's language. */
function clientTexts(l: Locale): Record<string, string> {
  const out: Record<string, string> = {}
  for (const r of RESULTS) out[`result.${r}`] = t(l, `evcheckin.result.${r}`)
  for (const k of [
    'pending',
    'kept',
    'keptNoDoor',
    'otherEvent',
    'localDuplicate',
    'online',
    'offline',
    'cameraDenied',
    'cameraUnsupported',
    'cameraOn',
    'refused',
    'companion',
    'noDoor',
  ]) {
    out[k] = t(l, `evcheckin.js.${k}`)
  }
  return out
}

/** JSON inside a non-executed `<script type="application/json">`: `<` escaped so nothing can close it. */
function jsonBlock(id: string, value: unknown): SafeHtml {
  return raw(`<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`)
}

/** One conflict as the lists show it (page and console panel). */
export function ConflictLine({ l, c }: { l: Locale; c: ConflictItem }): SafeHtml {
  const time = (d: Date) => localFormat(l, { timeStyle: 'short' }).format(d)
  return (
    <li data-conflict={c.reason}>
      <strong>{t(l, `evcheckin.result.${c.reason}`)}</strong>
      {c.name ? ` · ${c.name}` : ''} · {time(c.scannedAt)}
      {c.door ? ` · ${t(l, 'evcheckin.door')} ${c.door}` : ''}
      {c.offline ? <span class="small muted"> · {t(l, 'evcheckin.offlineScan')}</span> : null}
      {c.kept ? (
        <span class="small">
          {' '}
          (
          {c.kept.door
            ? t(l, 'evcheckin.js.kept', { time: time(c.kept.scannedAt), door: c.kept.door })
            : t(l, 'evcheckin.js.keptNoDoor', { time: time(c.kept.scannedAt) })}
          )
        </span>
      ) : null}
    </li>
  )
}

/** The counters line (checked in / confirmed, walk-ins, conflicts). */
export function CountsLine({ l, counts }: { l: Locale; counts: CheckinCounts }): SafeHtml {
  return (
    <p
      id="checkin-counts"
      class="checkin-counts"
      data-checked-in={String(counts.checkedIn)}
      data-confirmed={String(counts.confirmed)}
      data-walk-ins={String(counts.walkIns)}
      data-conflicts={String(counts.conflicts)}
    >
      <span>
        {t(l, 'evcheckin.counts.checkedIn')}: <b id="checkin-checked-in">{String(counts.checkedIn)}</b> /{' '}
        <b id="checkin-confirmed">{String(counts.confirmed)}</b>
      </span>{' '}
      <span>
        {t(l, 'evcheckin.counts.walkIns')}: <b id="checkin-walk-ins">{String(counts.walkIns)}</b>
      </span>{' '}
      <span>
        {t(l, 'evcheckin.counts.conflicts')}: <b id="checkin-conflict-count">{String(counts.conflicts)}</b>
      </span>
    </p>
  )
}

/** The check-in page. */
export function checkinPage(
  { req, reply }: R,
  o: {
    event: EventRow
    counts: CheckinCounts
    conflicts: ConflictItem[]
    open: boolean
    notice?: string
    error?: AppError
    walkIn?: { name?: string; outlet?: string; note?: string }
  },
) {
  const l = req.locale
  const e = o.event
  const base = `/console/su-kien/${e.id}/diem-danh`
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'evcheckin.page.title', { title: e.title }),
      shell: 'console',
      current: 'events.nav',
      status: o.error?.status,
      head: raw('<script src="/assets/jsqr/jsQR.js" defer></script><script src="/assets/checkin.js" defer></script>'),
    },
    <div
      class="checkin"
      id="checkin"
      data-event={e.id}
      data-scan-url={`${base}/quet`}
      data-walkin-url={`${base}/khach`}
      data-status-url={`${base}/tinh-hinh`}
      data-lang={l}
    >
      {jsonBlock('checkin-texts', clientTexts(l))}
      <p>
        <a href={`/console/su-kien/${e.id}`}>{t(l, 'evcheckin.page.back')}</a>
      </p>
      <h1>{t(l, 'evcheckin.page.heading')}</h1>
      <p class="checkin-event">
        <strong>{e.title}</strong>
        <br />
        <span class="small">
          {eventTime(e, l)} · {e.place || '—'}
        </span>
      </p>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {o.open ? null : <Alert kind="warn">{t(l, 'evcheckin.page.closed')}</Alert>}
      <div class="checkin-status">
        <span id="checkin-online" class="checkin-online" data-online="true" role="status">
          {t(l, 'evcheckin.js.online')}
        </span>
        <span>
          {t(l, 'evcheckin.page.queue')}:{' '}
          <b id="checkin-queue" data-pending="0">
            0
          </b>
        </span>
      </div>
      <CountsLine l={l} counts={o.counts} />

      <label class="checkin-door">
        {t(l, 'evcheckin.door')}
        <input id="checkin-door" type="text" maxlength="60" autocomplete="off" placeholder={t(l, 'evcheckin.page.doorPlaceholder')} />
      </label>

      <div class="checkin-camera">
        <video id="checkin-video" playsinline muted aria-label={t(l, 'evcheckin.page.camera')}></video>
        <p id="checkin-camera-status" class="small muted" role="status"></p>
      </div>

      <div id="checkin-last" class="checkin-last" data-result="" aria-live="assertive">
        <div class="checkin-mark" aria-hidden="true"></div>
        <div class="checkin-photo" aria-hidden="true"></div>
        <div class="checkin-who">
          <p class="checkin-name">{t(l, 'evcheckin.page.waiting')}</p>
          <p class="checkin-outlet"></p>
          <p class="checkin-reason"></p>
        </div>
      </div>

      <form id="checkin-manual" class="checkin-form" autocomplete="off">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'evcheckin.page.code')}
          <input
            name="code"
            type="text"
            inputmode="text"
            autocapitalize="characters"
            maxlength="20"
            placeholder="K7M2-Q9XD"
            required
            aria-describedby="checkin-code-help"
          />
        </label>
        <p id="checkin-code-help" class="small muted">
          {t(l, 'evcheckin.page.codeHelp')}
        </p>
        <button type="submit">{t(l, 'evcheckin.page.codeSubmit')}</button>
      </form>

      <details class="checkin-walkin" open={o.walkIn ? true : undefined}>
        <summary>{t(l, 'evcheckin.page.walkIn')}</summary>
        <form id="checkin-walkin" method="post" action={`${base}/khach`} class="checkin-form">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'evcheckin.page.walkInName')}
            <input name="name" type="text" minlength="2" maxlength="200" required value={o.walkIn?.name ?? ''} />
          </label>
          <label>
            {t(l, 'evcheckin.page.walkInOutlet')}
            <input name="outlet" type="text" maxlength="200" value={o.walkIn?.outlet ?? ''} />
          </label>
          <label>
            {t(l, 'evcheckin.page.walkInNote')}
            <input name="note" type="text" maxlength="500" value={o.walkIn?.note ?? ''} />
          </label>
          <button type="submit">{t(l, 'evcheckin.page.walkInSubmit')}</button>
        </form>
      </details>

      <h2>{t(l, 'evcheckin.page.results')}</h2>
      <ol id="checkin-results" class="checkin-results"></ol>

      <h2>{t(l, 'evcheckin.page.conflicts')}</h2>
      <ul id="checkin-conflicts" class="checkin-conflicts">
        {o.conflicts.map((c) => (
          <ConflictLine l={l} c={c} />
        ))}
      </ul>
    </div>,
  )
}
