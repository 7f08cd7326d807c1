/**
 * The import job: streams the stored file, checks each row, and applies the rows in batches of
 * 500, each batch in its own transaction together with the progress (`rows_done`) and counts.
 * A job that dies keeps every committed batch; the retry skips the rows already done (reading
 * them again only to remember their keys, for duplicates within the file) and finishes the rest.
 * Re-running a finished file changes nothing (every row matches and is equal: "unchanged").
 */
import { eq, sql } from 'drizzle-orm'
import { type Database, withTransaction } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { isAppError } from '../../../../platform/errors.ts'
import { defineJob } from '../../../../platform/jobs/index.ts'
import { fold } from '../../../../text/normalize.ts'
import { users } from '../../../accounts/accounts.tables.ts'
import { pressOutlets } from '../../partners.tables.ts'
import { partnerImports } from '../import.tables.ts'
import { KeyMemory } from '../key-memory.ts'
import { checkRow } from '../rows.ts'
import { dataRows, openSource } from '../source.ts'
import { applyImportBatch, type BatchRow } from './apply-import-batch.ts'
import { IMPORT_JOB } from './start-import.ts'

/** Rows per transaction: big enough to amortise the round trips, small enough to show progress. */
export const IMPORT_BATCH = 500

/** Options of {@link runPartnerImport}. */
export interface RunImportOptions {
  importId: string
  /** `DATA_DIR`, where the upload is stored. */
  dataDir: string
  /** Rows per transaction (tests use small batches to see resumption). */
  batchSize?: number
  /** Called after each committed batch (tests stop a run midway with it). */
  afterBatch?: (rowsDone: number) => void | Promise<void>
}

/** Runs (or resumes) an import. Unreadable files end it as `failed` with the reason. */
export async function runPartnerImport(database: Database, o: RunImportOptions): Promise<void> {
  const [imp] = await database.db.select().from(partnerImports).where(eq(partnerImports.id, o.importId))
  if (!imp || imp.status === 'done' || imp.status === 'failed' || imp.status === 'preview') return
  const tenantId = imp.tenantId
  const [user] = await database.db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, imp.createdBy))
  const actor = { id: imp.createdBy, label: user?.email ?? imp.createdBy }
  const batchSize = o.batchSize ?? IMPORT_BATCH
  try {
    const source = await openSource(o.dataDir, { tenantId, fileSha256: imp.fileSha256, kind: imp.kind, encoding: imp.encoding as never })
    let total = source.rowsWithValues === null ? null : Math.max(0, source.rowsWithValues - 1)
    if (total === null) {
      total = 0
      for await (const _ of dataRows(source.rows(), () => undefined)) total++
    }
    await database.db
      .update(partnerImports)
      .set({ status: 'running', rowsTotal: total, startedAt: imp.startedAt ?? now() })
      .where(eq(partnerImports.id, imp.id))

    const outletsByName = new Map<string, string>()
    for (const outlet of await database.db
      .select({ id: pressOutlets.id, name: pressOutlets.name })
      .from(pressOutlets)
      .where(eq(pressOutlets.tenantId, tenantId)))
      outletsByName.set(fold(outlet.name).replace(/\s+/g, ' ').trim(), outlet.id)

    const resumeAt = imp.rowsDone
    // Keys as 64-bit hashes in typed arrays: the file's key memory stays off the traced heap.
    const firstRowOfKey = new KeyMemory()
    let batch: BatchRow[] = []
    let done = resumeAt
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return
      const rows = batch
      batch = []
      const after = done + rows.length
      await withTransaction(database.pool, async (tx) => {
        // Imports of one tenant run one batch at a time: their key look-ups never race.
        await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`partner-import:${tenantId}`}))`)
        await applyImportBatch({
          tx,
          tenantId,
          actor,
          importId: imp.id,
          header: imp.header,
          mapping: imp.mapping,
          rows,
          rowsDoneAfter: after,
        })
      })
      done = after
      await o.afterBatch?.(done)
    }
    for await (const row of dataRows(source.rows(), () => undefined)) {
      const checked = checkRow(row.rowNumber, row.cells, imp.mapping, { outletsByName })
      let entry: BatchRow
      if (checked.record) {
        // A plain loop: no closure or temporary objects per row.
        let earlierRow: number | undefined
        let earlierKey = ''
        for (const k of checked.record.keys) {
          earlierRow = firstRowOfKey.get(k.kind, k.value)
          if (earlierRow !== undefined) {
            earlierKey = k.value
            break
          }
        }
        if (earlierRow !== undefined) entry = { rowNumber: row.rowNumber, duplicateOf: earlierRow, key: earlierKey }
        else {
          for (const k of checked.record.keys) firstRowOfKey.remember(k.kind, k.value, row.rowNumber)
          entry = { rowNumber: row.rowNumber, record: checked.record }
        }
      } else entry = { rowNumber: row.rowNumber, problems: checked.problems }
      // Rows committed by an earlier attempt only feed the duplicate memory above.
      if (row.ordinal < resumeAt) continue
      batch.push(entry)
      if (batch.length >= batchSize) await flush()
    }
    await flush()
    await withTransaction(database.pool, async (tx) => {
      const [fin] = await tx
        .update(partnerImports)
        .set({ status: 'done', rowsTotal: done, finishedAt: now() })
        .where(eq(partnerImports.id, imp.id))
        .returning()
      await recordAudit(tx, {
        tenantId,
        actor,
        action: 'partner.import_finished',
        subjectType: 'partner_import',
        subjectId: imp.id,
        summary: {
          file: imp.fileName,
          rows: done,
          created: fin?.createdCount ?? 0,
          updated: fin?.updatedCount ?? 0,
          unchanged: fin?.unchangedCount ?? 0,
          conflicts: fin?.conflictCount ?? 0,
          duplicates: fin?.duplicateCount ?? 0,
          errors: fin?.errorCount ?? 0,
        },
      })
    })
  } catch (e) {
    // A file we cannot read will not read better on a retry: end the import and say why.
    if (!isAppError(e) || e.status >= 500) throw e
    await withTransaction(database.pool, async (tx) => {
      await tx
        .update(partnerImports)
        .set({ status: 'failed', failure: { code: e.code, params: e.params as Record<string, string | number> }, finishedAt: now() })
        .where(eq(partnerImports.id, imp.id))
      await recordAudit(tx, {
        tenantId,
        actor,
        action: 'partner.import_finished',
        subjectType: 'partner_import',
        subjectId: imp.id,
        summary: { file: imp.fileName, failed: e.code },
      })
    })
  }
}

/** The import job (listed in the partners manifest). */
export const partnerImportJob = defineJob<{ importId: string; dataDir: string }>(
  IMPORT_JOB,
  async (data, _job, ctx) => runPartnerImport(ctx.database, { importId: data.importId, dataDir: data.dataDir }),
  { retryLimit: 3 },
)
