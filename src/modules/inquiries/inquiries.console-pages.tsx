/**
 * The staff pages of press inquiries: the dashboard and list (`/console/hoi-dap`), logging one
 * received by phone or e-mail, one inquiry with its clock, history and decisions, and the
 * holiday calendar with the clocks (`/console/hoi-dap/ngay-nghi`). A linked sealed case shows
 * its code and title only to readers who see it (`seesCase`); everyone else reads that a case
 * is linked and withheld, and the refusal form proposes "case under investigation".
 */
import type { AppError } from '../../platform/errors.ts'
import { FormError, type R } from '../../platform/html/forms.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { Alert, CsrfField, sendPage } from '../../platform/html/layout.tsx'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { formatDay, localInputValue } from '../../platform/time.ts'
import { MAX_QUESTION, MAX_TOPIC } from './commands/create-inquiry.ts'
import { MIN_EXPLANATION } from './commands/refuse-inquiry.ts'
import type { KindClock } from './inquiries.clock.ts'
import { formatDue } from './inquiries.mail.ts'
import { AnswerBlock, StatusBadge } from './inquiries.portal.tsx'
import type { HolidayRow, InquiryFilter, InquiryStats } from './inquiries.repository.ts'
import {
  CLOCK_UNITS,
  INQUIRY_KINDS,
  INQUIRY_STATUSES,
  type InquiryKind,
  type InquiryRow,
  OPEN_STATUSES,
  REFUSAL_GROUNDS,
} from './inquiries.tables.ts'

/** A person or spokesperson to pick. */
export interface Choice {
  id: string
  label: string
}

/** What the detail page may show of a linked case. */
export type LinkedCase = { visible: true; code: string; title: string; sealed: boolean } | { visible: false; sealed: true } | null

function DueCell({ l, i, at }: { l: Locale; i: InquiryRow; at: Date }): SafeHtml {
  const open = (OPEN_STATUSES as readonly string[]).includes(i.status)
  const late = open && i.dueAt.getTime() < at.getTime()
  return (
    <span data-due={late ? 'overdue' : open ? 'open' : 'closed'}>
      {formatDue(i.dueAt, l)}
      {late ? (
        <>
          {' '}
          <span class="badge" style="background:#b42318;color:#fff">
            {t(l, 'inquiries.overdue')}
          </span>
        </>
      ) : null}
      {open && i.escalatedAt && !late ? (
        <>
          {' '}
          <span class="badge">{t(l, 'inquiries.escalated')}</span>
        </>
      ) : null}
    </span>
  )
}

/** The dashboard and list. */
export function dashboardPage(
  { req, reply }: R,
  o: {
    stats: InquiryStats
    periodDays: number
    rows: InquiryRow[]
    filter: InquiryFilter
    assignees: Choice[]
    partners: Choice[]
    at: Date
    canConfigure: boolean
  },
) {
  const l = req.locale
  const s = o.stats
  const rate = s.closed ? Math.round((s.onTime * 100) / s.closed) : null
  const f = o.filter
  return sendPage(
    req,
    reply,
    { title: t(l, 'inquiries.console.title'), shell: 'console', current: 'inquiries' },
    <>
      <h1>{t(l, 'inquiries.console.title')}</h1>
      <p class="actions">
        <a class="button" href="/console/hoi-dap/moi">
          {t(l, 'inquiries.log')}
        </a>{' '}
        {o.canConfigure ? (
          <a class="button secondary" href="/console/hoi-dap/ngay-nghi">
            {t(l, 'inquiries.calendar.title')}
          </a>
        ) : null}
      </p>
      <div class="grid" data-stats>
        <a class="card" href="/console/hoi-dap?view=due_soon" data-stat="due_soon">
          <strong style="font-size:1.6rem">{String(s.dueSoon)}</strong>
          <br />
          {t(l, 'inquiries.stat.dueSoon')}
        </a>
        <a class="card" href="/console/hoi-dap?view=overdue" data-stat="overdue">
          <strong style="font-size:1.6rem">{String(s.overdue)}</strong>
          <br />
          {t(l, 'inquiries.stat.overdue')}
        </a>
        <div class="card" data-stat="open">
          <strong style="font-size:1.6rem">{String(s.open)}</strong>
          <br />
          {t(l, 'inquiries.stat.open')}
        </div>
        <div class="card" data-stat="on_time">
          <strong style="font-size:1.6rem">{rate === null ? '—' : `${rate}%`}</strong>
          <br />
          {t(l, 'inquiries.stat.onTime', { onTime: s.onTime, closed: s.closed, days: o.periodDays })}
        </div>
      </div>
      <form method="get" action="/console/hoi-dap" class="filters row" aria-label={t(l, 'inquiries.filters')}>
        <label>
          {t(l, 'inquiries.field.status')}
          <select name="status">
            <option value="">{t(l, 'inquiries.any')}</option>
            {INQUIRY_STATUSES.map((x) => (
              <option value={x} selected={f.status === x}>
                {t(l, `inquiries.status.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'inquiries.field.kind')}
          <select name="kind">
            <option value="">{t(l, 'inquiries.any')}</option>
            {INQUIRY_KINDS.map((x) => (
              <option value={x} selected={f.kind === x}>
                {t(l, `inquiries.kind.${x}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'inquiries.field.assignee')}
          <select name="assignee">
            <option value="">{t(l, 'inquiries.any')}</option>
            {o.assignees.map((x) => (
              <option value={x.id} selected={f.assignee === x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t(l, 'inquiries.field.partner')}
          <select name="partner">
            <option value="">{t(l, 'inquiries.any')}</option>
            {o.partners.map((x) => (
              <option value={x.id} selected={f.partnerId === x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" class="secondary">
          {t(l, 'inquiries.filter')}
        </button>
      </form>
      {o.rows.length === 0 ? <p class="muted">{t(l, 'inquiries.console.empty')}</p> : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(l, 'inquiries.field.code')}</th>
              <th scope="col">{t(l, 'inquiries.field.topic')}</th>
              <th scope="col">{t(l, 'inquiries.field.asker')}</th>
              <th scope="col">{t(l, 'inquiries.field.kind')}</th>
              <th scope="col">{t(l, 'inquiries.field.status')}</th>
              <th scope="col">{t(l, 'inquiries.dueAt')}</th>
            </tr>
          </thead>
          <tbody>
            {o.rows.map((i) => (
              <tr data-inquiry={i.code}>
                <td>
                  <a href={`/console/hoi-dap/${i.id}`}>{i.code}</a>
                </td>
                <td>{i.topic}</td>
                <td>{i.askerName}</td>
                <td>{t(l, `inquiries.kind.${i.kind}`)}</td>
                <td>
                  <StatusBadge l={l} status={i.status} />
                </td>
                <td>
                  <DueCell l={l} i={i} at={o.at} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}

/** The form to log an inquiry received by phone or e-mail. */
export function logPage(
  { req, reply }: R,
  o: { partners: Choice[]; cases: Choice[]; error?: AppError; values?: Partial<Record<string, string>> },
) {
  const l = req.locale
  const v = o.values ?? {}
  return sendPage(
    req,
    reply,
    { title: t(l, 'inquiries.log'), shell: 'console', current: 'inquiries', status: o.error?.status },
    <>
      <h1>{t(l, 'inquiries.log')}</h1>
      <FormError l={l} error={o.error} />
      <form method="post" action="/console/hoi-dap" class="stack">
        <CsrfField req={req} reply={reply} />
        <div class="row">
          <label>
            {t(l, 'inquiries.field.channel')}
            <select name="channel">
              <option value="phone" selected={v.channel !== 'email'}>
                {t(l, 'inquiries.channel.phone')}
              </option>
              <option value="email" selected={v.channel === 'email'}>
                {t(l, 'inquiries.channel.email')}
              </option>
            </select>
          </label>
          <label>
            {t(l, 'inquiries.field.kind')}
            <select name="kind">
              {INQUIRY_KINDS.map((k) => (
                <option value={k} selected={(v.kind ?? 'question') === k}>
                  {t(l, `inquiries.kind.${k}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t(l, 'inquiries.field.partner')}
          <span class="hint">{t(l, 'inquiries.hint.partner')}</span>
          <select name="partnerId">
            <option value="">{t(l, 'inquiries.notInRegistry')}</option>
            {o.partners.map((p) => (
              <option value={p.id} selected={v.partnerId === p.id}>
                {p.label}
              </option>
            ))}
          </select>
        </label>
        <div class="row">
          <label>
            {t(l, 'inquiries.field.askerName')}
            <input name="askerName" maxlength="200" value={v.askerName ?? ''} />
          </label>
          <label>
            {t(l, 'inquiries.field.outlet')}
            <input name="askerOutlet" maxlength="200" value={v.askerOutlet ?? ''} />
          </label>
        </div>
        <div class="row">
          <label>
            {t(l, 'inquiries.field.contact')}
            <input name="askerContact" maxlength="200" value={v.askerContact ?? ''} />
          </label>
          <label>
            {t(l, 'field.email')}
            <input name="askerEmail" type="email" maxlength="254" value={v.askerEmail ?? ''} />
          </label>
        </div>
        <label>
          {t(l, 'inquiries.field.topic')}
          <input name="topic" required maxlength={String(MAX_TOPIC)} value={v.topic ?? ''} />
        </label>
        <label>
          {t(l, 'inquiries.field.question')}
          <textarea name="question" required rows="6" maxlength={String(MAX_QUESTION)}>
            {v.question ?? ''}
          </textarea>
        </label>
        <div class="row">
          <label>
            {t(l, 'inquiries.field.caseRef')}
            <input name="caseRef" maxlength={String(MAX_TOPIC)} value={v.caseRef ?? ''} />
          </label>
          <label>
            {t(l, 'inquiries.field.case')}
            <select name="caseId">
              <option value="">{t(l, 'inquiries.noCase')}</option>
              {o.cases.map((c) => (
                <option value={c.id} selected={v.caseId === c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <label>
          {t(l, 'inquiries.field.neededBy')}
          <input type="datetime-local" name="neededBy" value={v.neededBy ?? ''} />
        </label>
        <div class="row">
          <button type="submit">{t(l, 'inquiries.logSubmit')}</button>
        </div>
      </form>
    </>,
  )
}

/** One inquiry for staff: facts, clock, linked case (need-to-know), decisions and history. */
export function detailPage(
  { req, reply }: R,
  o: {
    i: InquiryRow
    linkedCase: LinkedCase
    cases: Choice[]
    spokespersons: Choice[]
    officers: Choice[]
    history: { type: string; actorLabel: string; at: Date }[]
    may: { assign: boolean; answer: boolean; linkCase: boolean }
    publicQuestion: string
    error?: AppError
    notice?: string
    at: Date
  },
) {
  const l = req.locale
  const i = o.i
  const open = (OPEN_STATUSES as readonly string[]).includes(i.status)
  const proposeInvestigation = o.linkedCase?.sealed === true
  return sendPage(
    req,
    reply,
    { title: `${i.code} · ${i.topic}`, shell: 'console', current: 'inquiries', status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/hoi-dap">← {t(l, 'inquiries.console.title')}</a>
      </p>
      <h1>
        {i.code} · {i.topic}
      </h1>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <p>
        <StatusBadge l={l} status={i.status} /> {t(l, `inquiries.kind.${i.kind}`)} · {t(l, `inquiries.channel.${i.channel}`)}
      </p>
      <dl class="kv">
        <dt>{t(l, 'inquiries.field.asker')}</dt>
        <dd>
          {i.askerName}
          {i.askerOutlet ? ` (${i.askerOutlet})` : ''}
          {i.askerEmail ? ` · ${i.askerEmail}` : ''}
          {i.askerContact ? ` · ${i.askerContact}` : ''}
          {i.partnerId ? (
            <>
              {' · '}
              <a href={`/console/doi-tac/${i.partnerId}`}>{t(l, 'inquiries.partnerRecord')}</a>
            </>
          ) : null}
        </dd>
        <dt>{t(l, 'inquiries.receivedAt')}</dt>
        <dd>{formatDue(i.receivedAt, l)}</dd>
        <dt>{t(l, 'inquiries.dueAt')}</dt>
        <dd>
          <DueCell l={l} i={i} at={o.at} />
          <br />
          <span class="small muted">
            {t(l, `inquiries.clockRule.${i.clock.unit}`, { amount: i.clock.amount })}
            {i.clock.movedFrom ? ` ${t(l, 'inquiries.clockMoved', { from: formatDay(i.clock.movedFrom, l) })}` : ''}
          </span>
        </dd>
        {i.neededBy ? (
          <>
            <dt>{t(l, 'inquiries.field.neededBy')}</dt>
            <dd>{formatDue(i.neededBy, l)}</dd>
          </>
        ) : null}
        {i.caseRef ? (
          <>
            <dt>{t(l, 'inquiries.field.caseRef')}</dt>
            <dd>{i.caseRef}</dd>
          </>
        ) : null}
        <dt>{t(l, 'inquiries.field.case')}</dt>
        <dd data-linked-case>
          {o.linkedCase === null
            ? t(l, 'inquiries.noCase')
            : o.linkedCase.visible
              ? `${o.linkedCase.code} — ${o.linkedCase.title}`
              : t(l, 'inquiries.caseWithheld')}
        </dd>
      </dl>
      <section class="card">
        <h2 style="margin-top:0">{t(l, 'inquiries.field.question')}</h2>
        <p style="white-space:pre-wrap">{i.question}</p>
      </section>
      <AnswerBlock l={l} i={i} />
      {open && o.may.assign ? (
        <form method="post" action={`/console/hoi-dap/${i.id}/phan-cong`} class="stack card">
          <CsrfField req={req} reply={reply} />
          <h2 style="margin-top:0">{t(l, 'inquiries.assign')}</h2>
          <div class="row">
            <label>
              {t(l, 'inquiries.field.spokesperson')}
              <select name="spokespersonId">
                <option value="">—</option>
                {o.spokespersons.map((s) => (
                  <option value={s.id} selected={i.assigneeSpokespersonId === s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(l, 'inquiries.field.officer')}
              <select name="userId">
                <option value="">—</option>
                {o.officers.map((u) => (
                  <option value={u.id} selected={i.assigneeUserId === u.id}>
                    {u.label}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <div class="row">
            <button type="submit" class="secondary">
              {t(l, 'inquiries.assignSubmit')}
            </button>
          </div>
        </form>
      ) : null}
      {o.may.linkCase && o.linkedCase?.visible !== false ? (
        <form method="post" action={`/console/hoi-dap/${i.id}/chuyen-an`} class="row card">
          <CsrfField req={req} reply={reply} />
          <label>
            {t(l, 'inquiries.field.case')}
            <select name="caseId">
              <option value="">{t(l, 'inquiries.noCase')}</option>
              {o.cases.map((c) => (
                <option value={c.id} selected={i.caseId === c.id}>
                  {c.label}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" class="secondary">
            {t(l, 'inquiries.linkCase')}
          </button>
        </form>
      ) : null}
      {open && o.may.answer ? (
        <>
          <form method="post" action={`/console/hoi-dap/${i.id}/tra-loi`} class="stack card" data-answer-form>
            <CsrfField req={req} reply={reply} />
            <h2 style="margin-top:0">{t(l, 'inquiries.answerTitle')}</h2>
            <label>
              {t(l, 'inquiries.field.answer')}
              <textarea name="answer" required rows="8" maxlength={String(MAX_QUESTION)} />
            </label>
            <label>
              {t(l, 'inquiries.field.spokesperson')}
              <span class="hint">{t(l, 'inquiries.hint.spokesperson')}</span>
              <select name="spokespersonId" required>
                <option value="">—</option>
                {o.spokespersons.map((s) => (
                  <option value={s.id} selected={i.assigneeSpokespersonId === s.id}>
                    {s.label}
                  </option>
                ))}
              </select>
            </label>
            <label style="display:flex;gap:.5rem;align-items:flex-start">
              <input type="checkbox" name="publish" value="1" />
              <span>{t(l, 'inquiries.field.publish')}</span>
            </label>
            <label>
              {t(l, 'inquiries.field.publicQuestion')}
              <span class="hint">{t(l, i.askerNamePublic ? 'inquiries.hint.namePublic' : 'inquiries.hint.nameHidden')}</span>
              <textarea name="publicQuestion" rows="4" maxlength={String(MAX_QUESTION)}>
                {o.publicQuestion}
              </textarea>
            </label>
            <div class="row">
              <button type="submit">{t(l, 'inquiries.answerSubmit')}</button>
            </div>
          </form>
          <form method="post" action={`/console/hoi-dap/${i.id}/tu-choi`} class="stack card" data-refuse-form>
            <CsrfField req={req} reply={reply} />
            <h2 style="margin-top:0">{t(l, 'inquiries.refuseTitle')}</h2>
            {proposeInvestigation ? <Alert kind="warn">{t(l, 'inquiries.proposeInvestigation')}</Alert> : null}
            <label>
              {t(l, 'inquiries.field.ground')}
              <select name="ground" required>
                <option value="">—</option>
                {REFUSAL_GROUNDS.map((g) => (
                  <option value={g} selected={proposeInvestigation && g === 'under_investigation'}>
                    {t(l, `inquiries.ground.${g}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(l, 'inquiries.field.explanation')}
              <span class="hint">{t(l, 'inquiries.hint.explanation', { min: MIN_EXPLANATION })}</span>
              <textarea name="explanation" required rows="4" maxlength="5000" />
            </label>
            <div class="row">
              <button type="submit" class="danger">
                {t(l, 'inquiries.refuseSubmit')}
              </button>
            </div>
          </form>
        </>
      ) : open ? (
        <p class="muted">{t(l, 'inquiries.whoAnswers')}</p>
      ) : null}
      <section>
        <h2>{t(l, 'inquiries.history')}</h2>
        <ol class="history-list">
          {o.history.map((h) => (
            <li>
              {formatDue(h.at, l)} · {t(l, `inquiries.event.${h.type}`)} · <span class="muted">{h.actorLabel}</span>
            </li>
          ))}
        </ol>
      </section>
    </>,
  )
}

/** The holiday calendar of a year and the kinds' clocks. */
export function calendarPage(
  { req, reply }: R,
  o: { year: number; holidays: HolidayRow[]; clocks: Record<InquiryKind, KindClock>; error?: AppError; notice?: string },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'inquiries.calendar.title'), shell: 'console', current: 'inquiries', status: o.error?.status },
    <>
      <p class="small">
        <a href="/console/hoi-dap">← {t(l, 'inquiries.console.title')}</a>
      </p>
      <h1>{t(l, 'inquiries.calendar.title')}</h1>
      <p class="muted">{t(l, 'inquiries.calendar.intro')}</p>
      <FormError l={l} error={o.error} />
      {o.notice ? <Alert kind="ok">{t(l, o.notice)}</Alert> : null}
      <p class="actions">
        <a href={`/console/hoi-dap/ngay-nghi?year=${o.year - 1}`}>← {String(o.year - 1)}</a> <strong>{String(o.year)}</strong>{' '}
        <a href={`/console/hoi-dap/ngay-nghi?year=${o.year + 1}`}>{String(o.year + 1)} →</a>
      </p>
      <div class="table-wrap">
        <table data-holidays>
          <thead>
            <tr>
              <th scope="col">{t(l, 'inquiries.calendar.day')}</th>
              <th scope="col">{t(l, 'inquiries.calendar.name')}</th>
              <th scope="col">{t(l, 'inquiries.calendar.source')}</th>
              <th scope="col">
                <span class="sr-only">{t(l, 'inquiries.calendar.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {o.holidays.map((h) => (
              <tr data-day={h.day} data-removed={h.removedAt ? '1' : undefined}>
                <td>{h.removedAt ? <s>{formatDay(h.day, l)}</s> : formatDay(h.day, l)}</td>
                <td>{h.name}</td>
                <td>
                  {t(l, `inquiries.calendar.source.${h.source}`)}
                  {h.removedAt ? ` · ${t(l, 'inquiries.calendar.removed')}` : ''}
                </td>
                <td>
                  {h.removedAt ? (
                    <form method="post" action="/console/hoi-dap/ngay-nghi">
                      <CsrfField req={req} reply={reply} />
                      <input type="hidden" name="day" value={h.day} />
                      <input type="hidden" name="name" value={h.name} />
                      <button type="submit" class="small secondary">
                        {t(l, 'inquiries.calendar.restore')}
                      </button>
                    </form>
                  ) : (
                    <form method="post" action="/console/hoi-dap/ngay-nghi/xoa">
                      <CsrfField req={req} reply={reply} />
                      <input type="hidden" name="day" value={h.day} />
                      <button type="submit" class="small secondary">
                        {t(l, 'inquiries.calendar.remove')}
                      </button>
                    </form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form method="post" action="/console/hoi-dap/ngay-nghi" class="stack card">
        <CsrfField req={req} reply={reply} />
        <h2 style="margin-top:0">{t(l, 'inquiries.calendar.add')}</h2>
        <div class="row">
          <label>
            {t(l, 'inquiries.calendar.day')}
            <input type="date" name="day" required />
          </label>
          <label>
            {t(l, 'inquiries.calendar.name')}
            <input name="name" required maxlength="200" />
          </label>
        </div>
        <div class="row">
          <button type="submit">{t(l, 'inquiries.calendar.addSubmit')}</button>
        </div>
      </form>
      <h2>{t(l, 'inquiries.clocks.title')}</h2>
      <p class="muted">{t(l, 'inquiries.clocks.intro')}</p>
      {INQUIRY_KINDS.map((k) => {
        const c = o.clocks[k]
        return (
          <form method="post" action="/console/hoi-dap/ngay-nghi/thoi-han" class="row card" data-clock={k}>
            <CsrfField req={req} reply={reply} />
            <input type="hidden" name="kind" value={k} />
            <strong style="flex-basis:100%">{t(l, `inquiries.kind.${k}`)}</strong>
            <label>
              {t(l, 'inquiries.clocks.amount')}
              <input type="number" name="amount" min="1" max="400" value={String(c.amount)} required />
            </label>
            <label>
              {t(l, 'inquiries.clocks.unit')}
              <select name="unit">
                {CLOCK_UNITS.map((u) => (
                  <option value={u} selected={c.unit === u}>
                    {t(l, `inquiries.unit.${u}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t(l, 'inquiries.clocks.escalate')}
              <input type="number" name="escalatePercent" min="1" max="90" value={String(c.escalatePercent)} required />
            </label>
            <button type="submit" class="secondary">
              {t(l, 'inquiries.clocks.save')}
            </button>
          </form>
        )
      })}
    </>,
  )
}

/** A `datetime-local` value for a form field (re-rendered values). */
export function inputValue(at: Date | null | undefined): string {
  return at ? localInputValue(at) : ''
}
