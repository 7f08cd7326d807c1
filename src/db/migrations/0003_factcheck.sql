-- Verification desk: claims (statements, never people), submissions with ticket codes,
-- merge history, evidence (immutable, hashed), notes, tasks, verdicts with four-eyes.

CREATE TABLE claims (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  code text NOT NULL,
  statement text NOT NULL,
  status text NOT NULL DEFAULT 'new'
    CHECK (status IN ('new','investigating','verdict_draft','verdict_submitted','published','merged','dismissed')),
  harm text NOT NULL DEFAULT 'other' CHECK (harm IN ('public_order','safety','scam','impersonation','other')),
  requests integer NOT NULL DEFAULT 0,
  partner_reports integer NOT NULL DEFAULT 0,
  priority integer NOT NULL DEFAULT 0,
  level text NOT NULL DEFAULT 'normal' CHECK (level IN ('critical','high','normal')),
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  sla_due_at timestamptz NOT NULL,
  escalated_at timestamptz,
  assigned_to uuid REFERENCES users(id),
  merged_into uuid REFERENCES claims(id),
  -- Every public link where the claim appeared (canonical URLs), for ClaimReview appearances.
  appearances text[] NOT NULL DEFAULT '{}',
  slug text,
  published_verdict_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search_vector tsvector GENERATED ALWAYS AS (to_tsvector('simple', fold_vi(statement))) STORED,
  UNIQUE (tenant_id, code)
);
CREATE UNIQUE INDEX claims_slug ON claims (tenant_id, slug) WHERE slug IS NOT NULL;
CREATE INDEX claims_queue ON claims (tenant_id, status, priority DESC);
CREATE INDEX claims_search ON claims USING gin (search_vector);
CREATE INDEX claims_appearances ON claims USING gin (appearances);

-- A submission is one person's (or partner's, or staff's) report; its ticket code lets the
-- submitter follow it without an account. Contact details are optional and purged.
CREATE TABLE claim_submissions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  ticket text NOT NULL,
  -- A secret for the ticket page: the code alone shows the status, code + key the text.
  ticket_key text NOT NULL,
  claim_id uuid NOT NULL REFERENCES claims(id),
  channel text NOT NULL CHECK (channel IN ('public','partner','staff')),
  text text NOT NULL,
  links text[] NOT NULL DEFAULT '{}',
  seen_where text NOT NULL DEFAULT '',
  contact_email text,
  contact_purged_at timestamptz,
  -- SHA-256 of the normalised text and links: the same submission twice within minutes is one.
  fingerprint text NOT NULL,
  notified_verdict_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, ticket)
);
CREATE INDEX claim_submissions_claim ON claim_submissions (claim_id);
CREATE INDEX claim_submissions_fingerprint ON claim_submissions (tenant_id, fingerprint, created_at DESC);
CREATE INDEX claim_submissions_links ON claim_submissions USING gin (links);
CREATE INDEX claim_submissions_recent ON claim_submissions (created_at);

CREATE TABLE claim_submission_files (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  submission_id uuid NOT NULL REFERENCES claim_submissions(id) ON DELETE CASCADE,
  file_name text NOT NULL,
  file_type text NOT NULL,
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  storage_path text NOT NULL
);

-- Ticket and claim numbers come from sequences: no row lock serialises the intake
-- (numbers may skip after a rollback, which is fine for ticket codes).
CREATE SEQUENCE claim_ticket_seq;
CREATE SEQUENCE claim_code_seq;

CREATE TABLE claim_history (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  claim_id uuid NOT NULL REFERENCES claims(id),
  kind text NOT NULL CHECK (kind IN ('merged_into','merged_from','split_to','split_from','auto_merged')),
  other_claim_id uuid REFERENCES claims(id),
  submission_id uuid REFERENCES claim_submissions(id),
  actor_id uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX claim_history_claim ON claim_history (claim_id);

CREATE TABLE claim_evidence (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  claim_id uuid NOT NULL REFERENCES claims(id),
  kind text NOT NULL CHECK (kind IN ('page','file','link','release')),
  title text NOT NULL,
  url text,
  content_text text,
  content_html text,
  file_type text,
  storage_path text,
  release_id uuid REFERENCES releases(id),
  sha256 text NOT NULL,
  captured_at timestamptz NOT NULL,
  added_by uuid NOT NULL REFERENCES users(id)
);
CREATE INDEX claim_evidence_claim ON claim_evidence (claim_id);
CREATE OR REPLACE FUNCTION claim_evidence_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'evidence is immutable once attached';
END $$;
CREATE TRIGGER claim_evidence_no_change BEFORE UPDATE OR DELETE ON claim_evidence
  FOR EACH ROW EXECUTE FUNCTION claim_evidence_immutable();

CREATE TABLE claim_notes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  claim_id uuid NOT NULL REFERENCES claims(id),
  author_id uuid NOT NULL REFERENCES users(id),
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE claim_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  claim_id uuid NOT NULL REFERENCES claims(id),
  title text NOT NULL,
  assignee_id uuid REFERENCES users(id),
  done_at timestamptz,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE verdicts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  claim_id uuid NOT NULL REFERENCES claims(id),
  version integer NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft','submitted','published','superseded')),
  label text NOT NULL CHECK (label IN ('fabricated','false','distorted','missing_context','partly_true','true','unproven','satire','scam')),
  headline text NOT NULL,
  explanation_md text NOT NULL,
  evidence_ids uuid[] NOT NULL DEFAULT '{}',
  correction_note text,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_by uuid REFERENCES users(id),
  submitted_at timestamptz,
  approved_by uuid REFERENCES users(id),
  published_at timestamptz,
  UNIQUE (claim_id, version)
);
ALTER TABLE claims ADD CONSTRAINT claims_published_verdict FOREIGN KEY (published_verdict_id) REFERENCES verdicts(id) DEFERRABLE INITIALLY DEFERRED;
