-- Press inquiries (hỏi đáp báo chí) on a legal clock: the inquiries, their history, the
-- holiday calendar the working-day clocks count with, the per-kind clock settings and the
-- yearly number counters. Every row carries its tenant.

CREATE TABLE inquiries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  -- For people: HD-2026-0001 (per tenant and local year).
  code text NOT NULL,
  -- The asker: a registry partner (portal, API or logged by staff) or, for someone outside the
  -- registry, a name and contact typed by staff.
  partner_id uuid REFERENCES partners(id),
  asker_user_id uuid REFERENCES users(id),
  asker_name text NOT NULL,
  asker_contact text,
  asker_email text,
  asker_outlet text,
  -- The asker agreed to be named if the answer is published as a public Q&A.
  asker_name_public boolean NOT NULL DEFAULT false,
  channel text NOT NULL CHECK (channel IN ('portal', 'api', 'phone', 'email')),
  kind text NOT NULL CHECK (kind IN ('incident', 'complaint', 'question')),
  topic text NOT NULL,
  question text NOT NULL CHECK (char_length(question) <= 20000),
  release_id uuid REFERENCES releases(id),
  -- The asker's own words for a case ("vụ tai nạn QL1A"); never a link to a sealed record.
  case_ref text,
  -- A case linked by staff (need-to-know applies to whoever reads it).
  case_id uuid REFERENCES cases(id),
  needed_by timestamptz,
  received_at timestamptz NOT NULL,
  -- The legal due time, fixed at receipt (see inquiries.clock.ts), and when to escalate.
  due_at timestamptz NOT NULL,
  escalate_at timestamptz NOT NULL,
  -- How the clock was counted (unit, amount, rule), kept with the inquiry.
  clock jsonb NOT NULL,
  status text NOT NULL DEFAULT 'received'
    CHECK (status IN ('received', 'assigned', 'answered', 'refused', 'withdrawn')),
  assignee_spokesperson_id uuid REFERENCES spokespersons(id),
  assignee_user_id uuid REFERENCES users(id),
  escalated_at timestamptz,
  overdue_at timestamptz,
  answer text,
  answered_by_user_id uuid REFERENCES users(id),
  -- The spokesperson named in the answer and the agency, as they were when it was given.
  answer_spokesperson_id uuid REFERENCES spokespersons(id),
  answer_spokesperson_name text,
  answer_spokesperson_title text,
  answer_agency text,
  answered_at timestamptz,
  refusal_ground text CHECK (refusal_ground IN
    ('state_secret', 'privacy', 'under_investigation', 'inspection_pending', 'unapproved_draft')),
  refusal_explanation text,
  -- A public Q&A (/hoi-dap/<slug>): the question with the asker's personal data taken out.
  public_slug text,
  public_question text,
  published_at timestamptz,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (partner_id IS NOT NULL OR asker_contact IS NOT NULL OR asker_email IS NOT NULL),
  CHECK (status <> 'answered' OR (answer IS NOT NULL AND answer_spokesperson_name IS NOT NULL AND answer_agency IS NOT NULL)),
  CHECK (status <> 'refused' OR (refusal_ground IS NOT NULL AND refusal_explanation IS NOT NULL)),
  CHECK (public_slug IS NULL OR status = 'answered')
);
CREATE UNIQUE INDEX inquiries_code ON inquiries (tenant_id, code);
CREATE UNIQUE INDEX inquiries_public_slug ON inquiries (tenant_id, public_slug) WHERE public_slug IS NOT NULL;
CREATE INDEX inquiries_partner ON inquiries (tenant_id, partner_id, received_at DESC);
CREATE INDEX inquiries_open_due ON inquiries (tenant_id, due_at) WHERE status IN ('received', 'assigned');
CREATE INDEX inquiries_escalate ON inquiries (escalate_at) WHERE status IN ('received', 'assigned') AND escalated_at IS NULL;

CREATE TABLE inquiry_events (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  inquiry_id uuid NOT NULL REFERENCES inquiries(id),
  -- received, assigned, escalated, overdue, answered, refused, withdrawn, case_linked, published
  type text NOT NULL,
  actor_id uuid,
  actor_label text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  at timestamptz NOT NULL
);
CREATE INDEX inquiry_events_inquiry ON inquiry_events (inquiry_id, id);

-- Public holidays (no working day). `computed` rows come from the law's fixed and lunar dates
-- (inquiries.holidays.ts) once per year; staff add compensatory days (`staff`) and may remove
-- any day: a removed computed day keeps its row (removed_at), so it is not computed back.
CREATE TABLE inquiry_holidays (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  day date NOT NULL,
  name text NOT NULL,
  source text NOT NULL CHECK (source IN ('computed', 'staff')),
  removed_at timestamptz,
  changed_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, day)
);

-- The years whose computed holidays were written (so a removal sticks).
CREATE TABLE inquiry_holiday_years (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  year integer NOT NULL,
  computed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, year)
);

-- Per-kind clocks set by the office (absent: the defaults in inquiries.clock.ts).
CREATE TABLE inquiry_kind_settings (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  kind text NOT NULL CHECK (kind IN ('incident', 'complaint', 'question')),
  unit text NOT NULL CHECK (unit IN ('hours', 'calendar_days', 'working_days')),
  amount integer NOT NULL CHECK (amount BETWEEN 1 AND 400),
  -- Escalate when this share of the window is left (20 = the last 20 %).
  escalate_percent integer NOT NULL CHECK (escalate_percent BETWEEN 1 AND 90),
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, kind)
);

CREATE TABLE inquiry_counters (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  year integer NOT NULL,
  last integer NOT NULL,
  PRIMARY KEY (tenant_id, year)
);
