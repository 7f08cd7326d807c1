import { and, eq, inArray, isNull, sql } from 'drizzle-orm'
import type { Db, Tx } from '../../../../db/index.ts'
import { now } from '../../../../platform/clock.ts'
import { distributionDeliveries } from '../../distribution.tables.ts'

/**
 * Marks one of the partner's inbox messages opened (the partner read it in the portal: no
 * tracking pixel, the page view itself). States only move upward: `sent` becomes `opened`; a
 * message already `downloaded` (a file was fetched through its link) keeps that state and only
 * gains its first `opened_at`. The first opening wins; later views change nothing. Not audited:
 * it is the recipient's reading, recorded on the delivery row that staff follow.
 */
export async function openMessage(o: {
  db: Db | Tx
  tenantId: string
  /** The signed-in partner (the row must be theirs). */
  partnerId: string
  deliveryId: string
}): Promise<boolean> {
  const rows = await o.db
    .update(distributionDeliveries)
    .set({
      state: sql`CASE WHEN ${distributionDeliveries.state} = 'sent' THEN 'opened' ELSE ${distributionDeliveries.state} END`,
      openedAt: now(),
    })
    .where(
      and(
        eq(distributionDeliveries.id, o.deliveryId),
        eq(distributionDeliveries.tenantId, o.tenantId),
        eq(distributionDeliveries.partnerId, o.partnerId),
        eq(distributionDeliveries.channel, 'portal'),
        inArray(distributionDeliveries.state, ['sent', 'opened', 'downloaded']),
        isNull(distributionDeliveries.openedAt),
      ),
    )
    .returning({ id: distributionDeliveries.id })
  return rows.length > 0
}
