-- The verify page picks the pasted text's rarest word pairs by ANALYZE's statistics of
-- search_pairs (releases.public.ts, findVerifyCandidates), and so does the search for a quoted
-- phrase. At the default target (100) ANALYZE keeps the 1,000 most common pairs of a
-- 30,000-row sample. Press releases repeat more boilerplate pairs than that, each in a few per
-- cent of releases: which of them were kept changed from one ANALYZE to the next, and one left
-- out looked rarer than a name or a date. A probe made of two such pairs found thousands of
-- releases, and the one copied could fall outside the first 50. Target 1000: 10,000 pairs from
-- a 300,000-row sample.
ALTER TABLE releases ALTER COLUMN search_pairs SET STATISTICS 1000;
