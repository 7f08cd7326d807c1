import { eq } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../platform/audit/index.ts'
import { AppError } from '../../../platform/errors.ts'
import { notifyPublicChange } from '../../../platform/notify.ts'
import { type Tenant, notifyTenantChange } from '../../../platform/tenancy/index.ts'
import { tenants } from '../../../platform/tenancy/tenants.tables.ts'
import { checkUpload, FILE_TYPES, storeUpload } from '../../../platform/uploads/index.ts'

/** Input of {@link setLogo}. */
export interface SetLogoOptions {
  tx: Tx
  tenantId: string
  actor: AuditActor
  /** `DATA_DIR`: the file is stored under its `uploads/`. */
  dataDir: string
  /** The client's file name (only its extension is used, to check the type). */
  filename: string
  data: Uint8Array
  declaredMime?: string
  ip?: string
}

/**
 * Replaces the office's logo: the upload must be a PNG, JPEG or WebP image by its content
 * (platform/uploads; a PDF or DOCX is LOGO_NOT_IMAGE), is stored content-addressed, and the
 * change is audited (`tenant.logo_updated`, with the old and new hashes) and told to every
 * process on commit.
 */
export async function setLogo(o: SetLogoOptions): Promise<Tenant> {
  const checked = checkUpload({ filename: o.filename, data: o.data, declaredMime: o.declaredMime })
  if (FILE_TYPES[checked.type].kind !== 'image') throw new AppError('LOGO_NOT_IMAGE')
  const [before] = await o.tx.select().from(tenants).where(eq(tenants.id, o.tenantId)).for('update')
  if (!before) throw new AppError('NOT_FOUND')
  const stored = await storeUpload({ dataDir: o.dataDir, tenantId: o.tenantId, data: o.data, ext: checked.ext })
  const [after] = await o.tx
    .update(tenants)
    .set({ logoSha256: stored.sha256, logoExt: checked.ext })
    .where(eq(tenants.id, o.tenantId))
    .returning()
  if (!after) throw new AppError('NOT_FOUND')
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'tenant.logo_updated',
    subjectType: 'tenant',
    subjectId: o.tenantId,
    summary: { from: before.logoSha256, to: stored.sha256, type: checked.type, size: stored.size },
    ip: o.ip,
  })
  await notifyTenantChange(o.tx, after)
  await notifyPublicChange(o.tx, o.tenantId)
  return after
}
