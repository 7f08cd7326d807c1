import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { partners } from '../../../partners/partners.tables.ts'
import { distributionWebhooks } from '../../distribution.tables.ts'
import { newWebhookSecret, validateWebhookUrl } from '../../webhooks/webhooks.ts'
import { countOwnWebhooks, MAX_WEBHOOKS } from '../settings.queries.ts'

/**
 * Adds a webhook endpoint for the partner. The URL is checked by the webhooks part
 * (`validateWebhookUrl`: http(s) only, at most 2,048 characters, no credentials, and no private,
 * loopback or link-local address unless `allowPrivate`); a refusal throws its AppError and
 * nothing is written. At most `MAX_WEBHOOKS` endpoints per partner (DISTRIBUTION_WEBHOOK_LIMIT),
 * counted under a lock on the partner row so two concurrent additions cannot both pass. The
 * new Standard Webhooks secret (`whsec_…`) is returned once for the page to show; the audit
 * row never holds it.
 */
export async function createWebhook(o: {
  tx: Tx
  /** The partner's account. */
  actor: Actor
  /** The partner (loaded live by the route with `requirePartner`). */
  partnerId: string
  /** The URL as typed. */
  url: string
  /** `config.outboundAllowPrivate` (tests and closed networks only). */
  allowPrivate: boolean
  /** Name resolution for the URL check (seed-demo: its RFC 2606 names resolve nowhere). */
  resolve?: (host: string) => Promise<{ address: string; family: number }[]>
  ip?: string
}): Promise<{ id: string; url: string; secret: string }> {
  const url = await validateWebhookUrl(o.url, { allowPrivate: o.allowPrivate, resolve: o.resolve })
  const tenantId = o.actor.tenantId
  await o.tx.select({ id: partners.id }).from(partners).where(eq(partners.id, o.partnerId)).for('update')
  if ((await countOwnWebhooks(o.tx, tenantId, o.partnerId)) >= MAX_WEBHOOKS)
    throw new AppError('DISTRIBUTION_WEBHOOK_LIMIT', { max: MAX_WEBHOOKS })
  const secret = newWebhookSecret()
  const at = now()
  const [row] = await o.tx
    .insert(distributionWebhooks)
    .values({ tenantId, partnerId: o.partnerId, url, secret, createdAt: at, updatedAt: at })
    .returning({ id: distributionWebhooks.id })
  const id = row?.id as string
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'distribution.webhook_created',
    subjectType: 'distribution_webhook',
    subjectId: id,
    summary: { partnerId: o.partnerId, url },
    ip: o.ip,
  })
  return { id, url, secret }
}
