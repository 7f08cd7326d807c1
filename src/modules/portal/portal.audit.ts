/**
 * The audit actions and error codes of the partner portal: listed in its manifest, typed
 * through the platform's `AuditActionRegistry` and `ErrorCodeRegistry`; messages
 * `errors.<CODE>` in `i18n/portal-*.{vi,en}.json`. Each portal area appends its own below.
 */
export const PORTAL_AUDIT_ACTIONS = [
  // API tokens (tokens/)
  'partner_token.created',
  'partner_token.revoked',
] as const

/** Error codes → HTTP status. */
export const PORTAL_ERRORS = {
  // API tokens (tokens/): the token is unknown, revoked or expired, or its account inactive.
  PARTNER_TOKEN_INVALID: 401,
  // A partner token sent to a route that does not accept tokens (no `tokenScope`).
  PARTNER_TOKEN_NOT_ACCEPTED: 401,
  // A bearer token together with a session cookie: one authority per request.
  PARTNER_TOKEN_WITH_SESSION: 400,
  PARTNER_TOKEN_SCOPE_MISSING: 403,
  PARTNER_TOKEN_NO_EMBARGO_ACCESS: 403,
  PARTNER_TOKEN_NAME_REQUIRED: 400,
  PARTNER_TOKEN_SCOPES_REQUIRED: 400,
  PARTNER_TOKEN_EXPIRY_INVALID: 400,
  PARTNER_TOKEN_LIMIT: 409,
  // Portal content (content/): embargoed material needs a live accredited partner record.
  PARTNER_NOT_ACCREDITED: 403,
  // Portal content (content/): the acknowledgement is only for influencers, once per text version.
  PARTNER_ACKNOWLEDGEMENT_NOT_NEEDED: 409,
} as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof PORTAL_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof PORTAL_ERRORS, true> {}
}
