/** Drizzle mirrors of `migrations/0020_inquiries.sql` (the SQL is the source of truth). */
import { bigserial, boolean, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Kinds of inquiry, each with its legal clock (`inquiries.clock.ts`). */
export const INQUIRY_KINDS = ['incident', 'complaint', 'question'] as const
export type InquiryKind = (typeof INQUIRY_KINDS)[number]
/** How an inquiry reached the office. */
export const INQUIRY_CHANNELS = ['portal', 'api', 'phone', 'email'] as const
export type InquiryChannel = (typeof INQUIRY_CHANNELS)[number]
/** Statuses: received → assigned → answered | refused | withdrawn. */
export const INQUIRY_STATUSES = ['received', 'assigned', 'answered', 'refused', 'withdrawn'] as const
export type InquiryStatus = (typeof INQUIRY_STATUSES)[number]
/** Statuses still on the clock. */
export const OPEN_STATUSES = ['received', 'assigned'] as const
/**
 * The legal grounds a refusal must pick from (Law on Access to Information 2016 art. 6 and the
 * Press Law's limits): state secret; privacy; a case under investigation or not yet tried; an
 * inspection or complaint without a conclusion; an unapproved draft.
 */
export const REFUSAL_GROUNDS = ['state_secret', 'privacy', 'under_investigation', 'inspection_pending', 'unapproved_draft'] as const
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number]
/** Units a clock counts in. */
export const CLOCK_UNITS = ['hours', 'calendar_days', 'working_days'] as const
export type ClockUnit = (typeof CLOCK_UNITS)[number]

/** How an inquiry's clock was counted, kept with it. */
export interface ClockRecord {
  unit: ClockUnit
  amount: number
  escalatePercent: number
  /** The last day counted (local), for day clocks. */
  lastDay?: string
  /** Set when the last day fell on a day off and moved to the next working day. */
  movedFrom?: string
}

export const inquiries = pgTable('inquiries', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  code: text('code').notNull(),
  partnerId: uuid('partner_id'),
  askerUserId: uuid('asker_user_id'),
  askerName: text('asker_name').notNull(),
  askerContact: text('asker_contact'),
  askerEmail: text('asker_email'),
  askerOutlet: text('asker_outlet'),
  askerNamePublic: boolean('asker_name_public').notNull().default(false),
  channel: text('channel', { enum: INQUIRY_CHANNELS }).notNull(),
  kind: text('kind', { enum: INQUIRY_KINDS }).notNull(),
  topic: text('topic').notNull(),
  question: text('question').notNull(),
  releaseId: uuid('release_id'),
  caseRef: text('case_ref'),
  caseId: uuid('case_id'),
  neededBy: timestamp('needed_by', { withTimezone: true }),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull(),
  dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
  escalateAt: timestamp('escalate_at', { withTimezone: true }).notNull(),
  clock: jsonb('clock').$type<ClockRecord>().notNull(),
  status: text('status', { enum: INQUIRY_STATUSES }).notNull().default('received'),
  assigneeSpokespersonId: uuid('assignee_spokesperson_id'),
  assigneeUserId: uuid('assignee_user_id'),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  overdueAt: timestamp('overdue_at', { withTimezone: true }),
  answer: text('answer'),
  answeredByUserId: uuid('answered_by_user_id'),
  answerSpokespersonId: uuid('answer_spokesperson_id'),
  answerSpokespersonName: text('answer_spokesperson_name'),
  answerSpokespersonTitle: text('answer_spokesperson_title'),
  answerAgency: text('answer_agency'),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
  refusalGround: text('refusal_ground', { enum: REFUSAL_GROUNDS }),
  refusalExplanation: text('refusal_explanation'),
  publicSlug: text('public_slug'),
  publicQuestion: text('public_question'),
  publishedAt: timestamp('published_at', { withTimezone: true }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})
export type InquiryRow = typeof inquiries.$inferSelect

export const inquiryEvents = pgTable('inquiry_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  inquiryId: uuid('inquiry_id').notNull(),
  type: text('type').notNull(),
  actorId: uuid('actor_id'),
  actorLabel: text('actor_label').notNull(),
  detail: jsonb('detail').$type<Record<string, unknown>>().notNull().default({}),
  at: timestamp('at', { withTimezone: true }).notNull(),
})

export const inquiryHolidays = pgTable(
  'inquiry_holidays',
  {
    tenantId: uuid('tenant_id').notNull(),
    day: date('day', { mode: 'string' }).notNull(),
    name: text('name').notNull(),
    source: text('source', { enum: ['computed', 'staff'] }).notNull(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    changedBy: uuid('changed_by'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.day] })],
)

export const inquiryHolidayYears = pgTable(
  'inquiry_holiday_years',
  {
    tenantId: uuid('tenant_id').notNull(),
    year: integer('year').notNull(),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
)

export const inquiryKindSettings = pgTable(
  'inquiry_kind_settings',
  {
    tenantId: uuid('tenant_id').notNull(),
    kind: text('kind', { enum: INQUIRY_KINDS }).notNull(),
    unit: text('unit', { enum: CLOCK_UNITS }).notNull(),
    amount: integer('amount').notNull(),
    escalatePercent: integer('escalate_percent').notNull(),
    updatedBy: uuid('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
)

export const inquiryCounters = pgTable(
  'inquiry_counters',
  {
    tenantId: uuid('tenant_id').notNull(),
    year: integer('year').notNull(),
    last: integer('last').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.year] })],
)
