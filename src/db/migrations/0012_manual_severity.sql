-- A severity set by staff, with its written reason: the SLA level (and the harm) a person chose
-- for a claim. While it is set, the automatic triage (the intake's guess, the recount of spread,
-- a merge, a later harm change) keeps the level the person chose; only a new manual setting
-- changes it. Who and when are in the audit chain too (`claim.severity_set`); these columns are
-- what the desk shows and what the recount reads.
ALTER TABLE claims
  ADD COLUMN severity_reason text,
  ADD COLUMN severity_set_by uuid,
  ADD COLUMN severity_set_at timestamptz,
  ADD CONSTRAINT claims_manual_severity_whole
    CHECK ((severity_set_at IS NULL) = (severity_reason IS NULL));
