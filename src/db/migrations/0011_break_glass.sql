-- Break-glass access to a sealed case. A sealed case is need-to-know, admins included; an
-- admin reaches one only by break-glass: a written reason, audited, the lead officer mailed.
-- The admin becomes a member for a limited time. The membership row says how it came about
-- (`via`), why (`reason`) and until when (`expires_at`): a break-glass row past its expiry no
-- longer counts anywhere membership is read (the policy's memberIds, `caseHiddenFromSql`, the
-- lists). Ordinary members have no expiry.
ALTER TABLE case_members
  ADD COLUMN via text NOT NULL DEFAULT 'added' CHECK (via IN ('added', 'break_glass')),
  ADD COLUMN reason text,
  ADD COLUMN expires_at timestamptz;

-- A break-glass row always carries its reason and its expiry; an added member neither.
ALTER TABLE case_members
  ADD CONSTRAINT case_members_break_glass_shape CHECK (
    (via = 'break_glass' AND reason IS NOT NULL AND expires_at IS NOT NULL)
    OR (via = 'added' AND reason IS NULL AND expires_at IS NULL)
  );
