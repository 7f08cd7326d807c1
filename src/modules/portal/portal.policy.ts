/**
 * Who may see what in the partner portal.
 * - Journalists and influencers use the portal (`read portal`, declared by the console module);
 *   every page then loads the partner record behind the account (`requirePartner`).
 * - Embargoed releases (`read-embargoed` on `release`): only a partner whose LIVE record is
 *   accredited, journalists and influencers alike (the issue grants embargo to accredited
 *   partners; an influencer is accredited only after signing the "người chuyển tải"
 *   acknowledgement). The role alone grants nothing: the record must be passed in, loaded in the
 *   same request, so a suspension, expiry or revocation bites on the very next request.
 * Staff see the download log through the registry's `read partner` rule.
 */
import { type Actor, allow, PARTNER_ROLES, type Subject } from '../../platform/policy/index.ts'
import { hasEmbargoAccess } from '../partners/partners.actor.ts'
import type { PartnerRow } from '../partners/partners.tables.ts'

/** The reader of embargoed material as the policy sees it: the partner record loaded now. */
export interface EmbargoReader {
  partner: Pick<PartnerRow, 'userId' | 'status' | 'mergedInto'> | null
}

/** True when `s.record` is the actor's own live, accredited partner record. */
function accreditedSelf(actor: Actor, s: Subject<EmbargoReader>): boolean {
  const p = s.record?.partner
  return !!p && p.userId === actor.id && p.mergedInto === null && hasEmbargoAccess(p)
}

allow<EmbargoReader>(PARTNER_ROLES, 'read-embargoed', 'release', accreditedSelf)
