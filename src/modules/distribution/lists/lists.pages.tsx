/**
 * The lists pages of the console: all lists with who they reach now, the new-list form, and a
 * list's detail with its preview (who receives, who is left out and why, counted per reason),
 * its edit form, static members and archiving. Phone-first: tables scroll, forms stack.
 */
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import { raw, type SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { COMMUNES } from '../../reference/communes.ts'
import { CommuneField } from '../../reference/commune-field.tsx'
import type { ListRule } from '../distribution.types.ts'
import type { ListRow } from './lists.repository.ts'
import { EXCLUSION_REASONS, type Excluded, type Recipient } from './recipients.ts'
import { listName } from './targets.tsx'

const BASE = '/console/phan-phoi/danh-sach'
const HEAD_SCRIPT = '<script src="/assets/commune-picker.js" defer></script>'
/** How many names the preview lists before "… and n more". */
export const PREVIEW_ROWS = 200

/** The form's values as typed. */
export interface ListFormValues {
  kind: 'rule' | 'static'
  name: string
  description: string
  kinds: string[]
  beats: string
  communes: string[]
  outletIds: string[]
}

/** Empty form values. */
export function emptyListForm(kind: 'rule' | 'static' = 'rule'): ListFormValues {
  return { kind, name: '', description: '', kinds: [], beats: '', communes: [], outletIds: [] }
}

/** The message of a refused list form (per field when the refusal names one). */
const messageKey = (e: AppError) =>
  e.code === 'DISTRIBUTION_LIST_INVALID' && typeof e.params.field === 'string' ? `dist.lists.invalid.${e.params.field}` : `errors.${e.code}`

/** A rule in words. */
function ruleText(l: Locale, rule: ListRule, outlets: readonly { id: string; name: string }[]): string {
  const parts: string[] = []
  if (rule.kinds?.length)
    parts.push(t(l, 'dist.lists.rule.kinds', { v: rule.kinds.map((k) => t(l, `dist.lists.kindName.${k}`)).join(', ') }))
  if (rule.beats?.length) parts.push(t(l, 'dist.lists.rule.beats', { v: rule.beats.join(', ') }))
  if (rule.communes?.length)
    parts.push(t(l, 'dist.lists.rule.communes', { v: rule.communes.map((c) => COMMUNES.find((x) => x.code === c)?.name ?? c).join(', ') }))
  if (rule.outletIds?.length)
    parts.push(t(l, 'dist.lists.rule.outlets', { v: rule.outletIds.map((id) => outlets.find((o) => o.id === id)?.name ?? id).join(', ') }))
  return parts.length ? parts.join(' · ') : t(l, 'dist.lists.rule.any')
}

/** /console/phan-phoi/danh-sach */
export function listsPage(
  { req, reply }: R,
  o: { lists: ListRow[]; counts: Map<string, { included: number; excluded: number }>; canManage: boolean; notice?: string },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dist.lists.title'), shell: 'console', current: 'distribution.nav' },
    <>
      <p>
        <a href="/console/phan-phoi">{t(l, 'dist.lists.back')}</a>
      </p>
      <h1>{t(l, 'dist.lists.title')}</h1>
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <p class="muted">{t(l, 'dist.lists.intro')}</p>
      {o.canManage ? (
        <p>
          <a class="button" href={`${BASE}/moi`}>
            {t(l, 'dist.lists.new')}
          </a>
        </p>
      ) : null}
      {o.lists.length === 0 ? (
        <p class="card muted">{t(l, 'dist.lists.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table id="lists">
            <thead>
              <tr>
                <th scope="col">{t(l, 'dist.lists.col.name')}</th>
                <th scope="col">{t(l, 'dist.lists.col.kind')}</th>
                <th scope="col" class="num">
                  {t(l, 'dist.lists.col.included')}
                </th>
                <th scope="col" class="num">
                  {t(l, 'dist.lists.col.excluded')}
                </th>
              </tr>
            </thead>
            <tbody>
              {o.lists.map((x) => {
                const c = o.counts.get(x.id) ?? { included: 0, excluded: 0 }
                return (
                  <tr data-list={x.id}>
                    <td>
                      <a href={`${BASE}/${x.id}`}>{listName(l, x)}</a>
                      {x.archivedAt ? <span class="badge"> {t(l, 'dist.lists.archived')}</span> : null}
                    </td>
                    <td>{t(l, `dist.lists.kind.${x.kind}`)}</td>
                    <td class="num" data-included={String(c.included)}>
                      {c.included.toLocaleString('vi-VN')}
                    </td>
                    <td class="num" data-excluded={String(c.excluded)}>
                      {c.excluded.toLocaleString('vi-VN')}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}

/** The fields of a rule or static list. */
function ListFields({ l, v, outlets }: { l: Locale; v: ListFormValues; outlets: readonly { id: string; name: string }[] }): SafeHtml {
  return (
    <>
      <label>
        {t(l, 'dist.lists.form.name')}
        <input name="name" value={v.name} required maxlength="200" />
      </label>
      <label>
        {t(l, 'dist.lists.form.description')}
        <textarea name="description" maxlength="2000" rows="2">
          {v.description}
        </textarea>
      </label>
      {v.kind === 'rule' ? (
        <fieldset class="stack">
          <p class="hint">{t(l, 'dist.lists.form.ruleHint')}</p>
          <fieldset>
            <legend>{t(l, 'dist.lists.form.kinds')}</legend>
            {(['journalist', 'influencer'] as const).map((k) => (
              <label>
                <input type="checkbox" name="kinds" value={k} checked={v.kinds.includes(k)} /> {t(l, `dist.lists.kindName.${k}`)}
              </label>
            ))}
          </fieldset>
          <label>
            {t(l, 'dist.lists.form.beats')}
            <span class="hint">{t(l, 'dist.lists.form.beatsHint')}</span>
            <input name="beats" value={v.beats} maxlength="2000" />
          </label>
          <CommuneField l={l} label={t(l, 'dist.lists.form.communes')} hint={t(l, 'dist.lists.form.communesHint')} selected={v.communes} />
          {outlets.length ? (
            <label>
              {t(l, 'dist.lists.form.outlets')}
              <select name="outlets" multiple size={String(Math.min(6, outlets.length))}>
                {outlets.map((x) => (
                  <option value={x.id} selected={v.outletIds.includes(x.id)}>
                    {x.name}
                  </option>
                ))}
              </select>
            </label>
          ) : null}
        </fieldset>
      ) : null}
    </>
  )
}

/** /console/phan-phoi/danh-sach/moi */
export function newListPage({ req, reply }: R, o: { values: ListFormValues; outlets: { id: string; name: string }[]; error?: AppError }) {
  const l = req.locale
  const v = o.values
  return sendPage(
    req,
    reply,
    {
      title: t(l, 'dist.lists.new'),
      shell: 'console',
      current: 'distribution.nav',
      status: o.error ? o.error.status : 200,
      head: rawHead(),
    },
    <>
      <p>
        <a href={BASE}>{t(l, 'dist.lists.backToLists')}</a>
      </p>
      <h1>{t(l, 'dist.lists.new')}</h1>
      <FormError l={l} error={o.error} messageKey={messageKey} />
      <form method="get" action={`${BASE}/moi`} class="row">
        <label>
          <input type="radio" name="kind" value="rule" checked={v.kind === 'rule'} /> {t(l, 'dist.lists.form.kindRule')}
        </label>
        <label>
          <input type="radio" name="kind" value="static" checked={v.kind === 'static'} /> {t(l, 'dist.lists.form.kindStatic')}
        </label>
        <button type="submit" class="secondary">
          {t(l, 'dist.lists.form.kind')}
        </button>
      </form>
      <form method="post" action={`${BASE}/moi`} class="stack card">
        <CsrfField req={req} reply={reply} />
        <input type="hidden" name="kind" value={v.kind} />
        <ListFields l={l} v={v} outlets={o.outlets} />
        <button type="submit">{t(l, 'dist.lists.form.create')}</button>
      </form>
    </>,
  )
}

function rawHead(): SafeHtml {
  return raw(HEAD_SCRIPT)
}

/** The detail of a list. */
export interface ListDetailView {
  list: ListRow
  included: Recipient[]
  excluded: Excluded[]
  members: { partner_id: string; name: string; kind: string; status: string; email: string | null }[]
  outlets: { id: string; name: string }[]
  canManage: boolean
  /** The edit form's values (typed ones after a refusal). */
  values: ListFormValues
  error?: AppError
  notice?: string
  q?: string
  found?: { id: string; name: string; kind: string; status: string; email: string | null }[]
  /** Names of other lists (an opted-out reason names the list left). */
  listNames: Map<string, string>
}

/** /console/phan-phoi/danh-sach/:id */
export function listDetailPage({ req, reply }: R, d: ListDetailView) {
  const l = req.locale
  const x = d.list
  const live = !x.archivedAt
  const byReason = new Map<string, number>()
  for (const e of d.excluded) byReason.set(e.reason, (byReason.get(e.reason) ?? 0) + 1)
  const memberIds = new Set(d.members.map((m) => m.partner_id))
  return sendPage(
    req,
    reply,
    { title: listName(l, x), shell: 'console', current: 'distribution.nav', status: d.error ? d.error.status : 200, head: rawHead() },
    <>
      <p>
        <a href={BASE}>{t(l, 'dist.lists.backToLists')}</a>
      </p>
      <h1>
        {listName(l, x)} {x.archivedAt ? <span class="badge">{t(l, 'dist.lists.archived')}</span> : null}
      </h1>
      {d.notice ? <Alert kind="ok">{t(l, d.notice)}</Alert> : null}
      <FormError l={l} error={d.error} messageKey={messageKey} />
      <p class="muted">
        {t(l, `dist.lists.kind.${x.kind}`)}
        {x.kind !== 'static' ? ` · ${ruleText(l, x.rule, d.outlets)}` : ''}
      </p>
      {x.description ? <p>{x.description}</p> : null}
      {x.kind === 'builtin' ? <p class="hint">{t(l, 'dist.lists.builtinHint')}</p> : null}

      <section aria-labelledby="preview-h" id="preview">
        <h2 id="preview-h">{t(l, 'dist.lists.preview.title')}</h2>
        <p>
          <strong id="included-count" data-n={String(d.included.length)}>
            {t(l, 'dist.lists.preview.included', { n: d.included.length.toLocaleString('vi-VN') })}
          </strong>
          {' · '}
          <span id="excluded-count" data-n={String(d.excluded.length)}>
            {t(l, 'dist.lists.preview.excluded', { n: d.excluded.length.toLocaleString('vi-VN') })}
          </span>
        </p>
        {byReason.size ? (
          <ul class="inline" id="reasons">
            {EXCLUSION_REASONS.filter((r) => byReason.has(r)).map((r) => (
              <li data-reason={r} data-n={String(byReason.get(r))}>
                {t(l, `dist.lists.reason.${r}`)}: <strong>{String(byReason.get(r))}</strong>
              </li>
            ))}
          </ul>
        ) : null}
        {d.included.length === 0 ? (
          <p class="card muted">{t(l, 'dist.lists.preview.noneIncluded')}</p>
        ) : (
          <div class="table-wrap">
            <table id="included">
              <thead>
                <tr>
                  <th scope="col">{t(l, 'dist.lists.preview.col.partner')}</th>
                  <th scope="col">{t(l, 'dist.lists.preview.channels')}</th>
                </tr>
              </thead>
              <tbody>
                {d.included.slice(0, PREVIEW_ROWS).map((r) => (
                  <tr data-partner={r.partnerId}>
                    <td>
                      <a href={`/console/doi-tac/${r.partnerId}`}>{r.name}</a>{' '}
                      <span class="muted small">{t(l, `dist.lists.kindName.${r.kind}`)}</span>
                    </td>
                    <td>{channelsText(l, r)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {d.included.length > PREVIEW_ROWS ? (
          <p class="muted">{t(l, 'dist.lists.preview.more', { n: d.included.length - PREVIEW_ROWS })}</p>
        ) : null}
        {d.excluded.length ? (
          <div class="table-wrap">
            <table id="excluded">
              <thead>
                <tr>
                  <th scope="col">{t(l, 'dist.lists.preview.col.partner')}</th>
                  <th scope="col">{t(l, 'dist.lists.preview.col.reason')}</th>
                </tr>
              </thead>
              <tbody>
                {d.excluded.slice(0, PREVIEW_ROWS).map((e) => (
                  <tr data-partner={e.partnerId} data-reason={e.reason}>
                    <td>
                      <a href={`/console/doi-tac/${e.partnerId}`}>{e.name}</a>
                    </td>
                    <td>
                      {t(l, `dist.lists.reason.${e.reason}`)}
                      {e.listId && e.listId !== x.id ? ` (${d.listNames.get(e.listId) ?? ''})` : ''}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
      </section>

      {x.kind === 'static' ? (
        <section aria-labelledby="members-h" id="members">
          <h2 id="members-h">{t(l, 'dist.lists.members.title')}</h2>
          {d.members.length === 0 ? <p class="muted">{t(l, 'dist.lists.members.empty')}</p> : null}
          <ul class="stack">
            {d.members.map((m) => (
              <li data-member={m.partner_id}>
                {m.name} <span class="muted small">{m.email ?? ''}</span>
                {d.canManage && live ? (
                  <form method="post" action={`${BASE}/${x.id}/bo-thanh-vien`} class="inline">
                    <CsrfField req={req} reply={reply} />
                    <input type="hidden" name="partnerId" value={m.partner_id} />
                    <button type="submit" class="secondary small">
                      {t(l, 'dist.lists.members.remove')}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
          {d.canManage && live ? (
            <>
              <form method="get" action={`${BASE}/${x.id}`} class="row">
                <label>
                  {t(l, 'dist.lists.members.search')}
                  <input type="search" name="q" value={d.q ?? ''} maxlength="200" />
                </label>
                <button type="submit">{t(l, 'dist.lists.members.searchButton')}</button>
              </form>
              {d.q !== undefined && d.found ? (
                d.found.length === 0 ? (
                  <p class="muted">{t(l, 'dist.lists.members.noResult')}</p>
                ) : (
                  <ul class="stack" id="found">
                    {d.found.map((p) => (
                      <li>
                        {p.name} <span class="muted small">{p.email ?? ''}</span>
                        {memberIds.has(p.id) ? null : (
                          <form method="post" action={`${BASE}/${x.id}/them-thanh-vien`} class="inline">
                            <CsrfField req={req} reply={reply} />
                            <input type="hidden" name="partnerId" value={p.id} />
                            <button type="submit" class="small">
                              {t(l, 'dist.lists.members.add')}
                            </button>
                          </form>
                        )}
                      </li>
                    ))}
                  </ul>
                )
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}

      {d.canManage && live && x.kind !== 'builtin' ? (
        <>
          <section aria-labelledby="edit-h">
            <h2 id="edit-h">{t(l, 'dist.lists.form.edit')}</h2>
            <form method="post" action={`${BASE}/${x.id}`} class="stack card">
              <CsrfField req={req} reply={reply} />
              <ListFields l={l} v={d.values} outlets={d.outlets} />
              <button type="submit">{t(l, 'dist.lists.form.save')}</button>
            </form>
          </section>
          <form method="post" action={`${BASE}/${x.id}/luu-tru`} class="stack">
            <CsrfField req={req} reply={reply} />
            <p class="hint">{t(l, 'dist.lists.archiveHint')}</p>
            <button type="submit" class="danger">
              {t(l, 'dist.lists.archive')}
            </button>
          </form>
        </>
      ) : null}
    </>,
  )
}

function channelsText(l: Locale, r: Recipient): string {
  const c = [t(l, 'dist.lists.channel.portal')]
  if (r.email && r.emailMode !== 'off') c.push(t(l, `dist.lists.channel.${r.emailMode === 'digest' ? 'digest' : 'email'}`))
  if (r.webhooks.length) c.push(`${t(l, 'dist.lists.channel.webhook')} ×${r.webhooks.length}`)
  return c.join(', ')
}
