import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { events } from '../events.tables.ts'
import { sendEventUpdates } from '../invitations/commands/send-event-updates.ts'
import { lockEvent } from './load-event.ts'

/**
 * Cancels a draft or announced event with a written reason. SEQUENCE grows so the METHOD:CANCEL
 * file sent to invitees supersedes every copy they hold and removes the event from calendars.
 */
export async function cancelEvent(o: { tx: Tx; tenantId: string; actor: AuditActor; id: string; reason: string; ip?: string }) {
  const reason = cleanLine(o.reason, 1000)
  if (reason.length < 3) throw new AppError('EVENT_CANCEL_REASON')
  const ev = await lockEvent(o.tx, o.tenantId, o.id)
  if (ev.state !== 'draft' && ev.state !== 'announced') throw new AppError('EVENT_CLOSED')
  const at = now()
  const sequence = ev.sequence + 1
  const [cancelled] = await o.tx
    .update(events)
    .set({ state: 'cancelled', cancelReason: reason, cancelledAt: at, sequence, updatedAt: at })
    .where(eq(events.id, ev.id))
    .returning()
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.cancelled',
    subjectType: 'event',
    subjectId: ev.id,
    summary: { from: ev.state, reason, sequence },
    ip: o.ip,
  })
  // Invitees get METHOD:CANCEL with the same UID, so the event leaves their calendars.
  if (cancelled) await sendEventUpdates(o.tx, cancelled, { actor: o.actor, ip: o.ip })
  return { id: ev.id, sequence, wasAnnounced: ev.state === 'announced' }
}
