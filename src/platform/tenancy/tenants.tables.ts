import { boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Provincial units. Every domain row carries its tenant. */
export const tenants = pgTable('tenants', {
  id: uuid('id').primaryKey().defaultRandom(),
  slug: text('slug').notNull(),
  name: text('name').notNull(),
  shortName: text('short_name').notNull(),
  hotline: text('hotline').notNull(),
  email: text('email').notNull(),
  address: text('address').notNull(),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
