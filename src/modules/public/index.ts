/** The public home page and the operations endpoints (/healthz, /readyz, /metrics). */
import type { ModuleManifest } from '../../platform/modules.ts'
import { registerPublicRoutes } from './public.routes.tsx'

export const publicModule: ModuleManifest = {
  name: 'public',
  routes: registerPublicRoutes,
}
