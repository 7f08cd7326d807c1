import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { cleanLine } from '../../../../platform/text-input.ts'
import { partners } from '../../../partners/partners.tables.ts'
import { lockEvent } from '../../commands/load-event.ts'
import { eventInvitations } from '../../events.tables.ts'
import { promoteWaitlisted } from '../../invitations/commands/answer-invitation.ts'
import { UUID_RE } from '../../invitations/commands/lock-event.ts'
import { organizerOf } from '../../invitations/invitations.mail.ts'
import { queueWithdrawalMail } from '../afterwards.mail.ts'

/** What a withdrawal did. */
export interface Withdrawal {
  /** The partner was mailed the cancellation (they have an address). */
  mailed: boolean
  /** Waiting invitations moved to 'yes' by the seats freed. */
  promoted: number
}

/**
 * Withdraws one invitation of an announced event, with a written reason (3–500 characters,
 * kept in the audit log, not sent to the partner): state 'withdrawn', `badge_version` + 1 so
 * every badge token issued for it fails at the door, the partner mailed a METHOD:CANCEL file
 * (same UID, SEQUENCE one above the event's) so the event leaves their calendar, and — when it
 * held seats — the waiting list promoted (`promoteWaitlisted`, earliest first). All in `tx`
 * with the `event.invitation_withdrawn` audit row. Refusals: EVENT_WITHDRAW_REASON,
 * EVENT_INVITATION_NOT_FOUND (not this event's), EVENT_ALREADY_WITHDRAWN, EVENT_CLOSED.
 */
export async function withdrawInvitation(o: {
  tx: Tx
  tenantId: string
  eventId: string
  invitationId: string
  /** Why (staff's words; audit only). */
  reason: string
  actor: AuditActor
  ip?: string | null
}): Promise<Withdrawal> {
  const { tx, tenantId } = o
  const reason = cleanLine(o.reason, 1000)
  if (reason.length < 3 || reason.length > 500) throw new AppError('EVENT_WITHDRAW_REASON')
  const event = await lockEvent(tx, tenantId, o.eventId)
  if (!UUID_RE.test(o.invitationId)) throw new AppError('EVENT_INVITATION_NOT_FOUND')
  const [row] = await tx
    .select({ inv: eventInvitations, name: partners.name, email: partners.email })
    .from(eventInvitations)
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .where(and(eq(eventInvitations.id, o.invitationId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.tenantId, tenantId)))
    .for('update', { of: eventInvitations })
  if (!row) throw new AppError('EVENT_INVITATION_NOT_FOUND')
  if (row.inv.state === 'withdrawn') throw new AppError('EVENT_ALREADY_WITHDRAWN')
  if (event.state !== 'announced') throw new AppError('EVENT_CLOSED')

  const sequence = event.sequence + 1
  const email = row.email?.trim() || null
  await tx
    .update(eventInvitations)
    .set({
      state: 'withdrawn',
      badgeVersion: row.inv.badgeVersion + 1,
      waitlistedAt: null,
      ...(email ? { sequenceSent: sequence } : {}),
    })
    .where(eq(eventInvitations.id, row.inv.id))
  if (email) {
    const organizer = await organizerOf(tx, tenantId)
    await queueWithdrawalMail(tx, { event, to: { name: row.name, email }, organizer, sequence })
  }
  await recordAudit(tx, {
    tenantId,
    actor: o.actor,
    action: 'event.invitation_withdrawn',
    subjectType: 'event',
    subjectId: event.id,
    summary: { invitationId: row.inv.id, partnerId: row.inv.partnerId, from: row.inv.state, reason, mailed: email !== null },
    ip: o.ip ?? null,
  })
  // Seats held by a 'yes' go to the waiting list (each promotion mailed and audited).
  const promoted = row.inv.state === 'yes' ? await promoteWaitlisted(tx, event) : 0
  return { mailed: email !== null, promoted }
}
