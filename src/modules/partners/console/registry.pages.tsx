/**
 * The registry's list, the new-partner form and the near-duplicates page of the staff
 * console (/console/doi-tac…). Phone-first: the table scrolls sideways, the filters wrap.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { Alert, sendPage } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { COMMUNES } from '../../reference/communes.ts'
import type { Duplicate } from '../partners.repository.ts'
import { PARTNER_KINDS, PARTNER_STATUSES, type PartnerStatus } from '../partners.tables.ts'
import { DuplicateList, ExpiryBadge, PartnerFields, type PartnerFormValues, PostForm, REGISTRY_HEAD, StatusBadge } from './fields.tsx'
import { type Candidate, type NearDuplicateReason, PAGE_SIZE, type RegistryFilter, type RegistryRow } from './registry.queries.ts'

/** The query string of the list for `f` with `change` applied (page reset unless given). */
function listHref(f: RegistryFilter, change: Partial<Record<keyof RegistryFilter, string | number | boolean | undefined>>): string {
  const merged: Record<string, unknown> = { ...f, page: undefined, ...change }
  const p = new URLSearchParams()
  const names: Record<string, string> = { outletId: 'outlet', communeCode: 'commune' }
  for (const [k, v] of Object.entries(merged)) {
    if (v === undefined || v === '' || v === false || (k === 'page' && v === 1)) continue
    p.set(names[k] ?? k, v === true ? '1' : String(v))
  }
  const s = p.toString()
  return s ? `/console/doi-tac?${s}` : '/console/doi-tac'
}

/** The registry list. */
export function registryListPage(
  { req, reply }: R,
  o: {
    filter: RegistryFilter
    rows: RegistryRow[]
    total: number
    counts: Partial<Record<PartnerStatus, number>>
    outlets: { id: string; name: string }[]
    today: string
    canManage: boolean
    notice?: string
  },
) {
  const l = req.locale
  const f = o.filter
  const page = f.page ?? 1
  const pages = Math.max(1, Math.ceil(o.total / PAGE_SIZE))
  const all = Object.values(o.counts).reduce((s, n) => s + (n ?? 0), 0)
  return sendPage(
    req,
    reply,
    { title: t(l, 'partners.console.title'), shell: 'console', current: 'partners', head: REGISTRY_HEAD },
    <>
      <h1>{t(l, 'partners.console.title')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <p class="pc-links">
        {o.canManage ? <a href="/console/doi-tac/moi">{t(l, 'partners.console.new')}</a> : null}
        <a href="/console/doi-tac/co-quan">{t(l, 'partners.console.outlets')}</a>
        <a href="/console/doi-tac/ho-so">{t(l, 'partners.console.reviewQueue')}</a>
        <a href="/console/doi-tac/trung-lap">{t(l, 'partners.console.nearDuplicates')}</a>
        <a href="/console/doi-tac/nhap">{t(l, 'partners.console.import')}</a>
        <a href="/console/doi-tac/xuat">{t(l, 'partners.console.export')}</a>
      </p>
      <nav class="pc-counts" aria-label={t(l, 'partners.console.byStatus')}>
        <a href={listHref(f, { status: undefined })} aria-current={f.status ? undefined : 'true'}>
          {t(l, 'partners.console.all')} <strong data-count="all">{String(all)}</strong>
        </a>
        {PARTNER_STATUSES.map((s) => (
          <a href={listHref(f, { status: s })} aria-current={f.status === s ? 'true' : undefined}>
            {t(l, `partners.status.${s}`)} <strong data-count={s}>{String(o.counts[s] ?? 0)}</strong>
          </a>
        ))}
      </nav>
      <form method="get" action="/console/doi-tac" class="card filters stack">
        <label>
          {t(l, 'partners.console.search')}
          <span class="hint">{t(l, 'partners.console.hint.search')}</span>
          <input type="search" name="q" value={f.q ?? ''} maxlength="200" />
        </label>
        <div class="row">
          <label>
            {t(l, 'partners.console.field.kind')}
            <select name="kind">
              <option value="">{t(l, 'partners.console.any')}</option>
              {PARTNER_KINDS.map((k) => (
                <option value={k} selected={f.kind === k}>
                  {t(l, `partners.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'partners.console.field.status')}
            <select name="status">
              <option value="">{t(l, 'partners.console.any')}</option>
              {PARTNER_STATUSES.map((s) => (
                <option value={s} selected={f.status === s}>
                  {t(l, `partners.status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'partners.console.field.outlet')}
            <select name="outlet">
              <option value="">{t(l, 'partners.console.any')}</option>
              {o.outlets.map((x) => (
                <option value={x.id} selected={f.outletId === x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
        </div>
        <div class="row">
          <label>
            {t(l, 'partners.console.field.beat')}
            <input name="beat" value={f.beat ?? ''} maxlength="80" />
          </label>
          <label>
            {t(l, 'partners.console.field.commune')}
            <select name="commune">
              <option value="">{t(l, 'partners.console.any')}</option>
              {COMMUNES.map((c) => (
                <option value={c.code} selected={f.communeCode === c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            <input type="checkbox" name="expiring" value="1" checked={!!f.expiring} /> {t(l, 'partners.console.onlyExpiring')}
          </label>
          <button type="submit">{t(l, 'partners.console.filter')}</button>
        </div>
      </form>
      <p class="muted" id="result-count">
        {t(l, 'partners.console.found', { n: o.total })}
      </p>
      {o.rows.length === 0 ? (
        <p class="card muted">{t(l, 'partners.console.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table id="registry">
            <thead>
              <tr>
                <th scope="col">{t(l, 'partners.console.field.name')}</th>
                <th scope="col">{t(l, 'partners.console.field.status')}</th>
                <th scope="col">{t(l, 'partners.console.field.outlet')}</th>
                <th scope="col" class="pc-hide-narrow">
                  {t(l, 'partners.console.contact')}
                </th>
              </tr>
            </thead>
            <tbody>
              {o.rows.map((r) => (
                <tr>
                  <td>
                    <a href={`/console/doi-tac/${r.id}`}>{r.name}</a>
                    <span class="small muted">{t(l, `partners.kind.${r.kind}`)}</span>
                  </td>
                  <td>
                    <StatusBadge l={l} status={r.status} /> <ExpiryBadge l={l} day={r.expiresSoon} today={o.today} status={r.status} />
                  </td>
                  <td>
                    {r.outletName ?? '—'}
                    {r.pressCardNumber ? <span class="small muted">{r.pressCardNumber}</span> : null}
                  </td>
                  <td class="pc-hide-narrow">
                    {r.phone ? <span class="small">{r.phone}</span> : null}
                    {r.email ? <span class="small">{r.email}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 ? (
        <nav class="pager" aria-label={t(l, 'partners.console.pages')}>
          {page > 1 ? <a href={listHref(f, { page: page - 1 })}>{t(l, 'partners.console.prev')}</a> : null}{' '}
          <span>{t(l, 'partners.console.pageOf', { page, pages })}</span>{' '}
          {page < pages ? <a href={listHref(f, { page: page + 1 })}>{t(l, 'partners.console.next')}</a> : null}
        </nav>
      ) : null}
    </>,
  )
}

/** The new-partner form (journalist or influencer), with the duplicates a refused save found. */
export function newPartnerPage(
  { req, reply }: R,
  o: { values: PartnerFormValues; outlets: { id: string; name: string }[]; error?: AppError; duplicates?: Duplicate[] },
) {
  const l = req.locale
  const v = o.values
  return sendPage(
    req,
    reply,
    { title: t(l, 'partners.console.new'), shell: 'console', current: 'partners', head: REGISTRY_HEAD, status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/doi-tac">← {t(l, 'partners.console.title')}</a>
      </p>
      <h1>{t(l, 'partners.console.new')}</h1>
      <nav class="subnav" aria-label={t(l, 'partners.console.field.kind')}>
        {PARTNER_KINDS.map((k) => (
          <a href={`/console/doi-tac/moi?kind=${k}`} aria-current={v.kind === k ? 'page' : undefined}>
            {t(l, `partners.kind.${k}`)}
          </a>
        ))}
      </nav>
      <FormError l={l} error={o.error} />
      <DuplicateList l={l} duplicates={o.duplicates ?? []} />
      <PostForm req={req} reply={reply} action="/console/doi-tac/moi" cls="stack card">
        <input type="hidden" name="kind" value={v.kind} />
        <PartnerFields l={l} v={v} outlets={o.outlets} withChannel />
        <p class="small muted">{t(l, 'partners.console.hint.keys')}</p>
        <div class="row">
          <button type="submit">{t(l, 'partners.console.create')}</button>
        </div>
      </PostForm>
    </>,
  )
}

/** Groups of near-duplicate records, each member linked (the merge form is on the detail page). */
export function nearDuplicatesPage({ req, reply }: R, o: { groups: { reason: NearDuplicateReason; members: Candidate[] }[] }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'partners.console.nearDuplicates'), shell: 'console', current: 'partners', head: REGISTRY_HEAD },
    <>
      <p class="small">
        <a href="/console/doi-tac">← {t(l, 'partners.console.title')}</a>
      </p>
      <h1>{t(l, 'partners.console.nearDuplicates')}</h1>
      <p class="muted">{t(l, 'partners.console.nearDuplicatesIntro')}</p>
      {o.groups.length === 0 ? <p class="card muted">{t(l, 'partners.console.noNearDuplicates')}</p> : null}
      {o.groups.map((g) => (
        <section class="card" data-group={g.reason}>
          <h2 style="margin-top:0" class="small">
            {t(l, `partners.console.nearReason.${g.reason}`)}
          </h2>
          <ul>
            {g.members.map((m) => (
              <li>
                <a href={`/console/doi-tac/${m.id}#merge`}>{m.name}</a> <StatusBadge l={l} status={m.status} />{' '}
                <span class="small muted">{[m.outletName, m.phone, m.email].filter(Boolean).join(' · ')}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>,
  )
}
