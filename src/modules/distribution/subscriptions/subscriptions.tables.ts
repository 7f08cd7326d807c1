/** Drizzle mirrors of `migrations/0026_public_subscriptions.sql` (the SQL is the source of truth). */
import { customType, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Topics a public subscriber may choose. */
export const SUBSCRIPTION_KINDS = ['release', 'warning', 'verdict'] as const
export type SubscriptionKind = (typeof SUBSCRIPTION_KINDS)[number]

/**
 * Warning kinds a subscriber of the `warning` topic may choose (none = every kind). The warnings
 * module's kinds, repeated here as the CHECK of migration 0032 lists them (distribution does not
 * import warnings: warnings reaches people through distribution).
 */
export const SUBSCRIBER_WARNING_KINDS = ['scam', 'traffic', 'public_order', 'missing_person', 'wanted'] as const
export type SubscriberWarningKind = (typeof SUBSCRIBER_WARNING_KINDS)[number]

/** States of a public subscription. */
export const SUBSCRIPTION_STATES = ['pending', 'active', 'unsubscribed'] as const
export type SubscriptionState = (typeof SUBSCRIPTION_STATES)[number]

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const publicSubscriptions = pgTable('public_subscriptions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  /** NULL once the subscriber left (erased with the subscription). */
  email: text('email'),
  kinds: text('kinds').array().$type<SubscriptionKind[]>().notNull(),
  communes: text('communes').array().notNull().default([]),
  /** Warning kinds chosen with the `warning` topic (empty = every kind); column from 0032_warnings.sql. */
  warningKinds: text('warning_kinds').array().$type<SubscriberWarningKind[]>().notNull().default([]),
  locale: text('locale').$type<'vi' | 'en'>().notNull().default('vi'),
  state: text('state').$type<SubscriptionState>().notNull().default('pending'),
  confirmTokenHash: text('confirm_token_hash'),
  confirmExpiresAt: timestamp('confirm_expires_at', { withTimezone: true }),
  linkVersion: integer('link_version').notNull().default(1),
  lastMailedAt: timestamp('last_mailed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  unsubscribedAt: timestamp('unsubscribed_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const publicSubscriptionKeys = pgTable('public_subscription_keys', {
  tenantId: uuid('tenant_id').primaryKey(),
  secret: bytea('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
