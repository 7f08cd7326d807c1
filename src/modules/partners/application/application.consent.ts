/**
 * The consent an applicant gives to the processing of their personal data under Law
 * 91/2025/QH15 on personal data protection: purpose, data, retention and how to withdraw. Each
 * version is kept verbatim; an application stores the version and the time it was given, so a
 * later wording never rewrites what was agreed.
 */

/** Versions of the consent text (Vietnamese, then English), newest last. */
export const CONSENT_TEXTS: Readonly<Record<string, { vi: string; en: string }>> = {
  '2026-01': {
    vi: 'Tôi đồng ý để bộ phận báo chí của Công an tỉnh xử lý dữ liệu cá nhân tôi khai trong đơn này (họ tên, thư điện tử, số điện thoại, cơ quan báo chí, số và ảnh thẻ nhà báo hoặc kênh và ảnh chụp kênh, lĩnh vực, địa bàn) theo Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15, với mục đích: xét công nhận đối tác báo chí và gửi thông tin chính thức cho tôi. Dữ liệu được lưu trong thời gian tôi là đối tác và 2 năm sau khi hết công nhận, hoặc đến khi tôi rút lại sự đồng ý. Tôi có thể rút lại sự đồng ý bất cứ lúc nào bằng nút «Rút lại sự đồng ý» trên trang trạng thái đơn (đường dẫn riêng gửi qua thư) — hồ sơ khi đó bị thu hồi và cán bộ được báo để xóa dữ liệu.',
    en: 'I agree that the press office of the provincial police processes the personal data I give in this application (name, e-mail, phone, outlet, press-card number and photo or channels and channel proof, beats, areas covered) under Law 91/2025/QH15 on personal data protection, for the purpose of accrediting me as a press partner and sending me official information. The data is kept while I am a partner and for 2 years after my accreditation ends, or until I withdraw my consent. I can withdraw it at any time with the "Withdraw consent" button on my application status page (private link sent by e-mail) — the record is then revoked and staff are told to erase the data.',
  },
}

/** The version new applications use. */
export const CURRENT_CONSENT_VERSION = '2026-01'

/** What a consent text promises about retention (read by application.retention.ts). */
export interface ConsentRetention {
  /** Years the data is kept after the partner stops being one (revoked or expired). */
  yearsAfterEnd: number
  /** Days after a withdrawal before erasure; 0 = at once (the next daily run). */
  daysAfterWithdrawal: number
}

/**
 * The retention each consent version states: "while I am a partner and for 2 years after my
 * accreditation ends, or until I withdraw my consent" (no grace after a withdrawal). A new
 * wording adds its own line, so records keep the promise made to them.
 */
export const CONSENT_RETENTION: Readonly<Record<string, ConsentRetention>> = {
  '2026-01': { yearsAfterEnd: 2, daysAfterWithdrawal: 0 },
}

/** Days an application may wait for its e-mail to be verified before it is deleted. */
export const UNVERIFIED_APPLICATION_DAYS = 7

/** The retention promised by `version`; an unknown version falls back to the current one. */
export function consentRetention(version: string | null | undefined): ConsentRetention {
  return CONSENT_RETENTION[version ?? ''] ?? (CONSENT_RETENTION[CURRENT_CONSENT_VERSION] as ConsentRetention)
}
