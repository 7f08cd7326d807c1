import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { normalizeEmail } from '../../../platform/auth/secrets.ts'
import { now } from '../../../platform/clock.ts'
import { AppError, isAppError } from '../../../platform/errors.ts'
import { notifyPublicChange } from '../../../platform/notify.ts'
import { type Tenant, type TenantIdentity, notifyTenantChange } from '../../../platform/tenancy/index.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import { cleanLine } from '../../../platform/text-input.ts'

/** The identity as typed into a form: anything, checked here. */
export type IdentityInput = { [K in keyof TenantIdentity]?: unknown }

/**
 * Checks and normalises a typed identity. Refuses with one code per field
 * (`IDENTITY_NAME` …), so the form says which field in both languages.
 */
export function cleanIdentity(input: IdentityInput): TenantIdentity {
  const name = cleanLine(input.name, 200)
  if (name.length < 3) throw new AppError('IDENTITY_NAME')
  const province = cleanLine(input.province, 100)
  if (province.length < 2) throw new AppError('IDENTITY_PROVINCE')
  const hotline = cleanLine(input.hotline, 40)
  // Digits with the usual separators; at least three digits ("113" is a number too).
  if (!/^[0-9+().\s-]+$/.test(hotline) || hotline.replace(/\D/g, '').length < 3) throw new AppError('IDENTITY_HOTLINE')
  let email: string
  try {
    email = normalizeEmail(input.email)
  } catch (e) {
    if (isAppError(e)) throw new AppError('IDENTITY_EMAIL')
    throw e
  }
  const address = cleanLine(input.address, 300)
  if (address.length < 5) throw new AppError('IDENTITY_ADDRESS')
  const website = cleanLine(input.website, 200)
  if (website && !isWebAddress(website)) throw new AppError('IDENTITY_WEBSITE')
  // The short name goes where space is short (TOTP issuer, narrow headers); the full name by default.
  const shortName = cleanLine(input.shortName, 60) || name.slice(0, 60)
  return { name, shortName, province, hotline, email, address, website }
}

function isWebAddress(value: string): boolean {
  try {
    const u = new URL(value)
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hostname.includes('.')
  } catch {
    return false
  }
}

/** Input of {@link updateIdentity}. */
export interface UpdateIdentityOptions {
  tx: Tx
  tenantId: string
  /** Who changes it (the setup wizard passes the new admin). */
  actor: AuditActor
  input: IdentityInput
  ip?: string
}

/**
 * Records the office's identity (setup wizard, settings page): checks it, stores it, audits
 * `tenant.identity_updated` with the fields that changed (before and after), and tells every
 * process on commit (their live tenant object, then their public page cache).
 */
export async function updateIdentity(o: UpdateIdentityOptions): Promise<Tenant> {
  const identity = cleanIdentity(o.input)
  const [before] = await o.tx.select().from(tenants).where(eq(tenants.id, o.tenantId)).for('update')
  if (!before) throw new AppError('NOT_FOUND')
  const [after] = await o.tx
    .update(tenants)
    .set({ ...identity, identitySetAt: now() })
    .where(eq(tenants.id, o.tenantId))
    .returning()
  if (!after) throw new AppError('NOT_FOUND')
  const changed: Record<string, { from: string; to: string }> = {}
  for (const k of Object.keys(identity) as (keyof TenantIdentity)[]) {
    if (before[k] !== after[k]) changed[k] = { from: before[k], to: after[k] }
  }
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'tenant.identity_updated',
    subjectType: 'tenant',
    subjectId: o.tenantId,
    summary: { changed, first: before.identitySetAt === null },
    ip: o.ip,
  })
  await notifyTenantChange(o.tx, after)
  await notifyPublicChange(o.tx, o.tenantId)
  return after
}
