-- Distribution (issue 15): who receives the office's items (lists), how (each partner's
-- channels: portal inbox always, e-mail immediately or in a daily digest, webhooks), and one
-- delivery row per recipient, channel and decision, whose state the console follows live.
-- Every row carries its tenant.

-- A list of recipients. `builtin` lists (all accredited press, all accredited influencers) are
-- created per tenant by the module and cannot be deleted; `rule` lists follow the registry
-- (their members are computed at send time from `rule`); `static` lists hold chosen partners.
CREATE TABLE distribution_lists (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 200),
  description text,
  kind text NOT NULL CHECK (kind IN ('builtin', 'rule', 'static')),
  -- For builtin and rule lists: {"kinds": ["journalist"], "beats": ["giao thông"],
  -- "communes": ["38xxx"], "outletIds": [...]} — empty arrays mean "any".
  rule jsonb NOT NULL DEFAULT '{}'::jsonb,
  builtin_key text CHECK (builtin_key IN ('accredited_press', 'accredited_influencers')),
  archived_at timestamptz,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'builtin') = (builtin_key IS NOT NULL))
);
CREATE UNIQUE INDEX distribution_lists_builtin ON distribution_lists (tenant_id, builtin_key) WHERE builtin_key IS NOT NULL;
CREATE UNIQUE INDEX distribution_lists_name ON distribution_lists (tenant_id, lower(name)) WHERE archived_at IS NULL;

-- Members of static lists (rule and builtin lists have none stored).
CREATE TABLE distribution_list_members (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  list_id uuid NOT NULL REFERENCES distribution_lists(id) ON DELETE CASCADE,
  partner_id uuid NOT NULL REFERENCES partners(id),
  added_by uuid REFERENCES users(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (list_id, partner_id)
);
CREATE INDEX distribution_list_members_partner ON distribution_list_members (partner_id);

-- A partner who left a list (portal preferences): excluded from it, shown as "opted out".
CREATE TABLE distribution_opt_outs (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  list_id uuid NOT NULL REFERENCES distribution_lists(id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (partner_id, list_id)
);

-- A partner's e-mail preference (no row: immediately). The portal inbox is always on.
CREATE TABLE distribution_preferences (
  partner_id uuid PRIMARY KEY REFERENCES partners(id),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  email_mode text NOT NULL DEFAULT 'immediate' CHECK (email_mode IN ('immediate', 'digest', 'off')),
  -- Local hour (Asia/Ho_Chi_Minh) of the daily digest.
  digest_hour integer NOT NULL DEFAULT 7 CHECK (digest_hour BETWEEN 0 AND 23),
  -- Set when a message to the partner's address bounced (shown to the partner and staff).
  email_bounced_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- A partner's webhook endpoint (Standard Webhooks). `secret` is `whsec_<base64>`; on rotation
-- the old one keeps signing beside the new one until `previous_secret_until`.
CREATE TABLE distribution_webhooks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  url text NOT NULL CHECK (char_length(url) <= 2048),
  secret text NOT NULL,
  previous_secret text,
  previous_secret_until timestamptz,
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
  disabled_reason text,
  disabled_at timestamptz,
  consecutive_failures integer NOT NULL DEFAULT 0,
  last_success_at timestamptz,
  -- Set when the owner deleted it (or the partner's data was erased): the row stays, disabled
  -- with a spent secret, because its deliveries and attempts refer to it; it is never listed,
  -- counted, re-enabled or sent to again.
  deleted_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (deleted_at IS NULL OR state = 'disabled')
);
CREATE INDEX distribution_webhooks_partner ON distribution_webhooks (partner_id);

-- Which lists an item goes to (set on its distribution page before or after the decision;
-- without a row, the defaults: both builtin lists).
CREATE TABLE distribution_targets (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  item_type text NOT NULL CHECK (item_type IN ('release', 'verdict', 'warning')),
  item_id uuid NOT NULL,
  list_ids uuid[] NOT NULL,
  set_by uuid REFERENCES users(id),
  set_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, item_type, item_id)
);

-- One delivery: a decision (domain event) × recipient × channel (× webhook endpoint). Created
-- once by the fan-out subscriber (the event's delivery row makes it once), sent by the sender
-- service. Its id is the idempotency key receivers see: `webhook-id: msg_<id>`, the e-mail's
-- `Message-ID: <id@host>`.
CREATE TABLE distribution_deliveries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  -- The domain event that caused it (null for a test ping, a correction request or a notice).
  event_id bigint REFERENCES domain_events(id),
  item_type text NOT NULL CHECK (item_type IN ('release', 'verdict', 'warning', 'test', 'notice')),
  item_id uuid,
  -- What it says: embargo (approved under embargo), publish, correction, kill (withdrawal),
  -- test (a "send test" ping), correction_request (after altered coverage), notice (endpoint
  -- disabled and the like).
  kind text NOT NULL CHECK (kind IN ('embargo', 'publish', 'correction', 'kill', 'test', 'correction_request', 'notice')),
  recipient_type text NOT NULL CHECK (recipient_type IN ('partner', 'subscriber')),
  partner_id uuid REFERENCES partners(id),
  subscriber_id uuid,
  channel text NOT NULL CHECK (channel IN ('portal', 'email', 'digest', 'webhook')),
  webhook_id uuid REFERENCES distribution_webhooks(id),
  -- The e-mail address or webhook URL at fan-out time (what was used).
  address text,
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'sending', 'sent', 'failed', 'bounced', 'opened', 'downloaded', 'cancelled')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  -- The sender's database session (pg_backend_pid) holding it while 'sending', and a lease:
  -- a row whose holder's session is gone, or whose lease ran out, is taken again.
  claimed_by integer,
  lease_until timestamptz,
  last_status integer,
  last_error text,
  -- Per-recipient token of the links it carries (/l/<token>) and of the marks in its files:
  -- the "trace a leak" page finds the delivery, so the recipient, from either.
  link_token text NOT NULL UNIQUE,
  -- Everything the message needs, fixed at fan-out (DeliveryPayload in distribution.types.ts).
  payload jsonb NOT NULL,
  digest_id uuid,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  opened_at timestamptz,
  downloaded_at timestamptz,
  CHECK ((recipient_type = 'partner') = (partner_id IS NOT NULL)),
  CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL))
);
-- Once per event, recipient, channel and endpoint (the fan-out may run again after a crash).
CREATE UNIQUE INDEX distribution_deliveries_once ON distribution_deliveries
  (event_id, recipient_type, coalesce(partner_id, subscriber_id), channel, coalesce(webhook_id, '00000000-0000-0000-0000-000000000000'::uuid))
  WHERE event_id IS NOT NULL;
-- The sender's queue.
CREATE INDEX distribution_deliveries_due ON distribution_deliveries (next_attempt_at)
  WHERE state IN ('queued', 'sending') AND channel IN ('email', 'webhook');
CREATE INDEX distribution_deliveries_item ON distribution_deliveries (tenant_id, item_type, item_id, kind, state);
CREATE INDEX distribution_deliveries_partner ON distribution_deliveries (partner_id, created_at DESC);
CREATE INDEX distribution_deliveries_webhook ON distribution_deliveries (webhook_id, created_at DESC) WHERE webhook_id IS NOT NULL;
CREATE INDEX distribution_deliveries_digest ON distribution_deliveries (partner_id) WHERE channel = 'digest' AND state = 'queued';

-- A daily digest mail: one per partner and local day (its id is the Message-ID).
CREATE TABLE distribution_digests (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  local_day date NOT NULL,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'failed', 'bounced')),
  attempts integer NOT NULL DEFAULT 0,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  UNIQUE (partner_id, local_day)
);

-- Every attempt of a webhook delivery (recent deliveries with status codes, on the partner's
-- page and the staff's), kept 30 days.
CREATE TABLE distribution_attempts (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  delivery_id uuid NOT NULL REFERENCES distribution_deliveries(id) ON DELETE CASCADE,
  webhook_id uuid REFERENCES distribution_webhooks(id),
  at timestamptz NOT NULL DEFAULT now(),
  status integer,
  error text,
  duration_ms integer
);
CREATE INDEX distribution_attempts_webhook ON distribution_attempts (webhook_id, at DESC);
CREATE INDEX distribution_attempts_delivery ON distribution_attempts (delivery_id);

-- Partners' API tokens may carry the `coverage` scope (report and read their own coverage).
ALTER TABLE partner_tokens DROP CONSTRAINT partner_tokens_scopes_check;
ALTER TABLE partner_tokens ADD CONSTRAINT partner_tokens_scopes_check
  CHECK (cardinality(scopes) >= 1 AND scopes <@ ARRAY['embargo:read', 'inquiries', 'coverage']::text[]);
