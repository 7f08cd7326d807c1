/**
 * The daily digest: partners who chose "e-mail once a day" get one mail a day, at their local
 * digest hour, listing what was sent to them since the last one.
 *
 * Every 15 minutes (a pg-boss cron job, any worker) `runDigests`:
 * 1. opens today's digest for each partner whose digest hour has come and who has queued
 *    `digest` deliveries: one transaction inserts the `distribution_digests` row (unique per
 *    partner and local day: the idempotency key, so two workers or two runs make one) and
 *    ties the queued rows to it (`digest_id`, state `sending`). What is in the mail is fixed here;
 *    rows queued later wait for tomorrow's;
 * 2. sends each digest still `queued` (today's, or an earlier one whose send failed for a
 *    transient reason): embargoed items are re-checked LIVE first (a partner no longer
 *    accredited has them cancelled, never mailed); the mail's `Message-ID` is
 *    `<digestId@host>`; then one transaction marks the digest and its rows sent.
 *
 * Crash window: between the SMTP server accepting the mail and step 2's final commit. A run
 * after the crash finds the digest still `queued` and sends it again with the same Message-ID.
 * A crash anywhere else either sent nothing (and the next run sends it) or recorded it.
 */
import { type Config, processConfig } from '../../../config.ts'
import { type Database, withTransaction } from '../../../db/index.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import { t } from '../../../platform/i18n/index.ts'
import { defineJob } from '../../../platform/jobs/index.ts'
import { localDay, localInputValue } from '../../../platform/time.ts'
import { SYSTEM_ACTOR } from '../../accounts/users.ts'
import { hasEmbargoAccess } from '../../partners/partners.actor.ts'
import type { PartnerStatus } from '../../partners/partners.tables.ts'
import type { DeliveryPayload } from '../distribution.types.ts'
import { createMailer, type DistributionMailer } from './mailer.ts'
import { renderDigest } from './render.ts'

/** Attempts of one digest mail before it is given up. */
export const DIGEST_MAX_ATTEMPTS = 12

/** Options of {@link runDigests}. */
export interface DigestOptions {
  config: Pick<Config, 'smtpUrl' | 'mailFrom' | 'publicUrl'>
  /** The mailer (default: one made from `config`, closed at the end). */
  mailer?: DistributionMailer
  /** The instant of the run (default: the clock's now). */
  at?: Date
}

/** What a run did. */
export interface DigestRun {
  opened: number
  sent: number
  cancelled: number
  failed: number
}

function bilingual(key: string, params: Record<string, string | number> = {}): string {
  return `${t('vi', `dist.delivery.${key}`, params)} / ${t('en', `dist.delivery.${key}`, params)}`
}

/** Opens today's digests that are due and sends every digest still waiting. */
export async function runDigests(database: Database, o: DigestOptions): Promise<DigestRun> {
  const at = o.at ?? now()
  const today = localDay(at)
  const hour = Number(localInputValue(at).slice(11, 13))
  const pool = database.pool
  const run: DigestRun = { opened: 0, sent: 0, cancelled: 0, failed: 0 }

  // 1. Open today's digests.
  const due = await pool.query<{ partner_id: string; tenant_id: string }>(
    `SELECT d.partner_id, d.tenant_id
       FROM distribution_deliveries d
       LEFT JOIN distribution_preferences p ON p.partner_id = d.partner_id
      WHERE d.channel = 'digest' AND d.state = 'queued' AND d.partner_id IS NOT NULL AND d.digest_id IS NULL
        AND coalesce(p.digest_hour, 7) <= $1
        AND NOT EXISTS (SELECT 1 FROM distribution_digests g WHERE g.partner_id = d.partner_id AND g.local_day = $2::date)
      GROUP BY d.partner_id, d.tenant_id`,
    [hour, today],
  )
  for (const p of due.rows) {
    const opened = await withTransaction(pool, async (tx) => {
      const ins = await tx.$client.query<{ id: string }>(
        `INSERT INTO distribution_digests (tenant_id, partner_id, local_day) VALUES ($1, $2, $3::date)
         ON CONFLICT (partner_id, local_day) DO NOTHING RETURNING id`,
        [p.tenant_id, p.partner_id, today],
      )
      const id = ins.rows[0]?.id
      if (!id) return false
      await tx.$client.query(
        `UPDATE distribution_deliveries SET digest_id = $1, state = 'sending', attempts = attempts + 1
          WHERE partner_id = $2 AND channel = 'digest' AND state = 'queued' AND digest_id IS NULL`,
        [id, p.partner_id],
      )
      return true
    })
    if (opened) run.opened++
  }

  // 2. Send what waits.
  const waiting = await pool.query<{ id: string; tenant_id: string; partner_id: string; local_day: string; attempts: number }>(
    `SELECT id, tenant_id, partner_id, local_day::text AS local_day, attempts FROM distribution_digests
      WHERE state = 'queued' ORDER BY created_at LIMIT 500`,
  )
  if (waiting.rows.length === 0) return run
  const mailer = o.mailer ?? createMailer({ smtpUrl: o.config.smtpUrl, from: o.config.mailFrom, publicUrl: o.config.publicUrl })
  try {
    for (const g of waiting.rows) await sendDigest(database, mailer, o.config.publicUrl, g, run)
  } finally {
    if (!o.mailer) mailer.close()
  }
  return run
}

async function sendDigest(
  database: Database,
  mailer: DistributionMailer,
  publicUrl: string,
  g: { id: string; tenant_id: string; partner_id: string; local_day: string; attempts: number },
  run: DigestRun,
): Promise<void> {
  const pool = database.pool
  const [rowsRes, partnerRes] = await Promise.all([
    pool.query<{ id: string; kind: string; link_token: string; payload: DeliveryPayload; address: string | null }>(
      `SELECT id, kind, link_token, payload, address FROM distribution_deliveries
        WHERE digest_id = $1 AND state = 'sending' ORDER BY created_at`,
      [g.id],
    ),
    pool.query<{ status: PartnerStatus; merged_into: string | null; erased_at: Date | null; email: string | null }>(
      'SELECT status, merged_into, erased_at, email FROM partners WHERE id = $1',
      [g.partner_id],
    ),
  ])
  const partner = partnerRes.rows[0]
  const gone = !partner || partner.merged_into !== null || partner.erased_at !== null
  const cancel = rowsRes.rows.filter((r) => r.kind === 'embargo' && (gone || !hasEmbargoAccess(partner)))
  const items = rowsRes.rows.filter((r) => !cancel.includes(r))
  const address = [...items].reverse().find((r) => r.address)?.address ?? null
  if (cancel.length > 0) {
    const reason = gone ? bilingual('cancelled.noPartner') : bilingual('cancelled.notAccredited', { status: partner?.status ?? '?' })
    await withTransaction(pool, async (tx) => {
      await tx.$client.query(
        `UPDATE distribution_deliveries SET state = 'cancelled', last_error = $2 WHERE id = ANY($1::uuid[]) AND state = 'sending'`,
        [cancel.map((r) => r.id), reason],
      )
      await recordAudit(tx, {
        tenantId: g.tenant_id,
        actor: SYSTEM_ACTOR,
        action: 'distribution.delivery_cancelled',
        subjectType: 'distribution_digest',
        subjectId: g.id,
        summary: { partnerId: g.partner_id, count: cancel.length, deliveries: cancel.map((r) => ({ id: r.id, reason })) },
      })
    })
    run.cancelled += cancel.length
  }
  if (items.length === 0 || !address) {
    // Nothing left to mail (all cancelled, or no address): today's digest is done.
    await pool.query(`UPDATE distribution_digests SET state = 'sent', sent_at = $2, last_error = $3 WHERE id = $1`, [
      g.id,
      now(),
      items.length === 0 ? null : bilingual('noAddress'),
    ])
    if (items.length > 0)
      await pool.query(`UPDATE distribution_deliveries SET state = 'failed', last_error = $2 WHERE digest_id = $1 AND state = 'sending'`, [
        g.id,
        bilingual('noAddress'),
      ])
    return
  }
  const message = renderDigest(
    items.map((r) => ({ id: r.id, kind: r.kind, linkToken: r.link_token, payload: r.payload })),
    publicUrl,
    g.local_day,
  )
  const outcome = await mailer.send({ id: g.id, to: address, message })
  const at = now()
  const ids = items.map((r) => r.id)
  await withTransaction(pool, async (tx) => {
    const q = tx.$client
    if (outcome.state === 'sent') {
      await q.query(
        `UPDATE distribution_digests SET state = 'sent', sent_at = $2, attempts = attempts + 1, last_error = NULL WHERE id = $1`,
        [g.id, at],
      )
      await q.query(
        `UPDATE distribution_deliveries SET state = 'sent', sent_at = $2, last_status = $3, last_error = NULL
          WHERE id = ANY($1::uuid[]) AND state = 'sending'`,
        [ids, at, outcome.status ?? null],
      )
      if (mailer.keeps)
        await q.query(
          `INSERT INTO mail_outbox (tenant_id, to_address, subject, text_body, html_body, status) VALUES ($1, $2, $3, $4, $5, 'kept')`,
          [g.tenant_id, address, message.subject, message.text, message.html],
        )
      await recordAudit(tx, {
        tenantId: g.tenant_id,
        actor: SYSTEM_ACTOR,
        action: 'distribution.digest_sent',
        subjectType: 'distribution_digest',
        subjectId: g.id,
        summary: { partnerId: g.partner_id, day: g.local_day, items: ids.length },
      })
      run.sent++
      return
    }
    const error = (outcome.error ?? 'error').slice(0, 500)
    const final = outcome.state === 'bounced' || !outcome.retryable || g.attempts + 1 >= DIGEST_MAX_ATTEMPTS
    const state = outcome.state === 'bounced' ? 'bounced' : final ? 'failed' : 'queued'
    await q.query(`UPDATE distribution_digests SET state = $2, attempts = attempts + 1, last_error = $3 WHERE id = $1`, [
      g.id,
      state,
      error,
    ])
    if (final)
      await q.query(
        `UPDATE distribution_deliveries SET state = $2, last_status = $3, last_error = $4 WHERE id = ANY($1::uuid[]) AND state = 'sending'`,
        [ids, state, outcome.status ?? null, error],
      )
    if (outcome.state === 'bounced') {
      await q.query(
        `INSERT INTO distribution_preferences (partner_id, tenant_id, email_bounced_at) VALUES ($1, $2, $3)
         ON CONFLICT (partner_id) DO UPDATE SET email_bounced_at = excluded.email_bounced_at, updated_at = excluded.email_bounced_at`,
        [g.partner_id, g.tenant_id, at],
      )
      await recordAudit(tx, {
        tenantId: g.tenant_id,
        actor: SYSTEM_ACTOR,
        action: 'distribution.delivery_bounced',
        subjectType: 'distribution_digest',
        subjectId: g.id,
        summary: { partnerId: g.partner_id, address, status: outcome.status ?? null, error },
      })
    }
    run.failed++
  })
}

let jobMailer: DistributionMailer | undefined

/** Every 15 minutes: digest hours are whole hours, so a digest is at most 15 minutes late. */
export const distributionDigestJob = defineJob<Record<string, never>>(
  'distribution.digest',
  async (_data, _job, ctx) => {
    // The job context carries no settings; the process's environment has them.
    const config = processConfig()
    jobMailer ??= createMailer({ smtpUrl: config.smtpUrl, from: config.mailFrom, publicUrl: config.publicUrl, maxConnections: 2 })
    await runDigests(ctx.database, { config, mailer: jobMailer })
  },
  { cron: '*/15 * * * *', retryLimit: 1 },
)
