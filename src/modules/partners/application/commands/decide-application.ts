import { and, desc, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { changePartnerStatus } from '../../commands/change-partner-status.ts'
import { issueStatusLink, statusPath } from '../application.links.ts'
import { queueApplicationMail } from '../application.mail.ts'
import { partnerApplications } from '../application.tables.ts'

/** The decisions of the review queue and the status each leads to. */
export const QUEUE_DECISIONS = {
  ask: 'more_info_needed',
  verify: 'verified',
  accredit: 'accredited',
  reject: 'revoked',
} as const
export type QueueDecision = keyof typeof QUEUE_DECISIONS

/**
 * A staff decision on a waiting application, through the registry's `changePartnerStatus` (its
 * policy per target: accrediting and rejecting are approvers' and admins'; its checks: term end,
 * press card, influencer's acknowledgement; its history, audit row, mail and events). Asking for
 * more information also mails the applicant a fresh private link to their status page, where they
 * read the question (the reason) and answer.
 */
export async function decideApplication(o: {
  tx: Tx
  actor: Actor
  partnerId: string
  decision: QueueDecision
  reason: string
  accreditationEndsOn?: string
  publicUrl: string
  ip?: string
}): Promise<void> {
  const to = QUEUE_DECISIONS[o.decision]
  if (!to) throw new AppError('PARTNER_INVALID', { field: 'decision' })
  await changePartnerStatus({
    tx: o.tx,
    actor: o.actor,
    partnerId: o.partnerId,
    to,
    reason: o.reason,
    accreditationEndsOn: o.accreditationEndsOn?.trim() || undefined,
    ip: o.ip,
  })
  if (o.decision !== 'ask') return
  const [app] = await o.tx
    .select({ id: partnerApplications.id, email: partnerApplications.email, name: partnerApplications.name })
    .from(partnerApplications)
    .where(and(eq(partnerApplications.partnerId, o.partnerId), eq(partnerApplications.tenantId, o.actor.tenantId)))
    .orderBy(desc(partnerApplications.createdAt))
    .limit(1)
  // A partner staff entered by hand has no application and no status page: the registry's
  // status mail (with the question) is all they get.
  if (!app) return
  const token = await issueStatusLink(o.tx, o.actor.tenantId, app.id)
  await queueApplicationMail(o.tx, {
    tenantId: o.actor.tenantId,
    to: app.email,
    key: 'question',
    params: { name: app.name, question: o.reason.trim(), link: `${o.publicUrl}${statusPath(token)}` },
  })
}
