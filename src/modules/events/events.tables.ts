/** Drizzle mirrors of `migrations/0028_events.sql` … `0031_event_attendance.sql` (the SQL is the source of truth). */
import { boolean, customType, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core'

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
  qaReleaseId: uuid('qa_release_id'),
  materialsSentAt: timestamp('materials_sent_at', { withTimezone: true }),
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
  badgeCode: text('badge_code'),
  badgeVersion: integer('badge_version').notNull().default(0),
  badgeSentAt: timestamp('badge_sent_at', { withTimezone: true }),
  materialsSentAt: timestamp('materials_sent_at', { withTimezone: true }),
})

const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' })

export const eventBadgeKeys = pgTable('event_badge_keys', {
  tenantId: uuid('tenant_id').primaryKey(),
  secret: bytea('secret').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

/** How a check-in was made. */
export const CHECKIN_METHODS = ['qr', 'code', 'walk_in'] as const
export type CheckinMethod = (typeof CHECKIN_METHODS)[number]

export const eventCheckins = pgTable('event_checkins', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: uuid('event_id').notNull(),
  invitationId: uuid('invitation_id'),
  walkInName: text('walk_in_name'),
  walkInOutlet: text('walk_in_outlet'),
  walkInNote: text('walk_in_note'),
  withCompanion: boolean('with_companion').notNull().default(false),
  method: text('method').$type<CheckinMethod>().notNull(),
  door: text('door').notNull().default(''),
  deviceId: text('device_id').notNull().default(''),
  scanId: text('scan_id').notNull(),
  scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  offline: boolean('offline').notNull().default(false),
  checkedInBy: uuid('checked_in_by'),
})

/** Why a scan checked no one in. */
export const CHECKIN_CONFLICT_REASONS = ['duplicate', 'other_event', 'forged', 'expired', 'withdrawn', 'unknown_code'] as const
export type CheckinConflictReason = (typeof CHECKIN_CONFLICT_REASONS)[number]

export const eventCheckinConflicts = pgTable('event_checkin_conflicts', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: uuid('event_id').notNull(),
  invitationId: uuid('invitation_id'),
  keptCheckinId: uuid('kept_checkin_id'),
  reason: text('reason').$type<CheckinConflictReason>().notNull(),
  door: text('door').notNull().default(''),
  deviceId: text('device_id').notNull().default(''),
  scanId: text('scan_id').notNull(),
  scannedAt: timestamp('scanned_at', { withTimezone: true }).notNull(),
  receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  offline: boolean('offline').notNull().default(false),
})

/** States of a live question. */
export const QUESTION_STATES = ['pending', 'approved', 'answered', 'merged', 'rejected'] as const
export type QuestionState = (typeof QUESTION_STATES)[number]

export const eventQuestions = pgTable('event_questions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: uuid('event_id').notNull(),
  partnerId: uuid('partner_id').notNull(),
  body: text('body').notNull(),
  state: text('state').$type<QuestionState>().notNull().default('pending'),
  mergedInto: uuid('merged_into'),
  answerNote: text('answer_note'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  moderatedBy: uuid('moderated_by'),
  moderatedAt: timestamp('moderated_at', { withTimezone: true }),
  answeredAt: timestamp('answered_at', { withTimezone: true }),
})

/** Kinds of material sent afterwards. */
export const MATERIAL_KINDS = ['release', 'photo', 'recording', 'document'] as const
export type MaterialKind = (typeof MATERIAL_KINDS)[number]

export const eventMaterials = pgTable('event_materials', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  eventId: uuid('event_id').notNull(),
  kind: text('kind').$type<MaterialKind>().notNull(),
  title: text('title').notNull(),
  url: text('url'),
  releaseId: uuid('release_id'),
  position: integer('position').notNull().default(0),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const partnerScoreAdjustments = pgTable('partner_score_adjustments', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  year: integer('year').notNull(),
  partnerId: uuid('partner_id').notNull(),
  points: integer('points').notNull(),
  reason: text('reason').notNull(),
  createdBy: uuid('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
})

export const partnerRecognitions = pgTable('partner_recognitions', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  year: integer('year').notNull(),
  partnerId: uuid('partner_id').notNull(),
  partnerName: text('partner_name').notNull(),
  outletName: text('outlet_name'),
  score: integer('score').notNull(),
  components: jsonb('components').$type<Record<string, number>>().notNull(),
  certificateCode: text('certificate_code').notNull(),
  eventId: uuid('event_id'),
  awardedBy: uuid('awarded_by').notNull(),
  awardedAt: timestamp('awarded_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  revokeReason: text('revoke_reason'),
})
