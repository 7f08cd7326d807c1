/**
 * Distribution (issue 15): lists of partners, each partner's channels (portal inbox, e-mail now
 * or in a daily digest, Standard Webhooks), one delivery per recipient and channel for each
 * decision on a release or verdict (embargo approval, publication, correction, withdrawal with
 * kill notices), sent exactly once in effect, traced per recipient; public e-mail
 * subscriptions; and partners' coverage checked against the official text.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { can } from '../../platform/policy/index.ts'
import './distribution.policy.ts'
import './distribution.holder.ts'
import { DISTRIBUTION_AUDIT_ACTIONS, DISTRIBUTION_ERRORS } from './distribution.audit.ts'
import { registerDistributionRoutes } from './distribution.routes.ts'
import { distributionFanoutSubscriber } from './fanout/fanout.subscriber.ts'
import { subscriptionRetentionJob } from './subscriptions/subscriptions.retention.ts'
import { publicSubscribersFanout } from './subscriptions/subscriptions.fanout.ts'
import { coverageCaptureJob } from './coverage/coverage.jobs.ts'
import { distributionDigestJob } from './delivery/digest.ts'
import { distributionSenderService } from './delivery/sender.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const distributionModule: ModuleManifest = {
  name: 'distribution',
  routes: registerDistributionRoutes,
  auditActions: DISTRIBUTION_AUDIT_ACTIONS,
  errors: DISTRIBUTION_ERRORS,
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  // Each part adds its jobs, services and subscribers here.
  jobs: [coverageCaptureJob, distributionDigestJob, subscriptionRetentionJob],
  services: [distributionSenderService],
  subscribers: [publicSubscribersFanout, distributionFanoutSubscriber],
  menu: [
    {
      key: 'distribution.nav',
      href: '/console/phan-phoi',
      order: 660,
      visible: (a) => can(a, 'read', 'distribution'),
    },
  ],
}
