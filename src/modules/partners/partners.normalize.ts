/**
 * The keys that identify one person, normalised so that the same person typed twice gives the
 * same key: e-mail, phone, press-card number. Pure functions (unit-tested); bad input throws a
 * typed error with a bilingual message.
 */
import { domainToASCII } from 'node:url'
import { AppError } from '../../platform/errors.ts'

/**
 * An e-mail address as a key: trimmed, NFC, lower-case, and its domain in punycode
 * (`Nguyễn@Báo.vn` → `nguyễn@xn--bo-mia.vn`), so an IDN domain typed in Unicode or in ASCII is
 * one address. The local part keeps its Unicode (SMTPUTF8). Throws INVALID_EMAIL.
 */
export function normalizePartnerEmail(input: string): string {
  const email = input.trim().normalize('NFC').toLowerCase()
  const at = email.lastIndexOf('@')
  const local = email.slice(0, at)
  const domain = at > 0 ? domainToASCII(email.slice(at + 1)) : ''
  // domainToASCII answers '' for a domain it cannot encode; a usable domain also has a dot.
  if (at <= 0 || local.length > 64 || /[\s@<>(),;:"[\]\\]/u.test(local) || !domain || !/^[a-z0-9.-]+\.[a-z0-9-]{2,}$/.test(domain)) {
    throw new AppError('INVALID_EMAIL')
  }
  const out = `${local}@${domain}`
  if (out.length > 254) throw new AppError('INVALID_EMAIL')
  return out
}

// Mobile: 0 + 9 digits after a 3/5/7/8/9 (the 2018 numbering plan); fixed lines: 02 + 9 digits
// (area code 2xx and an 8-digit subscriber number, e.g. Thanh Hóa 0237 xxx xxxx).
const MOBILE = /^0[35789]\d{8}$/
const FIXED = /^02\d{9}$/

/**
 * A Vietnamese phone number in its canonical national form `0xxxxxxxxx`: `+84 912 345 678`,
 * `84912345678`, `0084-912.345.678`, `(+84) 0912 345 678` and `0912 345 678` are one number.
 * Refuses what cannot be a Vietnamese number (wrong length, retired 01x prefixes, letters):
 * PARTNER_INVALID_PHONE.
 */
export function normalizePartnerPhone(input: string): string {
  const compact = input.normalize('NFKC').replace(/[\s.\-–—()/]/gu, '')
  if (!/^\+?\d+$/.test(compact)) throw new AppError('PARTNER_INVALID_PHONE')
  let digits = compact.replace(/^\+/, '')
  if (compact.startsWith('+')) {
    if (!digits.startsWith('84')) throw new AppError('PARTNER_INVALID_PHONE')
    digits = digits.slice(2)
  } else if (digits.startsWith('0084')) {
    digits = digits.slice(4)
  } else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) {
    // 84 + a national number without its trunk 0 (9 digits mobile, 10 fixed).
    digits = digits.slice(2)
  }
  // After a country code people often keep the trunk 0: "+84 0912…".
  const national = digits.startsWith('0') ? digits : `0${digits}`
  if (!MOBILE.test(national) && !FIXED.test(national)) throw new AppError('PARTNER_INVALID_PHONE')
  return national
}

/**
 * A press-card number as a key: NFKC, upper-case, no spaces or dashes (`ab-12 345` →
 * `AB12345`). Letters A–Z, digits and `/` remain; anything else is refused:
 * PARTNER_INVALID_PRESS_CARD.
 */
export function normalizePressCard(input: string): string {
  const key = input
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[\s\-‐‑‒–—_.]/gu, '')
  if (!/^[A-Z0-9/]{3,30}$/.test(key)) throw new AppError('PARTNER_INVALID_PRESS_CARD')
  return key
}

/** A calendar day `YYYY-MM-DD` that exists (no 2026-02-30); PARTNER_INVALID naming `field` otherwise. */
export function parseDay(value: string, field: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.trim())
  const d = m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : null
  if (!m || !d || d.toISOString().slice(0, 10) !== value.trim()) throw new AppError('PARTNER_INVALID', { field })
  return value.trim()
}

/** True for a UUID (ids from outside are checked before they reach a uuid column). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value)
}
