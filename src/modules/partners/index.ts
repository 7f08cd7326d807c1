/**
 * The partners registry: press outlets, journalists and influencers, their keys (duplicate
 * detection), channels, acknowledgements, the status machine with its history, merges, and the
 * daily expiry job. Console pages, the portal, import/export and inquiries build on this core.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import './partners.policy.ts'
import { PARTNER_AUDIT_ACTIONS, PARTNER_ERRORS } from './partners.audit.ts'
import { PARTNER_EVENTS } from './partners.events.ts'
import { partnerExpiryJob } from './partners.jobs.ts'
import { registerPartnerRoutes } from './partners.routes.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const partnersModule: ModuleManifest = {
  name: 'partners',
  routes: registerPartnerRoutes,
  auditActions: PARTNER_AUDIT_ACTIONS,
  errors: PARTNER_ERRORS,
  catalogues: path.join(HERE, 'i18n'),
  migrations: path.join(HERE, 'migrations'),
  jobs: [partnerExpiryJob],
  emits: PARTNER_EVENTS,
}
