/** Audit actions and error codes of this part (listed in the events manifest; messages in `i18n/`). */
export const QUESTION_AUDIT_ACTIONS = ['event.question_asked', 'event.question_moderated', 'event.qa_published'] as const

/** Error codes → HTTP status. */
export const QUESTION_ERRORS = {
  EVENT_QUESTION_INVALID: 400,
  EVENT_QUESTION_TOO_LONG: 413,
  EVENT_QUESTION_FLOOD: 429,
  EVENT_QUESTION_FLOOD_EVENT: 429,
  EVENT_QUESTION_CLOSED: 409,
  EVENT_QUESTION_NOT_ATTENDING: 403,
  EVENT_QUESTION_NOT_FOUND: 404,
  EVENT_QUESTION_TRANSITION: 409,
  EVENT_QUESTION_MERGE_TARGET: 409,
  EVENT_QUESTION_NOTE_TOO_LONG: 400,
  EVENT_QA_NOTHING_ANSWERED: 409,
  EVENT_QA_EXISTS: 409,
} as const

declare module '../../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof QUESTION_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof QUESTION_ERRORS, true> {}
}
