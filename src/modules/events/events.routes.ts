import type { TypedApp } from '../../platform/modules.ts'
import { registerEventConsoleRoutes } from './console/console.routes.tsx'
import { registerInvitationRoutes } from './invitations/invitations.routes.tsx'
import { registerEventPublicRoutes } from './public/public.routes.tsx'

/** Registers every events route (each part's file registers its own). */
export async function registerEventRoutes(app: TypedApp): Promise<void> {
  await registerEventConsoleRoutes(app)
  await registerEventPublicRoutes(app)
  await registerInvitationRoutes(app)
}
