-- The example module's own table (test fixture for module manifests).
CREATE TABLE example_notes (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  event_id bigint NOT NULL,
  event_type text NOT NULL,
  subject_id text
);
