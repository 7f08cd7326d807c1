import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** The spokesperson register: every release names one. */
export const spokespersons = pgTable('spokespersons', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  title: text('title').notNull(),
  phone: text('phone').notNull(),
  email: text('email').notNull(),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Delegations: to whom, for which case, until when. */
export const spokespersonDelegations = pgTable('spokesperson_delegations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  spokespersonId: uuid('spokesperson_id').notNull(),
  delegateName: text('delegate_name').notNull(),
  delegateTitle: text('delegate_title').notNull(),
  caseId: uuid('case_id'),
  validUntil: timestamp('valid_until', { withTimezone: true }).notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
