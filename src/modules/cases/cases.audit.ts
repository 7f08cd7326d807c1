/**
 * The audit actions of the cases module: listed in its manifest, typed through the platform's
 * `AuditActionRegistry`.
 */
export const CASE_AUDIT_ACTIONS = [
  'case.created',
  'case.member_added',
  'case.member_removed',
  'case.stage_changed',
  'case.cleared',
  'case.closed',
  'case.break_glass',
  'case.break_glass_refused',
] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof CASE_AUDIT_ACTIONS)[number], true> {}
}

/** The error codes the cases module raises, with their HTTP status (messages: `errors.<CODE>`). */
export const CASE_ERRORS = {
  CASE_CODE_TAKEN: 409,
  BREAK_GLASS_NO_CASE: 404,
  CASE_SELF_ADD: 403,
} as const

declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof CASE_ERRORS, true> {}
}
