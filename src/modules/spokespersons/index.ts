/** The spokesperson register and its delegations. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import './spokespersons.policy.ts'
import { SPOKESPERSON_AUDIT_ACTIONS } from './spokespersons.audit.ts'
import { registerSpokespersonRoutes } from './spokespersons.routes.tsx'

export const spokespersonsModule: ModuleManifest = {
  name: 'spokespersons',
  routes: registerSpokespersonRoutes,
  auditActions: SPOKESPERSON_AUDIT_ACTIONS,
  menu: [{ key: 'spokespersons', href: '/console/spokespersons', order: 600, visible: (a) => can(a, 'list', 'spokesperson') }],
}
