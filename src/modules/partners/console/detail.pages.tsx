/**
 * One partner in the console: profile, keys, channels, acknowledgement, status with the allowed
 * next steps (each a form with a required reason), history, reminders, merges, edit and merge
 * forms. A step is shown only to those the policy allows; the POST checks again.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { Alert, formatTime, sendPage } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { formatDay } from '../../../platform/time.ts'
import { communeByCode } from '../../reference/communes.ts'
import { ACKNOWLEDGEMENT_TEXTS, CURRENT_ACKNOWLEDGEMENT_VERSION } from '../partners.acknowledgement.ts'
import type { Duplicate } from '../partners.repository.ts'
import { type PartnerStatus, SIGNING_METHODS } from '../partners.tables.ts'
import { STATUS_REASON_MIN } from '../partners.workflow.ts'
import {
  ChannelFields,
  DuplicateList,
  ExpiryBadge,
  PartnerFields,
  type PartnerFormValues,
  PostForm,
  REGISTRY_HEAD,
  StatusBadge,
} from './fields.tsx'
import type { PartnerActivityBlock } from '../partners.extensions.ts'
import type { Candidate, PartnerDetail } from './registry.queries.ts'

/** What the detail page needs besides the record. */
export interface DetailView {
  detail: PartnerDetail
  outlets: { id: string; name: string }[]
  /** The next statuses this viewer may choose (allowed by the table and the policy). */
  nextStatuses: PartnerStatus[]
  canManage: boolean
  canMerge: boolean
  candidates: Candidate[]
  today: string
  expiresSoon: string | null
  /** The edit form as typed, when a save was refused. */
  editValues?: PartnerFormValues
  error?: AppError
  /** Which form the error belongs to (its block is shown there). */
  errorAt?: 'status' | 'edit' | 'ack' | 'channel' | 'merge'
  /** The status step whose form was refused (kept open). */
  errorTo?: PartnerStatus
  duplicates?: Duplicate[]
  notice?: string
  /** The name of a record just merged into this one. */
  mergedName?: string
  /** The partner's questions and downloads: counts and the latest rows. */
  activity?: PartnerActivityBlock[]
}

const day = (d: string | null, l: 'vi' | 'en') => (d ? formatDay(d, l) : '—')

/** The partner's activity in other modules (questions, downloads): counts, latest rows, links to the full lists. */
function ActivitySection({ l, blocks }: { l: 'vi' | 'en'; blocks: PartnerActivityBlock[] }) {
  return (
    <section class="card" id="related">
      <h2 style="margin-top:0">{t(l, 'partners.console.activity')}</h2>
      {blocks.map((b) => (
        <>
          <h3 id={b.key}>
            {b.title}{' '}
            <span class="badge" data-count={b.key}>
              {b.count}
            </span>
          </h3>
          {b.items.length ? (
            <ul class="pc-activity" data-list={b.key}>
              {b.items.map((i) => (
                <li>
                  {i.masked ? <em>{i.text}</em> : i.href ? <a href={i.href}>{i.text}</a> : i.text} ·{' '}
                  <span class="small muted">{i.meta}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p class="small muted">{b.emptyText}</p>
          )}
          <p class="small">
            <a href={b.all.href} data-slot={b.key}>
              {b.all.text}
            </a>
          </p>
        </>
      ))}
    </section>
  )
}

/** The detail page. */
export function partnerDetailPage({ req, reply }: R, v: DetailView) {
  const l = req.locale
  const { partner: p, outlet, keys, channels, acknowledgements, history, reminders, mergedFrom } = v.detail
  const at = (where: DetailView['errorAt']) => (v.errorAt === where ? <FormError l={l} error={v.error} /> : null)
  const values: PartnerFormValues = v.editValues ?? {
    kind: p.kind,
    name: p.name,
    outletId: p.outletId ?? '',
    pressCardNumber: p.pressCardNumber ?? '',
    pressCardExpiresOn: p.pressCardExpiresOn ?? '',
    phone: p.phone ?? '',
    email: p.email ?? '',
    beats: p.beats.join(', '),
    communes: p.communeCodes,
    accreditationEndsOn: p.accreditationEndsOn ?? '',
  }
  return sendPage(
    req,
    reply,
    { title: p.name, shell: 'console', current: 'partners', head: REGISTRY_HEAD, status: v.error?.status },
    <>
      <p class="small">
        <a href="/console/doi-tac">← {t(l, 'partners.console.title')}</a>
      </p>
      <h1>
        {p.name} <StatusBadge l={l} status={p.status} /> <ExpiryBadge l={l} day={v.expiresSoon} today={v.today} status={p.status} />
      </h1>
      {v.notice ? <Alert kind="ok">{t(l, v.notice)}</Alert> : null}
      {v.mergedName ? <Alert kind="ok">{t(l, 'partners.console.mergedHere', { name: v.mergedName })}</Alert> : null}
      {v.errorAt === undefined ? <FormError l={l} error={v.error} /> : null}
      {v.activity?.length ? <ActivitySection l={l} blocks={v.activity} /> : null}

      <section class="card" id="profile">
        <h2 style="margin-top:0">{t(l, 'partners.console.profile')}</h2>
        <dl class="pc-dl">
          <dt>{t(l, 'partners.console.field.kind')}</dt>
          <dd>{t(l, `partners.kind.${p.kind}`)}</dd>
          {p.kind === 'journalist' ? (
            <>
              <dt>{t(l, 'partners.console.field.outlet')}</dt>
              <dd>{outlet ? <a href={`/console/doi-tac?outlet=${outlet.id}`}>{outlet.name}</a> : '—'}</dd>
              <dt>{t(l, 'partners.console.field.pressCard')}</dt>
              <dd>
                {p.pressCardNumber ?? '—'}
                {p.pressCardExpiresOn ? ` · ${t(l, 'partners.console.validUntil', { day: day(p.pressCardExpiresOn, l) })}` : ''}
              </dd>
            </>
          ) : null}
          <dt>{t(l, 'partners.console.field.phone')}</dt>
          <dd>{p.phone ? <a href={`tel:${p.phone}`}>{p.phone}</a> : '—'}</dd>
          <dt>{t(l, 'field.email')}</dt>
          <dd>{p.email ? <a href={`mailto:${p.email}`}>{p.email}</a> : '—'}</dd>
          <dt>{t(l, p.kind === 'journalist' ? 'partners.console.field.beats' : 'partners.console.field.topics')}</dt>
          <dd>{p.beats.length ? p.beats.join(', ') : '—'}</dd>
          <dt>{t(l, 'partners.console.field.communes')}</dt>
          <dd>{p.communeCodes.length ? p.communeCodes.map((c) => communeByCode(c)?.name ?? c).join(', ') : '—'}</dd>
          <dt>{t(l, 'partners.console.field.accreditationEndsOn')}</dt>
          <dd>{day(p.accreditationEndsOn, l)}</dd>
          <dt>{t(l, 'partners.console.account')}</dt>
          <dd>{t(l, p.userId ? 'partners.console.hasAccount' : 'partners.console.noAccount')}</dd>
          <dt>{t(l, 'partners.console.recordId')}</dt>
          <dd>
            <code>{p.id}</code>
          </dd>
        </dl>
        <h3>{t(l, 'partners.console.keys')}</h3>
        <p class="small muted">{t(l, 'partners.console.keysIntro')}</p>
        <ul id="keys">
          {keys.map((k) => (
            <li>
              {t(l, `partners.key.${k.kind}`)}: <code>{k.value}</code>
            </li>
          ))}
        </ul>
      </section>

      {p.kind === 'influencer' ? (
        <section class="card" id="channels">
          <h2 style="margin-top:0">{t(l, 'partners.console.channels')}</h2>
          {at('channel')}
          {channels.length === 0 ? <p class="muted">{t(l, 'partners.console.noChannels')}</p> : null}
          <ul>
            {channels.map((c) => (
              <li>
                {t(l, `partners.platform.${c.platform}`)}:{' '}
                <a href={c.url} rel="noopener noreferrer nofollow">
                  {c.url}
                </a>
                {c.followers !== null ? ` · ${t(l, 'partners.console.followers', { n: c.followers.toLocaleString(l) })}` : ''}
                {v.canManage ? (
                  <PostForm req={req} reply={reply} action={`/console/doi-tac/${p.id}/kenh/${c.id}/xoa`} cls="">
                    <button type="submit" class="link small">
                      {t(l, 'partners.console.removeChannel')}
                    </button>
                  </PostForm>
                ) : null}
              </li>
            ))}
          </ul>
          {v.canManage ? (
            <details>
              <summary>{t(l, 'partners.console.addChannel')}</summary>
              <PostForm req={req} reply={reply} action={`/console/doi-tac/${p.id}/kenh`}>
                <ChannelFields l={l} />
                <div class="row">
                  <button type="submit" class="secondary">
                    {t(l, 'partners.console.addChannel')}
                  </button>
                </div>
              </PostForm>
            </details>
          ) : null}
        </section>
      ) : null}

      {p.kind === 'influencer' ? (
        <section class="card" id="acknowledgement">
          <h2 style="margin-top:0">{t(l, 'partners.console.ack')}</h2>
          {at('ack')}
          {acknowledgements.length === 0 ? <p class="muted">{t(l, 'partners.console.noAck')}</p> : null}
          <ul>
            {acknowledgements.map((a) => (
              <li>
                {t(l, 'partners.console.ackLine', {
                  version: a.textVersion,
                  at: formatTime(a.signedAt, l),
                  method: t(l, `partners.method.${a.method}`),
                })}
              </li>
            ))}
          </ul>
          <details>
            <summary>{t(l, 'partners.console.ackText', { version: CURRENT_ACKNOWLEDGEMENT_VERSION })}</summary>
            <blockquote>{ACKNOWLEDGEMENT_TEXTS[CURRENT_ACKNOWLEDGEMENT_VERSION] ?? ''}</blockquote>
          </details>
          {v.canManage ? (
            <PostForm req={req} reply={reply} action={`/console/doi-tac/${p.id}/cam-ket`}>
              <div class="row">
                <label>
                  {t(l, 'partners.console.field.method')}
                  <select name="method">
                    {SIGNING_METHODS.map((m) => (
                      <option value={m}>{t(l, `partners.method.${m}`)}</option>
                    ))}
                  </select>
                </label>
                <label>
                  {t(l, 'partners.console.field.signedAt')}
                  <span class="hint">{t(l, 'partners.console.hint.signedAt')}</span>
                  <input type="datetime-local" name="signedAt" />
                </label>
                <button type="submit" class="secondary">
                  {t(l, 'partners.console.recordAck')}
                </button>
              </div>
            </PostForm>
          ) : null}
        </section>
      ) : null}

      <section class="card" id="status">
        <h2 style="margin-top:0">{t(l, 'partners.console.statusTitle')}</h2>
        {at('status')}
        <p>
          {t(l, 'partners.console.currentStatus')} <StatusBadge l={l} status={p.status} />{' '}
          <span class="small muted">{t(l, 'partners.console.since', { at: formatTime(p.statusChangedAt, l) })}</span>
        </p>
        {v.nextStatuses.length === 0 ? (
          <p class="small muted">{t(l, p.status === 'revoked' ? 'partners.console.final' : 'partners.console.noStepsForYou')}</p>
        ) : (
          <div class="pc-actions">
            {v.nextStatuses.map((to) => (
              <details class="card pc-step" data-step={to} open={v.errorAt === 'status' && v.errorTo === to}>
                <summary>{t(l, `partners.console.step.${to}`)}</summary>
                <PostForm req={req} reply={reply} action={`/console/doi-tac/${p.id}/trang-thai`}>
                  <input type="hidden" name="to" value={to} />
                  {to === 'accredited' ? (
                    <label>
                      {t(l, 'partners.console.field.accreditationEndsOn')}
                      <input type="date" name="accreditationEndsOn" value={p.accreditationEndsOn ?? ''} required />
                    </label>
                  ) : null}
                  <label>
                    {t(l, 'partners.console.field.reason')}
                    <span class="hint">{t(l, 'partners.console.hint.reason', { min: STATUS_REASON_MIN })}</span>
                    <textarea name="reason" required minlength={String(STATUS_REASON_MIN)} maxlength="2000" rows="2"></textarea>
                  </label>
                  <button type="submit" class={['suspended', 'revoked', 'expired'].includes(to) ? 'danger' : undefined} data-to={to}>
                    {t(l, `partners.console.step.${to}`)}
                  </button>
                </PostForm>
              </details>
            ))}
          </div>
        )}
        <h3>{t(l, 'partners.console.history')}</h3>
        <ol class="pc-history" id="history" reversed>
          {history.map((h) => (
            <li>
              <strong>
                {h.fromStatus ? `${t(l, `partners.status.${h.fromStatus}`)} → ` : ''}
                {t(l, `partners.status.${h.toStatus}`)}
              </strong>
              <span class="small muted">
                {' '}
                · {formatTime(h.at, l)} · {h.actorLabel}
              </span>
              {h.reason ? <span class="pc-reason">{h.reason}</span> : null}
            </li>
          ))}
        </ol>
        <h3>{t(l, 'partners.console.reminders')}</h3>
        {reminders.length === 0 ? (
          <p class="small muted">{t(l, 'partners.console.noReminders')}</p>
        ) : (
          <ul id="reminders">
            {reminders.map((r) => (
              <li>{t(l, 'partners.console.reminderLine', { days: r.daysBefore, day: day(r.endsOn, l), at: formatTime(r.sentAt, l) })}</li>
            ))}
          </ul>
        )}
      </section>

      {mergedFrom.length ? (
        <section class="card" id="merged-from">
          <h2 style="margin-top:0">{t(l, 'partners.console.mergedFrom')}</h2>
          <ul>
            {mergedFrom.map((m) => (
              <li>
                {m.name} <span class="small muted">{t(l, 'partners.console.mergedAt', { at: formatTime(m.mergedAt, l) })}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {v.canManage ? (
        <section class="card" id="edit">
          <details open={v.errorAt === 'edit'}>
            <summary>
              <h2 style="display:inline;margin:0">{t(l, 'partners.console.edit')}</h2>
            </summary>
            {at('edit')}
            {v.errorAt === 'edit' ? <DuplicateList l={l} duplicates={v.duplicates ?? []} /> : null}
            <PostForm req={req} reply={reply} action={`/console/doi-tac/${p.id}/sua`}>
              <PartnerFields l={l} v={values} outlets={v.outlets} withChannel={false} />
              <div class="row">
                <button type="submit">{t(l, 'partners.console.save')}</button>
              </div>
            </PostForm>
          </details>
        </section>
      ) : null}

      {v.canMerge ? (
        <section class="card" id="merge">
          <h2 style="margin-top:0">{t(l, 'partners.console.merge')}</h2>
          {at('merge')}
          <p class="small muted">{t(l, 'partners.console.mergeIntro')}</p>
          <PostForm req={req} reply={reply} action={`/console/doi-tac/${p.id}/gop`}>
            <label>
              {t(l, 'partners.console.field.other')}
              <select name="other">
                <option value="">{t(l, 'partners.console.pickOther')}</option>
                {v.candidates.map((c) => (
                  <option
                    value={c.id}
                  >{`${c.name} · ${t(l, `partners.status.${c.status}`)}${c.outletName ? ` · ${c.outletName}` : ''}${c.phone ? ` · ${c.phone}` : ''}`}</option>
                ))}
              </select>
            </label>
            <label>
              {t(l, 'partners.console.field.otherId')}
              <span class="hint">{t(l, 'partners.console.hint.otherId')}</span>
              <input name="otherId" maxlength="64" autocomplete="off" />
            </label>
            <fieldset class="pc-choice">
              <legend>{t(l, 'partners.console.field.survivor')}</legend>
              <label>
                <input type="radio" name="keep" value="this" checked /> {t(l, 'partners.console.keepThis', { name: p.name })}
              </label>
              <label>
                <input type="radio" name="keep" value="other" /> {t(l, 'partners.console.keepOther')}
              </label>
            </fieldset>
            <label>
              {t(l, 'partners.console.field.reason')}
              <span class="hint">{t(l, 'partners.console.hint.mergeReason', { min: STATUS_REASON_MIN })}</span>
              <textarea name="reason" required minlength={String(STATUS_REASON_MIN)} maxlength="2000" rows="2"></textarea>
            </label>
            <div class="row">
              <button type="submit" class="danger">
                {t(l, 'partners.console.mergeSubmit')}
              </button>
            </div>
          </PostForm>
        </section>
      ) : null}
    </>,
  )
}
