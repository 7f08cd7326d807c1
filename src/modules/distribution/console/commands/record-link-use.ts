/**
 * What a recipient's link records on its delivery: `opened` (the link was followed) or
 * `downloaded` (a file was fetched). States only go up: a downloaded delivery stays downloaded,
 * a cancelled one is left alone (it was never sent, so its token cannot have been seen), and a
 * row the sender holds (`sending`) gets only its time, so the sender's own outcome is not
 * overwritten under it.
 *
 * A queued or failed row moves too: the token exists only in what was sent, so a followed link
 * proves an earlier attempt reached the recipient (the sender then has nothing left to send —
 * which is right: the message arrived). The times are kept from the first use.
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../../../../db/index.ts'
import { now } from '../../../../platform/clock.ts'

/** Marks a delivery opened (link followed). */
export async function recordLinkOpened(db: Db, deliveryId: string): Promise<void> {
  const at = now().toISOString()
  await db.execute(sql`
    UPDATE distribution_deliveries
    SET opened_at = coalesce(opened_at, ${at}::timestamptz),
        state = CASE WHEN state IN ('queued', 'sent', 'failed') THEN 'opened' ELSE state END
    WHERE id = ${deliveryId} AND state NOT IN ('cancelled')`)
}

/** Marks a delivery downloaded (a file of it was fetched); opened too if it was not yet. */
export async function recordLinkDownloaded(db: Db, deliveryId: string): Promise<void> {
  const at = now().toISOString()
  await db.execute(sql`
    UPDATE distribution_deliveries
    SET opened_at = coalesce(opened_at, ${at}::timestamptz),
        downloaded_at = coalesce(downloaded_at, ${at}::timestamptz),
        state = CASE WHEN state = 'sending' THEN state ELSE 'downloaded' END
    WHERE id = ${deliveryId} AND state NOT IN ('cancelled')`)
}
