/** Drizzle mirrors of `migrations/0015_partners.sql` (the SQL is the source of truth). */
import { bigserial, date, integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Kinds of press outlet. */
export const OUTLET_KINDS = ['newspaper', 'magazine', 'radio_tv', 'online'] as const
export type OutletKind = (typeof OUTLET_KINDS)[number]
/** Kinds of partner. */
export const PARTNER_KINDS = ['journalist', 'influencer'] as const
export type PartnerKind = (typeof PARTNER_KINDS)[number]
/** Platforms of an influencer's channel. */
export const CHANNEL_PLATFORMS = ['facebook', 'tiktok', 'youtube', 'zalo', 'other'] as const
export type ChannelPlatform = (typeof CHANNEL_PLATFORMS)[number]
/** Statuses of a partner (transitions in `partners.workflow.ts`). */
export const PARTNER_STATUSES = ['applied', 'more_info_needed', 'verified', 'accredited', 'suspended', 'expired', 'revoked'] as const
export type PartnerStatus = (typeof PARTNER_STATUSES)[number]
/** Kinds of identifying key (normalised in `partners.normalize.ts`). */
export const KEY_KINDS = ['email', 'phone', 'press_card'] as const
export type KeyKind = (typeof KEY_KINDS)[number]
/** How an acknowledgement was signed. */
export const SIGNING_METHODS = ['portal', 'paper', 'email'] as const
export type SigningMethod = (typeof SIGNING_METHODS)[number]

export const pressOutlets = pgTable('press_outlets', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  licenceNumber: text('licence_number'),
  licenceIssuer: text('licence_issuer'),
  kind: text('kind', { enum: OUTLET_KINDS }).notNull(),
  website: text('website'),
  contactDesk: text('contact_desk'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const partners = pgTable('partners', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind', { enum: PARTNER_KINDS }).notNull(),
  name: text('name').notNull(),
  outletId: uuid('outlet_id'),
  pressCardNumber: text('press_card_number'),
  pressCardExpiresOn: date('press_card_expires_on', { mode: 'string' }),
  phone: text('phone'),
  email: text('email'),
  beats: text('beats').array().notNull().default([]),
  communeCodes: text('commune_codes').array().notNull().default([]),
  accreditationEndsOn: date('accreditation_ends_on', { mode: 'string' }),
  status: text('status', { enum: PARTNER_STATUSES }).notNull().default('applied'),
  statusChangedAt: timestamp('status_changed_at', { withTimezone: true }).notNull().defaultNow(),
  userId: uuid('user_id'),
  mergedInto: uuid('merged_into'),
  mergedAt: timestamp('merged_at', { withTimezone: true }),
  /** Personal data erased (retention, migration 0023): the name is a neutral label. */
  erasedAt: timestamp('erased_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
export type PartnerRow = typeof partners.$inferSelect

export const partnerKeys = pgTable(
  'partner_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    kind: text('kind', { enum: KEY_KINDS }).notNull(),
    value: text('value').notNull(),
    partnerId: uuid('partner_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind, t.value] })],
)

export const partnerChannels = pgTable('partner_channels', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  platform: text('platform', { enum: CHANNEL_PLATFORMS }).notNull(),
  url: text('url').notNull(),
  followers: integer('followers'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const partnerAcknowledgements = pgTable('partner_acknowledgements', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  textVersion: text('text_version').notNull(),
  textSha256: text('text_sha256').notNull(),
  signedAt: timestamp('signed_at', { withTimezone: true }).notNull(),
  method: text('method', { enum: SIGNING_METHODS }).notNull(),
  recordedBy: uuid('recorded_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const partnerStatusHistory = pgTable('partner_status_history', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  fromStatus: text('from_status', { enum: PARTNER_STATUSES }),
  toStatus: text('to_status', { enum: PARTNER_STATUSES }).notNull(),
  reason: text('reason'),
  actorId: uuid('actor_id'),
  actorLabel: text('actor_label').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
})

export const partnerReminders = pgTable(
  'partner_reminders',
  {
    tenantId: uuid('tenant_id').notNull(),
    partnerId: uuid('partner_id').notNull(),
    endsOn: date('ends_on', { mode: 'string' }).notNull(),
    daysBefore: integer('days_before').notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.partnerId, t.endsOn, t.daysBefore] })],
)
