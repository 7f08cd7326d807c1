/**
 * Claim matching for the verification desk: does a new submission say the same thing as a
 * claim we already have? Vietnamese-aware (with or without diacritics, teencode and
 * abbreviations, typos, word order, paraphrase) and deliberately suspicious of "same topic,
 * different claim" (other number, other place, negated, other action or victim).
 *
 * Two layers:
 * - {@link similarity} scores one pair. The score is corpus-independent, so the batch CLI, the
 *   index and the desk all give the same number for the same pair. Beside it,
 *   {@link containmentOf} says how much of the shorter text the longer carries (a pasted post
 *   against a one-sentence claim): it only adds the staff-only `related` tier below `suggest`.
 * - {@link ClaimIndex} keeps many claims in memory (inverted index over folded syllables, posting
 *   lists in typed arrays), proposes candidates by rare-token overlap (IDF) and rescores the best
 *   few hundred with {@link similarity}.
 *
 * The matcher's files: `match-words.ts` (word lists), `url-canonical.ts` (links),
 * `match-features.ts` (a text → features), this file (thresholds and the pair score) and
 * `match-index.ts` (storable signature and the in-memory index).
 *
 * Thresholds were chosen on the hand-labelled pairs in `fixtures/claim-pairs.tsv`
 * (see `tools/eval-match.ts`).
 */
import { type ClaimFeatures, analyzeClaim } from './match-features.ts'
import { FAKE_WORDS } from './match-words.ts'

// ---------------------------------------------------------------------------
// Public constants

/**
 * Score at or above which a candidate is shown to staff (and, for published verdicts, to the
 * submitter as "có phải bạn muốn hỏi…"). Chosen on the even rows of the labelled set as the
 * highest threshold that keeps recall ≥ 0.90 for `same` pairs.
 */
export const SUGGEST_THRESHOLD = 0.69

/**
 * Score at or above which two claims are merged automatically (only when both texts have at
 * least {@link MERGE_MIN_SYLLABLES} syllables). Chosen on the even rows of the labelled set as
 * the lowest threshold whose precision is ≥ 0.97.
 */
export const MERGE_THRESHOLD = 0.87

/** Texts shorter than this (in syllables) are never merged automatically, only suggested. */
export const MERGE_MIN_SYLLABLES = 8

/**
 * Containment (see {@link containmentOf}) at or above which a candidate below
 * {@link SUGGEST_THRESHOLD} is listed to staff as `related`: most of the shorter text's
 * informative content is carried by the longer one (a whole post that repeats a one-sentence
 * claim). Never shown to the public. Chosen on the dev part of the long-post set
 * (`fixtures/match-longposts.dev.jsonl`, `tools/eval-match.ts --long`).
 */
export const RELATED_THRESHOLD = 0.75

/**
 * The `related` tier needs the longer text to have at least this many times the syllables of
 * the shorter: a post that carries a claim. Pairs of like length keep the decisions of the
 * symmetric score alone.
 */
export const RELATED_LENGTH_RATIO = 2

/** What the desk does with a pair; `related` is for staff only. */
export type MatchDecision = 'merge' | 'suggest' | 'related' | 'none'

/** Strength of each decision (a weakest-decision filter compares these). */
export const DECISION_RANK: Record<MatchDecision, number> = { none: 0, related: 1, suggest: 2, merge: 3 }

/** Result of {@link similarity}. */
export interface SimilarityResult {
  /** 0 (unrelated) … 1 (same claim). */
  score: number
  /**
   * `merge` ≥ {@link MERGE_THRESHOLD} (long texts only), `suggest` ≥ {@link SUGGEST_THRESHOLD},
   * `related` when below suggest but containment ≥ {@link RELATED_THRESHOLD}.
   */
  decision: MatchDecision
  /** How much of the shorter text the longer one carries, 0 … 1 ({@link containmentOf}). */
  containment: number
}

/**
 * Weights and penalties of the pair score, picked by a small grid search on the even (tuning)
 * rows of the labelled set, maximising "suggest precision at recall 0.9 + merge recall at
 * precision 0.97", then rounded to moderate values. Exported for the evaluation script only:
 * changing it changes every decision.
 */
export const SCORE_PARAMS = {
  /** Share of the word score from the less-covered side (the rest from the better one). */
  minShare: 0.3,
  /** Word (bag) similarity weight in the base score. */
  wordWeight: 0.5,
  /** Syllable-bigram (word order) weight. */
  bigramWeight: 0.25,
  /** Character trigram (typos, spacing) weight. */
  trigramWeight: 0.25,
  /** Credit for a word whose marks differ in two marked texts ("bán" vs "bạn"). */
  accentMismatchCredit: 0.4,
  /** Credit for a word one typo away. */
  typoCredit: 0.7,
  /** Factor when both texts give numbers and each has one the other lacks. */
  numberPenalty: 0.4,
  /** Factor when one text negates what the other states, or only one is denied as a whole. */
  negationPenalty: 0.4,
  /** Factor when both texts name places and each has one the other lacks. */
  placePenalty: 0.4,
  /** Factor when both texts name actions and each has one the other lacks. */
  actionPenalty: 0.6,
  /** Factor when the texts pick different alternatives (victim, vehicle, channel …). */
  choicePenalty: 0.6,
  /** Containment: share of the word part (the rest from the shorter text's word pairs). */
  containWordShare: 0.75,
  /** Containment: informative mass under which a shorter text's containment is scaled down. */
  containMinInfo: 4,
}

/** Restricted Damerau–Levenshtein distance ≤ 1 (one insertion, deletion, substitution or swap). */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length
  const lb = b.length
  if (Math.abs(la - lb) > 1) return false
  let i = 0
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++
  if (i === la && i === lb) return true
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2)
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1)
}

function coverage(x: ClaimFeatures, y: ClaimFeatures, bothAccented: boolean): number {
  if (x.mass === 0) return 0
  let got = 0
  const fuzzyBudget = x.bag.size * y.bag.size <= 40000
  for (const [f, e] of x.bag) {
    const other = y.bag.get(f)
    if (other) {
      let credit = 1
      if (bothAccented && e.a.size > 0 && other.a.size > 0) {
        let common = false
        for (const a of e.a) if (other.a.has(a)) common = true
        if (!common) credit = SCORE_PARAMS.accentMismatchCredit
      }
      got += e.w * credit
    } else if (fuzzyBudget && f.length >= 3 && !/^\d/.test(f)) {
      for (const g of y.bag.keys()) {
        if (g.length >= 3 && !/^\d/.test(g) && withinOneEdit(f, g)) {
          got += e.w * SCORE_PARAMS.typoCredit
          break
        }
      }
    }
  }
  return got / x.mass
}

function dice(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let n = 0
  for (const x of small) if (large.has(x)) n++
  return (2 * n) / (a.size + b.size)
}

function overlapCoef(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0
  const [small, large] = a.size <= b.size ? [a, b] : [b, a]
  let n = 0
  for (const x of small) if (large.has(x)) n++
  return n / small.size
}

/** Each side has an element the other lacks (a conflict, not just a longer retelling). */
function conflicting(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return false
  let aOnly = false
  let bOnly = false
  for (const x of a) if (!b.has(x)) aOnly = true
  for (const x of b) if (!a.has(x)) bOnly = true
  return aOnly && bOnly
}

function choicesConflict(a: Set<string>, b: Set<string>): boolean {
  for (const x of a) {
    if (b.has(x)) continue
    const group = x.slice(0, x.indexOf(':') + 1)
    for (const y of b) if (y.startsWith(group) && y !== x && !a.has(y)) return true
  }
  return false
}

/**
 * `x` negates a word that `y` states without negation ("không xả lũ" against "xả lũ"), or `x`
 * says "là thật" where `y` denies. A text that is denied as a whole agrees with negations.
 */
function negationConflict(x: ClaimFeatures, y: ClaimFeatures): boolean {
  if (x.affirmed && (y.denied || y.negated.size > 0 || FAKE_WORDS.some((w) => y.bag.has(w)))) return true
  if (y.denied) return false
  for (const w of x.negated) if (y.bag.has(w) && !y.negated.has(w)) return true
  return false
}

/** Detailed pair score, for the evaluation script and for explaining a match to staff. */
export interface ScoreBreakdown extends SimilarityResult {
  /** Score before the penalties. */
  base: number
  /** Penalties applied (names). */
  penalties: string[]
}

/**
 * Asymmetric containment: how much of the shorter text's informative content (numbers, places,
 * names, content words; stop words not at all, framing words little: see `info` in
 * `match-features.ts`) the longer text carries, with its word pairs, 0 … 1. A 300-word post
 * that repeats a one-sentence claim scores near 1 however much else it says, where the
 * symmetric {@link scoreFeatures} score is dragged down by everything else the post says.
 * Penalised (asymmetrically) when the shorter text gives a number, place, action or
 * alternative that the longer one replaces by another: "same kind of scam, other facts".
 * A shorter text with little content (under four informative words) is scaled down, so
 * "Có vụ bắt cóc" is not related to every post that mentions a kidnapping.
 */
export function containmentOf(a: ClaimFeatures, b: ClaimFeatures): number {
  const [short, long] = a.infoMass < b.infoMass || (a.infoMass === b.infoMass && a.syllables <= b.syllables) ? [a, b] : [b, a]
  if (short.infoMass === 0 || long.mass === 0) return 0
  const P = SCORE_PARAMS
  const bothAccented = a.accented && b.accented
  let got = 0
  const fuzzy = short.info.size * long.bag.size <= 40000
  for (const [f, w] of short.info) {
    const e = long.bag.get(f)
    if (e) {
      const se = short.bag.get(f)
      let credit = 1
      if (bothAccented && se && se.a.size > 0 && e.a.size > 0) {
        let common = false
        let unmarkedOnly = true
        for (const x of se.a) if (e.a.has(x)) common = true
        for (const x of e.a) if (x !== f) unmarkedOnly = false
        // A post that quotes an unmarked passage in marked text: no marks is not other marks.
        if (!common && !unmarkedOnly) credit = P.accentMismatchCredit
      }
      got += w * credit
    } else if (fuzzy && f.length >= 3 && !/^\d/.test(f)) {
      for (const g of long.bag.keys()) {
        if (g.length >= 3 && !/^\d/.test(g) && withinOneEdit(f, g)) {
          got += w * P.typoCredit
          break
        }
      }
    }
  }
  const words = got / short.infoMass
  let pairs = words
  if (short.bigrams.size > 0) {
    let n = 0
    for (const x of short.bigrams) if (long.bigrams.has(x)) n++
    pairs = n / short.bigrams.size
  }
  let c = P.containWordShare * words + (1 - P.containWordShare) * pairs
  if (missingAgainstOthers(short.numbers, long.numbers)) c *= P.numberPenalty
  if (missingAgainstOthers(short.places, long.places, long)) c *= P.placePenalty
  // Unmarked text cannot show some actions and alternatives ("tong" may be "tông" or "tổng"),
  // so their absence from an unmarked longer text is no evidence against a marked claim.
  const readable = long.accented || !short.accented
  if (readable && missingAgainstOthers(short.actions, long.actions)) c *= P.actionPenalty
  if (readable && choicesConflict(short.choices, long.choices)) c *= P.choicePenalty
  c *= Math.min(1, short.infoMass / P.containMinInfo)
  return Math.max(0, Math.min(1, c))
}

/**
 * The shorter side names something the longer side lacks while the longer side names others.
 * With `words`, a place whose every word the longer text has still counts as there (an unmarked
 * "song ma" where the place list read "Mã" in the claim).
 */
function missingAgainstOthers(short: Set<string>, long: Set<string>, words?: ClaimFeatures): boolean {
  if (short.size === 0 || long.size === 0) return false
  for (const x of short) {
    if (long.has(x)) continue
    if (words && x.split(' ').every((w) => words.bag.has(w))) continue
    return true
  }
  return false
}

/**
 * Scores two analysed texts (see {@link similarity}); exposes the parts for explanations.
 * @param withContainment compute the containment and the `related` tier (default). The index
 *   passes false when the caller does not want `related` hits: the decisions above it do not
 *   depend on it, and it costs as much again for a long text (containment is then 0).
 */
export function scoreFeatures(a: ClaimFeatures, b: ClaimFeatures, withContainment = true): ScoreBreakdown {
  if (a.urls.length > 0 && b.urls.length > 0 && a.urls.some((u) => b.urls.includes(u))) {
    return { score: 1, decision: 'merge', base: 1, penalties: [], containment: 1 }
  }
  if (a.mass === 0 || b.mass === 0) return { score: 0, decision: 'none', base: 0, penalties: [], containment: 0 }
  const P = SCORE_PARAMS
  const bothAccented = a.accented && b.accented
  const ca = coverage(a, b, bothAccented)
  const cb = coverage(b, a, bothAccented)
  const word = P.minShare * Math.min(ca, cb) + (1 - P.minShare) * Math.max(ca, cb)
  const bigram = 0.5 * dice(a.bigrams, b.bigrams) + 0.5 * overlapCoef(a.bigrams, b.bigrams)
  const tri = 0.5 * dice(a.trigrams, b.trigrams) + 0.5 * overlapCoef(a.trigrams, b.trigrams)
  const base = P.wordWeight * word + P.bigramWeight * bigram + P.trigramWeight * tri
  let score = base
  const penalties: string[] = []
  if (conflicting(a.numbers, b.numbers)) {
    score *= P.numberPenalty
    penalties.push('number')
  }
  if (negationConflict(a, b) || negationConflict(b, a) || a.denied !== b.denied) {
    score *= P.negationPenalty
    penalties.push('negation')
  }
  if (conflicting(a.places, b.places)) {
    score *= P.placePenalty
    penalties.push('place')
  }
  if (conflicting(a.actions, b.actions)) {
    score *= P.actionPenalty
    penalties.push('action')
  }
  if (choicesConflict(a.choices, b.choices)) {
    score *= P.choicePenalty
    penalties.push('choice')
  }
  score = Math.max(0, Math.min(1, score))
  let decision = decide(score, a.syllables, b.syllables)
  // Containment only adds the staff-only tier below suggest: suggest and merge are decided by
  // the symmetric score alone, exactly as before, so their precision cannot move.
  // Only a text at least twice as long as the other can carry it: two texts of like length are
  // judged by the score alone, as before (a denial of the same words stays `none`).
  const containment = withContainment ? containmentOf(a, b) : 0
  const [shorter, longer] = a.syllables <= b.syllables ? [a.syllables, b.syllables] : [b.syllables, a.syllables]
  if (decision === 'none' && containment >= RELATED_THRESHOLD && longer >= RELATED_LENGTH_RATIO * shorter) decision = 'related'
  return { score, decision, base, penalties, containment }
}

/**
 * Decision for a score: `merge` needs {@link MERGE_THRESHOLD} and both texts at least
 * {@link MERGE_MIN_SYLLABLES} syllables; `suggest` needs {@link SUGGEST_THRESHOLD}. (The
 * `related` tier needs the containment as well: {@link scoreFeatures}.)
 */
export function decide(score: number, syllablesA: number, syllablesB: number): MatchDecision {
  if (score >= MERGE_THRESHOLD && syllablesA >= MERGE_MIN_SYLLABLES && syllablesB >= MERGE_MIN_SYLLABLES) return 'merge'
  if (score >= SUGGEST_THRESHOLD) return 'suggest'
  return 'none'
}

/**
 * How likely two texts state the same claim, and what to do about it.
 * Links shared by both texts match by {@link canonicalUrl} (score 1, merge).
 * @param a first text (any encoding, with or without marks)
 * @param b second text
 */
export function similarity(a: string, b: string): SimilarityResult {
  const r = scoreFeatures(analyzeClaim(a), analyzeClaim(b))
  return { score: round4(r.score), decision: r.decision, containment: round4(r.containment) }
}

/** Rounds a score to 4 decimals (what the CLI, the desk and the index show). */
export function round4(x: number): number {
  return Math.round(x * 10000) / 10000
}
