-- A partner's personal API tokens (issue 14, item 5). The clear token is shown once and never
-- stored: the row keeps its SHA-256 (the key a bearer request is looked up by) and a short
-- visible prefix so the partner can recognise it in the list. Tokens belong to the partner's
-- account; the partner record behind it is asked live on every use (partners.actor.ts).
CREATE TABLE partner_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid NOT NULL REFERENCES users(id),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 80),
  token_hash text NOT NULL UNIQUE,
  prefix text NOT NULL,
  scopes text[] NOT NULL
    CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['embargo:read', 'inquiries']::text[]),
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Every token expires (30, 90 or 365 days): there are no never-expiring tokens.
  expires_at timestamptz NOT NULL,
  -- Refreshed at most once a minute per token (not on every request).
  last_used_at timestamptz,
  revoked_at timestamptz,
  CHECK (expires_at > created_at)
);
CREATE INDEX partner_tokens_owner ON partner_tokens (tenant_id, user_id, created_at DESC);
