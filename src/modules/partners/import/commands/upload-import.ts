/**
 * Takes an uploaded partners list: checks its size and its real type (an `.xlsx` is a ZIP, a
 * CSV is text; the name's extension must agree), stores it content-addressed, reads its header
 * and proposes a column mapping, and records the import in status `preview`, audited.
 */
import { eq } from 'drizzle-orm'
import type { Database } from '../../../../db/index.ts'
import { recordAudit, runAudited } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { safeFileName, storeUpload } from '../../../../platform/uploads/index.ts'
import { partnerImports } from '../import.tables.ts'
import { proposeMapping } from '../mapping.ts'
import { sniffSpreadsheet } from '../read.ts'
import { readPreview } from '../source.ts'

/** Largest accepted file. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024
const EXTENSIONS: Record<string, 'csv' | 'xlsx'> = { csv: 'csv', txt: 'csv', tsv: 'csv', xlsx: 'xlsx' }

/** Options of {@link uploadPartnerImport}. */
export interface UploadImportOptions {
  database: Database
  actor: Actor
  /** `DATA_DIR`: the file is stored under its `uploads/`. */
  dataDir: string
  /** The client's file name (only its extension counts, and it must match the content). */
  fileName: string
  data: Uint8Array
  ip?: string
}

/**
 * Stores the upload and creates the import (status `preview`). Refuses an empty file
 * (UPLOAD_EMPTY), one over 20 MB (PARTNER_IMPORT_TOO_LARGE), an extension other than .csv,
 * .txt, .tsv or .xlsx (PARTNER_IMPORT_UNSUPPORTED), content that is not what the name says
 * (PARTNER_IMPORT_TYPE_MISMATCH: an .xlsx that is not a ZIP, a .csv that is a ZIP or binary),
 * and a file without a header row (PARTNER_IMPORT_NO_HEADER). Nothing is recorded when refused.
 */
export async function uploadPartnerImport(o: UploadImportOptions): Promise<{ id: string }> {
  authorize(o.actor, 'import', { type: 'partner', tenantId: o.actor.tenantId })
  const name = safeFileName(o.fileName)
  const ext = name.includes('.') ? (name.split('.').pop() as string).toLowerCase() : ''
  if (o.data.byteLength === 0) throw new AppError('UPLOAD_EMPTY', { name })
  if (o.data.byteLength > IMPORT_MAX_BYTES) throw new AppError('PARTNER_IMPORT_TOO_LARGE', { name, maxMb: IMPORT_MAX_BYTES / 1024 / 1024 })
  const claimed = EXTENSIONS[ext]
  if (!claimed) throw new AppError('PARTNER_IMPORT_UNSUPPORTED', { name })
  const actual = sniffSpreadsheet(o.data.subarray(0, 8192))
  if (actual !== claimed) throw new AppError('PARTNER_IMPORT_TYPE_MISMATCH', { name, expected: claimed.toUpperCase() })
  const stored = await storeUpload({ dataDir: o.dataDir, tenantId: o.actor.tenantId, data: o.data, ext: claimed })
  const source = { tenantId: o.actor.tenantId, fileSha256: stored.sha256, kind: claimed }
  const preview = await readPreview(o.dataDir, source, 1)
  if (preview.header.length === 0) throw new AppError('PARTNER_IMPORT_NO_HEADER', { name })
  return runAudited(o.database.pool, async (tx) => {
    const [row] = await tx
      .insert(partnerImports)
      .values({
        tenantId: o.actor.tenantId,
        status: 'preview',
        fileSha256: stored.sha256,
        fileName: name,
        fileSize: o.data.byteLength,
        kind: claimed,
        encoding: preview.encoding,
        delimiter: preview.delimiter,
        header: preview.header,
        mapping: proposeMapping(preview.header),
        createdBy: o.actor.id,
        createdAt: now(),
      })
      .returning({ id: partnerImports.id })
    const id = row?.id as string
    await recordAudit(tx, {
      tenantId: o.actor.tenantId,
      actor: { id: o.actor.id, label: o.actor.email },
      action: 'partner.import_uploaded',
      subjectType: 'partner_import',
      subjectId: id,
      summary: { file: name, sha256: stored.sha256, size: o.data.byteLength, kind: claimed, encoding: preview.encoding },
      ip: o.ip,
    })
    return { id }
  })
}

/** The import of this tenant with this id, or NOT_FOUND. */
export async function loadImport(database: Database, tenantId: string, id: string) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) throw new AppError('NOT_FOUND')
  const [row] = await database.db.select().from(partnerImports).where(eq(partnerImports.id, id))
  if (!row || row.tenantId !== tenantId) throw new AppError('NOT_FOUND')
  return row
}
