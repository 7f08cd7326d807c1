import { and, count, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { storeUpload } from '../../../../platform/uploads/index.ts'
import { normalizeText } from '../../../../text/normalize.ts'
import { lockLivePartner, unsafeChangePartnerStatus } from '../../commands/change-partner-status.ts'
import { STATUS_REASON_MIN } from '../../partners.workflow.ts'
import type { ProofFile } from '../application.intake.ts'
import { APPLICANT } from '../application.links.ts'
import { type ApplicationRow, partnerApplicationAnswers, partnerApplicationFiles } from '../application.tables.ts'

/** Longest answer kept (it is also the status change's reason, which the registry caps at 2,000). */
export const MAX_ANSWER_CHARS = 2000

/**
 * The applicant answers staff's question from their status page: the answer and any new proof
 * files are stored as the next round, and the partner moves more_info_needed → applied through
 * the registry's transition (actor "người đăng ký / applicant", the answer as its reason), so it
 * is back in the review queue. Only while more information is asked for
 * (APPLICATION_NOT_AWAITING otherwise).
 */
export async function answerApplication(o: {
  tx: Tx
  application: ApplicationRow
  answer: string
  files: ProofFile[]
  dataDir: string
  ip?: string
}): Promise<{ round: number }> {
  const app = o.application
  if (app.state !== 'verified' || !app.partnerId) throw new AppError('APPLICATION_NOT_AWAITING')
  const partner = await lockLivePartner(o.tx, app.tenantId, app.partnerId)
  if (partner?.status !== 'more_info_needed') throw new AppError('APPLICATION_NOT_AWAITING')
  const answer = normalizeText(o.answer).trim()
  if (answer.length < STATUS_REASON_MIN) throw new AppError('REASON_REQUIRED', { min: STATUS_REASON_MIN })
  if (answer.length > MAX_ANSWER_CHARS) throw new AppError('APPLICATION_FIELD_TOO_LONG', { field: 'answer', maxKb: 2 })
  const [done] = await o.tx
    .select({ n: count() })
    .from(partnerApplicationAnswers)
    .where(and(eq(partnerApplicationAnswers.applicationId, app.id)))
  const round = (done?.n ?? 0) + 1
  const at = now()
  await o.tx.insert(partnerApplicationAnswers).values({ tenantId: app.tenantId, applicationId: app.id, round, answer, createdAt: at })
  for (const file of o.files) {
    const stored = await storeUpload({ dataDir: o.dataDir, tenantId: app.tenantId, data: file.data, ext: file.ext })
    await o.tx.insert(partnerApplicationFiles).values({
      tenantId: app.tenantId,
      applicationId: app.id,
      round,
      fileName: file.fileName,
      fileType: file.type,
      sizeBytes: file.size,
      sha256: stored.sha256,
      storagePath: stored.path,
      createdAt: at,
    })
  }
  await recordAudit(o.tx, {
    tenantId: app.tenantId,
    actor: APPLICANT,
    action: 'partner.application_answered',
    subjectType: 'partner_application',
    subjectId: app.id,
    summary: { partnerId: partner.id, round, files: o.files.length },
    ip: o.ip,
  })
  await unsafeChangePartnerStatus({ tx: o.tx, partner, to: 'applied', reason: answer, actor: APPLICANT, ip: o.ip })
  return { round }
}
