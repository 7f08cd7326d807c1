import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { maskPersonalData, REMOVED } from '../../../text/pii.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { recordInquiryEvent } from '../inquiries.history.ts'
import { attributionLine, queueAnswerMail } from '../inquiries.mail.ts'
import { isUuid } from '../inquiries.repository.ts'
import { type InquiryRow, inquiries } from '../inquiries.tables.ts'
import { MAX_QUESTION } from './create-inquiry.ts'
import { askerLink, authorizeAnswer, lockOpenInquiry } from './decide-common.ts'

/**
 * The question as a public Q&A may show it: personal data masked by the product's own rules
 * (`text/pii.ts`: names, phones, e-mails, addresses …) and the asker's name taken out wherever
 * it appears, whether or not the masker knew it as a name.
 */
export function publicQuestionOf(question: string, askerName: string): string {
  let out = maskPersonalData(question)
  const name = askerName.normalize('NFC').trim()
  if (name.length >= 2) out = out.split(name).join(REMOVED)
  return out
}

/**
 * Answers an open inquiry. The answer must name a spokesperson of the register (active) and
 * carries the agency (the office's name): outlets cite both. The answering officer, the named
 * spokesperson (name and title as of now) and the time are kept; the asker gets it in the
 * portal and by mail; optionally it becomes a public Q&A at /hoi-dap/<code> with the question
 * stripped of the asker's personal data (their name only when they agreed). Audited.
 */
export async function answerInquiry(o: {
  tx: Tx
  actor: Actor
  inquiryId: string
  answer: string
  spokespersonId: string | null | undefined
  /** The agency named with the spokesperson (the tenant's name). */
  agency: string
  publicUrl: string
  /** Publish as a public Q&A. */
  publish?: boolean
  /** The public wording of the question (default: the masked question). */
  publicQuestion?: string | null
  ip?: string
}): Promise<InquiryRow> {
  const tenantId = o.actor.tenantId
  const inquiry = await lockOpenInquiry(o.tx, tenantId, o.inquiryId)
  authorizeAnswer(o.actor, inquiry)
  const answer = (o.answer ?? '').normalize('NFC').trim()
  if (!answer) throw new AppError('INQUIRY_INVALID', { field: 'answer' })
  if (answer.length > MAX_QUESTION) throw new AppError('INQUIRY_TOO_LONG', { max: MAX_QUESTION, length: answer.length })
  if (!o.spokespersonId || !isUuid(o.spokespersonId)) throw new AppError('INQUIRY_SPOKESPERSON_REQUIRED')
  const [sp] = await o.tx
    .select()
    .from(spokespersons)
    .where(and(eq(spokespersons.tenantId, tenantId), eq(spokespersons.id, o.spokespersonId), eq(spokespersons.active, true)))
  if (!sp) throw new AppError('INQUIRY_SPOKESPERSON_REQUIRED')
  const agency = o.agency.trim()
  if (!agency) throw new AppError('INQUIRY_INVALID', { field: 'agency' })
  const at = now()
  let publicQuestion: string | null = null
  if (o.publish) {
    publicQuestion = (o.publicQuestion ?? '').normalize('NFC').trim() || publicQuestionOf(inquiry.question, inquiry.askerName)
    if (publicQuestion.length > MAX_QUESTION) throw new AppError('INQUIRY_TOO_LONG', { max: MAX_QUESTION, length: publicQuestion.length })
  }
  const [row] = await o.tx
    .update(inquiries)
    .set({
      status: 'answered',
      answer,
      answeredByUserId: o.actor.id,
      answerSpokespersonId: sp.id,
      answerSpokespersonName: sp.name,
      answerSpokespersonTitle: sp.title,
      answerAgency: agency,
      answeredAt: at,
      publicSlug: o.publish ? inquiry.code.toLowerCase() : null,
      publicQuestion,
      publishedAt: o.publish ? at : null,
      updatedAt: at,
    })
    .where(eq(inquiries.id, inquiry.id))
    .returning()
  const actor = { id: o.actor.id, label: o.actor.email }
  const onTime = at.getTime() <= inquiry.dueAt.getTime()
  await recordInquiryEvent(o.tx, {
    tenantId,
    inquiryId: inquiry.id,
    type: 'answered',
    actor,
    detail: { spokespersonId: sp.id, spokespersonName: sp.name, spokespersonTitle: sp.title, agency, onTime },
    at,
  })
  await recordAudit(o.tx, {
    tenantId,
    actor,
    action: 'inquiry.answered',
    subjectType: 'inquiry',
    subjectId: inquiry.id,
    summary: { code: inquiry.code, spokespersonId: sp.id, spokespersonName: sp.name, agency, onTime, dueAt: inquiry.dueAt.toISOString() },
    ip: o.ip,
  })
  if (o.publish) {
    await recordInquiryEvent(o.tx, {
      tenantId,
      inquiryId: inquiry.id,
      type: 'published',
      actor,
      detail: { slug: inquiry.code.toLowerCase() },
      at,
    })
    await recordAudit(o.tx, {
      tenantId,
      actor,
      action: 'inquiry.published',
      subjectType: 'inquiry',
      subjectId: inquiry.id,
      summary: { code: inquiry.code, slug: inquiry.code.toLowerCase(), askerNamed: inquiry.askerNamePublic },
      ip: o.ip,
    })
  }
  if (inquiry.askerEmail) {
    await queueAnswerMail(o.tx, {
      tenantId,
      to: inquiry.askerEmail,
      code: inquiry.code,
      topic: inquiry.topic,
      answer,
      attribution: attributionLine('vi', { name: sp.name, title: sp.title, agency }),
      link: askerLink(o.publicUrl, inquiry),
    })
  }
  return row as InquiryRow
}
