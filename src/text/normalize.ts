/**
 * Vietnamese text basics shared by the content checks, search and claim matching:
 * NFC normalisation, legacy-encoding repair (TCVN3/ABC and VNI-Windows), HTML to text,
 * diacritic folding and syllable tokenisation. Pure functions, no I/O.
 */

/** A syllable-like token with UTF-16 offsets into the string given to {@link tokenize}. */
export interface Token {
  /** The token as it appears in the input. */
  text: string
  /** UTF-16 offset of the first code unit. */
  start: number
  /** UTF-16 offset one past the last code unit. */
  end: number
}

/** The encoding {@link fixLegacyEncoding} detected in its input. */
export type TextEncoding = 'unicode' | 'tcvn3' | 'vni'

/** Result of {@link fixLegacyEncoding}. */
export interface LegacyFixResult {
  /** The text in Unicode (NFC); the input unchanged when it was already Unicode. */
  text: string
  /** The encoding the input was detected to be in. */
  encoding: TextEncoding
}

// ---------------------------------------------------------------------------
// TCVN3 (ABC, fonts .VnTime…): one byte per letter; text pasted from such a document
// shows the bytes as Latin-1 characters ("C«ng an tØnh Thanh Hãa").
// Upper-case toned letters only exist in the separate ".VnTimeH" fonts, which reuse the
// lower-case codes, so they decode to lower case — there is no way to tell them apart.

/** Byte (as a Latin-1 code point) → Unicode letter, for TCVN3. */
export const TCVN3_TABLE: ReadonlyMap<number, string> = new Map<number, string>([
  [0xa1, 'Ă'],
  [0xa2, 'Â'],
  [0xa3, 'Ê'],
  [0xa4, 'Ô'],
  [0xa5, 'Ơ'],
  [0xa6, 'Ư'],
  [0xa7, 'Đ'],
  [0xa8, 'ă'],
  [0xa9, 'â'],
  [0xaa, 'ê'],
  [0xab, 'ô'],
  [0xac, 'ơ'],
  [0xad, 'ư'],
  [0xae, 'đ'],
  [0xb5, 'à'],
  [0xb6, 'ả'],
  [0xb7, 'ã'],
  [0xb8, 'á'],
  [0xb9, 'ạ'],
  [0xbb, 'ằ'],
  [0xbc, 'ẳ'],
  [0xbd, 'ẵ'],
  [0xbe, 'ắ'],
  [0xc6, 'ặ'],
  [0xc7, 'ầ'],
  [0xc8, 'ẩ'],
  [0xc9, 'ẫ'],
  [0xca, 'ấ'],
  [0xcb, 'ậ'],
  [0xcc, 'è'],
  [0xce, 'ẻ'],
  [0xcf, 'ẽ'],
  [0xd0, 'é'],
  [0xd1, 'ẹ'],
  [0xd2, 'ề'],
  [0xd3, 'ể'],
  [0xd4, 'ễ'],
  [0xd5, 'ế'],
  [0xd6, 'ệ'],
  [0xd7, 'ì'],
  [0xd8, 'ỉ'],
  [0xdc, 'ĩ'],
  [0xdd, 'í'],
  [0xde, 'ị'],
  [0xdf, 'ò'],
  [0xe1, 'ỏ'],
  [0xe2, 'õ'],
  [0xe3, 'ó'],
  [0xe4, 'ọ'],
  [0xe5, 'ồ'],
  [0xe6, 'ổ'],
  [0xe7, 'ỗ'],
  [0xe8, 'ố'],
  [0xe9, 'ộ'],
  [0xea, 'ờ'],
  [0xeb, 'ở'],
  [0xec, 'ỡ'],
  [0xed, 'ớ'],
  [0xee, 'ợ'],
  [0xef, 'ù'],
  [0xf1, 'ủ'],
  [0xf2, 'ũ'],
  [0xf3, 'ú'],
  [0xf4, 'ụ'],
  [0xf5, 'ừ'],
  [0xf6, 'ử'],
  [0xf7, 'ữ'],
  [0xf8, 'ứ'],
  [0xf9, 'ự'],
  [0xfa, 'ỳ'],
  [0xfb, 'ỷ'],
  [0xfc, 'ỹ'],
  [0xfd, 'ý'],
  [0xfe, 'ỵ'],
])

const TCVN3_RE = /[\u00a1-\u00fe]/g

/** Decodes TCVN3 text that was read as Latin-1. Characters outside the table pass through. */
export function decodeTcvn3(s: string): string {
  return s.replace(TCVN3_RE, (c) => TCVN3_TABLE.get(c.charCodeAt(0)) ?? c)
}

// ---------------------------------------------------------------------------
// VNI-Windows: a base ASCII letter followed by one mark byte ("Hoùa" = Hóa, "Ñoàng" = Đồng);
// ơ, ư, đ and the toned i / ỵ are single bytes.

const TONE_MARKS = ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'] // none, huyền, sắc, hỏi, ngã, nặng
const VNI_TONE_LO = ['', 'ø', 'ù', 'û', 'õ', 'ï']
const VNI_TONE_UP = ['', 'Ø', 'Ù', 'Û', 'Õ', 'Ï']
// Circumflex combined with a tone (â + tone), breve combined with a tone (ă + tone).
const VNI_CIRC_LO = ['â', 'à', 'á', 'å', 'ã', 'ä']
const VNI_CIRC_UP = ['Â', 'À', 'Á', 'Å', 'Ã', 'Ä']
const VNI_BREVE_LO = ['ê', 'è', 'é', 'ú', 'ü', 'ë']
const VNI_BREVE_UP = ['Ê', 'È', 'É', 'Ú', 'Ü', 'Ë']
const VNI_I_LO = ['i', 'ì', 'í', 'æ', 'ó', 'ò']
const VNI_I_UP = ['I', 'Ì', 'Í', 'Æ', 'Ó', 'Ò']

/** VNI sequence → Unicode letter. Built once; exported (read-only) for tests. */
export const VNI_TABLE: ReadonlyMap<string, string> = buildVniTable()

function buildVniTable(): Map<string, string> {
  const m = new Map<string, string>()
  const add = (seq: string, base: string, tone: number): void => {
    if (seq.length > 0 && !m.has(seq)) m.set(seq, (base + TONE_MARKS[tone]).normalize('NFC'))
  }
  for (let t = 0; t < 6; t++) {
    for (const v of 'aeouy') {
      if (t === 0) continue
      add(v + VNI_TONE_LO[t], v, t)
      const V = v.toUpperCase()
      add(V + VNI_TONE_UP[t], V, t)
      add(V + VNI_TONE_LO[t], V, t)
    }
    for (const v of 'aeo') {
      const circ = `${v}\u0302`
      const CIRC = `${v.toUpperCase()}\u0302`
      add(v + VNI_CIRC_LO[t], circ, t)
      add(v.toUpperCase() + VNI_CIRC_UP[t], CIRC, t)
      add(v.toUpperCase() + VNI_CIRC_LO[t], CIRC, t)
    }
    add(`a${VNI_BREVE_LO[t]}`, 'a\u0306', t)
    add(`A${VNI_BREVE_UP[t]}`, 'A\u0306', t)
    add(`A${VNI_BREVE_LO[t]}`, 'A\u0306', t)
    // ơ and ư are single bytes (ô, ö) followed by an optional tone byte.
    add(`ô${VNI_TONE_LO[t]}`, 'ơ', t)
    add(`Ô${VNI_TONE_UP[t]}`, 'Ơ', t)
    add(`Ô${VNI_TONE_LO[t]}`, 'Ơ', t)
    add(`ö${VNI_TONE_LO[t]}`, 'ư', t)
    add(`Ö${VNI_TONE_UP[t]}`, 'Ư', t)
    add(`Ö${VNI_TONE_LO[t]}`, 'Ư', t)
    if (t > 0) {
      add(VNI_I_LO[t], 'i', t)
      add(VNI_I_UP[t], 'I', t)
    }
  }
  m.set('î', 'ỵ')
  m.set('Î', 'Ỵ')
  m.set('ñ', 'đ')
  m.set('Ñ', 'Đ')
  return m
}

const VNI_RE = new RegExp(
  [...VNI_TABLE.keys()]
    .sort((a, b) => b.length - a.length)
    .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|'),
  'g',
)

/** Decodes VNI-Windows text that was read as Latin-1 ("Thanh Hoùa" → "Thanh Hóa"). */
export function decodeVni(s: string): string {
  return s.replace(VNI_RE, (seq) => VNI_TABLE.get(seq) ?? seq)
}

// ---------------------------------------------------------------------------
// Syllable validity: the detector asks "which reading yields more real Vietnamese syllables".

const SYLLABLE_RE = new RegExp(
  '^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?' +
    '(?:iêu|yêu|oai|oay|oao|oeo|uây|uôi|ươi|ươu|uya|uyê|uyu|' +
    'ai|ao|au|ay|âu|ây|eo|êu|ia|iê|iu|oa|oă|oe|oi|ôi|ơi|oo|ua|uâ|uê|ui|uô|uơ|uy|ưa|ưi|ươ|ưu|yê|' +
    '[aăâeêioôơuưy])' +
    '(?:ch|ng|nh|[cmnpt])?$',
)
const TONE_RE = /[\u0300\u0301\u0303\u0309\u0323]/g

/**
 * Whether `word` is a well-formed Vietnamese syllable (onset + rhyme, at most one tone).
 * Permissive on purpose: it only has to separate real syllables from mojibake.
 */
export function isVietnameseSyllable(word: string): boolean {
  const d = word.toLowerCase().normalize('NFD')
  const tones = d.match(TONE_RE)
  if (tones && tones.length > 1) return false
  const bare = d.replace(TONE_RE, '').normalize('NFC')
  return SYLLABLE_RE.test(bare)
}

const HAS_HIGH_LATIN1 = /[\u00a1-\u00fe]/
const readingCache = new Map<string, number>()

/** Bit 1: valid as Unicode, bit 2: valid read as TCVN3, bit 4: valid read as VNI (memoised). */
function readings(w: string): number {
  let v = readingCache.get(w)
  if (v === undefined) {
    v = (isVietnameseSyllable(w) ? 1 : 0) | (isVietnameseSyllable(decodeTcvn3(w)) ? 2 : 0) | (isVietnameseSyllable(decodeVni(w)) ? 4 : 0)
    if (readingCache.size > 50000) readingCache.clear()
    readingCache.set(w, v)
  }
  return v
}
const CANDIDATE_WORD_RE = /[\p{L}\u00a1-\u00fe]+/gu
const ASCII_LETTER = /[A-Za-z]/

/**
 * Detects text typed in a legacy Vietnamese encoding (TCVN3/ABC or VNI-Windows) and pasted
 * as Latin-1, and converts it to Unicode NFC. Detection counts words that become valid
 * Vietnamese syllables under each reading; Unicode wins ties, so genuine Unicode text
 * (which often contains Latin-1 letters like "ó", "à") is never converted by accident.
 * @param s any text (NFC or NFD)
 * @returns the converted text (NFC) and the detected encoding
 */
export function fixLegacyEncoding(s: string): LegacyFixResult {
  const nfc = s.normalize('NFC')
  if (!HAS_HIGH_LATIN1.test(nfc)) return { text: nfc, encoding: 'unicode' }
  let n = 0
  let uni = 0
  let tcvn = 0
  let vni = 0
  CANDIDATE_WORD_RE.lastIndex = 0
  for (const m of nfc.matchAll(CANDIDATE_WORD_RE)) {
    const w = m[0]
    // Words without an ASCII letter ("©", "°") say nothing about the encoding.
    if (!HAS_HIGH_LATIN1.test(w) || !ASCII_LETTER.test(w) || w.length > 12) continue
    n++
    const v = readings(w)
    uni += v & 1
    tcvn += (v >> 1) & 1
    vni += (v >> 2) & 1
    // Enough evidence: keeps long inputs fast. Unicode text settles as soon as no legacy
    // reading is gaining on it.
    if (n >= 2000 || (n >= 200 && uni >= Math.max(tcvn, vni))) break
  }
  const best = Math.max(tcvn, vni)
  if (n === 0 || best <= uni || best - uni < Math.max(1, 0.2 * n)) {
    return { text: nfc, encoding: 'unicode' }
  }
  // VNI wins ties with TCVN3: its mark bytes after a vowel are a much more specific signal.
  if (vni >= tcvn) return { text: decodeVni(nfc).normalize('NFC'), encoding: 'vni' }
  return { text: decodeTcvn3(nfc).normalize('NFC'), encoding: 'tcvn3' }
}

// ---------------------------------------------------------------------------
// Normalisation

const ZERO_WIDTH_RE = /[\u200b-\u200d\u2060\ufeff\u00ad]/g
const WS_RE = /\s+/g

/**
 * Unicode NFC + legacy-encoding repair, without changing anything else. Offsets reported by
 * the content checks refer to this form (it equals `s.normalize('NFC')` for Unicode input).
 * @returns the text and the detected encoding
 */
export function prepareText(s: string): LegacyFixResult {
  return fixLegacyEncoding(s)
}

/**
 * Canonical form for comparison and matching: NFC, legacy encodings converted, zero-width
 * characters and soft hyphens removed, every whitespace run collapsed to one space, trimmed.
 * Diacritics and case are kept (see {@link fold} for that).
 */
export function normalizeText(s: string): string {
  return fixLegacyEncoding(s).text.replace(ZERO_WIDTH_RE, '').replace(WS_RE, ' ').trim()
}

// ---------------------------------------------------------------------------
// Tone-mark placement. Two placements are in everyday use for the same syllable: the tone on
// the first vowel of an open "oa", "oe", "uy" ("hòa", "khỏe", "thủy": what most keyboards give
// and how place names are officially written, "Thanh Hóa", "Khánh Hòa") and the tone on the
// main vowel ("hoà", "khoẻ", "thuỷ": the phonological rule of the 1984 spelling rules and of
// today's school textbooks). Slips such as "qúy", "gìa" or "hòan" are common too. Comparison
// needs one form; this project's canonical form is the first one, which the content checks'
// patterns, the place-name lists and the reference data are written in. Folding (fold, fold_vi)
// drops tone marks altogether, so it agrees with this by construction.

const ONSET_RE = /^(?:ngh|ng|nh|ch|gh|gi|kh|ph|th|tr|qu|[bcdđghklmnprstvx])?/
const VOWELS = 'aăâeêioôơuưy'
const QUALITY_VOWELS = 'ăâêôơư'
const TONE_OF = /[\u0300\u0301\u0303\u0309\u0323]/
const toneCache = new Map<string, string>()

/**
 * One syllable with its tone mark on the canonical vowel, or the word unchanged when it is
 * not a Vietnamese syllable with exactly one tone mark. Case is kept letter by letter.
 */
function canonicalSyllable(word: string): string {
  const chars = [...word.normalize('NFD').matchAll(/\P{M}\p{M}*/gu)].map((m) => m[0])
  if (chars.length !== word.length || chars.length < 2) return word
  let toneAt = -1
  let tone = ''
  const bare: string[] = []
  for (let i = 0; i < chars.length; i++) {
    const t = TONE_OF.exec(chars[i])
    if (t) {
      if (toneAt >= 0) return word
      toneAt = i
      tone = t[0]
    }
    bare.push(chars[i].replace(TONE_OF, '').normalize('NFC').toLowerCase())
  }
  if (toneAt < 0) return word
  const plain = bare.join('')
  if (!isVietnameseSyllable(plain)) return word
  let onset = (ONSET_RE.exec(plain)?.[0] ?? '').length
  // "gi" is an onset only before another vowel ("già", "giếng"); in "gì", "gìn" the i is the vowel.
  if (plain.startsWith('gi') && onset === 2 && !VOWELS.includes(plain[2] ?? '')) onset = 1
  let end = onset
  while (end < plain.length && VOWELS.includes(plain[end])) end++
  const n = end - onset
  if (n === 0 || n > 3) return word
  let target = onset
  if (n > 1) {
    let marked = -1
    for (let i = onset; i < end; i++) if (QUALITY_VOWELS.includes(plain[i])) marked = i
    if (marked >= 0)
      target = marked // "người", "tuổi", "khuyến", "mưa", "hữu"
    else if (n === 3)
      target = onset + 1 // "ngoài", "xoáy", "khuỷu"
    else if (end < plain.length)
      target = onset + 1 // closed: "hoàn", "toán", "huỳnh"
    else target = onset // open: "hòa", "khỏe", "thủy", "mía", "múa", "túi"
  }
  if (target === toneAt) return word
  let out = ''
  for (let i = 0; i < chars.length; i++) {
    let c = chars[i].replace(TONE_OF, '')
    if (i === target) c = `${c[0]}${c.slice(1)}${tone}`
    out += c.normalize('NFC')
  }
  return out.length === word.length ? out : word
}

/**
 * The text with every syllable's tone mark on its canonical vowel: "hoà" → "hòa",
 * "Thuỷ" → "Thủy", "khoẻ" → "khỏe", "qúy" → "quý", "gìa" → "già", "hòan" → "hoàn". Used
 * wherever text is compared with its accents (the content checks' patterns, personal-data
 * rules, claim matching's accented keys, the verify page's word comparison). Everything else is
 * kept: for NFC input the result has the input's UTF-16 length, so offsets carry over.
 * @param text NFC text
 * @returns the text with one tone placement
 */
export function canonicalTones(text: string): string {
  return text.replace(/\p{L}{2,}/gu, (w) => {
    if (w.length > 7) return w // longer than any syllable ("nghiêng" has 7 letters)
    let c = toneCache.get(w)
    if (c === undefined) {
      c = canonicalSyllable(w)
      if (toneCache.size > 100_000) toneCache.clear()
      toneCache.set(w, c)
    }
    return c
  })
}

// ---------------------------------------------------------------------------
// Folding: per UTF-16 unit through lookup tables so that NFC input keeps its length and
// offsets computed on folded text map straight back to the original.

/**
 * Letters that Unicode decomposition does not fold but PostgreSQL's `unaccent` (hence
 * `fold_vi`) does, as pairs (letter, lower-case fold): the Icelandic Ð that some keyboards
 * and legacy fonts give for Đ, stroked letters (Ł, Ħ, Ƀ …) and a few more. Queries are folded
 * here and stored text in SQL, so both must agree; `fold-sql.test.ts` compares them letter by
 * letter on the real database.
 */
const SQL_FOLD =
  'ÐdØoðdøoĦhħhıiĸqĿlŀlŁlłlŊnŋnŦtŧtſsƀbƁbƂbƃbƇcƈcƉdƊdƋdƌdƐeƑfƒfƓgƖiƗiƘkƙkƚlƝnƞnƤpƥpƫtƬtƭtƮtƲvƳyƴyƵzƶzǢǣǣǣǤgǥgǮǯǯǯǼǽǽǽǾǿǿǿȡdȤzȥzȴlȵnȶtȷjȺaȻcȼcȽlȾtȿsɀzɃbɄuɆeɇeɈjɉjɌrɍrɎyɏyẚaẛẛẜsẝsỼvỽvỾyỿy'

let foldTable: Uint16Array | undefined
let foldLowerTable: Uint16Array | undefined

function buildFoldTables(): void {
  const keep = new Uint16Array(0x10000)
  const lower = new Uint16Array(0x10000)
  for (let c = 0; c < 0x10000; c++) {
    keep[c] = c
    const l = String.fromCharCode(c).toLowerCase()
    lower[c] = l.length === 1 ? l.charCodeAt(0) : c
  }
  const sqlFold = new Map<number, number>()
  for (let i = 0; i < SQL_FOLD.length; i += 2) sqlFold.set(SQL_FOLD.charCodeAt(i), SQL_FOLD.charCodeAt(i + 1))
  const foldChar = (c: number): number => {
    if (c === 0x111) return 0x64 // đ
    if (c === 0x110) return 0x44 // Đ
    const sql = sqlFold.get(c)
    if (sql !== undefined) {
      // The table is lower-case (as fold_vi gives it); an upper-case letter keeps its case.
      const ch = String.fromCharCode(c)
      const upper = String.fromCharCode(sql).toUpperCase()
      return ch !== ch.toLowerCase() && upper.length === 1 ? upper.charCodeAt(0) : sql
    }
    const base = String.fromCharCode(c)
      .normalize('NFD')
      .replace(/[\u0300-\u036f]/g, '')
    return base.length === 1 ? base.charCodeAt(0) : c
  }
  const ranges: [number, number][] = [
    [0xc0, 0x24f],
    [0x1e00, 0x1eff],
  ]
  for (const [a, b] of ranges) {
    for (let c = a; c <= b; c++) keep[c] = foldChar(c)
  }
  for (let c = 0; c < 0x10000; c++) lower[c] = lower[keep[c]] ?? keep[c]
  // Combining marks are dropped (marker 0), which is why NFD input gets shorter.
  for (let c = 0x300; c <= 0x36f; c++) {
    keep[c] = 0
    lower[c] = 0
  }
  foldTable = keep
  foldLowerTable = lower
}

function applyTable(s: string, table: Uint16Array): string {
  const n = s.length
  let out = ''
  let chunk: number[] = []
  for (let i = 0; i < n; i++) {
    const mapped = table[s.charCodeAt(i)]
    if (mapped !== 0 || s.charCodeAt(i) === 0) chunk.push(mapped)
    if (chunk.length >= 8192) {
      out += String.fromCharCode(...chunk)
      chunk = []
    }
  }
  return out + String.fromCharCode(...chunk)
}

/**
 * Removes Vietnamese (and other Latin) diacritics, keeping case: "Đồng Hành" → "Dong Hanh".
 * đ → d and Đ → D; combining marks are removed. For NFC input without stray combining marks
 * the output has exactly the input's UTF-16 length, so offsets carry over.
 */
export function foldDiacritics(s: string): string {
  if (!foldTable) buildFoldTables()
  return applyTable(s, foldTable as Uint16Array)
}

/**
 * Lower-cased {@link foldDiacritics}: "Thanh Hóa" → "thanh hoa". Same length guarantee
 * (lower-casing is done per code unit and never changes the length).
 */
export function fold(s: string): string {
  if (!foldLowerTable) buildFoldTables()
  return applyTable(s, foldLowerTable as Uint16Array)
}

// ---------------------------------------------------------------------------
// Tokenisation: Vietnamese is written one syllable per space-separated unit, so a token is a
// run of letters/digits; numbers keep their internal separators ("1.200", "2,5").

const TOKEN_RE = /[\p{L}\p{M}\p{N}]+(?:[.,]\p{N}+)*/gu

/**
 * Splits text into syllable tokens (letters, digits, combining marks) with UTF-16 offsets.
 * Punctuation, spaces and emoji are not tokens. Decimal and thousands separators between
 * digits stay inside the token.
 */
export function tokenize(s: string): Token[] {
  const out: Token[] = []
  for (const m of s.matchAll(TOKEN_RE)) {
    const start = m.index ?? 0
    out.push({ text: m[0], start, end: start + m[0].length })
  }
  return out
}

// ---------------------------------------------------------------------------
// HTML

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  copy: '©',
  reg: '®',
  middot: '·',
  bull: '•',
  deg: '°',
  Agrave: 'À',
  Aacute: 'Á',
  Acirc: 'Â',
  Atilde: 'Ã',
  Egrave: 'È',
  Eacute: 'É',
  Ecirc: 'Ê',
  Igrave: 'Ì',
  Iacute: 'Í',
  Ograve: 'Ò',
  Oacute: 'Ó',
  Ocirc: 'Ô',
  Otilde: 'Õ',
  Ugrave: 'Ù',
  Uacute: 'Ú',
  Yacute: 'Ý',
  agrave: 'à',
  aacute: 'á',
  acirc: 'â',
  atilde: 'ã',
  egrave: 'è',
  eacute: 'é',
  ecirc: 'ê',
  igrave: 'ì',
  iacute: 'í',
  ograve: 'ò',
  oacute: 'ó',
  ocirc: 'ô',
  otilde: 'õ',
  ugrave: 'ù',
  uacute: 'ú',
  yacute: 'ý',
}

/** Decodes HTML character references (named ones common in Vietnamese pages, and numeric). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});/gi, (all, ref: string) => {
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1))
      if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return all
      return String.fromCodePoint(cp)
    }
    return NAMED_ENTITIES[ref] ?? all
  })
}

const HTML_TAG_RE =
  /<\/?(?:p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|table|tr|td|th|img|html|body|head|article|section|figure|figcaption|blockquote|font|meta|script|style)\b[^>]*>/i

/** Whether the input looks like HTML markup (a known tag), as pasted from a web page. */
export function looksLikeHtml(s: string): boolean {
  return HTML_TAG_RE.test(s)
}

/**
 * HTML → plain text: drops scripts, styles and comments, turns block-level tags and `<br>`
 * into line breaks, removes other tags and decodes entities. Not a sanitiser — only for
 * reading the words.
 */
export function stripHtml(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<br\s*\/?>/gi, '\n')
      .replace(/<\/(?:p|div|h[1-6]|li|tr|blockquote|article|section|figcaption)\s*>/gi, '\n')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
