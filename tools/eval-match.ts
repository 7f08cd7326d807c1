/**
 * Measures the claim matcher on the hand-labelled pairs in `src/text/fixtures/claim-pairs.tsv`.
 *
 *   npx tsx tools/eval-match.ts            precision / recall at both thresholds
 *   npx tsx tools/eval-match.ts --tune     also the threshold search on the tuning rows
 *   npx tsx tools/eval-match.ts --errors   also every misjudged pair
 *   npx tsx tools/eval-match.ts --long     long posts → short claims (dev part; add --heldout for
 *                                          the held-out part, --errors for the misses)
 *
 * Split: data rows are numbered from 0 in file order; even rows are the tuning split (used to
 * pick the thresholds and weights), odd rows the held-out split. Figures are printed for the
 * held-out rows, the tuning rows and all rows.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { analyzeClaim } from '../src/text/match-features.ts'
import { ClaimIndex } from '../src/text/match-index.ts'
import {
  DECISION_RANK,
  MERGE_MIN_SYLLABLES,
  MERGE_THRESHOLD,
  type MatchDecision,
  RELATED_THRESHOLD,
  SUGGEST_THRESHOLD,
  scoreFeatures,
} from '../src/text/match-score.ts'

/** One labelled pair. */
export interface LabelledPair {
  /** Data row number (0-based, comments and header excluded). */
  row: number
  /** Whether the two texts state the same claim. */
  same: boolean
  /** What the pair exercises (nodiac, typo, num, place …). */
  kind: string
  /** First text. */
  a: string
  /** Second text. */
  b: string
}

/** A pair with the matcher's verdict. */
export interface ScoredPair extends LabelledPair {
  /** Pair score. */
  score: number
  /** Decision at the exported thresholds. */
  decision: MatchDecision
  /** Whether both texts are long enough to merge. */
  long: boolean
  /** Penalties that fired. */
  penalties: string[]
}

/** Precision / recall of one decision level on one split. */
export interface LevelMetrics {
  /** Pairs predicted same at this level that are same. */
  tp: number
  /** Pairs predicted same that are different. */
  fp: number
  /** Same pairs not predicted same. */
  fn: number
  /** tp / (tp + fp); 1 when nothing was predicted. */
  precision: number
  /** tp / (tp + fn). */
  recall: number
}

/** Default location of the labelled set. */
export const PAIRS_PATH = fileURLToPath(new URL('../src/text/fixtures/claim-pairs.tsv', import.meta.url))

/** Reads the labelled set (TSV: label, kind, a, b; `#` comments and a header line). */
export function loadPairs(path: string = PAIRS_PATH): LabelledPair[] {
  const out: LabelledPair[] = []
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.trim() === '' || line.startsWith('#') || line.startsWith('label\t')) continue
    const [label, kind, a, b] = line.split('\t')
    if (b === undefined || (label !== 'same' && label !== 'different')) throw new Error(`bad row: ${line}`)
    out.push({ row: out.length, same: label === 'same', kind, a, b })
  }
  return out
}

/** Scores every pair with the current matcher. */
export function scorePairs(pairs: LabelledPair[]): ScoredPair[] {
  return pairs.map((p) => {
    const fa = analyzeClaim(p.a)
    const fb = analyzeClaim(p.b)
    const r = scoreFeatures(fa, fb)
    const long = fa.syllables >= MERGE_MIN_SYLLABLES && fb.syllables >= MERGE_MIN_SYLLABLES
    return { ...p, score: r.score, decision: r.decision, long, penalties: r.penalties }
  })
}

/** Precision and recall with "predicted same" = `predicate`. */
export function metrics(pairs: ScoredPair[], predicate: (p: ScoredPair) => boolean): LevelMetrics {
  let tp = 0
  let fp = 0
  let fn = 0
  for (const p of pairs) {
    const yes = predicate(p)
    if (yes && p.same) tp++
    else if (yes) fp++
    else if (p.same) fn++
  }
  return { tp, fp, fn, precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn) }
}

/** Metrics at the suggest level (decision suggest or merge) and the merge level. */
export function evaluate(pairs: ScoredPair[]): { suggest: LevelMetrics; merge: LevelMetrics } {
  return {
    suggest: metrics(pairs, (p) => DECISION_RANK[p.decision] >= DECISION_RANK.suggest),
    merge: metrics(pairs, (p) => p.decision === 'merge'),
  }
}

// ---------------------------------------------------------------------------
// Long posts against short claims (issue 18)

/** A row of `fixtures/match-longposts.*.jsonl` (written by tools/build-match-longposts.ts). */
export interface LongPostRow {
  /** Stable id. */
  id: string
  /** `pos` carries `claim`; `neg` is a hard negative (same kind, other facts). */
  kind: 'pos' | 'neg'
  /** The claim carried (a text of claim-pairs.tsv), or null. */
  claim: string | null
  /** Writing style. */
  style: string
  /** Words in the post. */
  words: number
  /** The post. */
  text: string
}

/** Where the long-post parts live. */
export const LONGPOST_PATHS = {
  dev: fileURLToPath(new URL('../src/text/fixtures/match-longposts.dev.jsonl', import.meta.url)),
  heldout: fileURLToPath(new URL('../src/text/fixtures/match-longposts.heldout.jsonl', import.meta.url)),
}

/** Reads one part of the long-post set. */
export function loadLongPosts(part: keyof typeof LONGPOST_PATHS): LongPostRow[] {
  return readFileSync(LONGPOST_PATHS[part], 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LongPostRow)
}

/** Long-post figures: recall at the related tier, precision at suggest and merge. */
export interface LongPostMetrics {
  /** Posts carrying a claim. */
  positives: number
  /** Hard negatives. */
  negatives: number
  /** Share of positives whose claim is the first hit (related or better). */
  recallAt1: number
  /** Share of positives whose claim is among the first five hits (related or better). */
  recallAt5: number
  /** Share of positives whose claim is among the hits at suggest or better (what the public could see). */
  recallSuggest: number
  /** Hits at suggest or better that are the claim carried (or a claim labelled the same). */
  suggestPrecision: { correct: number; total: number; value: number }
  /** Hits at merge that are the claim carried. */
  mergePrecision: { correct: number; total: number; value: number }
  /** Hard negatives with any hit at suggest or better. */
  negativesWithSuggest: number
  /** Hard negatives with any related hit (same-kind claims; staff only). */
  negativesWithRelated: number
  /** Positives whose claim is not in the first five. */
  misses: { id: string; style: string; claim: string; got: string[] }[]
}

/**
 * Runs every post of a part against an index of all the texts of claim-pairs.tsv (the "claims
 * on file", same-topic claims included: the pairs were written as near misses), asking for the
 * related tier. A hit counts as right when it is the claim carried or a text labelled `same`
 * with it in claim-pairs.tsv.
 */
export function evaluateLongPosts(rows: LongPostRow[], pairs: LabelledPair[] = loadPairs()): LongPostMetrics {
  const pool = [...new Set(pairs.flatMap((p) => [p.a, p.b]))]
  const index = new ClaimIndex()
  for (let i = 0; i < pool.length; i++) index.add(i, pool[i])
  const sameAs = new Map<string, Set<string>>()
  for (const p of pairs) {
    if (!p.same) continue
    for (const [x, y] of [
      [p.a, p.b],
      [p.b, p.a],
    ]) {
      const set = sameAs.get(x) ?? new Set([x])
      set.add(y)
      sameAs.set(x, set)
    }
  }
  const m: LongPostMetrics = {
    positives: 0,
    negatives: 0,
    recallAt1: 0,
    recallAt5: 0,
    recallSuggest: 0,
    suggestPrecision: { correct: 0, total: 0, value: 1 },
    mergePrecision: { correct: 0, total: 0, value: 1 },
    negativesWithSuggest: 0,
    negativesWithRelated: 0,
    misses: [],
  }
  let at1 = 0
  let at5 = 0
  let atSuggest = 0
  for (const row of rows) {
    const hits = index.search(row.text, { limit: 10, minDecision: 'related' })
    const gold = row.claim ? (sameAs.get(row.claim) ?? new Set([row.claim])) : new Set<string>()
    const right = hits.map((h) => gold.has(pool[h.id as number]))
    for (let i = 0; i < hits.length; i++) {
      if (DECISION_RANK[hits[i].decision] >= DECISION_RANK.suggest) {
        m.suggestPrecision.total++
        if (right[i]) m.suggestPrecision.correct++
      }
      if (hits[i].decision === 'merge') {
        m.mergePrecision.total++
        if (right[i]) m.mergePrecision.correct++
      }
    }
    if (row.kind === 'neg') {
      m.negatives++
      if (hits.some((h) => DECISION_RANK[h.decision] >= DECISION_RANK.suggest)) m.negativesWithSuggest++
      if (hits.some((h) => h.decision === 'related')) m.negativesWithRelated++
      continue
    }
    m.positives++
    if (right[0]) at1++
    if (right.slice(0, 5).some(Boolean)) at5++
    else
      m.misses.push({
        id: row.id,
        style: row.style,
        claim: row.claim ?? '',
        got: hits.slice(0, 3).map((h) => `${h.decision} ${h.score}/${h.containment} ${pool[h.id as number]}`),
      })
    if (hits.some((h, i) => right[i] && DECISION_RANK[h.decision] >= DECISION_RANK.suggest)) atSuggest++
  }
  m.recallAt1 = at1 / Math.max(1, m.positives)
  m.recallAt5 = at5 / Math.max(1, m.positives)
  m.recallSuggest = atSuggest / Math.max(1, m.positives)
  for (const p of [m.suggestPrecision, m.mergePrecision]) p.value = p.total === 0 ? 1 : p.correct / p.total
  return m
}

function longMain(argv: string[]): void {
  const part = argv.includes('--heldout') ? 'heldout' : 'dev'
  const m = evaluateLongPosts(loadLongPosts(part))
  console.log(
    `long posts (${part}): ${m.positives} carrying a claim, ${m.negatives} hard negatives; related ≥ ${RELATED_THRESHOLD} containment`,
  )
  console.log(`  related tier: recall@1 ${m.recallAt1.toFixed(3)}, recall@5 ${m.recallAt5.toFixed(3)}`)
  console.log(`  claim among suggest-or-better hits (what was listed before the related tier): ${m.recallSuggest.toFixed(3)}`)
  const pr = (p: { correct: number; total: number; value: number }): string => `${p.value.toFixed(3)} (${p.correct}/${p.total})`
  console.log(`  precision at suggest ${pr(m.suggestPrecision)}, at merge ${pr(m.mergePrecision)}`)
  console.log(
    `  hard negatives with a suggest-or-better hit: ${m.negativesWithSuggest}/${m.negatives}; with a related hit: ${m.negativesWithRelated}/${m.negatives}`,
  )
  if (argv.includes('--errors')) for (const x of m.misses) console.log(`✗ ${x.id} [${x.style}] ${x.claim}\n    ${x.got.join('\n    ')}`)
}

function fmt(m: LevelMetrics): string {
  return `precision ${m.precision.toFixed(3)}  recall ${m.recall.toFixed(3)}  (tp ${m.tp}, fp ${m.fp}, fn ${m.fn})`
}

/**
 * Threshold search on the given rows: the highest suggest threshold with recall ≥ 0.90 and the
 * lowest merge threshold with precision ≥ 0.97 (merge counted on long pairs only).
 */
export function tuneThresholds(pairs: ScoredPair[]): { suggest: number; merge: number } {
  let suggest = 0
  for (let t = 0.99; t >= 0.2; t -= 0.01) {
    const m = metrics(pairs, (p) => p.score >= t)
    if (m.recall >= 0.9) {
      suggest = Math.round(t * 100) / 100
      break
    }
  }
  let merge = 1
  for (let t = 0.3; t <= 1.0001; t += 0.01) {
    const m = metrics(pairs, (p) => p.long && p.score >= t)
    if (m.precision >= 0.97 && m.tp + m.fp > 0) {
      merge = Math.round(t * 100) / 100
      break
    }
  }
  return { suggest, merge }
}

function main(argv: string[]): void {
  if (argv.includes('--long')) {
    longMain(argv)
    return
  }
  const scored = scorePairs(loadPairs())
  const tune = scored.filter((p) => p.row % 2 === 0)
  const held = scored.filter((p) => p.row % 2 === 1)
  const count = (ps: ScoredPair[]): string =>
    `${ps.length} pairs: ${ps.filter((p) => p.same).length} same, ${ps.filter((p) => !p.same).length} different, ` +
    `${ps.filter((p) => !p.long).length} with a text under ${MERGE_MIN_SYLLABLES} syllables`
  console.log(`thresholds: suggest ≥ ${SUGGEST_THRESHOLD}, merge ≥ ${MERGE_THRESHOLD} (both texts ≥ ${MERGE_MIN_SYLLABLES} syllables)`)
  for (const [name, ps] of [
    ['held-out (odd rows)', held],
    ['tuning (even rows)', tune],
    ['all rows', scored],
  ] as const) {
    const m = evaluate(ps)
    console.log(`\n${name} — ${count(ps)}`)
    console.log(`  suggest: ${fmt(m.suggest)}`)
    console.log(`  merge:   ${fmt(m.merge)}`)
    const rel = metrics(ps, (p) => p.decision !== 'none')
    console.log(`  related or better (staff only): ${fmt(rel)}`)
    const mergeLong = metrics(
      ps.filter((p) => p.long),
      (p) => p.decision === 'merge',
    )
    console.log(`  merge among long pairs only: recall ${mergeLong.recall.toFixed(3)} (${mergeLong.tp}/${mergeLong.tp + mergeLong.fn})`)
  }
  if (argv.includes('--tune')) {
    console.log('\nthreshold search on the tuning rows:', tuneThresholds(tune))
    console.log('(same search on all rows, for comparison only):', tuneThresholds(scored))
  }
  if (argv.includes('--errors')) {
    console.log('\nmisjudged pairs (row, label, kind, score, decision, penalties):')
    for (const p of scored) {
      const wrong = p.same ? DECISION_RANK[p.decision] < DECISION_RANK.suggest : DECISION_RANK[p.decision] >= DECISION_RANK.suggest
      const weakMerge = p.same && p.long && p.decision !== 'merge'
      if (wrong || weakMerge) {
        console.log(
          `${wrong ? '✗' : '·'} ${p.row} ${p.same ? 'same' : 'diff'} ${p.kind} ${p.score.toFixed(3)} ${p.decision} [${p.penalties.join(',')}]\n    ${p.a}\n    ${p.b}`,
        )
      }
    }
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main(process.argv.slice(2))
