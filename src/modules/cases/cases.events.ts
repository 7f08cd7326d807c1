/** Domain events of sealed cases, emitted in the deciding transaction. */
import type { Tx } from '../../db/index.ts'
import { type DomainEventRegistry, emitEvent } from '../../platform/domain-events/index.ts'

/** Event type → payload for cases. */
export interface CaseEvents {
  /**
   * An approver recorded a clearance. The payload holds only what the clearance discloses
   * (its scope and lifted ground), never the case's secrecy ground or members.
   */
  'case.cleared': { caseId: string; code: string; title: string; scope: string; groundLifted: string; clearedBy: string; clearedAt: string }
}

declare module '../../platform/domain-events/index.ts' {
  interface DomainEventRegistry extends CaseEvents {}
}

/** Event types the cases module emits. */
export const CASE_EVENTS = ['case.cleared'] as const satisfies readonly (keyof CaseEvents)[]

/** Emits a case event in `tx`. */
export function emitCaseEvent<K extends keyof CaseEvents>(
  tx: Tx,
  o: { tenantId: string; actorId: string | null; type: K; payload: CaseEvents[K] },
): Promise<number> {
  return emitEvent(tx, {
    tenantId: o.tenantId,
    type: o.type,
    subjectType: 'case',
    subjectId: o.payload.caseId,
    actorId: o.actorId,
    payload: o.payload as DomainEventRegistry[K],
  })
}
