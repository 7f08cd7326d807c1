/** Drizzle mirrors of `migrations/0016_partner_imports.sql` (the SQL is the source of truth). */
import { integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** States of an import: staff look at the preview, then the job runs it. */
export const IMPORT_STATUSES = ['preview', 'queued', 'running', 'done', 'failed'] as const
export type ImportStatus = (typeof IMPORT_STATUSES)[number]
/** File kinds we read. */
export type ImportKind = 'csv' | 'xlsx'
/** Outcomes kept per reported row. */
export type IssueOutcome = 'error' | 'conflict' | 'duplicate'

export const partnerImports = pgTable('partner_imports', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  status: text('status', { enum: IMPORT_STATUSES }).notNull().default('preview'),
  fileSha256: text('file_sha256').notNull(),
  fileName: text('file_name').notNull(),
  fileSize: integer('file_size').notNull(),
  kind: text('kind', { enum: ['csv', 'xlsx'] }).notNull(),
  encoding: text('encoding'),
  delimiter: text('delimiter'),
  mapping: jsonb('mapping').$type<Record<string, number>>().notNull().default({}),
  header: jsonb('header').$type<string[]>().notNull().default([]),
  rowsTotal: integer('rows_total'),
  rowsDone: integer('rows_done').notNull().default(0),
  createdCount: integer('created_count').notNull().default(0),
  updatedCount: integer('updated_count').notNull().default(0),
  unchangedCount: integer('unchanged_count').notNull().default(0),
  conflictCount: integer('conflict_count').notNull().default(0),
  duplicateCount: integer('duplicate_count').notNull().default(0),
  errorCount: integer('error_count').notNull().default(0),
  failure: jsonb('failure').$type<{ code: string; params: Record<string, string | number> }>(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  startedAt: timestamp('started_at', { withTimezone: true }),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
})
export type PartnerImportRow = typeof partnerImports.$inferSelect

export const partnerImportIssues = pgTable(
  'partner_import_issues',
  {
    tenantId: uuid('tenant_id').notNull(),
    importId: uuid('import_id').notNull(),
    rowNumber: integer('row_number').notNull(),
    seq: integer('seq').notNull(),
    outcome: text('outcome', { enum: ['error', 'conflict', 'duplicate'] }).notNull(),
    columnName: text('column_name'),
    messageKey: text('message_key').notNull(),
    params: jsonb('params').$type<Record<string, string | number>>().notNull().default({}),
    partnerId: uuid('partner_id'),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber, t.seq] })],
)
