-- Public search over many releases (issue 3). See searchPublicReleases
-- (src/modules/releases/releases.public.ts) for how the two changes below are used.

-- 1. search_vector is stored inline in the row (STORAGE MAIN: compressed or moved out of the
--    row only as a last resort, for a release far longer than a page). The search checks it row
--    by row — walking the newest releases for a broad query, re-checking phrases and ranking a
--    few hundred candidates — and out of line each check first fetched ~1.2 kB from the TOAST
--    table, three times the cost of the check itself. search_text, read only for the rows of
--    the page shown, is the column that moves out of line instead.
ALTER TABLE releases ALTER COLUMN search_vector SET STORAGE MAIN;

-- 2. search_pairs: each two consecutive words of the same text, as one lexeme "xa trung", taken
--    from the positions of the very vector phrase search uses (so "a <-> b" matches exactly the
--    rows whose search_pairs holds 'a b'). A quoted phrase of common syllables ("xã Trung
--    Thành": xa and thanh are in nearly every release) then finds its few rows in the GIN index,
--    instead of re-checking every release that holds the three syllables somewhere.
CREATE OR REPLACE FUNCTION tsvector_pairs(v tsvector) RETURNS tsvector
  LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
DECLARE
  seq text[] := '{}';
  pairs text[] := '{}';
  u record;
  p int;
BEGIN
  -- The lexeme at each position (a stripped vector has no positions, hence no pairs).
  FOR u IN SELECT x.lexeme, x.positions FROM unnest(v) x WHERE x.positions IS NOT NULL LOOP
    FOREACH p IN ARRAY u.positions LOOP
      seq[p] := u.lexeme;
    END LOOP;
  END LOOP;
  FOR p IN 1 .. coalesce(array_upper(seq, 1), 0) - 1 LOOP
    IF seq[p] IS NOT NULL AND seq[p + 1] IS NOT NULL THEN
      pairs := array_append(pairs, seq[p] || ' ' || seq[p + 1]);
    END IF;
  END LOOP;
  RETURN array_to_tsvector(pairs);
END
$$;

-- The same expression as search_vector without the weights (positions are the same). Adding a
-- stored generated column rewrites the table, which also stores the existing vectors inline.
ALTER TABLE releases ADD COLUMN search_pairs tsvector GENERATED ALWAYS AS (
  tsvector_pairs(to_tsvector('simple', fold_vi(search_title)) || to_tsvector('simple', fold_vi(search_text)))
) STORED;

-- One GIN index over both columns, so that a query asking both (a phrase's pairs and another
-- word) is answered by one index scan, never by re-reading search_pairs out of line.
DROP INDEX releases_search;
CREATE INDEX releases_search ON releases USING gin (search_vector, search_pairs);
