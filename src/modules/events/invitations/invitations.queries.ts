/** Reads of invitations: the staff panel's list and counts, the partner's own invitations. */
import { and, asc, desc, eq, ne, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { partners } from '../../partners/partners.tables.ts'
import { eventInvitations, events, type InvitationState } from '../events.tables.ts'
import { UUID_RE } from './commands/lock-event.ts'
import type { EventRow } from './invitations.mail.ts'

/** One invitation as the staff panel shows it. */
export interface PanelInvitation {
  id: string
  partnerId: string
  partnerName: string
  state: InvitationState
  companionName: string | null
  companionRole: string | null
  respondedAt: Date | null
  sequenceSent: number | null
}

/** Counts per answer, seats taken (companions included) and invitees holding an older copy. */
export interface InvitationCounts extends Record<InvitationState, number> {
  seatsTaken: number
  behind: number
}

/** The invitations of an event (waiting list in order, then by name) and their counts. */
export async function invitationsOfEvent(db: Db | Tx, event: EventRow): Promise<{ rows: PanelInvitation[]; counts: InvitationCounts }> {
  const rows = await db
    .select({
      id: eventInvitations.id,
      partnerId: eventInvitations.partnerId,
      partnerName: partners.name,
      state: eventInvitations.state,
      companionName: eventInvitations.companionName,
      companionRole: eventInvitations.companionRole,
      respondedAt: eventInvitations.respondedAt,
      sequenceSent: eventInvitations.sequenceSent,
      waitlistedAt: eventInvitations.waitlistedAt,
      email: partners.email,
    })
    .from(eventInvitations)
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .where(and(eq(eventInvitations.tenantId, event.tenantId), eq(eventInvitations.eventId, event.id)))
    .orderBy(asc(eventInvitations.waitlistedAt), sql`fold_vi(${partners.name})`, asc(eventInvitations.id))
  const counts: InvitationCounts = { invited: 0, yes: 0, no: 0, maybe: 0, waitlisted: 0, withdrawn: 0, seatsTaken: 0, behind: 0 }
  for (const r of rows) {
    counts[r.state]++
    if (r.state === 'yes') counts.seatsTaken += r.companionName ? 2 : 1
    // The same rule as `sendEventUpdates`: who it would mail now.
    if (r.state !== 'withdrawn' && r.email?.trim() && (r.sequenceSent ?? -1) < event.sequence) counts.behind++
  }
  return { rows: rows.map(({ waitlistedAt: _w, email: _e, ...r }) => r), counts }
}

/** One of the partner's invitations with its event. */
export interface OwnInvitation {
  invitation: typeof eventInvitations.$inferSelect
  event: EventRow
}

/** The partner's invitations (drafts never show), the coming ones first, then the past. */
export async function invitationsOfPartner(db: Db | Tx, tenantId: string, partnerId: string): Promise<OwnInvitation[]> {
  const rows = await db
    .select({ invitation: eventInvitations, event: events })
    .from(eventInvitations)
    .innerJoin(events, eq(events.id, eventInvitations.eventId))
    .where(
      and(
        eq(eventInvitations.tenantId, tenantId),
        eq(eventInvitations.partnerId, partnerId),
        ne(eventInvitations.state, 'withdrawn'),
        ne(events.state, 'draft'),
      ),
    )
    .orderBy(desc(sql`${events.endsAt} > ${now()}`), asc(events.startsAt))
    .limit(200)
  return rows
}

/** One invitation of the partner, or null (missing, another partner's, a draft, withdrawn: all alike). */
export async function ownInvitation(db: Db | Tx, tenantId: string, partnerId: string, eventId: string): Promise<OwnInvitation | null> {
  if (!UUID_RE.test(eventId)) return null
  const [row] = await db
    .select({ invitation: eventInvitations, event: events })
    .from(eventInvitations)
    .innerJoin(events, eq(events.id, eventInvitations.eventId))
    .where(
      and(
        eq(eventInvitations.tenantId, tenantId),
        eq(eventInvitations.partnerId, partnerId),
        eq(eventInvitations.eventId, eventId),
        ne(eventInvitations.state, 'withdrawn'),
        ne(events.state, 'draft'),
      ),
    )
  return row ?? null
}
