import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { partners } from '../../../partners/partners.tables.ts'
import { eventInvitations, type InvitationState } from '../../events.tables.ts'
import { type EventRow, organizerOf } from '../../invitations/invitations.mail.ts'
import { newBadgeCode } from '../badge-token.ts'
import { type Badge, badgeOf } from '../badges.queries.ts'
import { queueBadgeMail } from '../badges.mail.ts'

/** What issuing did. */
export interface IssuedBadge {
  badge: Badge
  /** False when the partner has no e-mail address (the badge is in the portal all the same). */
  mailed: boolean
}

/**
 * Gives the invitation a short code unique within its event, retrying on the (rare) clash. A
 * savepoint keeps a clash from aborting the caller's transaction.
 */
async function assignCode(tx: Tx, invitationId: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    await tx.execute(sql`SAVEPOINT badge_code`)
    try {
      await tx.update(eventInvitations).set({ badgeCode: newBadgeCode() }).where(eq(eventInvitations.id, invitationId))
      await tx.execute(sql`RELEASE SAVEPOINT badge_code`)
      return
    } catch (e) {
      await tx.execute(sql`ROLLBACK TO SAVEPOINT badge_code`)
      const unique = (e as { code?: string; cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code
      if (unique !== '23505' || attempt >= 9) throw e
    }
  }
}

/**
 * Issues the badge of a confirmed invitation of `event` (whose lock the caller holds): a short
 * code if it has none (`reissue`: a new version, so every earlier token fails, and a new code),
 * then the badge mailed as a PDF to the partner, `badge_sent_at` set, and one audit row
 * (`event.badge_issued` or `event.badge_reissued`), all in `tx`.
 * An invitation that is not 'yes' (or not of this event): EVENT_BADGE_NONE; an event that is not
 * announced: EVENT_CLOSED.
 */
export async function issueBadge(o: {
  tx: Tx
  /** The event, locked by the caller. */
  event: EventRow
  /** The invitation (of `event`). */
  invitationId: string
  /** True for a staff reissue (new version and code). */
  reissue?: boolean
  actor: AuditActor
  ip?: string | null
}): Promise<IssuedBadge> {
  const { tx, event } = o
  const [row] = await tx
    .select({ inv: eventInvitations, email: partners.email })
    .from(eventInvitations)
    .innerJoin(partners, eq(partners.id, eventInvitations.partnerId))
    .where(
      and(eq(eventInvitations.tenantId, event.tenantId), eq(eventInvitations.eventId, event.id), eq(eventInvitations.id, o.invitationId)),
    )
    .for('update', { of: eventInvitations })
  if (row?.inv.state !== 'yes') throw new AppError('EVENT_BADGE_NONE')
  if (event.state !== 'announced') throw new AppError('EVENT_CLOSED')
  const reissue = o.reissue === true
  if (reissue) {
    await tx
      .update(eventInvitations)
      .set({ badgeVersion: sql`${eventInvitations.badgeVersion} + 1` })
      .where(eq(eventInvitations.id, row.inv.id))
  }
  if (reissue || !row.inv.badgeCode) await assignCode(tx, row.inv.id)
  const badge = await badgeOf(tx, event.tenantId, row.inv.id)
  if (!badge) throw new AppError('EVENT_BADGE_NONE')
  const email = row.email?.trim()
  if (email) {
    const office = (await organizerOf(tx, event.tenantId)).name
    await queueBadgeMail(tx, { tenantId: event.tenantId, badge, email, office, reissued: reissue })
    await tx.update(eventInvitations).set({ badgeSentAt: now() }).where(eq(eventInvitations.id, row.inv.id))
  }
  await recordAudit(tx, {
    tenantId: event.tenantId,
    actor: o.actor,
    action: reissue ? 'event.badge_reissued' : 'event.badge_issued',
    subjectType: 'event',
    subjectId: event.id,
    summary: { invitationId: row.inv.id, partnerId: row.inv.partnerId, version: badge.version, mailed: !!email },
    ip: o.ip ?? null,
  })
  return { badge, mailed: !!email }
}

/**
 * Ends the badge of an invitation that left 'yes' (answered no or maybe, withdrawn): its version
 * moves on, so every token printed or mailed so far is refused at the door. The code is kept
 * (a later 'yes' gets a badge with the same code and the new version). Audited
 * (`event.badge_revoked`) in `tx`; nothing to do for an invitation that never had a badge.
 */
export async function revokeBadge(o: {
  tx: Tx
  tenantId: string
  eventId: string
  invitationId: string
  actor: AuditActor
  ip?: string | null
}): Promise<void> {
  const [row] = await o.tx
    .update(eventInvitations)
    .set({ badgeVersion: sql`${eventInvitations.badgeVersion} + 1` })
    .where(
      and(
        eq(eventInvitations.tenantId, o.tenantId),
        eq(eventInvitations.id, o.invitationId),
        sql`${eventInvitations.badgeCode} IS NOT NULL`,
      ),
    )
    .returning({ version: eventInvitations.badgeVersion, partnerId: eventInvitations.partnerId })
  if (!row) return
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'event.badge_revoked',
    subjectType: 'event',
    subjectId: o.eventId,
    summary: { invitationId: o.invitationId, partnerId: row.partnerId, version: row.version },
    ip: o.ip ?? null,
  })
}

/**
 * The badge side of an answer (called by the invitations part once the state is written, under
 * the event's lock): entering 'yes' issues the badge, leaving it revokes the badge.
 */
export async function badgeAfterAnswer(o: {
  tx: Tx
  event: EventRow
  invitationId: string
  from: InvitationState
  to: InvitationState
  actor: AuditActor
  ip?: string | null
}): Promise<void> {
  if (o.from !== 'yes' && o.to === 'yes') {
    await issueBadge({ tx: o.tx, event: o.event, invitationId: o.invitationId, actor: o.actor, ip: o.ip })
  } else if (o.from === 'yes' && o.to !== 'yes') {
    await revokeBadge({ tx: o.tx, tenantId: o.event.tenantId, eventId: o.event.id, invitationId: o.invitationId, actor: o.actor, ip: o.ip })
  }
}
