/** Drizzle mirror of `migrations/0019_portal_downloads.sql` (the SQL is the source of truth). */
import { bigserial, boolean, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

export const partnerDownloads = pgTable('partner_downloads', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  userId: uuid('user_id').notNull(),
  attachmentId: uuid('attachment_id').notNull(),
  releaseId: uuid('release_id').notNull(),
  embargoed: boolean('embargoed').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull(),
  ip: text('ip'),
  userAgent: text('user_agent'),
})
