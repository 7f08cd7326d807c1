/**
 * The mails of the afterwards part, bilingual like every event mail (a partner's language is
 * not known): the materials (thanks to those who came, "for partners who could not attend" to
 * the others, "bổ sung" on a later round) and the notice that an invitation was withdrawn,
 * which carries a METHOD:CANCEL calendar file so the event leaves that partner's calendar.
 */
import type { Tx } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { t } from '../../../platform/i18n/index.ts'
import { queueMail } from '../../../platform/mail/index.ts'
import { absoluteUrl, releasePath } from '../../newsroom/newsroom.paths.ts'
import { calendarFileName, eventCalendar } from '../events.ics.ts'
import { type EventRow, eventWhen, portalEventPath } from '../invitations/invitations.mail.ts'
import type { MaterialView } from './afterwards.queries.ts'

/** The link a material's mail line carries: a release's public page, or the stored URL. */
export function materialLink(m: Pick<MaterialView, 'url' | 'releaseSlug' | 'releaseStatus'>): string | null {
  if (m.url) return m.url
  if (m.releaseSlug && m.releaseStatus === 'published') return absoluteUrl(processConfig().publicUrl, releasePath(m.releaseSlug))
  return null
}

/**
 * Queues the materials mail to one invitee, in `tx`. `attended` picks the wording (thanks, or
 * "for partners who could not attend"); `supplement` marks a later round.
 */
export async function queueMaterialsMail(
  tx: Tx,
  o: {
    event: EventRow
    /** The invitee. */
    to: { name: string; email: string }
    attended: boolean
    supplement: boolean
    /** The materials with a link (at least one). */
    materials: { kind: string; title: string; link: string }[]
    /** The office's name. */
    office: string
  },
): Promise<string> {
  const { event } = o
  const url = `${processConfig().publicUrl}${portalEventPath(event.id)}`
  const part = (l: 'vi' | 'en') => {
    const p = { title: event.title, name: o.to.name, office: o.office, when: eventWhen(event, l), url }
    const lines = [
      t(l, 'evafterwards.mail.greeting', p),
      '',
      t(l, o.attended ? 'evafterwards.mail.attended' : 'evafterwards.mail.absent', p),
      t(l, 'evafterwards.mail.when', p),
      '',
      t(l, o.supplement ? 'evafterwards.mail.listSupplement' : 'evafterwards.mail.list', p),
      ...o.materials.map((m) => `- ${t(l, `evafterwards.kind.${m.kind}`)}: ${m.title}\n  ${m.link}`),
      '',
      t(l, 'evafterwards.mail.footer', p),
    ]
    return { subject: t(l, o.supplement ? 'evafterwards.mail.subjectSupplement' : 'evafterwards.mail.subject', p), text: lines.join('\n') }
  }
  const vi = part('vi')
  const en = part('en')
  return queueMail(tx, {
    tenantId: event.tenantId,
    to: o.to.email,
    subject: `${vi.subject} / ${en.subject}`,
    text: `${vi.text}\n\n— English —\n\n${en.text}`,
  })
}

/**
 * Queues the notice that one partner's invitation was withdrawn, with the event as METHOD:CANCEL
 * (same UID; SEQUENCE `sequence`, above every copy they hold) so their calendar drops it, in `tx`.
 */
export async function queueWithdrawalMail(
  tx: Tx,
  o: {
    event: EventRow
    to: { name: string; email: string }
    organizer: { name: string; email: string }
    /** The SEQUENCE written in the file. */
    sequence: number
  },
): Promise<string> {
  const { event } = o
  const part = (l: 'vi' | 'en') => {
    const p = { title: event.title, office: o.organizer.name, when: eventWhen(event, l) }
    return {
      subject: t(l, 'evafterwards.withdrawMail.subject', p),
      text: [
        t(l, 'evafterwards.withdrawMail.intro', p),
        t(l, 'evafterwards.mail.when', p),
        '',
        t(l, 'evafterwards.withdrawMail.footer', p),
      ].join('\n'),
    }
  }
  const vi = part('vi')
  const en = part('en')
  const text = eventCalendar(
    { ...event, sequence: o.sequence, cancelReason: null },
    {
      method: 'CANCEL',
      organizer: o.organizer,
      attendee: { name: o.to.name, email: o.to.email },
    },
  )
  return queueMail(tx, {
    tenantId: event.tenantId,
    to: o.to.email,
    subject: `${vi.subject} / ${en.subject}`,
    text: `${vi.text}\n\n— English —\n\n${en.text}`,
    attachments: [{ filename: calendarFileName(event), contentType: 'text/calendar; charset=utf-8; method=CANCEL', content: text }],
  })
}
