/**
 * Domain events of releases, emitted in the deciding transaction. Distribution, events and
 * warnings subscribe to these; nothing calls into the releases module for them.
 */
import type { Tx } from '../../db/index.ts'
import { type DomainEventRegistry, emitEvent } from '../../platform/domain-events/index.ts'
import type { WithdrawalCategory } from './releases.tables.ts'

/** What every release event carries. */
export interface ReleaseEventBase {
  releaseId: string
  kind: string
  /** The linked case, if any (subscribers re-check visibility when they act). */
  caseId: string | null
}

/** Event type → payload for releases. */
export interface ReleaseEvents {
  /** First publication (now, at a lift, or forced). */
  'release.published': ReleaseEventBase & { edition: number; editionId: string; verificationCode: string; slug: string; forced: boolean }
  /** A new edition replaced the public one. */
  'release.corrected': ReleaseEventBase & {
    edition: number
    editionId: string
    previousEdition: number
    verificationCode: string
    slug: string
    changeNote: string | null
    minor: boolean
  }
  /**
   * Withdrawn with a category and a public reason (the page stays with the notice); kill notices
   * go to every recipient. `textRemoved`: the text is no longer public (every category but
   * `factual_error`), so a subscriber must not show or resend it either.
   */
  'release.withdrawn': ReleaseEventBase & {
    category: WithdrawalCategory
    reason: string
    textRemoved: boolean
  }
  /** Marked published in error (410 Gone everywhere). */
  'release.gone': ReleaseEventBase & { reason: string }
  /** Approved under embargo: accredited partners may receive it now, marked with its lift time. */
  'release.embargoed': ReleaseEventBase & { edition: number; editionId: string; liftAt: string }
  /** An embargoed or scheduled release was taken back to draft before its time. */
  'release.unscheduled': ReleaseEventBase & { was: 'embargoed' | 'scheduled' }
}

declare module '../../platform/domain-events/index.ts' {
  interface DomainEventRegistry extends ReleaseEvents {}
}

/** Event types the releases module emits. */
export const RELEASE_EVENTS = [
  'release.published',
  'release.corrected',
  'release.withdrawn',
  'release.gone',
  'release.embargoed',
  'release.unscheduled',
] as const satisfies readonly (keyof ReleaseEvents)[]

/** Emits a release event in `tx` (the subject is the release). */
export function emitReleaseEvent<K extends keyof ReleaseEvents>(
  tx: Tx,
  o: { tenantId: string; actorId: string | null; type: K; payload: ReleaseEvents[K] },
): Promise<number> {
  return emitEvent(tx, {
    tenantId: o.tenantId,
    type: o.type,
    subjectType: 'release',
    subjectId: o.payload.releaseId,
    actorId: o.actorId,
    payload: o.payload as DomainEventRegistry[K],
  })
}
