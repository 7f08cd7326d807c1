/**
 * The endpoint's bookkeeping after one webhook attempt, in the sender's transaction: the
 * attempt row (status code, short error, duration: the "recent deliveries" the partner and the
 * staff see), the run of failures, and disabling when the endpoint is gone or keeps failing.
 */
import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { now } from '../../../../platform/clock.ts'
import { distributionAttempts, distributionWebhooks } from '../../distribution.tables.ts'
import type { ChannelOutcome } from '../../distribution.types.ts'
import { disableWebhook, failuresPlusOne } from './disable-webhook.ts'

/** Failures in a row (across deliveries) after which an endpoint is switched off. */
export const DISABLE_AFTER_FAILURES = 15

/** Options of {@link recordAttempt}. */
export interface RecordAttemptOptions {
  tenantId: string
  deliveryId: string
  webhookId: string
  outcome: ChannelOutcome
  /** The delivery will not be tried again (its last attempt, or a failure not worth retrying). */
  final: boolean
  /** Base of the links in the owner's and staff's messages. */
  publicUrl?: string
}

/**
 * Records the attempt and updates the endpoint; disables it on 410 Gone at once, when the run
 * of failures reaches {@link DISABLE_AFTER_FAILURES}, or when a delivery failed for good.
 * Returns whether this call disabled it.
 */
export async function recordAttempt(tx: Tx, o: RecordAttemptOptions): Promise<{ disabled: boolean }> {
  const { outcome } = o
  await tx.insert(distributionAttempts).values({
    tenantId: o.tenantId,
    deliveryId: o.deliveryId,
    webhookId: o.webhookId,
    at: now(),
    status: outcome.status ?? null,
    error: outcome.error ? outcome.error.slice(0, 300) : null,
    durationMs: outcome.durationMs === undefined ? null : Math.round(outcome.durationMs),
  })
  if (outcome.state === 'sent') {
    await endpointsSucceeded(tx, [o.webhookId], now())
    return { disabled: false }
  }
  const [hook] = await tx
    .update(distributionWebhooks)
    .set({ consecutiveFailures: failuresPlusOne, updatedAt: now() })
    .where(eq(distributionWebhooks.id, o.webhookId))
    .returning({ failures: distributionWebhooks.consecutiveFailures, state: distributionWebhooks.state })
  if (hook?.state !== 'active') return { disabled: false }
  const lastError = outcome.error ?? (outcome.status ? `HTTP ${outcome.status}` : '?')
  const cause = outcome.gone
    ? ({ kind: 'gone' } as const)
    : hook.failures >= DISABLE_AFTER_FAILURES
      ? ({ kind: 'failures', count: hook.failures, lastError } as const)
      : o.final
        ? ({ kind: 'final', lastError } as const)
        : null
  if (!cause) return { disabled: false }
  return { disabled: await disableWebhook(tx, { tenantId: o.tenantId, webhookId: o.webhookId, cause, publicUrl: o.publicUrl }) }
}

/** A success resets the endpoint's run of failures. */
async function endpointsSucceeded(tx: Tx, webhookIds: string[], at: Date): Promise<void> {
  // Sorted: two senders recording overlapping batches lock the endpoints in the same order.
  const ids = [...new Set(webhookIds)].sort()
  await tx.$client.query(
    `UPDATE distribution_webhooks SET consecutive_failures = 0, last_success_at = $2, updated_at = $2 WHERE id = ANY($1::uuid[])`,
    [ids, at],
  )
}

/**
 * Successful attempts of a whole batch, as {@link recordAttempt} records one (the attempt rows,
 * the endpoints' runs of failures reset), in two statements: the sender records its batches
 * with it, which keeps the window between a receiver's answer and our commit short.
 */
export async function recordSuccesses(
  tx: Tx,
  rows: { tenantId: string; deliveryId: string; webhookId: string; status: number | null; durationMs: number | null }[],
  at: Date,
): Promise<void> {
  if (rows.length === 0) return
  await tx.$client.query(
    `INSERT INTO distribution_attempts (tenant_id, delivery_id, webhook_id, at, status, duration_ms)
     SELECT t, d, w, $4, s, ms FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $5::int[], $6::int[]) AS u(t, d, w, s, ms)`,
    [
      rows.map((r) => r.tenantId),
      rows.map((r) => r.deliveryId),
      rows.map((r) => r.webhookId),
      at,
      rows.map((r) => r.status),
      rows.map((r) => (r.durationMs === null ? null : Math.round(r.durationMs))),
    ],
  )
  await endpointsSucceeded(
    tx,
    rows.map((r) => r.webhookId),
    at,
  )
}
