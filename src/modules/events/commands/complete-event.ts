import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { events } from '../events.tables.ts'
import { lockEvent } from './load-event.ts'

/**
 * Records that an announced event took place (state done). Only once it has started: an event
 * cannot be "held" in advance. It stays on the public schedule among the past ones.
 */
export async function completeEvent(o: { tx: Tx; tenantId: string; actor: AuditActor; id: string; ip?: string }) {
  const ev = await lockEvent(o.tx, o.tenantId, o.id)
  const at = now()
  if (ev.state !== 'announced' || ev.startsAt.getTime() > at.getTime()) throw new AppError('EVENT_CLOSED')
  await o.tx.update(events).set({ state: 'done', updatedAt: at }).where(eq(events.id, ev.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.done',
    subjectType: 'event',
    subjectId: ev.id,
    summary: { kind: ev.kind, title: ev.title, startsAt: ev.startsAt.toISOString() },
    ip: o.ip,
  })
  return { id: ev.id }
}
