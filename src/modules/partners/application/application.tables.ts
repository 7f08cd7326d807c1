/** Drizzle mirrors of `../migrations/0017_partner_applications.sql` (the SQL is the source of truth). */
import { date, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { ChannelPlatform, PartnerKind } from '../partners.tables.ts'

/** States of an application itself (the partner it became has its own status). */
export const APPLICATION_STATES = ['pending', 'verified', 'closed', 'withdrawn'] as const
export type ApplicationState = (typeof APPLICATION_STATES)[number]

/** A channel as the applicant declared it. */
export interface AppliedChannel {
  platform: ChannelPlatform
  url: string
  followers: number | null
}

export const partnerApplications = pgTable('partner_applications', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind').$type<PartnerKind>().notNull(),
  name: text('name').notNull(),
  email: text('email').notNull(),
  phone: text('phone'),
  outletId: uuid('outlet_id'),
  outletName: text('outlet_name'),
  pressCardNumber: text('press_card_number'),
  pressCardExpiresOn: date('press_card_expires_on', { mode: 'string' }),
  beats: text('beats').array().notNull().default([]),
  communeCodes: text('commune_codes').array().notNull().default([]),
  channels: jsonb('channels').$type<AppliedChannel[]>().notNull().default([]),
  acknowledgementVersion: text('acknowledgement_version'),
  acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
  consentVersion: text('consent_version').notNull(),
  consentAt: timestamp('consent_at', { withTimezone: true }).notNull(),
  consentWithdrawnAt: timestamp('consent_withdrawn_at', { withTimezone: true }),
  state: text('state', { enum: APPLICATION_STATES }).notNull().default('pending'),
  verifyTokenHash: text('verify_token_hash').notNull(),
  verifyExpiresAt: timestamp('verify_expires_at', { withTimezone: true }).notNull(),
  verifiedAt: timestamp('verified_at', { withTimezone: true }),
  partnerId: uuid('partner_id'),
  duplicateOf: uuid('duplicate_of'),
  closedReason: text('closed_reason'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
export type ApplicationRow = typeof partnerApplications.$inferSelect

export const partnerApplicationLinks = pgTable('partner_application_links', {
  tokenHash: text('token_hash').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})

/** Proof file types accepted (images and PDF; never DOCX). */
export const PROOF_TYPES = ['jpeg', 'png', 'webp', 'pdf'] as const
export type ProofType = (typeof PROOF_TYPES)[number]

export const partnerApplicationFiles = pgTable('partner_application_files', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  round: integer('round').notNull().default(0),
  fileName: text('file_name').notNull(),
  fileType: text('file_type', { enum: PROOF_TYPES }).notNull(),
  sizeBytes: integer('size_bytes').notNull(),
  sha256: text('sha256').notNull(),
  storagePath: text('storage_path').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})
export type ApplicationFileRow = typeof partnerApplicationFiles.$inferSelect

export const partnerApplicationAnswers = pgTable('partner_application_answers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  applicationId: uuid('application_id').notNull(),
  round: integer('round').notNull(),
  answer: text('answer').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
})
