/**
 * What other modules keep about a partner, registered here by those modules (the portal: sessions,
 * tokens, passkeys, downloads; inquiries: the asker's details). They import the registry; the
 * registry never imports them, so its decisions reach their rows without a module cycle:
 * - a revocation ends access in the revoking transaction (`endAccess`);
 * - an erasure under Law 91/2025 empties their personal data in the erasing transaction (`erase`);
 * - the registry's detail page shows their activity blocks (`activity`).
 * A module that is not installed contributes nothing; the registry still works.
 */
import type { Db, Tx } from '../../db/index.ts'
import type { AuditActor } from '../../platform/audit/index.ts'
import type { Locale } from '../../platform/i18n/index.ts'
import type { Actor } from '../../platform/policy/index.ts'

/** Counts of what a holder changed (audit summaries hold counts, never personal values). */
export type HeldCounts = Record<string, number>

/** One block of a partner's activity on their registry page. */
export interface PartnerActivityBlock {
  /** Anchor and test hook (`inquiries`, `downloads`). */
  key: string
  title: string
  count: number
  /** The latest rows, already worded for the reader (masked where the reader may not see). */
  items: { href?: string; text: string; meta: string; masked?: boolean }[]
  emptyText: string
  /** The full list, filtered to this partner. */
  all: { href: string; text: string }
}

/** A module that keeps data about partners. */
export interface PartnerDataHolder {
  /** Unique name (diagnostics). */
  name: string
  /** Position of its activity block on the detail page (lower first). */
  order: number
  /**
   * Ends the account's access now (revocation, erasure): in `tx`. `audit: false` when the
   * caller's own audit row carries the counts.
   */
  endAccess?(o: {
    tx: Tx
    tenantId: string
    partnerId: string
    userId: string
    actor: AuditActor
    ip?: string
    audit: boolean
  }): Promise<HeldCounts>
  /** Erases or neutralises what it keeps about these records and accounts, in `tx`. */
  erase?(o: {
    tx: Tx
    tenantId: string
    partnerIds: string[]
    userIds: string[]
    erasedName: string
    actor: AuditActor
  }): Promise<HeldCounts>
  /** The partner's activity, as the reader may see it (the route has authorised `actor`). */
  activity?(o: { db: Db; actor: Actor; partnerId: string; limit: number; locale: Locale }): Promise<PartnerActivityBlock>
}

const holders: PartnerDataHolder[] = []

/** Registers a holder once (a module's manifest file calls this when it loads). */
export function registerPartnerDataHolder(holder: PartnerDataHolder): void {
  if (!holders.some((h) => h.name === holder.name)) holders.push(holder)
  holders.sort((a, b) => a.order - b.order)
}

/** The registered holders, in order. */
export function partnerDataHolders(): readonly PartnerDataHolder[] {
  return holders
}

/** Adds `more` into `into`, key by key. */
export function addCounts(into: HeldCounts, more: HeldCounts): HeldCounts {
  for (const [k, v] of Object.entries(more)) into[k] = (into[k] ?? 0) + v
  return into
}

/** Ends the access of `userId` in every holder (revocation), each auditing its own part. */
export async function endPartnerAccess(o: {
  tx: Tx
  tenantId: string
  partnerId: string
  userId: string | null
  actor: AuditActor
  ip?: string
  audit: boolean
}): Promise<HeldCounts> {
  const counts: HeldCounts = {}
  if (!o.userId) return counts
  for (const h of holders) if (h.endAccess) addCounts(counts, await h.endAccess({ ...o, userId: o.userId as string }))
  return counts
}
