import { and, eq, isNull } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { type Actor, authorize } from '../../../platform/policy/index.ts'
import { acknowledgementHash, CURRENT_ACKNOWLEDGEMENT_VERSION } from '../partners.acknowledgement.ts'
import { isUuid } from '../partners.normalize.ts'
import { partnerAcknowledgements, partners, SIGNING_METHODS, type SigningMethod } from '../partners.tables.ts'

/**
 * Records an influencer's signed acknowledgement as "người chuyển tải" (text version, when,
 * how signed); audited. `signedAt` defaults to now and may not be in the future.
 */
export async function recordAcknowledgement(o: {
  tx: Tx
  actor: Actor
  partnerId: string
  /** How it was signed: in the portal, on paper (scanned), or by e-mail. */
  method: SigningMethod
  /** The text version signed (default: the current one). */
  textVersion?: string
  /** When it was signed (default: now). */
  signedAt?: Date
  ip?: string
}): Promise<{ id: string }> {
  authorize(o.actor, 'manage', { type: 'partner', tenantId: o.actor.tenantId })
  return unsafeRecordAcknowledgement({ ...o, tenantId: o.actor.tenantId, actor: { id: o.actor.id, label: o.actor.email } })
}

/**
 * The recording itself, WITHOUT the policy check: for `recordAcknowledgement` after it
 * authorised and for a verified public application (ticked on the form, method 'portal').
 */
export async function unsafeRecordAcknowledgement(o: {
  tx: Tx
  tenantId: string
  actor: AuditActor
  partnerId: string
  method: SigningMethod
  textVersion?: string
  signedAt?: Date
  ip?: string
}): Promise<{ id: string }> {
  const version = o.textVersion ?? CURRENT_ACKNOWLEDGEMENT_VERSION
  const hash = acknowledgementHash(version)
  if (!hash) throw new AppError('PARTNER_INVALID', { field: 'acknowledgement version' })
  if (!(SIGNING_METHODS as readonly string[]).includes(o.method)) throw new AppError('PARTNER_INVALID', { field: 'signing method' })
  const signedAt = o.signedAt ?? now()
  if (Number.isNaN(signedAt.getTime()) || signedAt.getTime() > now().getTime())
    throw new AppError('PARTNER_INVALID', { field: 'signed at' })
  if (!isUuid(o.partnerId)) throw new AppError('NOT_FOUND')
  const [partner] = await o.tx
    .select({ id: partners.id, kind: partners.kind })
    .from(partners)
    .where(and(eq(partners.id, o.partnerId), eq(partners.tenantId, o.tenantId), isNull(partners.mergedInto)))
  if (!partner) throw new AppError('NOT_FOUND')
  if (partner.kind !== 'influencer') throw new AppError('PARTNER_INVALID', { field: 'kind' })
  const [row] = await o.tx
    .insert(partnerAcknowledgements)
    .values({
      tenantId: o.tenantId,
      partnerId: partner.id,
      textVersion: version,
      textSha256: hash,
      signedAt,
      method: o.method,
      recordedBy: o.actor.id,
    })
    .returning({ id: partnerAcknowledgements.id })
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'partner.acknowledgement_recorded',
    subjectType: 'partner',
    subjectId: partner.id,
    summary: { textVersion: version, textSha256: hash, method: o.method, signedAt: signedAt.toISOString() },
    ip: o.ip,
  })
  return { id: row?.id as string }
}
