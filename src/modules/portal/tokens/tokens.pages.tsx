/**
 * The partner's API tokens page (`/doi-tac/token`): the list, the creation form, and — once,
 * right after creation — the new token with a copy button. Phone-first: cards, not a table.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { Alert, CsrfField, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { now } from '../../../platform/clock.ts'
import { MAX_ACTIVE_TOKENS, type PartnerTokenView, TOKEN_LIFETIMES_DAYS, TOKEN_REQUESTS_PER_MINUTE } from './tokens.repository.ts'
import { PARTNER_TOKEN_SCOPES } from './tokens.tables.ts'

/** What the page shows besides the list. */
export interface TokensPageOptions {
  tokens: PartnerTokenView[]
  /** False when the partner may not see embargoed material now (the scope then has no effect). */
  embargoAccess: boolean
  /** The token just created: shown this once, never again. */
  created?: { token: string; name: string; expiresAt: Date }
  error?: AppError
  notice?: string
  /** The form's values to keep after a refusal. */
  values?: { name?: string; scopes?: string[]; days?: number }
}

/** Renders `/doi-tac/token`. */
export function tokensPage({ req, reply }: R, o: TokensPageOptions) {
  const l = req.locale
  const at = now().getTime()
  const stateOf = (tk: PartnerTokenView) => (tk.revokedAt ? 'revoked' : tk.expiresAt.getTime() <= at ? 'expired' : 'active')
  const checked = o.values?.scopes ?? ['embargo:read']
  const days = o.values?.days ?? 90
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'portal.tokens.title'),
      shell: 'console',
      current: 'tokens',
      status: o.error?.status,
      head: <script src="/assets/copy-token.js" defer></script>,
    },
    <>
      <h1>{t(l, 'portal.tokens.title')}</h1>
      <p class="muted">{t(l, 'portal.tokens.intro')}</p>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <FormError l={l} error={o.error} />
      {o.created ? (
        <section class="card" aria-labelledby="new-token-title" id="new-token">
          <h2 id="new-token-title">{t(l, 'portal.tokens.createdTitle')}</h2>
          <Alert kind="warn">{t(l, 'portal.tokens.showOnce')}</Alert>
          <label>
            {o.created.name}
            {/* A wrapping box, so the whole token is visible on a phone (an input would scroll). */}
            <textarea
              id="new-token-value"
              class="mono"
              readonly
              rows="2"
              autocomplete="off"
              spellcheck="false"
              style="font-size:.95rem;word-break:break-all;resize:none"
            >
              {o.created.token}
            </textarea>
          </label>
          <p class="row" style="align-items:center">
            <button
              type="button"
              hidden
              data-copy-target="new-token-value"
              data-copy-status="new-token-status"
              data-copied={t(l, 'portal.tokens.copied')}
              data-failed={t(l, 'portal.tokens.copyFailed')}
            >
              {t(l, 'portal.tokens.copy')}
            </button>
            <span id="new-token-status" role="status" class="small"></span>
          </p>
          <p class="small muted">
            {t(l, 'portal.tokens.expires')}: {formatTime(o.created.expiresAt, l)}. {t(l, 'portal.tokens.howTo')}
          </p>
        </section>
      ) : null}

      <h2>{t(l, 'portal.tokens.list')}</h2>
      {o.tokens.length === 0 ? <p class="muted">{t(l, 'portal.tokens.none')}</p> : null}
      <ul style="list-style:none;padding:0;margin:0" id="token-list">
        {o.tokens.map((tk) => {
          const state = stateOf(tk)
          return (
            <li class="card" data-token-prefix={tk.prefix}>
              <p style="margin-top:0">
                <strong>{tk.name}</strong>{' '}
                <span class={`badge ${state === 'active' ? 'ok' : 'muted'}`}>{t(l, `portal.tokens.${state}`)}</span>
              </p>
              <dl class="kv small">
                <dt>{t(l, 'portal.tokens.prefix')}</dt>
                <dd class="mono">{tk.prefix}…</dd>
                <dt>{t(l, 'portal.tokens.scopes')}</dt>
                <dd>{tk.scopes.map((s) => t(l, `portal.tokens.scope.${s}`)).join(', ')}</dd>
                <dt>{t(l, 'portal.tokens.created')}</dt>
                <dd>{formatTime(tk.createdAt, l)}</dd>
                <dt>{t(l, 'portal.tokens.lastUsed')}</dt>
                <dd>{tk.lastUsedAt ? formatTime(tk.lastUsedAt, l) : t(l, 'portal.tokens.never')}</dd>
                <dt>{state === 'revoked' ? t(l, 'portal.tokens.revoked') : t(l, 'portal.tokens.expires')}</dt>
                <dd>{formatTime(tk.revokedAt ?? tk.expiresAt, l)}</dd>
              </dl>
              {state === 'active' ? (
                <form method="post" action={`/doi-tac/token/${tk.id}/thu-hoi`} style="margin-top:.75rem">
                  <CsrfField req={req} reply={reply} />
                  <button class="danger" type="submit" aria-label={`${t(l, 'portal.tokens.revoke')}: ${tk.name}`}>
                    {t(l, 'portal.tokens.revoke')}
                  </button>
                </form>
              ) : null}
            </li>
          )
        })}
      </ul>

      <h2>{t(l, 'portal.tokens.new')}</h2>
      <form method="post" action="/doi-tac/token" class="stack card">
        <CsrfField req={req} reply={reply} />
        <label>
          {t(l, 'portal.tokens.name')}
          <input type="text" name="name" required maxlength="80" value={o.values?.name ?? ''} autocomplete="off" />
          <span class="hint small muted">{t(l, 'portal.tokens.nameHint')}</span>
        </label>
        <fieldset>
          <legend>{t(l, 'portal.tokens.scopes')}</legend>
          {PARTNER_TOKEN_SCOPES.map((s) => (
            <label style="display:flex;align-items:center;gap:.5rem;min-height:2.75rem">
              <input type="checkbox" name="scopes" value={s} checked={checked.includes(s)} />
              <span>{t(l, `portal.tokens.scope.${s}`)}</span>
            </label>
          ))}
          {o.embargoAccess ? null : <p class="small muted">{t(l, 'portal.tokens.noEmbargoNote')}</p>}
        </fieldset>
        <fieldset>
          <legend>{t(l, 'portal.tokens.expiry')}</legend>
          {TOKEN_LIFETIMES_DAYS.map((d) => (
            <label style="display:flex;align-items:center;gap:.5rem;min-height:2.75rem">
              <input type="radio" name="days" value={String(d)} checked={d === days} />
              <span>{t(l, 'portal.tokens.days', { days: d })}</span>
            </label>
          ))}
        </fieldset>
        <button type="submit">{t(l, 'portal.tokens.create')}</button>
        <p class="small muted">{t(l, 'portal.tokens.limits', { max: MAX_ACTIVE_TOKENS, perMinute: TOKEN_REQUESTS_PER_MINUTE })}</p>
      </form>
    </>,
  )
}
