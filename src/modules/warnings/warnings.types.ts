/**
 * The shapes shared by the warnings module's parts. Kinds, levels and CAP states are the CAP
 * writer's (cap/cap.ts); this file adds the life of a warning and the snapshot a published
 * version keeps.
 */
import type { CapStatus, WarningKind, WarningLevel } from './cap/cap.ts'

export type { CapStatus, WarningKind, WarningLevel } from './cap/cap.ts'

/** Kinds, in the order forms and filters list them. */
export const WARNING_KINDS = ['scam', 'traffic', 'public_order', 'missing_person', 'wanted'] as const satisfies readonly WarningKind[]
/** Levels, most pressing first. */
export const WARNING_LEVELS = ['alert', 'advisory', 'community'] as const satisfies readonly WarningLevel[]
/** Kinds about a person: they come down from every surface when closed. */
export const PERSON_KINDS: readonly WarningKind[] = ['missing_person', 'wanted']

/** Life of a warning (the `warnings.state` column). */
export const WARNING_STATES = ['draft', 'active', 'cancelled', 'closed'] as const
export type WarningLifeState = (typeof WARNING_STATES)[number]

/** Why a person warning was closed. */
export const CLOSE_REASONS = ['found', 'arrested', 'other'] as const
export type CloseReason = (typeof CLOSE_REASONS)[number]

/** How the demo manifest and the console name a warning's public state. */
export type WarningPublicState = 'active' | 'updated' | 'cancelled' | 'closed' | 'draft'

/**
 * What one published version said, kept in `warning_versions.snapshot` (times as ISO 8601).
 * The public pages, the CAP message and the share cards of that version are made from it.
 */
export interface WarningSnapshot {
  kind: WarningKind
  level: WarningLevel
  capStatus: CapStatus
  titleVi: string
  descriptionVi: string
  instructionVi: string
  titleEn: string | null
  descriptionEn: string | null
  instructionEn: string | null
  wholeProvince: boolean
  communes: string[]
  validFrom: string
  validUntil: string | null
  patterns: string[]
  links: string[]
  /** Wanted notice: the legal basis shown with it. */
  legalBasis: string | null
}
