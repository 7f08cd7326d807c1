import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { randomToken, tokenHash } from '../../../../platform/auth/secrets.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import type { SubscriptionChoices } from '../subscriptions.input.ts'
import { CONFIRM_VALID_MS, confirmPath, subscriberUrls, subscriptionKey } from '../subscriptions.links.ts'
import { queueSubscriptionMail } from '../subscriptions.mail.ts'
import { publicSubscriptions } from '../subscriptions.tables.ts'

/** The subscriber as actor: no account, no name; labelled in both languages. */
export const SUBSCRIBER: AuditActor = { id: null, label: 'người đăng ký / subscriber' }

/** A form sent again within this time sends no second mail (the first is on its way). */
export const RESEND_AFTER_MS = 10 * 60 * 1000

/** What happened, for the audit and tests; the person who submitted sees the same page whatever it is. */
export type RequestOutcome = 'new' | 'pending' | 'active'

/**
 * A subscription request from the public form. The answer page is the same whatever the address
 * is (no enumeration); what differs happens in the mailbox:
 * - a new address: a pending row and a confirmation mail (double opt-in: nothing is sent to it
 *   before the address confirms);
 * - a pending one: its choices replaced, a new confirmation link (the old one dies);
 * - one that had left is not found: leaving erased the address from its row (unsubscribe.ts),
 *   so coming back is a new row with new links, and the old row's links still say "already
 *   unsubscribed";
 * - an active one: nothing changes (a stranger must not change someone's subscription), the
 *   address gets a mail with its preference link instead.
 * A request repeated within {@link RESEND_AFTER_MS} sends no second mail. Concurrent duplicates
 * end in one row (the unique address and the row lock).
 */
export async function requestSubscription(o: {
  tx: Tx
  tenantId: string
  /** The site's public address (links in the mail). */
  publicUrl: string
  /** Normalised address (`subscriptionEmail`). */
  email: string
  choices: SubscriptionChoices
  locale: 'vi' | 'en'
}): Promise<{ outcome: RequestOutcome; mailed: boolean }> {
  const at = now()
  const inserted = await o.tx
    .insert(publicSubscriptions)
    .values({
      tenantId: o.tenantId,
      email: o.email,
      kinds: o.choices.kinds,
      communes: o.choices.communes,
      warningKinds: o.choices.warningKinds ?? [],
      locale: o.locale,
      createdAt: at,
      updatedAt: at,
    })
    .onConflictDoNothing()
    .returning({ id: publicSubscriptions.id })
  const [row] = await o.tx
    .select()
    .from(publicSubscriptions)
    .where(and(eq(publicSubscriptions.tenantId, o.tenantId), eq(publicSubscriptions.email, o.email)))
    .for('update')
  if (!row) throw new Error('public_subscriptions: row vanished')

  const outcome: RequestOutcome = inserted.length > 0 ? 'new' : row.state === 'active' ? 'active' : 'pending'
  // Only a mail that may still be on its way holds the next one back: a pending address with a
  // live link, or an active one just sent its preference link.
  const recent = row.lastMailedAt !== null && at.getTime() - row.lastMailedAt.getTime() < RESEND_AFTER_MS
  const throttled =
    recent &&
    (outcome === 'active' || (outcome === 'pending' && row.confirmExpiresAt !== null && row.confirmExpiresAt.getTime() > at.getTime()))
  let mailed = false

  if (outcome === 'active') {
    if (!throttled) {
      const key = await subscriptionKey(o.tx, o.tenantId)
      const urls = subscriberUrls(key, o.publicUrl, row)
      await queueSubscriptionMail(o.tx, {
        tenantId: o.tenantId,
        to: o.email,
        locale: row.locale,
        key: 'preferences',
        params: { preferences: urls.preferencesUrl, unsubscribe: urls.unsubscribeUrl },
      })
      await o.tx.update(publicSubscriptions).set({ lastMailedAt: at }).where(eq(publicSubscriptions.id, row.id))
      mailed = true
    }
  } else {
    // New or pending: the choices typed now are the ones confirmed.
    const token = throttled ? null : randomToken(32)
    await o.tx
      .update(publicSubscriptions)
      .set({
        kinds: o.choices.kinds,
        communes: o.choices.communes,
        warningKinds: o.choices.warningKinds ?? [],
        locale: o.locale,
        state: 'pending',
        ...(token
          ? { confirmTokenHash: tokenHash(token), confirmExpiresAt: new Date(at.getTime() + CONFIRM_VALID_MS), lastMailedAt: at }
          : {}),
        updatedAt: at,
      })
      .where(eq(publicSubscriptions.id, row.id))
    if (token) {
      await queueSubscriptionMail(o.tx, {
        tenantId: o.tenantId,
        to: o.email,
        locale: o.locale,
        key: 'confirm',
        params: { link: `${o.publicUrl}${confirmPath(token)}`, hours: '48' },
      })
      mailed = true
    }
  }

  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: SUBSCRIBER,
    action: 'subscription.requested',
    subjectType: 'public_subscription',
    subjectId: row.id,
    // Never the address itself here: the audit log is append-only, the row can be erased.
    summary: { outcome, mailed, kinds: o.choices.kinds, communes: o.choices.communes.length, warningKinds: o.choices.warningKinds ?? [] },
  })
  return { outcome, mailed }
}
