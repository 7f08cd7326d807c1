/**
 * The audit actions and error codes of warnings (core: drafting, review, publication, urgent
 * path, cancellation, closing): listed in the manifest, typed through the platform's
 * registries; messages `errors.<CODE>` in the module's `i18n/` catalogues.
 */
export const WARNING_AUDIT_ACTIONS = [
  'warning.created',
  'warning.updated',
  'warning.submitted',
  'warning.rejected',
  'warning.approved',
  'warning.published',
  'warning.published_urgently',
  'warning.retro_approved',
  'warning.retro_overdue',
  'warning.cancelled',
  'warning.closed',
  'warning.refused',
] as const

/** Error codes → HTTP status. */
export const WARNING_ERRORS = {
  WARNING_INVALID: 400,
  WARNING_NOT_FOUND: 404,
  WARNING_BAD_COMMUNE: 400,
  WARNING_NO_AREA: 400,
  WARNING_UNTIL_BEFORE_FROM: 400,
  WARNING_CONSENT_REQUIRED: 400,
  WARNING_LEGAL_BASIS_REQUIRED: 400,
  WARNING_STATE: 409,
  WARNING_NOT_SUBMITTED: 409,
  WARNING_NOTHING_TO_PUBLISH: 409,
  WARNING_URGENT_REASON: 400,
  WARNING_NOT_URGENT: 409,
  WARNING_NOT_PERSON: 409,
  WARNING_CLOSE_REASON: 400,
  WARNING_CANCEL_REASON: 400,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof WARNING_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof WARNING_ERRORS, true> {}
}
