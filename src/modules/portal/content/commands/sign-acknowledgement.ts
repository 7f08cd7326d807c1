import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { CURRENT_ACKNOWLEDGEMENT_VERSION } from '../../../partners/partners.acknowledgement.ts'
import { lockLivePartner } from '../../../partners/commands/change-partner-status.ts'
import { unsafeRecordAcknowledgement } from '../../../partners/commands/record-acknowledgement.ts'
import { partnerAcknowledgements } from '../../../partners/partners.tables.ts'

/**
 * An influencer signs the current "người chuyển tải" acknowledgement in the portal, for their
 * OWN record only: the partner is the one linked to the signed-in account (locked, so a double
 * submit records once). Refused for journalists and when the current text is already signed
 * (PARTNER_ACKNOWLEDGEMENT_NOT_NEEDED). Recorded and audited by the registry's command
 * (`partner.acknowledgement_recorded`, method `portal`).
 */
export async function signAcknowledgement(o: {
  tx: Tx
  /** The signed-in partner account. */
  actor: Actor
  /** The actor's own partner record id (from `requirePartner` in this request). */
  partnerId: string
  ip?: string
}): Promise<{ id: string }> {
  const partner = await lockLivePartner(o.tx, o.actor.tenantId, o.partnerId)
  // Only one's own live record: anything else is as if it did not exist.
  if (!partner || partner.userId !== o.actor.id) throw new AppError('PARTNER_REQUIRED')
  if (partner.kind !== 'influencer') throw new AppError('PARTNER_ACKNOWLEDGEMENT_NOT_NEEDED')
  const [signed] = await o.tx
    .select({ id: partnerAcknowledgements.id })
    .from(partnerAcknowledgements)
    .where(
      and(
        eq(partnerAcknowledgements.tenantId, o.actor.tenantId),
        eq(partnerAcknowledgements.partnerId, partner.id),
        eq(partnerAcknowledgements.textVersion, CURRENT_ACKNOWLEDGEMENT_VERSION),
      ),
    )
    .limit(1)
  if (signed) throw new AppError('PARTNER_ACKNOWLEDGEMENT_NOT_NEEDED')
  return unsafeRecordAcknowledgement({
    tx: o.tx,
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    partnerId: partner.id,
    method: 'portal',
    ip: o.ip,
  })
}
