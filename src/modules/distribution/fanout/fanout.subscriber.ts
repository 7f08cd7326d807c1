/**
 * The subscriber that runs the partners' fan-out: once per event (the domain-event delivery
 * row), in the delivery's transaction, so the deliveries exist if and only if it committed.
 */
import type { EventSubscriber } from '../../../platform/domain-events/index.ts'
import { processConfig } from '../../../config.ts'
import { FANOUT_EVENTS, fanOutToPartners } from './fanout.ts'

/** `distribution.fanout`: embargo, publication, correction and kill deliveries to partners. */
export const distributionFanoutSubscriber: EventSubscriber = {
  name: 'distribution.fanout',
  events: FANOUT_EVENTS,
  async perform(event, ctx) {
    // Subscribers get a transaction, not the configuration: the public address is the one the
    // subscriptions service recorded where jobs run (or the environment's).
    await fanOutToPartners(ctx.tx, event, processConfig().publicUrl)
  },
}
