/**
 * The desk's dashboard (`GET /console/kiem-chung/bang-dieu-khien`): figures computed in SQL at
 * the app clock's time, drawn as server-side SVG charts.
 */
import { now } from '../../../platform/clock.ts'
import { authorize } from '../../../platform/policy/index.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { dashboardPage } from './dashboard.pages.tsx'
import { DESK } from './desk-kit.tsx'
import { dashboardData } from './desk.queries.ts'

/** Registers the dashboard route. */
export async function registerDashboardRoutes(app: TypedApp): Promise<void> {
  const { database, tenant } = app.ctx
  app.get(
    `${DESK}/bang-dieu-khien`,
    { config: { access: { action: 'read', subject: 'factcheck-dashboard' } }, schema: { hide: true } },
    async (req, reply) => {
      authorize(req.actor, 'read', { type: 'factcheck-dashboard', tenantId: tenant.id })
      return dashboardPage({ req, reply }, await dashboardData(database.db, tenant.id, now()))
    },
  )
}
