/**
 * Certificate codes: XXXX-XXXX-XXXX from an alphabet without look-alikes (no 0/O, 1/I/L, nor
 * U/V), so a code read off paper is typed right. 29¹² ≈ 3.5·10¹⁷ codes: guessing one is hopeless.
 */
import { randomInt } from 'node:crypto'

/** The alphabet of certificate codes. */
export const CERTIFICATE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ'

/** A new random code, `XXXX-XXXX-XXXX`. */
export function newCertificateCode(): string {
  let s = ''
  for (let i = 0; i < 12; i++) s += CERTIFICATE_ALPHABET[randomInt(CERTIFICATE_ALPHABET.length)]
  return `${s.slice(0, 4)}-${s.slice(4, 8)}-${s.slice(8)}`
}

/** A typed code (any case, with or without dashes or spaces) in canonical form, or null when it cannot be one. */
export function normalizeCertificateCode(input: string): string | null {
  const c = input.toUpperCase().replace(/[\s.\-–]/g, '')
  if (c.length !== 12 || [...c].some((ch) => !CERTIFICATE_ALPHABET.includes(ch))) return null
  return `${c.slice(0, 4)}-${c.slice(4, 8)}-${c.slice(8)}`
}
