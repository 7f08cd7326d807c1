/**
 * The sender: takes queued e-mail and webhook deliveries, sends them, and records what came of
 * each. One per worker process; any number of worker processes share the queue.
 *
 * Claiming. One DEDICATED database session claims rows (`UPDATE … WHERE id IN (SELECT … FOR
 * UPDATE SKIP LOCKED)`), stamping them `sending` with `claimed_by = pg_backend_pid()` of that
 * session and a lease. A row still `sending` is taken again when its holder's session is gone
 * (`claimed_by` not in `pg_stat_activity`: a killed worker's session ends with it, so its rows
 * are free at once, not after a timeout) or its lease ran out (a live but stuck holder).
 * `attempts` counts claims.
 *
 * Sending. Up to `concurrency` sends in flight (a pooled SMTP transport; keep-alive agents per
 * webhook destination in webhooks/outbound.ts), at most `maxOutstanding` rows claimed and not
 * yet recorded, so no claimed row waits long enough for its lease to run out (and one that
 * somehow would is handed back unsent). Before sending, each batch is checked LIVE: an embargo
 * delivery whose partner is no longer accredited, and any delivery to a disabled endpoint, is
 * cancelled with its reason and never sent.
 *
 * Recording. Outcomes are written in small batches (one `unnest` UPDATE per batch, the webhook
 * bookkeeping in the same transaction), only where the row is still ours and still `sending`
 * (or was opened meanwhile: states never move backwards). Retryable failures go back to
 * `queued` with `next_attempt_at` from the backoff (webhooks/retry.ts), on the product's clock.
 *
 * The one window: between the receiver accepting a message and the batch that records it
 * committing, a crash leaves the row `sending`; the next sender sends it again with the SAME
 * idempotency key (`webhook-id: msg_<id>`, `Message-ID: <id@host>`). Nothing is lost; the
 * effect is once for a receiver that honours the key. See ARCHITECTURE.md.
 */
import pg from 'pg'
import type { Config } from '../../../config.ts'
import { type Database, withTransaction } from '../../../db/index.ts'
import { SYSTEM_ACTOR } from '../../accounts/users.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { t } from '../../../platform/i18n/index.ts'
import type { BackgroundService } from '../../../platform/modules.ts'
import { hasEmbargoAccess } from '../../partners/partners.actor.ts'
import type { PartnerStatus } from '../../partners/partners.tables.ts'
import type { ChannelOutcome, DeliveryPayload } from '../distribution.types.ts'
import { recordWebhookOutcome, recordWebhookSuccesses, retryDelayMs, sendWebhook, type WebhookEndpoint } from '../webhooks/webhooks.ts'
import { type DistributedItemType, distributedItemType } from '../distribution.items.ts'
import { createMailer, type DistributionMailer } from './mailer.ts'
import { DISTRIBUTION_CHANNEL, renderMessage } from './render.ts'

/** A claimed row. */
interface Claimed {
  id: string
  tenantId: string
  kind: string
  recipientType: 'partner' | 'subscriber'
  partnerId: string | null
  channel: 'email' | 'webhook'
  webhookId: string | null
  address: string | null
  attempts: number
  linkToken: string
  payload: DeliveryPayload
  createdAt: Date
  /** When this process claimed it (its lease runs from here). */
  claimedAt: number
}

/** What became of a claimed row. */
type Result =
  | {
      row: Claimed
      kind: 'outcome'
      outcome: ChannelOutcome
      endpoint?: WebhookEndpoint
      kept?: { subject: string; text: string; html: string }
    }
  | { row: Claimed; kind: 'cancel'; reason: string }
  /** Not sent (stopping, or too close to its lease's end): back to the queue, the claim not counted. */
  | { row: Claimed; kind: 'release' }

/** Options of {@link startSender}. */
export interface SenderOptions {
  database: Database
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl' | 'outboundAllowPrivate'>
  log?: (m: string) => void
  /** Rows per claim (default 200). */
  batchSize?: number
  /** Sends in flight (default 64). */
  concurrency?: number
  /** Sends in flight to one webhook endpoint (default a quarter of `concurrency`). */
  perEndpoint?: number
  /** Claimed and not yet recorded, at most (default 4 × concurrency). */
  maxOutstanding?: number
  /** Lease of a claim in seconds (default 60: longer than any send's own time limits). */
  leaseSeconds?: number
  /** Sweep interval in ms (default 1000): retries come due without a NOTIFY. */
  sweepMs?: number
  /** Outcomes written together (default 50), or after `flushMs` (default 10). */
  flushSize?: number
  flushMs?: number
  /** A mailer to use instead of one from `config` (tests). */
  mailer?: DistributionMailer
}

/** A running sender. */
export interface Sender {
  /** The claiming session's backend pid (`claimed_by`). */
  readonly pid: number
  /** Looks for due rows now. */
  kick(): void
  /** Resolves when nothing is claimed or running (after a kick that found nothing more). */
  idle(): Promise<void>
  /** Finishes what is in flight, hands back the rest, closes its session and transport. */
  stop(): Promise<void>
}

const CLAIM_SQL = `
UPDATE distribution_deliveries d
   SET state = 'sending', claimed_by = pg_backend_pid(), lease_until = now() + make_interval(secs => $3),
       attempts = d.attempts + 1
 WHERE d.id IN (
   SELECT q.id FROM distribution_deliveries q
    WHERE q.channel IN ('email', 'webhook')
      AND q.next_attempt_at <= $1
      AND (q.state = 'queued'
           OR (q.state = 'sending'
               AND (q.lease_until IS NULL OR q.lease_until < now() OR q.claimed_by IS NULL
                    OR q.claimed_by NOT IN (SELECT a.pid FROM pg_stat_activity a WHERE a.pid IS NOT NULL))))
    ORDER BY q.next_attempt_at
    LIMIT $2
    FOR UPDATE SKIP LOCKED)
RETURNING d.id, d.tenant_id, d.kind, d.recipient_type, d.partner_id, d.channel, d.webhook_id, d.address, d.attempts,
          d.link_token, d.payload, d.created_at`

// One statement records a batch: only rows still ours, never moving a state backwards.
const RECORD_SQL = `
UPDATE distribution_deliveries d
   SET state = CASE WHEN d.state = 'sending' THEN u.state ELSE d.state END,
       sent_at = CASE WHEN u.state = 'sent' THEN coalesce(d.sent_at, $7::timestamptz) ELSE d.sent_at END,
       next_attempt_at = coalesce(u.next_at, d.next_attempt_at),
       last_status = u.status,
       last_error = u.error,
       attempts = d.attempts + u.delta,
       claimed_by = NULL, lease_until = NULL
  FROM unnest($1::uuid[], $2::text[], $3::timestamptz[], $4::int[], $5::text[], $6::int[]) AS u(id, state, next_at, status, error, delta)
 WHERE d.id = u.id AND d.claimed_by = $8 AND d.state IN ('sending', 'opened', 'downloaded')
RETURNING d.id`

function bilingual(key: string, params: Record<string, string | number> = {}): string {
  return `${t('vi', `dist.delivery.${key}`, params)} / ${t('en', `dist.delivery.${key}`, params)}`
}

/** Starts a sender on its own database session. */
export async function startSender(o: SenderOptions): Promise<Sender> {
  const log = o.log ?? (() => undefined)
  const batchSize = o.batchSize ?? 200
  const concurrency = o.concurrency ?? 64
  const maxOutstanding = o.maxOutstanding ?? concurrency * 4
  const leaseMs = (o.leaseSeconds ?? 60) * 1000
  const flushSize = o.flushSize ?? 50
  const flushMs = o.flushMs ?? 10
  const publicUrl = o.config.publicUrl
  const mailer = o.mailer ?? createMailer({ smtpUrl: o.config.smtpUrl, from: o.config.mailFrom, publicUrl })
  const pool = o.database.pool

  let client: pg.Client | undefined
  let pid = 0
  const connect = async (): Promise<pg.Client> => {
    if (client) return client
    const c = new pg.Client({ connectionString: o.database.url, application_name: 'donghanh-distribution-sender' })
    c.on('error', (e) => {
      // Our claims are freed by the session's end; a new session claims afresh.
      log(`distribution sender: ${e.message}`)
      if (client === c) client = undefined
    })
    await c.connect()
    const r = await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')
    pid = r.rows[0]?.pid ?? 0
    client = c
    return c
  }
  await connect()

  let stopped = false
  let running: Promise<void> | undefined
  let wake = false
  let outstanding = 0
  let active = 0
  const queue: Claimed[] = []
  let pending: Result[] = []
  let flushTimer: NodeJS.Timeout | undefined
  let flushing: Promise<void> = Promise.resolve()
  let waiters: (() => void)[] = []
  const progressed = () => {
    const w = waiters
    waiters = []
    for (const f of w) f()
  }
  const nextProgress = () => new Promise<void>((r) => waiters.push(r))

  const claim = async (limit: number): Promise<Claimed[]> => {
    const c = await connect()
    const res = await c.query(CLAIM_SQL, [now(), limit, leaseMs / 1000])
    const at = Date.now()
    return res.rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind,
      recipientType: r.recipient_type,
      partnerId: r.partner_id,
      channel: r.channel,
      webhookId: r.webhook_id,
      address: r.address,
      attempts: r.attempts,
      linkToken: r.link_token,
      payload: r.payload,
      createdAt: r.created_at,
      claimedAt: at,
    }))
  }

  // The endpoints of admitted webhook rows, as read by admit() (used by sendOne).
  const endpoints = new Map<string, WebhookEndpoint>()

  /**
   * Live checks of a claimed batch, decided for all rows before any is acted on: sendable rows
   * go to the queue, the others are cancelled with their reason.
   */
  const admit = async (rows: Claimed[]): Promise<void> => {
    const partnerIds = [...new Set(rows.filter((r) => r.kind === 'embargo' && r.partnerId).map((r) => r.partnerId as string))]
    const hookIds = [...new Set(rows.filter((r) => r.webhookId).map((r) => r.webhookId as string))]
    // Content of an item another module distributes leaves only while that module says it may:
    // a warning closed (a person found) or cancelled after the row was queued stops here.
    const ended = new Map<string, Set<string>>()
    const byType = new Map<string, string[]>()
    for (const r of rows) {
      const type = r.payload.itemType
      if ((r.kind !== 'publish' && r.kind !== 'correction') || !r.payload.itemId || !distributedItemType(type)) continue
      byType.set(type, [...(byType.get(type) ?? []), r.payload.itemId])
    }
    for (const [type, ids] of byType)
      ended.set(type, await (distributedItemType(type) as DistributedItemType).ended(pool, [...new Set(ids)]))
    const [partnerRows, hookRows] = await Promise.all([
      partnerIds.length
        ? pool.query<{ id: string; status: string; merged_into: string | null; erased_at: Date | null }>(
            'SELECT id, status, merged_into, erased_at FROM partners WHERE id = ANY($1::uuid[])',
            [partnerIds],
          )
        : { rows: [] },
      hookIds.length
        ? pool.query<{
            id: string
            url: string
            secret: string
            previous_secret: string | null
            previous_secret_until: Date | null
            state: string
          }>(
            'SELECT id, url, secret, previous_secret, previous_secret_until, state FROM distribution_webhooks WHERE id = ANY($1::uuid[])',
            [hookIds],
          )
        : { rows: [] },
    ])
    const partnersById = new Map(partnerRows.rows.map((p) => [p.id, p]))
    const activeHooks = new Set<string>()
    for (const h of hookRows.rows) {
      if (h.state !== 'active') continue
      activeHooks.add(h.id)
      endpoints.set(h.id, {
        id: h.id,
        url: h.url,
        secret: h.secret,
        previousSecret: h.previous_secret,
        previousSecretUntil: h.previous_secret_until,
      })
    }
    const verdicts = rows.map((row): string | null => {
      if (row.kind === 'embargo') {
        // Embargoed material: accredited partners only, asked now, not at fan-out.
        if (row.recipientType !== 'partner') return bilingual('cancelled.public')
        const p = partnersById.get(row.partnerId as string)
        if (!p || p.merged_into || p.erased_at) return bilingual('cancelled.noPartner')
        if (!hasEmbargoAccess(p as { status: PartnerStatus })) return bilingual('cancelled.notAccredited', { status: p.status })
      }
      if (ended.get(row.payload.itemType)?.has(row.payload.itemId as string)) return bilingual('cancelled.warningEnded')
      if (row.channel === 'webhook' && !activeHooks.has(row.webhookId as string)) return bilingual('cancelled.endpointDisabled')
      return null
    })
    rows.forEach((row, i) => {
      const reason = verdicts[i]
      if (reason) push({ row, kind: 'cancel', reason })
      else queue.push(row)
    })
  }

  const sendOne = async (row: Claimed): Promise<Result> => {
    // A row that waited too long for a slot would outlive its lease while being sent.
    if (stopped || Date.now() - row.claimedAt > leaseMs - 20_000) return { row, kind: 'release' }
    try {
      if (row.channel === 'email') {
        if (!row.address) return { row, kind: 'outcome', outcome: { state: 'failed', retryable: false, error: bilingual('noAddress') } }
        const message = renderMessage(row, publicUrl)
        const outcome = await mailer.send({
          id: row.id,
          to: row.address,
          message,
          unsubscribeUrl: row.recipientType === 'subscriber' ? row.payload.unsubscribeUrl : undefined,
        })
        return { row, kind: 'outcome', outcome, kept: mailer.keeps ? message : undefined }
      }
      const h = endpoints.get(row.webhookId as string)
      if (!h) return { row, kind: 'cancel', reason: bilingual('cancelled.endpointDisabled') }
      const outcome = await sendWebhook(
        { id: row.id, kind: row.kind, linkToken: row.linkToken, payload: row.payload, createdAt: row.createdAt },
        h,
        { allowPrivate: o.config.outboundAllowPrivate, publicUrl },
      )
      return { row, kind: 'outcome', outcome, endpoint: h }
    } catch (e) {
      // A fault of ours (not an answer of the receiver's): tried again later.
      return { row, kind: 'outcome', outcome: { state: 'failed', retryable: true, error: (e as Error).message.slice(0, 300) } }
    }
  }

  // Sends in flight per webhook endpoint: one endpoint that hangs until its timeout holds at
  // most this many slots, so the other endpoints and the mail keep going meanwhile.
  const perEndpoint = o.perEndpoint ?? Math.max(1, Math.floor(concurrency / 4))
  const activeByEndpoint = new Map<string, number>()
  const startMore = () => {
    for (let i = 0; active < concurrency && i < queue.length; ) {
      const row = queue[i] as Claimed
      const hook = row.channel === 'webhook' ? (row.webhookId as string) : null
      const busy = hook ? (activeByEndpoint.get(hook) ?? 0) : 0
      if (hook && busy >= perEndpoint) {
        i++
        continue
      }
      queue.splice(i, 1)
      active++
      if (hook) activeByEndpoint.set(hook, busy + 1)
      void sendOne(row).then((r) => {
        active--
        if (hook) {
          const left = (activeByEndpoint.get(hook) ?? 1) - 1
          if (left > 0) activeByEndpoint.set(hook, left)
          else activeByEndpoint.delete(hook)
        }
        push(r)
        startMore()
      })
    }
  }

  function push(r: Result): void {
    pending.push(r)
    if (pending.length >= flushSize) flush()
    else flushTimer ??= setTimeout(flush, flushMs)
  }

  function flush(): void {
    if (flushTimer) clearTimeout(flushTimer)
    flushTimer = undefined
    if (pending.length === 0) return
    const batch = pending
    pending = []
    flushing = flushing.then(async () => {
      try {
        await record(batch)
      } catch (e) {
        // Rows stay `sending` under our session; they are sent again after the lease (the window).
        log(`distribution sender: recording failed: ${(e as Error).message}`)
      } finally {
        outstanding -= batch.length
        progressed()
      }
    })
  }

  const record = async (batch: Result[]): Promise<void> => {
    const at = now()
    const ids: string[] = []
    const states: string[] = []
    const nextAt: (Date | null)[] = []
    const statuses: (number | null)[] = []
    const errors: (string | null)[] = []
    const deltas: number[] = []
    for (const r of batch) {
      ids.push(r.row.id)
      if (r.kind === 'release') {
        states.push('queued')
        nextAt.push(null)
        statuses.push(null)
        errors.push(null)
        deltas.push(-1)
        continue
      }
      deltas.push(0)
      if (r.kind === 'cancel') {
        states.push('cancelled')
        nextAt.push(null)
        statuses.push(null)
        errors.push(r.reason.slice(0, 500))
        continue
      }
      const oc = r.outcome
      statuses.push(oc.status ?? null)
      if (oc.state === 'sent') {
        states.push('sent')
        nextAt.push(null)
        errors.push(null)
        continue
      }
      errors.push((oc.error ?? 'error').slice(0, 500))
      if (oc.state === 'bounced') {
        states.push('bounced')
        nextAt.push(null)
        continue
      }
      const delay = oc.retryable && !oc.gone ? retryDelayMs(r.row.attempts) : null
      if (delay === null) {
        states.push('failed')
        nextAt.push(null)
      } else {
        states.push('queued')
        nextAt.push(new Date(at.getTime() + Math.max(delay, oc.retryAfterMs ?? 0)))
      }
    }
    const stateOf = new Map(ids.map((id, i) => [id, states[i] as string]))
    await withTransaction(pool, async (tx) => {
      const res = await tx.$client.query<{ id: string }>(RECORD_SQL, [ids, states, nextAt, statuses, errors, deltas, at, pid])
      const mine = new Set(res.rows.map((r) => r.id))
      const cancelledByTenant = new Map<string, { id: string; reason: string }[]>()
      const sentHooks: { row: Claimed; outcome: ChannelOutcome }[] = []
      for (const r of batch) {
        if (!mine.has(r.row.id)) continue
        if (r.kind === 'cancel') {
          const list = cancelledByTenant.get(r.row.tenantId) ?? []
          list.push({ id: r.row.id, reason: r.reason })
          cancelledByTenant.set(r.row.tenantId, list)
          continue
        }
        if (r.kind !== 'outcome') continue
        if (r.row.channel === 'webhook' && r.row.webhookId && r.outcome.state === 'sent') {
          sentHooks.push({ row: r.row, outcome: r.outcome })
        } else if (r.row.channel === 'webhook' && r.row.webhookId) {
          await recordWebhookOutcome(tx, {
            tenantId: r.row.tenantId,
            deliveryId: r.row.id,
            webhookId: r.row.webhookId,
            outcome: r.outcome,
            final: stateOf.get(r.row.id) !== 'queued',
            publicUrl,
          })
        }
        if (r.kept && r.outcome.state === 'sent' && r.row.address) {
          // No SMTP server: the message is kept where admins read mail (console outbox), once,
          // in the transaction that marks the delivery sent.
          await tx.$client.query(
            `INSERT INTO mail_outbox (tenant_id, to_address, subject, text_body, html_body, status) VALUES ($1, $2, $3, $4, $5, 'kept')`,
            [r.row.tenantId, r.row.address, r.kept.subject, r.kept.text, r.kept.html],
          )
        }
        if (r.outcome.state === 'bounced') {
          if (r.row.partnerId) {
            await tx.$client.query(
              `INSERT INTO distribution_preferences (partner_id, tenant_id, email_bounced_at) VALUES ($1, $2, $3)
               ON CONFLICT (partner_id) DO UPDATE SET email_bounced_at = excluded.email_bounced_at, updated_at = excluded.email_bounced_at`,
              [r.row.partnerId, r.row.tenantId, at],
            )
          }
          await recordAudit(tx, {
            tenantId: r.row.tenantId,
            actor: SYSTEM_ACTOR,
            action: 'distribution.delivery_bounced',
            subjectType: 'distribution_delivery',
            subjectId: r.row.id,
            summary: {
              partnerId: r.row.partnerId,
              status: r.outcome.status ?? null,
              error: r.outcome.error ?? null,
            },
          })
        }
      }
      await recordWebhookSuccesses(
        tx,
        sentHooks.map((h) => ({
          tenantId: h.row.tenantId,
          deliveryId: h.row.id,
          webhookId: h.row.webhookId as string,
          status: h.outcome.status ?? null,
          durationMs: h.outcome.durationMs ?? null,
        })),
        at,
      )
      for (const [tenantId, list] of cancelledByTenant) {
        await recordAudit(tx, {
          tenantId,
          actor: SYSTEM_ACTOR,
          action: 'distribution.delivery_cancelled',
          subjectType: 'distribution_delivery',
          subjectId: list.length === 1 ? (list[0]?.id ?? null) : null,
          summary: { count: list.length, deliveries: list.slice(0, 200) },
        })
      }
    })
  }

  /** Claims and sends until nothing is due and nothing is outstanding. */
  const pump = async (): Promise<void> => {
    for (;;) {
      if (stopped) return
      const room = maxOutstanding - outstanding
      if (room >= Math.min(batchSize, Math.ceil(maxOutstanding / 4))) {
        wake = false
        let rows: Claimed[] = []
        try {
          rows = await claim(Math.min(room, batchSize))
        } catch (e) {
          log(`distribution sender: claim failed: ${(e as Error).message}`)
          return
        }
        if (rows.length > 0) {
          outstanding += rows.length
          try {
            await admit(rows)
          } catch (e) {
            // Could not check them: hand them back unsent (admit acts on none before deciding all).
            log(`distribution sender: checks failed: ${(e as Error).message}`)
            for (const row of rows) push({ row, kind: 'release' })
          }
          startMore()
          continue
        }
        if (outstanding === 0 && !wake) return
      }
      await nextProgress()
    }
  }

  const kick = () => {
    wake = true
    if (stopped) return
    // A pump waiting for sends in flight to finish must look for new rows now: its sends may
    // all be hanging on one slow endpoint while new work (another endpoint, mail) is due.
    if (running) return progressed()
    running = pump().finally(() => {
      running = undefined
      if (wake && !stopped) kick()
    })
  }

  const sweep = setInterval(kick, o.sweepMs ?? 1000)
  sweep.unref()
  kick()

  return {
    get pid() {
      return pid
    },
    kick,
    async idle() {
      while (running || outstanding > 0) {
        if (running) await running
        else await nextProgress()
      }
    },
    async stop() {
      if (stopped) return
      stopped = true
      clearInterval(sweep)
      // Not started: back to the queue.
      for (const row of queue.splice(0)) push({ row, kind: 'release' })
      progressed()
      while (outstanding > 0 || active > 0) {
        flush()
        await nextProgress()
      }
      if (running) await running
      await flushing
      mailer.close()
      const c = client
      client = undefined
      await c?.end().catch(() => undefined)
    },
  }
}

/** The sender as a background service of worker processes, woken by the fan-out's NOTIFY. */
export const distributionSenderService: BackgroundService = {
  name: 'distribution.sender',
  runs: 'worker',
  async start(ctx) {
    const sender = await startSender({ database: ctx.database, config: ctx.config, log: ctx.log })
    await ctx.events.on(DISTRIBUTION_CHANNEL, () => sender.kick())
    return { stop: () => sender.stop() }
  },
}
