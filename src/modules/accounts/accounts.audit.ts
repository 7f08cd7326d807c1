/**
 * The audit actions and error codes of the accounts module: listed in its manifest, typed
 * through the platform's `AuditActionRegistry` and `ErrorCodeRegistry`.
 */
export const ACCOUNT_AUDIT_ACTIONS = [
  'setup.completed',
  'user.signed_in',
  'user.sign_in_failed',
  'user.signed_out',
  'user.signed_out_everywhere',
  'user.totp_enrolled',
  'user.recovery_code_used',
  'user.invited',
  'user.invite_accepted',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.created',
  'user.password_changed',
  'user.password_reset_requested',
  'user.password_reset',
  'session.revoked',
] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof ACCOUNT_AUDIT_ACTIONS)[number], true> {}
}

/** Error codes of the accounts module, with their HTTP status. */
export const ACCOUNT_ERRORS = {
  /** A form that needs the person's full name got none. */
  NAME_REQUIRED: 400,
  /** The recovery codes can be downloaded only from the page shown right after enrolment. */
  RECOVERY_DOWNLOAD_EXPIRED: 403,
} as const

declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof ACCOUNT_ERRORS, true> {}
}
