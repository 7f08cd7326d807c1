/** Releases and their immutable editions: workflow, publishing, signatures, lifts; the console. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import { releaseApprovals } from './console/approvals-source.ts'
import { registerReleaseConsoleRoutes } from './console/index.ts'
import { liftJob, startLiftScheduler } from './lift-scheduler.ts'
import { RELEASE_AUDIT_ACTIONS, RELEASE_ERRORS } from './releases.audit.ts'
import { RELEASE_EVENTS } from './releases.events.ts'
import './releases.policy.ts'

export const releasesModule: ModuleManifest = {
  name: 'releases',
  routes: registerReleaseConsoleRoutes,
  jobs: [liftJob],
  emits: RELEASE_EVENTS,
  auditActions: RELEASE_AUDIT_ACTIONS,
  errors: RELEASE_ERRORS,
  services: [
    // Precise lift timers run where the jobs run.
    { name: 'releases.lift-timers', runs: 'worker', start: (ctx) => startLiftScheduler(ctx.database, ctx.events, ctx.log) },
  ],
  // Editions sent for approval, in the approvals inbox (/console/approvals).
  approvals: releaseApprovals,
  menu: [
    { key: 'releases', href: '/console/releases', order: 100, visible: (a) => can(a, 'list', 'release') },
    { key: 'calendar', href: '/console/calendar', order: 120, visible: (a) => can(a, 'list', 'release') },
  ],
}
