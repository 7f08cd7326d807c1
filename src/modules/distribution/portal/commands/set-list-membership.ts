import { and, eq } from 'drizzle-orm'
import type { Tx } from '../../../../db/index.ts'
import { recordAudit } from '../../../../platform/audit/index.ts'
import { now } from '../../../../platform/clock.ts'
import { AppError } from '../../../../platform/errors.ts'
import type { Actor } from '../../../../platform/policy/index.ts'
import { isUuid } from '../../../partners/partners.normalize.ts'
import { distributionOptOuts } from '../../distribution.tables.ts'
import { listsOfPartner } from '../../lists/recipients.ts'

/**
 * The partner leaves (`leave: true`) or rejoins one of the lists they are in. Leaving writes a
 * `distribution_opt_outs` row: the list's later items no longer reach them through that list
 * (another list may still bring them). Kill notices and corrections of items already received
 * are not affected (the fan-out sends those to everyone who received the item). A list the
 * partner is not in answers NOT_FOUND (like a list that does not exist); asking for the state
 * the partner is already in changes nothing. Audited (`distribution.list_left` /
 * `distribution.list_rejoined`) in the same transaction.
 */
export async function setListMembership(o: {
  tx: Tx
  /** The partner's account. */
  actor: Actor
  /** The partner (loaded live by the route with `requirePartner`). */
  partnerId: string
  listId: string
  /** True to leave, false to rejoin. */
  leave: boolean
  ip?: string
}): Promise<{ changed: boolean; listName: string }> {
  if (!isUuid(o.listId)) throw new AppError('NOT_FOUND')
  const tenantId = o.actor.tenantId
  const list = (await listsOfPartner(o.tx, tenantId, o.partnerId)).find((l) => l.id === o.listId)
  if (!list) throw new AppError('NOT_FOUND')
  if (list.optedOut === o.leave) return { changed: false, listName: list.name }
  if (o.leave) {
    await o.tx.insert(distributionOptOuts).values({ tenantId, partnerId: o.partnerId, listId: o.listId, at: now() }).onConflictDoNothing()
  } else {
    await o.tx
      .delete(distributionOptOuts)
      .where(
        and(
          eq(distributionOptOuts.tenantId, tenantId),
          eq(distributionOptOuts.partnerId, o.partnerId),
          eq(distributionOptOuts.listId, o.listId),
        ),
      )
  }
  await recordAudit(o.tx, {
    tenantId,
    actor: { id: o.actor.id, label: o.actor.email },
    action: o.leave ? 'distribution.list_left' : 'distribution.list_rejoined',
    subjectType: 'distribution_list',
    subjectId: o.listId,
    summary: { partnerId: o.partnerId, list: list.name },
    ip: o.ip,
  })
  return { changed: true, listName: list.name }
}
