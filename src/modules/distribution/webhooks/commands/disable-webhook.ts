/**
 * Disables a webhook endpoint (410 Gone, too many failures in a row, or a delivery that ran out
 * of attempts) and tells the people who must act: the owner (a mail to their address and a
 * notice in their portal inbox saying why and where to switch it back on) and the staff (a
 * mail to every active admin; the endpoint heads the console's webhook page). Audited as the
 * system's decision.
 */
import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { t } from '../../../../platform/i18n/index.ts'
import { queueMail } from '../../../../platform/mail/index.ts'
import { loadTenant } from '../../../../platform/tenancy/index.ts'
import { users } from '../../../accounts/accounts.tables.ts'
import { partners } from '../../../partners/partners.tables.ts'
import { newLinkToken } from '../../distribution.links.ts'
import { distributionDeliveries, distributionWebhooks } from '../../distribution.tables.ts'
import type { DeliveryPayload } from '../../distribution.types.ts'

/** Why an endpoint was disabled. */
export type DisableCause = { kind: 'gone' } | { kind: 'failures'; count: number; lastError: string } | { kind: 'final'; lastError: string }

/** Options of {@link disableWebhook}. */
export interface DisableWebhookOptions {
  tenantId: string
  webhookId: string
  cause: DisableCause
  /** Base of the links in the messages (config.publicUrl); without it the links are paths. */
  publicUrl?: string
}

/** The reason in both languages, as stored and shown ("vi / en"). */
export function disabledReasonText(cause: DisableCause): string {
  const key = `dist.webhooks.reason.${cause.kind}`
  const params: Record<string, string | number> =
    cause.kind === 'gone' ? {} : cause.kind === 'failures' ? { count: cause.count, error: cause.lastError } : { error: cause.lastError }
  return `${t('vi', key, params)} / ${t('en', key, params)}`
}

/**
 * Switches the endpoint off if it is on; returns false when it was already off (a concurrent
 * sender got there first: the owner and staff are told once).
 */
export async function disableWebhook(tx: Tx, o: DisableWebhookOptions): Promise<boolean> {
  const reason = disabledReasonText(o.cause)
  const at = now()
  const [hook] = await tx
    .update(distributionWebhooks)
    .set({ state: 'disabled', disabledReason: reason, disabledAt: at, updatedAt: at })
    .where(
      and(
        eq(distributionWebhooks.id, o.webhookId),
        eq(distributionWebhooks.tenantId, o.tenantId),
        eq(distributionWebhooks.state, 'active'),
      ),
    )
    .returning()
  if (!hook) return false

  await recordAudit(tx, {
    tenantId: o.tenantId,
    actor: { id: null, label: 'system' },
    action: 'distribution.webhook_disabled',
    subjectType: 'distribution_webhook',
    subjectId: hook.id,
    summary: { partnerId: hook.partnerId, host: hostOf(hook.url), cause: o.cause.kind, reason, failures: hook.consecutiveFailures },
  })

  const base = (o.publicUrl ?? '').replace(/\/+$/, '')
  const params = { host: hostOf(hook.url), reason, settings: `${base}/doi-tac/nhan-tin`, console: `${base}/console/phan-phoi/webhook` }
  const bilingual = (key: string) => `${t('vi', key, params)}\n\n— English —\n${t('en', key, params)}`
  const tenant = await loadTenant(tx, o.tenantId)
  const [partner] = await tx
    .select({ id: partners.id, name: partners.name, email: partners.email })
    .from(partners)
    .where(eq(partners.id, hook.partnerId))

  // The owner's portal inbox: always, even without an e-mail address on record.
  const payload: DeliveryPayload = {
    event: 'webhook.disabled',
    itemType: 'notice',
    itemId: hook.id,
    title: `${t('vi', 'dist.webhooks.notice.title', params)} / ${t('en', 'dist.webhooks.notice.title', params)}`,
    summary: bilingual('dist.webhooks.notice.body'),
    reason,
    source: { name: tenant?.name ?? '', url: tenant?.website ?? '' },
  }
  await tx.insert(distributionDeliveries).values({
    tenantId: o.tenantId,
    eventId: null,
    itemType: 'notice',
    itemId: hook.id,
    kind: 'notice',
    recipientType: 'partner',
    partnerId: hook.partnerId,
    channel: 'portal',
    state: 'sent',
    sentAt: at,
    linkToken: newLinkToken(),
    payload,
  })
  if (partner?.email) {
    await queueMail(tx, {
      tenantId: o.tenantId,
      to: partner.email,
      subject: `${t('vi', 'dist.webhooks.ownerMail.subject', params)} / ${t('en', 'dist.webhooks.ownerMail.subject', params)}`,
      text: bilingual('dist.webhooks.ownerMail.body'),
    })
  }
  const admins = await tx
    .select({ email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, o.tenantId), eq(users.role, 'admin'), eq(users.status, 'active')))
  const staffParams = { ...params, partner: partner?.name ?? hook.partnerId }
  for (const admin of admins) {
    await queueMail(tx, {
      tenantId: o.tenantId,
      to: admin.email,
      subject: t('vi', 'dist.webhooks.staffMail.subject', staffParams),
      text: `${t('vi', 'dist.webhooks.staffMail.body', staffParams)}\n\n— English —\n${t('en', 'dist.webhooks.staffMail.body', staffParams)}`,
    })
  }
  return true
}

/** The host of a URL, for messages (never the path: it may carry the partner's own token). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return '?'
  }
}

/** For the SQL-side counter (kept here so the threshold and the disabling live together). */
export const failuresPlusOne = sql`${distributionWebhooks.consecutiveFailures} + 1`
