import type { TypedApp } from '../../platform/modules.ts'
import { registerWarningConsoleRoutes } from './console/console.routes.tsx'
import { registerWarningPublicRoutes } from './public/public.routes.tsx'
import { registerSelfCheckRoutes } from './selfcheck/selfcheck.routes.tsx'

/** Registers every warnings route (each part's file registers its own). */
export async function registerWarningRoutes(app: TypedApp): Promise<void> {
  await registerWarningConsoleRoutes(app)
  await registerWarningPublicRoutes(app)
  await registerSelfCheckRoutes(app)
}
