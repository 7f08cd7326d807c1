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
  // Public applications (application/): submitted, e-mail verified (duplicate flag), answered,
  // consent withdrawn, a duplicate closed by staff.
  'partner.application_submitted',
  'partner.application_verified',
  'partner.application_answered',
  'partner.application_consent_withdrawn',
  'partner.application_closed',
  // Retention (application/application.retention.ts): an application erased (never verified
  // within 7 days, or consent withdrawn) and a partner's personal data erased (consent
  // withdrawn, or the stated time after the partnership ended); counts only, no values.
  'partner.application_erased',
  'partner.data_erased',
  // Import and export (import/): upload, start, one row per committed batch (ids created and
  // filled), end with counts; an export with who, format, filters and row count.
  'partner.import_uploaded',
  'partner.import_started',
  'partner.imported',
  'partner.import_finished',
  'partner.exported',
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
  PARTNER_IMPORT_TOO_LARGE: 413,
  PARTNER_IMPORT_UNSUPPORTED: 415,
  PARTNER_IMPORT_TYPE_MISMATCH: 415,
  PARTNER_IMPORT_NO_HEADER: 400,
  PARTNER_IMPORT_UNREADABLE: 400,
  PARTNER_IMPORT_MISSING_COLUMNS: 400,
  PARTNER_IMPORT_MAPPING: 400,
  PARTNER_IMPORT_STATE: 409,
  PARTNER_EXPORT_FORMAT: 400,
  // Public applications (application/), messages in i18n/application.{vi,en}.json.
  APPLICATION_CONSENT_REQUIRED: 400,
  APPLICATION_ACK_REQUIRED: 400,
  APPLICATION_PROOF_REQUIRED: 400,
  APPLICATION_PROOF_TYPE: 415,
  APPLICATION_CHANNEL_REQUIRED: 400,
  APPLICATION_FIELD_REQUIRED: 400,
  APPLICATION_FIELD_TOO_LONG: 413,
  APPLICATION_TOKEN_INVALID: 404,
  APPLICATION_TOKEN_USED: 410,
  APPLICATION_TOKEN_EXPIRED: 410,
  APPLICATION_NOT_AWAITING: 409,
  APPLICATION_CLOSED: 409,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof PARTNER_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof PARTNER_ERRORS, true> {}
}
