/** Pieces shared by the registry's console pages: styles, badges, the partner form's fields. */
import { CsrfField, raw } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { CommuneField } from '../../reference/commune-field.tsx'
import { formatShortDay } from '../../../platform/time.ts'
import type { Duplicate } from '../partners.repository.ts'
import { CHANNEL_PLATFORMS, type PartnerKind, type PartnerStatus } from '../partners.tables.ts'

/** Page styles of the registry (phone-first: tables scroll, forms stack). */
export const REGISTRY_HEAD = raw(
  `<style>
.pc-counts{display:flex;flex-wrap:wrap;gap:.35rem;margin:.5rem 0 1rem}
.pc-counts a{padding:.25rem .65rem;border-radius:999px;background:#e7ebe8;color:inherit;text-decoration:none;font-size:.9rem}
.pc-counts a[aria-current=true]{background:var(--brand);color:#fff}
.pc-links{display:flex;flex-wrap:wrap;gap:.5rem 1rem;margin:.25rem 0 1rem}
.pc-dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.35rem 1rem;margin:0}
.pc-dl dt{color:var(--muted,#5b6660)}.pc-dl dd{margin:0;overflow-wrap:anywhere}
.pc-actions{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(260px,1fr))}
.pc-dup{border-left:4px solid #c77d00;padding-left:.75rem}
.pc-choice label{display:flex;align-items:center;gap:.5rem;font-weight:400}
.pc-history{padding-left:1.2rem}.pc-history li{margin:.5rem 0}.pc-reason{display:block;overflow-wrap:anywhere}
.pc-actions .card{margin:0}.pc-step summary{font-weight:600;cursor:pointer}.pc-step form{margin-top:.75rem}
#registry .badge{white-space:nowrap}
td .small{display:block}
@media (max-width:600px){.pc-dl{grid-template-columns:1fr}.pc-dl dt{margin-top:.4rem}.pc-hide-narrow{display:none}}
</style><script src="/assets/commune-picker.js" defer></script>`,
)

/** A status as a badge (accredited green; suspended, expired, revoked marked). */
export function StatusBadge({ l, status }: { l: Locale; status: PartnerStatus }): SafeHtml {
  const cls = status === 'accredited' ? 'badge ok' : ['suspended', 'expired', 'revoked'].includes(status) ? 'badge admin' : 'badge'
  return (
    <span class={cls} data-status={status}>
      {t(l, `partners.status.${status}`)}
    </span>
  )
}

/**
 * The "expiring soon" badge with its day. Only a live record whose end day is today or later
 * is "expiring"; a day already past, or a record marked expired, reads "đã hết hạn" (no
 * warning colour: nothing is left to renew in time); a revoked record shows none (its status
 * says more than any date).
 */
export function ExpiryBadge({
  l,
  day,
  today,
  status,
}: {
  l: Locale
  day: string | null
  today: string
  status: PartnerStatus
}): SafeHtml | null {
  if (status === 'revoked') return null
  const past = day !== null && day < today
  if (status === 'expired' || past) {
    // Staff may mark a record expired before its dates: then the day is not what ended it.
    return (
      <span class="badge" data-expired={past ? day : ''}>
        {past && day ? t(l, 'partners.console.expired', { day: formatShortDay(day, l) }) : t(l, 'partners.console.expiredNoDay')}
      </span>
    )
  }
  if (!day) return null
  return (
    <span class="badge warn" data-expiring={day}>
      {t(l, 'partners.console.expiring', { day: formatShortDay(day, l) })}
    </span>
  )
}

/** The values the partner form shows (as typed, or from the record). */
export interface PartnerFormValues {
  kind: PartnerKind
  name: string
  outletId: string
  pressCardNumber: string
  pressCardExpiresOn: string
  phone: string
  email: string
  beats: string
  communes: string[]
  accreditationEndsOn: string
  channelPlatform?: string
  channelUrl?: string
  channelFollowers?: string
}

/** Empty values of a new partner of `kind`. */
export function emptyPartnerForm(kind: PartnerKind): PartnerFormValues {
  return {
    kind,
    name: '',
    outletId: '',
    pressCardNumber: '',
    pressCardExpiresOn: '',
    phone: '',
    email: '',
    beats: '',
    communes: [],
    accreditationEndsOn: '',
  }
}

/**
 * The fields of a partner (new or edit). The communes select works as a plain multiple select
 * without JavaScript; /assets/commune-picker.js makes it a search box with chips.
 */
export function PartnerFields({
  l,
  v,
  outlets,
  withChannel,
}: {
  l: Locale
  v: PartnerFormValues
  outlets: { id: string; name: string }[]
  withChannel: boolean
}): SafeHtml {
  const journalist = v.kind === 'journalist'
  return (
    <>
      <label>
        {t(l, 'partners.console.field.name')}
        <input name="name" required maxlength="200" value={v.name} autocomplete="off" />
      </label>
      {journalist ? (
        <>
          <label>
            {t(l, 'partners.console.field.outlet')}
            <select name="outletId">
              <option value="">{t(l, 'partners.console.noOutlet')}</option>
              {outlets.map((o) => (
                <option value={o.id} selected={o.id === v.outletId}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
          <div class="row">
            <label>
              {t(l, 'partners.console.field.pressCard')}
              <input name="pressCardNumber" maxlength="40" value={v.pressCardNumber} autocomplete="off" />
            </label>
            <label>
              {t(l, 'partners.console.field.pressCardExpiresOn')}
              <input name="pressCardExpiresOn" type="date" value={v.pressCardExpiresOn} />
            </label>
          </div>
        </>
      ) : null}
      <div class="row">
        <label>
          {t(l, 'partners.console.field.phone')}
          <span class="hint">{t(l, 'partners.console.hint.phone')}</span>
          <input name="phone" type="tel" maxlength="40" value={v.phone} autocomplete="off" />
        </label>
        <label>
          {t(l, 'field.email')}
          <input name="email" type="email" maxlength="254" value={v.email} autocomplete="off" />
        </label>
      </div>
      <label>
        {t(l, journalist ? 'partners.console.field.beats' : 'partners.console.field.topics')}
        <span class="hint">{t(l, 'partners.console.hint.beats')}</span>
        <input name="beats" maxlength="1000" value={v.beats} />
      </label>
      <CommuneField
        l={l}
        label={t(l, 'partners.console.field.communes')}
        hint={t(l, 'partners.console.hint.communes')}
        selected={v.communes}
      />
      <label>
        {t(l, 'partners.console.field.accreditationEndsOn')}
        <span class="hint">{t(l, 'partners.console.hint.term')}</span>
        <input name="accreditationEndsOn" type="date" value={v.accreditationEndsOn} />
      </label>
      {withChannel && !journalist ? <ChannelFields l={l} v={v} /> : null}
    </>
  )
}

/** One channel of an influencer: platform, address, declared followers. */
export function ChannelFields({ l, v }: { l: Locale; v?: Partial<PartnerFormValues> }): SafeHtml {
  return (
    <fieldset>
      <legend>{t(l, 'partners.console.channel')}</legend>
      <div class="row">
        <label>
          {t(l, 'partners.console.field.platform')}
          <select name="channelPlatform">
            {CHANNEL_PLATFORMS.map((p) => (
              <option value={p} selected={p === v?.channelPlatform}>
                {t(l, `partners.platform.${p}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'partners.console.field.url')}
          <input name="channelUrl" type="url" maxlength="500" value={v?.channelUrl ?? ''} placeholder="https://" />
        </label>
        <label>
          {t(l, 'partners.console.field.followers')}
          <input name="channelFollowers" type="number" min="0" inputmode="numeric" value={v?.channelFollowers ?? ''} />
        </label>
      </div>
    </fieldset>
  )
}

/** The records that already hold a key typed in the form, each linked, with the key that matched. */
export function DuplicateList({ l, duplicates }: { l: Locale; duplicates: Duplicate[] }): SafeHtml | null {
  if (duplicates.length === 0) return null
  return (
    <section class="card pc-dup" id="duplicates">
      <h2 style="margin-top:0">{t(l, 'partners.console.duplicates.title')}</h2>
      <p>{t(l, 'partners.console.duplicates.intro')}</p>
      <ul>
        {duplicates.map((d) => (
          <li>
            <a href={`/console/doi-tac/${d.partnerId}`}>{d.name}</a> <StatusBadge l={l} status={d.status} /> —{' '}
            {d.matched.map((k) => `${t(l, `partners.key.${k.kind}`)} ${k.value}`).join(', ')}
          </li>
        ))}
      </ul>
    </section>
  )
}

/** A form posting to `action` with the CSRF field. */
export function PostForm({
  req,
  reply,
  action,
  children,
  cls = 'stack',
}: {
  req: FastifyRequest
  reply: FastifyReply
  action: string
  children?: unknown
  cls?: string
}): SafeHtml {
  return (
    <form method="post" action={action} class={cls}>
      <CsrfField req={req} reply={reply} />
      {children as SafeHtml}
    </form>
  )
}
