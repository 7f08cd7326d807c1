/**
 * The masked copy offered by `/kiem-tra` and `/api/v1/checks`: the checked body with its
 * personal data masked and its guilt wording replaced by the neutral term the wording checker
 * suggests, so that what the findings list catches is also gone from the copy people take away.
 */
import type { CheckResult } from './check.ts'
import { type MaskStyle, maskSpan } from './pii.ts'

/** Result of {@link maskedCopy}. */
export interface MaskedCopy {
  /** The body (as checked: `result.normalized`) with the replacements made. */
  text: string
  /** How many pieces of personal data were changed by the style (ages stay in `initials`). */
  masked: number
  /** How many guilt or wrong-stage terms were replaced by their neutral term. */
  reworded: number
}

interface Edit {
  start: number
  end: number
  replacement: string
  kind: 'masked' | 'reworded'
}

/** "đối tượng" at the start of a sentence reads "Đối tượng". */
function matchCase(original: string, replacement: string): string {
  const first = original.charAt(0)
  return first !== first.toLowerCase() ? replacement.charAt(0).toUpperCase() + replacement.slice(1) : replacement
}

/**
 * Builds the masked copy of a checked text.
 * @param result the result of `checkText` (its body offsets are used, the title is left out)
 * @param style how personal data is masked; see `maskSpan`
 * @returns the copy and the number of masked and reworded places
 */
export function maskedCopy(result: CheckResult, style: MaskStyle): MaskedCopy {
  const body = result.normalized
  const edits: Edit[] = []
  for (const s of result.personalData) {
    const replacement = maskSpan(s, style)
    if (replacement !== s.text) edits.push({ start: s.start, end: s.end, replacement, kind: 'masked' })
  }
  // The one-click term of the wording checker (the stage's safe default), never a list of terms.
  for (const f of result.findings) {
    if (f.field !== 'text' || (f.kind !== 'guilt' && f.kind !== 'stage-term') || !f.replacement) continue
    edits.push({ start: f.start, end: f.end, replacement: matchCase(f.text, f.replacement), kind: 'reworded' })
  }
  // Personal data first where both touch the same words; then from the end, so offsets hold.
  edits.sort((a, b) => a.start - b.start || (a.kind === 'masked' ? -1 : 1))
  const kept: Edit[] = []
  for (const e of edits) {
    const prev = kept[kept.length - 1]
    if (prev && e.start < prev.end) continue
    kept.push(e)
  }
  let text = body
  for (const e of [...kept].reverse()) text = text.slice(0, e.start) + e.replacement + text.slice(e.end)
  return {
    text,
    masked: kept.filter((e) => e.kind === 'masked').length,
    reworded: kept.filter((e) => e.kind === 'reworded').length,
  }
}
