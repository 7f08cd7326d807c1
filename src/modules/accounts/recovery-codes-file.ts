/**
 * Downloading the recovery codes as a text file, without JavaScript. The codes are stored
 * hashed and shown once, so the page right after enrolment carries them in a form together
 * with an HMAC under the new session's secret and an expiry; the download route recomputes it.
 * Only that session, and only for a short while, can turn codes into a file, and the server
 * keeps no clear copy of them.
 */
import { createHmac } from 'node:crypto'
import { safeEqual } from '../../platform/auth/secrets.ts'
import { AppError } from '../../platform/errors.ts'
import { t } from '../../platform/i18n/index.ts'
import { formatTime } from '../../platform/html/layout.tsx'

/** How long after enrolment the download works. */
export const RECOVERY_DOWNLOAD_MINUTES = 15

/** The fields the download form posts. */
export interface RecoveryDownloadFields {
  /** The codes, space-separated. */
  codes: string
  /** Epoch milliseconds after which the download is refused. */
  expires: string
  mac: string
}

function mac(secret: string, sessionId: string, codes: string, expires: string): string {
  return createHmac('sha256', secret).update(`recovery-codes\n${sessionId}\n${expires}\n${codes}`).digest('base64url')
}

/** The form fields for `codes`, bound to the session (its id and secret) and valid for a while from `at`. */
export function signRecoveryDownload(
  session: { id: string; csrfSecret: string },
  codes: readonly string[],
  at: Date,
): RecoveryDownloadFields {
  const joined = codes.join(' ')
  const expires = String(at.getTime() + RECOVERY_DOWNLOAD_MINUTES * 60_000)
  return { codes: joined, expires, mac: mac(session.csrfSecret, session.id, joined, expires) }
}

/**
 * The codes of a download request, if the fields were signed for this session and have not
 * expired; otherwise RECOVERY_DOWNLOAD_EXPIRED (an altered code, another session's form, a
 * late click all read alike).
 */
export function checkRecoveryDownload(session: { id: string; csrfSecret: string }, f: RecoveryDownloadFields, at: Date): string[] {
  const expires = Number(f.expires)
  const expected = mac(session.csrfSecret, session.id, f.codes, f.expires)
  if (!/^\d{1,16}$/.test(f.expires) || !safeEqual(expected, f.mac) || at.getTime() > expires)
    throw new AppError('RECOVERY_DOWNLOAD_EXPIRED')
  return f.codes.split(' ').filter(Boolean)
}

/** The text file: a bilingual heading line each, then one code per line (CRLF, for Notepad too). */
export function recoveryCodesText(email: string, codes: readonly string[], at: Date): string {
  const head = (['vi', 'en'] as const).map((l) => t(l, 'totp.codesFileTitle', { email, at: formatTime(at, l) }))
  return [...head, '', ...codes, ''].join('\r\n')
}
