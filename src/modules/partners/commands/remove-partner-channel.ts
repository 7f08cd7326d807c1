import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { partnerChannels } from '../partners.tables.ts'
import { lockPartner } from './change-partner-status.ts'

/** Removes one channel of a live partner (editors, approvers, admins); audited. NOT_FOUND for another's channel. */
export async function removePartnerChannel(o: { tx: Tx; actor: Actor; partnerId: string; channelId: string; ip?: string }): Promise<void> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  const partner = await lockPartner(o.tx, o.actor.tenantId, o.partnerId)
  const channels = await o.tx.select().from(partnerChannels).where(eq(partnerChannels.partnerId, partner.id))
  const channel = channels.find((c) => c.id === o.channelId)
  if (!channel) throw new AppError('NOT_FOUND')
  await o.tx.delete(partnerChannels).where(eq(partnerChannels.id, channel.id))
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner.channel_removed',
    subjectType: 'partner',
    subjectId: partner.id,
    summary: { channelId: channel.id, platform: channel.platform },
    ip: o.ip,
  })
}
