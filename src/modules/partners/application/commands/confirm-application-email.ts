import { eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { tokenHash } from '../../../../platform/auth/secrets.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError, isAppError } from '../../../../platform/errors.ts'
import { unsafeCreatePartner } from '../../commands/create-partner.ts'
import { unsafeRecordAcknowledgement } from '../../commands/record-acknowledgement.ts'
import { findDuplicates } from '../../partners.repository.ts'
import { APPLICANT, issueStatusLink, statusPath } from '../application.links.ts'
import { queueApplicationMail } from '../application.mail.ts'
import { type ApplicationRow, partnerApplications } from '../application.tables.ts'

/** What a confirmed application became. */
export interface ConfirmResult {
  applicationId: string
  /** The partner created, or null when the application was flagged as a duplicate. */
  partnerId: string | null
  /** The existing partner whose keys it shares, when flagged. */
  duplicateOf: string | null
  /** A fresh private status token (the page the confirmation leads to). */
  statusToken: string
}

/**
 * Consumes a verification token (single use, 24 h): unknown → APPLICATION_TOKEN_INVALID, used →
 * APPLICATION_TOKEN_USED, expired → APPLICATION_TOKEN_EXPIRED. The application then becomes a
 * partner in status `applied` through the registry's creation (actor "người đăng ký /
 * applicant"), with the influencer's acknowledgement recorded (method 'portal', signed when the
 * box was ticked). If its normalised e-mail, phone or press card already belongs to a partner,
 * no second partner row is made: the application stays in the review queue, flagged and linked
 * to that record, for staff to decide (merge by hand, renew, or close) — the applicant is told
 * the same as anyone else. Mails the private status link.
 */
export async function confirmApplicationEmail(o: {
  tx: Tx
  tenantId: string
  publicUrl: string
  token: string
  ip?: string
}): Promise<ConfirmResult> {
  const [app] = await o.tx
    .select()
    .from(partnerApplications)
    .where(eq(partnerApplications.verifyTokenHash, tokenHash(o.token)))
    .for('update')
  if (!app || app.tenantId !== o.tenantId) throw new AppError('APPLICATION_TOKEN_INVALID')
  if (app.verifiedAt || app.state !== 'pending') throw new AppError('APPLICATION_TOKEN_USED')
  const at = now()
  if (app.verifyExpiresAt.getTime() < at.getTime()) throw new AppError('APPLICATION_TOKEN_EXPIRED')

  let partnerId: string | null = null
  let duplicateOf = (await findDuplicates(o.tx, o.tenantId, app))[0]?.partnerId ?? null
  if (!duplicateOf) {
    try {
      // A savepoint: a concurrent creation that took one of the keys since the look-up makes
      // the registry refuse, and this application is then flagged like any duplicate.
      partnerId = await o.tx.transaction(async (sp) => createFrom(sp as unknown as Tx, app, o.ip))
    } catch (e) {
      if (!(isAppError(e) && e.code.startsWith('PARTNER_DUPLICATE_'))) throw e
      duplicateOf = (await findDuplicates(o.tx, o.tenantId, app))[0]?.partnerId ?? null
      if (!duplicateOf) throw e
    }
  }
  await o.tx
    .update(partnerApplications)
    .set({ state: 'verified', verifiedAt: at, partnerId, duplicateOf })
    .where(eq(partnerApplications.id, app.id))
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: APPLICANT,
    action: 'partner.application_verified',
    subjectType: 'partner_application',
    subjectId: app.id,
    summary: { partnerId, duplicateOf, kind: app.kind },
    ip: o.ip,
  })
  const statusToken = await issueStatusLink(o.tx, o.tenantId, app.id)
  await queueApplicationMail(o.tx, {
    tenantId: o.tenantId,
    to: app.email,
    key: 'status',
    params: { name: app.name, link: `${o.publicUrl}${statusPath(statusToken)}` },
  })
  return { applicationId: app.id, partnerId, duplicateOf, statusToken }
}

async function createFrom(tx: Tx, app: ApplicationRow, ip: string | undefined): Promise<string> {
  const { id } = await unsafeCreatePartner({
    tx,
    tenantId: app.tenantId,
    actor: APPLICANT,
    input: {
      kind: app.kind,
      name: app.name,
      outletId: app.outletId,
      pressCardNumber: app.pressCardNumber,
      pressCardExpiresOn: app.pressCardExpiresOn,
      phone: app.phone,
      email: app.email,
      beats: app.beats,
      communeCodes: app.communeCodes,
      channels: app.channels,
    },
    ip,
  })
  if (app.kind === 'influencer' && app.acknowledgementVersion && app.acknowledgedAt) {
    await unsafeRecordAcknowledgement({
      tx,
      tenantId: app.tenantId,
      actor: APPLICANT,
      partnerId: id,
      method: 'portal',
      textVersion: app.acknowledgementVersion,
      signedAt: app.acknowledgedAt,
      ip,
    })
  }
  return id
}
