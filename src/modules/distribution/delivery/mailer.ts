/**
 * The distribution's mail transport: a POOLED nodemailer transport (a few SMTP connections
 * kept open and reused, instead of one connection per message as the platform's `mail.send`
 * does; thousands of deliveries would otherwise spend most of their time in handshakes), and
 * the classification of what the SMTP server answered.
 *
 * Every message carries the delivery's stable idempotency key: `Message-ID: <id@host>` (the same
 * on a re-send after a crash, so a receiving system can drop the second copy) and
 * `X-DongHanh-Delivery: <id>`.
 */
import nodemailer, { type Transporter } from 'nodemailer'
import type { ChannelOutcome } from '../distribution.types.ts'
import type { RenderedMessage } from './render.ts'

/** One message to send. */
export interface OutgoingMail {
  /** The delivery's (or digest's) id: its Message-ID and X-DongHanh-Delivery. */
  id: string
  to: string
  message: RenderedMessage
  /** RFC 8058 one-click unsubscribe (public subscribers). */
  unsubscribeUrl?: string
}

/** A mailer; `send` never throws for SMTP answers, it classifies them. */
export interface DistributionMailer {
  /** True when there is no SMTP server: messages are kept in the outbox instead. */
  readonly keeps: boolean
  send(mail: OutgoingMail): Promise<ChannelOutcome>
  close(): void
}

/** Options of {@link createMailer}. */
export interface MailerOptions {
  /** SMTP_URL; undefined: keep messages (the embedded default without a mail server). */
  smtpUrl: string | undefined
  /** MAIL_FROM. */
  from: string
  /** PUBLIC_URL: its host names the Message-IDs. */
  publicUrl: string
  /** Open SMTP connections (default 8). */
  maxConnections?: number
}

/** The host part of Message-IDs. */
export function messageIdHost(publicUrl: string): string {
  try {
    return new URL(publicUrl).hostname || 'donghanh.local'
  } catch {
    return 'donghanh.local'
  }
}

/** The stable Message-ID of a delivery or digest. */
export function messageIdOf(id: string, publicUrl: string): string {
  return `<${id}@${messageIdHost(publicUrl)}>`
}

/**
 * What an SMTP failure means: a 5xx reply (a mailbox refused for good, 550 on RCPT) is a
 * bounce; a 4xx reply (greylisting, a full mailbox, a busy server), a refused or broken
 * connection and a timeout are tried again later.
 */
export function classifySmtpError(e: unknown): ChannelOutcome {
  const err = e as { responseCode?: number; code?: string; response?: string; message?: string }
  const status = typeof err.responseCode === 'number' ? err.responseCode : undefined
  const text = (err.response ?? err.message ?? 'SMTP error').replace(/\s+/g, ' ').slice(0, 300)
  if (status !== undefined && status >= 500 && status < 600) return { state: 'bounced', retryable: false, status, error: text }
  return { state: 'failed', retryable: true, status, error: status ? text : `${err.code ?? 'network error'}: ${text}` }
}

/** Creates the mailer (pooled transport, or the keeping one without SMTP_URL). */
export function createMailer(o: MailerOptions): DistributionMailer {
  if (!o.smtpUrl) {
    return {
      keeps: true,
      async send() {
        // The sender writes the message to mail_outbox in the transaction that marks it sent.
        return { state: 'sent', retryable: false }
      },
      close() {},
    }
  }
  const url = new URL(o.smtpUrl)
  url.searchParams.set('pool', 'true')
  const transport: Transporter = nodemailer.createTransport({
    url: url.toString(),
    pool: true,
    maxConnections: o.maxConnections ?? 16,
    maxMessages: 10_000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  } as Parameters<typeof nodemailer.createTransport>[0])
  const host = messageIdHost(o.publicUrl)
  return {
    keeps: false,
    async send(mail) {
      const started = performance.now()
      const headers: Record<string, string> = { 'X-DongHanh-Delivery': mail.id }
      if (mail.unsubscribeUrl) {
        headers['List-Unsubscribe'] = `<${mail.unsubscribeUrl}>`
        headers['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click'
      }
      try {
        const info = (await transport.sendMail({
          from: o.from,
          to: mail.to,
          subject: mail.message.subject,
          text: mail.message.text,
          html: mail.message.html,
          messageId: `<${mail.id}@${host}>`,
          headers,
        })) as { response?: string }
        const code = /^(\d{3})/.exec(info.response ?? '')?.[1]
        return { state: 'sent', retryable: false, status: code ? Number(code) : 250, durationMs: performance.now() - started }
      } catch (e) {
        return { ...classifySmtpError(e), durationMs: performance.now() - started }
      }
    },
    close() {
      transport.close()
    },
  }
}
