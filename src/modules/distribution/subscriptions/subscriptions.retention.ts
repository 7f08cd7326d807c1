/**
 * Unconfirmed subscriptions are not kept: an address that never confirmed gave no consent, so a
 * pending row (and the address in it) is deleted a week after its last request. Daily job.
 */
import { and, eq, lt } from 'drizzle-orm'
import type { Database } from '../../../db/index.ts'
import { now } from '../../../platform/clock.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import { publicSubscriptions } from './subscriptions.tables.ts'

/** How long a request waits for its confirmation before the address is deleted. */
export const PENDING_KEPT_DAYS = 7

/** Deletes pending subscriptions last requested more than {@link PENDING_KEPT_DAYS} ago; returns how many. */
export async function purgeUnconfirmedSubscriptions(database: Database): Promise<number> {
  const before = new Date(now().getTime() - PENDING_KEPT_DAYS * 86_400_000)
  // A pending row never has deliveries (only active subscribers are sent to), so it can go.
  const gone = await database.db
    .delete(publicSubscriptions)
    .where(and(eq(publicSubscriptions.state, 'pending'), lt(publicSubscriptions.updatedAt, before)))
    .returning({ id: publicSubscriptions.id })
  return gone.length
}

/** The daily purge of unconfirmed subscriptions. */
export const subscriptionRetentionJob = defineJob<Record<string, never>>(
  'distribution.subscriptions-retention',
  async (_data, _job, ctx) => {
    await purgeUnconfirmedSubscriptions(ctx.database)
  },
  { cron: '23 3 * * *', retryLimit: 1 },
)
