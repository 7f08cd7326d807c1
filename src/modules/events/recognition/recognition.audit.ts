/** Audit actions and error codes of this part (listed in the events manifest; messages in `i18n/`). */
export const RECOGNITION_AUDIT_ACTIONS = ['partner.score_adjusted', 'partner.recognized', 'partner.recognition_revoked'] as const

/** Error codes → HTTP status. */
export const RECOGNITION_ERRORS = {
  RECOGNITION_INVALID: 400,
  RECOGNITION_REASON_REQUIRED: 400,
  RECOGNITION_EXISTS: 409,
  RECOGNITION_ALREADY_REVOKED: 409,
  CERTIFICATE_NOT_FOUND: 404,
  CERTIFICATE_REVOKED: 410,
} as const

declare module '../../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof RECOGNITION_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof RECOGNITION_ERRORS, true> {}
}
