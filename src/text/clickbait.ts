/**
 * Clickbait score for Vietnamese headlines ("giật tít câu view"): a logistic regression on
 * L2-normalised sublinear TF-IDF (optionally averaged, in logit, with a second one on NB-weighted
 * binary features, Wang & Manning 2012) over syllable 1–2-grams with punctuation tokens,
 * hand-written cues, hits of hand-written word lists (emotive, hype, teaser, alarm, unnamed
 * person) and the headline's shape. When a lead paragraph (sapo) is given, a second such model
 * reads the lead like a headline and its weighted logit is added. Trained on ViClickbait-2025 by
 * `tools/train-clickbait.ts` and shipped as `clickbait-model.json`. Offline and fast.
 */
import { readFileSync } from 'node:fs'
import { fold, normalizeText } from './normalize.ts'

/** Which feature families a model uses (chosen by cross-validation on the training split). */
export interface FeatureConfig {
  /** Syllable unigrams and bigrams of the lower-cased headline, with sentence-boundary marks. */
  words: boolean
  /** Punctuation marks (? ! : " … , - ( ) %) as tokens inside the word n-grams ("sao ?"). */
  punctuation: boolean
  /** Also syllable trigrams. */
  trigrams: boolean
  /** Syllable unigrams and bigrams of the folded (diacritic-free) headline. */
  folded: boolean
  /** Character n-gram lengths (empty for none), over the folded lower-cased headline. */
  charNgrams: number[]
  /** Hand-written cues (question mark, "bất ngờ", leading number …). */
  cues: boolean
  /** Shape of the headline: length, proper-name and number counts, final punctuation. */
  shape: boolean
  /** Features of the lead paragraph, in their own namespace, when a lead is given. */
  lead: boolean
  /** Hits of hand-written word lists (emotive, hype, teaser, alarm, unnamed-person), one feature per list. */
  lexicon?: boolean
}

/**
 * One linear member of the ensemble. Its logit is `bias + Σ weights[j]·x[j]` where `x[j]` is
 * the feature's count (kind `binary`: 1 if present) or, for kind `tfidf-l2`, `(1 + ln count)`
 * divided by the L2 norm of the vector `(1 + ln count)·idf` over the vocabulary (the idf is
 * already folded into `weights`).
 */
export interface ClickbaitMember {
  /** How feature values are formed. */
  kind: 'binary' | 'tfidf-l2'
  /** Short description (weighting, regularisation), for people reading the file. */
  name: string
  /** Intercept. */
  bias: number
  /** Weight per vocabulary entry (same order as {@link ClickbaitModel.vocab}). */
  weights: number[]
  /** Inverse document frequency per vocabulary entry; `tfidf-l2` members only. */
  idf?: number[]
}

/** The model file format. */
export interface ClickbaitModel {
  /** Format version. */
  version: 2
  /** Feature families the weights were trained with. */
  features: FeatureConfig
  /** Decision threshold on the probability (chosen by cross-validation on train). */
  threshold: number
  /** Feature names; features outside the vocabulary are ignored. */
  vocab: string[]
  /** Linear members; the score is the sigmoid of the mean of their logits. */
  members: ClickbaitMember[]
  /**
   * A second model over the lead paragraph (sapo), used only when a lead is given: its logit,
   * times `weight`, is added to the headline's, and `threshold` replaces the headline-only one.
   */
  lead?: ClickbaitLeadModel
  /** Provenance and validation figures, for people reading the file. */
  meta?: Record<string, unknown>
}

/**
 * The lead-paragraph model: the same feature families as the headline model, extracted from the
 * lead as if it were a headline, with its own vocabulary and members.
 */
export interface ClickbaitLeadModel {
  /** Factor on the lead model's logit before it is added to the headline model's. */
  weight: number
  /** Decision threshold on the probability of headline + lead (chosen by cross-validation on train). */
  threshold: number
  /** Feature names of the lead model. */
  vocab: string[]
  /** Its linear members (mean logit), as in {@link ClickbaitModel.members}. */
  members: ClickbaitMember[]
}

/** Result of {@link scoreClickbait}. */
export interface ClickbaitResult {
  /** Probability-like score in [0, 1]; higher means more clickbait. */
  score: number
  /** Whether the score reaches the model's threshold. */
  clickbait: boolean
  /** Human-readable reasons ("vi / en") for the features that pushed the score up most. */
  reasons: string[]
}

/** A cue: a named pattern whose presence is a feature, with a reason shown to editors. */
interface Cue {
  id: string
  test: (h: HeadlineView) => boolean
  reason: string
}

/** Pre-computed forms of a headline that features read from. */
interface HeadlineView {
  raw: string
  lower: string
  syllables: string[]
  foldedSyllables: string[]
  /** No syllable carries a diacritic (typed without accents): phrases are then matched folded. */
  plain: boolean
}

// Phrases that tease instead of inform; matched on whole lower-case syllables (so that "sốc"
// does not fire inside "socola"), with diacritics — folded, "này" would fire on "hôm nay" —
// except in a headline typed without any diacritics, which is matched on its folded form.
const TEASER_PHRASES: [string, string][] = [
  ['bất ngờ', 'bất ngờ / "surprising"'],
  ['sốc', 'sốc / "shocking"'],
  ['gây sốt', 'gây sốt / "goes viral"'],
  ['không ngờ', 'không ngờ / "unexpected"'],
  ['ngỡ ngàng', 'ngỡ ngàng / "stunned"'],
  ['choáng', 'choáng / "stunned"'],
  ['lý do', 'lý do (không nói rõ) / teased "reason"'],
  ['sự thật', 'sự thật (bị giấu) / teased "truth"'],
  ['điều này', 'điều này / "this thing" (withheld referent)'],
  ['cái kết', 'cái kết / "the ending" teaser'],
  ['bí mật', 'bí mật / "secret"'],
  ['bí quyết', 'bí quyết / "secret trick"'],
  ['hé lộ', 'hé lộ / "revealed"'],
  ['tiết lộ', 'tiết lộ / "reveals"'],
  ['ai cũng', 'ai cũng / "everyone …"'],
  ['ít ai biết', 'ít ai biết / "few know"'],
  ['hóa ra', 'hóa ra / "turns out"'],
  ['thì ra', 'thì ra / "turns out"'],
  ['ra sao', 'ra sao / "how did it go?"'],
  ['thế nào', 'thế nào / "how?"'],
  ['là gì', 'là gì / "what is it?"'],
  ['vì sao', 'vì sao / "why?"'],
  ['tại sao', 'tại sao / "why?"'],
  ['khiến', 'khiến … / "makes you …"'],
  ['gây bão', 'gây bão / "causes a storm"'],
  ['xôn xao', 'xôn xao / "stirs"'],
  ['dân mạng', 'dân mạng / "netizens"'],
  ['nóng', 'nóng / "hot"'],
  ['kinh hoàng', 'kinh hoàng / "horrifying"'],
  ['trầm trồ', 'trầm trồ / "marvel at"'],
  ['thót tim', 'thót tim / "heart-stopping"'],
  ['hú vía', 'hú vía / "close call"'],
  ['nhất hành tinh', 'nhất hành tinh / superlative'],
  ['không thể tin', 'không thể tin / "unbelievable"'],
  ['bạn', 'bạn / second-person address'],
  ['nên biết', 'nên biết / "should know"'],
  ['cần biết', 'cần biết / "need to know"'],
  ['đừng', 'đừng / "don\'t …" imperative'],
  ['chỉ vì', 'chỉ vì / "just because"'],
  ['sau khi', 'sau khi … / "after …" teaser'],
  ['này', 'này / "this" (withheld referent)'],
]

// Teaser phrases are looked up by folded syllable n-grams (one map lookup per position)
// rather than one regex each: this is the hot loop of the scorer.
const PHRASE_CUES = new Map<string, { id: string; reason: string }>(
  TEASER_PHRASES.map(([phrase, reason]) => [fold(phrase), { id: `cue:${fold(phrase).replace(/ /g, '_')}`, reason }]),
)
const PHRASE_CUES_EXACT = new Map<string, { id: string; reason: string }>(
  TEASER_PHRASES.map(([phrase]) => [phrase, PHRASE_CUES.get(fold(phrase)) as { id: string; reason: string }]),
)

/** The teaser cue of a phrase (lower-case syllables) as found in a headline of the given kind. */
function cueOf(phrase: string, plain: boolean): { id: string; reason: string } | undefined {
  return plain ? PHRASE_CUES.get(fold(phrase)) : PHRASE_CUES_EXACT.get(phrase)
}

/** What a run of syllables is in the teaser-phrase and word-list tables. */
interface PhraseEntry {
  /** The teaser cue of this phrase. */
  cue?: { id: string; reason: string }
  /** The word list holding this phrase. */
  lex?: number
  /** Some longer phrase starts with this one. */
  longer: boolean
}

/** Teaser phrases and word-list phrases in one table, with every proper prefix marked. */
function phraseTable(cues: Map<string, { id: string; reason: string }>, lex: Map<string, number>): Map<string, PhraseEntry> {
  const table = new Map<string, PhraseEntry>()
  const entry = (k: string): PhraseEntry => {
    let e = table.get(k)
    if (!e) {
      e = { longer: false }
      table.set(k, e)
    }
    return e
  }
  for (const [k, c] of cues) entry(k).cue = c
  for (const [k, g] of lex) entry(k).lex = g
  for (const k of [...table.keys()]) {
    const parts = k.split(' ')
    for (let n = 1; n < parts.length; n++) entry(parts.slice(0, n).join(' ')).longer = true
  }
  return table
}

let phrasesExact: Map<string, PhraseEntry> | undefined
let phrasesFolded: Map<string, PhraseEntry> | undefined

// Also counts lexicon hits per list into `lexHits` when given: one pass for both. A run of
// syllables is extended only while it is the start of some phrase, so most positions cost one
// look-up.
function phraseCues(h: HeadlineView, out: FeatureSink, prefix = '', lexHits?: number[]): void {
  phrasesExact ??= phraseTable(PHRASE_CUES_EXACT, LEX_PHRASES)
  phrasesFolded ??= phraseTable(PHRASE_CUES, LEX_FOLDED)
  const f = h.plain ? h.foldedSyllables : h.syllables
  const table = h.plain ? phrasesFolded : phrasesExact
  for (let i = 0; i < f.length; i++) {
    let key = f[i]
    for (let n = 1; n <= 3 && i + n <= f.length; n++) {
      if (n > 1) key += ` ${f[i + n - 1]}`
      const e = table.get(key)
      if (!e) break
      if (e.cue) out.flag(prefix ? prefix + e.cue.id : e.cue.id)
      if (lexHits && e.lex !== undefined) lexHits[e.lex]++
      if (!e.longer) break
    }
  }
}

const CUES: Cue[] = [
  { id: 'cue:question', test: (h) => /[?？]/.test(h.raw), reason: 'câu hỏi gợi tò mò / question mark' },
  { id: 'cue:exclaim', test: (h) => /[!！]/.test(h.raw), reason: 'dấu chấm than / exclamation mark' },
  { id: 'cue:ellipsis', test: (h) => /…|\.\.\./.test(h.raw), reason: 'dấu ba chấm / ellipsis' },
  {
    id: 'cue:quote',
    test: (h) => /['‘’"“”]/.test(h.raw),
    reason: 'cụm từ trong ngoặc kép / phrase in quotes',
  },
  {
    id: 'cue:lead_number',
    test: (h) => /^\d{1,2}\s+\p{L}/u.test(h.raw),
    reason: 'mở đầu bằng con số (dạng danh sách) / listicle number first',
  },
  {
    id: 'cue:allcaps',
    test: (h) => /(?:^|\s)[A-ZĐÀ-Ỹ]{2,}(?:\s+[A-ZĐÀ-Ỹ]{2,})+(?:\s|$)/u.test(h.raw) && !/^[A-Z0-9\s]+$/.test(h.raw),
    reason: 'chữ IN HOA / ALL CAPS words',
  },
  {
    id: 'cue:colon',
    test: (h) => /:/.test(h.raw),
    reason: 'dấu hai chấm / colon',
  },
  {
    id: 'cue:short',
    test: (h) => h.syllables.length <= 7,
    reason: 'tít rất ngắn, thiếu thông tin / very short headline',
  },
  {
    id: 'cue:long',
    test: (h) => h.syllables.length >= 22,
    reason: 'tít rất dài / very long headline',
  },
]

const CUE_REASONS = new Map([
  ...CUES.map((c) => [c.id, c.reason] as const),
  ...[...PHRASE_CUES.values()].map((c) => [c.id, c.reason] as const),
])

// Word lists whose hits are counted per group ("lex:emo" = 1, "lex:emo2" = 1 from two hits on), so
// that rare emotive or teasing words share one weight instead of each needing to be seen in
// training. Matched on lower-case syllable 1–3-grams with diacritics (folded only in a headline
// typed without any), like the teaser phrases. Written by hand from
// general knowledge of Vietnamese headline style (a few entries after reading cross-validation
// errors on the training split); the model learns how much each group counts.
const LEXICON: { id: string; reason: string; words: string[] }[] = [
  {
    id: 'lex:emo',
    reason: 'từ ngữ cảm xúc mạnh / emotional wording',
    words: [
      'sốc',
      'choáng',
      'choáng váng',
      'sững sờ',
      'ngỡ ngàng',
      'bàng hoàng',
      'giật mình',
      'thót tim',
      'hú vía',
      'rùng mình',
      'kinh hoàng',
      'kinh ngạc',
      'trầm trồ',
      'thở phào',
      'vỡ òa',
      'bật khóc',
      'nghẹn ngào',
      'xúc động',
      'rơi nước mắt',
      'hoang mang',
      'tột độ',
      'hốt hoảng',
      'hãi hùng',
      'ngã ngửa',
      'té ngửa',
      'cạn lời',
      'phát hoảng',
      'điếng người',
      'lặng người',
      'nổi da gà',
      'rợn người',
      'sởn gai ốc',
      'phấn khích',
      'xót xa',
      'đau lòng',
      'cảm động',
      'ấm lòng',
      'ngán ngẩm',
      'bức xúc',
      'phẫn nộ',
      'nổi giận',
      'gay gắt',
      'mỉa mai',
      'khóc',
      'hoảng hốt',
      'sợ hãi',
      'tiếc nuối',
      'mê mẩn',
      'ngượng',
      'xấu hổ',
      'khiếp',
      'hết hồn',
      'thương cảm',
      'ám ảnh',
      'ngao ngán',
      'bất bình',
      'lo lắng',
      'thích thú',
      'cười',
      'ngất',
    ],
  },
  {
    id: 'lex:hype',
    reason: 'từ ngữ phóng đại / hype or superlative',
    words: [
      'siêu',
      'khủng',
      'cực',
      'cực kỳ',
      'vô cùng',
      'chưa từng',
      'chưa từng có',
      'chưa từng thấy',
      'khó tin',
      'không tưởng',
      'kỷ lục',
      'nhất thế giới',
      'nhất hành tinh',
      'bậc nhất',
      'đỉnh cao',
      'đỉnh',
      'ngoạn mục',
      'kịch tính',
      'bùng nổ',
      'chấn động',
      'gây bão',
      'gây sốt',
      'dậy sóng',
      'rúng động',
      'náo loạn',
      'tăng vọt',
      'lao dốc',
      'cắm đầu',
      'bốc hơi',
      'chóng mặt',
      'ngất ngưởng',
      'tiền tỷ',
      'tiền tỉ',
      'bạc tỷ',
      'nghìn tỷ',
      'triệu đô',
      'hút hồn',
      'mê hoặc',
      'quyến rũ',
      'nóng bỏng',
      'sexy',
      'gợi cảm',
      'lột xác',
      'đốn tim',
      'độc lạ',
      'kỳ lạ',
      'lạ lùng',
      'bí ẩn',
      'kỳ bí',
      'định mệnh',
      'thảm họa',
      'tai họa',
      'thịnh nộ',
      'khốc liệt',
      'hiên ngang',
      'lịch sử',
      'vô địch',
      'thần kỳ',
      'kỳ diệu',
      'thần thánh',
      'huyền thoại',
      'đẳng cấp',
      'xịn',
      'sang chảnh',
      'đắt đỏ',
      'rẻ bèo',
      'bất chấp',
      'liều mạng',
      'tranh cãi',
      'gây tranh cãi',
      'ồn ào',
      'lùm xùm',
      'drama',
      'viral',
      'hot',
      'tâm điểm',
      'nghìn like',
      'triệu view',
      'đình đám',
      'nổi tiếng',
      'mỹ nhân',
      'nam thần',
      'nữ thần',
      'tuyệt đẹp',
      'đẹp như',
      'tiên cảnh',
      'thiên đường',
      'choáng ngợp',
      'ấn tượng',
      'cực phẩm',
      'chất lừ',
      'đỉnh chóp',
      'tuyệt vời',
      'hoàn hảo',
      'đáng sợ',
      'nguy hiểm',
      'kinh dị',
      'rợn',
      'thảm',
      'tệ hại',
      'tồi tệ',
      'thất bại nhất',
      'giàu nhất',
      'đẹp nhất',
      'xấu nhất',
      'đắt nhất',
      'rẻ nhất',
      'nhất',
    ],
  },
  {
    id: 'lex:tease',
    reason: 'gợi tò mò, giấu thông tin / curiosity teaser',
    words: [
      'lộ diện',
      'lộ',
      'hé lộ',
      'tiết lộ',
      'thực hư',
      'sự thật',
      'bí mật',
      'bí quyết',
      'bí kíp',
      'mẹo',
      'tuyệt chiêu',
      'chiêu',
      'hóa ra',
      'thì ra',
      'ai ngờ',
      'nào ngờ',
      'không ngờ',
      'cái kết',
      'điều này',
      'lý do',
      'nguyên nhân',
      'hậu quả',
      'khoảnh khắc',
      'cảnh tượng',
      'phản ứng',
      'động thái',
      'tình trạng',
      'số phận',
      'hiện tại',
      'bây giờ',
      'giờ ra sao',
      'thế nào',
      'ra sao',
      'là ai',
      'là gì',
      'vì sao',
      'tại sao',
      'có nên',
      'điều gì',
      'cái gì',
      'ai',
      'gì',
      'nào',
      'đâu',
      'bao nhiêu',
      'chuyện gì',
      'sau cùng',
      'cuối cùng',
      'danh tính',
      'tung',
      'chiêu trò',
      'câu chuyện',
      'màn',
      'loạt',
      'đây là',
      'đó là',
      'những điều',
      'điều',
      'lời cảnh báo',
      'thứ này',
      'loại',
      'cách',
      'món',
      'chỉ với',
      'chỉ cần',
      'chỉ vì',
      'nhờ',
    ],
  },
  {
    id: 'lex:warn',
    reason: 'lời cảnh báo gây lo lắng / alarm wording',
    words: [
      'cảnh báo',
      'sai lầm',
      'tránh',
      'đừng',
      'tuyệt đối',
      'cấm',
      'khẩn',
      'khẩn cấp',
      'cần biết',
      'nên biết',
      'lưu ý',
      'coi chừng',
      'cẩn thận',
      'cẩn trọng',
      'đe dọa',
      'hiểm họa',
      'nguy cơ',
      'tác hại',
      'âm thầm',
      'thủ phạm',
      'sát thủ',
      'kẻ thù',
      'khắc tinh',
    ],
  },
  {
    id: 'lex:who',
    reason: 'nhân vật không nêu tên, đời tư / unnamed person or private life',
    words: [
      'cô gái',
      'chàng trai',
      'người đàn ông',
      'người phụ nữ',
      'nam thanh niên',
      'thiếu nữ',
      'cụ ông',
      'cụ bà',
      'bé gái',
      'bé trai',
      'nữ sinh',
      'nam sinh',
      'nàng hậu',
      'hot girl',
      'hotgirl',
      'nữ ca sĩ',
      'nam ca sĩ',
      'nữ diễn viên',
      'nam diễn viên',
      'sao nam',
      'sao nữ',
      'sao việt',
      'nghệ sĩ',
      'danh ca',
      'đại gia',
      'cặp đôi',
      'bạn trai',
      'bạn gái',
      'tình cũ',
      'người yêu',
      'mẹ chồng',
      'nàng dâu',
      'con dâu',
      'mẹ bỉm',
      'nam nsưt',
      'nữ nsưt',
      'ca sĩ',
      'diễn viên',
      'mc',
      'người mẫu',
      'chồng',
      'vợ',
      'con gái',
      'con trai',
      'hoa hậu',
      'á hậu',
      'nữ tỷ phú',
      'tỷ phú',
      'ông trùm',
      'người này',
      'nhân vật',
      'cô',
      'anh',
      'chị',
      'em',
      'tôi',
      'bạn',
      'mình',
    ],
  },
]

/** Lexicon phrase → index of its list in {@link LEXICON}, as written and folded. */
const LEX_PHRASES = new Map<string, number>(LEXICON.flatMap((l, g) => l.words.map((w) => [w, g] as const)))
const LEX_FOLDED = new Map<string, number>(LEXICON.flatMap((l, g) => l.words.map((w) => [fold(w), g] as const)))
const LEX_REASONS = new Map(LEXICON.map((l) => [l.id, l.reason]))
/** Teaser-phrase cue id → id of the lexicon list that also holds its phrase. */
const CUE_LEX = new Map<string, string>(
  LEXICON.flatMap((l) =>
    l.words.flatMap((w) => {
      const cue = PHRASE_CUES_EXACT.get(w)
      return cue ? [[cue.id, l.id] as const] : []
    }),
  ),
)

/**
 * Calls `hit(list, phrase, start, length)` for every lexicon phrase among the syllable 1–3-grams
 * of a headline (folded, in a headline without diacritics).
 */
function lexiconScan(h: HeadlineView, hit: (g: number, phrase: string, start: number, n: number) => void): void {
  const s = h.plain ? h.foldedSyllables : h.syllables
  const lex = h.plain ? LEX_FOLDED : LEX_PHRASES
  for (let i = 0; i < s.length; i++) {
    let key = s[i]
    for (let n = 1; n <= 3 && i + n <= s.length; n++) {
      if (n > 1) key += ` ${s[i + n - 1]}`
      const g = lex.get(key)
      if (g !== undefined) hit(g, key, i, n)
    }
  }
}

const LEX_IDS2 = LEXICON.map((l) => `${l.id}2`)

function lexiconFeatures(hits: number[], out: FeatureSink): void {
  for (let g = 0; g < LEXICON.length; g++) {
    if (hits[g] === 0) continue
    out.flag(LEXICON[g].id)
    if (hits[g] >= 2) out.flag(LEX_IDS2[g])
  }
}

// Aggregator pages in the dataset append " - <outlet>" to titles; a model must not learn the
// outlet (it is absent in our own drafts), so the suffix is removed before features.
const OUTLET_SUFFIX_RE =
  /\s+[-–|]\s+(?:Báo|Tạp chí|Tạp Chí|Trang|Tin tức|Tin Tức|Đài|Cổng|VTV|VOV|VTC|Dân trí|Dân Trí|Znews|ZNews|Kênh|Thời báo|Người|Tiền Phong|Lao Động|Vietnamnet|VietNamNet|Sức khỏe|Tri thức|Chuyên trang|Bnews|VietTimes|TheLEADER|Giác ngộ|Công An TP)[^-–|]*$/u

/** Cleans a headline the way training did: normalisation and outlet-suffix removal. */
export function cleanHeadline(s: string): string {
  // Twice: "… - Chuyên trang X - Báo Y" carries two suffixes.
  return normalizeText(s).replace(OUTLET_SUFFIX_RE, '').replace(OUTLET_SUFFIX_RE, '').slice(0, 2000)
}

// Syllables (numbers keep their separators, as in `tokenize`) and, as separate tokens, the
// punctuation marks that headlines use to tease.
const TOKEN_PUNCT_RE = /[\p{L}\p{M}\p{N}]+(?:[.,]\p{N}+)*|[?!:"“”‘’'…,;()\-–%]/gu
const SYLLABLE_RE = /[\p{L}\p{M}\p{N}]+(?:[.,]\p{N}+)*/gu
const NUMBER_RE = /^\p{N}/u
const UPPER_RE = /^\p{Lu}/u
const PUNCT_TOKEN_RE = /^[?!:"'…,;()\-–%]$/

function view(raw: string): HeadlineView {
  const lower = raw.toLowerCase()
  // The tokens of `tokenize`, without their offsets.
  const syllables = (lower.match(SYLLABLE_RE) ?? []).map((t) => (NUMBER_RE.test(t) ? '<num>' : t))
  const foldedSyllables = syllables.map(fold)
  return { raw, lower, syllables, foldedSyllables, plain: syllables.every((t, i) => t === foldedSyllables[i]) }
}

function punctTokens(lower: string): string[] {
  const out = lower.match(TOKEN_PUNCT_RE) ?? []
  for (let i = 0; i < out.length; i++) {
    const t = out[i]
    if (NUMBER_RE.test(t)) out[i] = '<num>'
    else if (t === '“' || t === '”') out[i] = '"'
    else if (t === '‘' || t === '’') out[i] = "'"
  }
  return out
}

/**
 * Where {@link features} puts what it finds. Training collects named features in a map; scoring
 * looks each name up in the vocabulary at once and keeps only vocabulary indices, so that both
 * run the same extraction code and no feature map is built per headline.
 */
interface FeatureSink {
  /** Adds one occurrence of a counted feature (character n-grams). */
  count(f: string): void
  /** Marks a present-or-absent feature (cues, lists, shape) as present. */
  flag(f: string): void
  /**
   * Counts the token 1…maxN-grams `<prefix><n>:<tok> <tok>…`, position by position (at each
   * position the unigram, then the bigram, then the trigram).
   */
  ngrams(prefix: string, toks: string[], maxN: number): void
}

/** Collects features by name with their counts, in order of first appearance. */
class MapSink implements FeatureSink {
  readonly out = new Map<string, number>()
  count(f: string): void {
    this.out.set(f, (this.out.get(f) ?? 0) + 1)
  }
  flag(f: string): void {
    this.out.set(f, 1)
  }
  ngrams(prefix: string, toks: string[], maxN: number): void {
    for (let i = 0; i < toks.length; i++) {
      this.count(`${prefix}1:${toks[i]}`)
      if (maxN >= 2 && i + 1 < toks.length) this.count(`${prefix}2:${toks[i]} ${toks[i + 1]}`)
      if (maxN >= 3 && i + 2 < toks.length) this.count(`${prefix}3:${toks[i]} ${toks[i + 1]} ${toks[i + 2]}`)
    }
  }
}

/**
 * The n-gram features of one prefix in a vocabulary, by token number: `uni[t]` is the index of the
 * unigram of token t (-1 if absent), `bi` and `tri` map `a·T + b` and `(a·T + b)·T + c` (T tokens)
 * to the index of the bigram and trigram. Lets the scorer look n-grams up by number instead of
 * building and hashing their names.
 */
interface NgramTables {
  uni: Int32Array
  bi: Map<number, number>
  tri: Map<number, number>
}

/** Token numbers and n-gram tables of the word n-gram prefixes (`w`, `f`, `l`) in a vocabulary. */
function ngramTables(vocab: string[]): { tokens: Map<string, number>; byPrefix: Map<string, NgramTables> } {
  const tokens = new Map<string, number>()
  const parsed: [string, number, number[], number][] = []
  vocab.forEach((f, j) => {
    const m = /^([wfl])([123]):(.*)$/s.exec(f)
    if (!m) return
    const parts = m[3].split(' ')
    if (parts.length !== Number(m[2])) return
    const ids = parts.map((t) => {
      let id = tokens.get(t)
      if (id === undefined) {
        id = tokens.size
        tokens.set(t, id)
      }
      return id
    })
    parsed.push([m[1], ids.length, ids, j])
  })
  const T = tokens.size
  const byPrefix = new Map<string, NgramTables>()
  for (const [prefix, n, ids, j] of parsed) {
    let t = byPrefix.get(prefix)
    if (!t) {
      t = { uni: new Int32Array(T).fill(-1), bi: new Map(), tri: new Map() }
      byPrefix.set(prefix, t)
    }
    if (n === 1) t.uni[ids[0]] = j
    else if (n === 2) t.bi.set(ids[0] * T + ids[1], j)
    else t.tri.set((ids[0] * T + ids[1]) * T + ids[2], j)
  }
  return { tokens, byPrefix }
}

/**
 * Collects the vocabulary indices of known features and their counts, in order of first
 * appearance (the order a {@link MapSink} would give, so sums come out bit for bit the same).
 * Reused across headlines: `slot` maps a vocabulary index to its position, -1 when absent.
 */
class IndexSink implements FeatureSink {
  ids = new Int32Array(64)
  tfs = new Float64Array(64)
  n = 0
  private readonly slot: Int32Array
  private readonly tokens: Map<string, number>
  private readonly byPrefix: Map<string, NgramTables>
  private tok = new Int32Array(64)
  constructor(
    private readonly index: Map<string, number>,
    vocab: string[],
  ) {
    this.slot = new Int32Array(index.size).fill(-1)
    ;({ tokens: this.tokens, byPrefix: this.byPrefix } = ngramTables(vocab))
  }
  private add(f: string, flag: boolean): void {
    const j = this.index.get(f)
    if (j !== undefined) this.addIndex(j, flag)
  }
  private addIndex(j: number, flag: boolean): void {
    const s = this.slot[j]
    if (s >= 0) {
      this.tfs[s] = flag ? 1 : this.tfs[s] + 1
      return
    }
    if (this.n === this.ids.length) {
      const ids = new Int32Array(this.n * 2)
      const tfs = new Float64Array(this.n * 2)
      ids.set(this.ids)
      tfs.set(this.tfs)
      this.ids = ids
      this.tfs = tfs
    }
    this.slot[j] = this.n
    this.ids[this.n] = j
    this.tfs[this.n] = 1
    this.n++
  }
  count(f: string): void {
    this.add(f, false)
  }
  flag(f: string): void {
    this.add(f, true)
  }
  ngrams(prefix: string, toks: string[], maxN: number): void {
    const t = this.byPrefix.get(prefix)
    if (!t) return
    const T = this.tokens.size
    if (this.tok.length < toks.length) this.tok = new Int32Array(toks.length * 2)
    const tok = this.tok
    // An unknown token (-1) makes every n-gram through it unknown too.
    for (let i = 0; i < toks.length; i++) tok[i] = this.tokens.get(toks[i]) ?? -1
    for (let i = 0; i < toks.length; i++) {
      const a = tok[i]
      if (a < 0) continue
      if (t.uni[a] >= 0) this.addIndex(t.uni[a], false)
      if (maxN < 2 || i + 1 >= toks.length || tok[i + 1] < 0) continue
      const ab = a * T + tok[i + 1]
      const j2 = t.bi.get(ab)
      if (j2 !== undefined) this.addIndex(j2, false)
      if (maxN < 3 || i + 2 >= toks.length || tok[i + 2] < 0) continue
      const j3 = t.tri.get(ab * T + tok[i + 2])
      if (j3 !== undefined) this.addIndex(j3, false)
    }
  }
  /** Empties the sink for the next headline. */
  reset(): void {
    for (let i = 0; i < this.n; i++) this.slot[this.ids[i]] = -1
    this.n = 0
  }
}

// Shape: length in steps of three syllables, proper names (capitalised words after the first),
// their share, numbers, and the final punctuation mark.
function addShape(out: FeatureSink, h: HeadlineView): void {
  const words = h.raw.match(/[\p{L}\p{M}\p{N}]+/gu) ?? []
  let caps = 0
  let nums = 0
  for (let i = 0; i < words.length; i++) {
    if (i > 0 && UPPER_RE.test(words[i])) caps++
    if (NUMBER_RE.test(words[i])) nums++
  }
  out.flag(`x:len${Math.min(10, Math.floor(h.syllables.length / 3))}`)
  out.flag(`x:caps${Math.min(6, caps)}`)
  out.flag(`x:capr${Math.min(5, Math.floor((caps / Math.max(1, words.length - 1)) * 10))}`)
  out.flag(`x:nums${Math.min(3, nums)}`)
  const last = h.raw.trim().slice(-1)
  if (/[?!….:"”]/.test(last)) out.flag(`x:end${last}`)
}

/**
 * The features of a headline, optionally with its lead paragraph, with their counts.
 * Exported for the trainer, so that training and scoring can never disagree.
 * @param headline raw headline (any encoding/normal form)
 * @param lead optional lead paragraph (used only if `cfg.lead`)
 * @param cfg the model's feature families
 */
export function extractFeatures(headline: string, lead: string | undefined, cfg: FeatureConfig): Map<string, number> {
  const sink = new MapSink()
  features(view(cleanHeadline(headline)), lead, cfg, sink)
  return sink.out
}

function features(h: HeadlineView, lead: string | undefined, cfg: FeatureConfig, out: FeatureSink): void {
  if (cfg.words) {
    const toks = cfg.punctuation ? punctTokens(h.lower) : h.syllables
    out.ngrams('w', ['<s>', ...toks, '</s>'], cfg.trigrams ? 3 : 2)
  }
  if (cfg.folded) out.ngrams('f', h.foldedSyllables, 2)
  if (cfg.charNgrams.length > 0) {
    const s = ` ${fold(h.lower).replace(/\s+/g, ' ')} `
    for (const n of cfg.charNgrams) {
      for (let i = 0; i + n <= s.length; i++) out.count(`c${n}:${s.slice(i, i + n)}`)
    }
  }
  const lexHits = cfg.lexicon ? new Array<number>(LEXICON.length).fill(0) : undefined
  if (cfg.cues) {
    for (const c of CUES) if (c.test(h)) out.flag(c.id)
    phraseCues(h, out, '', lexHits)
  } else if (lexHits) lexiconScan(h, (g) => lexHits[g]++)
  if (cfg.shape) addShape(out, h)
  if (lexHits) lexiconFeatures(lexHits, out)
  if (cfg.lead && lead) {
    const l = view(normalizeText(lead).slice(0, 4000))
    out.ngrams('l', l.syllables, 1)
    for (const c of CUES) if (c.test(l)) out.flag(`l${c.id}`)
    phraseCues(l, out, 'l')
  }
}

interface Loaded {
  model: ClickbaitModel
  /** Feature name → vocabulary index. */
  index: Map<string, number>
  /** Reused by {@link scoreClickbait} for the features of one headline at a time. */
  sink: IndexSink
  /** The same for the lead paragraph, when the model has a lead model. */
  leadSink?: IndexSink
}

let loaded: Loaded | undefined

/**
 * Loads a model (by default the committed `clickbait-model.json` beside this file) and makes
 * it the one {@link scoreClickbait} uses.
 * @param model a model object, e.g. freshly trained; omitted = read the committed file
 */
export function loadClickbaitModel(model?: ClickbaitModel): ClickbaitModel {
  const m = model ?? (JSON.parse(readFileSync(new URL('./clickbait-model.json', import.meta.url), 'utf8')) as ClickbaitModel)
  const linear = (vocab: unknown, members: unknown): boolean =>
    Array.isArray(vocab) &&
    Array.isArray(members) &&
    members.length > 0 &&
    (members as ClickbaitMember[]).every(
      (mb) =>
        typeof mb.bias === 'number' &&
        mb.weights.length === vocab.length &&
        (mb.kind === 'binary' || (mb.kind === 'tfidf-l2' && mb.idf?.length === vocab.length)),
    )
  const ok =
    m.version === 2 &&
    linear(m.vocab, m.members) &&
    (m.lead === undefined ||
      (typeof m.lead.weight === 'number' && typeof m.lead.threshold === 'number' && linear(m.lead.vocab, m.lead.members)))
  if (!ok) throw new Error('clickbait model: unsupported format')
  const index = new Map(m.vocab.map((f, i) => [f, i]))
  loaded = {
    model: m,
    index,
    sink: new IndexSink(index, m.vocab),
    leadSink: m.lead ? new IndexSink(new Map(m.lead.vocab.map((f, i) => [f, i])), m.lead.vocab) : undefined,
  }
  return m
}

const SHAPE_REASONS: Record<string, string> = {
  'x:caps0': 'không nêu tên riêng nào / no proper names',
  'x:capr0': 'không nêu tên riêng nào / no proper names',
  'x:end?': 'kết thúc bằng câu hỏi / ends with a question',
  'x:end!': 'kết thúc bằng dấu chấm than / ends with an exclamation mark',
  'x:end…': 'bỏ lửng bằng dấu ba chấm / trails off with an ellipsis',
  'x:end.': 'bỏ lửng bằng dấu ba chấm / trails off with an ellipsis',
}

// Per-feature results that do not depend on the headline, computed once per feature name (the
// names come from the vocabulary, so these caches stay as small as it is).
const REASON_CACHE = new Map<string, string | undefined>()
const WORDS_CACHE = new Map<string, string | undefined>()
const PLAIN_CACHE = new Map<string, string | undefined>()
const PARTS_CACHE = new Map<string, string[]>()

/** The reason of a feature; word-list features name the phrases found in this headline. */
function humanReason(feature: string, lexHits: Map<string, string[]>): string | undefined {
  if (LEX_REASONS.has(feature)) return reasonOf(feature, lexHits)
  if (REASON_CACHE.has(feature)) return REASON_CACHE.get(feature)
  const r = reasonOf(feature, lexHits)
  REASON_CACHE.set(feature, r)
  return r
}

function reasonOf(feature: string, lexHits: Map<string, string[]>): string | undefined {
  const cue = CUE_REASONS.get(feature.startsWith('lcue:') ? feature.slice(1) : feature)
  if (cue) return feature.startsWith('l') && !feature.startsWith('cue') ? `${cue} (sapo / lead)` : cue
  const lex = LEX_REASONS.get(feature)
  if (lex) {
    const said = (lexHits.get(feature) ?? []).map((w) => `"${w}"`).join(', ')
    const [vi, en] = lex.split(' / ')
    return said ? `${vi} ${said} / ${en} ${said}` : lex
  }
  const shape = SHAPE_REASONS[feature]
  if (shape) return shape
  const m = /^([wf])([123]):(.*)$/.exec(feature)
  if (m) {
    const words = m[3]
      .split(' ')
      .filter((t) => t !== '<s>' && t !== '</s>' && !PUNCT_TOKEN_RE.test(t))
      .map((t) => (t === '<num>' ? '[số]' : t))
      .join(' ')
    if (!words) return undefined
    if (m[3].startsWith('<s>')) return `mở đầu bằng "${words}" / starts with "${words}"`
    return `từ ngữ "${words}" / wording "${words}"`
  }
  const l = /^l1:(.*)$/.exec(feature)
  if (l) return `sapo có "${l[1]}" / lead says "${l[1]}"`
  return undefined // character n-grams, lengths and counts are not explainable words
}

/**
 * The lexicon phrases of a headline per list id, in order of appearance, without those that lie
 * inside a teaser-phrase cue (which has its own reason) or inside a longer phrase of the list.
 */
function lexiconHits(h: HeadlineView): Map<string, string[]> {
  const s = h.plain ? h.foldedSyllables : h.syllables
  const cues = h.plain ? PHRASE_CUES : PHRASE_CUES_EXACT
  const covered = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) {
    let key = s[i]
    for (let n = 1; n <= 3 && i + n <= s.length; n++) {
      if (n > 1) key += ` ${s[i + n - 1]}`
      if (cues.has(key)) covered.fill(1, i, i + n)
    }
  }
  const found: { g: number; phrase: string; start: number; n: number }[] = []
  lexiconScan(h, (g, phrase, start, n) => found.push({ g, phrase, start, n }))
  const hits = new Map<string, string[]>()
  for (const f of found) {
    if (covered.subarray(f.start, f.start + f.n).every((c) => c === 1)) continue
    const inLonger = found.some((o) => o !== f && o.g === f.g && o.n > f.n && o.start <= f.start && o.start + o.n >= f.start + f.n)
    if (inLonger) continue
    const id = LEXICON[f.g].id
    const list = hits.get(id) ?? []
    if (!list.includes(f.phrase)) list.push(f.phrase)
    hits.set(id, list)
  }
  return hits
}

/** The words of a word n-gram feature ("w2:sao cô" → "sao cô"), else undefined. */
function words(f: string): string | undefined {
  if (WORDS_CACHE.has(f)) return WORDS_CACHE.get(f)
  const w = /^[wf][123]:(.*)$/.exec(f)?.[1]
  WORDS_CACHE.set(f, w)
  return w
}

/** {@link words} without sentence marks and punctuation tokens. */
function plainWords(f: string): string | undefined {
  if (PLAIN_CACHE.has(f)) return PLAIN_CACHE.get(f)
  const p = words(f)
    ?.split(' ')
    .filter((t) => t !== '<s>' && t !== '</s>' && !PUNCT_TOKEN_RE.test(t))
    .join(' ')
  PLAIN_CACHE.set(f, p)
  return p
}

/** The folded syllables of a teaser-cue id or an n-gram feature. */
function partsOf(p: string): string[] {
  let parts = PARTS_CACHE.get(p)
  if (!parts) {
    parts = p.startsWith('cue:') ? p.slice(4).split('_') : (words(p) ?? '').split(' ').map(fold)
    PARTS_CACHE.set(p, parts)
  }
  return parts
}

// Turns positive feature contributions into at most five readable reasons: an n-gram that is
// also a teaser phrase counts for that cue ("w2:bất ngờ" → the "bất ngờ" cue), one that is a
// lexicon phrase counts for its list, a list whose only phrases are teaser cues counts for the
// first such cue, and a syllable covered by an active bigram, cue or list phrase is folded into
// it, so "bất" + "ngờ" + "bất ngờ" reads as one reason; cues and lists come first at equal weight.
function explain(contrib: [string, number][], plainHeadline: boolean, lexHits: Map<string, string[]>): string[] {
  // Each list phrase and its shorter runs of syllables ("chưa từng" in "chưa từng thấy").
  const lexOf = new Map<string, string>()
  for (const [id, phrases] of lexHits) {
    for (const p of phrases) {
      const t = p.split(' ')
      for (let i = 0; i < t.length; i++) for (let j = i + 1; j <= t.length; j++) lexOf.set(t.slice(i, j).join(' '), id)
    }
  }
  const merged = new Map<string, number>()
  for (const [f, w] of contrib) {
    let key = f
    if (f.startsWith('lex:')) {
      const id = f.endsWith('2') ? f.slice(0, -1) : f
      key = id
      if (!lexHits.has(id)) {
        // Every phrase of this list found here is (inside) a teaser cue: credit the cue if it
        // pushed the score up too, else leave the list out of the reasons.
        const cue = contrib.find(([g]) => CUE_LEX.get(g) === id)?.[0]
        if (!cue) continue
        key = cue
      }
    } else {
      const plain = plainWords(f)
      if (plain) key = cueOf(plain, plainHeadline)?.id ?? lexOf.get(plain) ?? f
    }
    merged.set(key, (merged.get(key) ?? 0) + w)
  }
  // Hosts: keys of two or more (folded) syllables; one-syllable n-grams fold into the first
  // host that contains them. Hosts are never removed, so they can be listed once.
  const hostOf = new Map<string, string>()
  for (const p of merged.keys()) {
    const parts = p.startsWith('lex:') ? (lexHits.get(p) ?? []).flatMap((x) => x.split(' ').map(fold)) : partsOf(p)
    if (parts.length > 1) for (const t of parts) if (!hostOf.has(t)) hostOf.set(t, p)
  }
  for (const [f, w] of [...merged]) {
    const ws = words(f)
    if (ws === undefined || ws.includes(' ')) continue
    const host = hostOf.get(partsOf(f)[0]) // the folded syllable
    if (host && host !== f) {
      merged.set(host, (merged.get(host) ?? 0) + w)
      merged.delete(f)
    }
  }
  const bonus = (f: string): number => (f.startsWith('cue:') || f.startsWith('lex:') ? 0.05 : 0)
  const ranked = [...merged].sort((a, b) => b[1] + bonus(b[0]) - (a[1] + bonus(a[0])))
  const reasons: string[] = []
  const seen = new Set<string>()
  for (const [f] of ranked) {
    const r = humanReason(f, lexHits)
    if (!r || seen.has(r)) continue
    seen.add(r)
    reasons.push(r)
    if (reasons.length >= 5) break
  }
  return reasons
}

/**
 * The ensemble logit of a feature map, the vocabulary indices of its known features and each
 * one's share of the logit (mean over members), in the same order.
 * Exported for the trainer, which checks that the shipped file reproduces its predictions.
 * @param model the model
 * @param index feature name → vocabulary index
 * @param feats features from {@link extractFeatures}
 */
export function modelLogit(
  model: ClickbaitModel,
  index: Map<string, number>,
  feats: Map<string, number>,
): { z: number; ids: number[]; contrib: Float64Array } {
  const ids: number[] = []
  const tfs: number[] = []
  for (const [f, c] of feats) {
    const j = index.get(f)
    if (j === undefined) continue
    ids.push(j)
    tfs.push(c)
  }
  const { z, contrib } = logitOf(model.members, ids, tfs, ids.length)
  return { z, ids, contrib }
}

/** The mean logit of linear members over the first `n` vocabulary indices and counts of the given arrays. */
function logitOf(
  members: ClickbaitMember[],
  ids: ArrayLike<number>,
  tfs: ArrayLike<number>,
  n: number,
): { z: number; contrib: Float64Array } {
  const k = members.length
  const contrib = new Float64Array(n)
  let z = 0
  for (const mb of members) {
    z += mb.bias / k
    let scale = 1 / k
    let sub = false
    if (mb.kind === 'tfidf-l2') {
      sub = true
      const idf = mb.idf as number[]
      let nn = 0
      for (let i = 0; i < n; i++) {
        const v = (1 + Math.log(tfs[i])) * idf[ids[i]]
        nn += v * v
      }
      scale /= Math.sqrt(nn) || 1
    }
    const w = mb.weights
    for (let i = 0; i < n; i++) {
      // Most features occur once: ln 1 = 0 needs no call.
      const x = sub && tfs[i] !== 1 ? 1 + Math.log(tfs[i]) : 1
      const c = w[ids[i]] * x * scale
      z += c
      contrib[i] += c
    }
  }
  return { z, contrib }
}

/**
 * Scores a headline (optionally with its lead) for clickbait.
 * @param headline the headline; any encoding or normal form, HTML entities are not decoded
 * @param lead optional lead paragraph (sapo); used by the model's lead model when it has one
 *   (the reasons still come from the headline)
 * @returns score in [0,1], the decision at the model's threshold, and up to 5 reasons
 */
export function scoreClickbait(headline: string, lead?: string): ClickbaitResult {
  if (!loaded) loadClickbaitModel()
  const { model, sink, leadSink } = loaded as Loaded
  const text = typeof headline === 'string' ? headline : String(headline ?? '')
  if (text.trim() === '') return { score: 0, clickbait: false, reasons: [] }
  const h = view(cleanHeadline(text))
  sink.reset()
  features(h, lead, model.features, sink)
  const { ids, tfs, n } = sink
  const headlineLogit = logitOf(model.members, ids, tfs, n)
  const contrib = headlineLogit.contrib
  let z = headlineLogit.z
  let threshold = model.threshold
  const leadText = model.lead && leadSink && typeof lead === 'string' ? cleanHeadline(lead) : ''
  if (model.lead && leadSink && leadText !== '') {
    // The lead is read like a headline by its own model; its logit shifts the headline's, and
    // the reasons stay those of the headline (the words an editor would change).
    leadSink.reset()
    features(view(leadText), undefined, model.features, leadSink)
    const zl = logitOf(model.lead.members, leadSink.ids, leadSink.tfs, leadSink.n).z
    z += model.lead.weight * zl
    threshold = model.lead.threshold
  }
  const score = 1 / (1 + Math.exp(-z))
  const clickbait = score >= threshold
  let reasons: string[] = []
  if (score >= threshold * 0.6) {
    const pos: [string, number][] = []
    for (let i = 0; i < n; i++) if (contrib[i] > 0) pos.push([model.vocab[ids[i]], contrib[i]])
    const lexHits = model.features.lexicon && pos.some(([f]) => f.startsWith('lex:')) ? lexiconHits(h) : new Map<string, string[]>()
    reasons = explain(pos, h.plain, lexHits)
  }
  return { score: Math.round(score * 1e4) / 1e4, clickbait, reasons }
}
