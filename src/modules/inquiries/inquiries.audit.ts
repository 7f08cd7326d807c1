/**
 * The audit actions and error codes of press inquiries: listed in the manifest, typed through
 * the platform's registries; messages `errors.<CODE>` in `i18n/inquiries.{vi,en}.json`.
 */
export const INQUIRY_AUDIT_ACTIONS = [
  'inquiry.received',
  'inquiry.assigned',
  'inquiry.case_linked',
  'inquiry.escalated',
  'inquiry.overdue',
  'inquiry.answered',
  'inquiry.published',
  'inquiry.refused',
  'inquiry.withdrawn',
  'inquiry.holiday_added',
  'inquiry.holiday_removed',
  'inquiry.clock_changed',
] as const

/** Error codes → HTTP status. */
export const INQUIRY_ERRORS = {
  INQUIRY_TOO_LONG: 413,
  INQUIRY_INVALID: 400,
  INQUIRY_CANNOT_ASK: 403,
  INQUIRY_CLOSED: 409,
  INQUIRY_SPOKESPERSON_REQUIRED: 400,
  INQUIRY_GROUND_REQUIRED: 400,
  INQUIRY_EXPLANATION_REQUIRED: 400,
  INQUIRY_NOT_ASSIGNED_TO_YOU: 403,
  INQUIRY_HOLIDAY_INVALID: 400,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof INQUIRY_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof INQUIRY_ERRORS, true> {}
}
