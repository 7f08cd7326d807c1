/**
 * Public warnings by commune (issue 17): scam methods, traffic, public order, missing persons
 * and wanted notices; four-eyes approval with an urgent path; every version also a CAP 1.2
 * message with an active-alerts feed; public pages with share cards; e-mail subscriptions with
 * quiet hours and partners' distribution; and the "Tin nhắn này có phải lừa đảo?" self-check.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { can } from '../../platform/policy/index.ts'
import './warnings.policy.ts'
import './warnings.distribution.ts'
import { SELFCHECK_AUDIT_ACTIONS, SELFCHECK_ERRORS } from './selfcheck/selfcheck.audit.ts'
import { warningApprovals } from './warnings.approvals.ts'
import { WARNING_AUDIT_ACTIONS, WARNING_ERRORS } from './warnings.audit.ts'
import { WARNING_EVENTS } from './warnings.events.ts'
import { warningsRetroOverdueJob } from './warnings.jobs.ts'
import { registerWarningRoutes } from './warnings.routes.ts'
import { warningPartnersFanout } from './subscriptions/partners.ts'
import { warningSubscribersFanout } from './subscriptions/public-subscribers.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const warningsModule: ModuleManifest = {
  name: 'warnings',
  routes: registerWarningRoutes,
  auditActions: [...WARNING_AUDIT_ACTIONS, ...SELFCHECK_AUDIT_ACTIONS],
  errors: { ...WARNING_ERRORS, ...SELFCHECK_ERRORS },
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  emits: WARNING_EVENTS,
  // Each part adds its jobs, subscribers and approvals source here.
  jobs: [warningsRetroOverdueJob],
  approvals: warningApprovals,
  subscribers: [warningSubscribersFanout, warningPartnersFanout],
  menu: [
    {
      key: 'warnings.nav',
      href: '/console/canh-bao',
      order: 580,
      visible: (a) => can(a, 'read', 'warning'),
    },
  ],
}
