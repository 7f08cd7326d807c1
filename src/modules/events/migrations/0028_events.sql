-- Press conferences and partner meetings (issue 16): the events, their speakers (from the
-- spokesperson register), the lists invited (distribution lists), and one invitation per
-- partner with the answer. iCalendar: `uid` is stable for the event's life and `sequence` grows
-- with every change sent, so calendars update (and drop it on METHOD:CANCEL). Every row carries
-- its tenant.

CREATE TABLE events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  kind text NOT NULL CHECK (kind IN ('regular_press_conference', 'adhoc_press_conference', 'partner_meeting', 'press_briefing', 'annual_partner_conference')),
  title text NOT NULL CHECK (char_length(title) BETWEEN 3 AND 300),
  -- The topic as the public schedule shows it (announced press conferences only).
  topic text NOT NULL DEFAULT '' CHECK (char_length(topic) <= 1000),
  agenda_md text NOT NULL DEFAULT '' CHECK (char_length(agenda_md) <= 20000),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz NOT NULL,
  place text NOT NULL DEFAULT '' CHECK (char_length(place) <= 500),
  map_url text CHECK (char_length(map_url) <= 2048),
  online_url text CHECK (char_length(online_url) <= 2048),
  -- Seats for partners (companions included); null = no limit.
  capacity integer CHECK (capacity IS NULL OR capacity > 0),
  -- Answers are taken until then (default: the start).
  rsvp_deadline timestamptz,
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'announced', 'cancelled', 'done')),
  -- iCalendar identity: UID stays, SEQUENCE grows with each change sent to invitees.
  ical_uid text NOT NULL UNIQUE,
  sequence integer NOT NULL DEFAULT 0,
  -- A press conference proposed by clearing a sealed case carries the case.
  case_id uuid REFERENCES cases(id),
  cancel_reason text,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  announced_at timestamptz,
  cancelled_at timestamptz,
  CHECK (ends_at > starts_at),
  CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL))
);
CREATE INDEX events_tenant_start ON events (tenant_id, starts_at);

CREATE TABLE event_speakers (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  spokesperson_id uuid NOT NULL REFERENCES spokespersons(id),
  position integer NOT NULL DEFAULT 0,
  PRIMARY KEY (event_id, spokesperson_id)
);

-- The distribution lists invited (resolved to partners when invitations go out).
CREATE TABLE event_lists (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  list_id uuid NOT NULL REFERENCES distribution_lists(id),
  PRIMARY KEY (event_id, list_id)
);

-- One invitation per partner and event, with the answer.
CREATE TABLE event_invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  partner_id uuid NOT NULL REFERENCES partners(id),
  state text NOT NULL DEFAULT 'invited' CHECK (state IN ('invited', 'yes', 'no', 'maybe', 'waitlisted', 'withdrawn')),
  -- A companion (camera operator …) takes a seat too.
  companion_name text CHECK (char_length(companion_name) <= 200),
  companion_role text CHECK (char_length(companion_role) <= 100),
  -- The SEQUENCE last mailed to this partner (an update goes to those below the event's).
  sequence_sent integer,
  invited_at timestamptz NOT NULL DEFAULT now(),
  responded_at timestamptz,
  -- Place in the waiting list (earliest answer first).
  waitlisted_at timestamptz,
  reminded_24h_at timestamptz,
  reminded_2h_at timestamptz,
  UNIQUE (event_id, partner_id)
);
CREATE INDEX event_invitations_partner ON event_invitations (partner_id);
