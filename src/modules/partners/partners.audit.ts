/**
 * The audit actions and error codes of the partners registry: listed in its manifest, typed
 * through the platform's `AuditActionRegistry` and `ErrorCodeRegistry`; messages
 * `errors.<CODE>` in `i18n/partners.{vi,en}.json`.
 */
export const PARTNER_AUDIT_ACTIONS = [
  'press_outlet.created',
  'partner.created',
  'partner.acknowledgement_recorded',
  'partner.status_changed',
  'partner.expiry_reminded',
  'partner.merged',
  // Console edits (console/): fields changed, never the old or new personal values.
  'partner.updated',
  'press_outlet.updated',
  'partner.channel_added',
  'partner.channel_removed',
] as const

/** Error codes → HTTP status. */
export const PARTNER_ERRORS = {
  PARTNER_INVALID_PHONE: 400,
  PARTNER_INVALID_PRESS_CARD: 400,
  PARTNER_INVALID: 400,
  PARTNER_DUPLICATE_EMAIL: 409,
  PARTNER_DUPLICATE_PHONE: 409,
  PARTNER_DUPLICATE_PRESS_CARD: 409,
  PARTNER_ILLEGAL_TRANSITION: 409,
  PARTNER_NEEDS_PRESS_CARD: 409,
  PARTNER_NEEDS_ACKNOWLEDGEMENT: 409,
  PARTNER_NEEDS_TERM: 409,
  PARTNER_MERGE_INVALID: 409,
  PARTNER_REQUIRED: 403,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof PARTNER_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof PARTNER_ERRORS, true> {}
}
