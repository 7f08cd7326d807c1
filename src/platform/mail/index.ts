/**
 * Mail. `queueMail` writes the message to `mail_outbox` and enqueues its delivery in the
 * caller's transaction. The `mail.send` job sends it over SMTP (nodemailer) when SMTP_URL
 * is set; otherwise the message is kept, and admins read it on the console outbox page, so
 * the embedded default works end to end without a mail server.
 */
import { desc, eq, sql } from 'drizzle-orm'
import nodemailer, { type Transporter } from 'nodemailer'
import type { Db, Tx } from '../../db/index.ts'
import { defineJob, enqueue } from '../jobs/index.ts'
import { type MailAttachment, mailOutbox } from './mail.tables.ts'

export type { MailAttachment } from './mail.tables.ts'

/** A message to send. */
export interface MailInput {
  tenantId: string
  to: string
  subject: string
  text: string
  html?: string
  /** Attachments (stored with the message; binary ones in base64 with `encoding: 'base64'`). */
  attachments?: MailAttachment[]
}

interface MailSettings {
  db: Db
  smtpUrl: string | undefined
  from: string
}

let settings: MailSettings | undefined
let transport: Transporter | undefined

/** Configures delivery for this process (called once at start-up). */
export function configureMail(s: MailSettings): void {
  settings = s
  transport = s.smtpUrl ? nodemailer.createTransport(s.smtpUrl) : undefined
}

/** Writes a message to the outbox and enqueues its delivery, in `tx`. */
export async function queueMail(tx: Tx, input: MailInput): Promise<string> {
  const [row] = await tx
    .insert(mailOutbox)
    .values({
      tenantId: input.tenantId,
      toAddress: input.to,
      subject: input.subject,
      textBody: input.text,
      htmlBody: input.html ?? null,
      attachments: input.attachments?.length ? input.attachments : null,
    })
    .returning({ id: mailOutbox.id })
  if (!row) throw new Error('mail_outbox insert returned nothing')
  await enqueue(tx, 'mail.send', { id: row.id })
  return row.id
}

/** Sends one queued mail (or keeps it when no SMTP server is configured). */
export const sendMailJob = defineJob<{ id: string }>(
  'mail.send',
  async ({ id }) => {
    if (!settings) throw new Error('mail not configured in this process')
    const { db, from } = settings
    const [msg] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id))
    if (!msg || msg.status === 'sent' || msg.status === 'kept') return
    if (!transport) {
      await db.update(mailOutbox).set({ status: 'kept' }).where(eq(mailOutbox.id, id))
      return
    }
    try {
      await transport.sendMail({
        from,
        to: msg.toAddress,
        subject: msg.subject,
        text: msg.textBody,
        html: msg.htmlBody ?? undefined,
        attachments: msg.attachments?.map((a) => ({
          filename: a.filename,
          contentType: a.contentType,
          content: a.content,
          ...(a.encoding ? { encoding: a.encoding } : {}),
        })),
      })
      await db
        .update(mailOutbox)
        .set({ status: 'sent', sentAt: new Date(), attempts: sql`${mailOutbox.attempts} + 1`, lastError: null })
        .where(eq(mailOutbox.id, id))
    } catch (e) {
      await db
        .update(mailOutbox)
        .set({ status: 'failed', attempts: sql`${mailOutbox.attempts} + 1`, lastError: (e as Error).message.slice(0, 500) })
        .where(eq(mailOutbox.id, id))
      throw e
    }
  },
  // Up to 20 mails a poll (the worker polls every 0.5 s): an invitation round to 5,000 partners
  // would otherwise drain at 2 mails a second.
  { retryLimit: 5, batchSize: 20 },
)

/** The newest messages of a tenant's outbox (admins only; see accounts policy). */
export async function listOutbox(db: Db, tenantId: string, limit = 100) {
  return db.select().from(mailOutbox).where(eq(mailOutbox.tenantId, tenantId)).orderBy(desc(mailOutbox.createdAt)).limit(limit)
}

/** One outbox message. */
export async function getOutboxMessage(db: Db, tenantId: string, id: string) {
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.id, id))
  return row && row.tenantId === tenantId ? row : undefined
}

/** Counts per status (for /metrics). */
export async function outboxCounts(db: Db): Promise<Record<string, number>> {
  const rows = await db.select({ status: mailOutbox.status, n: sql<number>`count(*)::int` }).from(mailOutbox).groupBy(mailOutbox.status)
  return Object.fromEntries(rows.map((r) => [r.status, r.n]))
}
