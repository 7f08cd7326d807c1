/**
 * Pages of partner sign-in: the link request (with the passkey button), the link's confirm
 * page, and /doi-tac/bao-mat (passkeys and sessions). Phone-first: one column, full-width
 * buttons, tables that scroll inside their box.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { Alert, CsrfField, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import type { PartnerRow } from '../../partners/partners.tables.ts'
import type { PasskeyRow } from './auth.tables.ts'
import { deviceOf } from './device.ts'

/** The WebAuthn browser library (served from node_modules) and the page's own script. */
const PASSKEY_SCRIPTS = raw(
  '<script src="/assets/webauthn/index.umd.min.js" defer></script><script src="/assets/passkeys.js" defer></script>',
)

/** /doi-tac/dang-nhap: the e-mail form, the same answer for every address, and the passkey button. */
export function signInRequestPage(
  { req, reply }: R,
  o: { error?: AppError; sent?: boolean; email?: string; staff?: boolean; notice?: string },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'portal.auth.title'), shell: 'public', narrow: true, status: o.error?.status, head: PASSKEY_SCRIPTS },
    <>
      <h1>{t(l, 'portal.auth.title')}</h1>
      <p>{t(l, 'portal.auth.intro')}</p>
      {o.staff ? <Alert kind="warn">{t(l, 'portal.auth.signedInAsStaff')}</Alert> : null}
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {o.sent ? (
        <div id="link-sent">
          <Alert kind="ok">{t(l, 'portal.auth.sent')}</Alert>
        </div>
      ) : null}
      <FormError l={l} error={o.error} />
      <form method="post" action="/doi-tac/dang-nhap" class="stack card">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'portal.auth.email')}
          <input type="email" name="email" required autocomplete="username webauthn" inputmode="email" value={o.email ?? ''} />
        </label>
        <button type="submit">{t(l, 'portal.auth.sendLink')}</button>
      </form>
      <div class="stack card">
        <p class="muted small">{t(l, 'portal.auth.passkeyHint')}</p>
        <button
          type="button"
          id="passkey-signin"
          class="secondary pk"
          hidden
          data-options="/doi-tac/dang-nhap/passkey/tuy-chon"
          data-verify="/doi-tac/dang-nhap/passkey"
          data-working={t(l, 'portal.auth.passkeyWorking')}
          data-cancelled={t(l, 'portal.auth.passkeyCancelled')}
          data-unsupported={t(l, 'portal.auth.passkeyUnsupported')}
        >
          {t(l, 'portal.auth.passkey')}
        </button>
        <div id="passkey-status" class="pk" hidden aria-live="polite" />
      </div>
      <p class="small muted">
        {t(l, 'portal.auth.staffHint')} <a href="/console/sign-in">{t(l, 'portal.auth.staffLink')}</a>
      </p>
    </>,
  )
}

/** The link's page: a confirm button (a GET never uses the link), or why it cannot be used. */
export function linkConfirmPage({ req, reply }: R, o: { token: string; error?: AppError }) {
  const l = req.locale
  if (o.error) {
    return sendPage(
      req,
      reply,
      { title: t(l, 'portal.auth.linkProblem'), shell: 'public', narrow: true, status: o.error.status },
      <>
        <h1>{t(l, 'portal.auth.linkProblem')}</h1>
        <FormError l={l} error={o.error} />
        {o.error.code === 'PORTAL_PARTNER_REVOKED' || o.error.code === 'PORTAL_STAFF_ACCOUNT' ? null : (
          <p>
            <a class="button" href="/doi-tac/dang-nhap">
              {t(l, 'portal.auth.newLink')}
            </a>
          </p>
        )}
      </>,
    )
  }
  return sendPage(
    req,
    reply,
    { title: t(l, 'portal.auth.confirmTitle'), shell: 'public', narrow: true },
    <>
      <h1>{t(l, 'portal.auth.confirmTitle')}</h1>
      <p>{t(l, 'portal.auth.confirmIntro')}</p>
      <form method="post" action="/doi-tac/dang-nhap/lien-ket" class="stack card">
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="token" value={o.token} />
        <button type="submit">{t(l, 'portal.auth.confirm')}</button>
      </form>
    </>,
  )
}

/** A session as listed on /doi-tac/bao-mat. */
export interface ListedSession {
  id: string
  ip: string | null
  userAgent: string | null
  createdAt: Date
  lastSeenAt: Date
}

/** /doi-tac/bao-mat: status, passkeys (add, remove), sessions (this one marked, end others). */
export function securityPage(
  { req, reply }: R,
  o: {
    partner: PartnerRow
    passkeys: PasskeyRow[]
    sessions: ListedSession[]
    currentSessionId: string
    notice?: { key: string; params?: Record<string, string | number> }
    error?: AppError
  },
) {
  const l = req.locale
  const others = o.sessions.filter((s) => s.id !== o.currentSessionId)
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'portal.auth.security.title'),
      shell: 'console',
      current: 'security',
      narrow: true,
      status: o.error?.status,
      head: PASSKEY_SCRIPTS,
    },
    <>
      <h1>{t(l, 'portal.auth.security.title')}</h1>
      <p>{t(l, 'portal.auth.security.intro')}</p>
      <p class="small">{t(l, 'portal.auth.status', { status: t(l, `partners.status.${o.partner.status}`) })}</p>
      {o.notice ? <Alert kind="ok">{t(l, o.notice.key, o.notice.params)}</Alert> : null}
      <FormError l={l} error={o.error} />

      <h2 id="passkeys">{t(l, 'portal.auth.passkeys')}</h2>
      {o.passkeys.length === 0 ? (
        <p class="muted">{t(l, 'portal.auth.passkeysNone')}</p>
      ) : (
        <ul class="pk-list" id="passkey-list">
          {o.passkeys.map((p) => (
            <li class="card">
              <strong>{p.name}</strong>
              <br />
              <span class="small muted">
                {t(l, 'portal.auth.col.created')}: {formatTime(p.createdAt, l)} · {t(l, 'portal.auth.col.lastUsed')}:{' '}
                {p.lastUsedAt ? formatTime(p.lastUsedAt, l) : t(l, 'portal.auth.never')}
              </span>
              <form method="post" action={`/doi-tac/bao-mat/passkey/${p.id}/xoa`}>
                <CsrfField req={req} reply={reply} />
                <button type="submit" class="secondary small" aria-label={t(l, 'portal.auth.passkeyRemoveLabel', { name: p.name })}>
                  {t(l, 'portal.auth.passkeyRemove')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      )}
      <p class="small muted pk" id="passkey-needs-script">
        {t(l, 'portal.auth.passkeyNeedsScript')}
      </p>
      <form
        id="passkey-add"
        method="post"
        action="/doi-tac/bao-mat/passkey"
        class="stack card pk"
        hidden
        data-options="/doi-tac/bao-mat/passkey/tuy-chon"
        data-working={t(l, 'portal.auth.passkeyWorking')}
        data-cancelled={t(l, 'portal.auth.passkeyCancelled')}
      >
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'portal.auth.passkeyName')}
          <input name="name" required maxlength="80" autocomplete="off" />
        </label>
        <button type="submit">{t(l, 'portal.auth.passkeyAdd')}</button>
        <div id="passkey-add-status" class="pk" hidden aria-live="polite" />
      </form>

      <h2 id="sessions">{t(l, 'portal.auth.sessions')}</h2>
      <ul class="pk-list" id="session-list">
        {o.sessions.map((s) => {
          const device = deviceOf(s.userAgent) ?? t(l, 'portal.auth.unknownDevice')
          const current = s.id === o.currentSessionId
          return (
            <li class="card" data-current={current ? 'true' : undefined}>
              <strong>{device}</strong>
              {current ? (
                <>
                  {' '}
                  <span class="badge">{t(l, 'portal.auth.thisSession')}</span>
                </>
              ) : null}
              <br />
              <span class="small muted">
                {t(l, 'portal.auth.col.ip')}: {s.ip ?? '—'} · {t(l, 'portal.auth.col.started')}: {formatTime(s.createdAt, l)} ·{' '}
                {t(l, 'portal.auth.col.lastSeen')}: {formatTime(s.lastSeenAt, l)}
              </span>
              {current ? null : (
                <form method="post" action={`/doi-tac/bao-mat/phien/${s.id.slice(0, 16)}/xoa`}>
                  <CsrfField req={req} reply={reply} />
                  <button type="submit" class="secondary small" aria-label={t(l, 'portal.auth.sessionEndLabel', { device })}>
                    {t(l, 'portal.auth.sessionEnd')}
                  </button>
                </form>
              )}
            </li>
          )
        })}
      </ul>
      {others.length > 0 ? (
        <form method="post" action="/doi-tac/bao-mat/dang-xuat-noi-khac" class="stack">
          <CsrfField req={req} reply={reply} />
          <button type="submit" class="danger">
            {t(l, 'portal.auth.signOutElsewhere')}
          </button>
        </form>
      ) : null}
      <form method="post" action="/doi-tac/bao-mat/dang-xuat" class="stack">
        <CsrfField req={req} reply={reply} />
        <button type="submit" class="secondary">
          {t(l, 'portal.auth.signOut')}
        </button>
      </form>
    </>,
  )
}
