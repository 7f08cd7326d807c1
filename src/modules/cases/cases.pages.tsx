/**
 * Case pages: the list (sealed cases only for their members and admins), a new case, and one
 * case with its members, stage, clearance (approver members), closing, linked releases and
 * clearance history.
 */
import type { AppError } from '../../platform/errors.ts'
import { Alert, CsrfField, formatTime, sendPage } from '../../platform/html/layout.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { can } from '../../platform/policy/index.ts'
import { FormError, type R } from '../../platform/html/forms.tsx'
import { type Case, type CaseExistence, type CaseMember, type CaseReleaseRow, caseSubject, type LoadedCase } from './cases.repository.ts'
import { BREAK_GLASS_HOURS, BREAK_GLASS_MIN_REASON } from './commands/break-glass.ts'
import { CASE_STAGES } from './cases.tables.ts'

function StateBadge({ l, state }: { l: Locale; state: string }): SafeHtml {
  return <span class={state === 'sealed' ? 'badge admin' : state === 'cleared' ? 'badge ok' : 'badge'}>{t(l, `cases.state.${state}`)}</span>
}

/**
 * The case list; for an admin, the sealed cases they are not in (code, stage, lead: a button
 * per row pre-fills the break-glass form with the code) and the form (re-rendered with its
 * refusal).
 */
export function caseListPage(
  { req, reply }: R,
  o: {
    cases: Case[]
    /** Sealed cases the viewer may know exist but not read (admins). */
    hidden: CaseExistence[]
    brokenGlass: ReadonlySet<string>
    canCreate: boolean
    canBreakGlass: boolean
    breakGlass?: { code: string; reason: string }
    error?: AppError
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'cases.title'), shell: 'console', current: 'cases', status: o.error?.status },
    <>
      <h1>{t(l, 'cases.title')}</h1>
      <p class="muted">{t(l, 'cases.intro')}</p>
      <FormError l={l} error={o.error} />
      {o.canCreate ? (
        <p>
          <a class="button" href="/console/cases/new">
            {t(l, 'cases.new')}
          </a>
        </p>
      ) : null}
      {o.cases.length === 0 ? (
        <p class="muted">{t(l, 'cases.empty')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(l, 'cases.field.code')}</th>
                <th>{t(l, 'cases.field.title')}</th>
                <th>{t(l, 'cases.field.state')}</th>
                <th>{t(l, 'cases.field.stage')}</th>
              </tr>
            </thead>
            <tbody>
              {o.cases.map((c) => (
                <tr>
                  <td>
                    <a href={`/console/cases/${c.id}`}>
                      <code>{c.code}</code>
                    </a>
                  </td>
                  <td>
                    {c.title}
                    <br />
                    <span class="small muted">{c.department}</span>
                  </td>
                  <td>
                    <StateBadge l={l} state={c.state} />
                    {o.brokenGlass.has(c.id) ? (
                      <>
                        {' '}
                        <span class="badge admin">{t(l, 'cases.breakGlass.badge')}</span>
                      </>
                    ) : null}
                  </td>
                  <td>{t(l, `cases.stage.${c.stage}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {o.hidden.length > 0 ? <HiddenCases l={l} hidden={o.hidden} /> : null}
      {o.canBreakGlass ? <BreakGlassForm req={req} reply={reply} values={o.breakGlass} /> : null}
    </>,
  )
}

/**
 * The sealed cases an admin is not in: code, stage and lead officer, no link (the case page
 * answers 404 to them); each row's button opens the break-glass form with the code filled in.
 */
function HiddenCases({ l, hidden }: { l: Locale; hidden: CaseExistence[] }): SafeHtml {
  return (
    <section aria-labelledby="hidden-cases-h" id="hidden-cases">
      <h2 id="hidden-cases-h">{t(l, 'cases.hidden.title')}</h2>
      <p class="small muted">{t(l, 'cases.hidden.intro')}</p>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{t(l, 'cases.field.code')}</th>
              <th>{t(l, 'cases.field.stage')}</th>
              <th>{t(l, 'cases.field.lead')}</th>
              <th>
                <span class="sr-only">{t(l, 'cases.breakGlass.title')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {hidden.map((c) => (
              <tr>
                <td>
                  <code>{c.code}</code> <StateBadge l={l} state="sealed" />
                </td>
                <td>{t(l, `cases.stage.${c.stage}`)}</td>
                <td>{c.lead ?? '—'}</td>
                <td>
                  <a
                    class="button secondary"
                    href={`/console/cases?code=${encodeURIComponent(c.code)}#break-glass`}
                    aria-label={t(l, 'cases.hidden.breakGlassLabel', { code: c.code })}
                  >
                    {t(l, 'cases.hidden.breakGlass')}
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  )
}

/** An admin's break-glass form: the case code and a written reason (the code pre-filled from a hidden case's row). */
function BreakGlassForm({ req, reply, values }: R & { values?: { code: string; reason: string } }): SafeHtml {
  const l = req.locale
  return (
    <form method="post" action="/console/cases/break-glass" class="stack card" id="break-glass">
      <CsrfField req={req} reply={reply} />
      <h2 style="margin-top:0">{t(l, 'cases.breakGlass.title')}</h2>
      <p class="small muted">{t(l, 'cases.breakGlass.hint', { hours: BREAK_GLASS_HOURS })}</p>
      <label>
        {t(l, 'cases.field.code')}
        <input name="code" required maxlength="40" value={values?.code ?? ''} autocomplete="off" />
      </label>
      <label>
        {t(l, 'cases.breakGlass.reason', { min: BREAK_GLASS_MIN_REASON })}
        <textarea
          name="reason"
          rows="3"
          required
          minlength={String(BREAK_GLASS_MIN_REASON)}
          maxlength="2000"
          autofocus={!!values?.code && !values.reason}
        >
          {values?.reason ?? ''}
        </textarea>
      </label>
      <div class="row">
        <button type="submit" class="secondary">
          {t(l, 'cases.breakGlass.submit')}
        </button>
      </div>
    </form>
  )
}

/** Values of the new-case form. */
export interface NewCaseValues {
  code: string
  title: string
  department: string
  leadOfficerId: string
  secrecyGround: string
}

/** The new-case form. */
export function newCasePage({ req, reply }: R, o: { values: NewCaseValues; leads: { id: string; label: string }[]; error?: AppError }) {
  const l = req.locale
  const v = o.values
  return sendPage(
    req,
    reply,
    { title: t(l, 'cases.new'), shell: 'console', current: 'cases', status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/cases">← {t(l, 'cases.title')}</a>
      </p>
      <h1>{t(l, 'cases.new')}</h1>
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/cases/new" class="stack card">
        <CsrfField req={req} reply={reply} />
        <div class="row">
          <label>
            {t(l, 'cases.field.code')}
            <input name="code" required maxlength="40" value={v.code} autocomplete="off" />
          </label>
          <label>
            {t(l, 'cases.field.department')}
            <input name="department" required maxlength="200" value={v.department} />
          </label>
        </div>
        <label>
          {t(l, 'cases.field.title')}
          <input name="title" required maxlength="300" value={v.title} />
        </label>
        <label>
          {t(l, 'cases.field.lead')}
          <select name="leadOfficerId" required>
            <option value="">{t(l, 'releases.choose')}</option>
            {o.leads.map((u) => (
              <option value={u.id} selected={v.leadOfficerId === u.id}>
                {u.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'cases.field.ground')}
          <span class="hint">{t(l, 'cases.hint.ground')}</span>
          <input name="secrecyGround" required maxlength="500" value={v.secrecyGround} />
        </label>
        <div class="row">
          <button type="submit">{t(l, 'cases.create')}</button>
        </div>
      </form>
    </>,
  )
}

/** The break-glass badge of a member, with the reason and the expiry: the circle sees who broke the glass. */
function BreakGlassNote({ l, member, lapsed = false }: { l: Locale; member: CaseMember; lapsed?: boolean }): SafeHtml {
  return (
    <>
      {' '}
      <span class="badge admin">{t(l, 'cases.breakGlass.badge')}</span>{' '}
      <span class="small">
        {t(l, lapsed ? 'cases.breakGlass.expiredUntil' : 'cases.breakGlass.until', { at: formatTime(member.expiresAt, l) })}
      </span>
      <br />
      <span class="small muted">{member.reason}</span>
    </>
  )
}

/** One case. */
export function casePage(
  { req, reply }: R,
  o: { loaded: LoadedCase; releases: CaseReleaseRow[]; names: Map<string, string>; error?: AppError; notice?: string },
) {
  const l = req.locale
  const actor = req.actor
  const c = o.loaded.case
  const subject = caseSubject(o.loaded)
  const base = `/console/cases/${c.id}`
  const manage = can(actor, 'manage-members', subject)
  return sendPage(
    req,
    reply,
    { title: `${c.code} · ${c.title}`, shell: 'console', current: 'cases', status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/cases">← {t(l, 'cases.title')}</a>
      </p>
      <h1>
        <code>{c.code}</code> · {c.title}
      </h1>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      {c.state === 'sealed' ? <Alert kind="warn">{t(l, 'cases.sealedNote', { ground: c.secrecyGround })}</Alert> : null}
      <dl class="kv card">
        <dt>{t(l, 'cases.field.state')}</dt>
        <dd>
          <StateBadge l={l} state={c.state} />
        </dd>
        <dt>{t(l, 'cases.field.stage')}</dt>
        <dd>{t(l, `cases.stage.${c.stage}`)}</dd>
        <dt>{t(l, 'cases.field.department')}</dt>
        <dd>{c.department}</dd>
        <dt>{t(l, 'cases.field.lead')}</dt>
        <dd>{c.leadOfficerId ? (o.names.get(c.leadOfficerId) ?? '—') : '—'}</dd>
        <dt>{t(l, 'cases.field.ground')}</dt>
        <dd>{c.secrecyGround}</dd>
        <dt>{t(l, 'cases.field.created')}</dt>
        <dd>{formatTime(c.createdAt, l)}</dd>
      </dl>

      <h2>{t(l, 'cases.members')}</h2>
      <ul>
        {o.loaded.members.map((m) => (
          <li>
            {m.name || m.email}{' '}
            <span class="small muted">
              ({m.email} · {t(l, `role.${m.role}`)})
            </span>
            {m.userId === c.leadOfficerId ? <span class="badge ok">{t(l, 'cases.leadBadge')}</span> : null}
            {m.via === 'break_glass' ? <BreakGlassNote l={l} member={m} /> : null}
            {manage && m.userId !== c.leadOfficerId ? (
              <form method="post" action={`${base}/members/${m.userId}/remove`} style="display:inline">
                <CsrfField req={req} reply={reply} />{' '}
                <button type="submit" class="secondary">
                  {t(l, 'cases.removeMember')}
                </button>
              </form>
            ) : null}
          </li>
        ))}
      </ul>
      {o.loaded.lapsedBreakGlass.length > 0 ? (
        <>
          <h3>{t(l, 'cases.breakGlass.lapsed')}</h3>
          <ul>
            {o.loaded.lapsedBreakGlass.map((m) => (
              <li>
                {m.name || m.email} <span class="small muted">({m.email})</span>
                <BreakGlassNote l={l} member={m} lapsed />
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {manage ? (
        <form method="post" action={`${base}/members`} class="row card">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'cases.addMemberEmail')}
            <input type="email" name="email" required maxlength="254" autocomplete="off" />
          </label>
          <button type="submit">{t(l, 'cases.addMember')}</button>
        </form>
      ) : null}

      {can(actor, 'set-stage', subject) ? (
        <form method="post" action={`${base}/stage`} class="row card">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'cases.field.stage')}
            <select name="stage">
              {CASE_STAGES.map((s) => (
                <option value={s} selected={c.stage === s}>
                  {t(l, `cases.stage.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            {t(l, 'cases.setStage')}
          </button>
        </form>
      ) : null}

      {can(actor, 'clear', subject) ? (
        <form method="post" action={`${base}/clear`} class="stack card">
          <CsrfField req={req} reply={reply} />
          <h2 style="margin-top:0">{t(l, 'cases.clearTitle')}</h2>
          <p class="small muted">{t(l, 'cases.clearHint')}</p>
          <label>
            {t(l, 'cases.field.scope')}
            <textarea name="scope" rows="3" required minlength="10" maxlength="2000" />
          </label>
          <label>
            {t(l, 'cases.field.groundLifted')}
            <input name="groundLifted" required minlength="3" maxlength="500" value={c.secrecyGround} />
          </label>
          <div class="row">
            <button type="submit">{t(l, 'cases.clear')}</button>
          </div>
        </form>
      ) : null}

      {can(actor, 'close', subject) ? (
        <form method="post" action={`${base}/close`} class="row card">
          <CsrfField req={req} reply={reply} />
          <p class="small muted">{t(l, 'cases.closeHint')}</p>
          <button type="submit" class="secondary">
            {t(l, 'cases.close')}
          </button>
        </form>
      ) : null}

      <h2>{t(l, 'cases.linkedReleases')}</h2>
      {o.releases.length === 0 ? (
        <p class="muted">{t(l, 'cases.noReleases')}</p>
      ) : (
        <ul>
          {o.releases.map((r) => (
            <li>
              <a href={`/console/releases/${r.id}`}>{r.title}</a> <span class="small muted">({t(l, `releases.status.${r.status}`)})</span>
            </li>
          ))}
        </ul>
      )}

      <h2>{t(l, 'cases.clearances')}</h2>
      {o.loaded.clearances.length === 0 ? (
        <p class="muted">{t(l, 'cases.noClearances')}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t(l, 'releases.col.when')}</th>
                <th>{t(l, 'releases.col.who')}</th>
                <th>{t(l, 'cases.field.scope')}</th>
                <th>{t(l, 'cases.field.groundLifted')}</th>
              </tr>
            </thead>
            <tbody>
              {o.loaded.clearances.map((x) => (
                <tr>
                  <td class="small">{formatTime(x.clearedAt, l)}</td>
                  <td>{o.names.get(x.clearedBy) ?? '—'}</td>
                  <td>{x.scope}</td>
                  <td>{x.groundLifted}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>,
  )
}
