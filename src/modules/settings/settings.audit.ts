/**
 * The audit actions and error codes of the settings module: listed in its manifest, typed
 * through the platform's `AuditActionRegistry` and `ErrorCodeRegistry`.
 */
export const SETTINGS_AUDIT_ACTIONS = ['tenant.identity_updated', 'tenant.logo_updated'] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof SETTINGS_AUDIT_ACTIONS)[number], true> {}
}

/** One code per field of the identity form, so the message names the field in both languages. */
export const SETTINGS_ERRORS = {
  IDENTITY_NAME: 400,
  IDENTITY_PROVINCE: 400,
  IDENTITY_HOTLINE: 400,
  IDENTITY_EMAIL: 400,
  IDENTITY_ADDRESS: 400,
  IDENTITY_WEBSITE: 400,
  LOGO_NOT_IMAGE: 415,
} as const

declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof SETTINGS_ERRORS, true> {}
}
