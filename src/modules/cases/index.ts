/** Sealed cases (chuyên án): members, stage, clearance, break-glass. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import { CASE_AUDIT_ACTIONS, CASE_ERRORS } from './cases.audit.ts'
import { CASE_EVENTS } from './cases.events.ts'
import './cases.policy.ts'
import { registerCaseRoutes } from './cases.routes.tsx'

export const casesModule: ModuleManifest = {
  name: 'cases',
  routes: registerCaseRoutes,
  emits: CASE_EVENTS,
  auditActions: CASE_AUDIT_ACTIONS,
  errors: CASE_ERRORS,
  menu: [{ key: 'cases', href: '/console/cases', order: 500, visible: (a) => can(a, 'list', 'case') }],
}
