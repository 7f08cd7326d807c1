/** Drizzle mirror of `../migrations/0021_partner_tokens.sql` (the SQL is the source of truth). */
import { pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'
import type { PartnerTokenScope } from '../../../platform/http/context.ts'

/** The scopes a partner token may carry (the same list as the SQL CHECK). */
export const PARTNER_TOKEN_SCOPES: readonly PartnerTokenScope[] = ['embargo:read', 'inquiries', 'coverage']

export const partnerTokens = pgTable('partner_tokens', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  userId: uuid('user_id').notNull(),
  name: text('name').notNull(),
  tokenHash: text('token_hash').notNull(),
  prefix: text('prefix').notNull(),
  scopes: text('scopes').array().notNull().$type<PartnerTokenScope[]>(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
})

export type PartnerTokenRow = typeof partnerTokens.$inferSelect
