/** Audit actions and error codes of this part (listed in the events manifest; messages in `i18n/`). */
export const AFTERWARDS_AUDIT_ACTIONS = [
  'event.material_added',
  'event.material_removed',
  'event.materials_sent',
  'event.invitation_withdrawn',
] as const

/** Error codes → HTTP status. */
export const AFTERWARDS_ERRORS = {
  EVENT_MATERIAL_INVALID: 400,
  EVENT_MATERIALS_NOT_YET: 409,
  EVENT_MATERIAL_NOT_FOUND: 404,
  EVENT_MATERIALS_EMPTY: 409,
  EVENT_MATERIALS_NOTHING_NEW: 409,
  EVENT_WITHDRAW_REASON: 400,
  EVENT_INVITATION_NOT_FOUND: 404,
  EVENT_ALREADY_WITHDRAWN: 409,
  EVENT_ATTENDANCE_RANGE: 400,
} as const

declare module '../../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof AFTERWARDS_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof AFTERWARDS_ERRORS, true> {}
}
