/**
 * One row of a partners list → a checked partner record, or the reasons it cannot be one. The
 * checks are those of `createPartner` (same normalisers, same limits), applied in memory so a
 * batch of rows costs a few queries, not a few per row. Each problem names its column and a
 * message key of the catalogue (rendered in both languages in the error report).
 */
import { isAppError } from '../../../platform/errors.ts'
import { cleanLine } from '../../../platform/text-input.ts'
import { fold } from '../../../text/normalize.ts'
import { communeSlug, isCommuneCode } from '../../reference/communes.ts'
import { isHttpUrl } from '../commands/create-press-outlet.ts'
import { normalizePartnerEmail, normalizePartnerPhone, normalizePressCard } from '../partners.normalize.ts'
import type { PartnerKey } from '../partners.repository.ts'
import type { ChannelPlatform, PartnerKind } from '../partners.tables.ts'
import type { ImportField, Mapping } from './mapping.ts'
import type { Cell } from './read.ts'

/** A problem of one row. */
export interface RowProblem {
  /** The field whose column is at fault (its header is shown). */
  field: ImportField | null
  /** Catalogue key of the message (`partners.import.row.*`). */
  key: string
  params: Record<string, string | number>
}

/** A row that passed the checks: what the registry stores, normalised. */
export interface ImportRecord {
  rowNumber: number
  kind: PartnerKind
  name: string
  outletId: string | null
  pressCardNumber: string | null
  pressCardExpiresOn: string | null
  phone: string | null
  email: string | null
  beats: string[]
  communeCodes: string[]
  accreditationEndsOn: string | null
  channels: { platform: ChannelPlatform; url: string }[]
  keys: PartnerKey[]
}

/** Lookups a row needs: outlets by folded name. */
export interface RowContext {
  outletsByName: ReadonlyMap<string, string>
}

const CHANNEL_FIELDS: readonly [ImportField, ChannelPlatform][] = [
  ['facebook', 'facebook'],
  ['tiktok', 'tiktok'],
  ['youtube', 'youtube'],
  ['zalo', 'zalo'],
  ['otherChannel', 'other'],
]

const JOURNALIST = new Set(['journalist', 'nha bao', 'phong vien', 'bien tap vien', 'pv', 'nb', 'bao chi', 'reporter'])
const INFLUENCER = new Set(['influencer', 'kol', 'nguoi co anh huong', 'nguoi anh huong', 'koc', 'creator', 'tiktoker', 'youtuber'])

/** A text cell (dates as `yyyy-mm-dd`), or '' when empty. */
function text(cell: Cell | undefined): string {
  if (cell === null || cell === undefined) return ''
  if (cell instanceof Date) return cell.toISOString().slice(0, 10)
  // Our own export (and others) put an apostrophe before formula-like text: read it back.
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell
}

/**
 * A calendar day from a cell: an Excel date cell, `dd/mm/yyyy` (also `-` or `.`), `yyyy-mm-dd`,
 * or an Excel serial number (a date column formatted as a number). `null` when it is none.
 */
export function parseImportDay(cell: Cell): string | null {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10)
  const s = (cell ?? '').trim()
  let y: number
  let m: number
  let d: number
  const dmy = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(s)
  const ymd = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(s)
  if (dmy) {
    d = Number(dmy[1])
    m = Number(dmy[2])
    y = Number(dmy[3])
  } else if (ymd) {
    y = Number(ymd[1])
    m = Number(ymd[2])
    d = Number(ymd[3])
  } else if (/^\d{5}$/.test(s) && Number(s) > 20000 && Number(s) < 80000) {
    // Excel's serial day: 1 = 1900-01-01 with the 1900 leap-year bug, so day 0 is 1899-12-30.
    return new Date(Date.UTC(1899, 11, 30) + Number(s) * 86_400_000).toISOString().slice(0, 10)
  } else return null
  const date = new Date(Date.UTC(y, m - 1, d))
  if (y < 1900 || y > 2200 || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null
  return date.toISOString().slice(0, 10)
}

/** A commune name ("Phường Hạc Thành", "Hạc Thành", "hac thanh") or code → its code, else null. */
export function communeCodeOf(value: string): string | null {
  const slug = communeSlug(value)
  if (isCommuneCode(slug)) return slug
  for (const prefix of ['phuong-', 'xa-']) if (isCommuneCode(prefix + slug)) return prefix + slug
  return null
}

/** Splits a list cell ("Pháp luật; Giao thông", "a, b") into its items. */
function items(s: string): string[] {
  return s
    .split(/[;,\n|]/)
    .map((x) => x.trim())
    .filter(Boolean)
}

/**
 * Checks one row against the mapping. Returns the record, or the problems found (all of them,
 * so the report lists everything wrong with a row at once).
 */
export function checkRow(
  rowNumber: number,
  cells: Cell[],
  mapping: Mapping,
  ctx: RowContext,
): { record: ImportRecord; problems?: undefined } | { record?: undefined; problems: RowProblem[] } {
  const problems: RowProblem[] = []
  const get = (f: ImportField): Cell => (mapping[f] === undefined ? null : (cells[mapping[f] as number] ?? null))
  const problem = (field: ImportField | null, key: string, params: Record<string, string | number> = {}) =>
    problems.push({ field, key: `partners.import.row.${key}`, params })

  const name = cleanLine(text(get('name')), 200)
  if (!name) problem('name', 'nameMissing')
  if (text(get('name')).length > 200) problem('name', 'tooLong', { max: 200 })

  const keyed = <T>(field: ImportField, fn: (s: string) => T, key: string): T | null => {
    const v = text(get(field)).trim()
    if (!v) return null
    try {
      return fn(v)
    } catch (e) {
      if (!isAppError(e)) throw e
      problem(field, key, { value: v.slice(0, 80) })
      return null
    }
  }
  const email = keyed('email', normalizePartnerEmail, 'email')
  const phone = keyed('phone', normalizePartnerPhone, 'phone')
  const pressCardRaw = text(get('pressCard')).trim()
  const pressCardKey = keyed('pressCard', normalizePressCard, 'pressCard')
  if (!email && !phone && !pressCardKey && !problems.some((p) => p.field && ['email', 'phone', 'pressCard'].includes(p.field))) {
    problem(null, 'noKey')
  }
  // createPartner needs a way to reach the person: an e-mail or a phone.
  if (!email && !phone && !problems.some((p) => p.field === 'email' || p.field === 'phone')) problem('email', 'noContact')

  const dayOf = (field: ImportField): string | null => {
    const cell = get(field)
    if (cell === null) return null
    const day = parseImportDay(cell)
    if (!day) problem(field, 'date', { value: text(cell).slice(0, 40) })
    return day
  }
  const pressCardExpiresOn = dayOf('pressCardExpires')
  const accreditationEndsOn = dayOf('accreditationEnds')

  let outletId: string | null = null
  const outletName = text(get('outlet')).trim()
  if (outletName) {
    outletId = ctx.outletsByName.get(fold(outletName).replace(/\s+/g, ' ')) ?? null
    if (!outletId) problem('outlet', 'outlet', { value: outletName.slice(0, 120) })
  }

  const beats = [...new Set(items(text(get('beats'))).map((b) => cleanLine(b, 80)))].filter(Boolean)
  if (beats.length > 30) problem('beats', 'beats', { max: 30 })

  const communeCodes: string[] = []
  for (const c of items(text(get('communes')))) {
    const code = communeCodeOf(c)
    if (code) {
      if (!communeCodes.includes(code)) communeCodes.push(code)
    } else problem('communes', 'commune', { value: c.slice(0, 80) })
  }

  const channels: { platform: ChannelPlatform; url: string }[] = []
  for (const [field, platform] of CHANNEL_FIELDS) {
    const url = text(get(field)).trim()
    if (!url) continue
    if (isHttpUrl(url) && url.length <= 500) channels.push({ platform, url })
    else problem(field, 'url', { value: url.slice(0, 80) })
  }

  const kindText = fold(text(get('kind'))).trim()
  let kind: PartnerKind
  if (kindText) {
    if (JOURNALIST.has(kindText)) kind = 'journalist'
    else if (INFLUENCER.has(kindText)) kind = 'influencer'
    else {
      problem('kind', 'kind', { value: text(get('kind')).slice(0, 40) })
      kind = 'journalist'
    }
  } else {
    // No kind given: a press card or an outlet makes a journalist, channels an influencer.
    kind = pressCardRaw || outletName || channels.length === 0 ? 'journalist' : 'influencer'
  }
  if (kind === 'influencer' && (pressCardRaw || outletName || pressCardExpiresOn)) problem('kind', 'influencerCard')
  if (kind === 'journalist' && channels.length) problem('kind', 'journalistChannels')

  if (problems.length) return { problems }
  const keys: PartnerKey[] = []
  if (pressCardKey) keys.push({ kind: 'press_card', value: pressCardKey })
  if (email) keys.push({ kind: 'email', value: email })
  if (phone) keys.push({ kind: 'phone', value: phone })
  return {
    record: {
      rowNumber,
      kind,
      name,
      outletId,
      pressCardNumber: pressCardRaw ? cleanLine(pressCardRaw, 40) : null,
      pressCardExpiresOn,
      phone,
      email,
      beats,
      communeCodes,
      accreditationEndsOn,
      channels,
      keys,
    },
  }
}
