-- Imports of the partners registry from CSV/XLSX: one row per uploaded file (its content hash,
-- detected encoding, the staff's column mapping, progress and counts), and the rows that did
-- not simply apply (errors, conflicts, duplicates within the file) for the error report.
-- Progress (`rows_done`) is committed with each batch, so a job that dies resumes after the
-- last committed batch, and re-applying a row is harmless (the import is idempotent).

CREATE TABLE partner_imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  status text NOT NULL DEFAULT 'preview'
    CHECK (status IN ('preview', 'queued', 'running', 'done', 'failed')),
  file_sha256 text NOT NULL CHECK (file_sha256 ~ '^[0-9a-f]{64}$'),
  file_name text NOT NULL,
  file_size integer NOT NULL CHECK (file_size > 0),
  kind text NOT NULL CHECK (kind IN ('csv', 'xlsx')),
  -- CSV only: the detected (or chosen) encoding and field delimiter.
  encoding text,
  delimiter text,
  -- Column index (0-based) per field, as proposed and then confirmed by staff.
  mapping jsonb NOT NULL DEFAULT '{}',
  header jsonb NOT NULL DEFAULT '[]',
  rows_total integer,
  rows_done integer NOT NULL DEFAULT 0,
  created_count integer NOT NULL DEFAULT 0,
  updated_count integer NOT NULL DEFAULT 0,
  unchanged_count integer NOT NULL DEFAULT 0,
  conflict_count integer NOT NULL DEFAULT 0,
  duplicate_count integer NOT NULL DEFAULT 0,
  error_count integer NOT NULL DEFAULT 0,
  -- Why the whole run failed (an unreadable file), as an error code and its parameters.
  failure jsonb,
  created_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz
);
CREATE INDEX partner_imports_tenant ON partner_imports (tenant_id, created_at DESC);

-- One row per row of the file that was refused or reported: outcome, the column (header as
-- in the file) and a message key with its parameters (rendered in both languages on export).
CREATE TABLE partner_import_issues (
  tenant_id uuid NOT NULL REFERENCES tenants(id),
  import_id uuid NOT NULL REFERENCES partner_imports(id),
  row_number integer NOT NULL,
  seq integer NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('error', 'conflict', 'duplicate')),
  column_name text,
  message_key text NOT NULL,
  params jsonb NOT NULL DEFAULT '{}',
  partner_id uuid REFERENCES partners(id),
  PRIMARY KEY (import_id, row_number, seq)
);
