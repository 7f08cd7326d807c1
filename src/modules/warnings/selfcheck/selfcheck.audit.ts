/**
 * The audit actions and error codes of the "Tin nhắn này có phải lừa đảo?" self-check page.
 * Nothing pasted is stored or audited unless the citizen reports it to the verification desk.
 */
export const SELFCHECK_AUDIT_ACTIONS = ['warning.selfcheck_reported'] as const

/** Error codes → HTTP status. */
export const SELFCHECK_ERRORS = {
  SELFCHECK_EMPTY: 400,
  SELFCHECK_TOO_LONG: 413,
} as const

declare module '../../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof SELFCHECK_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof SELFCHECK_ERRORS, true> {}
}
