-- The alt text typed with an upload (issue: it was only put into the one-time Markdown snippet
-- and lost). Kept NFC, at most 200 characters, without control characters; the rule is
-- checked by addAttachment (clear bilingual errors) and, as a backstop, here. Empty for files
-- uploaded before this migration and for uploads without one: the editor then falls back to
-- the file name.
ALTER TABLE release_attachments
  ADD COLUMN alt text NOT NULL DEFAULT ''
    CHECK (char_length(alt) <= 200 AND alt !~ '[\u0001-\u001f\u007f-\u009f]');
