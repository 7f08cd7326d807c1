/** The console's shared pages: dashboard, audit log, mail outbox, the minimal partner portal. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import './console.policy.ts'
import { registerConsoleRoutes } from './console.routes.tsx'

export const consoleModule: ModuleManifest = {
  name: 'console',
  routes: registerConsoleRoutes,
  menu: [
    { key: 'dashboard', href: '/console', order: 0, visible: (a) => !!a },
    { key: 'audit', href: '/console/audit', order: 900, visible: (a) => can(a, 'read', 'audit') },
    { key: 'outbox', href: '/console/outbox', order: 910, visible: (a) => can(a, 'read', 'outbox') },
  ],
}
