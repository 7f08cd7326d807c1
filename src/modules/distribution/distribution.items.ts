/**
 * Item types other modules distribute (warnings): what distribution needs to know of such an
 * item, registered by the owning module when it loads, so distribution never imports it (nor
 * reads its tables behind its back). Releases and verdicts are distribution's own cases.
 */
import type pg from 'pg'
import type { Db, Tx } from '../../db/index.ts'
import type { Actor } from '../../platform/policy/index.ts'
import type { ConsoleItem } from './console/item.queries.ts'

/** What a module tells distribution about its item type. */
export interface DistributedItemType {
  /** The item as the console's distribution page shows it; authorises `actor`, throws NOT_FOUND. */
  consoleItem(db: Db | Tx, actor: Actor, id: string): Promise<ConsoleItem>
  /** The public page a recipient's `/l/<token>` link leads to, or null (none, or gone). */
  publicPath(db: Db, tenantId: string, itemId: string): Promise<string | null>
  /** Of `ids`, those whose content must no longer leave (the sender cancels their queued rows). */
  ended(pool: pg.Pool, ids: readonly string[]): Promise<Set<string>>
}

const TYPES = new Map<string, DistributedItemType>()

/** Registers an item type (once, from the owning module). */
export function registerDistributedItemType(type: 'warning', t: DistributedItemType): void {
  TYPES.set(type, t)
}

/** The registered item type, if any. */
export function distributedItemType(type: string): DistributedItemType | undefined {
  return TYPES.get(type)
}
