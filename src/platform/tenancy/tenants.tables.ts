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
  /** The province the office serves ('' until set). */
  province: text('province').notNull().default(''),
  website: text('website').notNull().default(''),
  /** The logo file (platform/uploads, content-addressed): both set or both NULL. */
  logoSha256: text('logo_sha256'),
  logoExt: text('logo_ext'),
  /** NULL while the identity is the fresh install's placeholder. */
  identitySetAt: timestamp('identity_set_at', { withTimezone: true }),
  isDefault: boolean('is_default').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
