/**
 * Mail to a partner, in Vietnamese then English in one message (a partner's language is not
 * known yet): queued in the caller's transaction.
 */
import type { Tx } from '../../db/index.ts'
import { t } from '../../platform/i18n/index.ts'
import { queueMail } from '../../platform/mail/index.ts'
import { formatDay } from '../../platform/time.ts'
import type { PartnerStatus } from './partners.tables.ts'

function bilingual(tx: Tx, tenantId: string, to: string, key: string, params: (l: 'vi' | 'en') => Record<string, string | number>) {
  const vi = params('vi')
  const en = params('en')
  return queueMail(tx, {
    tenantId,
    to,
    subject: `${t('vi', `${key}.subject`, vi)} / ${t('en', `${key}.subject`, en)}`,
    text: `${t('vi', `${key}.body`, vi)}\n\n— English —\n\n${t('en', `${key}.body`, en)}`,
  })
}

/** Tells the partner their new status and the reason. */
export function queueStatusMail(tx: Tx, o: { tenantId: string; to: string; name: string; status: PartnerStatus; reason: string }) {
  return bilingual(tx, o.tenantId, o.to, 'partners.mail.status', (l) => ({
    name: o.name,
    status: t(l, `partners.status.${o.status}`),
    reason: o.reason,
  }))
}

/** Reminds the partner that their accreditation ends on `endsOn` (a local day), `days` ahead. */
export function queueExpiryReminder(tx: Tx, o: { tenantId: string; to: string; name: string; endsOn: string; days: number }) {
  return bilingual(tx, o.tenantId, o.to, 'partners.mail.reminder', (l) => ({
    name: o.name,
    day: formatDay(o.endsOn, l),
    days: o.days,
  }))
}
