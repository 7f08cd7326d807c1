/**
 * Reads of badges: one confirmed attendee's badge (`badgeOf`), every badge of an event (the
 * staff's print-all and the panel's counts) and the check of a scanned token
 * (`verifyBadgeToken`, used by the check-in part at the door).
 */
import { and, eq } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { partners, pressOutlets } from '../../partners/partners.tables.ts'
import { eventInvitations, events } from '../events.tables.ts'
import type { EventRow } from '../invitations/invitations.mail.ts'
import { badgeExpiry, badgeKey, badgeSignatureValid, formatBadgeCode, parseBadge, signBadge } from './badge-token.ts'

/** An invitation row. */
export type InvitationRow = typeof eventInvitations.$inferSelect

/** What a badge shows and carries. */
export interface Badge {
  invitationId: string
  eventId: string
  partnerId: string
  /** The signed token the QR code holds. */
  token: string
  /** The short code as people read it (`K7M2-Q9XD`). */
  code: string
  /** The badge version the token carries. */
  version: number
  partnerName: string
  outletName: string | null
  event: { id: string; title: string; startsAt: Date; endsAt: Date; place: string }
  /** The companion (camera operator …) who comes with the partner, if any. */
  companion: { name: string; role: string | null } | null
  /** When the badge was last mailed. */
  sentAt: Date | null
}

/** Events whose badges still stand: announced (and kept once done, for the record). */
function badgeEventState(state: EventRow['state']): boolean {
  return state === 'announced' || state === 'done'
}

const badgeColumns = {
  invitation: eventInvitations,
  event: events,
  partnerName: partners.name,
  outletName: pressOutlets.name,
}

type BadgeRow = { invitation: InvitationRow; event: EventRow; partnerName: string; outletName: string | null }

function badgeFrom(key: Buffer, r: BadgeRow): Badge | null {
  const inv = r.invitation
  if (inv.state !== 'yes' || !inv.badgeCode || !badgeEventState(r.event.state)) return null
  return {
    invitationId: inv.id,
    eventId: r.event.id,
    partnerId: inv.partnerId,
    token: signBadge(key, { invitationId: inv.id, version: inv.badgeVersion, exp: badgeExpiry(r.event.endsAt) }),
    code: formatBadgeCode(inv.badgeCode),
    version: inv.badgeVersion,
    partnerName: r.partnerName,
    outletName: r.outletName,
    event: { id: r.event.id, title: r.event.title, startsAt: r.event.startsAt, endsAt: r.event.endsAt, place: r.event.place },
    companion: inv.companionName ? { name: inv.companionName, role: inv.companionRole } : null,
    sentAt: inv.badgeSentAt,
  }
}

/**
 * The badge of an invitation of `tenantId`, or null when it has none: not confirmed ('yes'), no
 * code yet, or its event is a draft or cancelled. Unchecked access: the caller has already
 * decided the viewer may see this invitation (the partner's own, or staff).
 */
export async function badgeOf(db: Db | Tx, tenantId: string, invitationId: string): Promise<Badge | null> {
  const [row] = await db
    .select(badgeColumns)
    .from(eventInvitations)
    .innerJoin(events, eq(events.id, eventInvitations.eventId))
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
    .where(and(eq(eventInvitations.tenantId, tenantId), eq(eventInvitations.id, invitationId)))
  if (!row) return null
  return badgeFrom(await badgeKey(db, tenantId), row)
}

const collator = new Intl.Collator('vi', { sensitivity: 'base' })

/** Every badge of an event (confirmed attendees with a code), sorted by name in Vietnamese order. */
export async function badgesOfEvent(db: Db | Tx, event: Pick<EventRow, 'id' | 'tenantId'>): Promise<Badge[]> {
  const rows = await db
    .select(badgeColumns)
    .from(eventInvitations)
    .innerJoin(events, eq(events.id, eventInvitations.eventId))
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .leftJoin(pressOutlets, eq(pressOutlets.id, partners.outletId))
    .where(and(eq(eventInvitations.tenantId, event.tenantId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.state, 'yes')))
  const key = await badgeKey(db, event.tenantId)
  return rows
    .map((r) => badgeFrom(key, r))
    .filter((b): b is Badge => b !== null)
    .sort((a, b) => collator.compare(a.partnerName, b.partnerName) || a.invitationId.localeCompare(b.invitationId))
}

/** Counts for the staff panel: confirmed invitations, those with a badge, those whose badge was mailed. */
export async function badgeCounts(db: Db | Tx, event: Pick<EventRow, 'id' | 'tenantId'>) {
  const rows = await db
    .select({ id: eventInvitations.id, code: eventInvitations.badgeCode, sentAt: eventInvitations.badgeSentAt, name: partners.name })
    .from(eventInvitations)
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .where(and(eq(eventInvitations.tenantId, event.tenantId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.state, 'yes')))
  rows.sort((a, b) => collator.compare(a.name, b.name))
  return {
    confirmed: rows.length,
    issued: rows.filter((r) => r.code).length,
    sent: rows.filter((r) => r.sentAt).length,
    rows: rows.map((r) => ({ invitationId: r.id, partnerName: r.name, code: r.code ? formatBadgeCode(r.code) : null, sentAt: r.sentAt })),
  }
}

/** Why a scanned token checks no one in. */
export type BadgeRefusal = 'forged' | 'expired' | 'withdrawn' | 'malformed' | 'other_event'

/** The verdict on a scanned token (a refusal names the invitation and event when they are known). */
export type BadgeVerdict =
  | { ok: true; invitation: InvitationRow; event: EventRow }
  | { ok: false; reason: BadgeRefusal; invitation?: InvitationRow; event?: EventRow }

/**
 * Checks a scanned badge token of `tenantId`, failing closed — the one rule for the door, the
 * tests and any other reader:
 * - `malformed`: not a badge token at all;
 * - `forged`: its MAC is wrong under the tenant's key (an altered invitation, version or expiry);
 * - `other_event` (only when `eventId` is given): a genuine badge of another event, checked
 *   before the rest so the door can name that event;
 * - `expired`: `at` (default now; the check-in passes the time an offline scan was made) is past
 *   the event's end plus the grace (`badgeExpiry`). The event's current end decides, not the
 *   expiry signed in the token: tokens are only minted with the end as it was, so a badge mailed
 *   before the event moved later still opens the door of the moved event;
 * - `withdrawn`: genuine but no longer standing: the invitation is gone or not 'yes', its badge
 *   version has moved on (the answer changed, the badge was reissued), or the event is cancelled.
 * `lock` takes the invitation row FOR UPDATE (the check-in decides under it).
 */
export async function verifyBadgeToken(
  db: Db | Tx,
  tenantId: string,
  token: string,
  o: { at?: Date; eventId?: string; lock?: boolean } = {},
): Promise<BadgeVerdict> {
  const parsed = typeof token === 'string' && token.length <= 200 ? parseBadge(token) : null
  if (!parsed) return { ok: false, reason: 'malformed' }
  if (!badgeSignatureValid(await badgeKey(db, tenantId), parsed)) return { ok: false, reason: 'forged' }
  const q = db
    .select({ invitation: eventInvitations, event: events })
    .from(eventInvitations)
    .innerJoin(events, eq(events.id, eventInvitations.eventId))
    .where(and(eq(eventInvitations.tenantId, tenantId), eq(eventInvitations.id, parsed.invitationId)))
  const [row] = o.lock ? await q.for('update', { of: eventInvitations }) : await q
  const at = Math.floor((o.at ?? now()).getTime() / 1000)
  if (!row) return { ok: false, reason: at > parsed.exp ? 'expired' : 'withdrawn' }
  const found = { invitation: row.invitation, event: row.event }
  if (o.eventId && row.event.id !== o.eventId) return { ok: false, reason: 'other_event', ...found }
  if (at > badgeExpiry(row.event.endsAt)) return { ok: false, reason: 'expired', ...found }
  const inv = row.invitation
  if (inv.state !== 'yes' || inv.badgeVersion !== parsed.version || !inv.badgeCode || !badgeEventState(row.event.state)) {
    return { ok: false, reason: 'withdrawn', ...found }
  }
  return { ok: true, ...found }
}
