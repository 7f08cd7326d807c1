import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { cleanLine } from '../../../../platform/text-input.ts'
import { isUuid } from '../../partners.normalize.ts'
import { STATUS_REASON_MIN } from '../../partners.workflow.ts'
import { queueApplicationMail } from '../application.mail.ts'
import { partnerApplications } from '../application.tables.ts'

/**
 * Closes an application flagged as a duplicate of an existing partner (staff dealt with it on
 * that record: merged by hand, renewed, or refused), with a reason that is mailed to the
 * applicant and audited. Editors, approvers and admins.
 */
export async function closeDuplicateApplication(o: {
  tx: Tx
  actor: Actor
  applicationId: string
  reason: string
  ip?: string
}): Promise<void> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  if (!isUuid(o.applicationId)) throw new AppError('NOT_FOUND')
  const [app] = await o.tx
    .select()
    .from(partnerApplications)
    .where(and(eq(partnerApplications.id, o.applicationId), eq(partnerApplications.tenantId, o.actor.tenantId)))
    .for('update')
  if (!app) throw new AppError('NOT_FOUND')
  if (app.state !== 'verified' || !app.duplicateOf) throw new AppError('APPLICATION_CLOSED')
  const reason = cleanLine(o.reason, 2000)
  if (reason.length < STATUS_REASON_MIN) throw new AppError('REASON_REQUIRED', { min: STATUS_REASON_MIN })
  await o.tx.update(partnerApplications).set({ state: 'closed', closedReason: reason }).where(eq(partnerApplications.id, app.id))
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner.application_closed',
    subjectType: 'partner_application',
    subjectId: app.id,
    summary: { duplicateOf: app.duplicateOf, reason },
    ip: o.ip,
  })
  await queueApplicationMail(o.tx, { tenantId: o.actor.tenantId, to: app.email, key: 'closed', params: { name: app.name, reason } })
}
