/**
 * The spokesperson register: who may speak for the unit, and their delegations (to whom,
 * for which case, until when). Every release names one of them.
 */
import type { AppError } from '../../platform/errors.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../platform/html/layout.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { FormError, type R } from '../../platform/html/forms.tsx'

/** A spokesperson row as the page shows it. */
export interface SpokespersonRow {
  id: string
  name: string
  title: string
  phone: string
  email: string
  active: boolean
}

/** A delegation row; `caseCode` is set only when the viewer may see the case. */
export interface DelegationRow {
  id: string
  spokespersonId: string
  delegateName: string
  delegateTitle: string
  caseCode: string | null
  hiddenCase: boolean
  validUntil: Date
}

function PersonFields({ l, v }: { l: Locale; v?: Partial<SpokespersonRow> }): SafeHtml {
  return (
    <>
      <div class="row">
        <label>
          {t(l, 'spokespersons.field.name')}
          <input name="name" required maxlength="200" value={v?.name ?? ''} />
        </label>
        <label>
          {t(l, 'spokespersons.field.title')}
          <input name="title" required maxlength="200" value={v?.title ?? ''} />
        </label>
      </div>
      <div class="row">
        <label>
          {t(l, 'spokespersons.field.phone')}
          <input name="phone" type="tel" required maxlength="40" value={v?.phone ?? ''} />
        </label>
        <label>
          {t(l, 'field.email')}
          <input name="email" type="email" required maxlength="254" value={v?.email ?? ''} />
        </label>
      </div>
      <label style="display:flex;gap:.5rem;align-items:center">
        <input type="checkbox" name="active" value="1" checked={v?.active ?? true} />
        {t(l, 'spokespersons.field.active')}
      </label>
    </>
  )
}

/** The register page. */
export function spokespersonsPage(
  { req, reply }: R,
  o: {
    people: SpokespersonRow[]
    delegations: DelegationRow[]
    cases: { id: string; code: string; title: string }[]
    canManage: boolean
    error?: AppError
    notice?: string
    values?: Partial<SpokespersonRow>
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'spokespersons.title'), shell: 'console', current: 'spokespersons', status: o.error?.status },
    <>
      <h1>{t(l, 'spokespersons.title')}</h1>
      <p class="muted">{t(l, 'spokespersons.intro')}</p>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {o.people.length === 0 ? <p class="muted">{t(l, 'spokespersons.empty')}</p> : null}
      {o.people.map((p) => {
        const mine = o.delegations.filter((d) => d.spokespersonId === p.id)
        return (
          <section class="card">
            <h2 style="margin-top:0">
              {p.name} {p.active ? null : <span class="badge">{t(l, 'spokespersons.inactive')}</span>}
            </h2>
            <p>
              {p.title}
              <br />
              <a href={`tel:${p.phone.replace(/[^0-9+]/g, '')}`}>{p.phone}</a> · <a href={`mailto:${p.email}`}>{p.email}</a>
            </p>
            {mine.length ? (
              <>
                <h3>{t(l, 'spokespersons.delegations')}</h3>
                <ul>
                  {mine.map((d) => (
                    <li>
                      {d.delegateName} — {d.delegateTitle} · {t(l, 'spokespersons.until', { at: formatTime(d.validUntil, l) })}
                      {d.caseCode
                        ? ` · ${t(l, 'spokespersons.forCase', { code: d.caseCode })}`
                        : d.hiddenCase
                          ? ` · ${t(l, 'spokespersons.forHiddenCase')}`
                          : ''}
                    </li>
                  ))}
                </ul>
              </>
            ) : null}
            {o.canManage ? (
              <details>
                <summary>{t(l, 'spokespersons.edit')}</summary>
                <form method="post" action={`/console/spokespersons/${p.id}`} class="stack">
                  <CsrfField req={req} reply={reply} />
                  <PersonFields l={l} v={p} />
                  <div class="row">
                    <button type="submit" class="secondary">
                      {t(l, 'spokespersons.save')}
                    </button>
                  </div>
                </form>
              </details>
            ) : null}
            {o.canManage && p.active ? (
              <details>
                <summary>{t(l, 'spokespersons.delegate')}</summary>
                <form method="post" action={`/console/spokespersons/${p.id}/delegations`} class="stack">
                  <CsrfField req={req} reply={reply} />
                  <div class="row">
                    <label>
                      {t(l, 'spokespersons.field.delegateName')}
                      <input name="delegateName" required maxlength="200" />
                    </label>
                    <label>
                      {t(l, 'spokespersons.field.delegateTitle')}
                      <input name="delegateTitle" required maxlength="200" />
                    </label>
                  </div>
                  <div class="row">
                    <label>
                      {t(l, 'spokespersons.field.case')}
                      <select name="caseId">
                        <option value="">{t(l, 'spokespersons.anyCase')}</option>
                        {o.cases.map((c) => (
                          <option value={c.id}>{`${c.code} — ${c.title}`}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t(l, 'spokespersons.field.until')}
                      <span class="hint">{t(l, 'releases.hint.at')}</span>
                      <input type="datetime-local" name="validUntil" required />
                    </label>
                  </div>
                  <div class="row">
                    <button type="submit" class="secondary">
                      {t(l, 'spokespersons.delegateSubmit')}
                    </button>
                  </div>
                </form>
              </details>
            ) : null}
          </section>
        )
      })}
      {o.canManage ? (
        <form method="post" action="/console/spokespersons" class="stack card">
          <CsrfField req={req} reply={reply} />
          <h2 style="margin-top:0">{t(l, 'spokespersons.add')}</h2>
          <PersonFields l={l} v={o.values} />
          <div class="row">
            <button type="submit">{t(l, 'spokespersons.addSubmit')}</button>
          </div>
        </form>
      ) : (
        <p class="card muted" id="who-manages">
          {t(l, 'spokespersons.whoManages')}
        </p>
      )}
    </>,
  )
}
