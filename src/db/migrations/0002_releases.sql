-- Releases: sealed cases, spokespersons, releases with immutable editions, slugs,
-- attachments, signing keys.

CREATE TABLE cases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  code text NOT NULL,
  title text NOT NULL,
  department text NOT NULL,
  lead_officer_id uuid REFERENCES users(id),
  state text NOT NULL DEFAULT 'sealed' CHECK (state IN ('sealed','cleared','closed')),
  stage text NOT NULL DEFAULT 'investigating' CHECK (stage IN ('investigating','charged','at_trial','judged')),
  -- The legal ground for keeping it secret, named in every refusal.
  secrecy_ground text NOT NULL,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, code)
);

CREATE TABLE case_members (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users(id),
  added_by uuid REFERENCES users(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (case_id, user_id)
);
CREATE INDEX case_members_user ON case_members (user_id);

CREATE TABLE case_clearances (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  case_id uuid NOT NULL REFERENCES cases(id) ON DELETE CASCADE,
  cleared_by uuid NOT NULL REFERENCES users(id),
  cleared_at timestamptz NOT NULL,
  -- What may now be disclosed, and which ground for secrecy was lifted.
  scope text NOT NULL,
  ground_lifted text NOT NULL
);

CREATE TABLE spokespersons (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  title text NOT NULL,
  phone text NOT NULL,
  email text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE spokesperson_delegations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  spokesperson_id uuid NOT NULL REFERENCES spokespersons(id) ON DELETE CASCADE,
  delegate_name text NOT NULL,
  delegate_title text NOT NULL,
  case_id uuid REFERENCES cases(id),
  valid_until timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A release is the item; its text lives in immutable editions. `status` is the item's
-- lifecycle; the public sees `published_edition_id` only while status is published.
CREATE TABLE releases (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  kind text NOT NULL CHECK (kind IN ('press_release','activity','warning','announcement','correction')),
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft','submitted','approved','scheduled','embargoed','published','withdrawn','gone')),
  slug text NOT NULL,
  category text NOT NULL DEFAULT '',
  case_id uuid REFERENCES cases(id),
  spokesperson_id uuid REFERENCES spokespersons(id),
  working_edition_id uuid,
  published_edition_id uuid,
  -- When a scheduled or embargoed release becomes public (an instant, compared as such).
  publish_at timestamptz,
  first_published_at timestamptz,
  last_published_at timestamptz,
  withdrawn_at timestamptz,
  withdrawn_reason text,
  gone_at timestamptz,
  -- Force-publish by an admin with a reason: waits for a retrospective approval.
  forced_by uuid REFERENCES users(id),
  forced_reason text,
  retro_approved_by uuid REFERENCES users(id),
  retro_approved_at timestamptz,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  -- Search over the published edition (maintained by the publish command).
  search_title text NOT NULL DEFAULT '',
  search_text text NOT NULL DEFAULT '',
  search_vector tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', fold_vi(search_title)), 'A') ||
    setweight(to_tsvector('simple', fold_vi(search_text)), 'B')
  ) STORED,
  UNIQUE (tenant_id, slug)
);
CREATE INDEX releases_status ON releases (tenant_id, status, last_published_at DESC);
CREATE INDEX releases_due ON releases (publish_at) WHERE status IN ('scheduled','embargoed');
CREATE INDEX releases_search ON releases USING gin (search_vector);
CREATE INDEX releases_case ON releases (case_id) WHERE case_id IS NOT NULL;

CREATE TABLE release_editions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  release_id uuid NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
  number integer NOT NULL,
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft','submitted','approved','published','superseded','discarded')),
  title text NOT NULL,
  summary text NOT NULL DEFAULT '' CHECK (char_length(summary) <= 300),
  body_md text NOT NULL DEFAULT '',
  category text NOT NULL DEFAULT '',
  tags text[] NOT NULL DEFAULT '{}',
  communes text[] NOT NULL DEFAULT '{}',
  -- Corrections: a public change note; a minor fix has none but is audited.
  change_note text,
  minor boolean NOT NULL DEFAULT false,
  rejection_comment text,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  submitted_by uuid REFERENCES users(id),
  submitted_at timestamptz,
  approved_by uuid REFERENCES users(id),
  approved_at timestamptz,
  published_at timestamptz,
  -- Ed25519 signature over the canonical edition, and the short code people can check.
  content_hash text,
  signature text,
  verification_code text,
  UNIQUE (release_id, number)
);
CREATE UNIQUE INDEX release_editions_code ON release_editions (verification_code) WHERE verification_code IS NOT NULL;
CREATE INDEX release_editions_hash ON release_editions (content_hash) WHERE content_hash IS NOT NULL;

ALTER TABLE releases ADD CONSTRAINT releases_working_edition FOREIGN KEY (working_edition_id) REFERENCES release_editions(id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE releases ADD CONSTRAINT releases_published_edition FOREIGN KEY (published_edition_id) REFERENCES release_editions(id) DEFERRABLE INITIALLY DEFERRED;

-- Every slug a release ever had; old ones redirect to the current one.
CREATE TABLE release_slugs (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  slug text NOT NULL,
  release_id uuid NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, slug)
);

CREATE TABLE release_attachments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  release_id uuid NOT NULL REFERENCES releases(id) ON DELETE CASCADE,
  file_name text NOT NULL,
  file_type text NOT NULL CHECK (file_type IN ('pdf','jpeg','png','webp','docx')),
  size_bytes integer NOT NULL,
  sha256 text NOT NULL,
  storage_path text NOT NULL,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX release_attachments_release ON release_attachments (release_id);

-- The tenant's Ed25519 signing key. The public key is published at a well-known URL.
CREATE TABLE signing_keys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  public_key_pem text NOT NULL,
  private_key_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);
CREATE UNIQUE INDEX signing_keys_active ON signing_keys (tenant_id) WHERE retired_at IS NULL;
