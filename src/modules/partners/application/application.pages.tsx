/**
 * Pages of the public application (phone-first, no JavaScript needed: the commune picker only
 * improves the plain select) and of the staff review queue.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../platform/errors.ts'
import { FormError } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, formatTime, raw, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { formatDay } from '../../../platform/time.ts'
import { CommuneField } from '../../reference/commune-field.tsx'
import { ACKNOWLEDGEMENT_TEXTS, CURRENT_ACKNOWLEDGEMENT_VERSION } from '../partners.acknowledgement.ts'
import { CHANNEL_PLATFORMS } from '../partners.tables.ts'
import { CONSENT_TEXTS, CURRENT_CONSENT_VERSION } from './application.consent.ts'
import { type ApplicationForm, CHANNEL_ROWS, formValues, HONEYPOT_FIELD, MAX_PROOF_FILES } from './application.intake.ts'
import type { ApplicationStatus, QueueItem } from './application.repository.ts'

type R = { req: FastifyRequest; reply: FastifyReply }

/** Where the review queue lives. */
export const QUEUE_PATH = '/console/doi-tac/ho-so'
/** Where the form lives. */
export const FORM_PATH = '/doi-tac/dang-ky'

/** The other language's line under a heading or a key text (partners read both). */
function Other({ l, k, params }: { l: Locale; k: string; params?: Record<string, string | number> }): SafeHtml {
  const other: Locale = l === 'vi' ? 'en' : 'vi'
  return (
    <span lang={other} class="small muted">
      {t(other, k, params)}
    </span>
  )
}

/** The application form, empty or with the values typed and the refusal. */
export function applicationFormPage(
  { req, reply }: R,
  o: { outlets: { id: string; name: string }[]; values?: ApplicationForm; error?: AppError; status?: number },
) {
  const l = req.locale
  const v = o.values ?? formValues({})
  const ack = ACKNOWLEDGEMENT_TEXTS[CURRENT_ACKNOWLEDGEMENT_VERSION] as string
  const consent = CONSENT_TEXTS[CURRENT_CONSENT_VERSION] as { vi: string; en: string }
  const kind = v.kind === 'influencer' ? 'influencer' : v.kind === 'journalist' ? 'journalist' : ''
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'application.title'),
      shell: 'public',
      narrow: true,
      status: o.status,
      // Once a kind is chosen, the other kind's fields step aside (CSS only: without :has() or
      // before a choice both show, and the server ignores the other kind's fields).
      head: raw(
        '<style>form:has(input[name=kind][value=journalist]:checked) .only-influencer,form:has(input[name=kind][value=influencer]:checked) .only-journalist{display:none}</style>',
      ),
    },
    <>
      <h1>{t(l, 'application.title')}</h1>
      <p>
        {t(l, 'application.intro')} <Other l={l} k="application.intro" />
      </p>
      <FormError l={l} error={o.error} />
      {o.error ? <Alert kind="warn">{t(l, 'application.filesAgain')}</Alert> : null}
      <form class="card stack" method="post" action={FORM_PATH} enctype="multipart/form-data" novalidate>
        <CsrfField req={req} reply={reply} />
        <div class="kc-hp" aria-hidden="true">
          <label>
            Website <input name={HONEYPOT_FIELD} tabindex="-1" autocomplete="off" />
          </label>
        </div>
        <fieldset>
          <legend>{t(l, 'application.kind')}</legend>
          <label>
            <span>
              <input type="radio" name="kind" value="journalist" checked={kind === 'journalist'} required />{' '}
              {t(l, 'application.kind.journalist')}
            </span>
          </label>
          <label>
            <span>
              <input type="radio" name="kind" value="influencer" checked={kind === 'influencer'} /> {t(l, 'application.kind.influencer')}
            </span>
          </label>
        </fieldset>
        <label>
          {t(l, 'application.field.name')}
          <input name="name" value={v.name} maxlength="200" autocomplete="name" required />
        </label>
        <label>
          {t(l, 'application.field.email')}
          <span class="hint">{t(l, 'application.hint.email')}</span>
          <input name="email" type="email" value={v.email} maxlength="254" autocomplete="email" inputmode="email" required />
        </label>
        <label>
          {t(l, 'application.field.phone')}
          <input name="phone" type="tel" value={v.phone} maxlength="30" autocomplete="tel" inputmode="tel" required />
        </label>
        <label>
          {t(l, 'application.field.beats')}
          <span class="hint">{t(l, 'application.hint.beats')}</span>
          <input name="beats" value={v.beats} maxlength="1000" />
        </label>
        <fieldset class="only-journalist">
          <legend>{t(l, 'application.journalist')}</legend>
          <p class="small muted">{t(l, 'application.journalist.hint')}</p>
          <label>
            {t(l, 'application.field.outlet')}
            <select name="outletId">
              <option value="">{t(l, 'application.field.outletNone')}</option>
              {o.outlets.map((x) => (
                <option value={x.id} selected={v.outletId === x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'application.field.outletName')}
            <span class="hint">{t(l, 'application.hint.outletName')}</span>
            <input name="outletName" value={v.outletName} maxlength="200" />
          </label>
          <label>
            {t(l, 'application.field.pressCard')}
            <input name="pressCardNumber" value={v.pressCardNumber} maxlength="40" autocapitalize="characters" />
          </label>
          <label>
            {t(l, 'application.field.pressCardExpiry')}
            <input name="pressCardExpiresOn" type="date" value={v.pressCardExpiresOn} />
          </label>
          <CommuneField l={l} label={t(l, 'application.field.communes')} hint={t(l, 'releases.hint.communes')} selected={v.communes} />
        </fieldset>
        <fieldset class="only-influencer">
          <legend>{t(l, 'application.influencer')}</legend>
          <p class="small muted">{t(l, 'application.influencer.hint')}</p>
          {Array.from({ length: CHANNEL_ROWS }, (_, i) => {
            const c = v.channels[i] ?? { platform: '', url: '', followers: '' }
            return (
              <div class="row">
                <label>
                  {t(l, 'application.field.platform', { n: i + 1 })}
                  <select name={`channel${i}Platform`}>
                    {CHANNEL_PLATFORMS.map((p) => (
                      <option value={p} selected={c.platform === p}>
                        {t(l, `application.platform.${p}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <label>
                  {t(l, 'application.field.url')}
                  <input name={`channel${i}Url`} type="url" value={c.url} maxlength="500" inputmode="url" placeholder="https://" />
                </label>
                <label>
                  {t(l, 'application.field.followers')}
                  <input name={`channel${i}Followers`} value={c.followers} maxlength="14" inputmode="numeric" />
                </label>
              </div>
            )
          })}
          <div class="card small" lang="vi" data-ack-version={CURRENT_ACKNOWLEDGEMENT_VERSION}>
            <p>
              <strong>{t(l, 'application.ack.title', { version: CURRENT_ACKNOWLEDGEMENT_VERSION })}</strong>
            </p>
            <p>{ack}</p>
          </div>
          <label>
            <span>
              <input type="checkbox" name="acknowledged" value="yes" checked={v.acknowledged} /> {t(l, 'application.ack.accept')}
            </span>
          </label>
        </fieldset>
        <label>
          {t(l, 'application.field.proof')}
          <span class="hint">{t(l, 'application.hint.proof', { max: MAX_PROOF_FILES })}</span>
          <input name="proof" type="file" multiple accept="image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf" />
        </label>
        <fieldset>
          <legend>{t(l, 'application.consent.title')}</legend>
          <p class="small" lang="vi" data-consent-version={CURRENT_CONSENT_VERSION}>
            {consent.vi}
          </p>
          <p class="small muted" lang="en">
            {consent.en}
          </p>
          <label>
            <span>
              <input type="checkbox" name="consent" value="yes" checked={v.consent} required /> {t(l, 'application.consent.accept')}
            </span>
          </label>
          <p class="small muted">{t(l, 'application.consent.version', { version: CURRENT_CONSENT_VERSION })}</p>
        </fieldset>
        <button type="submit">{t(l, 'application.submit')}</button>
      </form>
      <script src="/assets/commune-picker.js" defer></script>
    </>,
  )
}

/** After submitting: the same page for everyone (a known e-mail or phone changes nothing here). */
export function applicationSentPage({ req, reply }: R) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'application.sent.title'), shell: 'public', narrow: true },
    <>
      <h1>{t(l, 'application.sent.title')}</h1>
      <Alert kind="ok">
        <p>{t(l, 'application.sent.body')}</p>
        <Other l={l} k="application.sent.body" />
      </Alert>
      <p class="small muted">{t(l, 'application.sent.spam')}</p>
    </>,
  )
}

/** The verification page: a button (GETs are prefetched by mail scanners; only the POST consumes). */
export function confirmPage({ req, reply }: R, o: { token: string; error?: AppError; status?: number }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'application.confirm.title'), shell: 'public', narrow: true, status: o.status },
    <>
      <h1>{t(l, 'application.confirm.title')}</h1>
      <FormError l={l} error={o.error} />
      {o.error ? (
        <p>
          <a href={FORM_PATH}>{t(l, 'application.confirm.again')}</a>
        </p>
      ) : (
        <form class="card stack" method="post" action="/doi-tac/dang-ky/xac-nhan">
          <CsrfField req={req} reply={reply} />
          <input type="hidden" name="token" value={o.token} />
          <p>{t(l, 'application.confirm.body')}</p>
          <button type="submit">{t(l, 'application.confirm.button')}</button>
        </form>
      )}
    </>,
  )
}

/** The applicant's status, in plain words (both languages), the question and the answer form. */
export function statusPage(
  { req, reply }: R,
  o: {
    token: string
    status: ApplicationStatus
    answer?: string
    error?: AppError
    flash?: 'answered' | 'withdrawn' | 'verified'
    httpStatus?: number
  },
) {
  const l = req.locale
  const s = o.status
  const app = s.application
  // A duplicate reads as "under review", like any other application (no enumeration).
  const key = app.state === 'withdrawn' ? 'withdrawn' : app.state === 'closed' ? 'closed' : s.partner ? s.partner.status : 'applied'
  const since = s.partner?.since ?? app.verifiedAt ?? app.createdAt
  const action = `/doi-tac/dang-ky/trang-thai/${encodeURIComponent(o.token)}`
  return sendPage(
    req,
    reply,
    { title: t(l, 'application.status.title'), shell: 'public', narrow: true, status: o.httpStatus },
    <>
      <h1>{t(l, 'application.status.title')}</h1>
      {o.flash ? <Alert kind="ok">{t(l, `application.status.flash.${o.flash}`)}</Alert> : null}
      <FormError l={l} error={o.error} />
      <section class="card" aria-labelledby="h-state">
        <p class="small muted">{app.name}</p>
        <h2 id="h-state" class="kc-status" data-state={key}>
          {t(l, `application.state.${key}`)}
        </h2>
        <p>
          <Other l={l} k={`application.state.${key}`} />
        </p>
        <p>{t(l, `application.explain.${key}`)}</p>
        <p class="small muted">{t(l, 'application.status.since', { at: formatTime(since, l) })}</p>
        {key === 'closed' && app.closedReason ? <p class="kc-text">{app.closedReason}</p> : null}
        {s.reason ? (
          <p>
            <strong>{t(l, 'application.status.reason')}</strong> <span class="kc-text">{s.reason}</span>
          </p>
        ) : null}
      </section>
      {s.question ? (
        <section class="card" aria-labelledby="h-question">
          <h2 id="h-question">{t(l, 'application.question.title')}</h2>
          <p class="kc-text" data-question="">
            {s.question}
          </p>
          <form class="stack" method="post" action={`${action}/tra-loi`} enctype="multipart/form-data">
            <CsrfField req={req} reply={reply} />
            <label>
              {t(l, 'application.question.answer')}
              <span class="hint">{t(l, 'application.question.hint')}</span>
              <textarea name="answer" rows="5" maxlength="2000" required>
                {o.answer ?? ''}
              </textarea>
            </label>
            <label>
              {t(l, 'application.field.proof')}
              <span class="hint">{t(l, 'application.hint.proof', { max: MAX_PROOF_FILES })}</span>
              <input
                name="proof"
                type="file"
                multiple
                accept="image/jpeg,image/png,image/webp,application/pdf,.jpg,.jpeg,.png,.webp,.pdf"
              />
            </label>
            <button type="submit">{t(l, 'application.question.send')}</button>
          </form>
        </section>
      ) : null}
      {key === 'accredited' ? (
        <p>
          <a class="button" href="/doi-tac/dang-nhap">
            {t(l, 'application.status.signIn')}
          </a>
        </p>
      ) : null}
      {app.state !== 'withdrawn' ? (
        <section class="card small" aria-labelledby="h-withdraw">
          <h2 id="h-withdraw">{t(l, 'application.withdraw.title')}</h2>
          <p>{t(l, 'application.withdraw.body')}</p>
          <form class="stack" method="post" action={`${action}/rut-dong-y`}>
            <CsrfField req={req} reply={reply} />
            <label>
              <span>
                <input type="checkbox" name="confirm" value="yes" required /> {t(l, 'application.withdraw.confirm')}
              </span>
            </label>
            <button type="submit" class="danger">
              {t(l, 'application.withdraw.button')}
            </button>
          </form>
        </section>
      ) : null}
    </>,
  )
}

function Decision({
  req,
  reply,
  id,
  decision,
  term,
}: R & { id: string; decision: 'ask' | 'verify' | 'accredit' | 'reject'; term?: boolean }): SafeHtml {
  const l = req.locale
  return (
    <details>
      <summary>{t(l, `application.queue.${decision}`)}</summary>
      <form class="stack" method="post" action={`${QUEUE_PATH}/${id}`}>
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="decision" value={decision} />
        <label>
          {t(l, decision === 'ask' ? 'application.queue.question' : 'application.queue.reason')}
          <textarea name="reason" rows="3" maxlength="2000" required></textarea>
        </label>
        {term ? (
          <label>
            {t(l, 'application.queue.term')}
            <input name="accreditationEndsOn" type="date" required />
          </label>
        ) : null}
        <button type="submit" class={decision === 'reject' ? 'danger' : undefined}>
          {t(l, `application.queue.${decision}`)}
        </button>
      </form>
    </details>
  )
}

/** The staff review queue: oldest waiting first, proofs, duplicate flags and the decisions. */
export function queuePage({ req, reply }: R, o: { items: QueueItem[]; error?: AppError; flash?: string; status?: number }) {
  const l = req.locale
  const actor = req.actor
  const mayManage = can(actor, 'manage', { type: 'partner', tenantId: actor?.tenantId })
  const mayAccredit = can(actor, 'accredit', { type: 'partner', tenantId: actor?.tenantId })
  return sendPage(
    req,
    reply,
    { title: t(l, 'application.queue.title'), shell: 'console', current: 'partners', status: o.status },
    <>
      <h1>{t(l, 'application.queue.title')}</h1>
      <p class="muted">{t(l, 'application.queue.intro')}</p>
      <FormError l={l} error={o.error} />
      {o.flash ? <Alert kind="ok">{t(l, 'application.queue.done')}</Alert> : null}
      {o.items.length === 0 ? <p>{t(l, 'application.queue.empty')}</p> : null}
      {o.items.map((item) => {
        const p = item.partner
        const a = item.application
        const kind = p?.kind ?? a?.kind ?? 'journalist'
        const status = p?.status ?? 'applied'
        return (
          <article class="card" data-queue-item={p?.id ?? a?.id}>
            <h2 class="card-title">
              {p ? <a href={`/console/doi-tac/${p.id}`}>{p.name}</a> : (a?.name ?? '')}{' '}
              <span class="badge">{t(l, `application.kind.${kind}`)}</span>{' '}
              <span class="badge warn">{t(l, `partners.status.${status}`)}</span>{' '}
              {item.duplicateOf ? (
                <span class="badge admin" data-duplicate="">
                  {t(l, 'application.queue.duplicate')}
                </span>
              ) : null}
              {a?.consentWithdrawnAt ? <span class="badge admin">{t(l, 'application.queue.withdrawn')}</span> : null}
            </h2>
            <p class="small muted">{t(l, 'application.queue.since', { at: formatTime(item.since, l) })}</p>
            {item.duplicateOf ? (
              <Alert kind="warn">
                {t(l, 'application.queue.duplicateOf')} <a href={`/console/doi-tac/${item.duplicateOf.id}`}>{item.duplicateOf.name}</a> (
                {t(l, `partners.status.${item.duplicateOf.status}`)})
              </Alert>
            ) : null}
            <dl class="small">
              <dt>{t(l, 'application.field.email')}</dt>
              <dd>{p?.email ?? a?.email ?? '—'}</dd>
              <dt>{t(l, 'application.field.phone')}</dt>
              <dd>{p?.phone ?? a?.phone ?? '—'}</dd>
              {kind === 'journalist' ? (
                <>
                  <dt>{t(l, 'application.field.outlet')}</dt>
                  <dd>
                    {item.outletName ?? '—'}
                    {a?.outletName && !a.outletId ? ` (${t(l, 'application.queue.newOutlet')})` : ''}
                  </dd>
                  <dt>{t(l, 'application.field.pressCard')}</dt>
                  <dd>
                    {p?.pressCardNumber ?? a?.pressCardNumber ?? '—'} ·{' '}
                    {(p?.pressCardExpiresOn ?? a?.pressCardExpiresOn)
                      ? formatDay((p?.pressCardExpiresOn ?? a?.pressCardExpiresOn) as string, l)
                      : '—'}
                  </dd>
                </>
              ) : (
                <>
                  <dt>{t(l, 'application.queue.channels')}</dt>
                  <dd>
                    {(a?.channels ?? []).map((c) => (
                      <div>
                        {t(l, `application.platform.${c.platform}`)}: {c.url}
                        {c.followers !== null ? ` · ${c.followers.toLocaleString(l === 'vi' ? 'vi-VN' : 'en-GB')}` : ''}
                      </div>
                    ))}
                  </dd>
                  <dt>{t(l, 'application.queue.ack')}</dt>
                  <dd>{a?.acknowledgementVersion ? `${a.acknowledgementVersion} · ${formatTime(a.acknowledgedAt, l)}` : '—'}</dd>
                </>
              )}
              {a ? (
                <>
                  <dt>{t(l, 'application.queue.consent')}</dt>
                  <dd>
                    {a.consentVersion} · {formatTime(a.consentAt, l)}
                  </dd>
                </>
              ) : null}
            </dl>
            {item.files.length ? (
              <p class="small">
                {t(l, 'application.queue.files')}{' '}
                {item.files.map((f) => (
                  <>
                    <a href={`${QUEUE_PATH}/tep/${f.id}`} target="_blank" rel="noopener">
                      {f.fileName}
                    </a>
                    {f.round > 0 ? ` (${t(l, 'application.queue.round', { n: f.round })})` : ''}{' '}
                  </>
                ))}
              </p>
            ) : null}
            {item.question ? (
              <p class="small">
                <strong>{t(l, 'application.queue.asked')}</strong> <span class="kc-text">{item.question}</span>
              </p>
            ) : null}
            {item.answers.map((x) => (
              <p class="small">
                <strong>{t(l, 'application.queue.answer', { n: x.round })}</strong> <span class="kc-text">{x.answer}</span>
              </p>
            ))}
            {p && mayManage ? (
              <div class="stack">
                {status !== 'more_info_needed' ? <Decision req={req} reply={reply} id={p.id} decision="ask" /> : null}
                {status === 'applied' ? <Decision req={req} reply={reply} id={p.id} decision="verify" /> : null}
                {mayAccredit && status === 'verified' ? <Decision req={req} reply={reply} id={p.id} decision="accredit" term /> : null}
                {mayAccredit ? <Decision req={req} reply={reply} id={p.id} decision="reject" /> : null}
              </div>
            ) : null}
            {!p && a && mayManage ? (
              <details>
                <summary>{t(l, 'application.queue.close')}</summary>
                <form class="stack" method="post" action={`${QUEUE_PATH}/trung/${a.id}`}>
                  <CsrfField req={req} reply={reply} />
                  <label>
                    {t(l, 'application.queue.closeReason')}
                    <textarea name="reason" rows="3" maxlength="2000" required></textarea>
                  </label>
                  <button type="submit">{t(l, 'application.queue.close')}</button>
                </form>
              </details>
            ) : null}
          </article>
        )
      })}
    </>,
  )
}
