-- Coverage (issue 15, item 6): what partners published about an item, captured and checked
-- against the official text, and the correction requests the office sent about it.

-- One reported article or post. Reported by the partner (portal, API) or added by staff; the
-- same URL for the same item and partner is one row (a repeated report returns it).
CREATE TABLE coverage_reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  item_type text NOT NULL CHECK (item_type IN ('release', 'verdict')),
  -- A release's id, or a verdict's claim id (the item across corrected versions).
  item_id uuid NOT NULL,
  partner_id uuid NOT NULL REFERENCES partners(id),
  url text NOT NULL CHECK (char_length(url) BETWEEN 1 AND 2048),
  reported_by text NOT NULL CHECK (reported_by IN ('partner', 'staff')),
  reported_by_user uuid REFERENCES users(id),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'captured', 'failed')),
  -- Why a capture failed (shown, in both languages, to the partner and to staff).
  failure_reason text CHECK (failure_reason IN ('private', 'too_large', 'not_page', 'needs_js', 'unreachable')),
  failure_detail text CHECK (char_length(failure_detail) <= 200),
  final_url text CHECK (char_length(final_url) <= 4096),
  headline text CHECK (char_length(headline) <= 1000),
  -- The page's main text (Readability), capped.
  text text CHECK (char_length(text) <= 100000),
  -- The official edition it was judged against (a release's edition, or a verdict version).
  edition_id uuid,
  edition_number integer,
  -- identical and identical-layout are `faithful`; `unrelated`: the page does not carry the
  -- official text (written in the outlet's own words, or another item).
  verdict text CHECK (verdict IN ('faithful', 'excerpt', 'altered', 'unrelated')),
  -- [{kind: figure|date|name|wording, official, published, before, after}]
  changes jsonb NOT NULL DEFAULT '[]'::jsonb,
  -- The word diff shown to staff: {parts: [{kind, text}], cutStart, cutEnd}.
  diff jsonb,
  clickbait_score real CHECK (clickbait_score BETWEEN 0 AND 1),
  clickbait_reasons text[] NOT NULL DEFAULT '{}',
  captured_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'failed') = (failure_reason IS NOT NULL)),
  CHECK (state <> 'captured' OR verdict IS NOT NULL),
  UNIQUE (tenant_id, item_type, item_id, partner_id, url)
);
CREATE INDEX coverage_reports_item ON coverage_reports (tenant_id, item_type, item_id, created_at DESC);
CREATE INDEX coverage_reports_partner ON coverage_reports (partner_id, created_at DESC);
CREATE INDEX coverage_reports_recent ON coverage_reports (tenant_id, created_at DESC);

-- A correction request about an altered coverage (Decree 09/2017/NĐ-CP), at most one per
-- report; it reaches the partner as a delivery (portal inbox, and e-mail when they have one).
CREATE TABLE coverage_correction_requests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  coverage_id uuid NOT NULL UNIQUE REFERENCES coverage_reports(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  sent_by uuid NOT NULL REFERENCES users(id),
  message text NOT NULL,
  -- {official, published, url}
  quote jsonb NOT NULL,
  delivery_id uuid REFERENCES distribution_deliveries(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX coverage_correction_requests_partner ON coverage_correction_requests (partner_id, created_at DESC);
