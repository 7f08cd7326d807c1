/**
 * Console pages: dashboard, audit log, mail outbox, and the minimal partner portal.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import { allAuditActions, type ListedAuditEvent } from '../../platform/audit/index.ts'
import { Alert, formatTime, sendPage } from '../../platform/html/layout.tsx'
import type { SafeHtml } from '../../platform/html/jsx-runtime.ts'
import { t } from '../../platform/i18n/index.ts'
import type { mailOutbox } from '../../platform/mail/mail.tables.ts'
import type { WaitingItem } from '../../platform/modules.ts'
import { InboxList } from '../approvals/approvals.pages.tsx'
import type { InboxPerson } from '../approvals/inbox.ts'

type R = { req: FastifyRequest; reply: FastifyReply }

/** What waits on an approver, as the dashboard shows it. */
export interface DashboardApprovals {
  /** Items this person may approve (four-eyes leaves out their own). */
  approvable: number
  /** Every item waiting that they may see. */
  total: number
  /** The oldest few. */
  first: WaitingItem[]
  people: Map<string, InboxPerson>
}

/** The staff dashboard. */
export function dashboardPage(
  { req, reply }: R,
  o: {
    name: string
    role: string
    counts: { users?: number; outboxKept?: number; audit?: number }
    smtp: boolean
    /** Scheduled or embargoed releases whose time has passed without publication. */
    overdue: number
    /** The approvals inbox's figures, for those who approve. */
    approvals?: DashboardApprovals
    /** The press-conference cadence warning (events module), for those who may read events. */
    cadence?: SafeHtml | null
  },
) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'dashboard.title'), shell: 'console', current: 'dashboard' },
    <>
      <h1>{t(l, 'dashboard.hello', { name: o.name })}</h1>
      <p class="muted">
        {t(l, 'dashboard.role')}: {t(l, `role.${o.role}`)}
      </p>
      {o.overdue > 0 ? (
        <Alert kind="error">
          <a href="/console/calendar">{t(l, 'dashboard.overdue', { n: o.overdue })}</a>
        </Alert>
      ) : null}
      {o.cadence ?? null}
      {o.approvals ? (
        <section class="card" id="dashboard-approvals" aria-labelledby="dashboard-approvals-h">
          <h2 id="dashboard-approvals-h" style="margin-top:0">
            <a href="/console/approvals">{t(l, 'approvals.dashboard.title')}</a> <span class="hotline">{o.approvals.approvable}</span>
          </h2>
          {o.approvals.total === 0 ? (
            <p class="muted">{t(l, 'approvals.dashboard.none')}</p>
          ) : (
            <>
              <InboxList l={l} items={o.approvals.first} people={o.approvals.people} />
              <p>
                <a href="/console/approvals">{t(l, 'approvals.dashboard.more', { n: o.approvals.total })}</a>
              </p>
            </>
          )}
        </section>
      ) : null}
      <div class="grid">
        {o.counts.users === undefined ? null : (
          <a class="card" href="/console/users">
            <h2 style="margin-top:0">{t(l, 'nav.users')}</h2>
            <p class="hotline">{o.counts.users}</p>
          </a>
        )}
        {o.counts.audit === undefined ? null : (
          <a class="card" href="/console/audit">
            <h2 style="margin-top:0">{t(l, 'nav.audit')}</h2>
            <p class="hotline">{o.counts.audit}</p>
          </a>
        )}
        {o.counts.outboxKept === undefined ? null : (
          <a class="card" href="/console/outbox">
            <h2 style="margin-top:0">{t(l, 'nav.outbox')}</h2>
            <p class="hotline">{o.counts.outboxKept}</p>
            <p class="small muted">{t(l, o.smtp ? 'outbox.failedHint' : 'outbox.keptHint')}</p>
          </a>
        )}
      </div>
    </>,
  )
}

/** Filters shown on the audit page. */
export interface AuditFilterForm {
  action?: string
  actor?: string
  subject?: string
  /** Words searched in the rows' visible details. */
  q?: string
  from?: string
  to?: string
}

/** The audit log with filters. */
export function auditPage(
  { req, reply }: R,
  o: {
    /** Rows as listed: masked ones (need-to-know) come without details. */
    rows: ListedAuditEvent[]
    filter: AuditFilterForm
    actors: { id: string; email: string }[]
    chain?: { ok: boolean; checked: number; brokenSeq?: number; checkpoints: number; problems: { seq: number; reason: string }[] }
    nextBefore?: number
  },
) {
  const l = req.locale
  const f = o.filter
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v) as [string, string][])
  return sendPage(
    req,
    reply,
    { title: t(l, 'audit.title'), shell: 'console', current: 'audit' },
    <>
      <h1>{t(l, 'audit.title')}</h1>
      {o.chain ? (
        <Alert kind={o.chain.ok ? 'ok' : 'error'}>
          {o.chain.ok
            ? t(l, 'audit.chainOkCheckpoints', { n: o.chain.checked, k: o.chain.checkpoints })
            : o.chain.brokenSeq !== undefined
              ? t(l, 'audit.chainBroken', { seq: o.chain.brokenSeq })
              : t(l, 'audit.checkpointProblems', {
                  list: o.chain.problems.map((p) => `#${p.seq} (${t(l, `audit.problem.${p.reason}`)})`).join(', '),
                })}
        </Alert>
      ) : null}
      <form method="get" action="/console/audit" class="card">
        <div class="row">
          <label>
            {t(l, 'audit.action')}
            <select name="action">
              <option value="">{t(l, 'audit.all')}</option>
              {allAuditActions().map((a) => (
                <option value={a} selected={f.action === a}>
                  {a}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'audit.actor')}
            <select name="actor">
              <option value="">{t(l, 'audit.all')}</option>
              {o.actors.map((a) => (
                <option value={a.id} selected={f.actor === a.id}>
                  {a.email}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t(l, 'audit.subject')}
            <input name="subject" value={f.subject ?? ''} maxlength="40" />
          </label>
          <label>
            {t(l, 'audit.search')}
            <input type="search" name="q" value={f.q ?? ''} maxlength="100" />
          </label>
          <label>
            {t(l, 'audit.from')}
            <input type="date" name="from" value={f.from ?? ''} />
          </label>
          <label>
            {t(l, 'audit.to')}
            <input type="date" name="to" value={f.to ?? ''} />
          </label>
          <button type="submit">{t(l, 'audit.filter')}</button>
        </div>
      </form>
      {o.rows.some((e) => e.masked) ? <p class="small muted">{t(l, 'audit.maskedHint')}</p> : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t(l, 'audit.time')}</th>
              <th scope="col">{t(l, 'audit.actor')}</th>
              <th scope="col">{t(l, 'audit.action')}</th>
              <th scope="col">{t(l, 'audit.subject')}</th>
              <th scope="col">{t(l, 'audit.summary')}</th>
              <th scope="col">IP</th>
            </tr>
          </thead>
          <tbody>
            {o.rows.length === 0 ? (
              <tr>
                <td colspan="7" class="muted">
                  {t(l, 'audit.none')}
                </td>
              </tr>
            ) : null}
            {o.rows.map((e) =>
              e.masked ? (
                <tr class="masked">
                  <td class="mono">{e.seq}</td>
                  <td>{formatTime(e.createdAt, l)}</td>
                  <td>{e.actorRole ? t(l, `role.${e.actorRole}`) : '—'}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>{e.subjectType}</td>
                  <td colspan="2">
                    <span class="badge warn">{t(l, 'audit.masked')}</span>
                  </td>
                </tr>
              ) : (
                <tr>
                  <td class="mono">{e.seq}</td>
                  <td>{formatTime(e.createdAt, l)}</td>
                  <td>{e.actorLabel}</td>
                  <td>
                    <code>{e.action}</code>
                  </td>
                  <td>
                    {e.subjectType}
                    {e.subjectId ? <span class="mono small"> {e.subjectId.slice(0, 8)}</span> : null}
                  </td>
                  <td class="mono small">{JSON.stringify(e.summary).slice(0, 200)}</td>
                  <td class="mono small">{e.ip ?? '—'}</td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      {o.nextBefore ? (
        <p>
          <a href={`/console/audit?${q.toString()}${q.size ? '&' : ''}before=${o.nextBefore}`}>{t(l, 'audit.older')}</a>
        </p>
      ) : null}
    </>,
  )
}

/** The mail outbox (admins): every message, and the kept ones when no SMTP is set. */
export function outboxPage({ req, reply }: R, o: { rows: (typeof mailOutbox.$inferSelect)[]; smtp: boolean }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'outbox.title'), shell: 'console', current: 'outbox' },
    <>
      <h1>{t(l, 'outbox.title')}</h1>
      <Alert kind={o.smtp ? 'ok' : 'warn'}>{t(l, o.smtp ? 'outbox.smtpOn' : 'outbox.smtpOff')}</Alert>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">{t(l, 'outbox.time')}</th>
              <th scope="col">{t(l, 'outbox.to')}</th>
              <th scope="col">{t(l, 'outbox.subject')}</th>
              <th scope="col">{t(l, 'outbox.status')}</th>
            </tr>
          </thead>
          <tbody>
            {o.rows.length === 0 ? (
              <tr>
                <td colspan="4" class="muted">
                  {t(l, 'outbox.none')}
                </td>
              </tr>
            ) : null}
            {o.rows.map((m) => (
              <tr>
                <td>{formatTime(m.createdAt, l)}</td>
                <td>{m.toAddress}</td>
                <td>
                  <a href={`/console/outbox/${m.id}`}>{m.subject}</a>
                </td>
                <td>
                  <span class={`badge ${m.status === 'failed' ? 'admin' : m.status === 'queued' ? 'warn' : 'ok'}`}>
                    {t(l, `outbox.status.${m.status}`)}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>,
  )
}

/** One outbox message, with its text (links clickable for the admin to pass on). */
export function outboxMessagePage({ req, reply }: R, m: typeof mailOutbox.$inferSelect) {
  const l = req.locale
  const parts = m.textBody.split(/(https?:\/\/[^\s]+)/g)
  return sendPage(
    req,
    reply,
    { title: m.subject, shell: 'console', current: 'outbox' },
    <>
      <p>
        <a href="/console/outbox">← {t(l, 'outbox.title')}</a>
      </p>
      <h1>{m.subject}</h1>
      <dl class="kv card">
        <dt>{t(l, 'outbox.to')}</dt>
        <dd>{m.toAddress}</dd>
        <dt>{t(l, 'outbox.time')}</dt>
        <dd>{formatTime(m.createdAt, l)}</dd>
        <dt>{t(l, 'outbox.status')}</dt>
        <dd>{t(l, `outbox.status.${m.status}`)}</dd>
        {m.lastError ? (
          <>
            <dt>{t(l, 'outbox.error')}</dt>
            <dd class="mono">{m.lastError}</dd>
          </>
        ) : null}
      </dl>
      <pre class="mail" id="mail-body">
        {parts.map((p, i) => (i % 2 === 1 ? <a href={p}>{p}</a> : p))}
      </pre>
    </>,
  )
}

/**
 * The partner portal (journalists, influencers): what each may use today, and nothing more.
 * Only journalists read embargoed releases, so only they are told about them.
 */
export function portalPage({ req, reply }: R, o: { name: string; role: string; embargo: boolean }) {
  const l = req.locale
  return sendPage(
    req,
    reply,
    { title: t(l, 'portal.title'), shell: 'console', current: 'portal' },
    <>
      <h1>{t(l, 'portal.title')}</h1>
      <p>{t(l, 'dashboard.hello', { name: o.name })}</p>
      <p class="muted">
        {t(l, 'dashboard.role')}: {t(l, `role.${o.role}`)}
      </p>
      <div class="grid">
        {o.embargo ? (
          <section class="card" id="portal-embargo">
            <h2 style="margin-top:0">
              <a href="/portal/embargo">{t(l, 'portal.embargo')}</a>
            </h2>
            <p>{t(l, 'portal.embargoText')}</p>
          </section>
        ) : null}
        <section class="card" id="portal-news">
          <h2 style="margin-top:0">
            <a href="/tin">{t(l, 'portal.news')}</a>
          </h2>
          <p>{t(l, 'portal.newsText')}</p>
        </section>
        <section class="card" id="portal-factcheck">
          <h2 style="margin-top:0">
            <a href="/kiem-chung">{t(l, 'portal.factcheck')}</a>
          </h2>
          <p>{t(l, 'portal.factcheckText')}</p>
        </section>
      </div>
      <p>
        <a href="/console/account">{t(l, 'nav.account')}</a>
      </p>
    </>,
  )
}
