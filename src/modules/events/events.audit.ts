/**
 * The audit actions and error codes of events: listed in the manifest, typed through the
 * platform's registries; messages `errors.<CODE>` in the module's `i18n/` catalogues.
 */
export const EVENT_AUDIT_ACTIONS = [
  'event.created',
  'event.updated',
  'event.announced',
  'event.cancelled',
  'event.done',
  'event.invited',
  'event.rsvp',
  'event.reminded',
  'event.updates_sent',
  'event.cadence_changed',
] as const

/** Error codes → HTTP status. */
export const EVENT_ERRORS = {
  EVENT_INVALID: 400,
  EVENT_NOT_FOUND: 404,
  EVENT_CLOSED: 409,
  EVENT_RSVP_CLOSED: 409,
  EVENT_END_BEFORE_START: 400,
  EVENT_BAD_URL: 400,
  EVENT_BAD_CAPACITY: 400,
  EVENT_DEADLINE_AFTER_START: 400,
  EVENT_BAD_SPEAKER: 400,
  EVENT_BAD_LIST: 400,
  EVENT_CANCEL_REASON: 400,
  EVENT_CADENCE_INVALID: 400,
  EVENT_RSVP_INVALID: 400,
  EVENT_RSVP_NO_SEAT: 409,
  EVENT_NOT_ANNOUNCED: 409,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof EVENT_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof EVENT_ERRORS, true> {}
}
