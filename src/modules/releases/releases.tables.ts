import { boolean, customType, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Kinds of release. */
export const RELEASE_KINDS = ['press_release', 'activity', 'warning', 'announcement', 'correction'] as const
export type ReleaseKind = (typeof RELEASE_KINDS)[number]

/** The item's lifecycle. */
export const RELEASE_STATUSES = ['draft', 'submitted', 'approved', 'scheduled', 'embargoed', 'published', 'withdrawn', 'gone'] as const
export type ReleaseStatus = (typeof RELEASE_STATUSES)[number]
/**
 * Why a release was withdrawn (migration 0013). After a factual error the text may stay under
 * the notice; for every other category only the notice stays public (`releases.public.ts`).
 */
export const WITHDRAWAL_CATEGORIES = ['factual_error', 'privacy', 'legal', 'safety', 'other'] as const
export type WithdrawalCategory = (typeof WITHDRAWAL_CATEGORIES)[number]

/** An edition's lifecycle. */
export const EDITION_STATUSES = ['draft', 'submitted', 'approved', 'published', 'superseded', 'discarded'] as const

/** What a contributor did to the text of an edition. */
export const CONTRIBUTION_KINDS = ['created', 'edited'] as const
export type ContributionKind = (typeof CONTRIBUTION_KINDS)[number]

/** One change of an edition's text: who, what, when (ISO instant). Four-eyes bars them all from approving it. */
export interface EditionContribution {
  userId: string
  what: ContributionKind
  at: string
}

const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' })

/** Releases (items). */
export const releases = pgTable('releases', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind', { enum: RELEASE_KINDS }).notNull(),
  status: text('status', { enum: RELEASE_STATUSES }).notNull().default('draft'),
  slug: text('slug').notNull(),
  category: text('category').notNull().default(''),
  caseId: uuid('case_id'),
  spokespersonId: uuid('spokesperson_id'),
  workingEditionId: uuid('working_edition_id'),
  publishedEditionId: uuid('published_edition_id'),
  publishAt: timestamp('publish_at', { withTimezone: true }),
  firstPublishedAt: timestamp('first_published_at', { withTimezone: true }),
  lastPublishedAt: timestamp('last_published_at', { withTimezone: true }),
  withdrawnAt: timestamp('withdrawn_at', { withTimezone: true }),
  withdrawnReason: text('withdrawn_reason'),
  /** Null on rows withdrawn before 0013: treated like a category that removes the text. */
  withdrawnCategory: text('withdrawn_category', { enum: WITHDRAWAL_CATEGORIES }),
  goneAt: timestamp('gone_at', { withTimezone: true }),
  forcedBy: uuid('forced_by'),
  forcedReason: text('forced_reason'),
  retroApprovedBy: uuid('retro_approved_by'),
  retroApprovedAt: timestamp('retro_approved_at', { withTimezone: true }),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  searchTitle: text('search_title').notNull().default(''),
  searchText: text('search_text').notNull().default(''),
  /** Generated: title and text, folded, weighted (title A), with positions; stored in the row (0004). */
  searchVector: tsvector('search_vector'),
  /** Generated: each two consecutive words of the same text as one lexeme ("xa trung"), for phrases (0004). */
  searchPairs: tsvector('search_pairs'),
})

/** Immutable-once-approved editions of a release. */
export const releaseEditions = pgTable('release_editions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  releaseId: uuid('release_id').notNull(),
  number: integer('number').notNull(),
  status: text('status', { enum: EDITION_STATUSES }).notNull().default('draft'),
  title: text('title').notNull(),
  summary: text('summary').notNull().default(''),
  bodyMd: text('body_md').notNull().default(''),
  category: text('category').notNull().default(''),
  tags: text('tags').array().notNull().default([]),
  communes: text('communes').array().notNull().default([]),
  changeNote: text('change_note'),
  minor: boolean('minor').notNull().default(false),
  rejectionComment: text('rejection_comment'),
  /** Everyone who wrote or changed this edition's text, in order (0008); append-only, none of them may approve it. */
  contributors: jsonb('contributors').$type<EditionContribution[]>().notNull().default([]),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  submittedBy: uuid('submitted_by'),
  submittedAt: timestamp('submitted_at', { withTimezone: true }),
  approvedBy: uuid('approved_by'),
  approvedAt: timestamp('approved_at', { withTimezone: true }),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  contentHash: text('content_hash'),
  signature: text('signature'),
  verificationCode: text('verification_code'),
})

/** Every slug a release had; old ones redirect. */
export const releaseSlugs = pgTable('release_slugs', {
  tenantId: uuid('tenant_id').notNull(),
  slug: text('slug').notNull(),
  releaseId: uuid('release_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Images and documents attached to a release (content-addressed files under DATA_DIR). */
export const releaseAttachments = pgTable('release_attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  releaseId: uuid('release_id').notNull(),
  fileName: text('file_name').notNull(),
  fileType: text('file_type', { enum: ['pdf', 'jpeg', 'png', 'webp', 'docx'] }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  storagePath: text('storage_path').notNull(),
  /** Alt text typed at upload (NFC, at most 200 characters); empty when none was given. */
  alt: text('alt').notNull().default(''),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
