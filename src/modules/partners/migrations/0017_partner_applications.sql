-- Public applications to become a press partner (/doi-tac/dang-ky): what the applicant typed,
-- their consent under Law 91/2025/QH15, the e-mail verification, the private status links,
-- the proof files and the answers to staff's questions. On verification an application becomes
-- a partner (status 'applied'), or, when its keys already belong to one, stays here flagged as
-- a duplicate of that record. Every row carries its tenant.

CREATE TABLE partner_applications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  kind text NOT NULL CHECK (kind IN ('journalist', 'influencer')),
  name text NOT NULL,
  -- Normalised like partner keys (lower-case, punycode domain; canonical 0xxxxxxxxx).
  email text NOT NULL,
  phone text,
  -- Journalists: an outlet picked from the list, or a name typed for staff to link.
  outlet_id uuid REFERENCES press_outlets(id),
  outlet_name text,
  press_card_number text,
  press_card_expires_on date,
  beats text[] NOT NULL DEFAULT '{}',
  commune_codes text[] NOT NULL DEFAULT '{}',
  -- Influencers: [{platform, url, followers}].
  channels jsonb NOT NULL DEFAULT '[]',
  -- The "người chuyển tải" acknowledgement ticked on the form (version of partners.acknowledgement.ts).
  acknowledgement_version text,
  acknowledged_at timestamptz,
  -- Consent to the processing of personal data (text version of application.consent.ts).
  consent_version text NOT NULL,
  consent_at timestamptz NOT NULL,
  consent_withdrawn_at timestamptz,
  -- pending: e-mail not yet confirmed; verified: confirmed (a partner or a duplicate flag);
  -- closed: a duplicate staff dealt with; withdrawn: the applicant withdrew consent.
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'verified', 'closed', 'withdrawn')),
  verify_token_hash text NOT NULL UNIQUE,
  verify_expires_at timestamptz NOT NULL,
  verified_at timestamptz,
  partner_id uuid REFERENCES partners(id),
  duplicate_of uuid REFERENCES partners(id),
  closed_reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'journalist' OR (outlet_id IS NULL AND outlet_name IS NULL AND press_card_number IS NULL)),
  CHECK (partner_id IS NULL OR duplicate_of IS NULL)
);
CREATE INDEX partner_applications_queue ON partner_applications (tenant_id, state, created_at);
CREATE INDEX partner_applications_partner ON partner_applications (partner_id) WHERE partner_id IS NOT NULL;

-- Private status links (/doi-tac/dang-ky/trang-thai/<token>): SHA-256 of the token only. One
-- per mail that carries a link, so a later mail never breaks an earlier one.
CREATE TABLE partner_application_links (
  token_hash text PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  application_id uuid NOT NULL REFERENCES partner_applications(id),
  created_at timestamptz NOT NULL
);
CREATE INDEX partner_application_links_application ON partner_application_links (application_id);

-- Press-card photos and channel proofs, content-addressed on disk (platform/uploads); served to
-- staff only. `round` 0 is the application, 1, 2 … each answer to a question.
CREATE TABLE partner_application_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  application_id uuid NOT NULL REFERENCES partner_applications(id),
  round integer NOT NULL DEFAULT 0,
  file_name text NOT NULL,
  file_type text NOT NULL CHECK (file_type IN ('jpeg', 'png', 'webp', 'pdf')),
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  storage_path text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX partner_application_files_application ON partner_application_files (application_id);

-- The applicant's answers to staff's questions (the text; files carry the same round).
CREATE TABLE partner_application_answers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  application_id uuid NOT NULL REFERENCES partner_applications(id),
  round integer NOT NULL,
  answer text NOT NULL,
  created_at timestamptz NOT NULL
);
CREATE INDEX partner_application_answers_application ON partner_application_answers (application_id, round);
