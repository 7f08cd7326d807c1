/** Domain events of the verification desk, emitted in the deciding transaction. */
import type { Tx } from '../../db/index.ts'
import { type DomainEventRegistry, emitEvent } from '../../platform/domain-events/index.ts'

/** Event type → payload for the desk. */
export interface FactcheckEvents {
  /** A verdict was approved and published (first time or a correction). */
  'verdict.published': {
    claimId: string
    claimCode: string
    verdictId: string
    version: number
    label: string
    slug: string
    correction: boolean
  }
}

declare module '../../platform/domain-events/index.ts' {
  interface DomainEventRegistry extends FactcheckEvents {}
}

/** Event types the desk emits. */
export const FACTCHECK_EVENTS = ['verdict.published'] as const satisfies readonly (keyof FactcheckEvents)[]

/** Emits a desk event in `tx` (the subject is the claim). */
export function emitFactcheckEvent<K extends keyof FactcheckEvents>(
  tx: Tx,
  o: { tenantId: string; actorId: string | null; type: K; payload: FactcheckEvents[K] },
): Promise<number> {
  return emitEvent(tx, {
    tenantId: o.tenantId,
    type: o.type,
    subjectType: 'claim',
    subjectId: o.payload.claimId,
    actorId: o.actorId,
    payload: o.payload as DomainEventRegistry[K],
  })
}
