-- Signed checkpoints of the audit chain: "at this time the tenant's chain had this many rows
-- and this head hash", signed with the tenant's Ed25519 key (the one that signs editions).
-- The chain alone cannot show that its newest rows were deleted, or that a row was removed
-- and every later hash recomputed; a checkpoint kept elsewhere (the published list, a saved
-- copy) can. Rows are append-only like the chain itself.
CREATE TABLE audit_checkpoints (
  id bigserial PRIMARY KEY,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  seq bigint NOT NULL,
  hash text NOT NULL,
  created_at timestamptz NOT NULL,
  -- RFC 7638 thumbprint of the public key, as `kid` in /.well-known/donghanh-signing-key.json.
  key_id text NOT NULL,
  -- Ed25519 signature (base64url) of `donghanh.audit-checkpoint.v1|tenant|seq|hash|created_at`.
  signature text NOT NULL,
  UNIQUE (tenant_id, seq)
);
CREATE INDEX audit_checkpoints_tenant_time ON audit_checkpoints (tenant_id, created_at DESC);

CREATE OR REPLACE FUNCTION audit_checkpoints_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_checkpoints is append-only';
END $$;
CREATE TRIGGER audit_checkpoints_no_update BEFORE UPDATE OR DELETE ON audit_checkpoints
  FOR EACH ROW EXECUTE FUNCTION audit_checkpoints_append_only();
CREATE TRIGGER audit_checkpoints_no_truncate BEFORE TRUNCATE ON audit_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION audit_checkpoints_append_only();
