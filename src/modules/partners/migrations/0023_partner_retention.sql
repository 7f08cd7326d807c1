-- Retention under Law 91/2025/QH15 (application/application.retention.ts): when a partner's
-- personal data was erased (consent withdrawn, or 2 years after they stopped being a partner).
-- The row stays, with a neutral name, for the status history and audit rows that point to it.
ALTER TABLE partners ADD COLUMN erased_at timestamptz;
-- An erased record holds no contact or press card.
ALTER TABLE partners ADD CONSTRAINT partners_erased_empty
  CHECK (erased_at IS NULL OR (email IS NULL AND phone IS NULL AND press_card_number IS NULL));
-- The daily job looks for records that ended (revoked/expired) and are not yet erased.
CREATE INDEX partners_retention ON partners (status_changed_at)
  WHERE erased_at IS NULL AND status IN ('revoked', 'expired');
