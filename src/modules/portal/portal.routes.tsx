/** Every HTTP route of the partner portal, registered in its manifest. */
import type { TypedApp } from '../../platform/modules.ts'
import { registerPortalAuthRoutes } from './auth/auth.routes.tsx'
import { registerPortalContentRoutes } from './content/content.routes.tsx'
import { registerPortalTokenRoutes } from './tokens/tokens.routes.tsx'

/** Registers sign-in (links, passkeys, sessions), the portal's pages and API tokens. */
export async function registerPortalRoutes(app: TypedApp): Promise<void> {
  await registerPortalAuthRoutes(app)
  await registerPortalContentRoutes(app)
  await registerPortalTokenRoutes(app)
}
