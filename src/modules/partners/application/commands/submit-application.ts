import { and, eq, sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { randomToken, tokenHash } from '../../../../platform/auth/secrets.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { cleanLine } from '../../../../platform/text-input.ts'
import { storeUpload } from '../../../../platform/uploads/index.ts'
import { CURRENT_ACKNOWLEDGEMENT_VERSION } from '../../partners.acknowledgement.ts'
import { normalizePartnerEmail, normalizePartnerPhone, normalizePressCard } from '../../partners.normalize.ts'
import { CHANNEL_PLATFORMS, type ChannelPlatform, type PartnerKind, pressOutlets } from '../../partners.tables.ts'
import { fold } from '../../../../text/normalize.ts'
import { validatePartnerInput } from '../../commands/create-partner.ts'
import { CURRENT_CONSENT_VERSION } from '../application.consent.ts'
import type { ApplicationForm, ProofFile } from '../application.intake.ts'
import { APPLICANT, VERIFY_VALID_MS, verifyPath } from '../application.links.ts'
import { queueApplicationMail } from '../application.mail.ts'
import { type AppliedChannel, partnerApplicationFiles, partnerApplications } from '../application.tables.ts'

/** Options of a public application. */
export interface SubmitApplicationOptions {
  tx: Tx
  tenantId: string
  /** The site's address, for the verification link in the mail. */
  publicUrl: string
  /** The data directory (`DATA_DIR`) where proof files are stored. */
  dataDir: string
  /** The form as typed. */
  form: ApplicationForm
  /** Proof files, already checked by content. */
  files: ProofFile[]
  ip?: string
}

const required = (field: string) => new AppError('APPLICATION_FIELD_REQUIRED', { field })

/**
 * Takes a public application: checks the fields of its kind, the consent (Law 91/2025/QH15) and,
 * for influencers, the "người chuyển tải" acknowledgement; stores the proof files; saves the
 * application as `pending` with the SHA-256 of a single-use verification token, valid 24 hours,
 * and mails the link. Whether its e-mail, phone or press card already belongs to a partner is
 * NOT looked at here: every well-formed application gets the same answer, so the form cannot be
 * used to find out who is registered (the duplicate is flagged for staff on verification).
 */
export async function submitApplication(o: SubmitApplicationOptions): Promise<{ id: string }> {
  const f = o.form
  if (!f.consent) throw new AppError('APPLICATION_CONSENT_REQUIRED')
  const kind = f.kind as PartnerKind
  if (kind !== 'journalist' && kind !== 'influencer') throw required('loại đối tác / partner kind')
  const name = cleanLine(f.name, 200)
  if (!name) throw required('họ tên / name')
  if (!f.email.trim()) throw required('thư điện tử / e-mail')
  const email = normalizePartnerEmail(f.email)
  if (!f.phone.trim()) throw required('số điện thoại / phone')
  const phone = normalizePartnerPhone(f.phone)
  const beats = f.beats
    .split(/[,;\n]/)
    .map((b) => cleanLine(b, 80))
    .filter(Boolean)
  const journalist = kind === 'journalist'
  let outletId: string | null = null
  let outletName: string | null = null
  let pressCardNumber: string | null = null
  let pressCardExpiresOn: string | null = null
  let channels: AppliedChannel[] = []
  if (journalist) {
    outletId = f.outletId.trim() || null
    outletName = outletId ? null : cleanLine(f.outletName, 200) || null
    if (!outletId && !outletName) throw required('cơ quan báo chí / press outlet')
    // A typed name that is an outlet of the register ("bao thanh hoa" for "Báo Thanh Hóa") is that
    // outlet: staff would otherwise have to link it by hand after accreditation.
    if (outletName) {
      const known = await outletByFoldedName(o.tx, o.tenantId, outletName)
      if (known) [outletId, outletName] = [known, null]
    }
    if (!f.pressCardNumber.trim()) throw required('số thẻ nhà báo / press card number')
    normalizePressCard(f.pressCardNumber)
    pressCardNumber = cleanLine(f.pressCardNumber, 40)
    if (!f.pressCardExpiresOn.trim()) throw required('ngày hết hạn thẻ / press card expiry')
    pressCardExpiresOn = f.pressCardExpiresOn.trim()
  } else {
    channels = f.channels
      .filter((c) => c.url.trim())
      .map((c) => {
        const followers = c.followers.replace(/[\s.,]/g, '')
        if (followers && !/^\d{1,10}$/.test(followers)) throw new AppError('PARTNER_INVALID', { field: 'followers / người theo dõi' })
        const platform = ((CHANNEL_PLATFORMS as readonly string[]).includes(c.platform) ? c.platform : 'other') as ChannelPlatform
        return { platform, url: cleanLine(c.url, 500), followers: followers ? Number(followers) : null }
      })
    if (channels.length === 0) throw new AppError('APPLICATION_CHANNEL_REQUIRED')
    if (!f.acknowledged) throw new AppError('APPLICATION_ACK_REQUIRED')
  }
  // The registry's own checks (outlet of this tenant, commune codes, channel addresses, days),
  // now rather than at verification: the applicant is here to correct them.
  await validatePartnerInput(o.tx, o.tenantId, {
    kind,
    name,
    email,
    phone,
    outletId,
    pressCardNumber,
    pressCardExpiresOn,
    beats,
    communeCodes: f.communes,
    channels,
  })
  if (o.files.length === 0) throw new AppError('APPLICATION_PROOF_REQUIRED')

  const at = now()
  const token = randomToken(32)
  const [row] = await o.tx
    .insert(partnerApplications)
    .values({
      tenantId: o.tenantId,
      kind,
      name,
      email,
      phone,
      outletId,
      outletName,
      pressCardNumber,
      pressCardExpiresOn,
      beats: [...new Set(beats)],
      communeCodes: [...new Set(f.communes)],
      channels,
      acknowledgementVersion: journalist ? null : CURRENT_ACKNOWLEDGEMENT_VERSION,
      acknowledgedAt: journalist ? null : at,
      consentVersion: CURRENT_CONSENT_VERSION,
      consentAt: at,
      state: 'pending',
      verifyTokenHash: tokenHash(token),
      verifyExpiresAt: new Date(at.getTime() + VERIFY_VALID_MS),
      createdAt: at,
    })
    .returning({ id: partnerApplications.id })
  const id = row?.id as string
  for (const file of o.files) {
    const stored = await storeUpload({ dataDir: o.dataDir, tenantId: o.tenantId, data: file.data, ext: file.ext })
    await o.tx.insert(partnerApplicationFiles).values({
      tenantId: o.tenantId,
      applicationId: id,
      round: 0,
      fileName: file.fileName,
      fileType: file.type,
      sizeBytes: file.size,
      sha256: stored.sha256,
      storagePath: stored.path,
      createdAt: at,
    })
  }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: APPLICANT,
    action: 'partner.application_submitted',
    subjectType: 'partner_application',
    subjectId: id,
    // Kinds and counts only: the personal data stays in its own table.
    summary: { kind, files: o.files.length, consentVersion: CURRENT_CONSENT_VERSION },
    ip: o.ip,
  })
  await queueApplicationMail(o.tx, {
    tenantId: o.tenantId,
    to: email,
    key: 'verify',
    params: { name, link: `${o.publicUrl}${verifyPath(token)}` },
  })
  return { id }
}

/** The register's outlet whose name folds to the same words as `name` (one match only), or null. */
async function outletByFoldedName(tx: Tx, tenantId: string, name: string): Promise<string | null> {
  const rows = await tx
    .select({ id: pressOutlets.id })
    .from(pressOutlets)
    .where(and(eq(pressOutlets.tenantId, tenantId), sql`fold_vi(${pressOutlets.name}) = ${fold(name)}`))
    .limit(2)
  return rows.length === 1 ? (rows[0]?.id ?? null) : null
}
