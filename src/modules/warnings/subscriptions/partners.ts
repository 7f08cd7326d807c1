/**
 * Warnings to partners: the subscriber `warnings.partners` on `warning.published`, through
 * distribution's one fan-out (`fanOutItem`): the lists chosen for the warning
 * (`distribution_targets`, item type `warning`; none chosen → all accredited press and all
 * accredited influencers), each partner on their channels (portal inbox, e-mail now or in the
 * digest, webhooks), every message marked as official information to be carried with the
 * source named (delivery/render.ts, webhooks/signing.ts).
 *
 * - Alert → `publish`; Update → `correction` to the lists and to whoever had an earlier version.
 * - Cancel (cancelled or closed) → `kill`: pending deliveries cancelled, then the notice to
 *   whom it reached; a closed warning or one about a person is named by its code only.
 *
 * Partners are NOT held by quiet hours: they are professionals (newsrooms, official pages) who
 * decide themselves when to carry a warning, and a desk working at night needs it at once.
 */
import { processConfig } from '../../../config.ts'
import type { Tx } from '../../../db/index.ts'
import type { DomainEvent, EventSubscriber } from '../../../platform/domain-events/index.ts'
import { type FanoutResult, fanOutItem } from '../../distribution/fanout/fanout.ts'
import { bilingual, contentPayload, decideWarning, endPayload, sourceOf } from './warning-message.ts'

/** Runs the partners' fan-out of one `warning.published` in `tx` (audited by `fanOutItem`). */
export async function fanOutWarningToPartners(tx: Tx, event: DomainEvent<'warning.published'>, publicUrl: string): Promise<FanoutResult> {
  const p = event.payload
  const d = await decideWarning(tx, event)
  const item = { itemType: 'warning' as const, itemId: p.warningId }
  if (d.do === 'skip') {
    // Expired or superseded: the public rule says nothing more is to be sent for this event.
    return fanOutItem(tx, event, {
      ...item,
      skipped: d.why === 'not_found' ? 'not_found' : d.why === 'superseded' ? 'superseded' : 'not_public',
    })
  }
  const source = await sourceOf(tx, event.tenantId, publicUrl)
  if (d.do === 'content') {
    return fanOutItem(tx, event, {
      ...item,
      kind: d.update ? 'correction' : 'publish',
      withPrior: d.update,
      payload: contentPayload(d, { publicUrl, source, version: p.version, full: true }),
    })
  }
  const reason = bilingual('wsubs.partners.killReason')
  const notice = endPayload(d, { publicUrl, source })
  // The reason partners read: staff's reason for a cancelled warning of another kind, else ours.
  return fanOutItem(tx, event, { ...item, kind: 'kill', kill: { reason }, payload: { ...notice, reason: notice.reason ?? reason } })
}

/** The domain-event subscriber (in the warnings manifest). */
export const warningPartnersFanout: EventSubscriber = {
  name: 'warnings.partners',
  events: ['warning.published'],
  async perform(event, { tx }) {
    await fanOutWarningToPartners(tx, event as DomainEvent<'warning.published'>, processConfig().publicUrl)
  },
}
