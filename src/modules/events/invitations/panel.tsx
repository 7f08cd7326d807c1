/**
 * The invitations block of the staff event page (`/console/su-kien/:id`): counts per answer,
 * seats taken of the capacity, every invitation with its answer and companion, and the buttons
 * "Gửi giấy mời" (announced events, 'edit') and "Gửi cập nhật" (when invitees hold an older
 * SEQUENCE). The event page renders it; the buttons post to this part's routes. Each live
 * invitation of an announced event has "Rút lời mời" (a reason, then POST to the afterwards
 * part's /console/su-kien/:id/moi/:invitationId/rut).
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { CsrfField, formatTime } from '../../../platform/html/layout.tsx'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import { WithdrawForm } from '../afterwards/afterwards.pages.tsx'
import type { EventRow } from './invitations.mail.ts'
import { invitationsOfEvent } from './invitations.queries.ts'

/** The panel, or null when the viewer may not read events. */
export async function invitationsPanel(req: FastifyRequest, reply: FastifyReply, event: EventRow): Promise<SafeHtml | null> {
  const actor = req.actor
  const subject = { type: 'event', tenantId: event.tenantId, record: event }
  if (!actor || actor.tenantId !== event.tenantId || !can(actor, 'read', subject)) return null
  const l = req.locale
  const { rows, counts } = await invitationsOfEvent(req.server.ctx.database.db, event)
  const mayEdit = can(actor, 'edit', subject)
  const base = `/console/su-kien/${event.id}`
  const mayWithdraw = mayEdit && event.state === 'announced'
  return (
    <section id="invitations" class="evinv-panel">
      <h2>{t(l, 'evinv.panel.title')}</h2>
      <p data-counts>{t(l, 'evinv.panel.counts', { ...counts })}</p>
      <p data-seats>
        {event.capacity === null
          ? t(l, 'evinv.panel.seatsNoLimit', { taken: counts.seatsTaken })
          : t(l, 'evinv.panel.seats', { taken: counts.seatsTaken, capacity: event.capacity })}
      </p>
      {mayEdit ? (
        event.state === 'announced' ? (
          <div class="actions">
            <form method="post" action={`${base}/moi`}>
              <CsrfField req={req} reply={reply} />
              <button type="submit">{t(l, 'evinv.panel.invite')}</button> <span class="small muted">{t(l, 'evinv.panel.inviteHelp')}</span>
            </form>
          </div>
        ) : event.state === 'draft' ? (
          <p class="small muted">{t(l, 'evinv.panel.notAnnounced')}</p>
        ) : null
      ) : null}
      {mayEdit && counts.behind > 0 && (event.state === 'announced' || event.state === 'cancelled') ? (
        <form method="post" action={`${base}/gui-cap-nhat`}>
          <CsrfField req={req} reply={reply} />
          <p class="small">{t(l, 'evinv.panel.behind', { n: counts.behind })}</p>
          <button type="submit">{t(l, 'evinv.panel.update')}</button>
        </form>
      ) : null}
      {rows.length === 0 ? (
        <p class="muted">{t(l, 'evinv.panel.none')}</p>
      ) : (
        <table class="table">
          <thead>
            <tr>
              <th>{t(l, 'evinv.panel.partner')}</th>
              <th>{t(l, 'evinv.panel.answer')}</th>
              <th>{t(l, 'evinv.panel.companion')}</th>
              <th>{t(l, 'evinv.panel.answeredAt')}</th>
              <th>{t(l, 'evinv.panel.mailed')}</th>
              {mayWithdraw ? <th>{t(l, 'evafterwards.withdraw.action')}</th> : null}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-invitation={r.id}>
                <td>
                  <a href={`/console/doi-tac/${r.partnerId}`}>{r.partnerName}</a>
                </td>
                <td data-state={r.state}>{t(l, `evinv.state.${r.state}`)}</td>
                <td>{r.companionName ? `${r.companionName}${r.companionRole ? ` (${r.companionRole})` : ''}` : '—'}</td>
                <td>{formatTime(r.respondedAt, l)}</td>
                <td>{r.sequenceSent === null ? '—' : `#${r.sequenceSent}`}</td>
                {mayWithdraw ? (
                  <td>
                    {r.state === 'withdrawn' ? null : (
                      <details>
                        <summary>{t(l, 'evafterwards.withdraw.action')}</summary>
                        <WithdrawForm req={req} reply={reply} eventId={event.id} invitationId={r.id} />
                      </details>
                    )}
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  )
}
