/**
 * Typed application errors. Each code has an HTTP status here and a Vietnamese and an
 * English message in the catalogues (`errors.<CODE>` in src/platform/i18n/*.json).
 */

/** Every error code the product raises, with its HTTP status. */
export const ERROR_STATUS = {
  BAD_REQUEST: 400,
  VALIDATION: 400,
  MALFORMED_JSON: 400,
  NUL_BYTE: 400,
  METRICS_FORBIDDEN: 403,
  INVALID_EMAIL: 400,
  WEAK_PASSWORD: 400,
  PASSWORDS_DIFFER: 400,
  CSRF_INVALID: 403,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  MFA_REQUIRED: 401,
  FORBIDDEN: 403,
  ACCOUNT_DISABLED: 403,
  DEMO_REFUSED: 403,
  NOT_FOUND: 404,
  BAD_CREDENTIALS: 401,
  TOTP_INVALID: 401,
  TOTP_REPLAYED: 401,
  TOKEN_INVALID: 400,
  TOKEN_EXPIRED: 410,
  TOKEN_USED: 410,
  SETUP_DONE: 409,
  EMAIL_TAKEN: 409,
  LAST_ADMIN: 409,
  TOO_MANY_ATTEMPTS: 429,
  RATE_LIMITED: 429,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  ROLE_UNKNOWN: 400,
  DATA_DIR_LOCKED: 409,
  DATA_DIR_ORPHAN_STUCK: 409,
  AUDIT_CHECKPOINT_INVALID: 400,
  AUDIT_CHECKPOINT_UNREADABLE: 400,
  ILLEGAL_TRANSITION: 409,
  FOUR_EYES: 403,
  FOUR_EYES_CONTRIBUTOR: 403,
  SCHEDULE_IN_PAST: 400,
  REASON_REQUIRED: 400,
  INTERNAL: 500,
  UNAVAILABLE: 503,
  BODY_TOO_LARGE: 413,
  UPLOAD_TYPE_MISMATCH: 415,
  UPLOAD_TYPE_UNSUPPORTED: 415,
  UPLOAD_TOO_LARGE: 413,
  UPLOAD_EMPTY: 400,
  TOO_MANY_FILES: 413,
} as const

/**
 * Error codes that modules declare in their manifests. A module's manifest file augments this
 * interface (`declare module '…/platform/errors.ts' { interface ErrorCodeRegistry { CODE: true } }`)
 * so that its codes are typed, and lists them with their status under `errors`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in module manifests
export interface ErrorCodeRegistry {}

/** A typed error code: the platform's own and those of the installed modules. */
export type ErrorCode = keyof typeof ERROR_STATUS | Extract<keyof ErrorCodeRegistry, string>

const moduleStatus = new Map<string, number>()

/**
 * Registers a module's error codes with their HTTP status (from `installModules`). A code may be
 * declared once across the product: a second declaration is a start-up error.
 */
export function registerErrorCodes(module: string, codes: Readonly<Record<string, number>>): void {
  for (const [code, status] of Object.entries(codes)) {
    if (code in ERROR_STATUS || moduleStatus.has(code)) throw new Error(`error code ${code} (module ${module}) is declared twice`)
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`error code ${code}: status ${status} is not 4xx/5xx`)
    moduleStatus.set(code, status)
  }
}

/** Every known error code with its status (the platform's and the installed modules'). */
export function errorStatuses(): Record<string, number> {
  return { ...ERROR_STATUS, ...Object.fromEntries(moduleStatus) }
}

/** The HTTP status of a code; an unregistered one is a 500 (it is a programming error). */
function statusOf(code: ErrorCode): number {
  return (ERROR_STATUS as Record<string, number>)[code] ?? moduleStatus.get(code) ?? 500
}

/** Values interpolated into the message (`{name}` placeholders). */
export type ErrorParams = Record<string, string | number>

/** An expected error with a code, a status and message parameters; safe to show. */
export class AppError extends Error {
  readonly status: number
  constructor(
    readonly code: ErrorCode,
    readonly params: ErrorParams = {},
    /** Extra headers for the response (e.g. Retry-After). */
    readonly headers: Record<string, string> = {},
  ) {
    super(code)
    this.name = 'AppError'
    this.status = statusOf(code)
  }
}

/** True when `e` is an AppError. */
export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError
}
