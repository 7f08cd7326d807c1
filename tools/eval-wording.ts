/**
 * False positives of the wording checks on the office's own texts, and true positives on texts
 * that do assert unverified claims or carry a clickbait headline in the body.
 *
 *   npx tsx tools/eval-wording.ts [--set dev|heldout|demo|all] [--errors] [--text-dir DIR]
 *
 * Office texts (`src/text/fixtures/office-texts.*.jsonl`): releases, warnings and verdicts as
 * offices write them, several provinces, Northern and Southern forms, both tone placements
 * ("hòa"/"hoà"). `dev` is what the rules were written against; `heldout` was written at the same
 * time and is only scored, never tuned on; `demo` is the seed-demo content (src/modules/demo,
 * copied). A text counts as a false positive when the wording checks (guilt, stage term,
 * unverified, sensational) find anything in its title or body, and, separately, when the title
 * pasted as the first line of the body is flagged as clickbait.
 *
 * `--text-dir DIR` loads `check.ts` and `wording.ts` from another copy of `src/text` (for the
 * figures before a change: `git archive HEAD src/text | tar -x -C /tmp/old`, then
 * `--text-dir /tmp/old/src/text`).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { checkText as CheckTextFn } from '../src/text/check.ts'
import { prepareText } from '../src/text/normalize.ts'
import type { checkWording as CheckWordingFn } from '../src/text/wording.ts'
import { stripMarkdown } from '../src/modules/releases/markdown-text.ts'

/** One text of the office. */
export interface OfficeText {
  /** Stable id (d…: dev, h…: held-out, demo-…: demo). */
  id: string
  /** release, warning, verdict, or a demo release kind. */
  kind: string
  /** Province the text is written for. */
  province: string
  /** Regional forms used: north, central, south. */
  region: string
  /** Tone placement in "oa/oe/uy" syllables: new ("hòa") or old-style ("hoà"). */
  tones: string
  /** Headline. */
  title: string
  /** Body (Markdown when `markdown`). */
  text: string
  /** Whether `text` is Markdown (the demo releases), checked as the editor panel does. */
  markdown?: boolean
}

/** A text that must be flagged. */
export interface PositiveText {
  /** Stable id. */
  id: string
  /** What must be found: an unverified-claim finding, or a clickbait line in the body. */
  expect: 'unverified' | 'clickbait'
  /** Body (no separate title). */
  text: string
}

const FIXTURES = fileURLToPath(new URL('../src/text/fixtures/', import.meta.url))

function readJsonl<T>(file: string): T[] {
  return readFileSync(path.join(FIXTURES, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as T)
}

/**
 * Reads the office texts.
 * @param set `dev` (written against), `heldout` (never tuned on), `demo` (seed-demo copy)
 */
export function loadOfficeTexts(set: 'dev' | 'heldout' | 'demo'): OfficeText[] {
  return readJsonl<OfficeText>(`office-texts.${set}.jsonl`)
}

/** Reads the texts that must be flagged. */
export function loadPositiveTexts(): PositiveText[] {
  return readJsonl<PositiveText>('wording-positives.jsonl')
}

/** The two check functions, from this tree or from another copy of src/text. */
export interface Checkers {
  /** Body and title checks, as the product runs them. */
  checkText: typeof CheckTextFn
  /** The wording checks alone. */
  checkWording: typeof CheckWordingFn
}

/**
 * Loads the checkers.
 * @param textDir a copy of `src/text` (default: this tree's)
 */
export async function loadCheckers(textDir?: string): Promise<Checkers> {
  const dir = textDir ? path.resolve(textDir) : fileURLToPath(new URL('../src/text/', import.meta.url))
  const check = await import(pathToFileURL(path.join(dir, 'check.ts')).href)
  const wording = await import(pathToFileURL(path.join(dir, 'wording.ts')).href)
  return { checkText: check.checkText, checkWording: wording.checkWording }
}

/** Figures of one run. */
export interface WordingEval {
  /** Office texts scored. */
  texts: number
  /** Office texts with any wording finding (title or body). */
  wordingFalsePositives: number
  /** Office texts whose title, pasted as the first line of the body, is flagged as clickbait. */
  clickbaitFalsePositives: number
  /** Positives of each kind, and how many were found. */
  positives: { unverified: { n: number; found: number }; clickbait: { n: number; found: number } }
  /** One line per mistake. */
  errors: string[]
}

/**
 * Scores office texts (false positives) and the positive texts (true positives).
 * @param office the office texts
 * @param positives texts that must be flagged
 * @param c the checkers
 */
export function evaluateWording(office: OfficeText[], positives: PositiveText[], c: Checkers): WordingEval {
  const errors: string[] = []
  let wordingFalsePositives = 0
  let clickbaitFalsePositives = 0
  for (const o of office) {
    const body = prepareText(o.markdown ? stripMarkdown(o.text) : o.text).text
    const title = prepareText(o.title).text
    const found = [...c.checkWording(title), ...c.checkWording(body)]
    if (found.length > 0) {
      wordingFalsePositives++
      errors.push(`FP wording ${o.id}: ${found.map((f) => `${f.kind}:"${f.text}"`).join(', ')}`)
    }
    const pasted = c.checkText({ text: `${title}\n\n${body}` })
    const cb = pasted.findings.filter((f) => f.kind === 'clickbait')
    if (cb.length > 0) {
      clickbaitFalsePositives++
      errors.push(`FP clickbait ${o.id}: ${cb.map((f) => f.text).join(' | ')}`)
    }
  }
  const pos = { unverified: { n: 0, found: 0 }, clickbait: { n: 0, found: 0 } }
  for (const p of positives) {
    const r = c.checkText({ text: p.text })
    const hit = r.findings.some((f) => f.kind === p.expect)
    pos[p.expect].n++
    if (hit) pos[p.expect].found++
    else errors.push(`FN ${p.expect} ${p.id}: ${p.text.slice(0, 80).replace(/\n+/g, ' ⏎ ')}`)
  }
  return { texts: office.length, wordingFalsePositives, clickbaitFalsePositives, positives: pos, errors }
}

const pct = (a: number, b: number) => (b === 0 ? '—' : `${((100 * a) / b).toFixed(1)}%`)

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const arg = (name: string) => {
    const i = args.indexOf(name)
    return i >= 0 ? args[i + 1] : undefined
  }
  const set = arg('--set') ?? 'all'
  const sets = (set === 'all' ? ['dev', 'heldout', 'demo'] : [set]) as ('dev' | 'heldout' | 'demo')[]
  const checkers = await loadCheckers(arg('--text-dir'))
  const positives = loadPositiveTexts()
  for (const s of sets) {
    const r = evaluateWording(loadOfficeTexts(s), s === sets[0] ? positives : [], checkers)
    console.log(
      `${s.padEnd(8)} texts ${r.texts}  wording FP ${r.wordingFalsePositives} (${pct(r.wordingFalsePositives, r.texts)})  ` +
        `clickbait-line FP ${r.clickbaitFalsePositives} (${pct(r.clickbaitFalsePositives, r.texts)})`,
    )
    if (s === sets[0]) {
      const { unverified: u, clickbait: k } = r.positives
      console.log(`positives unverified ${u.found}/${u.n}  clickbait in body ${k.found}/${k.n}`)
    }
    if (args.includes('--errors')) for (const e of r.errors) console.log(`  ${e}`)
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((e) => {
    console.error(e)
    process.exit(1)
  })
}
