import { and, eq, gt, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { lockEvent } from '../../commands/load-event.ts'
import { eventMaterials, events } from '../../events.tables.ts'
import { organizerOf } from '../../invitations/invitations.mail.ts'
import { materialLink, queueMaterialsMail } from '../afterwards.mail.ts'
import { materialsOf, materialsRecipients } from '../afterwards.queries.ts'

/** What a send did. */
export interface MaterialsRound {
  /** Invitees who came and were thanked. */
  attended: number
  /** Invitees who did not come (whatever they answered). */
  absent: number
  /** Materials listed. */
  materials: number
  /** A later round ("bổ sung"). */
  supplement: boolean
}

/**
 * Sends an event's materials, in one transaction with the audit row: every invitation not
 * withdrawn whose partner may still receive (`materialsRecipients`) gets one bilingual mail
 * with every material as a link — thanks to those checked in, the "could not attend" wording to
 * the others. Marks `materials_sent_at` on each invitation mailed and on the event. Only once the
 * event has started (EVENT_MATERIALS_NOT_YET), with at least one material that still has a link
 * (EVENT_MATERIALS_EMPTY); a later round ("bổ sung", to everyone again) only after a material was
 * added since the last one (EVENT_MATERIALS_NOTHING_NEW). Cancelled or draft: EVENT_CLOSED.
 */
export async function sendMaterials(o: {
  tx: Tx
  tenantId: string
  eventId: string
  actor: AuditActor
  ip?: string | null
}): Promise<MaterialsRound> {
  const { tx, tenantId } = o
  const event = await lockEvent(tx, tenantId, o.eventId)
  if (event.state !== 'announced' && event.state !== 'done') throw new AppError('EVENT_CLOSED')
  const at = now()
  if (event.startsAt.getTime() > at.getTime()) throw new AppError('EVENT_MATERIALS_NOT_YET')
  const materials = (await materialsOf(tx, event))
    .map((m) => ({ kind: m.kind, title: m.title, link: materialLink(m) }))
    .filter((m): m is { kind: typeof m.kind; title: string; link: string } => m.link !== null)
  if (materials.length === 0) throw new AppError('EVENT_MATERIALS_EMPTY')
  const supplement = event.materialsSentAt !== null
  if (event.materialsSentAt) {
    const [fresh] = await tx
      .select({ id: eventMaterials.id })
      .from(eventMaterials)
      .where(
        and(
          eq(eventMaterials.tenantId, tenantId),
          eq(eventMaterials.eventId, event.id),
          gt(eventMaterials.createdAt, event.materialsSentAt),
        ),
      )
      .limit(1)
    if (!fresh) throw new AppError('EVENT_MATERIALS_NOTHING_NEW')
  }
  const recipients = await materialsRecipients(tx, event, true)
  const office = (await organizerOf(tx, tenantId)).name
  const round: MaterialsRound = { attended: 0, absent: 0, materials: materials.length, supplement }
  for (const r of recipients) {
    await queueMaterialsMail(tx, { event, to: { name: r.name, email: r.email }, attended: r.attended, supplement, materials, office })
    if (r.attended) round.attended++
    else round.absent++
  }
  if (recipients.length > 0) {
    await tx.execute(sql`
      UPDATE event_invitations SET materials_sent_at = ${at}
      WHERE id = ANY(${sql.param(recipients.map((r) => r.invitationId))}::uuid[])
    `)
  }
  await tx.update(events).set({ materialsSentAt: at }).where(eq(events.id, event.id))
  await recordAudit(tx, {
    tenantId,
    actor: o.actor,
    action: 'event.materials_sent',
    subjectType: 'event',
    subjectId: event.id,
    summary: { attended: round.attended, absent: round.absent, materials: round.materials, supplement },
    ip: o.ip ?? null,
  })
  return round
}
