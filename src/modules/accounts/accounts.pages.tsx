/**
 * Pages of the accounts module: setup wizard, sign-in, TOTP enrolment and verification,
 * invitation, password reset, my account, users.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../platform/errors.ts'
import { FormError } from '../../platform/html/forms.tsx'
import { Alert, CsrfField, formatTime, sendPage } from '../../platform/html/layout.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { ROLES } from '../../platform/policy/index.ts'
import { IdentityFields, type IdentityValues, identityValues } from '../settings/settings.pages.tsx'
import type { RecoveryDownloadFields } from './recovery-codes-file.ts'
import type { User } from './users.ts'

type R = { req: FastifyRequest; reply: FastifyReply }

function PasswordFields({ l }: { l: Locale }): SafeHtml {
  return (
    <>
      <label>
        {t(l, 'field.newPassword')}
        <span class="hint" id="pw-hint">
          {t(l, 'hint.password')}
        </span>
        <input type="password" name="password" autocomplete="new-password" required minlength="12" aria-describedby="pw-hint" />
      </label>
      <label>
        {t(l, 'field.passwordConfirm')}
        <input type="password" name="passwordConfirm" autocomplete="new-password" required minlength="12" />
      </label>
    </>
  )
}

function Steps({ l, current }: { l: Locale; current: number }): SafeHtml {
  return (
    <ol class="steps" aria-label={t(l, 'setup.steps')}>
      {['setup.step1', 'setup.step2', 'setup.step3'].map((k, i) => (
        <li aria-current={i === current ? 'step' : undefined}>{t(l, k)}</li>
      ))}
    </ol>
  )
}

/** The setup wizard (first admin). */
export function setupPage(
  { req, reply }: R,
  o: {
    token?: string
    error?: AppError
    email?: string
    name?: string
    identity?: IdentityValues
    spokesperson?: { name: string; title: string; phone: string; email: string }
  },
) {
  const l = req.locale
  const sp = o.spokesperson
  return sendPage(
    req,
    reply,
    { title: t(l, 'setup.title'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <Steps l={l} current={0} />
      <h1>{t(l, 'setup.title')}</h1>
      <p class="muted">{t(l, 'setup.intro')}</p>
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/setup" class="stack card">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'field.setupCode')}
          <span class="hint" id="code-hint">
            {t(l, 'hint.setupCode')}
          </span>
          <input name="token" required value={o.token ?? ''} autocomplete="off" aria-describedby="code-hint" />
        </label>
        <fieldset class="stack">
          <legend>{t(l, 'setup.identity')}</legend>
          <p class="small muted">{t(l, 'setup.identityHint')}</p>
          <IdentityFields l={l} v={o.identity ?? identityValues(req.server.ctx.tenant)} />
        </fieldset>
        <fieldset class="stack">
          <legend>{t(l, 'setup.spokesperson')}</legend>
          <p class="small muted">{t(l, 'setup.spokespersonHint')}</p>
          <div class="row">
            <label>
              {t(l, 'setup.sp.name')}
              <input name="spName" maxlength="200" value={sp?.name ?? ''} />
            </label>
            <label>
              {t(l, 'setup.sp.title')}
              <input name="spTitle" maxlength="200" value={sp?.title ?? ''} />
            </label>
          </div>
          <div class="row">
            <label>
              {t(l, 'setup.sp.phone')}
              <input name="spPhone" type="tel" maxlength="40" value={sp?.phone ?? ''} />
            </label>
            <label>
              {t(l, 'setup.sp.email')}
              <input name="spEmail" type="email" maxlength="254" value={sp?.email ?? ''} />
            </label>
          </div>
        </fieldset>
        <fieldset class="stack">
          <legend>{t(l, 'setup.admin')}</legend>
          <label>
            {t(l, 'field.name')}
            <input name="name" required autocomplete="name" value={o.name ?? ''} maxlength="200" />
          </label>
          <label>
            {t(l, 'field.email')}
            <input type="email" name="email" required autocomplete="email" value={o.email ?? ''} />
          </label>
          <PasswordFields l={l} />
        </fieldset>
        <button type="submit">{t(l, 'setup.submit')}</button>
      </form>
    </>,
  )
}

/** Shown when the wizard is closed because an admin exists. */
export function setupDonePage({ req, reply }: R) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'setup.title'), shell: 'console', narrow: true },
    <>
      <h1>{t(l, 'setup.title')}</h1>
      <Alert kind="ok">{t(l, 'errors.SETUP_DONE')}</Alert>
      <p>
        <a class="button" href="/console/sign-in">
          {t(l, 'auth.signIn')}
        </a>
      </p>
    </>,
  )
}

/** The sign-in form. */
export function signInPage({ req, reply }: R, o: { error?: AppError; email?: string; next?: string; notice?: string }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'auth.signIn'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <h1>{t(l, 'auth.signIn')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/sign-in" class="stack card">
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="next" value={o.next ?? ''} />
        <label>
          {t(l, 'field.email')}
          <input type="email" name="email" required autocomplete="username" value={o.email ?? ''} autofocus />
        </label>
        <label>
          {t(l, 'field.password')}
          <input type="password" name="password" required autocomplete="current-password" />
        </label>
        <button type="submit">{t(l, 'auth.signIn')}</button>
      </form>
      <p>
        <a href="/console/password/forgot">{t(l, 'auth.forgot')}</a>
      </p>
    </>,
  )
}

/** TOTP enrolment: QR code, secret, first code. */
export function enrolPage({ req, reply }: R, o: { qrDataUrl: string; secret: string; error?: AppError }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'totp.enrolTitle'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <Steps l={l} current={1} />
      <h1>{t(l, 'totp.enrolTitle')}</h1>
      <p>{t(l, 'totp.enrolIntro')}</p>
      <FormError l={l} error={o.error} />
      <div class="card">
        <div class="qr">
          <img src={o.qrDataUrl} alt={t(l, 'totp.qrAlt')} width="200" height="200" />
          <div>
            <p class="small muted">{t(l, 'totp.manual')}</p>
            <p>
              <code id="totp-secret">{o.secret.replace(/(.{4})/g, '$1 ').trim()}</code>
            </p>
          </div>
        </div>
      </div>
      <form method="post" action="/console/totp/enrol" class="stack card">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'field.totpCode')}
          <input name="code" inputmode="numeric" pattern="[0-9 ]{6,7}" autocomplete="one-time-code" required autofocus />
        </label>
        <button type="submit">{t(l, 'totp.enrolSubmit')}</button>
      </form>
    </>,
  )
}

/**
 * Recovery codes, shown once after enrolment, with download (a form POST: works without
 * JavaScript), print and copy (assets/recovery-codes.js; the buttons stay hidden without it).
 */
export function recoveryCodesPage({ req, reply }: R, o: { codes: string[]; next: string; download?: RecoveryDownloadFields }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'totp.codesTitle'),
      shell: 'console',
      narrow: true,
      head: <script src="/assets/recovery-codes.js" defer></script>,
    },
    <>
      <Steps l={l} current={2} />
      <h1>{t(l, 'totp.codesTitle')}</h1>
      <Alert kind="warn">{t(l, 'totp.codesIntro')}</Alert>
      <div class="card">
        <div class="codes" id="recovery-codes">
          {o.codes.map((c) => (
            <span>{c}</span>
          ))}
        </div>
        {o.download ? (
          <form method="post" action="/console/totp/recovery-codes.txt" class="row no-print" id="recovery-codes-actions">
            <CsrfField req={req} reply={reply} />
            <input type="hidden" name="codes" value={o.download.codes} />
            <input type="hidden" name="expires" value={o.download.expires} />
            <input type="hidden" name="mac" value={o.download.mac} />
            <button type="submit" class="secondary" id="recovery-download">
              {t(l, 'totp.codesDownload')}
            </button>
            <button type="button" class="secondary" id="recovery-print" hidden>
              {t(l, 'totp.codesPrint')}
            </button>
            <button
              type="button"
              class="secondary"
              id="recovery-copy"
              hidden
              data-copied={t(l, 'totp.codesCopied')}
              data-failed={t(l, 'totp.codesCopyFailed')}
            >
              {t(l, 'totp.codesCopy')}
            </button>
          </form>
        ) : null}
        <p class="small muted no-print" id="recovery-status" role="status" aria-live="polite"></p>
      </div>
      <p class="no-print">
        <a class="button" href={o.next}>
          {t(l, 'totp.codesDone')}
        </a>
      </p>
    </>,
  )
}

/** The second step of signing in. */
export function verifyPage({ req, reply }: R, o: { error?: AppError; next?: string }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'totp.verifyTitle'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <h1>{t(l, 'totp.verifyTitle')}</h1>
      <p class="muted">{t(l, 'totp.verifyIntro')}</p>
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/totp/verify" class="stack card">
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="next" value={o.next ?? ''} />
        <label>
          {t(l, 'field.totpOrRecovery')}
          <input name="code" autocomplete="one-time-code" required autofocus maxlength="20" />
        </label>
        <button type="submit">{t(l, 'totp.verifySubmit')}</button>
      </form>
    </>,
  )
}

/** Accepting an invitation: name and password. */
export function acceptInvitePage(
  { req, reply }: R,
  o: {
    token: string
    email: string
    role: string
    /** The name the admin typed in the invitation, or what the person typed last. */
    name?: string
    error?: AppError
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'invite.title'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <h1>{t(l, 'invite.title')}</h1>
      <p>{t(l, 'invite.intro', { email: o.email, role: t(l, `role.${o.role}`), unit: req.server.ctx.tenant.name })}</p>
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/invite/accept" class="stack card">
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="token" value={o.token} />
        <label>
          {t(l, 'field.name')}
          {/* Not `required`: an empty name gets the server's visible, bilingual message instead of
              a browser bubble that some browsers never show. */}
          <input
            name="name"
            autocomplete="name"
            maxlength="200"
            value={o.name ?? ''}
            aria-required="true"
            aria-describedby="invite-name-hint"
            aria-invalid={o.error?.code === 'NAME_REQUIRED' ? 'true' : undefined}
          />
        </label>
        <p class="small muted" id="invite-name-hint" style="margin-top:-.5rem">
          {t(l, 'invite.nameHint')}
        </p>
        <PasswordFields l={l} />
        <button type="submit">{t(l, 'invite.submit')}</button>
      </form>
    </>,
  )
}

/** A link (invite, reset, setup) that cannot be used. */
export function badLinkPage({ req, reply }: R, error: AppError) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, `errors.${error.code}`), shell: 'console', narrow: true, status: error.status },
    <>
      <h1>{t(l, `errors.${error.code}`)}</h1>
      <FormError l={l} error={error} />
      <p>
        <a href="/console/password/forgot">{t(l, 'auth.forgot')}</a> · <a href="/console/sign-in">{t(l, 'auth.signIn')}</a>
      </p>
    </>,
  )
}

/** Asking for a reset link. */
export function forgotPage({ req, reply }: R, o: { sent?: boolean; error?: AppError }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'reset.forgotTitle'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <h1>{t(l, 'reset.forgotTitle')}</h1>
      {o.sent ? <Alert kind="ok">{t(l, 'reset.sent')}</Alert> : <p class="muted">{t(l, 'reset.forgotIntro')}</p>}
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/password/forgot" class="stack card">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'field.email')}
          <input type="email" name="email" required autocomplete="email" />
        </label>
        <button type="submit">{t(l, 'reset.send')}</button>
      </form>
    </>,
  )
}

/** Setting a new password from a reset link. */
export function resetPage({ req, reply }: R, o: { token: string; error?: AppError }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'reset.title'), shell: 'console', narrow: true, status: o.error?.status },
    <>
      <h1>{t(l, 'reset.title')}</h1>
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/password/reset" class="stack card">
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="token" value={o.token} />
        <PasswordFields l={l} />
        <button type="submit">{t(l, 'reset.submit')}</button>
      </form>
    </>,
  )
}

/** My account: profile, password, sessions. */
export function accountPage(
  { req, reply }: R,
  o: {
    user: User
    sessions: { id: string; ip: string | null; userAgent: string | null; createdAt: Date; lastSeenAt: Date }[]
    currentId: string
    error?: AppError
    notice?: string
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'account.title'), shell: 'console', current: 'account', status: o.error?.status },
    <>
      <h1>{t(l, 'account.title')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      <div class="card">
        <dl class="kv">
          <dt>{t(l, 'field.name')}</dt>
          <dd>{o.user.name || '—'}</dd>
          <dt>{t(l, 'field.email')}</dt>
          <dd>{o.user.email}</dd>
          <dt>{t(l, 'field.role')}</dt>
          <dd>{t(l, `role.${o.user.role}`)}</dd>
          <dt>{t(l, 'account.totp')}</dt>
          <dd>{o.user.totpEnabledAt ? formatTime(o.user.totpEnabledAt, l) : t(l, 'account.totpOff')}</dd>
        </dl>
      </div>
      <h2>{t(l, 'account.changePassword')}</h2>
      <form method="post" action="/console/account/password" class="stack card">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'field.currentPassword')}
          <input type="password" name="current" autocomplete="current-password" required />
        </label>
        <PasswordFields l={l} />
        <button type="submit">{t(l, 'account.savePassword')}</button>
      </form>
      <h2>{t(l, 'account.sessions')}</h2>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(l, 'account.device')}</th>
              <th scope="col">IP</th>
              <th scope="col">{t(l, 'account.signedInAt')}</th>
              <th scope="col">{t(l, 'account.lastSeen')}</th>
              <th scope="col">
                <span class="sr-only">{t(l, 'account.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {o.sessions.map((s) => (
              <tr>
                <td>
                  {(s.userAgent ?? '—').slice(0, 80)}
                  {s.id === o.currentId ? <span class="badge ok">{t(l, 'account.thisSession')}</span> : null}
                </td>
                <td class="mono">{s.ip ?? '—'}</td>
                <td>{formatTime(s.createdAt, l)}</td>
                <td>{formatTime(s.lastSeenAt, l)}</td>
                <td>
                  {s.id === o.currentId ? null : (
                    <form method="post" action={`/console/account/sessions/${s.id.slice(0, 16)}/revoke`}>
                      <CsrfField req={req} reply={reply} />
                      <button class="secondary" type="submit">
                        {t(l, 'account.revoke')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/console/account/sign-out-everywhere" class="card" style="margin-top:1rem">
        <CsrfField req={req} reply={reply} />
        <p class="muted">{t(l, 'account.everywhereHint')}</p>
        <button class="danger" type="submit">
          {t(l, 'account.signOutEverywhere')}
        </button>
      </form>
    </>,
  )
}

/** The users page (admins): list, invite, change role, disable/enable. */
export function usersPage({ req, reply }: R, o: { users: User[]; error?: AppError; notice?: string; selfId: string }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'users.title'), shell: 'console', current: 'users', status: o.error?.status },
    <>
      <h1>{t(l, 'users.title')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/users/invite" class="card">
        <h2 style="margin-top:0">{t(l, 'users.invite')}</h2>
        <CsrfField req={req} reply={reply} />
        <div class="row">
          <label>
            {t(l, 'field.email')}
            <input type="email" name="email" required />
          </label>
          <label>
            {t(l, 'field.name')}
            <input name="name" maxlength="200" />
          </label>
          <label>
            {t(l, 'field.role')}
            <select name="role" required>
              <option value="" selected>
                {t(l, 'users.chooseRole')}
              </option>
              {ROLES.map((r) => (
                <option value={r}>{t(l, `role.${r}`)}</option>
              ))}
            </select>
          </label>
          <button type="submit">{t(l, 'users.sendInvite')}</button>
        </div>
      </form>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(l, 'field.name')}</th>
              <th scope="col">{t(l, 'field.email')}</th>
              <th scope="col">{t(l, 'field.role')}</th>
              <th scope="col">{t(l, 'users.status')}</th>
              <th scope="col">{t(l, 'users.totp')}</th>
              <th scope="col">{t(l, 'account.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {o.users.map((u) => (
              <tr>
                <td>
                  {u.name || '—'}
                  {u.isDemo ? <span class="badge warn">demo</span> : null}
                </td>
                <td>{u.email}</td>
                <td>
                  {u.id === o.selfId ? (
                    <span class={`badge ${u.role === 'admin' ? 'admin' : ''}`}>{t(l, `role.${u.role}`)}</span>
                  ) : (
                    <form method="post" action={`/console/users/${u.id}/role`} class="row">
                      <CsrfField req={req} reply={reply} />
                      <label>
                        <span class="sr-only">{t(l, 'field.role')}</span>
                        <select name="role" aria-label={`${t(l, 'field.role')}: ${u.email}`}>
                          {ROLES.map((r) => (
                            <option value={r} selected={r === u.role}>
                              {t(l, `role.${r}`)}
                            </option>
                          ))}
                        </select>
                      </label>
                      <button class="secondary" type="submit">
                        {t(l, 'users.saveRole')}
                      </button>
                    </form>
                  )}
                </td>
                <td>
                  <span class={`badge ${u.status === 'active' ? 'ok' : 'warn'}`}>{t(l, `status.${u.status}`)}</span>
                </td>
                <td>{u.totpEnabledAt ? '✓' : '—'}</td>
                <td>
                  {u.id === o.selfId ? null : (
                    <form method="post" action={`/console/users/${u.id}/${u.status === 'disabled' ? 'enable' : 'disable'}`}>
                      <CsrfField req={req} reply={reply} />
                      <button class={u.status === 'disabled' ? 'secondary' : 'danger'} type="submit">
                        {t(l, u.status === 'disabled' ? 'users.enable' : 'users.disable')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}
