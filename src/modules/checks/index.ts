/** Vietnamese content checks: the public /kiem-tra tool, /api/v1/checks, the editor's findings. */
import type { ModuleManifest } from '../../platform/modules.ts'
import './checks.policy.ts'
import { registerCheckRoutes } from './checks.routes.tsx'

export const checksModule: ModuleManifest = {
  name: 'checks',
  routes: registerCheckRoutes,
}
