/**
 * Test and benchmark support of the sender (not loaded by the product): real receivers that
 * count effects by idempotency key — an SMTP server (smtp-server) counting Message-IDs and an
 * HTTP server counting `webhook-id`s — and a seeder writing partners, endpoints and the
 * deliveries of one decision through the fan-out's own insert (`insertPartnerDeliveries`).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { simpleParser } from 'mailparser'
import { SMTPServer } from 'smtp-server'
import type { Database } from '../../../db/index.ts'
import { randomToken } from '../../../platform/auth/secrets.ts'
import type { DeliveryPayload } from '../distribution.types.ts'

/** One message the SMTP receiver accepted. */
export interface ReceivedMail {
  messageId: string
  to: string[]
  /** The raw header block (lower-case names are not normalised). */
  headers: string
  /** The whole message, when `keepRaw`. */
  raw?: Buffer
  /** Subject, text and header lines, when `parse` (mailparser). */
  parsed?: { subject: string; text: string; headerLines: readonly { key: string; line: string }[] }
}

/** A running SMTP receiver. */
export interface SmtpReceiver {
  port: number
  url: string
  mails: ReceivedMail[]
  /** Accepted messages per Message-ID. */
  byId: Map<string, number>
  close(): Promise<void>
}

/**
 * Starts an SMTP server on 127.0.0.1. `rcpt` may refuse a recipient with an SMTP code (550:
 * mailbox refused for good; 451: try later). Only the header block is read unless `keepRaw`.
 */
export async function startSmtpReceiver(
  o: {
    rcpt?: (address: string) => { code: number; message: string } | null
    keepRaw?: boolean
    parse?: boolean
    onMail?: (m: ReceivedMail) => void
  } = {},
): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = []
  const byId = new Map<string, number>()
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 5 * 1024 * 1024,
    onRcptTo(address, _session, cb) {
      const refusal = o.rcpt?.(address.address)
      if (refusal) {
        const e = new Error(refusal.message) as Error & { responseCode: number }
        e.responseCode = refusal.code
        cb(e)
        return
      }
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', async () => {
        const raw = Buffer.concat(chunks)
        const end = raw.indexOf('\r\n\r\n')
        const headers = raw.subarray(0, end < 0 ? raw.length : end).toString('utf8')
        const messageId = /^message-id:\s*(<[^>\r\n]+>)/im.exec(headers)?.[1] ?? ''
        let parsed: ReceivedMail['parsed']
        if (o.parse) {
          const m = await simpleParser(raw)
          parsed = { subject: m.subject ?? '', text: m.text ?? '', headerLines: m.headerLines }
        }
        const mail = { messageId, to: session.envelope.rcptTo.map((r) => r.address), headers, raw: o.keepRaw ? raw : undefined, parsed }
        mails.push(mail)
        o.onMail?.(mail)
        byId.set(messageId, (byId.get(messageId) ?? 0) + 1)
        cb()
      })
    },
  })
  // A sender killed mid-conversation resets its connections: expected here, not an error.
  server.on('error', () => undefined)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  const port = (server.server.address() as AddressInfo).port
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    mails,
    byId,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

/** A running webhook receiver. */
export interface WebhookReceiver {
  port: number
  /** Base URL; endpoints are `${url}/hook/<n>`. */
  url: string
  /** Accepted requests per `webhook-id`. */
  byId: Map<string, number>
  /** Requests in all. */
  requests: number
  close(): Promise<void>
}

/** Starts an HTTP receiver on 127.0.0.1 that answers 204 and counts `webhook-id`s. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const byId = new Map<string, number>()
  const r: WebhookReceiver = {
    port: 0,
    url: '',
    byId,
    requests: 0,
    close: async () => undefined,
  }
  const server = http.createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      r.requests++
      const id = String(req.headers['webhook-id'] ?? '')
      byId.set(id, (byId.get(id) ?? 0) + 1)
      res.writeHead(204).end()
    })
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()))
  r.port = (server.address() as AddressInfo).port
  r.url = `http://127.0.0.1:${r.port}`
  r.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
  return r
}

/** The payload of the seeded decision. */
export function samplePayload(publicUrl: string): DeliveryPayload {
  return {
    event: 'release.published',
    itemType: 'release',
    itemId: null,
    title: 'Thông cáo: phân luồng giao thông Quốc lộ 1A qua Hạc Thành',
    summary: 'Từ 20/11, xe tải trên 10 tấn đi theo tuyến tránh phía Tây.',
    body: 'Công an tỉnh thông báo phương án phân luồng.\n\nNgười dân theo hướng dẫn của lực lượng chức năng.',
    publicUrl: `${publicUrl}/thong-cao/phan-luong`,
    edition: 1,
    source: { name: 'Công an tỉnh Thanh Hoá', url: publicUrl },
  }
}

/**
 * Accredited journalists for a fan-out: the first `emails` with only an address, the next
 * `webhooks` with one endpoint each on `webhookBase` (`/hook/<n>`), written in bulk. Returns
 * their ids.
 */
export async function seedRecipients(
  database: Database,
  o: { tenantId: string; emails: number; webhooks: number; webhookBase: string },
): Promise<string[]> {
  const { pool } = database
  const n = o.emails + o.webhooks
  const tag = randomToken(6)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, 'x')
  const names = Array.from({ length: n }, (_, i) => `Phóng viên ${i + 1}`)
  const emails = Array.from({ length: n }, (_, i) => `pv${i + 1}.${tag}@bao.example.vn`)
  const partners = await pool.query<{ id: string }>(
    `INSERT INTO partners (tenant_id, kind, name, email, status)
     SELECT $1, 'journalist', x.name, x.email, 'accredited' FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS x(name, email, i)
     ORDER BY x.i RETURNING id`,
    [o.tenantId, names, emails],
  )
  const ids = partners.rows.map((r) => r.id)
  // Webhook partners have no address: they are reached by their endpoint only.
  await pool.query(`UPDATE partners SET email = NULL WHERE id = ANY($1::uuid[])`, [ids.slice(o.emails)])
  await pool.query(
    `INSERT INTO distribution_webhooks (tenant_id, partner_id, url, secret)
     SELECT $1, x.p, $2 || '/hook/' || x.i, 'whsec_' || encode(decode(md5(random()::text) || md5(random()::text), 'hex'), 'base64')
       FROM unnest($3::uuid[]) WITH ORDINALITY AS x(p, i)`,
    [o.tenantId, o.webhookBase, ids.slice(o.emails)],
  )
  return ids
}

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..')

/** Starts `donghanh worker` in a child process on `env` (DATABASE_URL, SMTP_URL …). */
export function spawnWorker(env: Record<string, string>, onLine?: (line: string) => void): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/main.ts'), 'worker'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const feed = (b: Buffer) => {
    if (onLine) for (const l of b.toString().split('\n')) if (l.trim()) onLine(l)
  }
  child.stdout?.on('data', feed)
  child.stderr?.on('data', feed)
  return child
}

/** Kills a child (SIGKILL) and waits for its exit. */
export async function killChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill(signal)
  await exited
}
