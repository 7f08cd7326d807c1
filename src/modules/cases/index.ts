/** Sealed cases (chuyên án): members, stage, clearance, break-glass. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import { CASE_EVENTS } from './cases.events.ts'
import './cases.policy.ts'
import { registerCaseRoutes } from './cases.routes.tsx'

export const casesModule: ModuleManifest = {
  name: 'cases',
  routes: registerCaseRoutes,
  emits: CASE_EVENTS,
  menu: [{ key: 'cases', href: '/console/cases', order: 500, visible: (a) => can(a, 'list', 'case') }],
}
