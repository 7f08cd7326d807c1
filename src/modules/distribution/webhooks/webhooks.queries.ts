/**
 * The staff's view of partners' endpoints: every endpoint of the tenant with its partner, its
 * counters and its last attempt; disabled endpoints first (they need someone), then by the run
 * of failures. Bounded: a province has hundreds of partners, not millions.
 */
import { sql } from 'drizzle-orm'
import type { Db } from '../../../db/index.ts'

/** One endpoint as the console page shows it. */
export interface EndpointRow {
  id: string
  partnerId: string
  partnerName: string
  url: string
  state: 'active' | 'disabled'
  disabledReason: string | null
  disabledAt: Date | null
  consecutiveFailures: number
  lastSuccessAt: Date | null
  lastAttemptAt: Date | null
  lastStatus: number | null
  lastError: string | null
}

const LIMIT = 1000

/** Endpoints of `tenantId`, disabled first. */
export async function listEndpoints(db: Db, tenantId: string): Promise<EndpointRow[]> {
  const res = await db.execute(sql`
    SELECT w.id, w.partner_id, p.name AS partner_name, w.url, w.state, w.disabled_reason, w.disabled_at,
           w.consecutive_failures, w.last_success_at, a.at AS last_attempt_at, a.status AS last_status, a.error AS last_error
      FROM distribution_webhooks w
      JOIN partners p ON p.id = w.partner_id
      LEFT JOIN LATERAL (
        SELECT at, status, error FROM distribution_attempts x WHERE x.webhook_id = w.id ORDER BY at DESC, id DESC LIMIT 1
      ) a ON true
     WHERE w.tenant_id = ${tenantId}
       -- Endpoints the owner deleted keep their rows for the deliveries' history, with a spent secret.
       AND w.deleted_at IS NULL
     ORDER BY (w.state = 'disabled') DESC, w.disabled_at DESC NULLS LAST, w.consecutive_failures DESC, p.name, w.created_at
     LIMIT ${LIMIT}`)
  return (res.rows as Record<string, unknown>[]).map((r) => ({
    id: String(r.id),
    partnerId: String(r.partner_id),
    partnerName: String(r.partner_name),
    url: String(r.url),
    state: r.state === 'disabled' ? 'disabled' : 'active',
    disabledReason: (r.disabled_reason as string | null) ?? null,
    disabledAt: toDate(r.disabled_at),
    consecutiveFailures: Number(r.consecutive_failures),
    lastSuccessAt: toDate(r.last_success_at),
    lastAttemptAt: toDate(r.last_attempt_at),
    lastStatus: r.last_status === null || r.last_status === undefined ? null : Number(r.last_status),
    lastError: (r.last_error as string | null) ?? null,
  }))
}

function toDate(v: unknown): Date | null {
  if (v === null || v === undefined) return null
  return v instanceof Date ? v : new Date(String(v))
}
