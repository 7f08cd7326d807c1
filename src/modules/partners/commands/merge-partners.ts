import { and, eq, inArray } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { normalizeText } from '../../../text/normalize.ts'
import { isUuid } from '../partners.normalize.ts'
import { STATUS_REASON_MIN } from '../partners.workflow.ts'
import {
  type PartnerRow,
  partnerAcknowledgements,
  partnerChannels,
  partnerKeys,
  partnerReminders,
  partnerStatusHistory,
  partners,
} from '../partners.tables.ts'

/**
 * Merges a duplicate record into a surviving one (editors, approvers, admins): the duplicate's
 * keys, channels, acknowledgements and status history move to the survivor; the survivor's
 * blank contact and card fields are filled from the duplicate, beats and communes united; its
 * own status stands. The duplicate stays, marked `merged_into` the survivor (the pointer old
 * links follow). Audited; refused (nothing written) for the same record, another tenant's, one
 * already merged, or partners of different kinds.
 */
export async function mergePartners(o: {
  tx: Tx
  actor: Actor
  /** The record that stays. */
  survivorId: string
  /** The record merged into it. */
  duplicateId: string
  /** Why (the console asks for one, at least STATUS_REASON_MIN characters); kept in the audit row. */
  reason?: string
  ip?: string
}): Promise<{ moved: { keys: number; channels: number; history: number; acknowledgements: number } }> {
  authorize(o.actor, 'merge', { type: 'partner', tenantId: o.actor.tenantId })
  if (!isUuid(o.survivorId) || !isUuid(o.duplicateId)) throw new AppError('NOT_FOUND')
  if (o.survivorId === o.duplicateId) throw new AppError('PARTNER_MERGE_INVALID')
  const reason = o.reason === undefined ? undefined : normalizeText(o.reason).slice(0, 2000)
  if (reason !== undefined && reason.length < STATUS_REASON_MIN) throw new AppError('REASON_REQUIRED', { min: STATUS_REASON_MIN })
  const tenantId = o.actor.tenantId
  // Both rows locked in id order, so two merges of the same pair cannot deadlock.
  const rows = await o.tx
    .select()
    .from(partners)
    .where(and(eq(partners.tenantId, tenantId), inArray(partners.id, [o.survivorId, o.duplicateId])))
    .orderBy(partners.id)
    .for('update')
  const survivor = rows.find((r) => r.id === o.survivorId)
  const duplicate = rows.find((r) => r.id === o.duplicateId)
  if (!survivor || !duplicate) throw new AppError('NOT_FOUND')
  if (survivor.mergedInto || duplicate.mergedInto || survivor.kind !== duplicate.kind) throw new AppError('PARTNER_MERGE_INVALID')

  const at = now()
  // The duplicate first: its account link may pass to the survivor (one live record per account).
  await o.tx.update(partners).set({ mergedInto: survivor.id, mergedAt: at }).where(eq(partners.id, duplicate.id))
  await o.tx.update(partners).set(filled(survivor, duplicate)).where(eq(partners.id, survivor.id))
  const move = { partnerId: survivor.id }
  const keys = await o.tx.update(partnerKeys).set(move).where(eq(partnerKeys.partnerId, duplicate.id)).returning()
  const channels = await o.tx
    .update(partnerChannels)
    .set(move)
    .where(eq(partnerChannels.partnerId, duplicate.id))
    .returning({ id: partnerChannels.id })
  const history = await o.tx
    .update(partnerStatusHistory)
    .set(move)
    .where(eq(partnerStatusHistory.partnerId, duplicate.id))
    .returning({ id: partnerStatusHistory.id })
  const acknowledgements = await o.tx
    .update(partnerAcknowledgements)
    .set(move)
    .where(eq(partnerAcknowledgements.partnerId, duplicate.id))
    .returning({ id: partnerAcknowledgements.id })
  // The duplicate's reminders concern a term that is no longer its own.
  await o.tx.delete(partnerReminders).where(eq(partnerReminders.partnerId, duplicate.id))
  const moved = { keys: keys.length, channels: channels.length, history: history.length, acknowledgements: acknowledgements.length }
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner.merged',
    subjectType: 'partner',
    subjectId: survivor.id,
    summary: {
      duplicateId: duplicate.id,
      duplicateName: duplicate.name,
      duplicateStatus: duplicate.status,
      ...(reason ? { reason } : {}),
      keys: keys.map((k) => k.kind),
      moved,
    },
    ip: o.ip,
  })
  return { moved }
}

/** The survivor's fields with its blanks filled from the duplicate. */
function filled(s: PartnerRow, d: PartnerRow) {
  return {
    outletId: s.outletId ?? d.outletId,
    pressCardNumber: s.pressCardNumber ?? d.pressCardNumber,
    pressCardExpiresOn: s.pressCardNumber ? s.pressCardExpiresOn : d.pressCardExpiresOn,
    phone: s.phone ?? d.phone,
    email: s.email ?? d.email,
    beats: [...new Set([...s.beats, ...d.beats])],
    communeCodes: [...new Set([...s.communeCodes, ...d.communeCodes])],
    userId: s.userId ?? d.userId,
  }
}

/** The live record a (possibly merged) partner id now stands for. */
export async function survivingPartnerId(tx: Tx, tenantId: string, partnerId: string): Promise<string | null> {
  let id: string | null = partnerId
  // Merges chain rarely; the bound guards against a cycle written by hand.
  for (let hops = 0; id && hops < 10; hops++) {
    const [row]: { mergedInto: string | null }[] = await tx
      .select({ mergedInto: partners.mergedInto })
      .from(partners)
      .where(and(eq(partners.id, id), eq(partners.tenantId, tenantId)))
    if (!row) return null
    if (!row.mergedInto) return id
    id = row.mergedInto
  }
  return null
}
