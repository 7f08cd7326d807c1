/**
 * The partner's delivery settings (phone-first): `/doi-tac/nhan-tin` (e-mail now / daily digest /
 * off, the lists they are in with leave and rejoin, the always-on portal inbox, a summary of
 * their endpoints) and `/doi-tac/nhan-tin/webhook[/…]` (endpoints: add, the secret shown once,
 * rotate, re-enable, send a test, delete; recent deliveries with status codes).
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { now } from '../../../platform/clock.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { EmailMode } from '../distribution.types.ts'
import { type EmailPreference, type EndpointDelivery, MAX_WEBHOOKS, RECENT_DELIVERIES, type WebhookView } from './settings.queries.ts'

/** A list the partner is in, as `listsOfPartner` returns it. */
export interface PartnerList {
  id: string
  name: string
  kind: string
  optedOut: boolean
}

/** Hours offered for the digest (local time). */
const HOURS = Array.from({ length: 24 }, (_, h) => h)
const hh = (h: number) => `${String(h).padStart(2, '0')}:00`

/** `/doi-tac/nhan-tin`. */
export function settingsPage(
  { req, reply }: R,
  o: {
    email: string | null
    preference: EmailPreference
    lists: PartnerList[]
    webhooks: WebhookView[]
    notice?: string
    error?: AppError
    /** The values the refused form sent, to show them again. */
    values?: { mode?: string; digestHour?: string }
  },
) {
  const l = req.locale
  const mode = (o.values?.mode ?? o.preference.emailMode) as EmailMode | string
  const hour = Number(o.values?.digestHour ?? o.preference.digestHour)
  const inAny = o.lists.some((x) => !x.optedOut)
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.portal.settings.title'), shell: 'console', current: 'delivery', status: o.error?.status },
    <div class="portal dist-settings">
      <h1>{t(l, 'dist.portal.settings.title')}</h1>
      <p class="muted">{t(l, 'dist.portal.settings.intro')}</p>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />

      <section class="card" aria-labelledby="portal-inbox-h">
        <h2 id="portal-inbox-h" class="card-title">
          {t(l, 'dist.portal.settings.inboxTitle')} <span class="badge ok">{t(l, 'dist.portal.settings.alwaysOn')}</span>
        </h2>
        <p class="small">{t(l, 'dist.portal.settings.inboxExplain')}</p>
      </section>

      <section aria-labelledby="email-h" id="email">
        <form method="post" action="/doi-tac/nhan-tin/email" class="stack card">
          <h2 id="email-h" class="card-title">
            {t(l, 'dist.portal.settings.emailTitle')}
          </h2>
          <CsrfField req={req} reply={reply} />
          <p class="small">
            {t(l, 'dist.portal.settings.emailTo')}: <strong class="mono">{o.email ?? t(l, 'dist.portal.settings.noEmail')}</strong>
          </p>
          {o.preference.emailBouncedAt ? (
            <Alert kind="warn">{t(l, 'dist.portal.settings.bounced', { at: formatTime(o.preference.emailBouncedAt, l) })}</Alert>
          ) : null}
          <fieldset class="dist-choice">
            <legend>{t(l, 'dist.portal.settings.emailMode')}</legend>
            {(['immediate', 'digest', 'off'] as const).map((m) => (
              <label>
                <span class="dist-radio">
                  <input type="radio" name="mode" value={m} checked={mode === m} />
                  <span>{t(l, `dist.portal.settings.mode.${m}`)}</span>
                </span>
                <span class="hint">{t(l, `dist.portal.settings.modeHint.${m}`)}</span>
              </label>
            ))}
          </fieldset>
          <label>
            {t(l, 'dist.portal.settings.digestHour')}
            <select name="digestHour">
              {HOURS.map((h) => (
                <option value={String(h)} selected={h === hour}>
                  {hh(h)}
                </option>
              ))}
            </select>
            <span class="hint">{t(l, 'dist.portal.settings.digestHourHint')}</span>
          </label>
          <button type="submit">{t(l, 'dist.portal.settings.save')}</button>
        </form>
      </section>

      <section class="card" aria-labelledby="lists-h" id="lists">
        <h2 id="lists-h" class="card-title">
          {t(l, 'dist.portal.settings.listsTitle')}
        </h2>
        <p class="small">{t(l, 'dist.portal.settings.listsExplain')}</p>
        {o.lists.length === 0 ? <p class="muted small">{t(l, 'dist.portal.settings.noLists')}</p> : null}
        <ul class="portal-list">
          {o.lists.map((x) => (
            <li data-list={x.id}>
              <div class="dist-line">
                <span>
                  <strong>{x.name}</strong>{' '}
                  {x.optedOut ? (
                    <span class="badge warn">{t(l, 'dist.portal.settings.left')}</span>
                  ) : (
                    <span class="badge ok">{t(l, 'dist.portal.settings.member')}</span>
                  )}
                </span>
                <form method="post" action={`/doi-tac/nhan-tin/danh-sach/${x.id}/${x.optedOut ? 'tham-gia' : 'roi'}`}>
                  <CsrfField req={req} reply={reply} />
                  <button
                    type="submit"
                    class="secondary"
                    aria-label={`${t(l, x.optedOut ? 'dist.portal.settings.rejoin' : 'dist.portal.settings.leave')}: ${x.name}`}
                  >
                    {t(l, x.optedOut ? 'dist.portal.settings.rejoin' : 'dist.portal.settings.leave')}
                  </button>
                </form>
              </div>
            </li>
          ))}
        </ul>
        {o.lists.length > 0 && !inAny ? <Alert kind="warn">{t(l, 'dist.portal.settings.leftAll')}</Alert> : null}
        <p class="small muted">{t(l, 'dist.portal.settings.killStillComes')}</p>
      </section>

      <section class="card" aria-labelledby="webhooks-h" id="webhooks">
        <h2 id="webhooks-h" class="card-title">
          {t(l, 'dist.portal.webhooks.title')}
        </h2>
        <p class="small">{t(l, 'dist.portal.webhooks.short')}</p>
        {o.webhooks.length === 0 ? (
          <p class="muted small">{t(l, 'dist.portal.webhooks.none')}</p>
        ) : (
          <ul class="portal-list">
            {o.webhooks.map((w) => (
              <li>
                <span class="mono">{w.url}</span> <StateBadge w={w} l={l} />
              </li>
            ))}
          </ul>
        )}
        <p>
          <a class="button secondary" href="/doi-tac/nhan-tin/webhook">
            {t(l, 'dist.portal.webhooks.manage')}
          </a>
        </p>
      </section>
    </div>,
  )
}

function StateBadge({ w, l }: { w: WebhookView; l: Locale }): SafeHtml {
  return w.state === 'active' ? (
    <span class="badge ok">{t(l, 'dist.portal.webhooks.active')}</span>
  ) : (
    <span class="badge dist-kill-badge">{t(l, 'dist.portal.webhooks.disabled')}</span>
  )
}

/** The secret just made (created or rotated): shown this once, with how to verify. */
function SecretOnce({ secret, l, previousValidUntil }: { secret: string; l: Locale; previousValidUntil?: Date }): SafeHtml {
  return (
    <section class="card" id="new-secret" aria-labelledby="new-secret-h">
      <h2 id="new-secret-h" class="card-title">
        {t(l, 'dist.portal.webhooks.secretTitle')}
      </h2>
      <Alert kind="warn">{t(l, 'dist.portal.webhooks.secretOnce')}</Alert>
      <textarea
        id="new-secret-value"
        class="mono"
        readonly
        rows="2"
        autocomplete="off"
        spellcheck="false"
        aria-label={t(l, 'dist.portal.webhooks.secretTitle')}
        style="font-size:.95rem;word-break:break-all;resize:none"
      >
        {secret}
      </textarea>
      <p class="row" style="align-items:center">
        <button
          type="button"
          hidden
          data-copy-target="new-secret-value"
          data-copy-status="new-secret-status"
          data-copied={t(l, 'portal.tokens.copied')}
          data-failed={t(l, 'portal.tokens.copyFailed')}
        >
          {t(l, 'portal.tokens.copy')}
        </button>
        <span id="new-secret-status" role="status" class="small"></span>
      </p>
      {previousValidUntil ? (
        <p class="small">{t(l, 'dist.portal.webhooks.rotatedGrace', { until: formatTime(previousValidUntil, l) })}</p>
      ) : null}
      <HowToVerify l={l} />
    </section>
  )
}

function HowToVerify({ l }: { l: Locale }): SafeHtml {
  return (
    <details class="small">
      <summary>{t(l, 'dist.portal.webhooks.howTitle')}</summary>
      <p>
        {t(l, 'dist.portal.webhooks.how1')}{' '}
        <a href="https://www.standardwebhooks.com/" rel="noopener">
          standardwebhooks.com
        </a>
      </p>
      <p>{t(l, 'dist.portal.webhooks.how2')}</p>
      <pre class="mono dist-pre">
        {
          "import { Webhook } from 'standardwebhooks'\nconst wh = new Webhook(process.env.DONGHANH_SECRET) // whsec_…\nconst event = wh.verify(rawBody, headers) // throws if forged\n// headers['webhook-id'] = msg_… : process each id once"
        }
      </pre>
      <p>{t(l, 'dist.portal.webhooks.how3')}</p>
    </details>
  )
}

/** `/doi-tac/nhan-tin/webhook`: every endpoint with its actions, and the add form. */
export function webhooksPage(
  { req, reply }: R,
  o: {
    webhooks: WebhookView[]
    created?: { id: string; url: string; secret: string }
    notice?: string
    error?: AppError
    values?: { url?: string }
  },
) {
  const l = req.locale
  const full = o.webhooks.length >= MAX_WEBHOOKS
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'dist.portal.webhooks.title'),
      shell: 'console',
      current: 'delivery',
      status: o.error?.status,
      head: <script src="/assets/copy-token.js" defer></script>,
    },
    <div class="portal dist-settings">
      <p class="small">
        <a href="/doi-tac/nhan-tin">← {t(l, 'dist.portal.settings.title')}</a>
      </p>
      <h1>{t(l, 'dist.portal.webhooks.title')}</h1>
      <p class="muted">{t(l, 'dist.portal.webhooks.intro')}</p>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      {o.created ? (
        <>
          <Alert kind="ok">{t(l, 'dist.portal.webhooks.created', { url: o.created.url })}</Alert>
          <SecretOnce secret={o.created.secret} l={l} />
        </>
      ) : null}
      {o.webhooks.length === 0 ? <p class="card muted">{t(l, 'dist.portal.webhooks.none')}</p> : null}
      <ul style="list-style:none;padding:0;margin:0" id="webhook-list">
        {o.webhooks.map((w) => (
          <li class="card" data-webhook={w.id}>
            <WebhookSummary w={w} l={l} />
            <p>
              <a href={`/doi-tac/nhan-tin/webhook/${w.id}`}>{t(l, 'dist.portal.webhooks.details')}</a>
            </p>
          </li>
        ))}
      </ul>
      <h2>{t(l, 'dist.portal.webhooks.add')}</h2>
      {full ? (
        <p class="card muted">{t(l, 'errors.DISTRIBUTION_WEBHOOK_LIMIT', { max: MAX_WEBHOOKS })}</p>
      ) : (
        <form method="post" action="/doi-tac/nhan-tin/webhook" class="stack card">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'dist.portal.webhooks.url')}
            <input type="url" name="url" required inputmode="url" autocomplete="off" placeholder="https://" value={o.values?.url ?? ''} />
            <span class="hint">{t(l, 'dist.portal.webhooks.urlHint')}</span>
          </label>
          <button type="submit">{t(l, 'dist.portal.webhooks.addButton')}</button>
          <p class="small muted">{t(l, 'dist.portal.webhooks.limit', { max: MAX_WEBHOOKS })}</p>
        </form>
      )}
      {o.created ? null : <HowToVerify l={l} />}
    </div>,
  )
}

function WebhookSummary({ w, l }: { w: WebhookView; l: Locale }): SafeHtml {
  return (
    <>
      <p style="margin-top:0">
        <span class="mono">{w.url}</span> <StateBadge w={w} l={l} />
      </p>
      {w.state === 'disabled' ? (
        <Alert kind="warn">
          {t(l, 'dist.portal.webhooks.disabledBecause')}: {w.disabledReason ?? '—'} ({formatTime(w.disabledAt, l)})
        </Alert>
      ) : null}
      <dl class="portal-dl small">
        <dt>{t(l, 'dist.portal.webhooks.failures')}</dt>
        <dd>{String(w.consecutiveFailures)}</dd>
        <dt>{t(l, 'dist.portal.webhooks.lastSuccess')}</dt>
        <dd>{w.lastSuccessAt ? formatTime(w.lastSuccessAt, l) : t(l, 'dist.portal.webhooks.never')}</dd>
        <dt>{t(l, 'dist.portal.webhooks.createdAt')}</dt>
        <dd>{formatTime(w.createdAt, l)}</dd>
        {w.previousSecretUntil && w.previousSecretUntil.getTime() > now().getTime() ? (
          <>
            <dt>{t(l, 'dist.portal.webhooks.oldSecret')}</dt>
            <dd>{formatTime(w.previousSecretUntil, l)}</dd>
          </>
        ) : null}
      </dl>
    </>
  )
}

/** `/doi-tac/nhan-tin/webhook/:id`: one endpoint, its actions and its last deliveries. */
export function webhookPage(
  { req, reply }: R,
  o: {
    w: WebhookView
    deliveries: EndpointDelivery[]
    /** The test ping just queued (followed until it is sent or failed). */
    testId?: string
    rotated?: { secret: string; previousValidUntil: Date }
    notice?: string
    error?: AppError
  },
) {
  const l = req.locale
  const { w } = o
  const base = `/doi-tac/nhan-tin/webhook/${w.id}`
  const test = o.testId ? o.deliveries.find((d) => d.id === o.testId) : undefined
  const testPending = !!test && (test.state === 'queued' || test.state === 'sending')
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'dist.portal.webhooks.one'),
      shell: 'console',
      current: 'delivery',
      status: o.error?.status,
      head: (
        <>
          <script src="/assets/copy-token.js" defer></script>
          {/* While the test ping is on its way, the page looks again every 3 s (no script needed). */}
          {testPending ? <meta http-equiv="refresh" content="3" /> : null}
        </>
      ),
    },
    <div class="portal dist-settings">
      <p class="small">
        <a href="/doi-tac/nhan-tin/webhook">← {t(l, 'dist.portal.webhooks.title')}</a>
      </p>
      <h1>{t(l, 'dist.portal.webhooks.one')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      {o.rotated ? <SecretOnce secret={o.rotated.secret} previousValidUntil={o.rotated.previousValidUntil} l={l} /> : null}
      {o.testId ? (
        <section class="card" id="test-result">
          <h2 class="card-title">{t(l, 'dist.portal.webhooks.testTitle')}</h2>
          {test ? (
            <p>
              <DeliveryState d={test} l={l} /> {test.lastStatus ? <span class="mono">HTTP {test.lastStatus}</span> : null}{' '}
              {test.lastError ? <span class="small">{test.lastError}</span> : null}
            </p>
          ) : (
            <p class="muted">{t(l, 'dist.portal.webhooks.testUnknown')}</p>
          )}
          {testPending ? (
            <p class="small muted">
              {t(l, 'dist.portal.webhooks.testWaiting')} <a href={`${base}?test=${o.testId}`}>{t(l, 'dist.portal.webhooks.refresh')}</a>
            </p>
          ) : null}
        </section>
      ) : null}
      <section class="card">
        <WebhookSummary w={w} l={l} />
        <div class="dist-actions">
          {w.state === 'active' ? (
            <form method="post" action={`${base}/gui-thu`}>
              <CsrfField req={req} reply={reply} />
              <button type="submit">{t(l, 'dist.portal.webhooks.test')}</button>
            </form>
          ) : (
            <form method="post" action={`${base}/bat-lai`}>
              <CsrfField req={req} reply={reply} />
              <button type="submit">{t(l, 'dist.portal.webhooks.enable')}</button>
            </form>
          )}
          <form method="post" action={`${base}/xoay-khoa`}>
            <CsrfField req={req} reply={reply} />
            <button type="submit" class="secondary">
              {t(l, 'dist.portal.webhooks.rotate')}
            </button>
          </form>
          <form method="post" action={`${base}/xoa`}>
            <CsrfField req={req} reply={reply} />
            <button type="submit" class="danger">
              {t(l, 'dist.portal.webhooks.delete')}
            </button>
          </form>
        </div>
        <p class="small muted">{t(l, 'dist.portal.webhooks.rotateHint')}</p>
      </section>
      <h2 id="recent">{t(l, 'dist.portal.webhooks.recent', { n: RECENT_DELIVERIES })}</h2>
      {o.deliveries.length === 0 ? <p class="card muted">{t(l, 'dist.portal.webhooks.noDeliveries')}</p> : null}
      <ul style="list-style:none;padding:0;margin:0" id="recent-deliveries">
        {o.deliveries.map((d) => (
          <li class="card" data-delivery={d.id}>
            <p style="margin-top:0">
              <DeliveryState d={d} l={l} /> <span class="badge">{t(l, `dist.portal.kind.${d.kind}`)}</span>{' '}
              <span class="dist-title">{d.title}</span>
            </p>
            <p class="small muted mono">msg_{d.id}</p>
            <p class="small muted">
              {t(l, 'dist.portal.webhooks.queuedAt')}: {formatTime(d.createdAt, l)}
              {d.sentAt ? ` · ${t(l, 'dist.portal.webhooks.sentAt')}: ${formatTime(d.sentAt, l)}` : ''}
              {d.state === 'queued' && d.attempts > 0
                ? ` · ${t(l, 'dist.portal.webhooks.nextTry')}: ${formatTime(d.nextAttemptAt, l)}`
                : ''}
            </p>
            {d.tries.length === 0 ? null : (
              <ol class="small dist-tries" reversed>
                {d.tries.map((a) => (
                  <li>
                    {formatTime(a.at, l)} · <span class="mono">{a.status ? `HTTP ${a.status}` : '—'}</span>
                    {a.error ? ` · ${a.error}` : ''}
                    {a.durationMs !== null ? ` · ${a.durationMs} ms` : ''}
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    </div>,
  )
}

function DeliveryState({ d, l }: { d: EndpointDelivery; l: Locale }): SafeHtml {
  const cls =
    d.state === 'sent' || d.state === 'opened' || d.state === 'downloaded'
      ? 'badge ok'
      : d.state === 'failed'
        ? 'badge dist-kill-badge'
        : 'badge warn'
  return (
    <span class={cls} data-state={d.state}>
      {t(l, `dist.portal.state.${d.state}`)}
    </span>
  )
}
