import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Kinds of harm a claim can do (triage). */
export const HARMS = ['public_order', 'safety', 'scam', 'impersonation', 'other'] as const
export type Harm = (typeof HARMS)[number]
/** SLA levels. */
export const LEVELS = ['critical', 'high', 'normal'] as const
export type Level = (typeof LEVELS)[number]
/** Claim statuses ("under verification" is a status, never a verdict). */
export const CLAIM_STATUSES = ['new', 'investigating', 'verdict_draft', 'verdict_submitted', 'published', 'merged', 'dismissed'] as const
export type ClaimStatus = (typeof CLAIM_STATUSES)[number]

/** Claims: statements under verification. Never people. */
export const claims = pgTable('claims', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  code: text('code').notNull(),
  statement: text('statement').notNull(),
  status: text('status', { enum: CLAIM_STATUSES }).notNull().default('new'),
  harm: text('harm', { enum: HARMS }).notNull().default('other'),
  requests: integer('requests').notNull().default(0),
  partnerReports: integer('partner_reports').notNull().default(0),
  priority: integer('priority').notNull().default(0),
  level: text('level', { enum: LEVELS }).notNull().default('normal'),
  firstSeenAt: timestamp('first_seen_at', { withTimezone: true }).notNull().defaultNow(),
  slaDueAt: timestamp('sla_due_at', { withTimezone: true }).notNull(),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  assignedTo: uuid('assigned_to'),
  mergedInto: uuid('merged_into'),
  appearances: text('appearances').array().notNull().default([]),
  slug: text('slug'),
  publishedVerdictId: uuid('published_verdict_id'),
  /** A severity set by staff (0012): while set, automatic triage keeps `level`. */
  severityReason: text('severity_reason'),
  severitySetBy: uuid('severity_set_by'),
  severitySetAt: timestamp('severity_set_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Submissions (tickets). */
export const claimSubmissions = pgTable('claim_submissions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  ticket: text('ticket').notNull(),
  ticketKey: text('ticket_key').notNull(),
  claimId: uuid('claim_id').notNull(),
  channel: text('channel', { enum: ['public', 'partner', 'staff'] }).notNull(),
  text: text('text').notNull(),
  links: text('links').array().notNull().default([]),
  seenWhere: text('seen_where').notNull().default(''),
  contactEmail: text('contact_email'),
  contactPurgedAt: timestamp('contact_purged_at', { withTimezone: true }),
  fingerprint: text('fingerprint').notNull(),
  notifiedVerdictId: uuid('notified_verdict_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Files (screenshots) sent with a submission. */
export const claimSubmissionFiles = pgTable('claim_submission_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  submissionId: uuid('submission_id').notNull(),
  fileName: text('file_name').notNull(),
  fileType: text('file_type').notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  storagePath: text('storage_path').notNull(),
})

/** Merge and split history. */
export const claimHistory = pgTable('claim_history', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  claimId: uuid('claim_id').notNull(),
  kind: text('kind', { enum: ['merged_into', 'merged_from', 'split_to', 'split_from', 'auto_merged'] }).notNull(),
  otherClaimId: uuid('other_claim_id'),
  submissionId: uuid('submission_id'),
  actorId: uuid('actor_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Evidence: immutable once attached, with its SHA-256 and capture time. */
export const claimEvidence = pgTable('claim_evidence', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  claimId: uuid('claim_id').notNull(),
  kind: text('kind', { enum: ['page', 'file', 'link', 'release'] }).notNull(),
  title: text('title').notNull(),
  url: text('url'),
  contentText: text('content_text'),
  contentHtml: text('content_html'),
  fileType: text('file_type'),
  storagePath: text('storage_path'),
  releaseId: uuid('release_id'),
  sha256: text('sha256').notNull(),
  capturedAt: timestamp('captured_at', { withTimezone: true }).notNull(),
  addedBy: uuid('added_by').notNull(),
})

/** Investigation notes. */
export const claimNotes = pgTable('claim_notes', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  claimId: uuid('claim_id').notNull(),
  authorId: uuid('author_id').notNull(),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Investigation tasks. */
export const claimTasks = pgTable('claim_tasks', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  claimId: uuid('claim_id').notNull(),
  title: text('title').notNull(),
  assigneeId: uuid('assignee_id'),
  doneAt: timestamp('done_at', { withTimezone: true }),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Verdict labels. */
export const VERDICT_LABELS = [
  'fabricated',
  'false',
  'distorted',
  'missing_context',
  'partly_true',
  'true',
  'unproven',
  'satire',
  'scam',
] as const
export type VerdictLabel = (typeof VERDICT_LABELS)[number]

/** One change of a verdict version's text: who, what (`created` or `edited`), when (ISO instant). */
export interface VerdictContribution {
  userId: string
  what: 'created' | 'edited'
  at: string
}

/** Verdicts, versioned; a corrected verdict is a new version. */
export const verdicts = pgTable('verdicts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  claimId: uuid('claim_id').notNull(),
  version: integer('version').notNull(),
  status: text('status', { enum: ['draft', 'submitted', 'published', 'superseded'] })
    .notNull()
    .default('draft'),
  label: text('label', { enum: VERDICT_LABELS }).notNull(),
  headline: text('headline').notNull(),
  explanationMd: text('explanation_md').notNull(),
  evidenceIds: uuid('evidence_ids').array().notNull().default([]),
  correctionNote: text('correction_note'),
  /** Everyone who wrote or changed this version, in order (0008); append-only, none of them may approve it. */
  contributors: jsonb('contributors').$type<VerdictContribution[]>().notNull().default([]),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  submittedBy: uuid('submitted_by'),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  approvedBy: uuid('approved_by'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
})

/** OCR statuses of a submitted image (0024). */
export const OCR_STATUSES = ['pending', 'done', 'failed'] as const

/** The text read from a submitted image by the `factcheck.ocr` job (0024). */
export const claimFileOcr = pgTable('claim_file_ocr', {
  fileId: uuid('file_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  status: text('status', { enum: OCR_STATUSES }).notNull().default('pending'),
  text: text('text'),
  rawText: text('raw_text'),
  confidence: integer('confidence'),
  reason: text('reason'),
  frames: integer('frames'),
  durationMs: integer('duration_ms'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  finishedAt: timestamp('finished_at', { withTimezone: true }),
})
