/**
 * Measures the claim matcher on the hand-labelled pairs in `src/text/fixtures/claim-pairs.tsv`.
 *
 *   npx tsx tools/eval-match.ts            precision / recall at both thresholds
 *   npx tsx tools/eval-match.ts --tune     also the threshold search on the tuning rows
 *   npx tsx tools/eval-match.ts --errors   also every misjudged pair
 *
 * Split: data rows are numbered from 0 in file order; even rows are the tuning split (used to
 * pick the thresholds and weights), odd rows the held-out split. Figures are printed for the
 * held-out rows, the tuning rows and all rows.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { analyzeClaim } from '../src/text/match-features.ts'
import { MERGE_MIN_SYLLABLES, MERGE_THRESHOLD, type MatchDecision, SUGGEST_THRESHOLD, scoreFeatures } from '../src/text/match-score.ts'

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
    suggest: metrics(pairs, (p) => p.decision !== 'none'),
    merge: metrics(pairs, (p) => p.decision === 'merge'),
  }
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
      const wrong = p.same ? p.decision === 'none' : p.decision !== 'none'
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
