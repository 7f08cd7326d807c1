/** Accounts: users, sessions, sign-in with TOTP, invitations, setup; the `/api/v1/me|users` API. */
import { can } from '../../platform/policy/index.ts'
import type { ModuleManifest } from '../../platform/modules.ts'
import './accounts.policy.ts'
import { ACCOUNT_AUDIT_ACTIONS, ACCOUNT_ERRORS } from './accounts.audit.ts'
import { registerAccountRoutes } from './accounts.routes.tsx'
import { purgeSessionsJob } from './sessions.ts'

export const accountsModule: ModuleManifest = {
  name: 'accounts',
  routes: registerAccountRoutes,
  jobs: [purgeSessionsJob],
  auditActions: ACCOUNT_AUDIT_ACTIONS,
  errors: ACCOUNT_ERRORS,
  menu: [
    { key: 'users', href: '/console/users', order: 800, visible: (a) => can(a, 'list', 'user') },
    { key: 'account', href: '/console/account', order: 1000, visible: (a) => !!a },
  ],
}
