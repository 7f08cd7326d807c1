/**
 * The partners registry: press outlets, journalists and influencers, their keys (duplicate
 * detection), channels, acknowledgements, the status machine with its history, merges, and the
 * daily expiry job. Console pages, the portal, import/export and inquiries build on this core.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { can } from '../../platform/policy/index.ts'
import './partners.policy.ts'
import { PARTNER_AUDIT_ACTIONS, PARTNER_ERRORS } from './partners.audit.ts'
import { PARTNER_EVENTS } from './partners.events.ts'
import { partnerImportJob } from './import/commands/run-import.ts'
import { partnerExpiryJob } from './partners.jobs.ts'
import { partnerRetentionJob } from './application/application.retention.ts'
import { registerPartnerRoutes } from './partners.routes.ts'
import { countReviewQueue } from './application/application.repository.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const partnersModule: ModuleManifest = {
  name: 'partners',
  routes: registerPartnerRoutes,
  auditActions: PARTNER_AUDIT_ACTIONS,
  errors: PARTNER_ERRORS,
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  jobs: [partnerExpiryJob, partnerImportJob, partnerRetentionJob],
  emits: PARTNER_EVENTS,
  // The registry in the console (console/console.routes.tsx): every staff member reads it.
  menu: [
    {
      key: 'partners',
      href: '/console/doi-tac',
      order: 650,
      visible: (a) => can(a, 'read', 'partner'),
      // Applications waiting in the review queue (application/): one small query.
      count: (a, { db }) => countReviewQueue(db, a.tenantId),
    },
  ],
}
