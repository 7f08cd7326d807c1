/**
 * "Send test": queues a test delivery to one of the partner's endpoints. It goes through the
 * sender like any other delivery (signed, retried, recorded in the endpoint's recent
 * deliveries), so a green test means real deliveries will arrive the same way.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { t } from '../../../../platform/i18n/index.ts'
import { loadTenant } from '../../../../platform/tenancy/index.ts'
import { users } from '../../../accounts/accounts.tables.ts'
import { DISTRIBUTION_CHANNEL } from '../../delivery/render.ts'
import { newLinkToken } from '../../distribution.links.ts'
import { distributionDeliveries, distributionWebhooks } from '../../distribution.tables.ts'
import type { DeliveryPayload } from '../../distribution.types.ts'

/** Options of {@link queueTestPing}. */
export interface TestPingOptions {
  tenantId: string
  /** The partner who owns the endpoint (the caller's own partner record). */
  partnerId: string
  webhookId: string
  /** The account that pressed the button. */
  actorUserId: string
}

/**
 * Queues the test delivery and wakes the sender after commit; returns the delivery id. An
 * endpoint of another partner answers as a missing one; a disabled endpoint is refused (it
 * must be switched back on first, so the test says something about what will be sent).
 */
export async function queueTestPing(tx: Tx, o: TestPingOptions): Promise<string> {
  const [hook] = await tx
    .select()
    .from(distributionWebhooks)
    .where(
      and(
        eq(distributionWebhooks.id, o.webhookId),
        eq(distributionWebhooks.tenantId, o.tenantId),
        eq(distributionWebhooks.partnerId, o.partnerId),
      ),
    )
  if (!hook || hook.deletedAt !== null) throw new AppError('DISTRIBUTION_NOT_FOUND')
  if (hook.state !== 'active') throw new AppError('DISTRIBUTION_WEBHOOK_DISABLED')
  const tenant = await loadTenant(tx, o.tenantId)
  const at = now()
  const payload: DeliveryPayload = {
    event: 'test',
    itemType: 'test',
    itemId: null,
    title: `${t('vi', 'dist.webhooks.test.title')} / ${t('en', 'dist.webhooks.test.title')}`,
    summary: `${t('vi', 'dist.webhooks.test.summary', { at: at.toISOString() })}\n${t('en', 'dist.webhooks.test.summary', { at: at.toISOString() })}`,
    source: { name: tenant?.name ?? '', url: tenant?.website ?? '' },
  }
  const [row] = await tx
    .insert(distributionDeliveries)
    .values({
      tenantId: o.tenantId,
      eventId: null,
      itemType: 'test',
      itemId: null,
      kind: 'test',
      recipientType: 'partner',
      partnerId: o.partnerId,
      channel: 'webhook',
      webhookId: hook.id,
      address: hook.url,
      state: 'queued',
      nextAttemptAt: at,
      createdAt: at,
      linkToken: newLinkToken(),
      payload,
    })
    .returning({ id: distributionDeliveries.id })
  if (!row) throw new Error('test delivery insert returned nothing')
  const [actor] = await tx.select({ email: users.email }).from(users).where(eq(users.id, o.actorUserId))
  await recordAudit(tx, {
    tenantId: o.tenantId,
    actor: { id: o.actorUserId, label: actor?.email ?? o.actorUserId },
    action: 'distribution.webhook_tested',
    subjectType: 'distribution_webhook',
    subjectId: hook.id,
    summary: { deliveryId: row.id, partnerId: o.partnerId },
  })
  // NOTIFY is delivered at commit, so the sender never wakes before the row is visible.
  await tx.execute(sql`SELECT pg_notify(${DISTRIBUTION_CHANNEL}, '')`)
  return row.id
}
