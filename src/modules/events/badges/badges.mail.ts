/**
 * The badge mail: the badge PDF attached (base64 in the outbox row), the short code and the
 * portal link in the text, in Vietnamese then English. Queued in the caller's transaction, so it
 * goes if and only if the badge it carries was committed.
 */
import type { Tx } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { eventWhen, portalEventPath } from '../invitations/invitations.mail.ts'
import type { Badge } from './badges.queries.ts'
import { badgePdf } from './badges.pdf.ts'

/** The file name of a badge PDF (ASCII: mail clients and headers handle it everywhere). */
export function badgeFileName(badge: Pick<Badge, 'code'>): string {
  return `the-tham-du-${badge.code}.pdf`
}

/** Queues the badge mail to `email`; `reissued` words it as a replacement. Returns the outbox id. */
export async function queueBadgeMail(
  tx: Tx,
  o: {
    /** The tenant. */
    tenantId: string
    /** The badge as it now stands. */
    badge: Badge
    /** The partner's address. */
    email: string
    /** The office's name (printed on the badge). */
    office: string
    /** True when this badge replaces an earlier one. */
    reissued: boolean
  },
): Promise<string> {
  const { badge } = o
  const url = `${processConfig().publicUrl}${portalEventPath(badge.eventId)}`
  const kind = o.reissued ? 'reissued' : 'issued'
  const part = (l: 'vi' | 'en') => {
    const p = {
      title: badge.event.title,
      code: badge.code,
      name: badge.partnerName,
      url,
      office: o.office,
      when: eventWhen(badge.event, l),
    }
    return {
      subject: t(l, `evbadges.mail.${kind}.subject`, p),
      text: [
        t(l, `evbadges.mail.${kind}.intro`, p),
        '',
        `${t(l, 'evbadges.mail.when')}: ${p.when}`,
        `${t(l, 'evbadges.mail.place')}: ${badge.event.place || '—'}`,
        `${t(l, 'evbadges.mail.code')}: ${badge.code}`,
        '',
        t(l, 'evbadges.mail.footer', p),
      ].join('\n'),
    }
  }
  const vi = part('vi')
  const en = part('en')
  const pdf = await badgePdf(o.office, badge)
  return queueMail(tx, {
    tenantId: o.tenantId,
    to: o.email,
    subject: `${vi.subject} / ${en.subject}`,
    text: `${vi.text}\n\n— English —\n\n${en.text}`,
    attachments: [{ filename: badgeFileName(badge), contentType: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64' }],
  })
}
