import type { TypedApp } from '../../platform/modules.ts'
import { registerAfterwardsRoutes } from './afterwards/afterwards.routes.tsx'
import { registerBadgesRoutes } from './badges/badges.routes.tsx'
import { registerCheckinRoutes } from './checkin/checkin.routes.tsx'
import { registerEventConsoleRoutes } from './console/console.routes.tsx'
import { registerInvitationRoutes } from './invitations/invitations.routes.tsx'
import { registerEventPublicRoutes } from './public/public.routes.tsx'
import { registerQuestionsRoutes } from './questions/questions.routes.tsx'
import { registerRecognitionRoutes } from './recognition/recognition.routes.tsx'

/** Registers every events route (each part's file registers its own). */
export async function registerEventRoutes(app: TypedApp): Promise<void> {
  await registerEventConsoleRoutes(app)
  await registerEventPublicRoutes(app)
  await registerInvitationRoutes(app)
  await registerBadgesRoutes(app)
  await registerCheckinRoutes(app)
  await registerQuestionsRoutes(app)
  await registerAfterwardsRoutes(app)
  await registerRecognitionRoutes(app)
}
