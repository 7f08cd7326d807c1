-- Public warnings (issue 17): scam methods, traffic, public order, missing persons (with the
-- family's consent), wanted notices. A warning row holds the working copy that staff edit; each
-- publication (first, update, cancellation, closing) writes an immutable `warning_versions` row
-- with the snapshot the public saw and the CAP identity of that message. Public surfaces read
-- versions only, never the working copy. Every row carries its tenant.

CREATE TABLE warnings (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  -- Public code (CB-2026-0001) and page slug (/canh-bao/<slug>), fixed at creation.
  code text NOT NULL,
  slug text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('scam', 'traffic', 'public_order', 'missing_person', 'wanted')),
  level text NOT NULL CHECK (level IN ('alert', 'advisory', 'community')),
  cap_status text NOT NULL DEFAULT 'Actual' CHECK (cap_status IN ('Actual', 'Exercise', 'Test')),
  -- The working copy (what the next approval publishes).
  title_vi text NOT NULL CHECK (char_length(title_vi) BETWEEN 5 AND 300),
  description_vi text NOT NULL CHECK (char_length(description_vi) BETWEEN 1 AND 20000),
  instruction_vi text NOT NULL DEFAULT '' CHECK (char_length(instruction_vi) <= 5000),
  title_en text CHECK (char_length(title_en) <= 300),
  description_en text CHECK (char_length(description_en) <= 20000),
  instruction_en text CHECK (char_length(instruction_en) <= 5000),
  whole_province boolean NOT NULL DEFAULT false,
  -- Commune codes (src/modules/reference); empty only for a whole-province warning.
  communes text[] NOT NULL DEFAULT '{}',
  valid_from timestamptz NOT NULL,
  valid_until timestamptz,
  -- Scam warnings: phrases and call scripts the self-check page matches pasted messages against.
  patterns text[] NOT NULL DEFAULT '{}',
  -- Links the warning names (as written); the self-check compares them in canonical form.
  links text[] NOT NULL DEFAULT '{}',
  -- Missing person: the family's consent, recorded (who gave it, how, when, who recorded it).
  consent_note text CHECK (char_length(consent_note) <= 1000),
  consent_at timestamptz,
  consent_recorded_by uuid REFERENCES users(id),
  -- Wanted notice: the legal basis (the wanted decision's number, date and issuing body).
  legal_basis text CHECK (char_length(legal_basis) <= 1000),
  -- Life of the warning: draft (never published), active (published, in force or expired by
  -- valid_until), cancelled, closed (a person warning ended: found, arrested).
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'active', 'cancelled', 'closed')),
  -- Review of the working copy: none, or submitted for a second person's approval.
  review text NOT NULL DEFAULT 'none' CHECK (review IN ('none', 'submitted')),
  -- True when the working copy differs from the published version (an update in preparation).
  dirty boolean NOT NULL DEFAULT true,
  -- Latest published version (0 = never published).
  version integer NOT NULL DEFAULT 0 CHECK (version >= 0),
  created_by uuid REFERENCES users(id),
  submitted_by uuid REFERENCES users(id),
  submitted_at timestamptz,
  -- Everyone who wrote or changed the working copy since the last publication (four-eyes).
  contributors uuid[] NOT NULL DEFAULT '{}',
  -- Urgent path: an approver published alone; a second approver confirms within 24 h.
  urgent_by uuid REFERENCES users(id),
  urgent_reason text CHECK (char_length(urgent_reason) <= 1000),
  retro_due_at timestamptz,
  retro_approved_by uuid REFERENCES users(id),
  retro_approved_at timestamptz,
  retro_overdue_at timestamptz,
  first_published_at timestamptz,
  cancelled_at timestamptz,
  cancel_reason text CHECK (char_length(cancel_reason) <= 1000),
  closed_at timestamptz,
  close_reason text CHECK (close_reason IN ('found', 'arrested', 'other')),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code),
  UNIQUE (tenant_id, slug),
  CHECK (valid_until IS NULL OR valid_until > valid_from),
  CHECK (whole_province OR cardinality(communes) >= 1),
  CHECK ((state = 'closed') = (closed_at IS NOT NULL)),
  CHECK ((state = 'cancelled') = (cancelled_at IS NOT NULL)),
  CHECK (state = 'draft' OR version >= 1),
  CHECK (kind <> 'missing_person' OR state = 'draft' OR consent_at IS NOT NULL),
  CHECK (kind <> 'wanted' OR state = 'draft' OR legal_basis IS NOT NULL)
);
CREATE INDEX warnings_tenant_state ON warnings (tenant_id, state, valid_from DESC);
CREATE INDEX warnings_retro ON warnings (retro_due_at) WHERE urgent_by IS NOT NULL AND retro_approved_by IS NULL;

-- One row per published message of a warning (CAP: Alert, Update, Cancel). Immutable.
CREATE TABLE warning_versions (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  warning_id uuid NOT NULL REFERENCES warnings(id),
  version integer NOT NULL CHECK (version >= 1),
  msg_type text NOT NULL CHECK (msg_type IN ('Alert', 'Update', 'Cancel')),
  -- The warning's state this message announced.
  state text NOT NULL CHECK (state IN ('active', 'cancelled', 'closed')),
  -- CAP sender, identifier and sent, as the message carried them (later messages reference them).
  sender text NOT NULL,
  identifier text NOT NULL,
  sent_at timestamptz NOT NULL,
  -- What the public saw (WarningSnapshot in warnings.types.ts).
  snapshot jsonb NOT NULL,
  change_note text CHECK (char_length(change_note) <= 2000),
  published_by uuid REFERENCES users(id),
  approved_by uuid REFERENCES users(id),
  urgent boolean NOT NULL DEFAULT false,
  PRIMARY KEY (warning_id, version),
  UNIQUE (tenant_id, identifier)
);
CREATE INDEX warning_versions_sent ON warning_versions (tenant_id, sent_at DESC);

-- Warning kinds a public subscriber chose (empty = every kind); only meaningful with the
-- `warning` topic.
ALTER TABLE public_subscriptions ADD COLUMN warning_kinds text[] NOT NULL DEFAULT '{}'
  CHECK (warning_kinds <@ ARRAY['scam', 'traffic', 'public_order', 'missing_person', 'wanted']::text[]);
