/**
 * Analysis for the claim matcher: a text → the features the pair score compares (canonical
 * tokens with their accented keys, numbers, places, negations, denial, actions, exclusive
 * choices, links). Pure; see `match-score.ts` for how they are compared.
 */
import {
  ABBREVIATIONS,
  ACTION_ACCENTS,
  ACTION_CLASSES,
  ACTION_UNMARKED_NEVER,
  CA_NEXT,
  CA_PREV,
  CAPITAL_ONLY_PLACES,
  CHOICE_ACCENTS,
  COMMON_POST_WORDS,
  COUNTED,
  DENIAL_MARKERS,
  EXCLUSIVE_GROUPS,
  FRAMING_WORDS,
  NEGATORS,
  NOT_NEGATION_AFTER,
  NOT_NEGATION_BEFORE,
  NUMBER_UNITS,
  NUMBER_WORDS,
  PLACE_SET,
  PLACES,
  PROVINCE_NAMES,
  QUESTION_OPENERS,
  SCOPE_BREAKERS,
  SCOPE_FILLERS,
  STOP_WORDS,
  SYNONYMS,
  TRUE_MARKERS,
  UNMARKED_NUMBER_WORDS,
} from './match-words.ts'
import { canonicalTones, fold, normalizeText, tokenize } from './normalize.ts'
import { extractUrls, URL_RE } from './url-canonical.ts'

/**
 * Only this many characters of a text take part in matching. Claims are a sentence or a
 * paragraph; a 1 MB paste is compared by its beginning, which keeps the cost bounded.
 */
export const MAX_MATCH_CHARS = 4000

/** One canonical token: its folded form and its tone-position-independent accented key. */
interface Tok {
  /** Folded, lower-case ("lua dao" parts: "lua", "dao"). */
  f: string
  /** Accented key; '' when unknown (unmarked text or an expanded abbreviation): matches any. */
  a: string
  /** Written with a capital letter (a name: "Ba Dội" is not "three"). */
  cap?: boolean
  /** Followed by punctuation or the end of the text (a clause ends here). */
  end?: boolean
}

/**
 * Everything the pair score needs about one text. Computed once per text; the index
 * recomputes it for the few hundred candidates it rescores.
 */
export interface ClaimFeatures {
  /** Syllables in the text as written (URLs excluded): the "long enough to merge" test. */
  syllables: number
  /** Whether the writer used Vietnamese marks (then marks are compared, e.g. bán ≠ bạn). */
  accented: boolean
  /** Canonical tokens in order (abbreviations expanded, synonyms replaced, numbers evaluated). */
  tokens: Tok[]
  /** Unique folded tokens → weight and the accented keys seen. */
  bag: Map<string, { w: number; a: Set<string> }>
  /** Sum of the bag's weights. */
  mass: number
  /**
   * Informative content words → weight, for containment (`containmentOf` in match-score.ts):
   * numbers 2, words of a named place 1.8, capitalised words (names) 1.5, other content words
   * 1, everyday post words (`COMMON_POST_WORDS`) 0.5, framing words 0.3; stop words are left out.
   */
  info: Map<string, number>
  /** Sum of {@link ClaimFeatures.info}'s weights. */
  infoMass: number
  /** Folded token bigrams (stop words skipped). */
  bigrams: Set<string>
  /** Character trigrams of the folded canonical text (stop words skipped). */
  trigrams: Set<string>
  /** Numeric values with units applied ("500k" = "500 nghìn" = 500000). */
  numbers: Set<string>
  /** Places (folded), the province itself excluded. */
  places: Set<string>
  /** The text as a whole is denied ("sai sự thật", "bịa đặt", "là giả", "clip cũ"). */
  denied: boolean
  /** Words under a negation ("không xả lũ" → xa, lu). */
  negated: Set<string>
  /** Says the claim is true ("là thật"). */
  affirmed: boolean
  /** Action / outcome classes. */
  actions: Set<string>
  /** Exclusive-group choices, as "group:alternative". */
  choices: Set<string>
  /** Canonical URLs. */
  urls: string[]
}

/** Accented key independent of where the tone mark sits ("hoá" = "hóa", "tuý" = "túy"). */
function accentKey(lower: string): string {
  let key = ACCENT_KEYS.get(lower)
  if (key === undefined) {
    // The one tone-placement normalisation of the project (normalize.ts), on NFC.
    key = canonicalTones(lower.normalize('NFC'))
    // Syllables are a closed set; the cap only guards against junk input.
    if (ACCENT_KEYS.size < 200_000) ACCENT_KEYS.set(lower, key)
  }
  return key
}
const ACCENT_KEYS = new Map<string, string>()

interface SynonymEntry {
  out: Tok[]
  len: number
}

const SYN_ACCENTED = new Map<string, SynonymEntry>()
const SYN_FOLDED = new Map<string, SynonymEntry>()
/**
 * One-syllable synonyms that may also match unmarked text. Others ("nhấn", "tông", "dân")
 * fold onto too many different words ("nhắn", "tổng", "dần").
 */
const UNMARKED_SINGLE_SYNONYMS = new Set(['lua', 'hack', 'click', 'app', 'video', 'fanpage', 'face', 'chem'])
let synMaxLen = 1
/** Folded first syllables of all synonym phrases: most tokens start none, so skip them fast. */
const SYN_FIRST = new Set<string>()

function phraseToks(phrase: string): Tok[] {
  return phrase
    .split(' ')
    .filter((w) => w.length > 0)
    .map((w) => ({ f: fold(w), a: accentKey(w) }))
}

function buildSynonyms(): void {
  const entries = Object.entries(SYNONYMS)
  // Canonical phrases map to themselves, so "lừa đảo" is not read as "lừa" + "đảo".
  for (const to of Object.values(SYNONYMS)) if (to.includes(' ') && !(to in SYNONYMS)) entries.push([to, to])
  for (const [from, to] of entries) {
    const words = from
      .normalize('NFC')
      .toLowerCase()
      .split(/[\s-]+/)
    synMaxLen = Math.max(synMaxLen, words.length)
    SYN_FIRST.add(fold(words[0]))
    const entry = { out: phraseToks(to), len: words.length }
    SYN_ACCENTED.set(words.map(accentKey).join(' '), entry)
    const foldKey = words.map((w) => fold(w)).join(' ')
    if (words.length > 1 || UNMARKED_SINGLE_SYNONYMS.has(foldKey)) {
      if (!SYN_FOLDED.has(foldKey) || fold(from) === from) SYN_FOLDED.set(foldKey, entry)
    }
  }
}
buildSynonyms()

const NUMBER_WORD_KEYS = new Map(Object.entries(NUMBER_WORDS).map(([w, v]) => [accentKey(w), v]))
const NEGATOR_KEYS = new Map(Object.entries(NEGATORS).map(([f, w]) => [f, accentKey(w)]))
const negKeyOf = (f: string): string | undefined => NEGATOR_KEYS.get(f)
const ACTION_ACCENT_KEYS = new Map(Object.entries(ACTION_ACCENTS).map(([f, w]) => [f, accentKey(w)]))
const CHOICE_ACCENT_KEYS = new Map(Object.entries(CHOICE_ACCENTS).map(([f, w]) => [f, accentKey(w)]))

/** First syllables of every structural phrase (denial, actions, choices, places): a fast skip. */
const STRUCTURE_FIRST: Set<string> = (() => {
  const all = [...DENIAL_MARKERS, ...TRUE_MARKERS, ...ACTION_CLASSES.keys(), ...EXCLUSIVE_GROUPS.flat(2), ...PLACES, ...PROVINCE_NAMES]
  return new Set(all.map((p) => p.split(' ')[0]))
})()

const EXCLUSIVE_INDEX: Map<string, string[]> = (() => {
  const m = new Map<string, string[]>()
  EXCLUSIVE_GROUPS.forEach((group, g) => {
    group.forEach((alts, k) => {
      for (const p of alts) m.set(p, [...(m.get(p) ?? []), `${g}:${k}`])
    })
  })
  return m
})()

const LETTER_DIGIT_RE = /^(\p{L}+)(\d+)$|^(\d+)(\p{L}+)$/u
const UPPER_RE = /^\p{Lu}/u
const LETTER_RE = /\p{L}/u

/** Parses a numeric token ("1.500.000", "2,5", "36") to a number, or NaN. */
function parseNumber(s: string): number {
  if (!/^\d/.test(s)) return Number.NaN
  // Vietnamese writes thousands with dots and decimals with a comma.
  if (/^\d{1,3}(\.\d{3})+$/.test(s)) return Number(s.replace(/\./g, ''))
  if (/^\d+,\d+$/.test(s)) return Number(s.replace(',', '.'))
  if (/^\d+(\.\d+)?$/.test(s)) return Number(s)
  if (/^\d{1,3}(,\d{3})+$/.test(s)) return Number(s.replace(/,/g, ''))
  return Number.NaN
}

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 1000) / 1000)
}

const EVENING = new Set(['dem', 'toi', 'chieu'])

interface Piece {
  raw: string
  lower: string
  f: string
  end: boolean
}

/**
 * Computes the features of a text (see {@link ClaimFeatures}). Pure; handles NFD, legacy
 * encodings (TCVN3/VNI), emoji and very long input (only the first {@link MAX_MATCH_CHARS}
 * characters are analysed).
 * @param text the claim text
 * @param alreadyNormalized the text is already {@link normalizeText}'s output (the index stores
 *   it so, which skips the legacy-encoding check when rescoring)
 */
export function analyzeClaim(text: string, alreadyNormalized = false): ClaimFeatures {
  const head = text.length > MAX_MATCH_CHARS * 4 ? text.slice(0, MAX_MATCH_CHARS * 4) : text
  const normalized = alreadyNormalized ? head : normalizeText(head)
  const clipped = normalized.length > MAX_MATCH_CHARS ? normalized.slice(0, MAX_MATCH_CHARS) : normalized
  const urls = extractUrls(clipped)
  const body = urls.length > 0 ? clipped.replace(URL_RE, ' ') : clipped
  const raw = tokenize(body)
  const syllables = raw.length

  // 1. Split letter/digit runs ("ql47", "500k"), note clause ends.
  const pieces: Piece[] = []
  for (let i = 0; i < raw.length; i++) {
    const t = raw[i]
    const gap = body.slice(t.end, i + 1 < raw.length ? raw[i + 1].start : body.length)
    const end = i + 1 === raw.length || /[.,;:!?…\n]/.test(gap)
    const m = LETTER_DIGIT_RE.exec(t.text)
    const parts = m ? (m[1] ? [m[1], m[2]] : [m[3], m[4]]) : [t.text]
    parts.forEach((p, k) => {
      const lower = p.toLowerCase()
      pieces.push({ raw: p, lower, f: fold(lower), end: end && k === parts.length - 1 })
    })
  }

  // 2. Abbreviations (only for tokens written without marks); decide whether the text is marked.
  let marked = 0
  let letters = 0
  const expanded: Tok[] = []
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i]
    const unmarked = p.lower.replace(/đ/g, 'd') === p.f
    const cap = UPPER_RE.test(p.raw) && i > 0 && !pieces[i - 1].end
    if (LETTER_RE.test(p.lower)) {
      letters++
      if (!unmarked) marked++
    }
    if (!unmarked) {
      expanded.push({ f: p.f, a: accentKey(p.lower), cap, end: p.end })
      continue
    }
    if (p.f === 'ca') {
      const next = pieces[i + 1]?.f ?? ''
      const prev = pieces[i - 1]?.f ?? ''
      if (p.raw === 'CA' || CA_NEXT.has(next) || CA_PREV.has(prev)) {
        expanded.push({ f: 'cong', a: '*' }, { f: 'an', a: '*', end: p.end })
        continue
      }
    }
    const exp = ABBREVIATIONS[p.lower]
    // "k"/"tr" right after a number are units ("500k"), not "không".
    const afterNumber = i > 0 && /^\d/.test(pieces[i - 1].f)
    if (exp && !(afterNumber && (p.f === 'k' || p.f === 'tr' || p.f === 'ty' || p.f === 'h'))) {
      const words = exp.split(' ')
      words.forEach((w, k) => {
        expanded.push({ f: fold(w), a: '*', end: p.end && k === words.length - 1 })
      })
      continue
    }
    expanded.push({ f: p.f, a: '=', cap, end: p.end })
  }
  // Texts with only a few marked syllables (a stray "đ") are treated as unmarked.
  const accented = letters > 0 && marked / letters >= 0.25
  for (const t of expanded) {
    // In a marked text a syllable without marks is written as meant ("xe", "an"); abbreviations
    // and unmarked texts match any marks.
    if (t.a === '=') t.a = accented && LETTER_RE.test(t.f) ? t.f : ''
    else if (t.a === '*' || !accented) t.a = ''
  }

  // 3. Synonyms, longest phrase first.
  const tokens: Tok[] = []
  for (let i = 0; i < expanded.length; ) {
    let hit: SynonymEntry | undefined
    if (!SYN_FIRST.has(expanded[i].f)) {
      tokens.push(expanded[i])
      i++
      continue
    }
    for (let len = Math.min(synMaxLen, expanded.length - i); len >= 1 && !hit; len--) {
      const span = expanded.slice(i, i + len)
      if (span.slice(0, -1).some((t) => t.end)) continue // a phrase does not cross a clause end
      if (accented && span.every((t) => t.a !== '')) hit = SYN_ACCENTED.get(span.map((t) => t.a).join(' '))
      if (!hit && span.some((t) => t.a === '')) {
        const candidate = SYN_FOLDED.get(span.map((t) => t.f).join(' '))
        // Mixed spans (some marked) must agree with the marks they have.
        if (
          candidate &&
          span.every((t, k) => t.a === '' || t.a === candidate.out[k]?.a || candidate.len !== candidate.out.length || t.a === t.f)
        )
          hit = candidate
      }
      if (hit && hit.len !== len) hit = undefined
    }
    if (hit) {
      const last = expanded[i + hit.len - 1]
      hit.out.forEach((t, k) => {
        tokens.push({ f: t.f, a: accented ? t.a : '', end: k === hit.out.length - 1 ? last.end : false })
      })
      i += hit.len
    } else {
      tokens.push(expanded[i])
      i++
    }
  }

  // 4. Numbers: "500 nghìn" → 500000, "hai người" → 2, "10 giờ đêm" → 22.
  const numbers = new Set<string>()
  const canon: Tok[] = []
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]
    const next = tokens[i + 1]?.f ?? ''
    let value = parseNumber(t.f)
    if (Number.isNaN(value) && !t.cap && !t.end && COUNTED.has(next)) {
      const word = t.a === '' ? UNMARKED_NUMBER_WORDS[t.f] : NUMBER_WORD_KEYS.get(t.a)
      if (word !== undefined) value = word
    }
    if (Number.isNaN(value)) {
      if (t.f.length > 0) canon.push(t)
      continue
    }
    let consumed = 0
    if (!t.end && NUMBER_UNITS[next] !== undefined) {
      value *= NUMBER_UNITS[next]
      consumed = 1
    } else if ((next === 'gio' || next === 'h') && value < 12 && EVENING.has(tokens[i + 2]?.f ?? '')) {
      value += 12
    }
    const v = formatNumber(value)
    numbers.add(v)
    canon.push({ f: v, a: '', end: tokens[i + consumed].end })
    i += consumed
  }

  // 5. Bag of words with weights, bigrams, trigrams.
  const bag = new Map<string, { w: number; a: Set<string> }>()
  let mass = 0
  const content: string[] = []
  for (const t of canon) {
    const w = STOP_WORDS.has(t.f) ? 0.15 : FRAMING_WORDS.has(t.f) ? 0.35 : /^\d/.test(t.f) ? 1.2 : 1
    let e = bag.get(t.f)
    if (!e) {
      e = { w, a: new Set() }
      bag.set(t.f, e)
      mass += w
    }
    if (t.a !== '') e.a.add(t.a)
    if (w >= 0.35) content.push(t.f)
  }
  const bigrams = new Set<string>()
  for (let i = 1; i < content.length; i++) bigrams.add(`${content[i - 1]} ${content[i]}`)
  const trigrams = new Set<string>()
  const joined = ` ${content.join(' ')} `
  for (let i = 0; i + 3 <= joined.length; i++) trigrams.add(joined.slice(i, i + 3))

  // 6. Claim structure: negation scope, denial, places, actions, exclusive choices.
  const fs = canon.map((t) => t.f)
  let denied = false
  let affirmed = false
  const negated = new Set<string>()
  const places = new Set<string>()
  const actions = new Set<string>()
  const choices = new Set<string>()
  let clauseStart = 0
  // phrases[len - 1] = the phrase of `len` tokens starting at i ('' past the end).
  const phrases = ['', '', '', '']
  for (let i = 0; i < fs.length; i++) {
    const f = fs[i]
    if (!STRUCTURE_FIRST.has(f) && negKeyOf(f) === undefined) {
      if (canon[i].end) clauseStart = i + 1
      continue
    }
    phrases[0] = f
    for (let len = 2; len <= 4; len++) phrases[len - 1] = i + len <= fs.length ? `${phrases[len - 2]} ${fs[i + len - 1]}` : ''
    const negKey = NEGATOR_KEYS.get(f)
    if (negKey !== undefined && (canon[i].a === '' || canon[i].a === negKey)) {
      const two = `${fs[i + 1] ?? ''} ${fs[i + 2] ?? ''}`
      const compound = NOT_NEGATION_AFTER.has(fs[i + 1] ?? '') || NOT_NEGATION_AFTER.has(two) || NOT_NEGATION_BEFORE.has(fs[i - 1] ?? '')
      // "Có ai biết … không?" — a clause-final "không" after a question opener asks.
      const question = canon[i].end && fs.slice(clauseStart, i).some((x) => QUESTION_OPENERS.has(x))
      if (!compound && !question) {
        // Scope: the next two content words of the clause, up to a preposition.
        // "không phải (của) X" negates X itself, across the preposition.
        const isNot = fs[i + 1] === 'phai'
        let taken = 0
        for (let j = i + 1; j < fs.length && taken < 2; j++) {
          if ((SCOPE_BREAKERS.has(fs[j]) && !isNot) || NEGATOR_KEYS.get(fs[j]) !== undefined) break
          if (!SCOPE_FILLERS.has(fs[j]) && !STOP_WORDS.has(fs[j])) {
            negated.add(fs[j])
            taken++
          }
          if (canon[j].end) break
        }
      }
    }
    for (let len = 4; len >= 2; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      if (DENIAL_MARKERS.has(p)) denied = true
      if (TRUE_MARKERS.has(p)) affirmed = true
    }
    for (let len = 3; len >= 1; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      const act = ACTION_CLASSES.get(p)
      if (act !== undefined) {
        if (actionMarksOk(p, canon[i].a)) actions.add(act)
        break
      }
    }
    for (let len = 3; len >= 1; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      const ch = EXCLUSIVE_INDEX.get(p)
      if (ch !== undefined) {
        if (choiceMarksOk(p, canon[i].a)) for (const c of ch) choices.add(c)
        break
      }
    }
    for (let len = 4; len >= 1; len--) {
      const p = phrases[len - 1]
      if (p === '') continue
      if (PLACE_SET.has(p) || PROVINCE_NAMES.has(p)) {
        if (!PROVINCE_NAMES.has(p) && (!CAPITAL_ONLY_PLACES.has(p) || canon[i].cap)) places.add(p)
        break
      }
    }
    if (canon[i].end) clauseStart = i + 1
  }
  addCapitalisedPlaces(body, places)

  // 7. Informativeness of each content word, for the asymmetric containment score.
  const placeWords = new Set<string>()
  for (const p of places) for (const w of p.split(' ')) placeWords.add(w)
  const info = new Map<string, number>()
  let infoMass = 0
  for (const t of canon) {
    if (STOP_WORDS.has(t.f)) continue
    const w = /^\d/.test(t.f)
      ? 2
      : placeWords.has(t.f)
        ? 1.8
        : t.cap
          ? 1.5
          : FRAMING_WORDS.has(t.f)
            ? 0.3
            : COMMON_POST_WORDS.has(t.f)
              ? 0.5
              : 1
    const prev = info.get(t.f)
    if (prev === undefined || prev < w) {
      info.set(t.f, w)
      infoMass += w - (prev ?? 0)
    }
  }

  return {
    syllables,
    accented,
    tokens: canon,
    bag,
    mass,
    info,
    infoMass,
    bigrams,
    trigrams,
    numbers,
    places,
    denied,
    negated,
    affirmed,
    actions,
    choices,
    urls,
  }
}

function actionMarksOk(p: string, a: string): boolean {
  const need = ACTION_ACCENT_KEYS.get(p)
  if (need === undefined) return true
  if (a === '') return !ACTION_UNMARKED_NEVER.has(p)
  return a === need
}

function choiceMarksOk(p: string, a: string): boolean {
  const need = CHOICE_ACCENT_KEYS.get(p)
  if (need === undefined) return true
  // Unmarked "ho", "bo", "cho", "nam" are too ambiguous (hồ, bỏ, cho, năm) to count.
  if (a === '') return p === 'gau' || p === 'trau' || p === 'ruou'
  return a === need
}

const CAPITALISED_AFTER_TYPE_RE =
  /(?:^|[^\p{L}])(?:xã|phường|huyện|thôn|bản|làng|tỉnh|quận|chợ|cầu|đèo|sông|hồ|đường|phố|thị trấn|thị xã|thành phố|TP\.?|ngã tư|ngã ba|cửa khẩu|khu công nghiệp|xóm)\s+((?:\p{Lu}[\p{Ll}\p{M}]*\s*){1,3})/gu

/** "xã Xuân Hòa", "chợ Tây Thành": a capitalised name after a place type, when not listed. */
function addCapitalisedPlaces(text: string, places: Set<string>): void {
  for (const m of text.matchAll(CAPITALISED_AFTER_TYPE_RE)) {
    const words = fold(m[1].trim().toLowerCase()).split(' ').slice(0, 3)
    let listed = false
    for (let len = words.length; len >= 1 && !listed; len--) {
      const p = words.slice(0, len).join(' ')
      if (PLACE_SET.has(p) || PROVINCE_NAMES.has(p)) listed = true
    }
    if (!listed && words[0].length > 0) places.add(words.slice(0, 2).join(' '))
  }
}
