/**
 * Wording checks for official text: presumption of innocence (guilt words about people not
 * yet judged, and procedural terms that do not fit the case's stage), unverified-claim
 * markers, and sensational words. Offsets are UTF-16 indices into the text given (callers
 * pass the prepared NFC text).
 */

import { canonicalTones, fold } from './normalize.ts'

/** Procedural stage of the case a text is about. */
export type CaseStage = 'investigating' | 'charged' | 'at_trial' | 'judged'

/** Kind of wording finding. */
export type WordingKind = 'guilt' | 'stage-term' | 'unverified' | 'sensational'

/** Severity shared with the other content checks. */
export type Severity = 'high' | 'medium' | 'low'

/** One wording finding. */
export interface WordingFinding {
  /** What kind of wording problem this is. */
  kind: WordingKind
  /** How serious it is (guilt wording before judgment is high). */
  severity: Severity
  /** UTF-16 offset of the first code unit. */
  start: number
  /** UTF-16 offset one past the end. */
  end: number
  /** The matched words. */
  text: string
  /** Explanation for editors. */
  message: { vi: string; en: string }
  /** Replacement to consider, when there is one (may name several terms and when each fits). */
  suggestion?: string
  /** The one term a one-click "apply" puts in place of the text: the safe default for the stage. */
  replacement?: string
  /** The other terms the writer may choose instead of `replacement`, each with when it fits. */
  alternatives?: string[]
}

/** Options of {@link checkWording}. */
export interface WordingOptions {
  /** Stage of the linked case; unknown stage is treated as "not judged" (fail closed). */
  caseStage?: CaseStage
  /** Whether the text is official (a release): unverified markers are flagged only then. Default true. */
  official?: boolean
}

const L = '\\p{L}'
const wb = (src: string): RegExp => new RegExp(`(?<![${L}])(?:${src})(?![${L}])`, 'giu')

// "tội phạm" names a category of crime far more often than a person; these contexts are
// generic ("phòng, chống tội phạm", "tội phạm ma túy", unit names) and are not flagged.
// "hoạt động của tội phạm", "thủ đoạn của các loại tội phạm": the category again, after "của".
const GENERIC_BEFORE_TOI_PHAM =
  /(?:phòng|chống|phòng,\s*chống|đấu tranh|trấn áp|tình hình|điều tra|tố giác|tin báo về|nguồn tin về|dấu hiệu|cấu thành|loại|các loại|về|truy tố|xử lý|kiềm chế|kéo giảm|phát hiện|ngăn chặn|phòng ngừa|nạn nhân của|lĩnh vực|hoạt động|địa bàn|nguyên nhân|cảnh sát|cảnh sát điều tra|cảnh sát phòng chống|thủ đoạn|phương thức|âm mưu|diễn biến)(?:\s+của(?:\s+các)?(?:\s+loại)?)?\s+$/iu
const GENERIC_AFTER_TOI_PHAM =
  /^\s+(?:về|ma túy|mạng|công nghệ cao|hình sự|kinh tế|môi trường|tham nhũng|xuyên quốc gia|có tổ chức|lừa đảo|mua bán người|trên không gian mạng|sử dụng công nghệ cao|buôn lậu|và vi phạm|học|hóa|tiềm ẩn|giảm|tăng|trên địa bàn)/iu

interface GuiltPattern {
  re: RegExp
  /**
   * The same words typed without diacritics, for text written that way ("ke giet nguoi"). Only
   * the unambiguous ones: "toi pham" is also "tôi phạm" (I commit), "con do" also "con đó",
   * "nhung ke" also "nhưng kể", so those have no folded form.
   */
  folded?: RegExp
  /** Returns false for generic uses that are not about a person (`folded`: on folded text). */
  accept?: (text: string, start: number, end: number, folded: boolean) => boolean
}

const GUILT: GuiltPattern[] = [
  {
    re: wb('tội phạm'),
    accept: (t, s, e) => !GENERIC_BEFORE_TOI_PHAM.test(t.slice(Math.max(0, s - 40), s)) && !GENERIC_AFTER_TOI_PHAM.test(t.slice(e, e + 40)),
  },
  {
    re: wb(
      'thủ phạm|hung thủ|sát nhân|kẻ sát nhân|ác nhân|yêu râu xanh|quỷ dữ|kẻ thủ ác|tội đồ|đạo chích|siêu trộm|nữ quái|côn đồ|ma cô|con nghiện',
    ),
    folded: wb('thu pham|hung thu|sat nhan|ke sat nhan|yeu rau xanh|quy du|ke thu ac|dao chich|sieu trom|nu quai|con nghien'),
  },
  {
    // "kẻ" only with a criminal complement or as a plural/demonstrative: "kẻ vạch", "kẻ ô" are verbs.
    re: wb(
      '(?:những|các|bọn|hai|ba|\\d+)\\s+kẻ|kẻ\\s+(?:gian|trộm|cắp|cướp|giết người|lừa đảo|phạm tội|bắt cóc|ấu dâm|biến thái|cầm đầu|chủ mưu|tình nghi|đồi bại|máu lạnh|này|đó|ấy)',
    ),
    folded: wb('ke\\s+(?:gian|trom|cuop|giet nguoi|lua dao|pham toi|bat coc|au dam|bien thai|cam dau|chu muu|doi bai|mau lanh)'),
  },
  {
    re: wb('(?:tên|gã|ả)\\s+(?:cướp|trộm|sát nhân|tội phạm|lừa đảo|côn đồ|biến thái|cầm đầu|nghiện|giang hồ|buôn ma túy)'),
    folded: wb('(?:ten|ga)\\s+(?:cuop|trom|sat nhan|lua dao|bien thai|giang ho|buon ma tuy)'),
  },
  { re: wb('phạm nhân'), folded: wb('pham nhan') },
]

const STAGE_SUGGESTION: Record<Exclude<CaseStage, 'judged'>, string> = {
  investigating: 'đối tượng / nghi phạm',
  charged: 'bị can',
  at_trial: 'bị cáo',
}
const UNKNOWN_STAGE_SUGGESTION = 'đối tượng / nghi phạm (trước khởi tố), bị can (sau khởi tố), bị cáo (khi xét xử)'

/**
 * The term applied in one click for each stage, and the others to choose from. Without a known
 * stage it is "đối tượng": correct before a charge and never a presumption of guilt later.
 */
const STAGE_TERMS: Record<Exclude<CaseStage, 'judged'> | 'unknown', { replacement: string; alternatives: string[] }> = {
  investigating: { replacement: 'đối tượng', alternatives: ['nghi phạm'] },
  charged: { replacement: 'bị can', alternatives: [] },
  at_trial: { replacement: 'bị cáo', alternatives: [] },
  unknown: { replacement: 'đối tượng', alternatives: ['nghi phạm (trước khởi tố)', 'bị can (sau khởi tố)', 'bị cáo (khi xét xử)'] },
}

/**
 * How an unverified-claim marker relates to the sentence it sits in.
 * - `hedge` introduces or softens a claim the text itself makes ("nghe nói", "được cho là").
 * - `label` names information as unverified ("thông tin chưa được kiểm chứng", "tin đồn"): the
 *   office does that when it warns about a rumour, refutes it, or reports that it circulates.
 * - `suspicion` is "nghi vấn": an adjective after a noun ("cuộc gọi nghi vấn": a suspicious
 *   call, advice), or a noun that opens an allegation ("nghi vấn giám đốc đã bỏ trốn").
 */
type MarkerRole = 'hedge' | 'label' | 'suspicion'

const UNVERIFIED: { re: RegExp; severity: Severity; role: MarkerRole }[] = [
  {
    re: wb(
      'nghe nói|nghe đâu|được cho là|bị cho là|nguồn tin cho biết|theo nguồn tin|một nguồn tin|nguồn tin riêng|' +
        'cư dân mạng cho rằng|dân mạng cho rằng|theo mạng xã hội|hình như|dường như|có lẽ|nghi là',
    ),
    severity: 'medium',
    role: 'hedge',
  },
  {
    re: wb('chưa được xác minh|chưa được kiểm chứng|chưa được xác thực|chưa rõ thực hư|tin đồn|đồn đoán|đồn thổi'),
    severity: 'medium',
    role: 'label',
  },
  { re: wb('nghi vấn'), severity: 'medium', role: 'suspicion' },
  // "có thể là/do …" hedges a cause in a report, but is the ordinary caution of a warning
  // ("tin nhắn có thể là lừa đảo, người dân không bấm vào"): it reads like a label.
  { re: wb('có thể (?:là|đã|do|liên quan)'), severity: 'low', role: 'label' },
]

// The frames below are matched on the sentence of a marker (folded tone placement, lower case
// not needed: the patterns are case-insensitive). They describe what the sentence DOES with the
// unverified information: advise against it, refute it, act on it, report that it circulates.

/** Advice or a warning to the public: the unverified information is what not to share or believe. */
const ADVICE = new RegExp(
  '(?<![\\p{L}])(?:' +
    '(?:không|đừng|chớ|tránh|hạn chế|tuyệt đối không)\\s+(?:nên\\s+|được\\s+|tự ý\\s+|vội\\s+|vội vàng\\s+)?' +
    '(?:chia sẻ|đăng tải|đăng|lan truyền|phát tán|tung|tin|tin tưởng|nghe theo|làm theo|bình luận|like|share|tiếp tay|' +
    'hoang mang|hoảng loạn|bấm|nhấp|nhấn|truy cập|cài|cài đặt|chuyển tiền|chuyển khoản|cung cấp)' +
    '|cảnh giác|thận trọng|tỉnh táo|khuyến cáo|nâng cao ý thức|' +
    '(?:đề nghị|yêu cầu|kêu gọi|mong)\\s+(?:người dân|nhân dân|bà con|quần chúng|mọi người|các cơ quan|các tổ chức|cá nhân|phụ huynh|người sử dụng|quý vị|bạn đọc|cư dân mạng)|' +
    '(?:báo|trình báo|thông báo|phản ánh|liên hệ|cung cấp thông tin)(?:\\s+ngay)?\\s+(?:cho\\s+|với\\s+|đến\\s+|tới\\s+)?(?:cơ quan\\s+)?(?:công an|đường dây nóng|số điện thoại|cơ quan chức năng)|' +
    'kiểm chứng (?:kỹ |lại )?trước khi|chỉ (?:tiếp nhận|theo dõi|tin|sử dụng|chia sẻ|cập nhật) (?:thông tin|nguồn tin|tin)' +
    ')(?![\\p{L}])',
  'iu',
)

/** A refutation: the sentence says the information is false (a verdict, a correction). */
const REFUTE = new RegExp(
  '(?<![\\p{L}])(?:sai sự thật|không đúng sự thật|không đúng với sự thật|bịa đặt|thất thiệt|tin giả|thông tin giả|' +
    'thực chất(?: là)?|thực tế (?:là|không)|hoàn toàn không|bác bỏ|phản bác|đính chính|xuyên tạc|' +
    'không có (?:căn cứ|cơ sở|vụ|việc|chuyện|tin báo)|là ảnh cũ|là video cũ|là clip cũ)(?![\\p{L}])',
  'iu',
)

/**
 * Before a label in its sentence: the text reports that the information circulates, or says
 * what the authorities do about it ("xuất hiện tin đồn", "xử lý việc đăng tải thông tin chưa
 * được kiểm chứng", "đang làm rõ nghi vấn").
 */
const REPORTED_OR_ACTED_ON = new RegExp(
  '(?<![\\p{L}])(?:xuất hiện|lan truyền|đăng tải|chia sẻ|phát tán|tung|tung ra|loan|loan tin|đăng|' +
    'xác minh|làm rõ|kiểm tra|tiếp nhận|xử lý|xử phạt|ngăn chặn|gỡ bỏ|đấu tranh với|phản bác|bác bỏ)' +
    '(?![\\p{L}])(?:\\s+[\\p{L}\\p{N}]+){0,8}[\\s,]*$',
  'iu',
)

/** A circulation verb in the same phrase, no comma between ("lan truyền clip được cho là …"). */
const CIRCULATES_BEFORE =
  /(?<![\p{L}])(?:xuất hiện|lan truyền|đăng tải|chia sẻ|phát tán|đăng|loan)(?![\p{L}])(?:\s+[\p{L}\p{N}]+){0,8}\s+$/iu

/** A refusal that governs the very words after it ("không tin vào những lời nghe nói"). */
const NEGATED_BELIEF_BEFORE =
  /(?<![\p{L}])(?:không|đừng|chớ|tránh)\s+(?:nên\s+|được\s+)?(?:tin|tin vào|nghe|nghe theo|chia sẻ|lan truyền|đăng tải|phát tán)(?:\s+(?:vào|theo|những|các|lời|thông tin|tin|kiểu|dạng))*\s*["“]?$/iu

/** The label points at something already said ("đây là…", "thông tin trên…"): the advice may follow in the next sentence. */
const DEICTIC =
  /(?<![\p{L}])(?:đây|đó|điều này|(?:thông tin|nội dung|tin|bài viết|hình ảnh|clip|video) (?:này|trên|nói trên))\s+(?:là|chỉ là|đều là)(?![\p{L}])/iu

/**
 * Nouns that "nghi vấn" describes as an adjective ("cuộc gọi nghi vấn": a suspicious call), a
 * fact the office observes or an object of its advice, not a rumour it repeats.
 */
const SUSPICION_HEAD = new RegExp(
  '(?<![\\p{L}])(?:cuộc gọi|tin nhắn|số điện thoại|số máy|thuê bao|tài khoản|giao dịch|đường link|link|đường dẫn|liên kết|' +
    'ứng dụng|trang web|website|email|e-mail|thư điện tử|đối tượng|người|xe|phương tiện|hành vi|dấu hiệu|trường hợp|' +
    'địa điểm|điểm|khoản tiền|dòng tiền|hàng hóa|kiện hàng|bưu phẩm|gói hàng|đơn hàng|vật|chất|mẫu|vụ việc|vụ|nội dung|' +
    'hình ảnh|clip|video|hồ sơ|giấy tờ|lời mời|cuộc điện thoại|cuộc)\\s+$',
  'iu',
)

/** After a non-attributive "nghi vấn": a clause with its own predicate, i.e. an allegation. */
const ALLEGATION_AFTER = /^\s+(?:rằng\s+|là\s+)?(?:[\p{L}\p{N}]+\s+){0,6}?(?:đã|bị|được|là|do|có|đang|sẽ|từng)(?![\p{L}])/iu

/** Start and end of the sentence around [start, end): ends at . ! ? ; … or a line break (not a dot between digits). */
function sentenceBounds(text: string, start: number, end: number): [number, number] {
  const isStop = (i: number) => {
    const c = text[i]
    if (c === '\n' || c === '!' || c === '?' || c === ';' || c === '…') return true
    return c === '.' && !(/\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? ''))
  }
  let s = start
  while (s > 0 && !isStop(s - 1)) s--
  let e = end
  while (e < text.length && !isStop(e)) e++
  return [s, e]
}

/** UTF-16 ranges inside quotation marks (“…”, «…», "…"): reported words, not the text's own. */
function quotedRanges(text: string): [number, number][] {
  const out: [number, number][] = []
  for (const m of text.matchAll(/“[^”\n]{0,2000}”|«[^»\n]{0,2000}»|"[^"\n]{0,2000}"/g)) out.push([m.index, m.index + m[0].length])
  return out
}

/**
 * Whether an unverified-claim marker is the office's own caution rather than a claim it makes:
 * it is quoted, or its sentence advises against the information, refutes it, reports that it
 * circulates or says what is done about it; "nghi vấn" after a noun is an adjective.
 * @param src the text with canonical tone placement
 * @param role how the marker relates to its sentence
 * @param start UTF-16 offset of the marker
 * @param end one past its end
 * @param quotes quoted ranges of `src`
 */
function isCaution(src: string, role: MarkerRole, start: number, end: number, quotes: [number, number][]): boolean {
  if (quotes.some(([a, b]) => a < start && end < b)) return true
  const [s, e] = sentenceBounds(src, start, end)
  const sentence = src.slice(s, e)
  const before = src.slice(Math.max(s, start - 120), start)
  const after = src.slice(end, Math.min(e, end + 80))
  if (REFUTE.test(sentence)) return true
  if (NEGATED_BELIEF_BEFORE.test(before)) return true
  // "xuất hiện văn bản được cho là của Sở …": the hedge describes the item that circulates
  // (the subject the text reports on), not a claim of the office's own.
  if (role === 'hedge' && /^(?:được|bị) cho là$/iu.test(src.slice(start, end)) && CIRCULATES_BEFORE.test(before)) return true
  let asLabel = role === 'label'
  if (role === 'suspicion') {
    if (SUSPICION_HEAD.test(before) && !/^\s+(?:rằng|là)(?![\p{L}])/iu.test(after)) return true
    // An allegation ("nghi vấn X đã …") is a claim; a bare "nghi vấn" is a label.
    asLabel = !ALLEGATION_AFTER.test(after)
  }
  if (!asLabel) return false
  if (ADVICE.test(sentence) || REPORTED_OR_ACTED_ON.test(before)) return true
  if (DEICTIC.test(sentence)) {
    const [ns, ne] = sentenceBounds(src, Math.min(src.length, e + 1), Math.min(src.length, e + 1))
    if (ne > ns && ADVICE.test(src.slice(ns, ne))) return true
  }
  return false
}

const SENSATIONAL = wb(
  'kinh hoàng|rúng động|man rợ|dã man|sốc|cực sốc|kinh hãi|rùng rợn|ghê rợn|chấn động|khủng khiếp|thảm khốc|tàn độc|máu lạnh|' +
    'hãi hùng|gây phẫn nộ|điên cuồng|tàn bạo|cực kỳ|bàng hoàng|thương tâm|đau lòng|tột độ|khiếp sợ|gây bão|xôn xao',
)
// Medical and technical senses of "sốc" are not sensational.
const SOC_TECHNICAL = /^\s*(?:phản vệ|nhiệt|điện|thuốc|mất máu|nhiễm trùng|chấn thương)/iu

/** Re-exported for the callers that found it here; the one implementation is in normalize.ts. */
export { canonicalTones }

/**
 * Finds wording problems in a text.
 * @param text the text (prepared NFC text, so offsets match the other checks)
 * @param opts stage of the linked case and whether the text is official
 * @returns findings ordered by position
 */
export function checkWording(input: string, opts: WordingOptions = {}): WordingFinding[] {
  const out: WordingFinding[] = []
  const stage = opts.caseStage
  const official = opts.official ?? true
  // Patterns run on one tone placement; findings quote the text as written (same offsets).
  const text = canonicalTones(input)
  const quote = (start: number, end: number) => input.slice(start, end)
  if (stage !== 'judged') {
    const suggestion = stage ? STAGE_SUGGESTION[stage] : UNKNOWN_STAGE_SUGGESTION
    const terms = STAGE_TERMS[stage ?? 'unknown']
    // Text typed without diacritics is read folded (same length, so offsets carry over); a
    // folded match counts only where the words themselves carry no diacritics, so accented text
    // is never read as its unaccented look-alike.
    const folded = fold(input)
    const matches = GUILT.flatMap((g) => [
      ...[...text.matchAll(g.re)].map((m) => ({ g, start: m.index, end: m.index + m[0].length, isFolded: false })),
      ...(g.folded
        ? [...folded.matchAll(g.folded)]
            .map((m) => ({ g, start: m.index, end: m.index + m[0].length, isFolded: true }))
            .filter((x) => /^[\x20-\x7e]+$/.test(input.slice(x.start, x.end)))
        : []),
    ])
    for (const { g, start, end, isFolded } of matches) {
      if (g.accept && !g.accept(isFolded ? folded : text, start, end, isFolded)) continue
      const said = quote(start, end)
      out.push({
        kind: 'guilt',
        severity: 'high',
        start,
        end,
        text: said,
        suggestion,
        replacement: terms.replacement,
        alternatives: [...terms.alternatives],
        message: {
          vi: `"${said}" quy kết có tội khi chưa có bản án; dùng "${suggestion}".`,
          en: `"${said}" presumes guilt before a judgment; use "${suggestion}".`,
        },
      })
    }
  }
  // Procedural terms that belong to a later stage than the case is in.
  const wrongTerms: [CaseStage, RegExp][] = [
    ['investigating', wb('bị can|bị cáo')],
    ['charged', wb('bị cáo')],
  ]
  for (const [st, r] of wrongTerms) {
    if (stage !== st) continue
    for (const m of text.matchAll(r)) {
      const suggestion = STAGE_SUGGESTION[st as Exclude<CaseStage, 'judged'>]
      const said = quote(m.index, m.index + m[0].length)
      out.push({
        kind: 'stage-term',
        severity: 'medium',
        start: m.index,
        end: m.index + m[0].length,
        text: said,
        suggestion,
        replacement: STAGE_TERMS[st as Exclude<CaseStage, 'judged'>].replacement,
        alternatives: [...STAGE_TERMS[st as Exclude<CaseStage, 'judged'>].alternatives],
        message: {
          vi: `"${said}" không đúng giai đoạn tố tụng của vụ việc; dùng "${suggestion}".`,
          en: `"${said}" does not fit the case's procedural stage; use "${suggestion}".`,
        },
      })
    }
  }
  if (official) {
    const quotes = quotedRanges(text)
    for (const u of UNVERIFIED) {
      for (const m of text.matchAll(u.re)) {
        const end = m.index + m[0].length
        // The office's own cautions ("không chia sẻ thông tin chưa được kiểm chứng", "cuộc gọi
        // nghi vấn") name unverified information without asserting it.
        if (isCaution(text, u.role, m.index, end, quotes)) continue
        const said = quote(m.index, end)
        out.push({
          kind: 'unverified',
          severity: u.severity,
          start: m.index,
          end,
          text: said,
          message: {
            vi: `"${said}" là thông tin chưa được kiểm chứng; văn bản chính thức chỉ nêu điều đã xác minh.`,
            en: `"${said}" marks unverified information; official text should state only verified facts.`,
          },
        })
      }
    }
  }
  for (const m of text.matchAll(SENSATIONAL)) {
    const end = m.index + m[0].length
    if (/^sốc$/iu.test(m[0]) && SOC_TECHNICAL.test(text.slice(end, end + 20))) continue
    if (/^sốc$/iu.test(m[0]) && /chống\s+$/iu.test(text.slice(Math.max(0, m.index - 8), m.index))) continue
    const said = quote(m.index, end)
    out.push({
      kind: 'sensational',
      severity: 'low',
      start: m.index,
      end,
      text: said,
      message: {
        vi: `"${said}" là từ giật gân; nên thuật lại sự việc bằng lời trung tính.`,
        en: `"${said}" is sensational; describe the facts in neutral words.`,
      },
    })
  }
  return dedupe(out.sort((a, b) => a.start - b.start || b.end - a.end))
}

// "những kẻ gian" matches two patterns; keep the longest at each position.
function dedupe(list: WordingFinding[]): WordingFinding[] {
  const out: WordingFinding[] = []
  for (const f of list) {
    const prev = out[out.length - 1]
    if (prev && f.kind === prev.kind && f.start < prev.end) continue
    out.push(f)
  }
  return out
}
