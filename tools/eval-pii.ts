/**
 * Precision / recall / F1 per personal-data type on the hand-labelled fixtures.
 *
 *   npx tsx tools/eval-pii.ts [--heldout] [--news] [--errors] [--relaxed]
 *
 * `--heldout` scores the sentences written after the rules were frozen (the honest figure);
 * the default set is the development set the rules were written against. `--news` takes the
 * news-style set of issue 18 instead (`pii-news.{dev,heldout}.jsonl`, built by
 * build-pii-fixtures.ts), and names are also scored apart as full names and given names alone.
 * Exact match: same type, same start and end. `--relaxed` also counts a predicted span of
 * the right type that overlaps a gold span (one-to-one), which is what matters for masking.
 */
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { PiiFixture } from './build-pii-fixtures.ts'
import { fold } from '../src/text/normalize.ts'
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

/** The committed fixture sets: the first hand-written ones, and the news-style set of issue 18. */
export type PiiFixtureSet = 'dev' | 'heldout' | 'news-dev' | 'news-heldout'

const FIXTURE_FILES: Record<PiiFixtureSet, string> = {
  dev: 'pii-sentences.jsonl',
  heldout: 'pii-heldout.jsonl',
  'news-dev': 'pii-news.dev.jsonl',
  'news-heldout': 'pii-news.heldout.jsonl',
}

/**
 * Reads committed fixtures.
 * @param set `dev` (pii-sentences, used while writing the rules), `heldout` (never tuned on), or
 *   the news-style parts `news-dev` (tuned on) and `news-heldout` (never tuned on)
 */
export function loadPiiFixtures(set: PiiFixtureSet = 'dev'): PiiFixture[] {
  const file = `../src/text/fixtures/${FIXTURE_FILES[set]}`
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
): { perType: Map<PiiType, TypeScore>; names: { full: TypeScore; given: TypeScore }; errors: string[] } {
  const names = { full: { tp: 0, fp: 0, fn: 0 }, given: { tp: 0, fp: 0, fn: 0 } }
  const nameKind = (s: string) => (isGivenNameAlone(s) ? names.given : names.full)
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
      const kind = g.type === 'name' ? nameKind(f.text.slice(g.start, g.end)) : undefined
      if (i >= 0) {
        used.add(i)
        get(g.type).tp++
        if (kind) kind.tp++
      } else {
        get(g.type).fn++
        if (kind) kind.fn++
        bad.push(`  missed ${g.type}: "${f.text.slice(g.start, g.end)}"`)
      }
    }
    pred.forEach((p, k) => {
      if (used.has(k)) return
      get(p.type).fp++
      if (p.type === 'name') nameKind(p.text).fp++
      bad.push(`  extra  ${p.type}: "${p.text}"`)
    })
    if (bad.length) errors.push(`${f.text}\n${bad.join('\n')}`)
  }
  return { perType, names, errors }
}

const SURNAME_WORDS = new Set(
  'nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly dao doan vuong trinh truong lam phung mai to ha ta luong dinh quach luu thai cao lo quang giang sung'.split(
    ' ',
  ),
)

/** A name of one word, or of two whose first is not a surname ("Gia Hân"): a given name alone. */
export function isGivenNameAlone(name: string): boolean {
  const w = fold(name).split(/\s+/).filter(Boolean)
  return w.length === 1 || (w.length === 2 && !SURNAME_WORDS.has(w[0]))
}

function pct(x: number): string {
  return Number.isFinite(x) ? x.toFixed(3) : '  -  '
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const heldout = process.argv.includes('--heldout')
  const news = process.argv.includes('--news')
  const fixtures = loadPiiFixtures(news ? (heldout ? 'news-heldout' : 'news-dev') : heldout ? 'heldout' : 'dev')
  const relaxed = process.argv.includes('--relaxed')
  const { perType, names, errors } = evaluatePii(fixtures, relaxed)
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
  for (const [label, sc] of [
    ['name:full', names.full],
    ['name:given', names.given],
  ] as const) {
    const p = sc.tp / (sc.tp + sc.fp)
    const r = sc.tp / (sc.tp + sc.fn)
    console.log(
      `${label.padEnd(10)} ${String(sc.tp + sc.fn).padStart(3)} ${String(sc.tp + sc.fp).padStart(5)}  ${pct(p)}  ${pct(r)}  ${pct((2 * p * r) / (p + r))}`,
    )
  }
  if (process.argv.includes('--errors')) console.log(`\n${errors.join('\n')}`)
}
