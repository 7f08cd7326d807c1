import { integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** An attachment of a queued mail (text, or binary in base64). */
export interface MailAttachment {
  filename: string
  /** Full MIME type, parameters included (`text/calendar; method=REQUEST`). */
  contentType: string
  /** The content: text as it is, or binary data in base64 when `encoding` says so. */
  content: string
  /** 'base64' for a binary attachment (a PDF badge); absent for text. */
  encoding?: 'base64'
}

/** Outgoing mail, written in the caller's transaction and sent by the `mail.send` job. */
export const mailOutbox = pgTable('mail_outbox', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  toAddress: text('to_address').notNull(),
  subject: text('subject').notNull(),
  textBody: text('text_body').notNull(),
  htmlBody: text('html_body'),
  /** Text attachments (an iCalendar invitation …); column added by events' 0030. */
  attachments: jsonb('attachments').$type<MailAttachment[]>(),
  status: text('status', { enum: ['queued', 'sent', 'kept', 'failed'] })
    .notNull()
    .default('queued'),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  sentAt: timestamp('sent_at', { withTimezone: true }),
})
