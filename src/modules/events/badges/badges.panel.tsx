/**
 * The badge sections: on the partner's event page, the QR code, the short code and the print
 * link of their confirmed invitation; on the staff event page, how many confirmed attendees have
 * a badge and how many were mailed, the print-all link and a compact reissue button per attendee.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { CsrfField, formatTime } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { type EventRow, portalEventPath } from '../invitations/invitations.mail.ts'
import type { OwnInvitation } from '../invitations/invitations.queries.ts'
import { badgeCounts, badgeOf } from './badges.queries.ts'

/** The staff section (`#badges`), or null for a viewer who may not read events or an event with no confirmed attendee. */
export async function badgesConsolePanel(req: FastifyRequest, reply: FastifyReply, event: EventRow): Promise<SafeHtml | null> {
  const actor = req.actor
  const subject = { type: 'event', tenantId: event.tenantId, record: event }
  if (!actor || actor.tenantId !== event.tenantId || !can(actor, 'read', subject)) return null
  if (event.state === 'draft') return null
  const counts = await badgeCounts(req.server.ctx.database.db, event)
  if (counts.confirmed === 0) return null
  const l = req.locale
  const mayEdit = can(actor, 'edit', subject)
  const base = `/console/su-kien/${event.id}`
  return (
    <section id="badges" class="evbadges-panel">
      <h2>{t(l, 'evbadges.panel.title')}</h2>
      <p data-badge-counts>{t(l, 'evbadges.panel.counts', { confirmed: counts.confirmed, issued: counts.issued, sent: counts.sent })}</p>
      {mayEdit && counts.issued > 0 ? (
        <p>
          <a class="button" href={`${base}/the.pdf`} data-print-all>
            {t(l, 'evbadges.panel.printAll')}
          </a>{' '}
          <span class="small muted">{t(l, 'evbadges.panel.printAllHelp')}</span>
        </p>
      ) : null}
      <table class="table compact">
        <thead>
          <tr>
            <th>{t(l, 'evbadges.panel.attendee')}</th>
            <th>{t(l, 'evbadges.panel.code')}</th>
            <th>{t(l, 'evbadges.panel.sentAt')}</th>
            {mayEdit && event.state === 'announced' ? <th /> : null}
          </tr>
        </thead>
        <tbody>
          {counts.rows.map((r) => (
            <tr data-badge-invitation={r.invitationId}>
              <td>{r.partnerName}</td>
              <td>
                <code>{r.code ?? '—'}</code>
              </td>
              <td>{r.sentAt ? formatTime(r.sentAt, l) : '—'}</td>
              {mayEdit && event.state === 'announced' ? (
                <td>
                  <form method="post" action={`${base}/the/${r.invitationId}/cap-lai`} class="inline">
                    <CsrfField req={req} reply={reply} />
                    <button type="submit" class="small" title={t(l, 'evbadges.panel.reissueHelp')}>
                      {t(l, 'evbadges.panel.reissue')}
                    </button>
                  </form>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}

/** The partner's badge (`#badge`), or null unless their invitation of an announced event is confirmed. */
export async function badgePortalPanel(req: FastifyRequest, _reply: FastifyReply, item: OwnInvitation): Promise<SafeHtml | null> {
  const { event, invitation } = item
  if (!req.actor || event.state !== 'announced' || invitation.state !== 'yes') return null
  const badge = await badgeOf(req.server.ctx.database.db, event.tenantId, invitation.id)
  if (!badge) return null
  const l = req.locale
  const path = portalEventPath(event.id)
  return (
    <section id="badge" class="evbadge card">
      <h2>{t(l, 'evbadges.portal.title')}</h2>
      <p class="small muted">{t(l, 'evbadges.portal.help')}</p>
      <p>
        <img
          id="badge-qr"
          src={`${path}/the.png?v=${badge.version}`}
          alt={t(l, 'evbadges.portal.qrAlt')}
          width="300"
          height="300"
          style="image-rendering: pixelated; background: #fff"
        />
      </p>
      <p>
        {t(l, 'evbadges.portal.code')}: <strong data-badge-code={badge.code}>{badge.code}</strong>
      </p>
      <dl>
        <dt>{t(l, 'evbadges.portal.name')}</dt>
        <dd data-badge-name>{badge.partnerName}</dd>
        {badge.outletName ? (
          <>
            <dt>{t(l, 'evbadges.portal.outlet')}</dt>
            <dd>{badge.outletName}</dd>
          </>
        ) : null}
        {badge.companion ? (
          <>
            <dt>{t(l, 'evbadges.portal.companion')}</dt>
            <dd>
              {badge.companion.name}
              {badge.companion.role ? ` (${badge.companion.role})` : ''}
            </dd>
          </>
        ) : null}
      </dl>
      <p>
        <a class="button" href={`${path}/the.pdf`} data-badge-pdf>
          {t(l, 'evbadges.portal.print')}
        </a>
      </p>
      <p class="small muted">{t(l, 'evbadges.portal.notTransferable')}</p>
    </section>
  )
}
