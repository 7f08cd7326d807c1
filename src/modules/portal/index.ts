/**
 * The partner portal (`/doi-tac`): sign-in by single-use e-mail link and passkeys, embargoed
 * and recent releases, verdict kits, logged downloads, profile, sessions and API tokens.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ModuleManifest } from '../../platform/modules.ts'
import { registerPortalRoutes } from './portal.routes.tsx'
import { PORTAL_AUDIT_ACTIONS, PORTAL_ERRORS } from './portal.audit.ts'
import './portal.policy.ts'
import './portal.holder.ts'
import { signInLinkJob } from './auth/auth.jobs.ts'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export const portalModule: ModuleManifest = {
  name: 'portal',
  routes: registerPortalRoutes,
  migrations: path.join(HERE, 'migrations'),
  auditActions: PORTAL_AUDIT_ACTIONS,
  errors: PORTAL_ERRORS,
  catalogues: path.join(HERE, 'i18n'),
  jobs: [signInLinkJob],
}
