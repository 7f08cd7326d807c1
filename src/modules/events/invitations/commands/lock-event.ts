/**
 * The event locked for the rest of a transaction (`commands/load-event.ts`): invitations,
 * answers and updates of one event are serialised on its row, so seats are counted once and a
 * SEQUENCE is mailed once.
 */
export { lockEvent } from '../../commands/load-event.ts'

/** A UUID, as ids in URLs must be before they reach a query. */
export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
