/**
 * Column mapping of a partners list: the fields we import, the header names that propose each
 * (Vietnamese with or without diacritics, English), and the check that the required ones are
 * there (the name, and at least one identifying key).
 */
import { AppError } from '../../../platform/errors.ts'
import { fold } from '../../../text/normalize.ts'
import type { Cell } from './read.ts'

/** Fields a column can be mapped to, in the order the preview lists them. */
export const IMPORT_FIELDS = [
  'name',
  'kind',
  'outlet',
  'pressCard',
  'pressCardExpires',
  'phone',
  'email',
  'beats',
  'communes',
  'accreditationEnds',
  'facebook',
  'tiktok',
  'youtube',
  'zalo',
  'otherChannel',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]
/** Field → 0-based column index. */
export type Mapping = Partial<Record<ImportField, number>>

/** The fields that identify a person: a row needs at least one of them mapped. */
export const KEY_FIELDS: readonly ImportField[] = ['pressCard', 'email', 'phone']

// Header names, folded (no diacritics, lower-case, single spaces). Exact matches first, then
// a header that contains one of them (longer names first, so "so the nha bao" beats "the").
const SYNONYMS: Record<ImportField, string[]> = {
  name: ['ho va ten', 'ho ten', 'ho ten day du', 'ten', 'ten doi tac', 'full name', 'name', 'nguoi', 'ten nha bao'],
  kind: ['loai', 'loai doi tac', 'doi tuong', 'kind', 'type', 'vai tro'],
  outlet: ['co quan bao chi', 'co quan', 'bao', 'don vi', 'toa soan', 'outlet', 'media outlet', 'organisation', 'organization'],
  pressCard: ['so the nha bao', 'the nha bao', 'so the', 'ma the', 'press card', 'press card number', 'card number'],
  pressCardExpires: ['han the', 'ngay het han the', 'het han the', 'han the nha bao', 'card expiry', 'press card expiry', 'expires'],
  phone: ['dien thoai', 'so dien thoai', 'sdt', 'dt', 'di dong', 'phone', 'mobile', 'telephone', 'tel'],
  email: ['email', 'e mail', 'thu dien tu', 'dia chi email', 'mail'],
  beats: ['chuyen muc', 'linh vuc', 'chuyen muc linh vuc', 'chu de', 'beats', 'beat', 'topics', 'topic'],
  communes: ['xa phuong', 'xa', 'phuong', 'dia ban', 'communes', 'commune', 'ward'],
  accreditationEnds: ['han cong nhan', 'thoi han cong nhan', 'het han cong nhan', 'accreditation ends', 'accreditation'],
  facebook: ['facebook', 'fb'],
  tiktok: ['tiktok', 'tik tok'],
  youtube: ['youtube', 'yt'],
  zalo: ['zalo'],
  otherChannel: ['kenh khac', 'trang khac', 'website', 'other channel', 'channel', 'kenh'],
}

/** A header folded for matching: no diacritics, lower-case, punctuation as spaces. */
export function foldHeader(h: string): string {
  return fold(h.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
}

/**
 * Proposes a mapping from the header names: each field takes the first column whose folded
 * name is one of its synonyms, else the first that contains one (each column used once).
 */
export function proposeMapping(header: string[]): Mapping {
  const folded = header.map(foldHeader)
  const used = new Set<number>()
  const out: Mapping = {}
  for (const pass of ['exact', 'contains'] as const) {
    for (const field of IMPORT_FIELDS) {
      if (out[field] !== undefined) continue
      const names = [...SYNONYMS[field]].sort((a, b) => b.length - a.length)
      const i = folded.findIndex(
        (h, idx) => !used.has(idx) && h !== '' && names.some((n) => (pass === 'exact' ? h === n : ` ${h} `.includes(` ${n} `))),
      )
      if (i >= 0) {
        out[field] = i
        used.add(i)
      }
    }
  }
  return out
}

/**
 * Refuses a mapping without a name column or without any key column (PARTNER_IMPORT_MISSING_COLUMNS,
 * naming what is missing), or one that maps two fields to one column or to a column the file
 * does not have (PARTNER_IMPORT_MAPPING).
 */
export function checkMapping(mapping: Mapping, columns: number): void {
  const missing: string[] = []
  if (mapping.name === undefined) missing.push('name')
  if (!KEY_FIELDS.some((f) => mapping[f] !== undefined)) missing.push('email/phone/pressCard')
  if (missing.length) throw new AppError('PARTNER_IMPORT_MISSING_COLUMNS', { columns: missing.join(', ') })
  const seen = new Set<number>()
  for (const [field, col] of Object.entries(mapping)) {
    if (!Number.isInteger(col) || (col as number) < 0 || (col as number) >= columns || seen.has(col as number)) {
      throw new AppError('PARTNER_IMPORT_MAPPING', { field })
    }
    seen.add(col as number)
  }
}

/** Whether a row holds any value. */
export function isBlankRow(cells: Cell[]): boolean {
  return cells.every((c) => c === null || (typeof c === 'string' && c.trim() === ''))
}

/**
 * The header row: the first row with at least two different non-empty cells (a title row
 * merged across the sheet above the header has one value). Cells become text.
 */
export function isHeaderCandidate(cells: Cell[]): boolean {
  const values = new Set(cells.filter((c): c is string => typeof c === 'string' && c.trim() !== ''))
  return values.size >= 2
}
