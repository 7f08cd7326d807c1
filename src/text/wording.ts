/**
 * Wording checks for official text: presumption of innocence (guilt words about people not
 * yet judged, and procedural terms that do not fit the case's stage), unverified-claim
 * markers, and sensational words. Offsets are UTF-16 indices into the text given (callers
 * pass the prepared NFC text).
 */

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
const GENERIC_BEFORE_TOI_PHAM =
  /(?:phòng|chống|phòng,\s*chống|đấu tranh|trấn áp|tình hình|điều tra|tố giác|tin báo về|nguồn tin về|dấu hiệu|cấu thành|loại|các loại|về|truy tố|xử lý|kiềm chế|kéo giảm|phát hiện|ngăn chặn|phòng ngừa|nạn nhân của|lĩnh vực|hoạt động|địa bàn|nguyên nhân|cảnh sát|cảnh sát điều tra|cảnh sát phòng chống)\s+$/iu
const GENERIC_AFTER_TOI_PHAM =
  /^\s+(?:về|ma túy|mạng|công nghệ cao|hình sự|kinh tế|môi trường|tham nhũng|xuyên quốc gia|có tổ chức|lừa đảo|mua bán người|trên không gian mạng|sử dụng công nghệ cao|buôn lậu|và vi phạm|học|hóa|tiềm ẩn|giảm|tăng|trên địa bàn)/iu

interface GuiltPattern {
  re: RegExp
  /** Returns false for generic uses that are not about a person. */
  accept?: (text: string, start: number, end: number) => boolean
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
  },
  {
    // "kẻ" only with a criminal complement or as a plural/demonstrative: "kẻ vạch", "kẻ ô" are verbs.
    re: wb(
      '(?:những|các|bọn|hai|ba|\\d+)\\s+kẻ|kẻ\\s+(?:gian|trộm|cắp|cướp|giết người|lừa đảo|phạm tội|bắt cóc|ấu dâm|biến thái|cầm đầu|chủ mưu|tình nghi|đồi bại|máu lạnh|này|đó|ấy)',
    ),
  },
  { re: wb('(?:tên|gã|ả)\\s+(?:cướp|trộm|sát nhân|tội phạm|lừa đảo|côn đồ|biến thái|cầm đầu|nghiện|giang hồ|buôn ma túy)') },
  { re: wb('phạm nhân') },
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

const UNVERIFIED: { re: RegExp; severity: Severity }[] = [
  {
    re: wb(
      'nghe nói|nghe đâu|được cho là|bị cho là|nghi vấn|chưa được xác minh|chưa được kiểm chứng|chưa được xác thực|chưa rõ thực hư|' +
        'nguồn tin cho biết|theo nguồn tin|một nguồn tin|nguồn tin riêng|tin đồn|đồn đoán|đồn thổi|cư dân mạng cho rằng|dân mạng cho rằng|' +
        'theo mạng xã hội|hình như|dường như|có lẽ|nghi là',
    ),
    severity: 'medium',
  },
  { re: wb('có thể (?:là|đã|do|liên quan)'), severity: 'low' },
]

const SENSATIONAL = wb(
  'kinh hoàng|rúng động|man rợ|dã man|sốc|cực sốc|kinh hãi|rùng rợn|ghê rợn|chấn động|khủng khiếp|thảm khốc|tàn độc|máu lạnh|' +
    'hãi hùng|gây phẫn nộ|điên cuồng|tàn bạo|cực kỳ|bàng hoàng|thương tâm|đau lòng|tột độ|khiếp sợ|gây bão|xôn xao',
)
// Medical and technical senses of "sốc" are not sensational.
const SOC_TECHNICAL = /^\s*(?:phản vệ|nhiệt|điện|thuốc|mất máu|nhiễm trùng|chấn thương)/iu

/**
 * Finds wording problems in a text.
 * @param text the text (prepared NFC text, so offsets match the other checks)
 * @param opts stage of the linked case and whether the text is official
 * @returns findings ordered by position
 */
export function checkWording(text: string, opts: WordingOptions = {}): WordingFinding[] {
  const out: WordingFinding[] = []
  const stage = opts.caseStage
  const official = opts.official ?? true
  if (stage !== 'judged') {
    const suggestion = stage ? STAGE_SUGGESTION[stage] : UNKNOWN_STAGE_SUGGESTION
    const terms = STAGE_TERMS[stage ?? 'unknown']
    for (const g of GUILT) {
      for (const m of text.matchAll(g.re)) {
        const start = m.index
        const end = start + m[0].length
        if (g.accept && !g.accept(text, start, end)) continue
        out.push({
          kind: 'guilt',
          severity: 'high',
          start,
          end,
          text: m[0],
          suggestion,
          replacement: terms.replacement,
          alternatives: [...terms.alternatives],
          message: {
            vi: `"${m[0]}" quy kết có tội khi chưa có bản án; dùng "${suggestion}".`,
            en: `"${m[0]}" presumes guilt before a judgment; use "${suggestion}".`,
          },
        })
      }
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
      out.push({
        kind: 'stage-term',
        severity: 'medium',
        start: m.index,
        end: m.index + m[0].length,
        text: m[0],
        suggestion,
        replacement: STAGE_TERMS[st as Exclude<CaseStage, 'judged'>].replacement,
        alternatives: [...STAGE_TERMS[st as Exclude<CaseStage, 'judged'>].alternatives],
        message: {
          vi: `"${m[0]}" không đúng giai đoạn tố tụng của vụ việc; dùng "${suggestion}".`,
          en: `"${m[0]}" does not fit the case's procedural stage; use "${suggestion}".`,
        },
      })
    }
  }
  if (official) {
    for (const u of UNVERIFIED) {
      for (const m of text.matchAll(u.re)) {
        out.push({
          kind: 'unverified',
          severity: u.severity,
          start: m.index,
          end: m.index + m[0].length,
          text: m[0],
          message: {
            vi: `"${m[0]}" là thông tin chưa được kiểm chứng; văn bản chính thức chỉ nêu điều đã xác minh.`,
            en: `"${m[0]}" marks unverified information; official text should state only verified facts.`,
          },
        })
      }
    }
  }
  for (const m of text.matchAll(SENSATIONAL)) {
    const end = m.index + m[0].length
    if (/^sốc$/iu.test(m[0]) && SOC_TECHNICAL.test(text.slice(end, end + 20))) continue
    if (/^sốc$/iu.test(m[0]) && /chống\s+$/iu.test(text.slice(Math.max(0, m.index - 8), m.index))) continue
    out.push({
      kind: 'sensational',
      severity: 'low',
      start: m.index,
      end,
      text: m[0],
      message: {
        vi: `"${m[0]}" là từ giật gân; nên thuật lại sự việc bằng lời trung tính.`,
        en: `"${m[0]}" is sensational; describe the facts in neutral words.`,
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
