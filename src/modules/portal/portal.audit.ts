/**
 * The audit actions and error codes of the partner portal: listed in its manifest, typed
 * through the platform's `AuditActionRegistry` and `ErrorCodeRegistry`; messages
 * `errors.<CODE>` in `i18n/portal-*.{vi,en}.json`. Each portal area appends its own below.
 */
export const PORTAL_AUDIT_ACTIONS = [
  // API tokens (tokens/)
  'partner_token.created',
  'partner_token.revoked',
  // Sign-in (auth/): links, passkeys, sessions.
  'portal.sign_in_link_sent',
  'portal.sign_in_refused',
  'portal.signed_in',
  'portal.account_created',
  'portal.passkey_added',
  'portal.passkey_removed',
  'portal.signed_out',
  'portal.signed_out_elsewhere',
  'portal.session_revoked',
  // A revoked partner's account: sessions ended and tokens revoked in the revoking transaction.
  'portal.access_ended',
] as const

/** Error codes → HTTP status. */
export const PORTAL_ERRORS = {
  // Sign-in (auth/): the link is unknown or malformed; used; past its 15 minutes; opened in a
  // browser other than the one that asked (not used up); the partner is revoked; the e-mail
  // belongs to a staff account (staff sign in at /console/sign-in with TOTP).
  PORTAL_LINK_INVALID: 400,
  PORTAL_LINK_USED: 410,
  PORTAL_LINK_EXPIRED: 410,
  PORTAL_LINK_OTHER_BROWSER: 403,
  PORTAL_PARTNER_REVOKED: 403,
  PORTAL_STAFF_ACCOUNT: 403,
  // Passkeys (auth/): the challenge is unknown, used or older than 5 minutes; the browser's
  // answer did not verify; the passkey is not (or no longer) registered; a name is required.
  PORTAL_PASSKEY_CHALLENGE: 400,
  PORTAL_PASSKEY_FAILED: 400,
  PORTAL_PASSKEY_UNKNOWN: 401,
  PORTAL_PASSKEY_NAME: 400,
  PORTAL_PASSKEY_LIMIT: 409,
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
