/**
 * Staff switch a disabled endpoint back on from the console's webhook page (approvers and
 * admins, with a reason: it overrides the system's decision). The owner's own re-enabling is
 * the portal's (portal/commands/enable-webhook.ts). The run of failures starts again from
 * zero; deliveries that failed meanwhile stay failed (staff retry them from the item's page).
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { distributionWebhooks } from '../../distribution.tables.ts'
import { hostOf } from './disable-webhook.ts'

/** Shortest reason staff may give. */
export const MIN_REENABLE_REASON = 5

/** Options of {@link reenableWebhook}. */
export interface ReenableWebhookOptions {
  tenantId: string
  webhookId: string
  /** The staff member (audit). */
  actor: { id: string; label: string }
  /** Why the office switches it on again (at least {@link MIN_REENABLE_REASON} characters). */
  reason: string
  ip?: string | null
}

/** Re-enables the endpoint; throws REASON_REQUIRED, DISTRIBUTION_NOT_FOUND, or DISTRIBUTION_WEBHOOK_ACTIVE when it is on already. */
export async function reenableWebhook(tx: Tx, o: ReenableWebhookOptions): Promise<void> {
  const reason = o.reason.trim()
  if (reason.length < MIN_REENABLE_REASON) throw new AppError('REASON_REQUIRED', { min: MIN_REENABLE_REASON })
  const [hook] = await tx
    .select()
    .from(distributionWebhooks)
    .where(and(eq(distributionWebhooks.id, o.webhookId), eq(distributionWebhooks.tenantId, o.tenantId)))
    .for('update')
  // An endpoint its owner deleted is gone for good (its secret was wiped): only the owner can add a new one.
  if (!hook || hook.deletedAt !== null) throw new AppError('DISTRIBUTION_NOT_FOUND')
  if (hook.state !== 'disabled') throw new AppError('DISTRIBUTION_WEBHOOK_ACTIVE')
  await tx
    .update(distributionWebhooks)
    .set({ state: 'active', disabledReason: null, disabledAt: null, consecutiveFailures: 0, updatedAt: now() })
    .where(eq(distributionWebhooks.id, hook.id))
  await recordAudit(tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'distribution.webhook_enabled',
    subjectType: 'distribution_webhook',
    subjectId: hook.id,
    summary: { partnerId: hook.partnerId, host: hostOf(hook.url), reason, wasDisabledFor: hook.disabledReason, by: 'staff' },
    ip: o.ip ?? null,
  })
}
