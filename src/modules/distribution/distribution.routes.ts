import type { TypedApp } from '../../platform/modules.ts'
import { registerItemRoutes } from './console/item.routes.tsx'
import { registerTraceRoutes } from './console/trace.routes.tsx'
import { registerCoverageRoutes } from './coverage/coverage.routes.tsx'
import { registerListRoutes } from './lists/lists.routes.tsx'
import { registerDistributionPortalRoutes } from './portal/portal.routes.tsx'
import { registerSubscriptionRoutes } from './subscriptions/subscriptions.routes.tsx'
import { registerWebhookConsoleRoutes } from './webhooks/webhooks.console.tsx'

/** Registers every distribution route (each part's file registers its own). */
export async function registerDistributionRoutes(app: TypedApp): Promise<void> {
  await registerListRoutes(app)
  await registerItemRoutes(app)
  await registerTraceRoutes(app)
  await registerDistributionPortalRoutes(app)
  await registerSubscriptionRoutes(app)
  await registerCoverageRoutes(app)
  await registerWebhookConsoleRoutes(app)
}
