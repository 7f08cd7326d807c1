/**
 * Staff confirm an import's column mapping (and, for a CSV, its encoding): the mapping is
 * checked (a name column and at least one key column), saved, and the import job is queued in
 * the same transaction, audited. Only an import still in `preview` can start.
 */
import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import { enqueue } from '../../../../platform/jobs/index.ts'
import { type Actor, authorize } from '../../../../platform/policy/index.ts'
import { type PartnerImportRow, partnerImports } from '../import.tables.ts'
import { checkMapping, type Mapping } from '../mapping.ts'
import { CSV_ENCODINGS, type CsvEncoding } from '../read.ts'
import { readPreview } from '../source.ts'

/** Name of the import job. */
export const IMPORT_JOB = 'partners.import'

/** Options of {@link saveImportMapping} and {@link startPartnerImport}. */
export interface MappingOptions {
  tx: Tx
  actor: Actor
  importId: string
  mapping: Mapping
  /** CSV only: the encoding staff chose (absent: keep the detected one). */
  encoding?: CsvEncoding | null
  /** `DATA_DIR`, to read the header again when the encoding changes. */
  dataDir: string
}

async function lockPreview(tx: Tx, actor: Actor, importId: string) {
  authorize(actor, 'import', { type: 'partner', tenantId: actor.tenantId })
  const [imp] = await tx
    .select()
    .from(partnerImports)
    .where(and(eq(partnerImports.id, importId), eq(partnerImports.tenantId, actor.tenantId)))
    .for('update')
  if (!imp) throw new AppError('NOT_FOUND')
  if (imp.status !== 'preview') throw new AppError('PARTNER_IMPORT_STATE')
  return imp
}

function checkedEncoding(kind: string, encoding: string | null | undefined): CsvEncoding | undefined {
  if (!encoding || kind !== 'csv') return undefined
  if (!(CSV_ENCODINGS as readonly string[]).includes(encoding)) throw new AppError('PARTNER_IMPORT_MAPPING', { field: 'encoding' })
  return encoding as CsvEncoding
}

/** The header read again in another encoding (the column names shown and reported). */
async function headerIn(o: MappingOptions, imp: PartnerImportRow, encoding: CsvEncoding | undefined): Promise<{ header?: string[] }> {
  if (!encoding || encoding === imp.encoding) return {}
  const p = await readPreview(o.dataDir, { tenantId: imp.tenantId, fileSha256: imp.fileSha256, kind: imp.kind, encoding }, 0)
  return { header: p.header }
}

/** Saves a mapping and encoding without starting (the preview is shown again with them). */
export async function saveImportMapping(o: MappingOptions): Promise<void> {
  const imp = await lockPreview(o.tx, o.actor, o.importId)
  const encoding = checkedEncoding(imp.kind, o.encoding)
  await o.tx
    .update(partnerImports)
    .set({ mapping: o.mapping, ...(encoding ? { encoding } : {}), ...(await headerIn(o, imp, encoding)) })
    .where(eq(partnerImports.id, imp.id))
}

/**
 * Checks and saves the mapping, sets the import `queued` and enqueues the job (with the data
 * directory the file is stored in). Refuses a mapping without the required columns
 * (PARTNER_IMPORT_MISSING_COLUMNS names them) and an import that already started
 * (PARTNER_IMPORT_STATE).
 */
export async function startPartnerImport(o: MappingOptions & { ip?: string }): Promise<void> {
  const imp = await lockPreview(o.tx, o.actor, o.importId)
  const encoding = checkedEncoding(imp.kind, o.encoding)
  const header = await headerIn(o, imp, encoding)
  checkMapping(o.mapping, (header.header ?? imp.header).length)
  await o.tx
    .update(partnerImports)
    .set({ mapping: o.mapping, status: 'queued', ...(encoding ? { encoding } : {}), ...header })
    .where(eq(partnerImports.id, imp.id))
  await enqueue(o.tx, IMPORT_JOB, { importId: imp.id, dataDir: o.dataDir })
  await recordAudit(o.tx, {
    tenantId: o.actor.tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: 'partner.import_started',
    subjectType: 'partner_import',
    subjectId: imp.id,
    summary: { file: imp.fileName, mapping: o.mapping, encoding: encoding ?? imp.encoding },
    ip: o.ip,
  })
}
