/**
 * The text an influencer signs: carrying content of the press office, they act as "người
 * chuyển tải" under the amended Advertising Law (in force 1 January 2026) and label it as
 * official information. Each version is kept verbatim; a signature stores the version and the
 * SHA-256 of its text, so a later wording never rewrites what was signed.
 */
import { createHash } from 'node:crypto'

/** Versions of the acknowledgement, newest last. */
export const ACKNOWLEDGEMENT_TEXTS: Readonly<Record<string, string>> = {
  '2026-01':
    'Khi đăng tải, chia sẻ nội dung do cơ quan công an cung cấp, tôi là người chuyển tải theo Luật Quảng cáo (sửa đổi, có hiệu lực từ ngày 01/01/2026) và ghi rõ đó là thông tin chính thức của cơ quan công an. / When I publish or share content provided by the police, I act as a carrier ("người chuyển tải") under the amended Advertising Law (in force from 1 January 2026) and label it as official information of the police.',
}

/** The version new signatures use. */
export const CURRENT_ACKNOWLEDGEMENT_VERSION = '2026-01'

/** SHA-256 (hex) of a version's text; undefined for an unknown version. */
export function acknowledgementHash(version: string): string | undefined {
  // Own keys only: `constructor` or `__proto__` is no version.
  const text = Object.hasOwn(ACKNOWLEDGEMENT_TEXTS, version) ? ACKNOWLEDGEMENT_TEXTS[version] : undefined
  return typeof text !== 'string' ? undefined : createHash('sha256').update(text, 'utf8').digest('hex')
}
