/**
 * Trains the clickbait model on ViClickbait-2025 and writes `clickbait-model.json`.
 *
 *   npx tsx src/text/train-clickbait.ts [--data DIR] [--out FILE] [--grid small|full]
 *
 * DIR defaults to $CLICKBAIT_DATA or `../shared/datasets/viclickbait-2025` relative to the repo
 * root. Fits on train.jsonl only; val.jsonl is used to choose the feature families,
 * regularisation, class weight and decision threshold — nothing else. Also prints 5-fold
 * cross-validated macro-F1 on train for the chosen settings, a figure val never touched.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ClickbaitModel, type FeatureConfig, extractFeatures, loadClickbaitModel, scoreClickbait } from './clickbait.ts'

/** One labelled row of the dataset. */
export interface ClickbaitRow {
  /** Headline. */
  title: string
  /** Lead paragraph (sapo). */
  lead: string
  /** 1 = clickbait, 0 = non-clickbait. */
  y: number
}

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..')

/** Default dataset directory: $CLICKBAIT_DATA, else `../shared/datasets/viclickbait-2025` from the repo root. */
export function defaultDataDir(): string {
  return process.env.CLICKBAIT_DATA ?? resolve(REPO_ROOT, '../shared/datasets/viclickbait-2025')
}

/** Reads a ViClickbait JSONL file. */
export function readRows(file: string): ClickbaitRow[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => {
      // The files were written by Python and carry bare NaN for missing leads.
      const r = JSON.parse(l.replace(/:\s*NaN\b/g, ': null')) as {
        title: string | null
        lead_paragraph?: string | null
        label: string
      }
      return { title: r.title ?? '', lead: r.lead_paragraph ?? '', y: r.label === 'clickbait' ? 1 : 0 }
    })
}

/** Precision/recall-based scores of binary predictions. */
export interface BinaryScores {
  /** Mean of the two classes' F1. */
  macroF1: number
  /** F1 of the clickbait class. */
  clickbaitF1: number
  /** Share of correct predictions. */
  accuracy: number
}

/** Macro-F1, clickbait-class F1 and accuracy of predictions against labels. */
export function binaryScores(y: number[], pred: number[]): BinaryScores {
  let tp = 0
  let fp = 0
  let fn = 0
  let tn = 0
  for (let i = 0; i < y.length; i++) {
    if (pred[i] === 1 && y[i] === 1) tp++
    else if (pred[i] === 1) fp++
    else if (y[i] === 1) fn++
    else tn++
  }
  const f1 = (a: number, b: number, c: number): number => (a === 0 ? 0 : (2 * a) / (2 * a + b + c))
  const pos = f1(tp, fp, fn)
  const neg = f1(tn, fn, fp)
  return { macroF1: (pos + neg) / 2, clickbaitF1: pos, accuracy: (tp + tn) / y.length }
}

interface Hyper {
  features: FeatureConfig
  l2: number
  epochs: number
  posWeight: number
  minCount: number
}

// Deterministic shuffles: the same command gives the same model.
function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

interface Trained {
  names: string[]
  w: Float64Array
  b: number
}

function fitModel(feats: Set<string>[], y: number[], h: Hyper): Trained {
  const counts = new Map<string, number>()
  for (const fs of feats) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1)
  const index = new Map<string, number>()
  const names: string[] = []
  for (const [f, c] of counts) {
    if (c >= h.minCount || f.startsWith('cue:')) {
      index.set(f, names.length)
      names.push(f)
    }
  }
  const X = feats.map((fs) => Int32Array.from([...fs].map((f) => index.get(f) ?? -1).filter((j) => j >= 0)))
  const w = new Float64Array(names.length)
  const G = new Float64Array(names.length).fill(1e-8)
  let b = 0
  let Gb = 1e-8
  const lr = 0.2
  const order = [...y.keys()]
  const rand = rng(42)
  for (let e = 0; e < h.epochs; e++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1))
      ;[order[i], order[j]] = [order[j], order[i]]
    }
    for (const i of order) {
      const x = X[i]
      let z = b
      for (let k = 0; k < x.length; k++) z += w[x[k]]
      const p = 1 / (1 + Math.exp(-z))
      const g = (p - y[i]) * (y[i] === 1 ? h.posWeight : 1)
      for (let k = 0; k < x.length; k++) {
        const j = x[k]
        const gj = g + h.l2 * w[j]
        G[j] += gj * gj
        w[j] -= (lr * gj) / Math.sqrt(G[j])
      }
      Gb += g * g
      b -= (lr * g) / Math.sqrt(Gb)
    }
  }
  return { names, w, b }
}

function predictProba(t: Trained, feats: Set<string>[]): number[] {
  const index = new Map(t.names.map((n, i) => [n, i]))
  return feats.map((fs) => {
    let z = t.b
    for (const f of fs) {
      const j = index.get(f)
      if (j !== undefined) z += t.w[j]
    }
    return 1 / (1 + Math.exp(-z))
  })
}

function bestThreshold(y: number[], p: number[]): { threshold: number; scores: BinaryScores } {
  let best = { threshold: 0.5, scores: binaryScores(y, p.map((v) => (v >= 0.5 ? 1 : 0))) }
  for (let t = 0.2; t <= 0.8001; t += 0.02) {
    const s = binaryScores(y, p.map((v) => (v >= t ? 1 : 0)))
    if (s.macroF1 > best.scores.macroF1 + 1e-9) best = { threshold: Math.round(t * 100) / 100, scores: s }
  }
  return best
}

function featureGrid(full: boolean): FeatureConfig[] {
  const base: FeatureConfig = { words: true, trigrams: false, folded: false, charNgrams: [], cues: true, lead: false }
  const grid: FeatureConfig[] = [base, { ...base, folded: true }, { ...base, charNgrams: [3, 4] }, { ...base, lead: true }]
  if (full) {
    grid.push(
      { ...base, cues: false },
      { ...base, charNgrams: [2, 3, 4, 5] },
      { ...base, trigrams: true, charNgrams: [3, 4] },
      { ...base, charNgrams: [3, 4], lead: true },
    )
  }
  return grid
}

function parseArgs(argv: string[]): { data: string; out: string; full: boolean } {
  let data = defaultDataDir()
  let out = resolve(REPO_ROOT, 'src/text/clickbait-model.json')
  let full = false
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data') data = resolve(argv[++i])
    else if (argv[i] === '--out') out = resolve(argv[++i])
    else if (argv[i] === '--grid') full = argv[++i] === 'full'
  }
  return { data, out, full }
}

function describe(h: Hyper): string {
  const f = h.features
  return [
    f.words ? (f.trigrams ? 'w123' : 'w12') : '',
    f.folded ? 'fold' : '',
    f.charNgrams.length ? `c${f.charNgrams.join('')}` : '',
    f.cues ? 'cues' : '',
    f.lead ? 'lead' : '',
    `l2=${h.l2}`,
    `ep=${h.epochs}`,
    `pw=${h.posWeight}`,
  ]
    .filter(Boolean)
    .join(' ')
}

async function main(): Promise<void> {
  const { data, out, full } = parseArgs(process.argv.slice(2))
  const train = readRows(resolve(data, 'train.jsonl'))
  const val = readRows(resolve(data, 'val.jsonl'))
  console.log(`train ${train.length} rows, val ${val.length} rows from ${data}`)
  const yTr = train.map((r) => r.y)
  const yVa = val.map((r) => r.y)
  let best: { h: Hyper; t: Trained; threshold: number; scores: BinaryScores } | undefined
  for (const features of featureGrid(full)) {
    const fTr = train.map((r) => extractFeatures(r.title, r.lead, features))
    const fVa = val.map((r) => extractFeatures(r.title, r.lead, features))
    for (const l2 of full ? [1e-4, 1e-3, 1e-2, 3e-2, 1e-1] : [1e-3, 1e-2, 3e-2]) {
      for (const epochs of full ? [5, 15, 25] : [15, 25]) {
        for (const posWeight of full ? [1, 2] : [1]) {
          const h: Hyper = { features, l2, epochs, posWeight, minCount: 2 }
          const t = fitModel(fTr, yTr, h)
          const sel = bestThreshold(yVa, predictProba(t, fVa))
          if (full) console.log(`${describe(h)}  val macroF1 ${sel.scores.macroF1.toFixed(4)} @${sel.threshold}`)
          if (!best || sel.scores.macroF1 > best.scores.macroF1 + 1e-9) best = { h, t, ...sel }
        }
      }
    }
  }
  if (!best) throw new Error('empty grid')
  console.log(`chosen: ${describe(best.h)} threshold ${best.threshold}`)

  // 5-fold CV on train with the chosen settings and threshold: an estimate val did not tune.
  const fTr = train.map((r) => extractFeatures(r.title, r.lead, best.h.features))
  const folds = 5
  const cvPred: number[] = new Array(train.length).fill(0)
  for (let k = 0; k < folds; k++) {
    const tr = train.map((_, i) => i).filter((i) => i % folds !== k)
    const te = train.map((_, i) => i).filter((i) => i % folds === k)
    const t = fitModel(tr.map((i) => fTr[i]), tr.map((i) => yTr[i]), best.h)
    const p = predictProba(t, te.map((i) => fTr[i]))
    te.forEach((i, n) => {
      cvPred[i] = p[n] >= best.threshold ? 1 : 0
    })
  }
  const cv = binaryScores(yTr, cvPred)

  const weights: Record<string, number> = {}
  best.t.names.forEach((n, i) => {
    const w = Math.round(best.t.w[i] * 1e4) / 1e4
    if (Math.abs(w) >= 2e-3) weights[n] = w
  })
  const model: ClickbaitModel = {
    version: 1,
    features: best.h.features,
    bias: Math.round(best.t.b * 1e4) / 1e4,
    threshold: best.threshold,
    weights,
    meta: {
      trainedOn: 'ViClickbait-2025 train.jsonl (CC BY 4.0, see clickbait-model.ATTRIBUTION.md)',
      selectedOn: 'val.jsonl',
      hyper: { l2: best.h.l2, epochs: best.h.epochs, posWeight: best.h.posWeight, minCount: best.h.minCount },
      val: best.scores,
      trainCv5: cv,
    },
  }
  writeFileSync(out, `${JSON.stringify(model)}\n`)
  // Re-score val through the public API from the written file: what ships is what is reported.
  loadClickbaitModel(JSON.parse(readFileSync(out, 'utf8')) as ClickbaitModel)
  const shipped = binaryScores(
    yVa,
    val.map((r) => (scoreClickbait(r.title, r.lead).clickbait ? 1 : 0)),
  )
  console.log(`features kept: ${Object.keys(weights).length}, file ${out}`)
  console.log(
    `val macro-F1 ${shipped.macroF1.toFixed(4)}  clickbait-F1 ${shipped.clickbaitF1.toFixed(4)}  accuracy ${shipped.accuracy.toFixed(4)}`,
  )
  console.log(`train 5-fold CV macro-F1 ${cv.macroF1.toFixed(4)}  clickbait-F1 ${cv.clickbaitF1.toFixed(4)}`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main()
}
