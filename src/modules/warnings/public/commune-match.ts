/**
 * "Xã của tôi": the communes a citizen means by what they typed in the commune filter of the
 * public list — a commune code from a link (`xa-hoang-hoa`), or a name typed with or without
 * diacritics, with the old or the new tone-mark placement ("Hoằng Hoá", "Hoằng Hóa",
 * "hoang hoa"), with or without "xã"/"phường".
 */
import { canonicalTones, fold } from '../../../text/normalize.ts'
import { COMMUNES, type Commune, communeByCode } from '../../reference/communes.ts'

/** A name without its kind word, spaces collapsed: "Xã Hoằng Hóa" → "Hoằng Hóa". */
function bare(name: string): string {
  return name
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^(xã|phường|xa|phuong|thị trấn|thi tran)\s+/i, '')
}

const accented = (s: string) => canonicalTones(bare(s.normalize('NFC')).toLowerCase())
const folded = (s: string) => fold(bare(s.normalize('NFC')))

const KEYS = COMMUNES.map((c) => ({ c, accented: accented(c.name), folded: folded(c.name) }))

/**
 * The communes `input` names, best matches only: the commune of that code; else those whose
 * name equals it (accents compared when typed, tone placement canonical); else equal once
 * diacritics are folded; else those whose folded name contains it as whole words. Empty when
 * nothing matches or the input is blank.
 */
export function communesMatching(input: string): Commune[] {
  const raw = input.normalize('NFC').trim()
  if (!raw) return []
  const byCode = communeByCode(raw.toLowerCase())
  if (byCode) return [byCode]
  const q = folded(raw)
    .replace(/[^a-z0-9 ]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
  if (!q) return []
  // Typed with diacritics: the exact name wins over names that only fold alike ("Hòa" ≠ "Hóa").
  if (fold(raw) !== raw.toLowerCase()) {
    const a = accented(raw)
    const exact = KEYS.filter((k) => k.accented === a)
    if (exact.length) return exact.map((k) => k.c)
  }
  const same = KEYS.filter((k) => k.folded === q)
  if (same.length) return same.map((k) => k.c)
  return KEYS.filter((k) => ` ${k.folded} `.includes(` ${q} `)).map((k) => k.c)
}
