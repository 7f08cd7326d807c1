/**
 * Mail to an applicant, Vietnamese then English in one message (their language is not known):
 * queued in the caller's transaction, so a mail exists if and only if its decision committed.
 */
import type { Tx } from '../../../db/index.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'

/** Queues the message `application.mail.<key>` (subject and body) with `params` in both languages. */
export function queueApplicationMail(
  tx: Tx,
  o: { tenantId: string; to: string; key: 'verify' | 'status' | 'question' | 'closed' | 'withdrawn'; params: Record<string, string> },
): Promise<string> {
  const k = `application.mail.${o.key}`
  return queueMail(tx, {
    tenantId: o.tenantId,
    to: o.to,
    subject: `${t('vi', `${k}.subject`, o.params)} / ${t('en', `${k}.subject`, o.params)}`,
    text: `${t('vi', `${k}.body`, o.params)}\n\n— English —\n\n${t('en', `${k}.body`, o.params)}`,
  })
}
