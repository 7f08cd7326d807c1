/**
 * The working copy of a warning as staff typed it (the console's form), read into a checked
 * `WarningInput`. Every text is made CAP-safe here, before it is stored: NFC, HTML tags
 * stripped, characters XML 1.0 forbids removed, spaces tidied (the CAP writer does the same on
 * output; cleaning on input means the console, the pages and the mails all show what CAP
 * carries). Limits are the migration's CHECKs, so a bad form is a clear 400, never a 500.
 */
import { now } from '../../../platform/clock.ts'
import { AppError } from '../../../platform/errors.ts'
import { parseLocalDateTime } from '../../../platform/time.ts'
import { decodeEntities, looksLikeHtml } from '../../../text/normalize.ts'
import { isCommuneCode } from '../../reference/communes.ts'
import { plainText } from '../cap/cap.ts'
import { type CapStatus, WARNING_KINDS, WARNING_LEVELS, type WarningKind, type WarningLevel } from '../warnings.types.ts'

/** The working copy of a warning, checked and cleaned. */
export interface WarningInput {
  kind: WarningKind
  level: WarningLevel
  /** CAP status: Actual unless an exercise or a test. */
  capStatus: CapStatus
  titleVi: string
  descriptionVi: string
  /** What the public should do ('' when nothing). */
  instructionVi: string
  titleEn: string | null
  descriptionEn: string | null
  instructionEn: string | null
  /** The whole province (then `communes` is empty). */
  wholeProvince: boolean
  /** Commune codes of the reference list, each once, in the order given. */
  communes: string[]
  validFrom: Date
  validUntil: Date | null
  /** Phrases and call scripts the self-check matches (one per line in the form). */
  patterns: string[]
  /** Links the warning names, as written (one per line in the form). */
  links: string[]
  /** Missing person: the family's consent was given (with `consentNote` saying who and how). */
  consentGiven: boolean
  consentNote: string | null
  /** Wanted notice: the wanted decision's number, date and issuing body. */
  legalBasis: string | null
}

/** Limits (characters), as the migration's CHECKs hold them. */
export const WARNING_LIMITS = {
  title: { min: 5, max: 300 },
  description: { min: 1, max: 20_000 },
  instruction: 5_000,
  consentNote: 1_000,
  legalBasis: 1_000,
  patterns: 30,
  pattern: 500,
  links: 20,
  link: 2_000,
} as const

const CAP_STATUSES: readonly CapStatus[] = ['Actual', 'Exercise', 'Test']

/** The first string of a form field (a repeated field gives an array). */
function str(v: unknown): string {
  if (Array.isArray(v)) return typeof v[0] === 'string' ? v[0] : ''
  return typeof v === 'string' ? v : ''
}

/** Every string of a form field (repeated or single). */
function strs(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return typeof v === 'string' ? [v] : []
}

/** A checkbox: "on", "1", "true", "yes". */
function checked(v: unknown): boolean {
  return ['on', '1', 'true', 'yes'].includes(str(v).trim().toLowerCase())
}

/** A CAP-safe text (see the file's header). */
export function cleanText(v: string): string {
  const text = plainText(v)
  // Pasted from a web page: its character references are text too (&amp; → &, &nbsp; → space).
  return looksLikeHtml(v) ? plainText(decodeEntities(text).replace(/\u00a0/g, ' ')) : text
}

function invalid(field: string, reason: string): AppError {
  return new AppError('WARNING_INVALID', { field, reason })
}

function required(raw: Record<string, unknown>, field: string, min: number, max: number): string {
  const v = cleanText(str(raw[field]))
  if (v.length < min) throw invalid(field, v.length === 0 ? 'required' : 'too_short')
  if (v.length > max) throw invalid(field, 'too_long')
  return v
}

function optional(raw: Record<string, unknown>, field: string, max: number): string | null {
  const v = cleanText(str(raw[field]))
  if (v.length > max) throw invalid(field, 'too_long')
  return v || null
}

/** Lines of a textarea (or a repeated field), cleaned, empty ones dropped, each once. */
function lines(raw: Record<string, unknown>, field: string, maxCount: number, maxEach: number): string[] {
  const out: string[] = []
  for (const chunk of strs(raw[field])) {
    for (const line of chunk.split(/\r\n?|\n/)) {
      // One line stays one line: a pasted tag or control character never splits it.
      const v = cleanText(line).replace(/\s+/g, ' ')
      if (!v) continue
      if (v.length > maxEach) throw invalid(field, 'too_long')
      if (!out.includes(v)) out.push(v)
    }
  }
  if (out.length > maxCount) throw invalid(field, 'too_many')
  return out
}

/** Commune codes from an array of codes or one comma/space/newline-separated string. */
function communeCodes(v: unknown): string[] {
  const out: string[] = []
  for (const chunk of strs(v)) {
    for (const code of chunk.split(/[\s,;]+/)) {
      const c = code.trim().toLowerCase()
      if (c && !out.includes(c)) out.push(c)
    }
  }
  return out
}

function instant(raw: Record<string, unknown>, field: string): Date | null {
  const v = str(raw[field]).trim()
  if (!v) return null
  const at = parseLocalDateTime(v)
  if (!at) throw invalid(field, 'bad_time')
  return at
}

/**
 * Reads the console's form (a parsed urlencoded body) into a checked working copy. Throws an
 * AppError naming the first problem: WARNING_INVALID (kind, level, a missing or too long text,
 * a bad time, too many patterns or links), WARNING_BAD_COMMUNE (names the unknown code),
 * WARNING_NO_AREA, WARNING_UNTIL_BEFORE_FROM, WARNING_CONSENT_REQUIRED (a missing person
 * without the family's recorded consent), WARNING_LEGAL_BASIS_REQUIRED (a wanted notice
 * without its legal basis).
 */
export function parseWarningInput(raw: Record<string, unknown>): WarningInput {
  const kind = str(raw.kind).trim()
  if (!(WARNING_KINDS as readonly string[]).includes(kind)) throw invalid('kind', 'unknown')
  const level = str(raw.level).trim()
  if (!(WARNING_LEVELS as readonly string[]).includes(level)) throw invalid('level', 'unknown')
  const capStatusRaw = str(raw.capStatus).trim() || 'Actual'
  if (!(CAP_STATUSES as readonly string[]).includes(capStatusRaw)) throw invalid('capStatus', 'unknown')

  const L = WARNING_LIMITS
  const titleVi = required(raw, 'titleVi', L.title.min, L.title.max)
  const descriptionVi = required(raw, 'descriptionVi', L.description.min, L.description.max)
  const instructionVi = optional(raw, 'instructionVi', L.instruction) ?? ''
  const titleEn = optional(raw, 'titleEn', L.title.max)
  const descriptionEn = optional(raw, 'descriptionEn', L.description.max)
  const instructionEn = optional(raw, 'instructionEn', L.instruction)

  const wholeProvince = checked(raw.wholeProvince)
  const codes = communeCodes(raw.communes)
  for (const c of codes) if (!isCommuneCode(c)) throw new AppError('WARNING_BAD_COMMUNE', { code: String(c).slice(0, 80) })
  if (!wholeProvince && codes.length === 0) throw new AppError('WARNING_NO_AREA')

  // Empty = from now, on the minute: what the form shows back (datetime-local) is then exactly
  // what is stored, so saving the form again changes nothing.
  const validFrom = instant(raw, 'validFrom') ?? new Date(Math.floor(now().getTime() / 60_000) * 60_000)
  const validUntil = instant(raw, 'validUntil')
  if (validUntil && validUntil.getTime() <= validFrom.getTime()) throw new AppError('WARNING_UNTIL_BEFORE_FROM')

  const patterns = lines(raw, 'patterns', L.patterns, L.pattern)
  const links = lines(raw, 'links', L.links, L.link)

  const consentGiven = checked(raw.consentGiven)
  const consentNote = optional(raw, 'consentNote', L.consentNote)
  if (kind === 'missing_person' && (!consentGiven || !consentNote)) throw new AppError('WARNING_CONSENT_REQUIRED')
  const legalBasis = optional(raw, 'legalBasis', L.legalBasis)
  if (kind === 'wanted' && !legalBasis) throw new AppError('WARNING_LEGAL_BASIS_REQUIRED')

  return {
    kind: kind as WarningKind,
    level: level as WarningLevel,
    capStatus: capStatusRaw as CapStatus,
    titleVi,
    descriptionVi,
    instructionVi,
    titleEn,
    descriptionEn,
    instructionEn,
    wholeProvince,
    communes: wholeProvince ? [] : codes,
    validFrom,
    validUntil,
    patterns,
    links,
    consentGiven,
    consentNote,
    legalBasis,
  }
}

/** The columns of the working copy an input sets (create and update alike; consent is theirs). */
export function workingCopyColumns(i: WarningInput) {
  return {
    kind: i.kind,
    level: i.level,
    capStatus: i.capStatus,
    titleVi: i.titleVi,
    descriptionVi: i.descriptionVi,
    instructionVi: i.instructionVi,
    titleEn: i.titleEn,
    descriptionEn: i.descriptionEn,
    instructionEn: i.instructionEn,
    wholeProvince: i.wholeProvince,
    communes: i.wholeProvince ? [] : i.communes,
    validFrom: i.validFrom,
    validUntil: i.validUntil,
    patterns: i.patterns,
    links: i.links,
    legalBasis: i.legalBasis,
  }
}
