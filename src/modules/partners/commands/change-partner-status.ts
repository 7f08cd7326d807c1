import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { localDay } from '../../../platform/time.ts'
import { normalizeText } from '../../../text/normalize.ts'
import { emitPartnerEvent } from '../partners.events.ts'
import { endPartnerAccess } from '../partners.extensions.ts'
import { queueStatusMail } from '../partners.mail.ts'
import { isUuid, parseDay } from '../partners.normalize.ts'
import {
  PARTNER_STATUSES,
  type PartnerRow,
  type PartnerStatus,
  partnerAcknowledgements,
  partnerStatusHistory,
  partners,
} from '../partners.tables.ts'
import { canTransition, STATUS_REASON_MIN, TRANSITION_ACTION } from '../partners.workflow.ts'

/** Options of a status change. */
export interface ChangePartnerStatusOptions {
  tx: Tx
  /** The staff member deciding (the policy of the target status applies). */
  actor: Actor
  partnerId: string
  /** The status to move to (transitions in `partners.workflow.ts`). */
  to: PartnerStatus
  /** Why, in words the partner will read (at least STATUS_REASON_MIN characters). */
  reason: string
  /** On accreditation: the end of the term (`YYYY-MM-DD`), when the record has none yet or it is renewed. */
  accreditationEndsOn?: string
  ip?: string
}

/**
 * Moves a partner to another status: checks the actor's right for that target and the
 * transition table, requires a reason, and — in the caller's transaction — updates the
 * record, writes the status-history row and the audit row, mails the partner (both languages)
 * and emits `partner.accredited|suspended|expired|revoked` where it applies; a revocation also
 * ends the account's sessions and API tokens (portal/commands/end-revoked-partner-access.ts).
 * A refusal writes nothing.
 */
export async function changePartnerStatus(o: ChangePartnerStatusOptions): Promise<{ from: PartnerStatus; to: PartnerStatus }> {
  if (!(PARTNER_STATUSES as readonly string[]).includes(o.to)) throw new AppError('PARTNER_INVALID', { field: 'status' })
  authorize(o.actor, TRANSITION_ACTION[o.to], { type: 'partner', tenantId: o.actor.tenantId })
  const partner = await lockPartner(o.tx, o.actor.tenantId, o.partnerId)
  return unsafeChangePartnerStatus({
    tx: o.tx,
    partner,
    to: o.to,
    reason: o.reason,
    accreditationEndsOn: o.accreditationEndsOn,
    actor: { id: o.actor.id, label: o.actor.email },
    ip: o.ip,
  })
}

/** The live (not merged) partner of the tenant, locked for the decision; NOT_FOUND otherwise. */
export async function lockPartner(tx: Tx, tenantId: string, partnerId: string): Promise<PartnerRow> {
  const partner = await lockLivePartner(tx, tenantId, partnerId)
  if (!partner) throw new AppError('NOT_FOUND')
  return partner
}

/** The live (not merged) partner of the tenant, locked in `tx`; null when there is none. */
export async function lockLivePartner(tx: Tx, tenantId: string, partnerId: string): Promise<PartnerRow | null> {
  if (!isUuid(partnerId)) return null
  const [partner] = await tx
    .select()
    .from(partners)
    .where(and(eq(partners.id, partnerId), eq(partners.tenantId, tenantId), isNull(partners.mergedInto)))
    .for('update')
  return partner ?? null
}

/**
 * The status change itself, WITHOUT the policy check: for the daily expiry job (the system
 * acts) and for `changePartnerStatus` after it authorised. `partner` must be locked in `tx`.
 */
export async function unsafeChangePartnerStatus(o: {
  tx: Tx
  partner: PartnerRow
  to: PartnerStatus
  reason: string
  accreditationEndsOn?: string
  actor: AuditActor
  ip?: string
}): Promise<{ from: PartnerStatus; to: PartnerStatus }> {
  const { tx, partner, to } = o
  const from = partner.status
  const reason = normalizeText(o.reason ?? '').slice(0, 2000)
  if (reason.length < STATUS_REASON_MIN) throw new AppError('REASON_REQUIRED', { min: STATUS_REASON_MIN })
  if (!canTransition(from, to)) throw new AppError('PARTNER_ILLEGAL_TRANSITION', { from, to })
  const at = now()
  const today = localDay(at)
  let accreditationEndsOn = partner.accreditationEndsOn
  if (to === 'accredited') {
    if (o.accreditationEndsOn !== undefined) accreditationEndsOn = parseDay(o.accreditationEndsOn, 'accreditation end')
    if (!accreditationEndsOn || accreditationEndsOn < today) throw new AppError('PARTNER_NEEDS_TERM')
    if (partner.kind === 'journalist' && (!partner.pressCardNumber || !partner.pressCardExpiresOn || partner.pressCardExpiresOn < today)) {
      throw new AppError('PARTNER_NEEDS_PRESS_CARD')
    }
    if (partner.kind === 'influencer') {
      const [ack] = await tx
        .select({ id: partnerAcknowledgements.id })
        .from(partnerAcknowledgements)
        .where(eq(partnerAcknowledgements.partnerId, partner.id))
        .limit(1)
      if (!ack) throw new AppError('PARTNER_NEEDS_ACKNOWLEDGEMENT')
    }
  }

  await tx.update(partners).set({ status: to, statusChangedAt: at, accreditationEndsOn }).where(eq(partners.id, partner.id))
  await tx.insert(partnerStatusHistory).values({
    tenantId: partner.tenantId,
    partnerId: partner.id,
    fromStatus: from,
    toStatus: to,
    reason,
    actorId: o.actor.id,
    actorLabel: o.actor.label,
    at,
  })
  await recordAudit(tx, {
    tenantId: partner.tenantId,
    actor: o.actor,
    action: 'partner.status_changed',
    subjectType: 'partner',
    subjectId: partner.id,
    summary: { from, to, reason, ...(to === 'accredited' ? { accreditationEndsOn } : {}) },
    ip: o.ip,
  })
  if (partner.email) await queueStatusMail(tx, { tenantId: partner.tenantId, to: partner.email, name: partner.name, status: to, reason })
  const base = { partnerId: partner.id, kind: partner.kind, userId: partner.userId, from, reason }
  const event = { tenantId: partner.tenantId, actorId: o.actor.id }
  if (to === 'accredited')
    await emitPartnerEvent(tx, { ...event, type: 'partner.accredited', payload: { ...base, until: accreditationEndsOn } })
  else if (to === 'suspended') await emitPartnerEvent(tx, { ...event, type: 'partner.suspended', payload: base })
  else if (to === 'expired') await emitPartnerEvent(tx, { ...event, type: 'partner.expired', payload: base })
  else if (to === 'revoked') {
    await emitPartnerEvent(tx, { ...event, type: 'partner.revoked', payload: base })
    // Revocation ends access everywhere at once, in this transaction (not through the event,
    // whose subscribers run after the commit). Suspended and expired partners keep their
    // sessions: they still read their questions, and the live checks deny embargo. The modules
    // that hold the access (the portal's sessions and tokens) registered in partners.extensions.ts.
    await endPartnerAccess({
      tx,
      tenantId: partner.tenantId,
      partnerId: partner.id,
      userId: partner.userId,
      actor: o.actor,
      ip: o.ip,
      audit: true,
    })
  }
  return { from, to }
}
