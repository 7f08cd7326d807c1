/**
 * Domain events of the partners registry, emitted in the deciding transaction. The portal and
 * embargo distribution subscribe to these (e.g. a suspension ends embargo access at once).
 */
import type { Tx } from '../../db/index.ts'
import { type DomainEventRegistry, emitEvent } from '../../platform/domain-events/index.ts'
import type { PartnerKind, PartnerStatus } from './partners.tables.ts'

/** What every partner event carries. */
export interface PartnerEventBase {
  partnerId: string
  kind: PartnerKind
  /** The partner's account, if linked (whose sessions and access a subscriber may end). */
  userId: string | null
  from: PartnerStatus
  reason: string
}

/** Event type → payload for partners. */
export interface PartnerEvents {
  /** Accredited (first time or reinstated); `until` is the end of the term (local day). */
  'partner.accredited': PartnerEventBase & { until: string | null }
  'partner.suspended': PartnerEventBase
  /** Press card or term ran out (the daily job) or staff marked it so. */
  'partner.expired': PartnerEventBase
  'partner.revoked': PartnerEventBase
}

declare module '../../platform/domain-events/index.ts' {
  interface DomainEventRegistry extends PartnerEvents {}
}

/** Event types the partners module emits. */
export const PARTNER_EVENTS = [
  'partner.accredited',
  'partner.suspended',
  'partner.expired',
  'partner.revoked',
] as const satisfies readonly (keyof PartnerEvents)[]

/** Emits a partner event in `tx` (the subject is the partner). */
export function emitPartnerEvent<K extends keyof PartnerEvents>(
  tx: Tx,
  o: { tenantId: string; actorId: string | null; type: K; payload: PartnerEvents[K] },
): Promise<number> {
  return emitEvent(tx, {
    tenantId: o.tenantId,
    type: o.type,
    subjectType: 'partner',
    subjectId: o.payload.partnerId,
    actorId: o.actorId,
    payload: o.payload as DomainEventRegistry[K],
  })
}
