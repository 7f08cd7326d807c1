/**
 * Trace a leak: a link token (from a pasted link or text, or from the mark of a file) names one
 * delivery, hence its recipient. Every successful trace is audited (`distribution.leak_traced`,
 * with the delivery): it names a person, so who looked, when and how is on the record. A token
 * that names nothing is not audited (nothing was disclosed) and answers TRACE_NOT_FOUND.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { type AuditActor, recordAudit } from '../../../../platform/audit/index.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { DeliveryPayload } from '../../distribution.types.ts'

/** The recipient and the delivery a token names. */
export interface TracedDelivery {
  deliveryId: string
  itemType: string
  itemId: string | null
  kind: string
  channel: string
  state: string
  address: string | null
  recipientType: 'partner' | 'subscriber'
  partnerId: string | null
  partnerName: string | null
  partnerKind: string | null
  partnerStatus: string | null
  outletName: string | null
  createdAt: Date
  sentAt: Date | null
  openedAt: Date | null
  downloadedAt: Date | null
  /** The item's title as the delivery carried it. */
  title: string
}

/** Options of {@link traceLeak}. */
export interface TraceLeakOptions {
  tx: Tx
  tenantId: string
  /** The staff member (the caller authorised `trace` on `distribution`). */
  actor: AuditActor
  token: string
  /** How the token was found: a pasted link or text, or the mark of an uploaded file (with its format). */
  via: 'text' | 'file'
  format?: string | null
  ip?: string | null
}

/** Finds the delivery of `token` and audits the trace; TRACE_NOT_FOUND when none. */
export async function traceLeak(o: TraceLeakOptions): Promise<TracedDelivery> {
  const { rows } = await o.tx.execute<{
    id: string
    item_type: string
    item_id: string | null
    kind: string
    channel: string
    state: string
    address: string | null
    recipient_type: 'partner' | 'subscriber'
    partner_id: string | null
    partner_name: string | null
    partner_kind: string | null
    partner_status: string | null
    outlet_name: string | null
    created_at: string
    sent_at: string | null
    opened_at: string | null
    downloaded_at: string | null
    payload: DeliveryPayload
  }>(sql`
    SELECT d.id, d.item_type, d.item_id, d.kind, d.channel, d.state, d.address, d.recipient_type, d.partner_id,
           p.name AS partner_name, p.kind AS partner_kind, p.status AS partner_status, o.name AS outlet_name,
           d.created_at, d.sent_at, d.opened_at, d.downloaded_at, d.payload
    FROM distribution_deliveries d
    LEFT JOIN partners p ON p.id = d.partner_id
    LEFT JOIN press_outlets o ON o.id = p.outlet_id
    WHERE d.tenant_id = ${o.tenantId} AND d.link_token = ${o.token}`)
  const r = rows[0]
  if (!r) throw new AppError('TRACE_NOT_FOUND')
  await recordAudit(o.tx, {
    tenantId: o.tenantId,
    actor: o.actor,
    action: 'distribution.leak_traced',
    subjectType: 'distribution_delivery',
    subjectId: r.id,
    summary: { via: o.via, format: o.format ?? null, partnerId: r.partner_id, itemType: r.item_type, itemId: r.item_id },
    ip: o.ip ?? null,
  })
  const date = (v: string | null) => (v ? new Date(v) : null)
  return {
    deliveryId: r.id,
    itemType: r.item_type,
    itemId: r.item_id,
    kind: r.kind,
    channel: r.channel,
    state: r.state,
    address: r.address,
    recipientType: r.recipient_type,
    partnerId: r.partner_id,
    partnerName: r.partner_name,
    partnerKind: r.partner_kind,
    partnerStatus: r.partner_status,
    outletName: r.outlet_name,
    createdAt: new Date(r.created_at),
    sentAt: date(r.sent_at),
    openedAt: date(r.opened_at),
    downloadedAt: date(r.downloaded_at),
    title: r.payload?.title ?? '',
  }
}
