/**
 * The audit actions of the spokespersons module: listed in its manifest, typed through the platform's
 * `AuditActionRegistry`.
 */
export const SPOKESPERSON_AUDIT_ACTIONS = ['spokesperson.created', 'spokesperson.updated', 'spokesperson.delegated'] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof SPOKESPERSON_AUDIT_ACTIONS)[number], true> {}
}
