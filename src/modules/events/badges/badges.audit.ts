/** Audit actions and error codes of this part (listed in the events manifest; messages in `i18n/`). */
export const BADGE_AUDIT_ACTIONS = ['event.badge_issued', 'event.badge_reissued', 'event.badge_revoked'] as const

/** Error codes → HTTP status. EVENT_BADGE_NONE: the invitation has no badge (not confirmed, or not there). */
export const BADGE_ERRORS = { EVENT_BADGE_NONE: 404 } as const

declare module '../../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof BADGE_AUDIT_ACTIONS)[number], true> {}
}
declare module '../../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof BADGE_ERRORS, true> {}
}
