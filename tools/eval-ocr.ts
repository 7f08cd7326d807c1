/**
 * OCR evaluation (issue 18): renders known Vietnamese texts as phone screenshots (post and
 * chat, light and dark, 1× and 2×, PNG and JPEG q40; src/text/ocr/render.ts) and reports the
 * character error rate (case-sensitive, after NFC and whitespace folding) of the plain engine
 * (Tesseract vie on the bytes as they are) against ours (preprocessing + correction), per
 * layout, theme, density and format.
 *
 *   npx tsx tools/eval-ocr.ts [--texts N] [--variants plain,ours,…] [--json]
 *   npx tsx tools/eval-ocr.ts --build-lexicon     (writes src/text/ocr/lexicon.json)
 *
 * The texts are the office's held-out texts and the claim fixtures, none of which feed the
 * lexicon the correction uses (built from ViClickbait-2025 and the office's dev/demo/training
 * texts only), so the correction is not scored on what it was built from.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type CerCount, cerCount } from '../src/text/ocr/cer.ts'
import { correctOcrText } from '../src/text/ocr/correct.ts'
import { createOcrEngine, type RecognizeOptions } from '../src/text/ocr/engine.ts'
import { buildLexicon } from '../src/text/ocr/lexicon.ts'
import { allSpecs, renderScreenshot, type ScreenshotSpec } from '../src/text/ocr/render.ts'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const FIX = path.join(ROOT, 'src/text/fixtures')

/** The evaluation texts: first paragraph of each held-out office text (≤ 320 chars), and the claims. */
export function evaluationTexts(limit = Number.POSITIVE_INFINITY): string[] {
  const out: string[] = []
  for (const line of readFileSync(path.join(FIX, 'office-texts.heldout.jsonl'), 'utf8').split('\n')) {
    if (!line.trim()) continue
    const row = JSON.parse(line) as { text: string }
    let para = (row.text.split(/\n\n/)[0] ?? '').trim()
    if (para.length > 320) para = para.slice(0, para.lastIndexOf(' ', 320))
    if (para) out.push(para)
  }
  for (const line of readFileSync(path.join(FIX, 'claims-candidates.txt'), 'utf8').split('\n')) {
    const s = line.trim()
    if (s && !s.startsWith('http')) out.push(s)
  }
  return out.slice(0, limit)
}

/** The variants compared: the plain engine, preprocessing steps alone, and ours. */
export const VARIANTS: Record<string, RecognizeOptions> = {
  plain: { unprocessed: true, raw: true },
  gray: { raw: true, prepare: { upscale: 1, invertDark: false } },
  invert: { raw: true, prepare: { upscale: 1 } },
  up2: { raw: true, prepare: { upscale: 2 } },
  up3: { raw: true, prepare: { upscale: 3 } },
  ours: {},
}

const key = (s: ScreenshotSpec): string => `${s.layout}/${s.theme}/${s.density}x/${s.format}`

/** Runs the evaluation; returns per variant the CER totals by spec key and by group. */
export async function evaluate(o: {
  texts: string[]
  variants: string[]
  specs?: ScreenshotSpec[]
}): Promise<Record<string, Record<string, CerCount>>> {
  const engine = createOcrEngine({ timeoutMs: 120_000 })
  const result: Record<string, Record<string, CerCount>> = {}
  const add = (v: string, k: string, c: CerCount): void => {
    const r = result[v] ?? {}
    result[v] = r
    const t = r[k] ?? { edits: 0, chars: 0 }
    r[k] = t
    t.edits += c.edits
    t.chars += c.chars
  }
  try {
    for (const spec of o.specs ?? allSpecs()) {
      for (const text of o.texts) {
        const shot = await renderScreenshot(text, spec)
        const clean = spec.format === 'png' ? 'clean' : 'jpeg40'
        const keys = [key(spec), `${clean}/${spec.density}x`, clean, spec.layout, spec.theme, 'all']
        for (const v of o.variants) {
          const r = await engine.recognize(shot.image, VARIANTS[v])
          for (const k of keys) add(v, k, cerCount(shot.reference, r.text))
          if (v === 'ours') {
            // The ablation from the same recognition: preprocessing alone, and the correction without its pair pass.
            for (const k of keys) add('ours:preprocess-only', k, cerCount(shot.reference, r.raw))
            for (const k of keys) add('ours:no-pair-pass', k, cerCount(shot.reference, correctOcrText(r.raw, { pairs: false })))
          }
        }
      }
    }
  } finally {
    await engine.close()
  }
  return result
}

const pct = (c: CerCount | undefined): string => (c ? `${((100 * c.edits) / Math.max(1, c.chars)).toFixed(2)} %` : '—')

async function main(argv: string[]): Promise<void> {
  if (argv.includes('--build-lexicon')) {
    const out = path.join(ROOT, 'src/text/ocr/lexicon.json')
    const lex = buildLexicon(lexiconSources())
    writeFileSync(out, `${JSON.stringify(lex)}\n`)
    console.log(`${out}: ${Object.keys(lex.unigrams).length} syllables, ${Object.keys(lex.bigrams).length} pairs`)
    return
  }
  const n = argv.indexOf('--texts')
  const texts = evaluationTexts(n >= 0 ? Number(argv[n + 1]) : Number.POSITIVE_INFINITY)
  const vi = argv.indexOf('--variants')
  const variants = vi >= 0 ? (argv[vi + 1] ?? '').split(',') : ['plain', 'ours']
  const t0 = performance.now()
  const r = await evaluate({ texts, variants })
  if (argv.includes('--json')) {
    console.log(JSON.stringify(r))
    return
  }
  const rows = Object.keys(r[variants[0] as string] ?? {}).sort()
  const cols = Object.keys(r)
  console.log(`${texts.length} texts × ${allSpecs().length} renders, ${((performance.now() - t0) / 1000).toFixed(0)} s`)
  console.log(['', ...cols].map((s) => s.padEnd(24)).join(''))
  for (const row of rows) console.log([row, ...cols.map((v) => pct(r[v]?.[row]))].map((s) => s.padEnd(24)).join(''))
}

/** The texts the lexicon is built from (never the evaluation texts). */
export function lexiconSources(): string[] {
  const texts: string[] = []
  const datasets = path.join(ROOT, '..', 'shared', 'datasets', 'viclickbait-2025')
  for (const f of ['train.jsonl', 'val.jsonl']) {
    for (const line of readFileSync(path.join(datasets, f), 'utf8').split('\n')) {
      if (!line.trim()) continue
      // The dataset writes a missing lead as a bare NaN (pandas); read it as null.
      const row = JSON.parse(line.replace(/:\s*NaN\b/g, ': null')) as { title?: string | null; lead_paragraph?: string | null }
      texts.push(row.title ?? '', row.lead_paragraph ?? '')
    }
  }
  for (const f of ['office-texts.dev.jsonl', 'office-texts.demo.jsonl', 'office-headlines.train.jsonl']) {
    for (const line of readFileSync(path.join(FIX, f), 'utf8').split('\n')) {
      if (!line.trim()) continue
      const row = JSON.parse(line) as Record<string, unknown>
      for (const k of ['title', 'text', 'headline']) if (typeof row[k] === 'string') texts.push(row[k] as string)
    }
  }
  return texts
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
