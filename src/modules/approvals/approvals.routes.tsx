/** The approvals inbox page. */
import { actorOf } from '../../platform/html/forms.tsx'
import type { TypedApp } from '../../platform/modules.ts'
import { authorize } from '../../platform/policy/index.ts'
import { approvalsPage } from './approvals.pages.tsx'
import { approvalInbox, inboxPeople } from './inbox.ts'

/** Registers `/console/approvals`. */
export async function registerApprovalRoutes(app: TypedApp): Promise<void> {
  const db = app.ctx.database.db
  app.get(
    '/console/approvals',
    { config: { access: { action: 'read', subject: 'approvals' } }, schema: { hide: true } },
    async (req, reply) => {
      const actor = actorOf(req)
      authorize(actor, 'read', 'approvals')
      const items = await approvalInbox(db, actor)
      return approvalsPage({ req, reply }, { items, people: await inboxPeople(db, actor.tenantId, items) })
    },
  )
}
