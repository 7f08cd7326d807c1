/**
 * Mail about inquiries, in Vietnamese then English in one message (the asker's language is not
 * known), queued in the deciding transaction. Mail to the head of the office names the
 * inquiry's code and due time, never a linked case (every admin reads the outbox).
 */
import type { Tx } from '../../db/index.ts'
import { type Locale, t } from '../../platform/i18n/index.ts'
import { queueMail } from '../../platform/mail/index.ts'
import { localFormat } from '../../platform/time.ts'

/** A due time as mail and pages show it: "23:59 08/03/2027". */
export function formatDue(at: Date, l: Locale): string {
  return localFormat(l, { hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at)
}

function bilingual(tx: Tx, tenantId: string, to: string, key: string, params: (l: Locale) => Record<string, string | number>) {
  const vi = params('vi')
  const en = params('en')
  return queueMail(tx, {
    tenantId,
    to,
    subject: `${t('vi', `${key}.subject`, vi)} / ${t('en', `${key}.subject`, en)}`,
    text: `${t('vi', `${key}.body`, vi)}\n\n— English —\n\n${t('en', `${key}.body`, en)}`,
  })
}

/** Tells the asker their inquiry was received, with its number and due time. */
export function queueReceivedMail(tx: Tx, o: { tenantId: string; to: string; code: string; topic: string; dueAt: Date; link: string }) {
  return bilingual(tx, o.tenantId, o.to, 'inquiries.mail.received', (l) => ({
    code: o.code,
    topic: o.topic,
    due: formatDue(o.dueAt, l),
    link: o.link,
  }))
}

/** Sends the answer, naming the spokesperson and the agency. */
export function queueAnswerMail(
  tx: Tx,
  o: { tenantId: string; to: string; code: string; topic: string; answer: string; attribution: string; link: string },
) {
  return bilingual(tx, o.tenantId, o.to, 'inquiries.mail.answered', () => ({
    code: o.code,
    topic: o.topic,
    answer: o.answer,
    attribution: o.attribution,
    link: o.link,
  }))
}

/** Tells the asker the inquiry is refused, with the legal ground and the explanation. */
export function queueRefusalMail(
  tx: Tx,
  o: { tenantId: string; to: string; code: string; topic: string; ground: string; explanation: string; link: string },
) {
  return bilingual(tx, o.tenantId, o.to, 'inquiries.mail.refused', (l) => ({
    code: o.code,
    topic: o.topic,
    ground: t(l, `inquiries.ground.${o.ground}`),
    explanation: o.explanation,
    link: o.link,
  }))
}

/** Escalation to the head of the office: the code, the kind and the due time. */
export function queueEscalationMail(tx: Tx, o: { tenantId: string; to: string; code: string; kind: string; dueAt: Date; link: string }) {
  return bilingual(tx, o.tenantId, o.to, 'inquiries.mail.escalated', (l) => ({
    code: o.code,
    kind: t(l, `inquiries.kind.${o.kind}`),
    due: formatDue(o.dueAt, l),
    link: o.link,
  }))
}

/** Tells a staff member an inquiry was assigned to them, with its due time (never a linked case). */
export function queueAssignedMail(tx: Tx, o: { tenantId: string; to: string; code: string; kind: string; dueAt: Date; link: string }) {
  return bilingual(tx, o.tenantId, o.to, 'inquiries.mail.assigned', (l) => ({
    code: o.code,
    kind: t(l, `inquiries.kind.${o.kind}`),
    due: formatDue(o.dueAt, l),
    link: o.link,
  }))
}

/** The attribution line every answer carries: "Người phát ngôn: …, … — <agency>". */
export function attributionLine(l: Locale, o: { name: string; title: string; agency: string }): string {
  return t(l, 'inquiries.attribution', { name: o.name, title: o.title, agency: o.agency })
}
