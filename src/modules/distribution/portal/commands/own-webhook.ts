/**
 * Shared by the partner's own changes to one of their endpoints, each a small step with its audit row:
 * rotate the secret, re-enable after it was disabled, delete. Each loads the endpoint FOR UPDATE
 * with the partner's id in the where-clause: another partner's endpoint, a deleted one and a
 * guessed id all answer NOT_FOUND alike.
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { isUuid } from '../../../partners/partners.normalize.ts'
import { distributionWebhooks } from '../../distribution.tables.ts'
import { ownLiveWebhooks } from '../settings.queries.ts'

/** Who changes which endpoint. */
export interface WebhookChange {
  tx: Tx
  /** The partner's account. */
  actor: Actor
  /** The partner (loaded live by the route with `requirePartner`). */
  partnerId: string
  webhookId: string
  ip?: string
}

/** The partner's own live endpoint, locked for the change; NOT_FOUND otherwise. */
export async function lockOwnWebhook(o: WebhookChange) {
  if (!isUuid(o.webhookId)) throw new AppError('NOT_FOUND')
  const [row] = await o.tx
    .select()
    .from(distributionWebhooks)
    .where(and(ownLiveWebhooks(o.actor.tenantId, o.partnerId), eq(distributionWebhooks.id, o.webhookId)))
    .for('update')
  if (!row) throw new AppError('NOT_FOUND')
  return row
}

/** The change's audit row, in the same transaction. */
export function auditWebhookChange(
  o: WebhookChange,
  action: 'distribution.webhook_secret_rotated' | 'distribution.webhook_enabled' | 'distribution.webhook_deleted',
  summary: Record<string, unknown>,
) {
  return recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action,
    subjectType: 'distribution_webhook',
    subjectId: o.webhookId,
    summary: { partnerId: o.partnerId, ...summary },
    ip: o.ip,
  })
}
