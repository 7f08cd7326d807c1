/** Audit actions and error codes of this part (listed in the events manifest; messages in `i18n/`). */
export const CHECKIN_AUDIT_ACTIONS = ['event.checked_in', 'event.walk_in', 'event.checkin_conflict'] as const

/** Error codes → HTTP status. */
export const CHECKIN_ERRORS = { EVENT_CHECKIN_INVALID: 400, EVENT_CHECKIN_CLOSED: 409 } as const

declare module '../../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof CHECKIN_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof CHECKIN_ERRORS, true> {}
}
