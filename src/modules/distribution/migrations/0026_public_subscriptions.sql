-- Public e-mail subscriptions (issue 15, item 5): anyone may receive the office's public
-- releases, warnings and verdicts by e-mail, by topic and commune. Double opt-in (pending until
-- the address confirms), one-click unsubscribe (RFC 8058) and a preference page without an
-- account. Only the address is kept about the person (Law 91/2025: what the purpose needs).

CREATE TABLE public_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  -- Trimmed, NFC, lower-case: one live row per mailbox. Set to NULL when the subscriber leaves
  -- (the consent keeps the address only until then): the row stays, so an old link still
  -- answers "already unsubscribed", and a later subscription of the address is a new row.
  -- NULLs are distinct in the unique constraint below, so left rows never collide.
  email text CHECK (char_length(email) BETWEEN 3 AND 254),
  -- Topics: public releases, warnings, verdicts of the verification desk. Never empty.
  kinds text[] NOT NULL CHECK (cardinality(kinds) >= 1 AND kinds <@ ARRAY['release', 'verdict', 'warning']::text[]),
  -- Commune codes (src/modules/reference); empty = the whole province.
  communes text[] NOT NULL DEFAULT '{}',
  locale text NOT NULL DEFAULT 'vi' CHECK (locale IN ('vi', 'en')),
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'active', 'unsubscribed')),
  -- SHA-256 of the single-use confirmation token (null once used or when none is outstanding).
  confirm_token_hash text,
  confirm_expires_at timestamptz,
  -- The preference and unsubscribe links are HMACs over (id, link_version, purpose): bumping the
  -- version kills every earlier link without storing any. (Coming back after leaving is a new
  -- row, so it has its own links; the left row's links keep answering "already unsubscribed".)
  link_version integer NOT NULL DEFAULT 1,
  -- Last confirmation or preference-link mail: a form submitted again and again (by anyone) does
  -- not turn into a stream of mails to the address.
  last_mailed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (tenant_id, email),
  CHECK ((confirm_token_hash IS NULL) = (confirm_expires_at IS NULL)),
  CHECK ((email IS NULL) = (state = 'unsubscribed'))
);
CREATE UNIQUE INDEX public_subscriptions_confirm ON public_subscriptions (confirm_token_hash) WHERE confirm_token_hash IS NOT NULL;
-- The fan-out's lookup: active subscribers of a topic (communes filtered on the few rows left).
CREATE INDEX public_subscriptions_active ON public_subscriptions USING gin (kinds) WHERE state = 'active';

-- The per-tenant key of the links' HMAC (generated on first use, never shown).
CREATE TABLE public_subscription_keys (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
  secret bytea NOT NULL CHECK (octet_length(secret) >= 32),
  created_at timestamptz NOT NULL DEFAULT now()
);

ALTER TABLE distribution_deliveries
  ADD CONSTRAINT distribution_deliveries_subscriber_fk FOREIGN KEY (subscriber_id) REFERENCES public_subscriptions(id);
CREATE INDEX distribution_deliveries_subscriber ON distribution_deliveries (subscriber_id, created_at DESC) WHERE subscriber_id IS NOT NULL;
