import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { lockEvent } from '../../commands/load-event.ts'
import { eventMaterials } from '../../events.tables.ts'
import { UUID_RE } from '../../invitations/commands/lock-event.ts'

/**
 * Removes a material from an event (not from a cancelled one). Mails already sent keep their
 * links; the next send leaves it out. The deletion and the `event.material_removed` audit row
 * (with what was removed) share `tx`. A material of another event or tenant: EVENT_MATERIAL_NOT_FOUND.
 */
export async function removeMaterial(o: {
  tx: Tx
  tenantId: string
  eventId: string
  materialId: string
  actor: AuditActor
  ip?: string | null
}): Promise<void> {
  const { tx, tenantId } = o
  const event = await lockEvent(tx, tenantId, o.eventId)
  if (event.state === 'cancelled') throw new AppError('EVENT_CLOSED')
  if (!UUID_RE.test(o.materialId)) throw new AppError('EVENT_MATERIAL_NOT_FOUND')
  const [gone] = await tx
    .delete(eventMaterials)
    .where(and(eq(eventMaterials.id, o.materialId), eq(eventMaterials.eventId, event.id), eq(eventMaterials.tenantId, tenantId)))
    .returning()
  if (!gone) throw new AppError('EVENT_MATERIAL_NOT_FOUND')
  await recordAudit(tx, {
    tenantId,
    actor: o.actor,
    action: 'event.material_removed',
    subjectType: 'event',
    subjectId: event.id,
    summary: { materialId: gone.id, kind: gone.kind, title: gone.title, url: gone.url, releaseId: gone.releaseId },
    ip: o.ip ?? null,
  })
}
