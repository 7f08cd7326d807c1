/** Drizzle mirrors of `migrations/0028_events.sql` (the SQL is the source of truth). */
import { integer, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

/** Kinds of event (Vietnamese names in the catalogue). */
export const EVENT_KINDS = [
  'regular_press_conference',
  'adhoc_press_conference',
  'partner_meeting',
  'press_briefing',
  'annual_partner_conference',
] as const
export type EventKind = (typeof EVENT_KINDS)[number]
/** States of an event. */
export const EVENT_STATES = ['draft', 'announced', 'cancelled', 'done'] as const
export type EventState = (typeof EVENT_STATES)[number]
/** States of an invitation. */
export const INVITATION_STATES = ['invited', 'yes', 'no', 'maybe', 'waitlisted', 'withdrawn'] as const
export type InvitationState = (typeof INVITATION_STATES)[number]

export const events = pgTable('events', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  kind: text('kind').$type<EventKind>().notNull(),
  title: text('title').notNull(),
  topic: text('topic').notNull().default(''),
  agendaMd: text('agenda_md').notNull().default(''),
  startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
  endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
  place: text('place').notNull().default(''),
  mapUrl: text('map_url'),
  onlineUrl: text('online_url'),
  capacity: integer('capacity'),
  rsvpDeadline: timestamp('rsvp_deadline', { withTimezone: true }),
  state: text('state').$type<EventState>().notNull().default('draft'),
  icalUid: text('ical_uid').notNull(),
  sequence: integer('sequence').notNull().default(0),
  caseId: uuid('case_id'),
  cancelReason: text('cancel_reason'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  announcedAt: timestamp('announced_at', { withTimezone: true }),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
})

export const eventSpeakers = pgTable(
  'event_speakers',
  {
    tenantId: uuid('tenant_id').notNull(),
    eventId: uuid('event_id').notNull(),
    spokespersonId: uuid('spokesperson_id').notNull(),
    position: integer('position').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.spokespersonId] })],
)

export const eventLists = pgTable(
  'event_lists',
  {
    tenantId: uuid('tenant_id').notNull(),
    eventId: uuid('event_id').notNull(),
    listId: uuid('list_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.listId] })],
)

export const eventInvitations = pgTable('event_invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: uuid('event_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  state: text('state').$type<InvitationState>().notNull().default('invited'),
  companionName: text('companion_name'),
  companionRole: text('companion_role'),
  sequenceSent: integer('sequence_sent'),
  invitedAt: timestamp('invited_at', { withTimezone: true }).notNull().defaultNow(),
  respondedAt: timestamp('responded_at', { withTimezone: true }),
  waitlistedAt: timestamp('waitlisted_at', { withTimezone: true }),
  reminded24hAt: timestamp('reminded_24h_at', { withTimezone: true }),
  reminded2hAt: timestamp('reminded_2h_at', { withTimezone: true }),
})
