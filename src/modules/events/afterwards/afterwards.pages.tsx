/**
 * Pages of the afterwards part: the materials form (inside the event page's panel, and on its
 * own page when a typed value is refused, so nothing typed is lost), the withdrawal form of one
 * invitation, and the attendance report (/console/su-kien/tham-du) with its CSV.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { AppError } from '../../../platform/errors.ts'
import { FormError, type R } from '../../../platform/html/forms.tsx'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { CsrfField, sendPage } from '../../../platform/html/layout.tsx'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { localDay, localFormat } from '../../../platform/time.ts'
import { csvLine, neutralize } from '../../partners/import/export.ts'
import { MATERIAL_KINDS } from '../events.tables.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import type { ReleaseOption, ReportEvent, ReportOutlet } from './afterwards.queries.ts'

/** What the materials form shows again after a refusal. */
export interface MaterialFormValues {
  kind?: string
  title?: string
  url?: string
  releaseId?: string
}

/** The "add a material" form (posts to /console/su-kien/:id/tai-lieu). */
export function MaterialForm({
  req,
  reply,
  event,
  releases,
  values = {},
}: {
  req: FastifyRequest
  reply: FastifyReply
  event: Pick<EventRow, 'id'>
  releases: ReleaseOption[]
  values?: MaterialFormValues
}): SafeHtml {
  const l = req.locale
  const day = localFormat(l, { dateStyle: 'short' })
  return (
    <form method="post" action={`/console/su-kien/${event.id}/tai-lieu`} class="stack" data-material-form>
      <CsrfField req={req} reply={reply} />
      <label>
        {t(l, 'evafterwards.panel.kind')}
        <select name="kind" required>
          {MATERIAL_KINDS.map((k) => (
            <option value={k} selected={(values.kind ?? 'photo') === k}>
              {t(l, `evafterwards.kind.${k}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t(l, 'evafterwards.panel.release')}
        <select name="releaseId">
          <option value="">{t(l, 'evafterwards.panel.chooseRelease')}</option>
          {releases.map((r) => (
            <option value={r.id} selected={values.releaseId === r.id}>
              {r.publishedAt ? `${day.format(r.publishedAt)} · ` : ''}
              {r.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t(l, 'evafterwards.panel.url')}
        <input type="url" name="url" maxlength="2048" value={values.url ?? ''} placeholder="https://" />
      </label>
      <label>
        {t(l, 'evafterwards.panel.materialTitle')}
        <input type="text" name="title" maxlength="300" value={values.title ?? ''} />
        <span class="small muted">{t(l, 'evafterwards.panel.titleHelp')}</span>
      </label>
      <button type="submit">{t(l, 'evafterwards.panel.add')}</button>
    </form>
  )
}

/** The materials form on its own page, with the refusal and the typed values. */
export function materialFormPage(
  { req, reply }: R,
  o: { event: EventRow; releases: ReleaseOption[]; values?: MaterialFormValues; error?: AppError },
): FastifyReply {
  const l = req.locale
  const title = t(l, 'evafterwards.form.title', { title: o.event.title })
  return sendPage(
    req,
    reply,
    { title, shell: 'console', current: 'events.nav', status: o.error?.status },
    <>
      <h1>{title}</h1>
      <FormError l={l} error={o.error} />
      <MaterialForm req={req} reply={reply} event={o.event} releases={o.releases} values={o.values} />
      <p>
        <a href={`/console/su-kien/${o.event.id}#afterwards`}>{t(l, 'evafterwards.form.back')}</a>
      </p>
    </>,
  )
}

/** The withdrawal form of one invitation (the reason is required). */
export function WithdrawForm({
  req,
  reply,
  eventId,
  invitationId,
  reason,
}: {
  req: FastifyRequest
  reply: FastifyReply
  eventId: string
  invitationId: string
  reason?: string
}): SafeHtml {
  const l = req.locale
  return (
    <form method="post" action={`/console/su-kien/${eventId}/moi/${invitationId}/rut`} class="stack" data-withdraw-form>
      <CsrfField req={req} reply={reply} />
      <label>
        {t(l, 'evafterwards.withdraw.reason')}
        <input type="text" name="reason" required minlength="3" maxlength="500" value={reason ?? ''} />
      </label>
      <button type="submit" class="danger">
        {t(l, 'evafterwards.withdraw.confirm')}
      </button>
    </form>
  )
}

/** The withdrawal form on its own page (after a refusal, or opened directly). */
export function withdrawPage(
  { req, reply }: R,
  o: { event: EventRow; invitationId: string; partnerName: string; reason?: string; error?: AppError },
): FastifyReply {
  const l = req.locale
  const title = t(l, 'evafterwards.withdraw.title', { name: o.partnerName })
  return sendPage(
    req,
    reply,
    { title, shell: 'console', current: 'events.nav', status: o.error?.status },
    <>
      <h1>{title}</h1>
      <p>{o.event.title}</p>
      <FormError l={l} error={o.error} />
      <p class="small muted">{t(l, 'evafterwards.withdraw.help')}</p>
      <WithdrawForm req={req} reply={reply} eventId={o.event.id} invitationId={o.invitationId} reason={o.reason} />
      <p>
        <a href={`/console/su-kien/${o.event.id}#invitations`}>{t(l, 'evafterwards.form.back')}</a>
      </p>
    </>,
  )
}

/** A rate for display: "87,5" / "87.5", or "—". */
export function formatRate(rate: number | null, l: Locale): string {
  return rate === null ? '—' : new Intl.NumberFormat(l === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: 1 }).format(rate)
}

/** The name of an outlet row ("KOL / cá nhân" for the group without an outlet). */
function outletName(o: ReportOutlet, l: Locale): string {
  return o.outletId === null ? t(l, 'evafterwards.report.noOutlet') : (o.name ?? '')
}

/** The attendance report over a date range. */
export function attendanceReportPage(
  { req, reply }: R,
  o: { from: string; to: string; events: ReportEvent[]; outlets: ReportOutlet[]; error?: AppError },
): FastifyReply {
  const l = req.locale
  const day = localFormat(l, { dateStyle: 'short' })
  const csv = `/console/su-kien/tham-du?tu=${encodeURIComponent(o.from)}&den=${encodeURIComponent(o.to)}&dinh-dang=csv`
  return sendPage(
    req,
    reply,
    { title: t(l, 'evafterwards.report.title'), shell: 'console', current: 'events.nav', status: o.error?.status },
    <>
      <h1>{t(l, 'evafterwards.report.title')}</h1>
      <FormError l={l} error={o.error} />
      <form method="get" action="/console/su-kien/tham-du" class="row">
        <label>
          {t(l, 'evafterwards.report.from')} <input type="date" name="tu" value={o.from} required />
        </label>
        <label>
          {t(l, 'evafterwards.report.to')} <input type="date" name="den" value={o.to} required />
        </label>
        <button type="submit">{t(l, 'evafterwards.report.show')}</button>
        {o.error ? null : (
          <a href={csv} data-csv>
            {t(l, 'evafterwards.report.csv')}
          </a>
        )}
      </form>
      <p class="small muted">{t(l, 'evafterwards.report.rateHelp')}</p>
      <h2>{t(l, 'evafterwards.report.byEvent')}</h2>
      {o.events.length === 0 ? (
        <p class="muted">{t(l, 'evafterwards.report.none')}</p>
      ) : (
        <table data-report="events">
          <thead>
            <tr>
              <th>{t(l, 'evafterwards.report.event')}</th>
              <th>{t(l, 'evafterwards.report.date')}</th>
              <th>{t(l, 'evafterwards.report.invited')}</th>
              <th>{t(l, 'evafterwards.report.confirmed')}</th>
              <th>{t(l, 'evafterwards.report.attended')}</th>
              <th>{t(l, 'evafterwards.report.walkIns')}</th>
              <th>{t(l, 'evafterwards.report.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {o.events.map((e) => (
              <tr data-event={e.id}>
                <td>
                  <a href={`/console/su-kien/${e.id}`}>{e.title}</a>
                </td>
                <td class="nowrap">{day.format(e.startsAt)}</td>
                <td>{e.invited}</td>
                <td>{e.confirmed}</td>
                <td>{e.attended}</td>
                <td>{e.walkIns}</td>
                <td>{formatRate(e.rate, l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>{t(l, 'evafterwards.report.byOutlet')}</h2>
      {o.outlets.length === 0 ? (
        <p class="muted">{t(l, 'evafterwards.report.none')}</p>
      ) : (
        <table data-report="outlets">
          <thead>
            <tr>
              <th>{t(l, 'evafterwards.report.outlet')}</th>
              <th>{t(l, 'evafterwards.report.events')}</th>
              <th>{t(l, 'evafterwards.report.invitations')}</th>
              <th>{t(l, 'evafterwards.report.confirmed')}</th>
              <th>{t(l, 'evafterwards.report.attended')}</th>
              <th>{t(l, 'evafterwards.report.rate')}</th>
            </tr>
          </thead>
          <tbody>
            {o.outlets.map((x) => (
              <tr data-outlet={x.outletId ?? 'none'}>
                <td>{outletName(x, l)}</td>
                <td>{x.events}</td>
                <td>{x.invitations}</td>
                <td>{x.confirmed}</td>
                <td>{x.attended}</td>
                <td>{formatRate(x.rate, l)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>,
  )
}

/**
 * The report as CSV for Excel: UTF-8 with a BOM (so Vietnamese reads right), one table with a
 * scope column (event rows, then outlet rows), cells that would start a formula neutralised.
 */
export function attendanceReportCsv(l: Locale, o: { events: ReportEvent[]; outlets: ReportOutlet[] }): Buffer {
  const rate = (r: number | null) => (r === null ? '' : String(r))
  const lines = [
    csvLine(
      ['scope', 'name', 'date', 'events', 'invitations', 'confirmed', 'attended', 'walkIns', 'rate'].map((k) =>
        t(l, `evafterwards.report.${k}`),
      ),
    ),
    ...o.events.map((e) =>
      csvLine(
        [
          t(l, 'evafterwards.report.scopeEvent'),
          e.title,
          localDay(e.startsAt),
          '',
          String(e.invited),
          String(e.confirmed),
          String(e.attended),
          String(e.walkIns),
          rate(e.rate),
        ].map(neutralize),
      ),
    ),
    ...o.outlets.map((x) =>
      csvLine(
        [
          t(l, 'evafterwards.report.scopeOutlet'),
          outletName(x, l),
          '',
          String(x.events),
          String(x.invitations),
          String(x.confirmed),
          String(x.attended),
          '',
          rate(x.rate),
        ].map(neutralize),
      ),
    ),
  ]
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lines.join(''), 'utf8')])
}
