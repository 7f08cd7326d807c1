/** Press outlets in the console: the list with each outlet's journalists, a create form and edit forms. */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { Alert, sendPage } from '../../../platform/html/layout.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { PressOutletInput } from '../commands/create-press-outlet.ts'
import { OUTLET_KINDS, type PartnerStatus } from '../partners.tables.ts'
import { PostForm, REGISTRY_HEAD, StatusBadge } from './fields.tsx'
import type { OutletRow } from './registry.queries.ts'

function OutletFields({ l, v }: { l: Locale; v?: Partial<PressOutletInput> }): SafeHtml {
  return (
    <>
      <div class="row">
        <label>
          {t(l, 'partners.console.outlet.name')}
          <input name="name" required maxlength="200" value={v?.name ?? ''} />
        </label>
        <label>
          {t(l, 'partners.console.outlet.kind')}
          <select name="kind">
            {OUTLET_KINDS.map((k) => (
              <option value={k} selected={v?.kind === k}>
                {t(l, `partners.outletKind.${k}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div class="row">
        <label>
          {t(l, 'partners.console.outlet.licenceNumber')}
          <input name="licenceNumber" maxlength="100" value={v?.licenceNumber ?? ''} />
        </label>
        <label>
          {t(l, 'partners.console.outlet.licenceIssuer')}
          <input name="licenceIssuer" maxlength="200" value={v?.licenceIssuer ?? ''} />
        </label>
      </div>
      <div class="row">
        <label>
          {t(l, 'partners.console.outlet.website')}
          <input name="website" type="url" maxlength="300" value={v?.website ?? ''} placeholder="https://" />
        </label>
        <label>
          {t(l, 'partners.console.outlet.contactDesk')}
          <input name="contactDesk" maxlength="300" value={v?.contactDesk ?? ''} />
        </label>
      </div>
    </>
  )
}

/** The outlets page. `errorFor` is the outlet whose edit was refused ('new' for the create form). */
export function outletsPage(
  { req, reply }: R,
  o: {
    outlets: OutletRow[]
    journalists: { id: string; name: string; status: PartnerStatus; outletId: string | null }[]
    canManage: boolean
    error?: AppError
    errorFor?: string
    values?: Partial<PressOutletInput>
    notice?: string
  },
) {
  const l = req.locale
  const err = (id: string) => (o.errorFor === id ? <FormError l={l} error={o.error} /> : null)
  return sendPage(
    req,
    reply,
    { title: t(l, 'partners.console.outlets'), shell: 'console', current: 'partners', head: REGISTRY_HEAD, status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/doi-tac">← {t(l, 'partners.console.title')}</a>
      </p>
      <h1>{t(l, 'partners.console.outlets')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {o.outlets.length === 0 ? <p class="card muted">{t(l, 'partners.console.noOutlets')}</p> : null}
      {o.outlets.map((x) => {
        const people = o.journalists.filter((j) => j.outletId === x.id)
        return (
          <section class="card" data-outlet={x.id}>
            <h2 style="margin-top:0">
              {x.name} <span class="badge">{t(l, `partners.outletKind.${x.kind}`)}</span>
            </h2>
            <p class="small">
              {x.licenceNumber
                ? `${t(l, 'partners.console.outlet.licence')}: ${x.licenceNumber}${x.licenceIssuer ? ` (${x.licenceIssuer})` : ''}`
                : ''}
              {x.website ? (
                <>
                  {' '}
                  ·{' '}
                  <a href={x.website} rel="noopener noreferrer nofollow">
                    {x.website}
                  </a>
                </>
              ) : null}
              {x.contactDesk ? ` · ${x.contactDesk}` : ''}
            </p>
            {err(x.id)}
            <p>
              <a href={`/console/doi-tac?outlet=${x.id}`}>{t(l, 'partners.console.outlet.journalists', { n: x.journalists })}</a>
            </p>
            {people.length ? (
              <ul>
                {people.slice(0, 10).map((j) => (
                  <li>
                    <a href={`/console/doi-tac/${j.id}`}>{j.name}</a> <StatusBadge l={l} status={j.status} />
                  </li>
                ))}
              </ul>
            ) : null}
            {o.canManage ? (
              <details open={o.errorFor === x.id}>
                <summary>{t(l, 'partners.console.outlet.edit')}</summary>
                <PostForm req={req} reply={reply} action={`/console/doi-tac/co-quan/${x.id}`}>
                  <OutletFields l={l} v={o.errorFor === x.id && o.values ? o.values : { ...x, kind: x.kind }} />
                  <div class="row">
                    <button type="submit" class="secondary">
                      {t(l, 'partners.console.save')}
                    </button>
                  </div>
                </PostForm>
              </details>
            ) : null}
          </section>
        )
      })}
      {o.canManage ? (
        <PostForm req={req} reply={reply} action="/console/doi-tac/co-quan" cls="stack card">
          <h2 style="margin-top:0">{t(l, 'partners.console.outlet.add')}</h2>
          {err('new')}
          <OutletFields l={l} v={o.errorFor === 'new' ? o.values : undefined} />
          <div class="row">
            <button type="submit">{t(l, 'partners.console.outlet.addSubmit')}</button>
          </div>
        </PostForm>
      ) : null}
    </>,
  )
}
