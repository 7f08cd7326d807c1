-- Why a release was withdrawn, as a category. It decides what stays public: after a factual
-- error the text may stay under the "withdrawn" notice; for privacy, legal, safety or other
-- reasons only the notice remains (reason and date), and the text is reachable nowhere public
-- (page, API, feeds, share card, verify page, files): `releases.public.ts` reads this column.
-- Rows withdrawn before this migration have no category, and show only the notice too
-- (fail closed: nobody said the text may stay).
ALTER TABLE releases
  ADD COLUMN withdrawn_category text
    CHECK (withdrawn_category IS NULL OR withdrawn_category IN ('factual_error', 'privacy', 'legal', 'safety', 'other'));
