import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import type { InvitationState } from '../../events.tables.ts'
import { type EventRow, organizerOf, queueEventMail } from '../invitations.mail.ts'

const SYSTEM: AuditActor = { id: null, label: 'system' }

/**
 * Mails the event as it is now to every invitee who has an older copy (`sequence_sent` below the
 * event's `sequence`, or none): a REQUEST with the higher SEQUENCE after a change, or METHOD:CANCEL
 * with STATUS:CANCELLED (same UID) once the event is cancelled, so calendars update or drop it.
 * Records the SEQUENCE sent per invitee and one `event.updates_sent` audit row (counts), in `tx`.
 * Withdrawn invitations and partners without an address get nothing. Idempotent: a second call
 * at the same SEQUENCE finds no one behind and mails nothing (it then writes no audit row).
 *
 * Call it in the transaction that raised `event.sequence` (update, cancel), or later (the
 * staff panel's "Gửi cập nhật"). `event` must be the row as committed in `tx`, ideally locked.
 */
export async function sendEventUpdates(
  tx: Tx,
  event: EventRow,
  o: { actor?: AuditActor; ip?: string | null } = {},
): Promise<{ mailed: number }> {
  const behind = await tx.execute<{ id: string; name: string; email: string; state: InvitationState }>(sql`
    SELECT i.id, p.name, btrim(p.email) AS email, i.state
    FROM event_invitations i
    JOIN partners p ON p.id = i.partner_id AND p.tenant_id = i.tenant_id
    WHERE i.tenant_id = ${event.tenantId} AND i.event_id = ${event.id}
      AND coalesce(i.sequence_sent, -1) < ${event.sequence}
      AND i.state <> 'withdrawn'
      AND nullif(btrim(p.email), '') IS NOT NULL
    ORDER BY i.invited_at, i.id
    FOR UPDATE OF i
  `)
  if (behind.rows.length === 0) return { mailed: 0 }
  const organizer = await organizerOf(tx, event.tenantId)
  const kind = event.state === 'cancelled' ? 'cancel' : 'update'
  for (const r of behind.rows) {
    await queueEventMail(tx, { event, invitee: { name: r.name, email: r.email, state: r.state }, kind, organizer })
  }
  await tx.execute(sql`
    UPDATE event_invitations SET sequence_sent = ${event.sequence}
    WHERE id = ANY(${sql.param(behind.rows.map((r) => r.id))}::uuid[])
  `)
  await recordAudit(tx, {
    tenantId: event.tenantId,
    actor: o.actor ?? SYSTEM,
    action: 'event.updates_sent',
    subjectType: 'event',
    subjectId: event.id,
    summary: { kind, sequence: event.sequence, mailed: behind.rows.length },
    ip: o.ip ?? null,
  })
  return { mailed: behind.rows.length }
}
