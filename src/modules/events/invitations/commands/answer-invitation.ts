import { and, asc, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { partners } from '../../../partners/partners.tables.ts'
import { badgeAfterAnswer, issueBadge } from '../../badges/commands/issue-badge.ts'
import { eventInvitations, type InvitationState } from '../../events.tables.ts'
import { type EventRow, queueEventMail } from '../invitations.mail.ts'
import { lockEvent } from './lock-event.ts'

/** The answers a partner may give. */
export const ANSWERS = ['yes', 'no', 'maybe'] as const
export type Answer = (typeof ANSWERS)[number]

type InvitationRow = typeof eventInvitations.$inferSelect

/** The seats one 'yes' takes: the partner and their companion, if any. */
function seatsOf(r: Pick<InvitationRow, 'companionName'>): number {
  return r.companionName ? 2 : 1
}

/** When answers close: the RSVP deadline, and never after the start. */
export function rsvpClosesAt(event: Pick<EventRow, 'rsvpDeadline' | 'startsAt'>): Date {
  const d = event.rsvpDeadline
  return d && d.getTime() < event.startsAt.getTime() ? d : event.startsAt
}

/** Seats taken by 'yes' answers (companions included), leaving out `exceptId`. */
async function seatsTaken(tx: Tx, event: EventRow, exceptId?: string): Promise<number> {
  const res = await tx.execute<{ n: number }>(sql`
    SELECT coalesce(sum(CASE WHEN companion_name IS NULL THEN 1 ELSE 2 END), 0)::int AS n
    FROM event_invitations
    WHERE tenant_id = ${event.tenantId} AND event_id = ${event.id} AND state = 'yes'
      AND (${exceptId ?? null}::uuid IS NULL OR id <> ${exceptId ?? null}::uuid)
  `)
  return res.rows[0]?.n ?? 0
}

/** What an answer became. */
export interface AnswerOutcome {
  /** The invitation's state now ('waitlisted' when a 'yes' found no seat). */
  state: InvitationState
  /** Invitations moved from the waiting list to 'yes' by the seats this answer freed. */
  promoted: number
}

/**
 * A partner answers their invitation: yes / no / maybe, with an optional companion (name and
 * role, e.g. "quay phim") who takes a seat too. Under the event's lock (seats counted once):
 * - answers close at the RSVP deadline (or the start): EVENT_RSVP_CLOSED; a cancelled or past
 *   event: EVENT_CLOSED; no invitation of this partner (or another tenant's): EVENT_NOT_FOUND;
 * - a 'yes' that would exceed the capacity becomes 'waitlisted' (its place kept by
 *   `waitlisted_at`); a partner already seated who asks for a companion seat that is not there
 *   keeps their seat and is refused (EVENT_RSVP_NO_SEAT);
 * - seats freed (a 'yes' changed, a companion dropped) go to the waiting list, earliest first
 *   and in order (no one is overtaken), each promoted partner mailed.
 * One `event.rsvp` audit row per change (the promotions too), in `tx`.
 */
export async function answerInvitation(o: {
  tx: Tx
  tenantId: string
  eventId: string
  /** The answering partner (from `requirePartner`). */
  partnerId: string
  answer: string
  companionName?: string | null
  companionRole?: string | null
  actor: AuditActor
  ip?: string | null
}): Promise<AnswerOutcome> {
  const { tx } = o
  if (!(ANSWERS as readonly string[]).includes(o.answer)) throw new AppError('EVENT_RSVP_INVALID', { reason: 'answer' })
  const answer = o.answer as Answer
  const companionName = o.companionName?.trim() || null
  const companionRole = o.companionRole?.trim() || null
  if (companionName && companionName.length > 200) throw new AppError('EVENT_RSVP_INVALID', { reason: 'companionName' })
  if (companionRole && companionRole.length > 100) throw new AppError('EVENT_RSVP_INVALID', { reason: 'companionRole' })
  if (companionRole && !companionName) throw new AppError('EVENT_RSVP_INVALID', { reason: 'companionName' })

  const event = await lockEvent(tx, o.tenantId, o.eventId)
  const [inv] = await tx
    .select()
    .from(eventInvitations)
    .where(
      and(eq(eventInvitations.tenantId, o.tenantId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.partnerId, o.partnerId)),
    )
  // Not invited answers like a missing event: whether an event exists is not theirs to learn.
  if (!inv || inv.state === 'withdrawn' || event.state === 'draft') throw new AppError('EVENT_NOT_FOUND')
  if (event.state !== 'announced') throw new AppError('EVENT_CLOSED')
  const at = now()
  if (at.getTime() >= rsvpClosesAt(event).getTime()) throw new AppError('EVENT_RSVP_CLOSED')

  // A companion only comes with a partner who comes (or may come).
  const companion = answer === 'no' ? { companionName: null, companionRole: null } : { companionName, companionRole }
  let state: InvitationState = answer
  let waitlistedAt: Date | null = null
  if (answer === 'yes' && event.capacity !== null) {
    const taken = await seatsTaken(tx, event, inv.id)
    if (taken + seatsOf(companion) > event.capacity) {
      if (inv.state === 'yes') throw new AppError('EVENT_RSVP_NO_SEAT')
      state = 'waitlisted'
      // A partner already waiting keeps their place.
      waitlistedAt = inv.state === 'waitlisted' && inv.waitlistedAt ? inv.waitlistedAt : at
    }
  }
  await tx
    .update(eventInvitations)
    .set({ state, ...companion, respondedAt: at, waitlistedAt })
    .where(eq(eventInvitations.id, inv.id))
  await recordAudit(tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.rsvp',
    subjectType: 'event',
    subjectId: event.id,
    summary: {
      invitationId: inv.id,
      partnerId: o.partnerId,
      from: inv.state,
      to: state,
      answer,
      companion: companion.companionName !== null,
    },
    ip: o.ip ?? null,
  })
  // Entering 'yes' issues the badge (mailed), leaving it makes earlier badge tokens fail.
  await badgeAfterAnswer({ tx, event, invitationId: inv.id, from: inv.state, to: state, actor: o.actor, ip: o.ip })
  const freed = inv.state === 'yes' && (state !== 'yes' || seatsOf(companion) < seatsOf(inv))
  const promoted = freed ? await promoteWaitlisted(tx, event) : 0
  return { state, promoted }
}

/**
 * Moves waiting partners to 'yes' while seats allow, earliest first; stops at the first who does
 * not fit so no one is overtaken. Each is mailed (with the calendar file, ACCEPTED) and audited.
 * The caller holds the event's lock.
 */
export async function promoteWaitlisted(tx: Tx, event: EventRow): Promise<number> {
  if (event.capacity === null || event.state !== 'announced') return 0
  let taken = await seatsTaken(tx, event)
  const waiting = await tx
    .select({ inv: eventInvitations, name: partners.name, email: partners.email })
    .from(eventInvitations)
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .where(
      and(eq(eventInvitations.tenantId, event.tenantId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.state, 'waitlisted')),
    )
    .orderBy(asc(eventInvitations.waitlistedAt), asc(eventInvitations.id))
  let promoted = 0
  for (const w of waiting) {
    const need = seatsOf(w.inv)
    if (taken + need > event.capacity) break
    await tx.update(eventInvitations).set({ state: 'yes', waitlistedAt: null }).where(eq(eventInvitations.id, w.inv.id))
    taken += need
    promoted++
    const email = w.email?.trim()
    if (email) {
      await queueEventMail(tx, { event, invitee: { name: w.name, email, state: 'yes' }, kind: 'promoted' })
      await tx.update(eventInvitations).set({ sequenceSent: event.sequence }).where(eq(eventInvitations.id, w.inv.id))
    }
    await recordAudit(tx, {
      tenantId: event.tenantId,
      actor: { id: null, label: 'system' },
      action: 'event.rsvp',
      subjectType: 'event',
      subjectId: event.id,
      summary: { invitationId: w.inv.id, partnerId: w.inv.partnerId, from: 'waitlisted', to: 'yes', promoted: true, mailed: !!email },
    })
    await issueBadge({ tx, event, invitationId: w.inv.id, actor: { id: null, label: 'system' } })
  }
  return promoted
}
