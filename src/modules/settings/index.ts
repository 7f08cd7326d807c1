/** Installation settings: the office's identity (name, province, contacts, website, logo). */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import './settings.policy.ts'
import { SETTINGS_AUDIT_ACTIONS, SETTINGS_ERRORS } from './settings.audit.ts'
import { registerSettingsRoutes } from './settings.routes.tsx'

export const settingsModule: ModuleManifest = {
  name: 'settings',
  routes: registerSettingsRoutes,
  auditActions: SETTINGS_AUDIT_ACTIONS,
  errors: SETTINGS_ERRORS,
  menu: [{ key: 'settings', href: '/console/settings', order: 950, visible: (a) => can(a, 'manage', 'settings') }],
}
