-- The office's identity is a setting, not code: the setup wizard asks for it and an admin edits
-- it on /console/settings. A fresh install starts with neutral placeholders (no province's name,
-- hotline or e-mail); `identity_set_at` stays NULL until someone has entered the real identity.
-- The logo is an uploaded image, stored content-addressed like release files (platform/uploads):
-- its SHA-256 and extension name the file.
ALTER TABLE tenants
  ADD COLUMN province text NOT NULL DEFAULT '',
  ADD COLUMN website text NOT NULL DEFAULT '',
  ADD COLUMN logo_sha256 text CHECK (logo_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN logo_ext text CHECK (logo_ext IN ('png', 'jpg', 'webp')),
  ADD COLUMN identity_set_at timestamptz,
  ADD CONSTRAINT tenants_logo_whole CHECK ((logo_sha256 IS NULL) = (logo_ext IS NULL));

-- Installations made before this migration were created with their real identity.
UPDATE tenants SET identity_set_at = created_at;
UPDATE tenants SET province = 'Thanh Hóa' WHERE slug = 'thanh-hoa';
