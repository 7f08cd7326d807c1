/**
 * The full content check behind the publish gate, the live editor panel and the public
 * `/kiem-tra` tool: normalisation, clickbait (title), personal data and wording, merged into
 * one list of findings with a severity and an overall risk.
 */
import { type ClickbaitResult, scoreClickbait } from './clickbait.ts'
import { looksLikeHtml, prepareText, stripHtml, type TextEncoding } from './normalize.ts'
import { findPersonalData, maskSpan, type PiiSpan, type PiiType } from './pii.ts'
import { type CaseStage, checkWording, type Severity, type WordingFinding, type WordingKind } from './wording.ts'

/** Input of {@link checkText}. */
export interface CheckInput {
  /** Body text: plain text or pasted HTML, any normal form, TCVN3/VNI accepted. */
  text: string
  /** Headline; scored for clickbait when given. */
  title?: string
  /** Procedural stage of the linked case; unknown means "not judged". */
  caseStage?: CaseStage
  /** Year used to turn birth years into ages (default: current year). */
  referenceYear?: number
  /** Whether this is official text (flags unverified-claim markers). Default true. */
  official?: boolean
}

/** Kinds of findings. */
export type FindingKind = 'personal-data' | WordingKind | 'clickbait'

/** One finding, ready to show next to the text. */
export interface Finding {
  /** What was found. */
  kind: FindingKind
  /** high blocks approval (unless overridden with a reason); medium and low inform. */
  severity: Severity
  /** Which text the offsets refer to: the prepared body (`normalized`) or the prepared title. */
  field: 'text' | 'title'
  /** UTF-16 offset into the field's prepared text. */
  start: number
  /** UTF-16 offset one past the end. */
  end: number
  /** The text of the finding. */
  text: string
  /** Explanation for editors, Vietnamese first. */
  message: { vi: string; en: string }
  /** A replacement (masked text, or the right term; for wording it may name several terms). */
  suggestion?: string
  /** Wording: the one term a one-click "apply" inserts (the stage's safe default). */
  replacement?: string
  /** Wording: the other terms that may fit instead of `replacement`. */
  alternatives?: string[]
  /** For personal data: its type. */
  piiType?: PiiType
}

/** A line of the body scored by the clickbait model, and why it was chosen. */
export interface LineClickbait extends ClickbaitResult {
  /** 1-based line number in the prepared body. */
  line: number
  /** UTF-16 offset of the line's first non-blank character in `normalized`. */
  start: number
  /** One past its last non-blank character. */
  end: number
  /** The line. */
  text: string
  /** `first-line`: the body's first line; `headline-like`: 6–30 syllables, no closing period, title-like. */
  why: 'first-line' | 'headline-like'
}

/** Result of {@link checkText}. */
export interface CheckResult {
  /** The body as checked (HTML stripped, NFC, legacy encoding converted); offsets refer to it. */
  normalized: string
  /** The prepared title, when a title was given; title findings refer to it. */
  normalizedTitle?: string
  /** Encoding detected in the body. */
  encoding: TextEncoding
  /** Whether the body was HTML and has been reduced to text. */
  html: boolean
  /** Clickbait score of the title, when a title was given. */
  clickbait?: ClickbaitResult
  /**
   * Without a title: the body's lines scored as headlines (the first line, and each line that
   * reads as a headline), so that a headline pasted into the text is not missed.
   */
  lines?: LineClickbait[]
  /** Personal data found in the body. */
  personalData: PiiSpan[]
  /** Wording findings in the body and title. */
  wording: WordingFinding[]
  /** All findings, body first then title, each ordered by position. */
  findings: Finding[]
  /** high if any finding is high, else medium if any is medium, else low. */
  risk: Severity
}

const TYPE_LABEL: Record<PiiType, { vi: string; en: string }> = {
  name: { vi: 'họ tên', en: 'full name' },
  age: { vi: 'tuổi / năm sinh', en: 'age / birth year' },
  id: { vi: 'số giấy tờ tùy thân', en: 'ID number' },
  phone: { vi: 'số điện thoại', en: 'phone number' },
  email: { vi: 'địa chỉ e-mail', en: 'e-mail address' },
  plate: { vi: 'biển số xe', en: 'vehicle plate' },
  bank: { vi: 'số tài khoản', en: 'bank account' },
  address: { vi: 'địa chỉ nơi ở', en: 'home address' },
  school: { vi: 'trường học', en: 'school' },
  date: { vi: 'ngày sinh', en: 'date of birth' },
  kinship: { vi: 'quan hệ gia đình chỉ ra trẻ', en: 'family relation that identifies a child' },
}

/** Sentence index of every position boundary: starts of sentences, ascending. */
function sentenceStarts(text: string): number[] {
  const starts = [0]
  for (const m of text.matchAll(/[.!?\n]+/g)) starts.push(m.index + m[0].length)
  return starts
}

function sentenceIndex(starts: number[], pos: number): number {
  let lo = 0
  let hi = starts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (starts[mid] <= pos) lo = mid
    else hi = mid - 1
  }
  return lo
}

function piiFindings(text: string, spans: PiiSpan[]): Finding[] {
  // A victim's or minor's other data (address, school, age) identifies them as much as the name.
  const starts = sentenceStarts(text)
  const protectedSentences = new Set<number>()
  for (const s of spans) {
    if ((s.type === 'name' && (s.role === 'victim' || s.minor)) || (s.type === 'age' && s.minor)) {
      protectedSentences.add(sentenceIndex(starts, s.start))
    }
  }
  let lastName: { sentence: number; protectedPerson: boolean } | undefined
  return spans.map((s) => {
    const sentence = sentenceIndex(starts, s.start)
    if (s.type === 'name') lastName = { sentence, protectedPerson: s.role === 'victim' || s.minor === true }
    // Other data belongs to the person named last in the sentence ("Đối tượng A (SN 1995) đâm
    // cháu B (12 tuổi), trú …": SN 1995 is A's, the address is B's); without a name, to the sentence.
    const owner = s.type !== 'name' && lastName?.sentence === sentence ? lastName : undefined
    const inProtected = s.type === 'name' ? false : owner ? owner.protectedPerson || s.minor === true : protectedSentences.has(sentence)
    const who = s.minor
      ? { vi: ' của người chưa thành niên', en: ' of a minor' }
      : s.role === 'victim' || inProtected
        ? { vi: ' của nạn nhân / người cần bảo vệ', en: ' of a victim or protected person' }
        : s.role === 'suspect'
          ? { vi: ' của đối tượng chưa bị kết án', en: ' of a person not convicted' }
          : { vi: '', en: '' }
    const severity: Severity =
      s.minor || s.role === 'victim' || inProtected
        ? 'high'
        : s.type === 'age' || s.type === 'plate' || s.type === 'school'
          ? 'low'
          : 'medium'
    const label = TYPE_LABEL[s.type]
    return {
      kind: 'personal-data',
      severity,
      field: 'text',
      start: s.start,
      end: s.end,
      text: s.text,
      piiType: s.type,
      suggestion: maskSpan(s, 'initials'),
      message: {
        vi: `Dữ liệu cá nhân (${label.vi})${who.vi} chưa được che.`,
        en: `Unmasked personal data (${label.en})${who.en}.`,
      },
    }
  })
}

function wordingFinding(w: WordingFinding, field: 'text' | 'title'): Finding {
  return {
    kind: w.kind,
    severity: w.severity,
    field,
    start: w.start,
    end: w.end,
    text: w.text,
    message: w.message,
    ...(w.suggestion ? { suggestion: w.suggestion } : {}),
    ...(w.replacement ? { replacement: w.replacement, alternatives: w.alternatives ?? [] } : {}),
  }
}

// A headline is a few words to about thirty; a first line longer than this is a paragraph.
// Later lines need six syllables: the subheadings of releases ("Diễn biến", "Tang vật thu
// giữ") are shorter, and the model, trained on headlines, scores such stubs high.
const HEADLINE_MAX_SYLLABLES = 40
const HEADLINE_LIKE = { min: 6, max: 30 }
// A pasted page has a handful of headings; a text of a thousand short lines is not scored line by line.
const MAX_SCORED_LINES = 20

/**
 * Whether a line reads as a headline: 6–30 syllables, no closing sentence punctuation, starts
 * like a title (a capital, a digit or an opening quote), and is not a list item.
 */
function readsAsHeadline(line: string, syllables: number): boolean {
  if (syllables < HEADLINE_LIKE.min || syllables > HEADLINE_LIKE.max) return false
  if (/[.,;:…]["”»)]?$/u.test(line)) return false
  if (/^(?:[-*•+–]|\d+[.)])\s/u.test(line)) return false
  return /^["“«(]?[\p{Lu}\p{N}]/u.test(line)
}

/**
 * Scores, as headlines, the first line of the body and each later line that reads as one.
 * Each line's next non-empty line is given as its lead paragraph.
 */
function scoreLines(text: string): LineClickbait[] {
  const raw: { start: number; end: number; text: string; line: number }[] = []
  let pos = 0
  let n = 0
  for (const part of text.split('\n')) {
    n++
    const lead = part.length - part.trimStart().length
    const t = part.trim()
    if (t !== '') raw.push({ start: pos + lead, end: pos + lead + t.length, text: t, line: n })
    pos += part.length + 1
  }
  const out: LineClickbait[] = []
  for (let i = 0; i < raw.length && out.length < MAX_SCORED_LINES; i++) {
    const l = raw[i]
    const syllables = (l.text.match(/[\p{L}\p{N}]+/gu) ?? []).length
    const why =
      i === 0 && syllables <= HEADLINE_MAX_SYLLABLES ? 'first-line' : readsAsHeadline(l.text, syllables) ? 'headline-like' : undefined
    if (!why) continue
    out.push({ ...scoreClickbait(l.text, raw[i + 1]?.text), line: l.line, start: l.start, end: l.end, text: l.text, why })
  }
  return out
}

const WHY_LABEL: Record<LineClickbait['why'], { vi: string; en: string }> = {
  'first-line': { vi: 'dòng đầu, đọc như tiêu đề', en: 'the first line, read as the headline' },
  'headline-like': { vi: 'dòng ngắn, không có dấu chấm cuối, như một tiêu đề', en: 'a short line without a final period, like a headline' },
}

/**
 * Runs every content check on a text (and its title).
 * @param input text, optional title, case stage and reference year
 * @returns normalised text, per-check results, merged findings and the overall risk
 */
export function checkText(input: CheckInput): CheckResult {
  const raw = typeof input?.text === 'string' ? input.text : ''
  const html = looksLikeHtml(raw)
  const { text: normalized, encoding } = prepareText(html ? stripHtml(raw) : raw)
  const pii = findPersonalData(normalized, { referenceYear: input.referenceYear })
  const wordingOpts = { caseStage: input.caseStage, official: input.official }
  const bodyWording = checkWording(normalized, wordingOpts)
  const findings: Finding[] = [...piiFindings(normalized, pii.spans), ...bodyWording.map((w) => wordingFinding(w, 'text'))]
  findings.sort((a, b) => a.start - b.start)
  let clickbait: ClickbaitResult | undefined
  let normalizedTitle: string | undefined
  const wording = [...bodyWording]
  if (typeof input.title === 'string' && input.title.trim() !== '') {
    const t = input.title
    normalizedTitle = prepareText(looksLikeHtml(t) ? stripHtml(t) : t).text
    const lead = normalized.split(/\n/).find((p) => p.trim() !== '')
    clickbait = scoreClickbait(normalizedTitle, lead)
    const titleWording = checkWording(normalizedTitle, wordingOpts)
    wording.push(...titleWording)
    if (clickbait.clickbait) {
      findings.push({
        kind: 'clickbait',
        severity: 'medium',
        field: 'title',
        start: 0,
        end: normalizedTitle.length,
        text: normalizedTitle,
        message: {
          // Each reason reads "vi / en": the Vietnamese message takes the Vietnamese half.
          vi: `Tít có dấu hiệu giật tít (điểm ${clickbait.score.toFixed(2)}): ${clickbait.reasons.map((r) => r.split(' / ')[0]).join('; ') || 'theo mô hình'}.`,
          en: `Headline looks like clickbait (score ${clickbait.score.toFixed(2)}): ${clickbait.reasons.join('; ') || 'model score'}.`,
        },
      })
    }
    findings.push(...titleWording.map((w) => wordingFinding(w, 'title')))
  }
  // No separate headline: a headline pasted at the top of the text, or a heading inside it, is
  // scored where it stands.
  const lines = normalizedTitle === undefined && normalized.trim() !== '' ? scoreLines(normalized) : undefined
  for (const l of lines ?? []) {
    if (!l.clickbait) continue
    findings.push({
      kind: 'clickbait',
      severity: 'medium',
      field: 'text',
      start: l.start,
      end: l.end,
      text: l.text,
      message: {
        vi: `Dòng ${l.line} (${WHY_LABEL[l.why].vi}) có dấu hiệu giật tít (điểm ${l.score.toFixed(2)}): ${l.reasons.map((r) => r.split(' / ')[0]).join('; ') || 'theo mô hình'}.`,
        en: `Line ${l.line} (${WHY_LABEL[l.why].en}) looks like clickbait (score ${l.score.toFixed(2)}): ${l.reasons.join('; ') || 'model score'}.`,
      },
    })
  }
  if (lines?.some((l) => l.clickbait)) findings.sort((a, b) => (a.field === b.field ? a.start - b.start : a.field === 'text' ? -1 : 1))
  const risk: Severity = findings.some((f) => f.severity === 'high')
    ? 'high'
    : findings.some((f) => f.severity === 'medium')
      ? 'medium'
      : 'low'
  return {
    normalized,
    ...(normalizedTitle !== undefined ? { normalizedTitle } : {}),
    encoding,
    html,
    ...(clickbait ? { clickbait } : {}),
    ...(lines ? { lines } : {}),
    personalData: pii.spans,
    wording,
    findings,
    risk,
  }
}
