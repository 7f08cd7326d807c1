import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { partnerChannels } from '../partners.tables.ts'
import { lockPartner } from './change-partner-status.ts'
import { type ChannelInput, validatePartnerInput } from './create-partner.ts'

/**
 * Adds a channel (platform, http(s) address, declared followers) to a live influencer
 * (editors, approvers, admins): checked as on creation; audited with the platform and the
 * followers (the address is in the record, not the chain).
 */
export async function addPartnerChannel(o: {
  tx: Tx
  actor: Actor
  partnerId: string
  channel: ChannelInput
  ip?: string
}): Promise<{ id: string }> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  const partner = await lockPartner(o.tx, o.actor.tenantId, o.partnerId)
  if (partner.kind !== 'influencer') throw new AppError('PARTNER_INVALID', { field: 'channels' })
  // The creation checks, on this one channel (the other fields are the record's own, already valid).
  const v = await validatePartnerInput(o.tx, o.actor.tenantId, {
    kind: 'influencer',
    name: partner.name,
    email: partner.email ?? undefined,
    phone: partner.phone ?? undefined,
    channels: [o.channel],
  })
  const channel = v.channels[0] as ChannelInput
  const [row] = await o.tx
    .insert(partnerChannels)
    .values({ tenantId: o.actor.tenantId, partnerId: partner.id, ...channel, createdAt: now() })
    .returning({ id: partnerChannels.id })
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner.channel_added',
    subjectType: 'partner',
    subjectId: partner.id,
    summary: { channelId: row?.id ?? null, platform: channel.platform, followers: channel.followers ?? null },
    ip: o.ip,
  })
  return { id: row?.id as string }
}
