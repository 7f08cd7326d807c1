-- Ticket codes are random now (KC-<year>-<5 digits>-<5 digits>, made by the application), so
-- that the code alone, which shows a ticket's status, cannot be guessed from another ticket's
-- code. Codes already issued from the sequence keep working; the sequence goes.
DROP SEQUENCE IF EXISTS claim_ticket_seq;
