import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { recordInquiryEvent } from '../inquiries.history.ts'
import { isUuid } from '../inquiries.repository.ts'
import { type InquiryRow, inquiries, OPEN_STATUSES } from '../inquiries.tables.ts'

/**
 * The asking partner withdraws their own open inquiry (any partner status: withdrawing asks
 * nothing of the office). Another partner's id is not found. Audited.
 */
export async function withdrawInquiry(o: {
  tx: Tx
  tenantId: string
  partnerId: string
  actor: AuditActor
  inquiryId: string
  ip?: string
}): Promise<InquiryRow> {
  if (!isUuid(o.inquiryId)) throw new AppError('NOT_FOUND')
  const [inquiry] = await o.tx
    .select()
    .from(inquiries)
    .where(and(eq(inquiries.tenantId, o.tenantId), eq(inquiries.partnerId, o.partnerId), eq(inquiries.id, o.inquiryId)))
    .for('update')
  if (!inquiry) throw new AppError('NOT_FOUND')
  if (!(OPEN_STATUSES as readonly string[]).includes(inquiry.status)) throw new AppError('INQUIRY_CLOSED', { status: inquiry.status })
  const at = now()
  const [row] = await o.tx.update(inquiries).set({ status: 'withdrawn', updatedAt: at }).where(eq(inquiries.id, inquiry.id)).returning()
  await recordInquiryEvent(o.tx, { tenantId: o.tenantId, inquiryId: inquiry.id, type: 'withdrawn', actor: o.actor, at })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'inquiry.withdrawn',
    subjectType: 'inquiry',
    subjectId: inquiry.id,
    summary: { code: inquiry.code },
    ip: o.ip,
  })
  return row as InquiryRow
}
