/** Drizzle mirrors of `migrations/0025_distribution.sql` (the SQL is the source of truth). */
import { bigint, bigserial, date, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type {
  BuiltinList,
  DeliveryChannel,
  DeliveryKind,
  DeliveryPayload,
  DeliveryState,
  EmailMode,
  ListKind,
  ListRule,
} from './distribution.types.ts'

export const distributionLists = pgTable('distribution_lists', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  description: text('description'),
  kind: text('kind').$type<ListKind>().notNull(),
  rule: jsonb('rule').$type<ListRule>().notNull().default({}),
  builtinKey: text('builtin_key').$type<BuiltinList>(),
  archivedAt: timestamp('archived_at', { withTimezone: true }),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const distributionListMembers = pgTable(
  'distribution_list_members',
  {
    tenantId: uuid('tenant_id').notNull(),
    listId: uuid('list_id').notNull(),
    partnerId: uuid('partner_id').notNull(),
    addedBy: uuid('added_by'),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.listId, t.partnerId] })],
)

export const distributionOptOuts = pgTable(
  'distribution_opt_outs',
  {
    tenantId: uuid('tenant_id').notNull(),
    partnerId: uuid('partner_id').notNull(),
    listId: uuid('list_id').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.listId] })],
)

export const distributionPreferences = pgTable('distribution_preferences', {
  partnerId: uuid('partner_id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  emailMode: text('email_mode').$type<EmailMode>().notNull().default('immediate'),
  digestHour: integer('digest_hour').notNull().default(7),
  emailBouncedAt: timestamp('email_bounced_at', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const distributionWebhooks = pgTable('distribution_webhooks', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  url: text('url').notNull(),
  secret: text('secret').notNull(),
  previousSecret: text('previous_secret'),
  previousSecretUntil: timestamp('previous_secret_until', { withTimezone: true }),
  state: text('state').$type<'active' | 'disabled'>().notNull().default('active'),
  disabledReason: text('disabled_reason'),
  disabledAt: timestamp('disabled_at', { withTimezone: true }),
  consecutiveFailures: integer('consecutive_failures').notNull().default(0),
  lastSuccessAt: timestamp('last_success_at', { withTimezone: true }),
  deletedAt: timestamp('deleted_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
})

export const distributionTargets = pgTable(
  'distribution_targets',
  {
    tenantId: uuid('tenant_id').notNull(),
    itemType: text('item_type').$type<'release' | 'verdict' | 'warning'>().notNull(),
    itemId: uuid('item_id').notNull(),
    listIds: uuid('list_ids').array().notNull(),
    setBy: uuid('set_by'),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.itemType, t.itemId] })],
)

export const distributionDeliveries = pgTable('distribution_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: bigint('event_id', { mode: 'number' }),
  itemType: text('item_type').$type<'release' | 'verdict' | 'warning' | 'test' | 'notice'>().notNull(),
  itemId: uuid('item_id'),
  kind: text('kind').$type<DeliveryKind>().notNull(),
  recipientType: text('recipient_type').$type<'partner' | 'subscriber'>().notNull(),
  partnerId: uuid('partner_id'),
  subscriberId: uuid('subscriber_id'),
  channel: text('channel').$type<DeliveryChannel>().notNull(),
  webhookId: uuid('webhook_id'),
  address: text('address'),
  state: text('state').$type<DeliveryState>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull().defaultNow(),
  claimedBy: integer('claimed_by'),
  leaseUntil: timestamp('lease_until', { withTimezone: true }),
  lastStatus: integer('last_status'),
  lastError: text('last_error'),
  linkToken: text('link_token').notNull(),
  payload: jsonb('payload').$type<DeliveryPayload>().notNull(),
  digestId: uuid('digest_id'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
  openedAt: timestamp('opened_at', { withTimezone: true }),
  downloadedAt: timestamp('downloaded_at', { withTimezone: true }),
})

export const distributionDigests = pgTable('distribution_digests', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  localDay: date('local_day', { mode: 'string' }).notNull(),
  state: text('state').$type<'queued' | 'sent' | 'failed' | 'bounced'>().notNull().default('queued'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
})

export const distributionAttempts = pgTable('distribution_attempts', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  deliveryId: uuid('delivery_id').notNull(),
  webhookId: uuid('webhook_id'),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  status: integer('status'),
  error: text('error'),
  durationMs: integer('duration_ms'),
})
