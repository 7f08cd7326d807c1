/**
 * Who a set of lists reaches now (owned by the lists/fan-out part). Stub signatures first so
 * the other parts compile; the lists engineer fills them in.
 */
import type { Db, Tx } from '../../../db/index.ts'
import type { EmailMode } from '../distribution.types.ts'

/** A partner who receives. */
export interface Recipient {
  partnerId: string
  name: string
  kind: 'journalist' | 'influencer'
  email: string | null
  emailMode: EmailMode
  /** Active webhook endpoints. */
  webhooks: { id: string; url: string }[]
}

/** Why a partner of a list is left out. */
export type ExclusionReason = 'suspended' | 'expired' | 'revoked' | 'not_accredited' | 'opted_out' | 'merged' | 'erased'

/** A partner of a list who does not receive, and why. */
export interface Excluded {
  partnerId: string
  name: string
  kind: 'journalist' | 'influencer'
  status: string
  reason: ExclusionReason
  /** The list they left (for `opted_out`). */
  listId?: string
}

/** Who the lists reach now (deduplicated across lists) and who they leave out. */
export async function resolveRecipients(
  _db: Db | Tx,
  _tenantId: string,
  _listIds: readonly string[],
): Promise<{ included: Recipient[]; excluded: Excluded[] }> {
  throw new Error('resolveRecipients: not built yet')
}

/** The lists a partner is in now (static membership or matching rule), with whether they left it. */
export async function listsOfPartner(
  _db: Db | Tx,
  _tenantId: string,
  _partnerId: string,
): Promise<{ id: string; name: string; kind: string; optedOut: boolean }[]> {
  throw new Error('listsOfPartner: not built yet')
}

/** Creates the builtin lists of a tenant if missing (idempotent); returns their ids. */
export async function ensureBuiltinLists(
  _db: Db | Tx,
  _tenantId: string,
): Promise<{ accreditedPress: string; accreditedInfluencers: string }> {
  throw new Error('ensureBuiltinLists: not built yet')
}
