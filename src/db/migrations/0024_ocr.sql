-- Screenshots read by OCR (issue 18): one row per image sent with a submission, written with
-- the file's row at intake ('pending') and completed by the `factcheck.ocr` job ('done' with
-- the text and Tesseract's confidence, or 'failed' with the reason shown to staff). The
-- submission and its file never depend on this row: a failure is a state, not a loss.
CREATE TABLE claim_file_ocr (
  file_id uuid PRIMARY KEY REFERENCES claim_submission_files(id) ON DELETE CASCADE,
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
  -- The corrected text (NFC) and Tesseract's own, for staff to compare.
  text text,
  raw_text text,
  confidence integer CHECK (confidence BETWEEN 0 AND 100),
  -- Why it could not be read: too-large, too-many-pixels, too-small, not-an-image, unreadable, timeout, engine.
  reason text,
  frames integer,
  duration_ms integer,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  CHECK ((status = 'failed') = (reason IS NOT NULL)),
  CHECK (status <> 'done' OR text IS NOT NULL)
);
CREATE INDEX claim_file_ocr_pending ON claim_file_ocr (created_at) WHERE status = 'pending';
