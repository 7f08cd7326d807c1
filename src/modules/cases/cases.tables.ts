import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Case stages; the wording checks depend on them. */
export const CASE_STAGES = ['investigating', 'charged', 'at_trial', 'judged'] as const
/** Case states. */
export const CASE_STATES = ['sealed', 'cleared', 'closed'] as const
/** How someone became a member: added by a manager, or an admin's break-glass (time-limited). */
export const MEMBERSHIP_VIA = ['added', 'break_glass'] as const

/** Sealed investigations (chuyên án). */
export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  code: text('code').notNull(),
  title: text('title').notNull(),
  department: text('department').notNull(),
  leadOfficerId: uuid('lead_officer_id'),
  state: text('state', { enum: CASE_STATES }).notNull().default('sealed'),
  stage: text('stage', { enum: CASE_STAGES }).notNull().default('investigating'),
  secrecyGround: text('secrecy_ground').notNull(),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Need-to-know members of a case. */
export const caseMembers = pgTable(
  'case_members',
  {
    tenantId: uuid('tenant_id').notNull(),
    caseId: uuid('case_id').notNull(),
    userId: uuid('user_id').notNull(),
    addedBy: uuid('added_by'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
    via: text('via', { enum: MEMBERSHIP_VIA }).notNull().default('added'),
    /** The written reason of a break-glass membership (null for added members). */
    reason: text('reason'),
    /** When a break-glass membership stops counting (null: no expiry). */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.caseId, t.userId] })],
)

/** Clearances recorded by an approver: who, when, scope, the ground lifted. */
export const caseClearances = pgTable('case_clearances', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  caseId: uuid('case_id').notNull(),
  clearedBy: uuid('cleared_by').notNull(),
  clearedAt: timestamp('cleared_at', { withTimezone: true }).notNull(),
  scope: text('scope').notNull(),
  groundLifted: text('ground_lifted').notNull(),
})
