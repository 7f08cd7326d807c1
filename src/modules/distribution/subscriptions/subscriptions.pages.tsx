/**
 * Pages of the public subscriptions (phone-first, no JavaScript needed: the commune picker only
 * improves the plain select). Token pages carry no-store and no-referrer: their address is the
 * key.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { CommuneField } from '../../reference/commune-field.tsx'
import { preferencesPath, SUBSCRIBE_PATH, unsubscribePath } from './subscriptions.links.ts'
import { SUBSCRIBER_WARNING_KINDS, SUBSCRIPTION_KINDS } from './subscriptions.tables.ts'

/** The hidden field a person leaves empty (a bot fills it: normal answer, nothing stored). */
export const HONEYPOT_FIELD = 'website'

/** The other language's line under a key text. */
function Other({ l, k, params }: { l: Locale; k: string; params?: Record<string, string | number> }): SafeHtml {
  const other: Locale = l === 'vi' ? 'en' : 'vi'
  return (
    <span lang={other} class="small muted">
      {t(other, k, params)}
    </span>
  )
}

/**
 * The topic checkboxes (with the warning kinds under the `warning` topic: none checked = every
 * kind) and the commune picker, shared by the form and the preference page.
 */
function Choices({
  l,
  kinds,
  communes,
  warningKinds,
}: {
  l: Locale
  kinds: readonly string[]
  communes: readonly string[]
  warningKinds: readonly string[]
}): SafeHtml {
  return (
    <>
      <fieldset>
        <legend>{t(l, 'dist.subs.field.kinds')}</legend>
        {SUBSCRIPTION_KINDS.map((k) => (
          <label>
            <span>
              <input type="checkbox" name="kinds" value={k} checked={kinds.includes(k)} /> {t(l, `dist.subs.kind.${k}`)}
            </span>
            <span class="hint">{t(l, `dist.subs.kind.${k}.hint`)}</span>
          </label>
        ))}
        <fieldset data-warning-kinds="">
          <legend class="small">{t(l, 'wsubs.field.warningKinds')}</legend>
          <p class="hint">{t(l, 'wsubs.hint.warningKinds')}</p>
          {SUBSCRIBER_WARNING_KINDS.map((k) => (
            <label>
              <span>
                <input type="checkbox" name="warningKinds" value={k} checked={warningKinds.includes(k)} /> {t(l, `wsubs.kind.${k}`)}
              </span>
            </label>
          ))}
        </fieldset>
      </fieldset>
      <CommuneField l={l} label={t(l, 'dist.subs.field.communes')} hint={t(l, 'dist.subs.hint.communes')} selected={communes} />
    </>
  )
}

/** The public form, empty or with what was typed and the refusal. */
export function subscribeFormPage(
  { req, reply }: R,
  o: { values?: { email: string; kinds: string[]; communes: string[]; warningKinds: string[] }; error?: AppError; status?: number } = {},
) {
  const l = req.locale
  const v = o.values ?? { email: '', kinds: ['release', 'warning'], communes: [], warningKinds: [] }
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.subs.title'), shell: 'public', narrow: true, status: o.status },
    <>
      <h1>{t(l, 'dist.subs.title')}</h1>
      <p>
        {t(l, 'dist.subs.intro')} <Other l={l} k="dist.subs.intro" />
      </p>
      <FormError l={l} error={o.error} />
      <form class="card stack" method="post" action={SUBSCRIBE_PATH} novalidate>
        <CsrfField req={req} reply={reply} />
        <div class="kc-hp" aria-hidden="true">
          <label>
            Website <input name={HONEYPOT_FIELD} tabindex="-1" autocomplete="off" />
          </label>
        </div>
        <label>
          {t(l, 'dist.subs.field.email')}
          <input name="email" type="email" value={v.email} maxlength="254" autocomplete="email" inputmode="email" required />
        </label>
        <Choices l={l} kinds={v.kinds} communes={v.communes} warningKinds={v.warningKinds} />
        <section aria-labelledby="h-consent">
          <h2 id="h-consent" class="small">
            {t(l, 'dist.subs.consent.title')}
          </h2>
          <p class="small" data-consent="">
            {t(l, 'dist.subs.consent.body')}
          </p>
          <p class="small muted">
            <Other l={l} k="dist.subs.consent.body" />
          </p>
          <p class="small">{t(l, 'dist.subs.consent.note')}</p>
        </section>
        <button type="submit">{t(l, 'dist.subs.submit')}</button>
      </form>
      <script src="/assets/commune-picker.js" defer></script>
    </>,
  )
}

/** After the form: the same page for a new, pending or active address (no enumeration). */
export function subscribeSentPage({ req, reply }: R) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.subs.sent.title'), shell: 'public', narrow: true },
    <>
      <h1>{t(l, 'dist.subs.sent.title')}</h1>
      <Alert kind="ok">
        <p>{t(l, 'dist.subs.sent.body')}</p>
        <Other l={l} k="dist.subs.sent.body" />
      </Alert>
      <p class="small muted">{t(l, 'dist.subs.sent.spam')}</p>
    </>,
  )
}

/** A link page that refuses: the bilingual error and the way back to the form. */
function LinkError({ l, error }: { l: Locale; error: AppError }): SafeHtml {
  return (
    <>
      <FormError l={l} error={error} />
      <p>
        <a href={SUBSCRIBE_PATH}>{t(l, 'dist.subs.confirm.again')}</a>
      </p>
    </>
  )
}

/** The confirmation page: a button (mail scanners fetch GETs; only the POST confirms). */
export function confirmPage({ req, reply }: R, o: { token: string; error?: AppError; status?: number }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.subs.confirm.title'), shell: 'public', narrow: true, status: o.status },
    <>
      <h1>{t(l, 'dist.subs.confirm.title')}</h1>
      {o.error ? (
        <LinkError l={l} error={o.error} />
      ) : (
        <form class="card stack" method="post" action={`${SUBSCRIBE_PATH}/xac-nhan/${encodeURIComponent(o.token)}`}>
          <CsrfField req={req} reply={reply} />
          <p>
            {t(l, 'dist.subs.confirm.body')} <Other l={l} k="dist.subs.confirm.body" />
          </p>
          <button type="submit">{t(l, 'dist.subs.confirm.button')}</button>
        </form>
      )}
    </>,
  )
}

/** After confirming: done, with the preference link (the page is the mailbox owner's). */
export function confirmedPage({ req, reply }: R, o: { preferencesToken: string }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.subs.confirmed.title'), shell: 'public', narrow: true },
    <>
      <h1>{t(l, 'dist.subs.confirmed.title')}</h1>
      <Alert kind="ok">
        <p>{t(l, 'dist.subs.confirmed.body')}</p>
        <Other l={l} k="dist.subs.confirmed.body" />
      </Alert>
      <p>
        <a href={preferencesPath(o.preferencesToken)}>{t(l, 'dist.subs.confirmed.prefs')}</a>
      </p>
    </>,
  )
}

/** The preference page: topics and communes, and the way out. */
export function preferencesPage(
  { req, reply }: R,
  o: {
    token: string
    unsubscribeToken: string
    email: string
    active: boolean
    kinds: readonly string[]
    communes: readonly string[]
    warningKinds: readonly string[]
    saved?: boolean
    error?: AppError
    status?: number
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.subs.prefs.title'), shell: 'public', narrow: true, status: o.status },
    <>
      <h1>{t(l, 'dist.subs.prefs.title')}</h1>
      {/* A subscription that ended has no address any more (erased when it ended). */}
      {o.email ? <p class="small muted">{t(l, 'dist.subs.prefs.for', { email: o.email })}</p> : null}
      {o.saved ? <Alert kind="ok">{t(l, 'dist.subs.prefs.saved')}</Alert> : null}
      <FormError l={l} error={o.error} />
      {o.active ? (
        <>
          {/* No CSRF token: the secret link is the only authority here (no cookie, no session),
              and a page elsewhere cannot post to an address it does not know. */}
          <form class="card stack" method="post" action={preferencesPath(o.token)}>
            <Choices l={l} kinds={o.kinds} communes={o.communes} warningKinds={o.warningKinds} />
            <button type="submit">{t(l, 'dist.subs.prefs.save')}</button>
          </form>
          <form class="card stack" method="post" action={unsubscribePath(o.unsubscribeToken)}>
            <p class="small">{t(l, 'dist.subs.prefs.leaveHint')}</p>
            <button type="submit" class="secondary">
              {t(l, 'dist.subs.prefs.leave')}
            </button>
          </form>
        </>
      ) : (
        <Alert kind="warn">
          <p>{t(l, 'dist.subs.prefs.inactive')}</p>
          <p>
            <a href={SUBSCRIBE_PATH}>{t(l, 'dist.subs.unsub.again')}</a>
          </p>
        </Alert>
      )}
      <script src="/assets/commune-picker.js" defer></script>
    </>,
  )
}

/** The unsubscribe page: one button (GET), or the result (POST: done, or already done). */
export function unsubscribePage({ req, reply }: R, o: { token: string; state: 'ask' | 'done' | 'already' }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.subs.unsub.title'), shell: 'public', narrow: true },
    <>
      <h1>{t(l, 'dist.subs.unsub.title')}</h1>
      {o.state === 'ask' ? (
        <form class="card stack" method="post" action={unsubscribePath(o.token)}>
          <p>
            {t(l, 'dist.subs.unsub.ask')} <Other l={l} k="dist.subs.unsub.ask" />
          </p>
          <button type="submit">{t(l, 'dist.subs.unsub.button')}</button>
        </form>
      ) : (
        <>
          <Alert kind="ok">
            <p data-unsubscribed={o.state}>{t(l, `dist.subs.unsub.${o.state}`)}</p>
            <Other l={l} k={`dist.subs.unsub.${o.state}`} />
          </Alert>
          <p>
            <a href={SUBSCRIBE_PATH}>{t(l, 'dist.subs.unsub.again')}</a>
          </p>
        </>
      )}
    </>,
  )
}
