/** The verification desk: intake and matching, triage and SLA, evidence, verdicts, notifications. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import { verdictApprovals } from './console/approvals-source.ts'
import { registerFactcheckConsoleRoutes } from './console/index.ts'
import { FACTCHECK_AUDIT_ACTIONS, FACTCHECK_ERRORS } from './factcheck.audit.ts'
import { FACTCHECK_EVENTS } from './factcheck.events.ts'
import { escalateClaimsJob, ocrJob, purgeContactsJob } from './factcheck.jobs.ts'
import './factcheck.policy.ts'
import { configureMatcher, stopMatcher } from './matcher.ts'
import { registerFactcheckPublicRoutes } from './public/routes.tsx'
import { startClaimRefresh } from './refresh.ts'
import { closeSharedOcrEngine } from '../../text/ocr/engine.ts'

export const factcheckModule: ModuleManifest = {
  name: 'factcheck',
  async routes(app) {
    await registerFactcheckConsoleRoutes(app)
    await registerFactcheckPublicRoutes(app)
  },
  jobs: [purgeContactsJob, escalateClaimsJob, ocrJob],
  emits: FACTCHECK_EVENTS,
  auditActions: FACTCHECK_AUDIT_ACTIONS,
  errors: FACTCHECK_ERRORS,
  services: [
    {
      // The in-memory claim index, in every process that matches submissions.
      name: 'factcheck.matcher',
      runs: 'every',
      start: (ctx) => {
        configureMatcher(ctx.database, ctx.events)
        return { stop: stopMatcher }
      },
    },
    {
      // The OCR engine's worker thread starts on the first image; ended at shutdown.
      name: 'factcheck.ocr-engine',
      runs: 'worker',
      start: () => ({ stop: closeSharedOcrEngine }),
    },
    {
      name: 'factcheck.claim-refresh',
      runs: 'worker',
      start: (ctx) => startClaimRefresh(ctx.database, { publicUrl: ctx.config.publicUrl, log: ctx.log }),
    },
  ],
  // Verdict versions sent for approval, in the approvals inbox (/console/approvals).
  approvals: verdictApprovals,
  menu: [{ key: 'desk.nav', href: '/console/kiem-chung', order: 400, visible: (a) => can(a, 'list', 'claim') }],
}
