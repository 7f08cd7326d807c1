/**
 * The audit actions of the releases module: listed in its manifest, typed through the platform's
 * `AuditActionRegistry`.
 */
export const RELEASE_AUDIT_ACTIONS = [
  'release.created',
  'release.edited',
  'release.submitted',
  'release.rejected',
  'release.approved',
  'release.scheduled',
  'release.embargoed',
  'release.unscheduled',
  'release.published',
  'release.corrected',
  'release.withdrawn',
  'release.gone',
  'release.force_published',
  'release.retro_approved',
  'release.refused',
  'release.attachment_added',
  'release.gate_overridden',
] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof RELEASE_AUDIT_ACTIONS)[number], true> {}
}

/** The error codes the releases module raises, with their HTTP status (messages: `errors.<CODE>`). */
export const RELEASE_ERRORS = {
  CASE_SEALED: 423,
  SUMMARY_TOO_LONG: 400,
  TITLE_REQUIRED: 400,
  COMMUNE_UNKNOWN: 400,
  SPOKESPERSON_REQUIRED: 400,
  PUBLISH_GATE: 422,
  ALT_TOO_LONG: 400,
  ALT_CONTROL_CHARS: 400,
  WITHDRAWAL_CATEGORY_REQUIRED: 400,
  WITHDRAWAL_NOT_CONFIRMED: 400,
} as const

declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof RELEASE_ERRORS, true> {}
}
