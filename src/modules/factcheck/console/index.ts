/**
 * The verification desk's staff console (issue 5): queue and staff entry, the claim page with
 * matching, merge/split, triage, notes, tasks and evidence, the verdict editor with four-eyes
 * approval, and the dashboard. One registration for `app.ts`; also the desk's /metrics gauges.
 */
import { now } from '../../../platform/clock.ts'
import { registerGauge } from '../../../platform/http/metrics.ts'
import type { TypedApp } from '../../../platform/modules.ts'
import { registerClaimRoutes } from './claim.routes.tsx'
import { registerDashboardRoutes } from './dashboard.routes.tsx'
import { openClaimGauges } from './desk.queries.ts'
import { registerEvidenceRoutes } from './evidence.routes.tsx'
import { registerQueueRoutes } from './queue.routes.tsx'
import { registerScreenshotRoutes } from './screenshots.tsx'
import { registerVerdictRoutes } from './verdict.routes.tsx'

/** Registers every route of the desk's console and its gauges. */
export async function registerFactcheckConsoleRoutes(app: TypedApp): Promise<void> {
  const db = app.ctx.database.db
  registerGauge({
    name: 'donghanh_claims_open',
    help: 'Claims under verification (not yet published, merged or dismissed), by SLA level.',
    collect: async () => (await openClaimGauges(db, now())).map((g) => ({ labels: { level: g.level }, value: g.open })),
  })
  registerGauge({
    name: 'donghanh_claims_sla_breached',
    help: 'Claims under verification past their SLA due time, by SLA level.',
    collect: async () => (await openClaimGauges(db, now())).map((g) => ({ labels: { level: g.level }, value: g.breached })),
  })
  await registerQueueRoutes(app)
  await registerDashboardRoutes(app)
  await registerClaimRoutes(app)
  await registerEvidenceRoutes(app)
  await registerVerdictRoutes(app)
  await registerScreenshotRoutes(app)
}
