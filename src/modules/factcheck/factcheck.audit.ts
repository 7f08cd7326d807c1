/**
 * The audit actions of the factcheck module: listed in its manifest, typed through the platform's
 * `AuditActionRegistry`.
 */
export const FACTCHECK_AUDIT_ACTIONS = [
  'claim.submitted',
  'claim.triaged',
  /** Harm and SLA level set by hand, with a written reason; automatic triage keeps it. */
  'claim.severity_set',
  'claim.assigned',
  'claim.merged',
  'claim.split',
  'claim.dismissed',
  'claim.escalated',
  'claim.evidence_added',
  'claim.note_added',
  'claim.task_added',
  'claim.task_done',
  'claim.contacts_purged',
  /** A submitted image read by OCR (text and confidence, or why it could not be read). */
  'claim.screenshot_read',
  'verdict.drafted',
  'verdict.submitted',
  'verdict.rejected',
  'verdict.published',
  'verdict.corrected',
  'verdict.refused',
] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof FACTCHECK_AUDIT_ACTIONS)[number], true> {}
}

/** The error codes the factcheck module raises, with their HTTP status (messages: `errors.<CODE>`). */
export const FACTCHECK_ERRORS = {
  INVALID_LINK: 400,
  TEXT_TOO_LONG: 413,
  TEXT_TOO_SHORT: 400,
  CLAIM_FILE_TYPE: 415,
  /** The look-up form's text is not a ticket code in any form the desk reads. */
  TICKET_CODE_INVALID: 400,
} as const

declare module '../../platform/errors.ts' {
  interface ErrorCodeRegistry extends Record<keyof typeof FACTCHECK_ERRORS, true> {}
}
