/** The identifying keys, normalised: one line per input form. */
import { describe, expect, it } from 'vitest'
import { AppError } from '../../platform/errors.ts'
import { isUuid, normalizePartnerEmail, normalizePartnerPhone, normalizePressCard, parseDay } from './partners.normalize.ts'

const codeOf = (fn: () => unknown): string => {
  try {
    fn()
    return 'ok'
  } catch (e) {
    return e instanceof AppError ? e.code : String(e)
  }
}

describe('e-mail keys', () => {
  const SAME: [string, string][] = [
    ['  Phong.Vien@BaoThanhHoa.VN ', 'phong.vien@baothanhhoa.vn'],
    // IDN domain in Unicode, in NFD, and already in punycode: one key.
    ['lan@Báo.vn', 'lan@xn--bo-mia.vn'],
    ['lan@Ba\u0301o.vn', 'lan@xn--bo-mia.vn'],
    ['lan@xn--bo-mia.vn', 'lan@xn--bo-mia.vn'],
    // A Unicode local part stays Unicode (SMTPUTF8), NFC and lower-case.
    ['NGUYỄN@example.vn', 'nguyễn@example.vn'],
    ['Nguye\u0302\u0303n@example.vn', 'nguyễn@example.vn'],
  ]
  it.each(SAME)('%s → %s', (input, key) => {
    expect(normalizePartnerEmail(input)).toBe(key)
  })
  it.each(['', 'no-at-sign', '@example.vn', 'a@b', 'a b@example.vn', 'a@exa mple.vn', 'a@@example.vn', `${'x'.repeat(65)}@example.vn`])(
    'refuses %j',
    (input) => {
      expect(codeOf(() => normalizePartnerEmail(input))).toBe('INVALID_EMAIL')
    },
  )
})

describe('phone keys', () => {
  const SAME: [string, string][] = [
    ['0912345678', '0912345678'],
    ['0912 345 678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['+84 912 345 678', '0912345678'],
    ['+84912345678', '0912345678'],
    ['84912345678', '0912345678'],
    ['0084 912-345-678', '0912345678'],
    ['(+84) 0912 345 678', '0912345678'],
    ['+84 (0) 912 345 678', '0912345678'],
    ['０９１２３４５６７８', '0912345678'],
    ['0387 654 321', '0387654321'],
    // Fixed line, Thanh Hóa area code 237.
    ['0237 3852 111', '02373852111'],
    ['+84 237 3852 111', '02373852111'],
  ]
  it.each(SAME)('%s → %s', (input, key) => {
    expect(normalizePartnerPhone(input)).toBe(key)
  })
  const IMPOSSIBLE = [
    '',
    '12345',
    '091234567', // one digit short
    '09123456789', // one digit long for a mobile
    '01234567890', // retired 01x prefix
    '0412345678', // no such range
    '+1 415 555 0100', // not Vietnamese
    '0912-ABC-678',
    '+84 +912345678',
  ]
  it.each(IMPOSSIBLE)('refuses %j', (input) => {
    expect(codeOf(() => normalizePartnerPhone(input))).toBe('PARTNER_INVALID_PHONE')
  })
})

describe('press-card keys', () => {
  const SAME: [string, string][] = [
    ['ab-12345', 'AB12345'],
    [' AB 12 345 ', 'AB12345'],
    ['ab–12345', 'AB12345'],
    ['12345/TTH', '12345/TTH'],
  ]
  it.each(SAME)('%s → %s', (input, key) => {
    expect(normalizePressCard(input)).toBe(key)
  })
  it.each(['', '--', 'AB', 'thẻ-123', 'AB<12345>'])('refuses %j', (input) => {
    expect(codeOf(() => normalizePressCard(input))).toBe('PARTNER_INVALID_PRESS_CARD')
  })
})

describe('days and ids', () => {
  it('takes real calendar days only', () => {
    expect(parseDay('2026-12-20', 'd')).toBe('2026-12-20')
    for (const bad of ['2026-02-30', '20/12/2026', '2026-1-5', 'x']) expect(codeOf(() => parseDay(bad, 'd'))).toBe('PARTNER_INVALID')
  })
  it('recognises UUIDs', () => {
    expect(isUuid('0b6f1f5e-8a5d-4b8e-9a51-2d5c3e9a7f10')).toBe(true)
    expect(isUuid("1' OR 1=1")).toBe(false)
  })
})
