/** Every HTTP route of the partners module, registered in its manifest. */
import type { TypedApp } from '../../platform/modules.ts'
import { registerApplicationRoutes } from './application/application.routes.tsx'
import { registerPartnerConsoleRoutes } from './console/console.routes.tsx'
import { registerImportRoutes } from './import/import.routes.tsx'

/** Registers the console registry, import/export and the public application routes. */
export async function registerPartnerRoutes(app: TypedApp): Promise<void> {
  await registerPartnerConsoleRoutes(app)
  await registerImportRoutes(app)
  await registerApplicationRoutes(app)
}
