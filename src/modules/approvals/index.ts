/**
 * The approvals inbox: one page and one menu count for everything that waits on an approver.
 * Modules contribute their items through the `approvals` field of their manifest.
 */
import type { ModuleManifest } from '../../platform/modules.ts'
import { can } from '../../platform/policy/index.ts'
import './approvals.policy.ts'
import { registerApprovalRoutes } from './approvals.routes.tsx'
import { countApprovable } from './inbox.ts'

export const approvalsModule: ModuleManifest = {
  name: 'approvals',
  routes: registerApprovalRoutes,
  menu: [
    {
      key: 'approvals',
      href: '/console/approvals',
      order: 110,
      visible: (a) => can(a, 'read', 'approvals'),
      // What this person can approve now (items they sent or wrote are someone else's to approve).
      count: (actor, ctx) => countApprovable(ctx.db, actor),
    },
  ],
}
