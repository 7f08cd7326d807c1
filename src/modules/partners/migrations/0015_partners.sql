-- The partners registry: press outlets, journalists and influencers, their channels, the
-- influencers' acknowledgement as "người chuyển tải", status history, duplicate keys and
-- expiry reminders. Every row carries its tenant.

CREATE TABLE press_outlets (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  name text NOT NULL,
  licence_number text,
  licence_issuer text,
  kind text NOT NULL CHECK (kind IN ('newspaper', 'magazine', 'radio_tv', 'online')),
  website text,
  contact_desk text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX press_outlets_tenant ON press_outlets (tenant_id, name);

CREATE TABLE partners (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  kind text NOT NULL CHECK (kind IN ('journalist', 'influencer')),
  name text NOT NULL,
  outlet_id uuid REFERENCES press_outlets(id),
  -- The press card as printed, and its expiry (a local calendar day, valid through that day).
  press_card_number text,
  press_card_expires_on date,
  -- Primary contact, normalised (canonical 0xxxxxxxxx; lower-case, punycode domain).
  phone text,
  email text,
  beats text[] NOT NULL DEFAULT '{}',
  commune_codes text[] NOT NULL DEFAULT '{}',
  accreditation_ends_on date,
  status text NOT NULL DEFAULT 'applied'
    CHECK (status IN ('applied', 'more_info_needed', 'verified', 'accredited', 'suspended', 'expired', 'revoked')),
  status_changed_at timestamptz NOT NULL DEFAULT now(),
  user_id uuid REFERENCES users(id),
  -- Set when staff merged this record into another: the surviving partner.
  merged_into uuid REFERENCES partners(id),
  merged_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'journalist' OR (outlet_id IS NULL AND press_card_number IS NULL)),
  CHECK (merged_into IS NULL OR merged_into <> id)
);
CREATE INDEX partners_tenant_status ON partners (tenant_id, status) WHERE merged_into IS NULL;
-- One live account per partner record.
CREATE UNIQUE INDEX partners_user ON partners (tenant_id, user_id) WHERE user_id IS NOT NULL AND merged_into IS NULL;

-- The normalised keys that identify one person (e-mail, phone, press card). A key belongs to
-- one partner per tenant; a merge moves the duplicate's keys to the survivor, so later
-- applications under any of them are still recognised.
CREATE TABLE partner_keys (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  kind text NOT NULL CHECK (kind IN ('email', 'phone', 'press_card')),
  value text NOT NULL,
  partner_id uuid NOT NULL REFERENCES partners(id),
  PRIMARY KEY (tenant_id, kind, value)
);
CREATE INDEX partner_keys_partner ON partner_keys (partner_id);

CREATE TABLE partner_channels (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  platform text NOT NULL CHECK (platform IN ('facebook', 'tiktok', 'youtube', 'zalo', 'other')),
  url text NOT NULL,
  followers integer CHECK (followers IS NULL OR followers >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partner_channels_partner ON partner_channels (partner_id);

-- The influencer's signed acknowledgement that, carrying content, they act as "người chuyển
-- tải" under the amended Advertising Law (effective 1 January 2026). Append-only by use.
CREATE TABLE partner_acknowledgements (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  text_version text NOT NULL,
  text_sha256 text NOT NULL,
  signed_at timestamptz NOT NULL,
  method text NOT NULL CHECK (method IN ('portal', 'paper', 'email')),
  recorded_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX partner_acknowledgements_partner ON partner_acknowledgements (partner_id);

CREATE TABLE partner_status_history (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  from_status text,
  to_status text NOT NULL,
  reason text,
  actor_id uuid REFERENCES users(id),
  actor_label text NOT NULL,
  at timestamptz NOT NULL
);
CREATE INDEX partner_status_history_partner ON partner_status_history (partner_id, at);

-- Expiry reminders sent (30 and 7 days before): one row per partner, end day and lead time,
-- so each goes out once, and a renewed term (a new end day) is reminded again.
CREATE TABLE partner_reminders (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  ends_on date NOT NULL,
  days_before integer NOT NULL CHECK (days_before IN (30, 7)),
  sent_at timestamptz NOT NULL,
  PRIMARY KEY (partner_id, ends_on, days_before)
);
