/** Domain events of warnings, emitted in the deciding transaction (subject: the warning). */
import type { Tx } from '../../db/index.ts'
import { type DomainEventRegistry, emitEvent } from '../../platform/domain-events/index.ts'
import type { WarningKind, WarningLevel } from './warnings.types.ts'

/** Event type → payload. One event per published version (the CAP message's msgType). */
export interface WarningEvents {
  /**
   * A version of a warning was published: the first (Alert), an update (Update), a cancellation
   * or a closing (Cancel). Subscribers load the version row (`warning_versions`) for the text.
   */
  'warning.published': {
    warningId: string
    version: number
    msgType: 'Alert' | 'Update' | 'Cancel'
    state: 'active' | 'cancelled' | 'closed'
    kind: WarningKind
    level: WarningLevel
    slug: string
    /** Commune codes; empty with wholeProvince. */
    communes: string[]
    wholeProvince: boolean
    urgent: boolean
  }
}

declare module '../../platform/domain-events/index.ts' {
  interface DomainEventRegistry extends WarningEvents {}
}

/** Event types the module emits. */
export const WARNING_EVENTS = ['warning.published'] as const satisfies readonly (keyof WarningEvents)[]

/** Emits a warnings event in `tx`. */
export function emitWarningEvent<K extends keyof WarningEvents>(
  tx: Tx,
  o: { tenantId: string; actorId: string | null; type: K; payload: WarningEvents[K] },
): Promise<number> {
  return emitEvent(tx, {
    tenantId: o.tenantId,
    type: o.type,
    subjectType: 'warning',
    subjectId: o.payload.warningId,
    actorId: o.actorId,
    payload: o.payload as DomainEventRegistry[K],
  })
}
