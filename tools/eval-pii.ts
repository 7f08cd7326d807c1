/**
 * Precision / recall / F1 per personal-data type on the hand-labelled fixtures.
 *
 *   npx tsx tools/eval-pii.ts [--heldout] [--errors] [--relaxed]
 *
 * `--heldout` scores the sentences written after the rules were frozen (the honest figure);
 * the default set is the development set the rules were written against.
 * Exact match: same type, same start and end. `--relaxed` also counts a predicted span of
 * the right type that overlaps a gold span (one-to-one), which is what matters for masking.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { PiiFixture } from './build-pii-fixtures.ts'
import { findPersonalData, type PiiType } from '../src/text/pii.ts'

/** Counts for one type. */
export interface TypeScore {
  /** True positives. */
  tp: number
  /** False positives. */
  fp: number
  /** False negatives. */
  fn: number
}

/**
 * Reads committed fixtures.
 * @param set `dev` (pii-sentences, used while writing the rules) or `heldout` (never tuned on)
 */
export function loadPiiFixtures(set: 'dev' | 'heldout' = 'dev'): PiiFixture[] {
  const file = set === 'dev' ? '../src/text/fixtures/pii-sentences.jsonl' : '../src/text/fixtures/pii-heldout.jsonl'
  return readFileSync(fileURLToPath(new URL(file, import.meta.url)), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as PiiFixture)
}

/**
 * Scores the detector on fixtures.
 * @param fixtures labelled sentences
 * @param relaxed count overlapping spans of the right type as hits
 * @param referenceYear year for birth-year ages (does not change spans)
 * @returns counts per type and the mismatching sentences
 */
export function evaluatePii(
  fixtures: PiiFixture[],
  relaxed = false,
  referenceYear = 2025,
): { perType: Map<PiiType, TypeScore>; errors: string[] } {
  const perType = new Map<PiiType, TypeScore>()
  const get = (t: PiiType): TypeScore => {
    const s = perType.get(t) ?? { tp: 0, fp: 0, fn: 0 }
    perType.set(t, s)
    return s
  }
  const errors: string[] = []
  for (const f of fixtures) {
    const pred = findPersonalData(f.text, { referenceYear }).spans
    const used = new Set<number>()
    const bad: string[] = []
    for (const g of f.spans) {
      const i = pred.findIndex(
        (p, k) =>
          !used.has(k) && p.type === g.type && (relaxed ? p.start < g.end && g.start < p.end : p.start === g.start && p.end === g.end),
      )
      if (i >= 0) {
        used.add(i)
        get(g.type).tp++
      } else {
        get(g.type).fn++
        bad.push(`  missed ${g.type}: "${f.text.slice(g.start, g.end)}"`)
      }
    }
    pred.forEach((p, k) => {
      if (used.has(k)) return
      get(p.type).fp++
      bad.push(`  extra  ${p.type}: "${p.text}"`)
    })
    if (bad.length) errors.push(`${f.text}\n${bad.join('\n')}`)
  }
  return { perType, errors }
}

function pct(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '  -  '
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const fixtures = loadPiiFixtures(process.argv.includes('--heldout') ? 'heldout' : 'dev')
  const relaxed = process.argv.includes('--relaxed')
  const { perType, errors } = evaluatePii(fixtures, relaxed)
  const gold = fixtures.reduce((n, f) => n + f.spans.length, 0)
  console.log(`${fixtures.length} sentences, ${gold} gold spans, ${relaxed ? 'relaxed (overlap)' : 'exact'} match`)
  console.log('type      gold  pred    P      R      F1')
  const all: TypeScore = { tp: 0, fp: 0, fn: 0 }
  for (const t of ['name', 'age', 'id', 'phone', 'email', 'plate', 'bank', 'address', 'school', 'date', 'kinship'] as PiiType[]) {
    const s = perType.get(t) ?? { tp: 0, fp: 0, fn: 0 }
    all.tp += s.tp
    all.fp += s.fp
    all.fn += s.fn
    const p = s.tp / (s.tp + s.fp)
    const r = s.tp / (s.tp + s.fn)
    console.log(
      `${t.padEnd(8)} ${String(s.tp + s.fn).padStart(5)} ${String(s.tp + s.fp).padStart(5)}  ${pct(p)}  ${pct(r)}  ${pct((2 * p * r) / (p + r))}`,
    )
  }
  const p = all.tp / (all.tp + all.fp)
  const r = all.tp / (all.tp + all.fn)
  console.log(
    `${'all'.padEnd(8)} ${String(all.tp + all.fn).padStart(5)} ${String(all.tp + all.fp).padStart(5)}  ${pct(p)}  ${pct(r)}  ${pct((2 * p * r) / (p + r))}`,
  )
  if (process.argv.includes('--errors')) console.log(`\n${errors.join('\n')}`)
}
