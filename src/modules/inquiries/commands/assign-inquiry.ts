import { and, eq, inArray } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize, STAFF_ROLES } from '../../../platform/policy/index.ts'
import { users } from '../../accounts/accounts.tables.ts'
import { spokespersons } from '../../spokespersons/spokespersons.tables.ts'
import { recordInquiryEvent } from '../inquiries.history.ts'
import { queueAssignedMail } from '../inquiries.mail.ts'
import { isUuid } from '../inquiries.repository.ts'
import { type InquiryRow, inquiries } from '../inquiries.tables.ts'
import { inquirySubject, lockOpenInquiry } from './decide-common.ts'

/**
 * Assigns an open inquiry to a spokesperson of the register and/or a staff member (at least
 * one); reassigning is allowed. Audited with who it went to.
 */
export async function assignInquiry(o: {
  tx: Tx
  actor: Actor
  inquiryId: string
  /** An active spokesperson of the register. */
  spokespersonId?: string | null
  /** An active staff account (an officer who prepares the answer). */
  userId?: string | null
  /** The site's public URL, for the link in the assignee's mail. */
  publicUrl?: string
  ip?: string
}): Promise<InquiryRow> {
  const tenantId = o.actor.tenantId
  const inquiry = await lockOpenInquiry(o.tx, tenantId, o.inquiryId)
  authorize(o.actor, 'assign', inquirySubject(inquiry))
  const spokespersonId = o.spokespersonId || null
  const userId = o.userId || null
  if (!spokespersonId && !userId) throw new AppError('INQUIRY_INVALID', { field: 'assignee' })
  let spokespersonName: string | null = null
  if (spokespersonId) {
    if (!isUuid(spokespersonId)) throw new AppError('INQUIRY_INVALID', { field: 'spokesperson' })
    const [s] = await o.tx
      .select({ name: spokespersons.name })
      .from(spokespersons)
      .where(and(eq(spokespersons.tenantId, tenantId), eq(spokespersons.id, spokespersonId), eq(spokespersons.active, true)))
    if (!s) throw new AppError('INQUIRY_INVALID', { field: 'spokesperson' })
    spokespersonName = s.name
  }
  let userEmail: string | null = null
  if (userId) {
    if (!isUuid(userId)) throw new AppError('INQUIRY_INVALID', { field: 'officer' })
    const [u] = await o.tx
      .select({ email: users.email })
      .from(users)
      .where(and(eq(users.tenantId, tenantId), eq(users.id, userId), eq(users.status, 'active'), inArray(users.role, [...STAFF_ROLES])))
    if (!u) throw new AppError('INQUIRY_INVALID', { field: 'officer' })
    userEmail = u.email
  }
  const [row] = await o.tx
    .update(inquiries)
    .set({ status: 'assigned', assigneeSpokespersonId: spokespersonId, assigneeUserId: userId, updatedAt: now() })
    .where(eq(inquiries.id, inquiry.id))
    .returning()
  const actor = { id: o.actor.id, label: o.actor.email }
  const detail = { spokespersonId, spokespersonName, userId, userEmail }
  await recordInquiryEvent(o.tx, { tenantId, inquiryId: inquiry.id, type: 'assigned', actor, detail })
  await recordAudit(o.tx, {
    tenantId,
    actor,
    action: 'inquiry.assigned',
    subjectType: 'inquiry',
    subjectId: inquiry.id,
    summary: { code: inquiry.code, from: { spokespersonId: inquiry.assigneeSpokespersonId, userId: inquiry.assigneeUserId }, to: detail },
    ip: o.ip,
  })
  // A newly assigned staff member is told (not on a reassignment to the same person).
  if (userEmail && userId !== inquiry.assigneeUserId) {
    await queueAssignedMail(o.tx, {
      tenantId,
      to: userEmail,
      code: inquiry.code,
      kind: inquiry.kind,
      dueAt: inquiry.dueAt,
      link: `${o.publicUrl ?? ''}/console/hoi-dap/${inquiry.id}`,
    })
  }
  return row as InquiryRow
}
