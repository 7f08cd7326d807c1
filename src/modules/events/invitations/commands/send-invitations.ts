import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { ensureBuiltinLists, resolveRecipients } from '../../../distribution/lists/recipients.ts'
import { eventInvitations, eventLists } from '../../events.tables.ts'
import { organizerOf, queueEventMail } from '../invitations.mail.ts'
import { lockEvent } from './lock-event.ts'

/** What an invitation round did. */
export interface InvitationRound {
  /** Partners the lists reach now (accredited only). */
  reached: number
  /** Invitations created by this round. */
  invited: number
  /** Of those, mailed (the others have no e-mail address and see it in the portal only). */
  mailed: number
  /** Partners invited before (nothing sent again). */
  alreadyInvited: number
}

/**
 * Sends the invitations of an announced event: the event's lists are resolved now
 * (`resolveRecipients`: accredited partners only), one invitation row is written per partner
 * (the unique (event, partner) pair makes a duplicate impossible, so a second round reaches only
 * partners new to the lists), and each new invitee with an address gets the bilingual mail with
 * the REQUEST calendar file at the event's SEQUENCE, recorded as `sequence_sent`. Mails, rows
 * and the audit row (counts) share `tx`. The caller has checked 'edit' on the event.
 */
export async function sendInvitations(o: {
  tx: Tx
  /** Tenant of the event. */
  tenantId: string
  eventId: string
  /** Who sends them (audit). */
  actor: AuditActor
  ip?: string | null
}): Promise<InvitationRound> {
  const { tx, tenantId } = o
  const event = await lockEvent(tx, tenantId, o.eventId)
  if (event.state !== 'announced') throw new AppError('EVENT_NOT_ANNOUNCED')
  if (event.startsAt.getTime() <= now().getTime()) throw new AppError('EVENT_CLOSED')
  const lists = await tx
    .select({ id: eventLists.listId })
    .from(eventLists)
    .where(and(eq(eventLists.tenantId, tenantId), eq(eventLists.eventId, event.id)))
  // The yearly partner conference invites every partner: without lists of its own, it goes to
  // both builtin lists (all accredited press, all accredited influencers).
  const listIds =
    lists.length === 0 && event.kind === 'annual_partner_conference'
      ? Object.values(await ensureBuiltinLists(tx, tenantId))
      : lists.map((l) => l.id)
  const { included } = await resolveRecipients(tx, tenantId, listIds)
  const round: InvitationRound = { reached: included.length, invited: 0, mailed: 0, alreadyInvited: 0 }
  if (included.length > 0) {
    const at = now()
    const created = await tx
      .insert(eventInvitations)
      .values(included.map((r) => ({ tenantId, eventId: event.id, partnerId: r.partnerId, invitedAt: at })))
      .onConflictDoNothing({ target: [eventInvitations.eventId, eventInvitations.partnerId] })
      .returning({ id: eventInvitations.id, partnerId: eventInvitations.partnerId })
    round.invited = created.length
    round.alreadyInvited = included.length - created.length
    const byPartner = new Map(included.map((r) => [r.partnerId, r]))
    const organizer = await organizerOf(tx, tenantId)
    const mailedIds: string[] = []
    for (const inv of created) {
      const r = byPartner.get(inv.partnerId)
      if (!r?.email) continue
      await queueEventMail(tx, { event, invitee: { name: r.name, email: r.email, state: 'invited' }, kind: 'invite', organizer })
      mailedIds.push(inv.id)
    }
    round.mailed = mailedIds.length
    if (mailedIds.length > 0) {
      await tx
        .update(eventInvitations)
        .set({ sequenceSent: event.sequence })
        .where(sql`${eventInvitations.id} = ANY(${sql.param(mailedIds)}::uuid[])`)
    }
  }
  await recordAudit(tx, {
    tenantId,
    actor: o.actor,
    action: 'event.invited',
    subjectType: 'event',
    subjectId: event.id,
    summary: { lists: listIds.length, ...round, sequence: event.sequence },
    ip: o.ip ?? null,
  })
  return round
}
