/**
 * The claim page's model: what the page and its sections (evidence, verdict) show. It lives
 * apart from `claim.pages.tsx` so the section pages can use it without importing the page
 * that imports them (that was an import cycle).
 */
import type { AppError } from '../../../platform/errors.ts'
import { type Locale, t } from '../../../platform/i18n/index.ts'
import type { MatchDecision } from '../../../text/match-score.ts'
import type { LoadedClaim } from '../factcheck.repository.ts'
import type { ClaimRef, ReleaseOption, StaffMember } from './desk.queries.ts'
import type { SubmittedFile } from './screenshots.tsx'

/** Values of the verdict form (names match the findings panel: title = headline, bodyMd = explanation). */
export interface VerdictValues {
  label: string
  title: string
  bodyMd: string
  evidenceIds: string[]
  correctionNote: string
}

/** Everything the claim page shows. */
export interface ClaimPage {
  loaded: LoadedClaim
  /** Similar claims; `related` ones (staff only) carry `containment` (share of the shorter text carried). */
  suggestions: { claim: ClaimRef; score: number; decision: MatchDecision; fromImage?: boolean; containment?: number }[]
  /** Files sent with the submissions, with the text OCR read from images (issue 18). */
  files?: SubmittedFile[]
  /** Claims named by suggestions and history. */
  refs: Map<string, ClaimRef>
  staff: StaffMember[]
  releases: ReleaseOption[]
  now: Date
  error: AppError | null
  done?: string
  ticket?: string
  /** A claim the notice links to (the new claim of a split). */
  other?: string
  verdict: VerdictValues
  /** The severity form as typed, after a refusal. */
  severity?: SeverityValues
  publicUrl: string
}

/** What the severity form holds. */
export interface SeverityValues {
  harm: string
  level: string
  reason: string
}

/** A staff member's display name. */
export function nameOf(page: ClaimPage, id: string | null | undefined, l: Locale): string {
  if (!id) return t(l, 'desk.system')
  return page.staff.find((s) => s.id === id)?.name ?? '—'
}
