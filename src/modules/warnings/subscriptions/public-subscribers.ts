/**
 * Warnings to the public's mailboxes: the subscriber `warnings.public-subscribers` on
 * `warning.published`, one e-mail delivery per subscriber written in the event's delivery
 * transaction (once per event; a second run writes nothing) and sent by distribution's sender.
 *
 * - Alert (version 1) → active subscribers of the `warning` topic whose communes meet the
 *   warning's (a whole-province warning, or a subscriber of the whole province: everyone) and
 *   whose warning kinds include its kind (none chosen = every kind).
 * - Update → those who received an earlier version (or have it queued) and the audience now,
 *   once each; their still-queued earlier versions are cancelled (the update says it all).
 * - Cancel → what is still queued is cancelled first (never sent after), then a short notice to
 *   those an earlier message may have reached. A closed warning, or any about a person, is
 *   named only by its code ("Cảnh báo <code> đã kết thúc").
 *
 * Quiet hours (quiet-hours.ts): an Advisory or Community message fanned out between 22:00 and
 * 06:00 local waits in the queue (`next_attempt_at`) until 06:00; an Alert leaves at once.
 * Whatever is decided is decided by the public rule (warnings.public.ts) asked now.
 */
import { sql } from 'drizzle-orm'
import type { Tx } from '../../../db/index.ts'
import { processConfig } from '../../../config.ts'
import { recordAudit } from '../../../platform/audit/index.ts'
import { now } from '../../../platform/clock.ts'
import type { DomainEvent, EventSubscriber } from '../../../platform/domain-events/index.ts'
import {
  insertSubscriberDeliveries,
  REACHED,
  RECEIVING,
  type SubscriberTarget,
  subscribersFor,
  subscribersWhoReceived,
} from '../../distribution/subscriptions/subscriptions.fanout.ts'
import { quietHoursRelease } from './quiet-hours.ts'
import { contentPayload, decideWarning, endPayload, sourceOf } from './warning-message.ts'

/** Cancels the item's subscriber deliveries not yet handed over (all of them, or only those of earlier events). */
async function cancelQueued(tx: Tx, o: { tenantId: string; warningId: string; reason: string; beforeEvent?: number }): Promise<number> {
  const earlier = o.beforeEvent === undefined ? sql`` : sql`AND event_id < ${o.beforeEvent} AND kind IN ('publish', 'correction')`
  const r = await tx.execute(sql`
    UPDATE distribution_deliveries SET state = 'cancelled', last_error = ${o.reason.slice(0, 500)}, claimed_by = NULL, lease_until = NULL
    WHERE tenant_id = ${o.tenantId} AND recipient_type = 'subscriber' AND item_type = 'warning' AND item_id = ${o.warningId}
      AND state IN ('queued', 'failed') ${earlier}`)
  return r.rowCount ?? 0
}

/** Both lists once each (the first's order, then the new ones). */
function union(a: readonly SubscriberTarget[], b: readonly SubscriberTarget[]): SubscriberTarget[] {
  const seen = new Set(a.map((s) => s.id))
  return [...a, ...b.filter((s) => !seen.has(s.id))]
}

/** Runs the subscribers' fan-out of one `warning.published` in `tx`; returns the counts for the audit. */
export async function fanOutWarningToSubscribers(
  tx: Tx,
  event: DomainEvent<'warning.published'>,
  publicUrl: string,
): Promise<Record<string, number | string | null>> {
  const p = event.payload
  const d = await decideWarning(tx, event)
  if (d.do === 'skip') return { skipped: d.why }
  const source = await sourceOf(tx, event.tenantId, publicUrl)
  const base = { tenantId: event.tenantId, eventId: event.id, itemType: 'warning' as const, itemId: d.warning.id, publicUrl }
  const at = now()
  const release = quietHoursRelease(at, d.do === 'content' ? d.snapshot.level : d.warning.level)
  // The sender claims rows due by its clock: an explicit instant, also for "at once".
  const notBefore = release ?? at

  if (d.do === 'content') {
    const s = d.snapshot
    const audience = await subscribersFor(tx, event.tenantId, 'warning', s.wholeProvince ? [] : s.communes, { warningKind: s.kind })
    let to = audience
    let cancelled = 0
    if (d.update) {
      const prior = await subscribersWhoReceived(tx, event.tenantId, 'warning', d.warning.id, RECEIVING)
      to = union(prior, audience)
      // An earlier version still waiting (quiet hours) is not sent as well: the update replaces it.
      cancelled = await cancelQueued(tx, {
        tenantId: event.tenantId,
        warningId: d.warning.id,
        reason: `superseded by version ${p.version}`,
        beforeEvent: event.id,
      })
    }
    const kind = d.update ? 'correction' : 'publish'
    const payload = contentPayload(d, { publicUrl, source, version: p.version, full: false })
    const written = await insertSubscriberDeliveries(tx, { ...base, kind, payload, to, notBefore })
    return { [kind]: written, cancelled, heldUntil: release?.toISOString() ?? null }
  }

  // The end: nothing queued leaves after it (above all a person's details after a closing).
  const cancelled = await cancelQueued(tx, { tenantId: event.tenantId, warningId: d.warning.id, reason: `warning.published: ${p.state}` })
  const to = await subscribersWhoReceived(tx, event.tenantId, 'warning', d.warning.id, REACHED)
  const kill = await insertSubscriberDeliveries(tx, { ...base, kind: 'kill', payload: endPayload(d, { publicUrl, source }), to, notBefore })
  return { kill, cancelled, heldUntil: release?.toISOString() ?? null }
}

/** The domain-event subscriber (in the warnings manifest). */
export const warningSubscribersFanout: EventSubscriber = {
  name: 'warnings.public-subscribers',
  events: ['warning.published'],
  async perform(event, { tx }) {
    const e = event as DomainEvent<'warning.published'>
    const counts = await fanOutWarningToSubscribers(tx, e, processConfig().publicUrl)
    await recordAudit(tx, {
      tenantId: event.tenantId,
      actor: { id: null, label: 'system:warnings' },
      action: 'distribution.fanned_out',
      subjectType: 'warning',
      subjectId: e.payload.warningId,
      summary: { audience: 'public_subscribers', event: event.type, eventId: event.id, version: e.payload.version, ...counts },
    })
  },
}
