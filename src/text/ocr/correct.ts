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
 *   e/ê, u/ư) and the tone marks, and mostly in one direction: Be Vietnam Pro's "a" is read as
 *   "ơ" or "o" about one time in five, "â" as "ô" one in four, the reverse almost never. Each
 *   run of words between punctuation is decoded as a whole (Viterbi): every word may stay or
 *   become a known syllable one or two such changes away (a vowel's quality and the tone), a
 *   garbled "a" ("ø", a final "g") included; the reading chosen is the likeliest under a
 *   syllable-pair model of the lexicon's texts (`lexicon.ts`, pair counts smoothed toward
 *   syllable counts) plus a channel cost per change, counted per direction on the dev half of
 *   tools/eval-ocr.ts. So "đỡ vào cuộc" becomes "đã vào cuộc" while "giúp đỡ" stays, and
 *   "Công ơn" becomes "Công an" while "cảm ơn" stays.
 * - Noise. Curly quotes become straight ones (the model writes “ ” for most drawn "), a line of
 *   lone symbols read into an avatar is dropped, and so is a brace read from a bubble's corner.
 *   A timestamp's small "2" read as a "Z" glued to its unit ("Zgiờ"), lost spaces ("2giờ",
 *   "VănT." before a masked initial), a "0" among capitals ("0TP") and platform names one or two
 *   letters off ("Fdcebook") are put right.
 *
 * NFC throughout. The tone placement of a word left as read stays ("hoà" stays "hoà"); a word
 * changed is written with the lexicon's placement.
 */
import { canonicalTones } from '../normalize.ts'
import { editDistance } from './cer.ts'
import { lexiconSize, lexKey, pairCountOfKeys, syllableCount } from './lexicon.ts'

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

interface Token {
  word: string
  start: number
  end: number
}

/**
 * Costs (negative log-odds) of the ways the model misreads a syllable, the channel half of the
 * decoder. Counted on the dev half of tools/eval-ocr.ts's renders (raw output aligned with the
 * text drawn): Be Vietnam Pro's "a" is read as "ơ" or "o" about one time in five and "â" as "ô"
 * one in four, while the other direction (an "o" read as "a") almost never happens, so the
 * costs depend on the direction.
 */
export const CORRECTION_COSTS = {
  /** "a" read as "o" or "ơ". */
  aAsO: 1.4,
  /** "â" read as "ô". */
  circumflexAsO: 1.4,
  /** "ă" read as "ô" or "o". */
  breveAsO: 3.2,
  /** "a" read as "u" ("Cúc" for "Các"). */
  aAsU: 5.5,
  /** Any other change of one vowel's quality in a group. */
  quality: 6,
  /** A tone mark read as another, or lost. */
  tone: 8,
  /** A tone mark read where there was none (mostly a hook above: "kỉ" for "ki"). */
  toneAdded: 6,
  /** "d" for "đ" or back. */
  dd: 5,
  /** Letters that are no Vietnamese vowel ("ø", "g", "q", "d") where an "a" was drawn. */
  garble: 3,
}
/** Added-count smoothing of the pair model toward the syllable model ({@link pairLogProb}). */
export const CORRECTION_MODEL = { pairSmoothing: 4 }

/** The channel cost of reading `cand` as `obs` when they differ by one vowel quality. */
function qualityCost(obs: string, cand: string): number {
  const a = units(obs)
  const b = units(cand)
  if (a.length !== b.length) return CORRECTION_COSTS.quality
  for (let i = 0; i < a.length; i++) {
    const qa = (a[i] as Unit).quality
    const qb = (b[i] as Unit).quality
    if (qa === qb) continue
    if ((qa === 'o' || qa === 'o\u031b') && qb === 'a') return CORRECTION_COSTS.aAsO
    if (qa === 'o\u0302' && qb === 'a\u0302') return CORRECTION_COSTS.circumflexAsO
    if ((qa === 'o\u0302' || qa === 'o') && qb === 'a\u0306') return CORRECTION_COSTS.breveAsO
    if (qa === 'u' && qb === 'a') return CORRECTION_COSTS.aAsU
    return CORRECTION_COSTS.quality
  }
  return CORRECTION_COSTS.quality
}

/** "u" for "a" ("Cúc" for "Các"): outside the vowel groups of {@link confusions}, each "u" as "a". */
function uForA(word: string): string[] {
  const us = units(word)
  const out: string[] = []
  us.forEach((u, i) => {
    if (u.quality !== 'u') return
    const c = us.map((x) => ({ ...x }))
    ;(c[i] as Unit).quality = 'a'
    out.push(join(c))
  })
  return out
}

const TONE_MARK = /[\u0300\u0301\u0303\u0309\u0323]/u
/** The channel cost of reading `cand` as `obs` when they differ in the tone only. */
const toneCost = (obs: string, cand: string): number =>
  TONE_MARK.test(obs.normalize('NFD')) && !TONE_MARK.test(cand.normalize('NFD')) ? CORRECTION_COSTS.toneAdded : CORRECTION_COSTS.tone

/** Whether two words differ only in their tone marks. */
const sameLetters = (a: string, b: string): boolean =>
  a.normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '') ===
  b.normalize('NFD').replace(/[\u0300\u0301\u0303\u0309\u0323]/g, '')

/** Garbled "a": "ø", "g", "q" or "d" (one or two letters, with a neighbouring "ơ"/"o") where an "a" was drawn. */
function garbled(word: string): string[] {
  const out = new Set<string>()
  const chars = [...word]
  for (let i = 0; i < chars.length; i++)
    for (let len = 1; len <= 2 && i + len <= chars.length; len++) {
      const sub = chars.slice(i, i + len).join('')
      if (!/[øgqd]/u.test(sub) || (len === 2 && !/^(?:[øgq][øoơ]|[oơ][øgq]|[øgq]{2})$/u.test(sub))) continue
      // A "g"/"d" that begins a syllable is a consonant ("gì", "dân"); only inside or at the end.
      if (i === 0 && /^[gqd]/u.test(sub)) continue
      for (const v of ['a', 'o']) out.add(chars.slice(0, i).join('') + v + chars.slice(i + len).join(''))
    }
  out.delete(word)
  return [...out]
}

interface Candidate {
  /** Lower-case form. */
  form: string
  /** Channel cost of this reading. */
  cost: number
  /** Lexicon key of the form. */
  key: string
  /** Its count in the lexicon. */
  count: number
  /** −log P(form) under the syllable model. */
  uni: number
}

/** Readings already worked out, by context flag and word (the same words recur in every text). */
const candidateCache = new Map<string, Candidate[]>()

/** The readings of one observed word (lower case), with their channel costs; the word itself first. */
function candidates(lower: string, context: boolean): Candidate[] {
  const cacheKey = `${context ? 1 : 0}${lower}`
  const hit = candidateCache.get(cacheKey)
  if (hit) return hit
  if (candidateCache.size > 50_000) candidateCache.clear()
  const found = findCandidates(lower, context)
  candidateCache.set(cacheKey, found)
  return found
}

function findCandidates(lower: string, context: boolean): Candidate[] {
  const make = (form: string, cost: number): Candidate => {
    const key = lexKey(form)
    return { form, cost, key, count: syllableCount(key), uni: uniLogProb(key) }
  }
  const own = make(lower, 0)
  const known = own.count > 0
  if (known && !context) return [own]
  const out = new Map<string, number>()
  const put = (form: string, cost: number): void => {
    form = lexKey(form)
    if (syllableCount(form) < MIN_COUNT || form === lexKey(lower)) return
    if (cost < (out.get(form) ?? Number.POSITIVE_INFINITY)) out.set(form, cost)
  }
  for (const c of confusions(lower)) {
    const cost = sameLetters(c, lower)
      ? toneCost(lower, c)
      : c[0] !== lower[0] && /^[dđ]/.test(c)
        ? CORRECTION_COSTS.dd
        : qualityCost(lower, c)
    put(c, cost)
    // A quality change with a tone change ("hồng" for "hãng").
    if (!sameLetters(c, lower)) for (const c2 of confusions(c)) if (sameLetters(c2, c)) put(c2, cost + toneCost(c, c2))
  }
  for (const c of uForA(lower)) put(c, qualityCost(lower, c))
  if (!known)
    for (const g of garbled(lower))
      for (const c of [g, ...confusions(g)]) put(c, CORRECTION_COSTS.garble + (c === g ? 0 : CORRECTION_COSTS.tone))
  out.delete(lower)
  return [own, ...[...out].map(([form, cost]) => make(form, cost))]
}

/** −log P(word), add-0.1 smoothed over the lexicon's syllables. */
function uniLogProb(w: string): number {
  const { total, types } = lexiconSize()
  return -Math.log((syllableCount(w) + 0.1) / (total + 0.1 * types))
}

/** −log P(b | a): the pair count interpolated with the syllable model. */
function pairLogProb(a: Candidate, b: Candidate): number {
  const k = CORRECTION_MODEL.pairSmoothing
  return -Math.log((pairCountOfKeys(a.key, b.key) + k * Math.exp(-b.uni)) / (a.count + k))
}

/**
 * Chooses the likeliest reading of a run of words (separated by spaces only) under the
 * syllable-pair model and the channel costs (Viterbi). Returns the chosen lower-case forms.
 */
function decodeRun(words: string[], context: boolean): string[] {
  const cands = words.map((w) => candidates(w, context))
  let scores = (cands[0] as Candidate[]).map((c) => c.cost + c.uni)
  const back: number[][] = []
  for (let i = 1; i < cands.length; i++) {
    const prev = cands[i - 1] as Candidate[]
    const cur = cands[i] as Candidate[]
    const next: number[] = []
    const bp: number[] = []
    for (const c of cur) {
      let best = Number.POSITIVE_INFINITY
      let arg = 0
      prev.forEach((p, j) => {
        const s = (scores[j] as number) + (context ? pairLogProb(p, c) : c.uni)
        if (s < best) {
          best = s
          arg = j
        }
      })
      next.push(best + c.cost)
      bp.push(arg)
    }
    scores = next
    back.push(bp)
  }
  let k = scores.indexOf(Math.min(...scores))
  const out: string[] = new Array(words.length)
  for (let i = cands.length - 1; i >= 0; i--) {
    out[i] = (cands[i] as Candidate[])[k]?.form as string
    if (i > 0) k = (back[i - 1] as number[])[k] as number
  }
  return out
}

const SENTENCE_END = /[.!?…:]\s*$|^\s*$/u

/**
 * Drops what the model reads into pictures: a line made mostly of lone symbols ("H ˆ ^ P4 Z.
 * ri ˆ Mì # … =." from an avatar) and a lone brace at a line's end (a bubble's rounded corner).
 */
function dropNoise(s: string): string {
  return s
    .split('\n')
    .filter((line) => {
      const toks = line.trim().split(/\s+/u).filter(Boolean)
      // Marks that text seldom has standing alone (a minus, a per cent, a slash do).
      const symbols = toks.filter((t) => /^[ˆ^~#=<>|{}\\`_*]+[.,]*$/u.test(t)).length
      const words = toks.filter((t) => syllableCount(t.replace(/[^\p{L}]/gu, '')) >= MIN_COUNT && /\p{L}{2}/u.test(t)).length
      return !(symbols >= 3 && words * 2 < toks.length)
    })
    .map((line) => line.replace(/\s+[{}|]\s*$/u, ''))
    .join('\n')
}

/**
 * Latin-script names that Vietnamese rumours and scam messages carry (platforms, apps), which the
 * Vietnamese model misreads like any word ("Fdcebook") and no syllable lexicon holds.
 */
const PLATFORMS = [
  'Facebook',
  'Fanpage',
  'Messenger',
  'Zalo',
  'TikTok',
  'YouTube',
  'Telegram',
  'Instagram',
  'Google',
  'Gmail',
  'Shopee',
  'Lazada',
  'MoMo',
  'VNeID',
  'Viber',
  'iPhone',
  'Android',
  'Livestream',
  'Website',
]
const PLATFORM_BY_LOWER = new Map(PLATFORMS.map((p) => [p.toLowerCase(), p]))

/**
 * The platform name `word` is a misreading of: not a syllable, five letters at least, one
 * letter off (two from eight letters), and nearer to that name than to any other. The name as
 * written right stays as it is (an all-capitals "FACEBOOK" too).
 */
function nearestPlatform(word: string): string | null {
  const lower = word.toLowerCase()
  const n = [...lower].length
  if (n < 5 || PLATFORM_BY_LOWER.has(lower) || syllableCount(lower) > 0) return null
  const limit = n >= 8 ? 2 : 1
  let best: string | null = null
  let bestD = limit + 1
  let tie = false
  for (const [l, p] of PLATFORM_BY_LOWER) {
    if (Math.abs(l.length - n) > limit) continue
    const d = editDistance(l, lower)
    if (d < bestD) {
      best = p
      bestD = d
      tie = false
    } else if (d === bestD) tie = true
  }
  return best && !tie ? best : null
}

/** Time units a post's timestamp is written with ("2 giờ", "5 phút"). */
const TIME_UNIT = 'giờ|phút|giây|ngày|tuần|tháng|năm'
const GLUED_TWO = new RegExp(`(^|[\\s(])[Zz](${TIME_UNIT})(?=$|[\\s.,;:!?)])`, 'gmu')
/** A number glued to its time unit ("2giờ"). */
const GLUED_NUMBER = new RegExp(`(?<![\\p{L}\\p{N}])(\\d{1,2})(${TIME_UNIT})(?=$|[\\s.,;:!?)])`, 'gmu')
/** A name's syllable glued to the initial that masks the given name ("VănT." for "Văn T."). */
const GLUED_INITIAL = /(?<![\p{L}])(\p{Lu}\p{Ll}+)(\p{Lu}\.)/gu
/**
 * Digits and letters of one shape, and lost spaces: a small "2" read as "Z" and glued to its unit
 * ("Zgiờ" for a post's "2 giờ"; Vietnamese has no "z" before a syllable), a number glued to its
 * unit ("2giờ"), a name's syllable glued to a masked initial ("VănT." for "Văn T.", the way
 * police news names suspects), and a "0" among capitals ("0TP" for "OTP", "C0VID"; two capitals
 * at least, and no other digit in the word).
 */
function digitsInWords(s: string): string {
  return s
    .replace(GLUED_TWO, '$12 $2')
    .replace(GLUED_NUMBER, '$1 $2')
    .replace(GLUED_INITIAL, (m, name: string, initial: string) =>
      syllableCount(name.toLowerCase()) >= MIN_COUNT ? `${name} ${initial}` : m,
    )
    .replace(/(?<![\p{L}\p{N}])[\p{Lu}0]{3,}(?![\p{L}\p{N}])/gu, (w) =>
      w.includes('0') && /\p{Lu}.*\p{Lu}/u.test(w) ? w.replace(/0/g, 'O') : w,
    )
}

/**
 * Corrects OCR output (see the module comment). Pure; the lexicon is loaded once.
 * @param text Tesseract's text
 * @param o.pairs use the syllable-pair model, so that a known syllable may be replaced on its
 *   neighbours' evidence (default on; off for the evaluation's ablation: only non-syllables change)
 * @returns NFC text, line breaks kept
 */
export function correctOcrText(text: string, o: { pairs?: boolean } = {}): string {
  // Curly quotes for straight ones: the model writes “ ” for most drawn ", and either means the same.
  const s = digitsInWords(dropNoise(text.normalize('NFC').replace(/[“”„]/gu, '"').replace(/[‘’]/gu, "'")))
  const tokens: Token[] = []
  for (const m of s.matchAll(WORD_RE)) tokens.push({ word: m[0], start: m.index, end: m.index + m[0].length })
  const words = tokens.map((t) => t.word)
  tokens.forEach((tok, i) => {
    const after = s.slice(tok.end, tokens[i + 1]?.start ?? s.length)
    const prevTok = tokens[i - 1]
    const nextTok = tokens[i + 1]
    const word = tok.word
    const shape = shapeOf(word)
    const lower = word.toLowerCase()
    // An "l" before a capital inside a mixed-case word is an "I" ("VNelD" for "VNeID").
    if (shape === 'mixed' && /l\p{Lu}/u.test(word) && /\p{Lu}.*\p{Lu}/u.test(word)) words[i] = word.replace(/l(?=\p{Lu})/gu, 'I')
    // The platforms rumours and scams name, one or two letters off ("Fdcebook").
    const platform = nearestPlatform(word)
    if (platform) words[i] = platform
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
        if (shape === 'upper' || !titled) words[i] = titled ? applyShape(lower, 'title') : lower
      }
    }
  })
  // Letters and marks: each run of words separated by spaces only is decoded as a whole.
  const context = o.pairs !== false
  let runStart = 0
  for (let i = 0; i <= tokens.length; i++) {
    const t = tokens[i]
    const prev = tokens[i - 1]
    const joined = t && prev && /^[ \t\n]*$/.test(s.slice(prev.end, t.start))
    if (i > runStart && !joined) {
      const idx: number[] = []
      for (let k = runStart; k < i; k++) idx.push(k)
      const lowers = idx.map((k) => {
        const w = words[k] as string
        const sh = shapeOf(w)
        // Mixed case and capitals that are no syllable (acronyms) are read as they are.
        return sh === 'mixed' || (sh === 'upper' && syllableCount(w) === 0) ? null : w.toLowerCase()
      })
      // Decode the stretches between fixed words.
      let a = 0
      while (a < idx.length) {
        if (lowers[a] === null) {
          a++
          continue
        }
        let b = a
        while (b < idx.length && lowers[b] !== null) b++
        const chosen = decodeRun(lowers.slice(a, b) as string[], context)
        for (let k = a; k < b; k++) {
          const w = words[idx[k] as number] as string
          const c = chosen[k - a] as string
          // A changed word is written with the lexicon's tone placement (a tone moved to another vowel reads right).
          if (c !== w.toLowerCase()) words[idx[k] as number] = applyShape(lexKey(c), shapeOf(w))
        }
        a = b
      }
    }
    if (!joined) runStart = i
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
