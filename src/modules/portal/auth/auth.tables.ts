/** Drizzle mirrors of `migrations/0018_portal_auth.sql` (the SQL is the source of truth). */
import { bigint, boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Sign-in links mailed to partners (token and browser nonce stored as SHA-256). */
export const signInLinks = pgTable('portal_sign_in_links', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  tokenHash: text('token_hash').notNull(),
  nonceHash: text('nonce_hash').notNull(),
  requestedIp: text('requested_ip'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** Partners' passkeys (discoverable WebAuthn credentials). */
export const passkeys = pgTable('portal_passkeys', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  userId: uuid('user_id').notNull(),
  credentialId: text('credential_id').notNull(),
  publicKey: text('public_key').notNull(),
  counter: bigint('counter', { mode: 'number' }).notNull().default(0),
  transports: text('transports').array().notNull().default([]),
  deviceType: text('device_type').notNull(),
  backedUp: boolean('backed_up').notNull().default(false),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
})
export type PasskeyRow = typeof passkeys.$inferSelect

/** Server-side WebAuthn challenges (single use, 5 minutes). */
export const webauthnChallenges = pgTable('portal_webauthn_challenges', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  purpose: text('purpose', { enum: ['register', 'authenticate'] }).notNull(),
  userId: uuid('user_id'),
  challenge: text('challenge').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  usedAt: timestamp('used_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})
