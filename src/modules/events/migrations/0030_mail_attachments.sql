-- Mail attachments (issue 16: invitations carry an iCalendar file). Kept as text in the outbox
-- row so the message is whole when the `mail.send` job reads it: [{filename, contentType, content}].
ALTER TABLE mail_outbox ADD COLUMN attachments jsonb;
