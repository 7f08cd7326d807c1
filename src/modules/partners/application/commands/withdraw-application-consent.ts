import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { t } from '../../../../platform/i18n/index.ts'
import { lockLivePartner, unsafeChangePartnerStatus } from '../../commands/change-partner-status.ts'
import { APPLICANT } from '../application.links.ts'
import { queueApplicationMail } from '../application.mail.ts'
import { type ApplicationRow, partnerApplications } from '../application.tables.ts'

/**
 * The applicant withdraws their consent to the processing of their personal data (Law
 * 91/2025/QH15): the time is stored, the application is marked withdrawn and, when it became a
 * partner, the record is revoked through the registry's transition (reason in both languages),
 * which takes away any access at once. Staff are told by the audit row, the revoked record and,
 * when the office has a contact address, a mail; erasing the data after that is theirs to do.
 */
export async function withdrawApplicationConsent(o: {
  tx: Tx
  application: ApplicationRow
  /** The office's contact address (tenant e-mail), if set. */
  officeEmail?: string
  ip?: string
}): Promise<void> {
  const app = o.application
  if (app.consentWithdrawnAt || app.state === 'withdrawn') throw new AppError('APPLICATION_CLOSED')
  const at = now()
  await o.tx.update(partnerApplications).set({ consentWithdrawnAt: at, state: 'withdrawn' }).where(eq(partnerApplications.id, app.id))
  let revoked = false
  if (app.partnerId) {
    const partner = await lockLivePartner(o.tx, app.tenantId, app.partnerId)
    if (partner && partner.status !== 'revoked') {
      const reason = `${t('vi', 'application.withdrawn.reason')} / ${t('en', 'application.withdrawn.reason')}`
      await unsafeChangePartnerStatus({ tx: o.tx, partner, to: 'revoked', reason, actor: APPLICANT, ip: o.ip })
      revoked = true
    }
  }
  await recordAudit(o.tx, {
    tenantId: app.tenantId,
    actor: APPLICANT,
    action: 'partner.application_consent_withdrawn',
    subjectType: 'partner_application',
    subjectId: app.id,
    summary: { partnerId: app.partnerId, revoked },
    ip: o.ip,
  })
  if (o.officeEmail) {
    await queueApplicationMail(o.tx, {
      tenantId: app.tenantId,
      to: o.officeEmail,
      key: 'withdrawn',
      params: { name: app.name, id: app.id },
    })
  }
}
