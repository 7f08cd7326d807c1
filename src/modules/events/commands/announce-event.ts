import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { events } from '../events.tables.ts'
import { lockEvent } from './load-event.ts'

/**
 * Announces a draft: a press conference appears on the public schedule, and invitations may
 * go out. An event whose start has passed cannot be announced (it would invite to the past).
 */
export async function announceEvent(o: { tx: Tx; tenantId: string; actor: AuditActor; id: string; ip?: string }) {
  const ev = await lockEvent(o.tx, o.tenantId, o.id)
  if (ev.state !== 'draft') throw new AppError('EVENT_CLOSED')
  const at = now()
  if (ev.startsAt.getTime() <= at.getTime()) throw new AppError('EVENT_CLOSED')
  await o.tx.update(events).set({ state: 'announced', announcedAt: at, updatedAt: at }).where(eq(events.id, ev.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.announced',
    subjectType: 'event',
    subjectId: ev.id,
    summary: { kind: ev.kind, title: ev.title, startsAt: ev.startsAt.toISOString(), sequence: ev.sequence },
    ip: o.ip,
  })
  return { id: ev.id }
}
