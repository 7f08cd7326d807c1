/**
 * Audit actions declared by module manifests. A module lists its actions under `auditActions`
 * and augments `AuditActionRegistry` in its manifest file, so `recordAudit` accepts them typed:
 *
 * ```ts
 * export const PARTNER_AUDIT_ACTIONS = ['partner.applied', 'partner.accredited'] as const
 * declare module '../../platform/audit/registry.ts' {
 *   interface AuditActionRegistry extends Record<(typeof PARTNER_AUDIT_ACTIONS)[number], true> {}
 * }
 * ```
 */

// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging in module manifests
export interface AuditActionRegistry {}

const owners = new Map<string, string>()

/** Registers a module's audit actions (from `installModules`); an action belongs to one module. */
export function registerAuditActions(module: string, actions: readonly string[]): void {
  for (const action of actions) {
    const owner = owners.get(action)
    if (owner !== undefined && owner !== module) throw new Error(`audit action ${action} is declared by ${owner} and ${module}`)
    owners.set(action, module)
  }
}

/** Audit actions registered by the installed modules, in registration order. */
export function registeredAuditActions(): string[] {
  return [...owners.keys()]
}
