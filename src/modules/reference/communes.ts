/**
 * The communes and wards (xã, phường) of Thanh Hóa province after the 2025 reorganisation
 * (Resolution 1686/NQ-UBTVQH15 of the National Assembly Standing Committee, effective
 * 1 July 2025): 19 wards + 147 communes = 166 units. Releases and warnings name the communes
 * they concern by `code`, a stable slug that never changes once published.
 *
 * The list lives in `communes-thanh-hoa.json` (NFC, in the order of the national unit codes);
 * its sources are named in the test beside this file.
 */
import { fold } from '../../text/normalize.ts'
import data from './communes-thanh-hoa.json' with { type: 'json' }

/** `phuong` = ward (phường, urban), `xa` = commune (xã, rural). */
export type CommuneKind = 'phuong' | 'xa'

/** One commune-level unit. */
export interface Commune {
  /** Stable slug id, e.g. `phuong-hac-thanh`; used in URLs and stored on records. */
  readonly code: string
  /** Official name with its kind, NFC, e.g. `Phường Hạc Thành`. */
  readonly name: string
  /** Ward or commune. */
  readonly kind: CommuneKind
}

/**
 * Slug of a Vietnamese name: diacritics folded (đ → d), lower-case, runs of anything other than
 * a–z and 0–9 replaced by one hyphen, no leading or trailing hyphen.
 * `communeSlug('Phường Hạc Thành')` → `phuong-hac-thanh`. Accepts NFC or NFD input.
 */
export function communeSlug(name: string): string {
  return fold(name.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}

function load(rows: readonly { code: string; name: string; kind: string }[]): readonly Commune[] {
  return Object.freeze(
    rows.map((row) => {
      // Fail closed: a malformed data file stops the process at import, not at some later lookup.
      if (row.kind !== 'phuong' && row.kind !== 'xa') throw new Error(`communes: unknown kind ${row.kind} for ${row.code}`)
      return Object.freeze({ code: row.code, name: row.name, kind: row.kind })
    }),
  )
}

/** All 166 communes and wards of Thanh Hóa, wards first, in national code order. */
export const COMMUNES: readonly Commune[] = load(data)

const byCode: ReadonlyMap<string, Commune> = new Map(COMMUNES.map((c) => [c.code, c]))

/** The commune with this code, or `undefined` for an unknown code. */
export function communeByCode(code: string): Commune | undefined {
  return byCode.get(code)
}

/** True when `code` is the code of a commune or ward of the province (a type guard for input). */
export function isCommuneCode(code: unknown): code is string {
  return typeof code === 'string' && byCode.has(code)
}
