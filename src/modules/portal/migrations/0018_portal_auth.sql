-- Partner sign-in (portal/auth): single-use e-mail links, passkeys (WebAuthn) and their
-- challenges. Partners have no password; sessions are the accounts module's `sessions`.
-- Every row carries its tenant; tokens, nonces and challenges are stored as hashes or are
-- single use with a short life.

-- A sign-in link mailed to a partner: the token travels only in the mail (SHA-256 here), the
-- nonce only in a cookie of the browser that asked (SHA-256 here), so a forwarded link (opened
-- in another browser) is refused without being used up. Used once (conditional UPDATE).
CREATE TABLE portal_sign_in_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  token_hash text NOT NULL UNIQUE,
  nonce_hash text NOT NULL,
  requested_ip text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX portal_sign_in_links_partner ON portal_sign_in_links (tenant_id, partner_id, created_at);

-- A partner's passkey (a discoverable WebAuthn credential). The public key is kept as
-- base64url COSE; the counter is raised at each use (a cloned authenticator shows up as a
-- counter that does not grow).
CREATE TABLE portal_passkeys (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  credential_id text NOT NULL,
  public_key text NOT NULL,
  counter bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  device_type text NOT NULL,
  backed_up boolean NOT NULL DEFAULT false,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  UNIQUE (tenant_id, credential_id)
);
CREATE INDEX portal_passkeys_user ON portal_passkeys (tenant_id, user_id);

-- WebAuthn challenges, kept server-side: single use, 5 minutes. A registration challenge
-- belongs to a signed-in account; a sign-in challenge to nobody yet (usernameless).
CREATE TABLE portal_webauthn_challenges (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  purpose text NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  user_id uuid REFERENCES users(id) ON DELETE CASCADE,
  challenge text NOT NULL UNIQUE,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((purpose = 'register') = (user_id IS NOT NULL))
);
CREATE INDEX portal_webauthn_challenges_expiry ON portal_webauthn_challenges (expires_at);
