/**
 * The "afterwards" section of the staff event page (`/console/su-kien/:id#afterwards`): the
 * "held" button once an announced event has started, the attendance figures, the materials
 * (add, remove) and the send button with how many will receive. Null for drafts and cancelled
 * events, and for a viewer who may not read events.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { CsrfField, formatTime } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { now } from '../../../platform/clock.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import { materialLink } from './afterwards.mail.ts'
import { MaterialForm, formatRate } from './afterwards.pages.tsx'
import { attendanceOf, materialsOf, materialsRecipients, publishedReleaseOptions } from './afterwards.queries.ts'

/** The panel, or null when there is nothing to show. */
export async function materialsPanel(req: FastifyRequest, reply: FastifyReply, event: EventRow): Promise<SafeHtml | null> {
  const actor = req.actor
  const subject = { type: 'event', tenantId: event.tenantId, record: event }
  if (!actor || actor.tenantId !== event.tenantId || !can(actor, 'read', subject)) return null
  if (event.state !== 'announced' && event.state !== 'done') return null
  const db = req.server.ctx.database.db
  const l = req.locale
  const mayEdit = can(actor, 'edit', subject)
  const started = event.startsAt.getTime() <= now().getTime()
  const [figures, materials, recipients, releases] = await Promise.all([
    attendanceOf(db, event),
    materialsOf(db, event),
    mayEdit && started ? materialsRecipients(db, event) : Promise.resolve([]),
    mayEdit ? publishedReleaseOptions(db, event.tenantId) : Promise.resolve([]),
  ])
  const base = `/console/su-kien/${event.id}`
  const attended = recipients.filter((r) => r.attended).length
  const fig: [string, string | number][] = [
    ['invited', figures.invited],
    ['noAnswer', figures.noAnswer],
    ['yes', figures.yes],
    ['no', figures.no],
    ['maybe', figures.maybe],
    ['waitlisted', figures.waitlisted],
    ['checkedIn', figures.checkedIn],
    ['walkIns', figures.walkIns],
    ['companions', figures.companions],
    ['noShows', figures.noShows],
    ['rate', figures.rate === null ? '—' : `${formatRate(figures.rate, l)} %`],
  ]
  return (
    <section id="afterwards" class="evafterwards-panel">
      <h2>{t(l, 'evafterwards.panel.title')}</h2>
      {mayEdit && event.state === 'announced' && started ? (
        <form method="post" action={`${base}/da-dien-ra`} data-held>
          <CsrfField req={req} reply={reply} />
          <button type="submit">{t(l, 'evafterwards.panel.held')}</button>{' '}
          <span class="small muted">{t(l, 'evafterwards.panel.heldHelp')}</span>
        </form>
      ) : null}

      <h3>{t(l, 'evafterwards.panel.figures')}</h3>
      <table class="table" data-figures>
        <tbody>
          {fig.map(([k, v]) => (
            <tr data-figure={k}>
              <th>{t(l, `evafterwards.fig.${k}`)}</th>
              <td>{String(v)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p>
        <a href="/console/su-kien/tham-du">{t(l, 'evafterwards.panel.report')}</a>
      </p>

      <h3>{t(l, 'evafterwards.panel.materials')}</h3>
      {materials.length === 0 ? (
        <p class="muted">{t(l, 'evafterwards.panel.noMaterials')}</p>
      ) : (
        <ul data-materials>
          {materials.map((m) => {
            const link = materialLink(m)
            return (
              <li data-material={m.id}>
                {t(l, `evafterwards.kind.${m.kind}`)}: {link ? <a href={link}>{m.title}</a> : m.title}
                {link ? null : <span class="small muted"> ({t(l, 'evafterwards.panel.releaseGone')})</span>}
                {mayEdit ? (
                  <form method="post" action={`${base}/tai-lieu/${m.id}/xoa`} class="inline">
                    <CsrfField req={req} reply={reply} />
                    <button type="submit" class="link">
                      {t(l, 'evafterwards.panel.remove')}
                    </button>
                  </form>
                ) : null}
              </li>
            )
          })}
        </ul>
      )}
      {mayEdit ? (
        <details>
          <summary>{t(l, 'evafterwards.panel.add')}</summary>
          <MaterialForm req={req} reply={reply} event={event} releases={releases} />
        </details>
      ) : null}

      {mayEdit ? (
        started ? (
          <form method="post" action={`${base}/tai-lieu/gui`} data-send-materials>
            <CsrfField req={req} reply={reply} />
            {event.materialsSentAt ? (
              <p class="small">{t(l, 'evafterwards.panel.sentAt', { at: formatTime(event.materialsSentAt, l) })}</p>
            ) : null}
            <p class="small" data-recipients={recipients.length}>
              {t(l, 'evafterwards.panel.sendCount', { n: recipients.length, attended, absent: recipients.length - attended })}
            </p>
            <button type="submit" disabled={materials.length === 0}>
              {t(l, event.materialsSentAt ? 'evafterwards.panel.sendSupplement' : 'evafterwards.panel.send')}
            </button>
          </form>
        ) : (
          <p class="small muted">{t(l, 'evafterwards.panel.notYet')}</p>
        )
      ) : null}
    </section>
  )
}
