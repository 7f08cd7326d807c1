/**
 * The check-in block of the staff event page: counters (confirmed, checked in, walk-ins,
 * conflicts), the link to the door's page and the latest conflicts. Shown for announced and held
 * events to staff who may check people in.
 */
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { SafeHtml } from '../../../platform/html/jsx-runtime.ts'
import { t } from '../../../platform/i18n/index.ts'
import { can } from '../../../platform/policy/index.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import { ConflictLine, CountsLine } from './checkin.pages.tsx'
import { checkinCounts, latestConflicts } from './checkin.queries.ts'

/** The panel, or null (no right to check in, or an event without a door: draft or cancelled). */
export async function checkinPanel(req: FastifyRequest, _reply: FastifyReply, event: EventRow): Promise<SafeHtml | null> {
  const actor = req.actor
  if (!actor || actor.tenantId !== event.tenantId || !can(actor, 'checkin', 'event')) return null
  if (event.state !== 'announced' && event.state !== 'done') return null
  const l = req.locale
  const db = req.server.ctx.database.db
  const [counts, conflicts] = await Promise.all([
    checkinCounts(db, event.tenantId, event.id),
    latestConflicts(db, event.tenantId, event.id, 5),
  ])
  return (
    <section id="checkin-panel" class="checkin-panel">
      <h2>{t(l, 'evcheckin.panel.title')}</h2>
      <CountsLine l={l} counts={counts} />
      <p>
        <a class="button" href={`/console/su-kien/${event.id}/diem-danh`}>
          {t(l, 'evcheckin.panel.open')}
        </a>
      </p>
      {conflicts.length > 0 ? (
        <>
          <h3>{t(l, 'evcheckin.panel.conflicts')}</h3>
          <ul class="checkin-conflicts">
            {conflicts.map((c) => (
              <ConflictLine l={l} c={c} />
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}
