/**
 * The approvals inbox: everything that waits on an approver, gathered from the modules'
 * `approvals` contributions (releases, verdicts, and whatever later modules add). Each source
 * applies need-to-know in its own query and marks what four-eyes bars the viewer from.
 */
import { and, eq, inArray } from 'drizzle-orm'
import type { Db } from '../../db/index.ts'
import { approvalSources, type WaitingItem } from '../../platform/modules.ts'
import type { Actor } from '../../platform/policy/index.ts'
import { users } from '../accounts/accounts.tables.ts'

/** Everything waiting that `actor` approves and may see, oldest submission first. */
export async function approvalInbox(db: Db, actor: Actor): Promise<WaitingItem[]> {
  const lists = await Promise.all(
    approvalSources()
      .filter((s) => s.visible(actor))
      .map((s) => s.list(actor, db)),
  )
  return lists.flat().sort((a, b) => (a.submittedAt?.getTime() ?? 0) - (b.submittedAt?.getTime() ?? 0))
}

/** How many waiting items `actor` may approve (those four-eyes bars them from are not counted). */
export async function countApprovable(db: Db, actor: Actor): Promise<number> {
  return (await approvalInbox(db, actor)).filter((i) => !i.notYours).length
}

/** A person as the inbox names them. */
export interface InboxPerson {
  name: string
  email: string
}

/** Names and e-mails of the people the items name (submitters and contributors). */
export async function inboxPeople(db: Db, tenantId: string, items: readonly WaitingItem[]): Promise<Map<string, InboxPerson>> {
  const ids = [...new Set(items.flatMap((i) => [i.submittedBy, ...i.contributorIds]).filter((x): x is string => !!x))]
  if (ids.length === 0) return new Map()
  const rows = await db
    .select({ id: users.id, name: users.name, email: users.email })
    .from(users)
    .where(and(eq(users.tenantId, tenantId), inArray(users.id, ids)))
  return new Map(rows.map((u) => [u.id, { name: u.name || u.email, email: u.email }]))
}
