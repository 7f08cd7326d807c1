/**
 * What the partner's delivery settings read: their e-mail preference, their webhook endpoints
 * and each endpoint's recent deliveries with every attempt's status code. Keyed on the partner
 * id the route loaded (`requirePartner`); another partner's endpoint is simply not found.
 */
import { and, count, desc, eq, inArray, isNull } from 'drizzle-orm'
import type { Db, Tx } from '../../../db/index.ts'
import { isUuid } from '../../partners/partners.normalize.ts'
import { distributionAttempts, distributionDeliveries, distributionPreferences, distributionWebhooks } from '../distribution.tables.ts'
import type { DeliveryKind, DeliveryState, EmailMode } from '../distribution.types.ts'

/** At most this many endpoints per partner (deleted ones do not count). */
export const MAX_WEBHOOKS = 3
/** Recent deliveries shown per endpoint. */
export const RECENT_DELIVERIES = 20
/** How long the old secret keeps signing beside the new one after a rotation. */
export const ROTATION_GRACE_MS = 24 * 3_600_000
/**
 * `disabled_reason` of an endpoint its owner deleted (its `deleted_at` is what every query
 * filters on). The row stays (its deliveries and attempts refer to it and are the record of
 * what was sent) but is disabled for good and never shown to the partner again.
 */
export const WEBHOOK_DELETED_REASON = 'deleted_by_owner'

/** The partner's e-mail preference (defaults when they never chose). */
export interface EmailPreference {
  emailMode: EmailMode
  digestHour: number
  emailBouncedAt: Date | null
}

/** The e-mail preference of a partner; no row means "immediately, digest at 07:00". */
export async function emailPreferenceOf(db: Db | Tx, tenantId: string, partnerId: string): Promise<EmailPreference> {
  const [row] = await db
    .select({
      emailMode: distributionPreferences.emailMode,
      digestHour: distributionPreferences.digestHour,
      emailBouncedAt: distributionPreferences.emailBouncedAt,
    })
    .from(distributionPreferences)
    .where(and(eq(distributionPreferences.partnerId, partnerId), eq(distributionPreferences.tenantId, tenantId)))
  return row ?? { emailMode: 'immediate', digestHour: 7, emailBouncedAt: null }
}

/** A partner's endpoint as their pages show it (never the secret: that is shown once, when made). */
export interface WebhookView {
  id: string
  url: string
  state: 'active' | 'disabled'
  disabledReason: string | null
  disabledAt: Date | null
  consecutiveFailures: number
  lastSuccessAt: Date | null
  previousSecretUntil: Date | null
  createdAt: Date
}

const webhookColumns = {
  id: distributionWebhooks.id,
  url: distributionWebhooks.url,
  state: distributionWebhooks.state,
  disabledReason: distributionWebhooks.disabledReason,
  disabledAt: distributionWebhooks.disabledAt,
  consecutiveFailures: distributionWebhooks.consecutiveFailures,
  lastSuccessAt: distributionWebhooks.lastSuccessAt,
  previousSecretUntil: distributionWebhooks.previousSecretUntil,
  createdAt: distributionWebhooks.createdAt,
}

/** The partner's endpoints that exist for them: every one but those they deleted. */
export function ownLiveWebhooks(tenantId: string, partnerId: string) {
  return and(
    eq(distributionWebhooks.tenantId, tenantId),
    eq(distributionWebhooks.partnerId, partnerId),
    isNull(distributionWebhooks.deletedAt),
  )
}

/** The partner's endpoints, disabled ones first (they need attention), then oldest first. */
export async function listOwnWebhooks(db: Db | Tx, tenantId: string, partnerId: string): Promise<WebhookView[]> {
  const rows = await db
    .select(webhookColumns)
    .from(distributionWebhooks)
    .where(ownLiveWebhooks(tenantId, partnerId))
    .orderBy(distributionWebhooks.createdAt)
  return [...rows.filter((r) => r.state === 'disabled'), ...rows.filter((r) => r.state !== 'disabled')]
}

/** How many endpoints the partner has (the limit counts these). */
export async function countOwnWebhooks(db: Db | Tx, tenantId: string, partnerId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(distributionWebhooks).where(ownLiveWebhooks(tenantId, partnerId))
  return Number(row?.n ?? 0)
}

/** One of the partner's endpoints, or undefined (another partner's, deleted, or a guessed id). */
export async function findOwnWebhook(db: Db | Tx, tenantId: string, partnerId: string, id: string): Promise<WebhookView | undefined> {
  if (!isUuid(id)) return undefined
  const [row] = await db
    .select(webhookColumns)
    .from(distributionWebhooks)
    .where(and(ownLiveWebhooks(tenantId, partnerId), eq(distributionWebhooks.id, id)))
  return row
}

/** One recent delivery to an endpoint, with its attempts (newest first). */
export interface EndpointDelivery {
  id: string
  kind: DeliveryKind
  title: string
  state: DeliveryState
  attempts: number
  lastStatus: number | null
  lastError: string | null
  createdAt: Date
  sentAt: Date | null
  nextAttemptAt: Date
  tries: { at: Date; status: number | null; error: string | null; durationMs: number | null }[]
}

/** The last `RECENT_DELIVERIES` deliveries to one of the partner's endpoints, each with its attempts. */
export async function recentDeliveries(db: Db | Tx, tenantId: string, partnerId: string, webhookId: string): Promise<EndpointDelivery[]> {
  const rows = await db
    .select({
      id: distributionDeliveries.id,
      kind: distributionDeliveries.kind,
      payload: distributionDeliveries.payload,
      state: distributionDeliveries.state,
      attempts: distributionDeliveries.attempts,
      lastStatus: distributionDeliveries.lastStatus,
      lastError: distributionDeliveries.lastError,
      createdAt: distributionDeliveries.createdAt,
      sentAt: distributionDeliveries.sentAt,
      nextAttemptAt: distributionDeliveries.nextAttemptAt,
    })
    .from(distributionDeliveries)
    .where(
      and(
        eq(distributionDeliveries.tenantId, tenantId),
        eq(distributionDeliveries.partnerId, partnerId),
        eq(distributionDeliveries.webhookId, webhookId),
      ),
    )
    .orderBy(desc(distributionDeliveries.createdAt), desc(distributionDeliveries.id))
    .limit(RECENT_DELIVERIES)
  const ids = rows.map((r) => r.id)
  const tries =
    ids.length === 0
      ? []
      : await db
          .select({
            deliveryId: distributionAttempts.deliveryId,
            at: distributionAttempts.at,
            status: distributionAttempts.status,
            error: distributionAttempts.error,
            durationMs: distributionAttempts.durationMs,
          })
          .from(distributionAttempts)
          .where(and(eq(distributionAttempts.tenantId, tenantId), inArray(distributionAttempts.deliveryId, ids)))
          .orderBy(desc(distributionAttempts.at), desc(distributionAttempts.id))
  return rows.map(({ payload, ...r }) => ({
    ...r,
    title: payload.title,
    tries: tries.filter((a) => a.deliveryId === r.id).map(({ deliveryId: _d, ...a }) => a),
  }))
}
