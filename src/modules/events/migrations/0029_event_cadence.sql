-- The cadence the law asks of the press office (Decree 09/2017/NĐ-CP art. 5): a regular press
-- conference at least every N days and an information update (a published release or a press
-- briefing held) at least every M days. One row per tenant; no row = the defaults (90 / 30).
CREATE TABLE event_cadence (
  tenant_id uuid PRIMARY KEY REFERENCES tenants(id),
  conference_days integer NOT NULL DEFAULT 90 CHECK (conference_days BETWEEN 7 AND 366),
  update_days integer NOT NULL DEFAULT 30 CHECK (update_days BETWEEN 1 AND 366),
  updated_by uuid REFERENCES users(id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
