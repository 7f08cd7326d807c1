/**
 * Mail to a public subscriber: their language first, then the other (the form's language is a
 * guess at the reader's). Queued in the caller's transaction, so a mail exists if and only if the
 * step that sends it committed.
 */
import type { Tx } from '../../../db/index.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'

/** Queues `dist.subs.mail.<key>` (subject and body) to `to` with `params`. */
export function queueSubscriptionMail(
  tx: Tx,
  o: { tenantId: string; to: string; locale: Locale; key: 'confirm' | 'preferences'; params: Record<string, string> },
): Promise<string> {
  const k = `dist.subs.mail.${o.key}`
  const first = o.locale
  const second: Locale = first === 'vi' ? 'en' : 'vi'
  return queueMail(tx, {
    tenantId: o.tenantId,
    to: o.to,
    subject: `${t(first, `${k}.subject`, o.params)} / ${t(second, `${k}.subject`, o.params)}`,
    text: `${t(first, `${k}.body`, o.params)}\n\n— ${second === 'en' ? 'English' : 'Tiếng Việt'} —\n\n${t(second, `${k}.body`, o.params)}`,
  })
}
