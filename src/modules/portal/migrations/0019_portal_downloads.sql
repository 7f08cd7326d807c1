-- Every download of a release attachment through the partner portal (issue 14, item 3): who
-- (partner and account), what (attachment and its release), when, from where. Staff read it on
-- /console/doi-tac/tai-xuong. Rows are only ever inserted.
CREATE TABLE partner_downloads (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  partner_id uuid NOT NULL REFERENCES partners(id),
  user_id uuid NOT NULL REFERENCES users(id),
  attachment_id uuid NOT NULL REFERENCES release_attachments(id),
  release_id uuid NOT NULL REFERENCES releases(id),
  -- Whether the release was still under embargo when the file was served.
  embargoed boolean NOT NULL,
  at timestamptz NOT NULL,
  ip text,
  user_agent text
);
CREATE INDEX partner_downloads_tenant_at ON partner_downloads (tenant_id, at DESC, id DESC);
CREATE INDEX partner_downloads_partner ON partner_downloads (tenant_id, partner_id, at DESC);
CREATE INDEX partner_downloads_release ON partner_downloads (tenant_id, release_id, at DESC);
