import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import type { Actor } from '../../../platform/policy/index.ts'
import { recordInquiryEvent } from '../inquiries.history.ts'
import { queueRefusalMail } from '../inquiries.mail.ts'
import { type InquiryRow, inquiries, REFUSAL_GROUNDS, type RefusalGround } from '../inquiries.tables.ts'
import { askerLink, authorizeAnswer, lockOpenInquiry } from './decide-common.ts'

/** The shortest explanation accepted (a refusal must say why in words, not only a ground). */
export const MIN_EXPLANATION = 10

/**
 * Refuses an open inquiry on a legal ground picked from `REFUSAL_GROUNDS`, with an explanation
 * for the asker. No ground, an unknown one or an empty explanation is refused before anything
 * changes. The asker is told in the portal and by mail; audited with the ground.
 */
export async function refuseInquiry(o: {
  tx: Tx
  actor: Actor
  inquiryId: string
  ground: string | null | undefined
  explanation: string
  publicUrl: string
  ip?: string
}): Promise<InquiryRow> {
  const tenantId = o.actor.tenantId
  const inquiry = await lockOpenInquiry(o.tx, tenantId, o.inquiryId)
  authorizeAnswer(o.actor, inquiry)
  if (!o.ground || !(REFUSAL_GROUNDS as readonly string[]).includes(o.ground)) throw new AppError('INQUIRY_GROUND_REQUIRED')
  const ground = o.ground as RefusalGround
  const explanation = (o.explanation ?? '').normalize('NFC').trim()
  if (explanation.length < MIN_EXPLANATION) throw new AppError('INQUIRY_EXPLANATION_REQUIRED', { min: MIN_EXPLANATION })
  if (explanation.length > 5000) throw new AppError('INQUIRY_INVALID', { field: 'explanation' })
  const at = now()
  const [row] = await o.tx
    .update(inquiries)
    .set({
      status: 'refused',
      refusalGround: ground,
      refusalExplanation: explanation,
      answeredByUserId: o.actor.id,
      answeredAt: at,
      updatedAt: at,
    })
    .where(eq(inquiries.id, inquiry.id))
    .returning()
  const actor = { id: o.actor.id, label: o.actor.email }
  await recordInquiryEvent(o.tx, { tenantId, inquiryId: inquiry.id, type: 'refused', actor, detail: { ground }, at })
  await recordAudit(o.tx, {
    tenantId,
    actor,
    action: 'inquiry.refused',
    subjectType: 'inquiry',
    subjectId: inquiry.id,
    summary: { code: inquiry.code, ground, onTime: at.getTime() <= inquiry.dueAt.getTime() },
    ip: o.ip,
  })
  if (inquiry.askerEmail) {
    await queueRefusalMail(o.tx, {
      tenantId,
      to: inquiry.askerEmail,
      code: inquiry.code,
      topic: inquiry.topic,
      ground,
      explanation,
      link: askerLink(o.publicUrl, inquiry),
    })
  }
  return row as InquiryRow
}
