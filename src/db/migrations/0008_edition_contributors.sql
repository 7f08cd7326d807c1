-- Four-eyes by contributors (issue: "four-eyes can be bypassed"). Approval compared the
-- approver only with the submitter, so an approver who wrote a release, or rewrote someone's
-- submitted draft, let an editor submit it and then approved their own text. The rule now is:
-- no one who wrote or changed the text of an edition (a verdict version) may approve it.
--
-- Each release edition and each verdict version keeps the list of its contributions, one
-- entry per change of the text, in order: {"userId": uuid, "what": "created" | "edited",
-- "at": ISO instant}. The commands append the acting user (atomically, `contributors || …`);
-- approval refuses (audited) when the approver is in the list. A jsonb array in the row, not a
-- table, so every reader of an edition (the approve command, the diff, the approval screen)
-- has it without another query.
ALTER TABLE release_editions
  ADD COLUMN contributors jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(contributors) = 'array');
ALTER TABLE verdicts
  ADD COLUMN contributors jsonb NOT NULL DEFAULT '[]'::jsonb CHECK (jsonb_typeof(contributors) = 'array');

-- The ISO form JavaScript writes (UTC, milliseconds), so old and new entries read alike.
CREATE OR REPLACE FUNCTION contribution_at(at timestamptz) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- backfill:begin (releases.four-eyes.test.ts runs this part again on rows it emptied)
-- Backfill releases: the author of each edition created it; every later in-place edit is in the
-- audit chain ('release.edited' naming the edition number; `newEdition` true is the creation of
-- a correction, already its author).
UPDATE release_editions e SET contributors =
  jsonb_build_array(jsonb_build_object('userId', e.created_by, 'what', 'created', 'at', contribution_at(e.created_at)))
  || coalesce((
    SELECT jsonb_agg(jsonb_build_object('userId', a.actor_id, 'what', 'edited', 'at', contribution_at(a.created_at)) ORDER BY a.seq)
    FROM audit_events a
    WHERE a.tenant_id = e.tenant_id AND a.action = 'release.edited' AND a.subject_type = 'release'
      AND a.subject_id = e.release_id::text AND a.actor_id IS NOT NULL
      AND a.summary->>'edition' = e.number::text AND coalesce(a.summary->>'newEdition', 'false') <> 'true'
  ), '[]'::jsonb);

-- Backfill verdicts: the author created the version; 'verdict.drafted' is logged for the
-- creation and for every edit of that version, so all but the first are edits.
UPDATE verdicts v SET contributors =
  jsonb_build_array(jsonb_build_object('userId', v.created_by, 'what', 'created', 'at', contribution_at(v.created_at)))
  || coalesce((
    SELECT jsonb_agg(jsonb_build_object('userId', d.actor_id, 'what', 'edited', 'at', contribution_at(d.created_at)) ORDER BY d.seq)
    FROM (
      SELECT a.actor_id, a.created_at, a.seq, row_number() OVER (ORDER BY a.seq) AS n
      FROM audit_events a
      WHERE a.tenant_id = v.tenant_id AND a.action = 'verdict.drafted' AND a.subject_type = 'claim'
        AND a.subject_id = v.claim_id::text AND a.actor_id IS NOT NULL
        AND a.summary->>'version' = v.version::text
    ) d
    WHERE d.n > 1
  ), '[]'::jsonb);
-- backfill:end

-- The backstop under the commands (which refuse first, with an audited refusal): the list only
-- grows, and approved_by can never be set to one of the contributors, whatever path writes it.
CREATE OR REPLACE FUNCTION four_eyes_contributors() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT (NEW.contributors @> OLD.contributors) THEN
    RAISE EXCEPTION 'contributors of % % are append-only', TG_TABLE_NAME, OLD.id;
  END IF;
  IF NEW.approved_by IS NOT NULL AND NEW.approved_by IS DISTINCT FROM OLD.approved_by
     AND NEW.contributors @> jsonb_build_array(jsonb_build_object('userId', NEW.approved_by)) THEN
    RAISE EXCEPTION 'four-eyes: user % wrote or changed the text of % % and cannot approve it', NEW.approved_by, TG_TABLE_NAME, NEW.id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER release_editions_four_eyes BEFORE UPDATE ON release_editions
  FOR EACH ROW EXECUTE FUNCTION four_eyes_contributors();
CREATE TRIGGER verdicts_four_eyes BEFORE UPDATE ON verdicts
  FOR EACH ROW EXECUTE FUNCTION four_eyes_contributors();
