/**
 * Vietnamese-aware correction of Tesseract's output. What it fixes, and only that:
 *
 * - Case. The LSTM model reads some lower-case letters with a capital shape as capitals: "TỪ
 *   ngày mai" for "Từ ngày mai", "Ở" for "ở" mid-sentence. A word in capitals that stands
 *   alone among lower-case words, whose lower-case form is a known syllable, is written in
 *   title case at a sentence's start or after a capitalised word (a name), else in lower case.
 *   Words in capitals next to other capitals (a headline, "CÔNG AN"), acronyms ("UBND", not a
 *   syllable) and initials ("T.") are left as they are.
 * - Letters and marks. At small sizes the model confuses vowels of one shape (a/ơ/o/â/ă/ô,
 *   e/ê, u/ư) and the tone marks (hook/tilde/acute). A word that is not a known syllable is
 *   replaced by the likeliest known syllable one such change away, by syllable and pair counts
 *   (`lexicon.ts`); a known syllable is replaced only when its neighbours never occur with it
 *   and do occur with the other reading, often ("Công ơn" → "Công an").
 *
 * NFC throughout. The tone placement is left as read ("hoà" stays "hoà"): CER is measured
 * against the text as written, and either placement is right.
 */
import { canonicalTones } from '../normalize.ts'
import { lexKey, pairCount, syllableCount } from './lexicon.ts'

const TONES = ['', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323'] as const
const TONE_SET = new Set<string>(TONES.filter(Boolean))
/** Vowel qualities (base + modifier, NFD) that the model confuses with one another. */
const VOWEL_GROUPS: string[][] = [
  ['a', 'a\u0306', 'a\u0302', 'o', 'o\u0302', 'o\u031b'],
  ['e', 'e\u0302'],
  ['u', 'u\u031b'],
]
const GROUP_OF = new Map<string, string[]>()
for (const g of VOWEL_GROUPS) for (const q of g) GROUP_OF.set(q, g)

interface Unit {
  /** Base letter with its quality modifier (breve, circumflex, horn), NFD. */
  quality: string
  tone: string
}

/** Splits a lower-case word into letter units (NFD). */
function units(word: string): Unit[] {
  const out: Unit[] = []
  for (const ch of word.normalize('NFD')) {
    const last = out[out.length - 1]
    if (TONE_SET.has(ch) && last) last.tone = ch
    else if (/[\u0302\u0306\u031b]/.test(ch) && last) last.quality += ch
    else out.push({ quality: ch, tone: '' })
  }
  return out
}

const join = (us: Unit[]): string =>
  us
    .map((u) => u.quality + u.tone)
    .join('')
    .normalize('NFC')

/** Syllables one confusion away from `word` (lower case): one vowel's quality, or the tone. */
export function confusions(word: string): string[] {
  const us = units(word)
  const out = new Set<string>()
  const toneAt = us.findIndex((u) => u.tone !== '')
  us.forEach((u, i) => {
    const group = GROUP_OF.get(u.quality)
    if (group)
      for (const q of group) {
        if (q === u.quality) continue
        const c = us.map((x) => ({ ...x }))
        ;(c[i] as Unit).quality = q
        out.add(join(c))
      }
  })
  // The tone: every other tone on the vowel that carries one (or on each vowel, if none).
  const vowelIdx = us.map((u, i) => (/[aeiouy]/.test(u.quality[0] ?? '') ? i : -1)).filter((i) => i >= 0)
  for (const i of toneAt >= 0 ? [toneAt] : vowelIdx)
    for (const t of TONES) {
      const c = us.map((x) => ({ ...x }))
      ;(c[i] as Unit).tone = t
      out.add(join(c))
    }
  // "d" and "đ".
  if (word.startsWith('d')) out.add(`đ${word.slice(1)}`)
  if (word.startsWith('đ')) out.add(`d${word.slice(1)}`)
  out.delete(word)
  return [...out]
}

type Shape = 'lower' | 'title' | 'upper' | 'mixed'
function shapeOf(w: string): Shape {
  if (w === w.toLowerCase()) return 'lower'
  if (w === w.toUpperCase()) return [...w].length === 1 ? 'title' : 'upper'
  const first = [...w][0] ?? ''
  const rest = w.slice(first.length)
  return first === first.toUpperCase() && rest === rest.toLowerCase() ? 'title' : 'mixed'
}
function applyShape(w: string, s: Shape): string {
  if (s === 'upper') return w.toUpperCase()
  if (s === 'title') {
    const first = [...w][0] ?? ''
    return first.toUpperCase() + w.slice(first.length)
  }
  return w
}

const WORD_RE = /\p{L}+/gu
/** Single letters whose capital has the lower-case shape (o/O, ư/Ư …): the only ones misread by case. */
const SAME_SHAPE_LETTER = /^[oôơuư]$/u
/** A known syllable's count needed to be trusted as a replacement. */
const MIN_COUNT = 2
/** Pair evidence needed to replace a known syllable: the other reading's pairs, at least. */
const MIN_PAIR_EVIDENCE = 3

interface Token {
  word: string
  start: number
  end: number
}

function contextScore(prev: string | null, cand: string, next: string | null): { uni: number; pairs: number } {
  return {
    uni: syllableCount(cand),
    pairs: (prev ? pairCount(prev, cand) : 0) + (next ? pairCount(cand, next) : 0),
  }
}

/** The lower-case reading of a word, changed if a likelier syllable is one confusion away. */
function fixLetters(lower: string, prev: string | null, next: string | null): string {
  const own = contextScore(prev, lower, next)
  let best = lower
  let bestScore = Number.NEGATIVE_INFINITY
  for (const c of confusions(lower)) {
    const s = contextScore(prev, c, next)
    if (s.uni < MIN_COUNT) continue
    const score = Math.log(1 + s.uni) + 3 * Math.log(1 + s.pairs)
    if (score > bestScore) {
      best = c
      bestScore = score
    }
  }
  if (best === lower) return lower
  const b = contextScore(prev, best, next)
  if (own.uni === 0) return best
  // A known syllable is only swapped on clear pair evidence: its own pairs unseen, the other's seen.
  if (own.pairs === 0 && b.pairs >= MIN_PAIR_EVIDENCE && b.uni >= own.uni) return best
  return lower
}

const SENTENCE_END = /[.!?…:]\s*$|^\s*$/u

/**
 * Corrects OCR output (see the module comment). Pure; the lexicon is loaded once.
 * @param text Tesseract's text
 * @param o.pairs the second pass over adjacent pairs (default on; off for the evaluation's ablation)
 * @returns NFC text, line breaks kept
 */
export function correctOcrText(text: string, o: { pairs?: boolean } = {}): string {
  const s = text.normalize('NFC')
  const tokens: Token[] = []
  for (const m of s.matchAll(WORD_RE)) tokens.push({ word: m[0], start: m.index, end: m.index + m[0].length })
  const out: string[] = []
  let last = 0
  let prevFixed: string | null = null
  tokens.forEach((tok, i) => {
    const before = s.slice(tokens[i - 1]?.end ?? 0, tok.start)
    const after = s.slice(tok.end, tokens[i + 1]?.start ?? s.length)
    const prevTok = tokens[i - 1]
    const nextTok = tokens[i + 1]
    // Only words separated by spaces are neighbours for the pair counts.
    const prevWord = prevTok && /^[ \t\n]*$/.test(before) ? prevFixed : null
    const nextWord = nextTok && /^[ \t\n]*$/.test(after) ? nextTok.word.toLowerCase() : null
    let word = tok.word
    const shape = shapeOf(word)
    const lower = word.toLowerCase()
    // Case: a capitalised word alone among lower-case words.
    const single = [...word].length === 1
    const sameShape =
      !single ||
      SAME_SHAPE_LETTER.test(
        lower
          .normalize('NFD')
          .replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '')
          .normalize('NFC'),
      )
    if ((shape === 'upper' || (shape === 'title' && single)) && sameShape) {
      const prevShape = prevTok ? shapeOf(prevTok.word) : null
      const nextShape = nextTok ? shapeOf(nextTok.word) : null
      const isolated =
        prevShape !== 'upper' && nextShape !== 'upper' && (nextShape === 'lower' || prevShape === 'lower') && !/^\./.test(after)
      const startOfSentence = SENTENCE_END.test(s.slice(0, tok.start))
      if (isolated && syllableCount(lower) >= MIN_COUNT) {
        const titled = startOfSentence || prevShape === 'title'
        if (shape === 'upper' || !titled) word = titled ? applyShape(lower, 'title') : lower
      }
    }
    // Letters and marks, in the word's (possibly corrected) case.
    const fixedShape = shapeOf(word)
    if (fixedShape !== 'mixed') {
      const fixed = fixLetters(word.toLowerCase(), prevWord, nextWord)
      if (fixed !== word.toLowerCase()) word = applyShape(fixed, fixedShape)
    }
    out.push(s.slice(last, tok.start), word)
    last = tok.end
    prevFixed = word.toLowerCase()
  })
  out.push(s.slice(last))
  return o.pairs === false ? out.join('') : fixPairs(out.join(''))
}

/** Pair evidence needed to change two adjacent known syllables together ("nghỉ vốn" → "nghi vấn"). */
const MIN_JOINT_PAIR = 8

/**
 * Second pass: two adjacent words never seen together, where changing one or both by one
 * confusion each gives a pair seen often. Both words keep their case shape.
 */
function fixPairs(s: string): string {
  const tokens: Token[] = []
  for (const m of s.matchAll(WORD_RE)) tokens.push({ word: m[0], start: m.index, end: m.index + m[0].length })
  const words = tokens.map((t) => t.word)
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i] as Token
    const b = tokens[i + 1] as Token
    if (!/^ $/.test(s.slice(a.end, b.start))) continue
    const wa = words[i] as string
    const wb = words[i + 1] as string
    const sa = shapeOf(wa)
    const sb = shapeOf(wb)
    if (sa === 'mixed' || sb === 'mixed' || sa === 'upper' || sb === 'upper') continue
    const la = wa.toLowerCase()
    const lb = wb.toLowerCase()
    if (pairCount(la, lb) > 0) continue
    let best: [string, string] | null = null
    let bestCount = MIN_JOINT_PAIR - 1
    for (const ca of [la, ...confusions(la)]) {
      if (syllableCount(ca) < MIN_COUNT) continue
      for (const cb of [lb, ...confusions(lb)]) {
        if (ca === la && cb === lb) continue
        const n = pairCount(ca, cb)
        if (n > bestCount && syllableCount(cb) >= MIN_COUNT) {
          best = [ca, cb]
          bestCount = n
        }
      }
    }
    if (best) {
      words[i] = applyShape(best[0], sa)
      words[i + 1] = applyShape(best[1], sb)
      i++
    }
  }
  let out = ''
  let last = 0
  tokens.forEach((t, i) => {
    out += s.slice(last, t.start) + words[i]
    last = t.end
  })
  return out + s.slice(last)
}

/** Whether a word's lower-case form (any tone placement) is a known syllable. */
export function isKnownWord(word: string): boolean {
  return syllableCount(lexKey(canonicalTones(word))) > 0
}
