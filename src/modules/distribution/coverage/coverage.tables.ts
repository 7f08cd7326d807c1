/** Drizzle mirrors of `migrations/0027_coverage.sql` (the SQL is the source of truth). */
import { integer, jsonb, pgTable, real, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** States of a coverage report. */
export const COVERAGE_STATES = ['pending', 'captured', 'failed'] as const
export type CoverageState = (typeof COVERAGE_STATES)[number]

/** How a captured page stands against the official text. */
export const COVERAGE_VERDICTS = ['faithful', 'excerpt', 'altered', 'unrelated'] as const
export type CoverageVerdict = (typeof COVERAGE_VERDICTS)[number]

/** Why a capture failed. */
export const COVERAGE_FAILURES = ['private', 'too_large', 'not_page', 'needs_js', 'unreachable'] as const
export type CoverageFailure = (typeof COVERAGE_FAILURES)[number]

/** Items coverage is reported for. */
export const COVERAGE_ITEM_TYPES = ['release', 'verdict'] as const
export type CoverageItemType = (typeof COVERAGE_ITEM_TYPES)[number]

/** Kinds of a changed passage. */
export const CHANGE_KINDS = ['figure', 'date', 'name', 'wording'] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

/** One changed passage: the official words and what was published instead, with a little context. */
export interface CoverageChange {
  kind: ChangeKind
  official: string
  published: string
  before: string
  after: string
}

/** The stored word diff (newsroom/word-diff.ts parts, trimmed to the copy). */
export interface StoredDiff {
  parts: { kind: 'same' | 'added' | 'removed'; text: string }[]
  cutStart: boolean
  cutEnd: boolean
}

/** The quote a correction request carries. */
export interface CorrectionQuote {
  official: string
  published: string
  url: string
}

export const coverageReports = pgTable('coverage_reports', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  itemType: text('item_type').$type<CoverageItemType>().notNull(),
  itemId: uuid('item_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  url: text('url').notNull(),
  reportedBy: text('reported_by').$type<'partner' | 'staff'>().notNull(),
  reportedByUser: uuid('reported_by_user'),
  state: text('state').$type<CoverageState>().notNull().default('pending'),
  failureReason: text('failure_reason').$type<CoverageFailure>(),
  failureDetail: text('failure_detail'),
  finalUrl: text('final_url'),
  headline: text('headline'),
  text: text('text'),
  editionId: uuid('edition_id'),
  editionNumber: integer('edition_number'),
  verdict: text('verdict').$type<CoverageVerdict>(),
  changes: jsonb('changes').$type<CoverageChange[]>().notNull().default([]),
  diff: jsonb('diff').$type<StoredDiff>(),
  clickbaitScore: real('clickbait_score'),
  clickbaitReasons: text('clickbait_reasons').array().notNull().default([]),
  capturedAt: timestamp('captured_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
export type CoverageRow = typeof coverageReports.$inferSelect

export const coverageCorrectionRequests = pgTable('coverage_correction_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  coverageId: uuid('coverage_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  sentBy: uuid('sent_by').notNull(),
  message: text('message').notNull(),
  quote: jsonb('quote').$type<CorrectionQuote>().notNull(),
  deliveryId: uuid('delivery_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
export type CorrectionRequestRow = typeof coverageCorrectionRequests.$inferSelect
