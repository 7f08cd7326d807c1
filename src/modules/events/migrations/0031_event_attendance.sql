-- Press conferences from the door to the follow-up (issue 16): badges and check-in (with scans
-- made offline and synced later), live questions, materials sent afterwards, and the yearly
-- partner recognition with its certificates. Every row carries its tenant.

-- Badges. A confirmed invitation gets a short code for manual entry (unique within its event)
-- and a version that signed badge tokens carry: bumping it (answer changed, badge reissued)
-- makes every earlier token fail. Tokens are HMAC-signed under the tenant's badge key.
ALTER TABLE event_invitations ADD COLUMN badge_code text CHECK (badge_code ~ '^[0-9A-Z]{8}$');
ALTER TABLE event_invitations ADD COLUMN badge_version integer NOT NULL DEFAULT 0;
ALTER TABLE event_invitations ADD COLUMN badge_sent_at timestamptz;
CREATE UNIQUE INDEX event_invitations_badge_code ON event_invitations (event_id, badge_code) WHERE badge_code IS NOT NULL;

CREATE TABLE event_badge_keys (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
  secret bytea NOT NULL CHECK (octet_length(secret) = 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Check-ins. One per invitation and event (the first scan by the device's clock wins); walk-ins
-- have no invitation and carry what staff typed. `scan_id` is made by the device, so a scan
-- synced twice (a retry after a network drop) is taken once.
CREATE TABLE event_checkins (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  invitation_id uuid REFERENCES event_invitations(id),
  walk_in_name text CHECK (char_length(walk_in_name) BETWEEN 2 AND 200),
  walk_in_outlet text CHECK (char_length(walk_in_outlet) <= 200),
  walk_in_note text CHECK (char_length(walk_in_note) <= 500),
  with_companion boolean NOT NULL DEFAULT false,
  method text NOT NULL CHECK (method IN ('qr', 'code', 'walk_in')),
  door text NOT NULL DEFAULT '' CHECK (char_length(door) <= 60),
  device_id text NOT NULL DEFAULT '' CHECK (char_length(device_id) <= 64),
  scan_id text NOT NULL CHECK (char_length(scan_id) BETWEEN 8 AND 64),
  -- When the device saw the badge (its clock), and when the server took it.
  scanned_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  offline boolean NOT NULL DEFAULT false,
  checked_in_by uuid REFERENCES users(id),
  CHECK ((invitation_id IS NULL) = (method = 'walk_in')),
  CHECK (invitation_id IS NOT NULL OR walk_in_name IS NOT NULL),
  UNIQUE (tenant_id, scan_id)
);
CREATE UNIQUE INDEX event_checkins_once ON event_checkins (event_id, invitation_id) WHERE invitation_id IS NOT NULL;
CREATE INDEX event_checkins_event ON event_checkins (event_id, scanned_at);

-- Scans that did not check anyone in, kept so the door and the console can show them: the same
-- badge at two doors (`duplicate`, with the check-in that was kept), a badge of another event,
-- a forged, expired or withdrawn one. Taken once per `scan_id` too.
CREATE TABLE event_checkin_conflicts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  invitation_id uuid REFERENCES event_invitations(id),
  kept_checkin_id uuid REFERENCES event_checkins(id) ON DELETE CASCADE,
  reason text NOT NULL CHECK (reason IN ('duplicate', 'other_event', 'forged', 'expired', 'withdrawn', 'unknown_code')),
  door text NOT NULL DEFAULT '',
  device_id text NOT NULL DEFAULT '',
  scan_id text NOT NULL CHECK (char_length(scan_id) BETWEEN 8 AND 64),
  scanned_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  offline boolean NOT NULL DEFAULT false,
  UNIQUE (tenant_id, scan_id)
);
CREATE INDEX event_checkin_conflicts_event ON event_checkin_conflicts (event_id, received_at);

-- Live questions from attendees (through the portal), moderated in the console.
CREATE TABLE event_questions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  partner_id uuid NOT NULL REFERENCES partners(id),
  body text NOT NULL CHECK (char_length(body) BETWEEN 3 AND 2000),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'answered', 'merged', 'rejected')),
  merged_into uuid REFERENCES event_questions(id),
  answer_note text CHECK (char_length(answer_note) <= 5000),
  created_at timestamptz NOT NULL DEFAULT now(),
  moderated_by uuid REFERENCES users(id),
  moderated_at timestamptz,
  answered_at timestamptz,
  CHECK ((state = 'merged') = (merged_into IS NOT NULL))
);
CREATE INDEX event_questions_event ON event_questions (event_id, created_at);
CREATE INDEX event_questions_partner ON event_questions (event_id, partner_id, created_at);
-- A Q&A summary published as a release keeps the link.
ALTER TABLE events ADD COLUMN qa_release_id uuid REFERENCES releases(id);

-- Materials sent afterwards: the release, photos, the recording link, documents.
CREATE TABLE event_materials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id uuid NOT NULL REFERENCES events(id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('release', 'photo', 'recording', 'document')),
  title text NOT NULL CHECK (char_length(title) BETWEEN 2 AND 300),
  url text CHECK (char_length(url) <= 2048),
  release_id uuid REFERENCES releases(id),
  position integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (url IS NOT NULL OR release_id IS NOT NULL)
);
CREATE INDEX event_materials_event ON event_materials (event_id, position);
ALTER TABLE events ADD COLUMN materials_sent_at timestamptz;
ALTER TABLE event_invitations ADD COLUMN materials_sent_at timestamptz;

-- Yearly recognition of partners (đối tác tiêu biểu). The score is computed from the records
-- (attendance, coverage accuracy, useful rumour reports, answered inquiries); staff may adjust
-- it only with a written reason, which the partner sees. Each adjustment is kept.
CREATE TABLE partner_score_adjustments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  partner_id uuid NOT NULL REFERENCES partners(id),
  points integer NOT NULL CHECK (points BETWEEN -100 AND 100 AND points <> 0),
  reason text NOT NULL CHECK (char_length(reason) BETWEEN 10 AND 2000),
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partner_score_adjustments_year ON partner_score_adjustments (tenant_id, year, partner_id);

-- A recognition awarded for a year, with the score and its parts as they stood, and the
-- certificate's public verification code.
CREATE TABLE partner_recognitions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  year integer NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  partner_id uuid NOT NULL REFERENCES partners(id),
  -- The name printed on the certificate (the partner's name when awarded).
  partner_name text NOT NULL,
  outlet_name text,
  score integer NOT NULL,
  components jsonb NOT NULL,
  certificate_code text NOT NULL UNIQUE CHECK (certificate_code ~ '^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$'),
  event_id uuid REFERENCES events(id),
  awarded_by uuid NOT NULL REFERENCES users(id),
  awarded_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoke_reason text,
  UNIQUE (tenant_id, year, partner_id)
);
