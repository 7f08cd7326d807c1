/**
 * "Gửi lại tất cả lỗi / Retry all failed": every failed delivery of an item goes back to the
 * sender's queue at once, with a fresh retry schedule (attempts back to 0: staff retry after
 * fixing something, so each delivery gets the normal backoff again, not one last try).
 *
 * Only `failed` rows move. `bounced` stays (the mailbox refused for good), and so do the failed
 * rows of an endpoint that is disabled now (the sender would only cancel them: they are counted as
 * skipped and shown, the owner re-enables the endpoint first). The audit row and the wake-up of
 * the sender (`pg_notify`, delivered on commit) are in the same transaction.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { DISTRIBUTION_CHANNEL } from '../../delivery/render.ts'

/** Options of {@link retryFailedDeliveries}. */
export interface RetryFailedOptions {
  tx: Tx
  tenantId: string
  /** The staff member (the caller authorised `manage` on `distribution`). */
  actor: AuditActor
  itemType: string
  /** The item as addressed (audit subject). */
  itemId: string
  /** Every `item_id` its deliveries may carry (see `loadConsoleItem`). */
  deliveryItemIds: readonly string[]
  ip?: string | null
}

/** Requeues the item's failed deliveries; returns how many moved and how many were skipped. */
export async function retryFailedDeliveries(o: RetryFailedOptions): Promise<{ retried: number; skipped: number }> {
  const ids = sql.raw(`ARRAY[${o.deliveryItemIds.map((id) => `'${id.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`)
  const at = now().toISOString()
  const { rows } = await o.tx.execute<{ retried: number; skipped: number }>(sql`
    WITH failed AS (
      SELECT d.id, (d.webhook_id IS NOT NULL AND w.state IS DISTINCT FROM 'active') AS endpoint_off
      FROM distribution_deliveries d
      LEFT JOIN distribution_webhooks w ON w.id = d.webhook_id
      WHERE d.tenant_id = ${o.tenantId} AND d.item_type = ${o.itemType} AND d.item_id = ANY(${ids}) AND d.state = 'failed'
      FOR UPDATE OF d
    ), moved AS (
      UPDATE distribution_deliveries d
      SET state = 'queued', attempts = 0, next_attempt_at = ${at}::timestamptz, claimed_by = NULL, lease_until = NULL
      FROM failed f
      WHERE d.id = f.id AND NOT f.endpoint_off AND d.state = 'failed'
      RETURNING d.id
    )
    SELECT (SELECT count(*) FROM moved)::int AS retried, (SELECT count(*) FROM failed WHERE endpoint_off)::int AS skipped`)
  const result = rows[0] ?? { retried: 0, skipped: 0 }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'distribution.retried',
    subjectType: o.itemType,
    subjectId: o.itemId,
    summary: { retried: result.retried, skipped: result.skipped },
    ip: o.ip ?? null,
  })
  if (result.retried > 0) await o.tx.execute(sql`SELECT pg_notify(${DISTRIBUTION_CHANNEL}, '')`)
  return result
}
