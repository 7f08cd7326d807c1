/**
 * The audit actions of the demo module: listed in its manifest, typed through the platform's
 * `AuditActionRegistry`.
 */
export const DEMO_AUDIT_ACTIONS = ['demo.seeded'] as const

declare module '../../platform/audit/registry.ts' {
  interface AuditActionRegistry extends Record<(typeof DEMO_AUDIT_ACTIONS)[number], true> {}
}
